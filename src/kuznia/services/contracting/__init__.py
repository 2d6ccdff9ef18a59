"""Contracting: contracts (from plans or by hand), their lifecycle, money flows (commitments,
disbursements, expenditures) and deliveries."""
