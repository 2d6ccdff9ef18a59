"""The access matrix the API must obey: every route, every role, own and other organisation's
record. The matrix test enumerates routes from the OpenAPI document and fails on any route not
listed here, so a new route must state who may use it.

Each value lists the status for: anonymous, coordinator, partner, company, auditor, investor.
Where the answer depends on whose record it is, ``own/other`` (own: the acting persona's
organisation's record; other: another organisation's). The investor's own records are its
firm's and its fund's (``world.OWNERS["i"]``); it reads no contracts (403, as the list), but
signing and starting production still answer 404 (their use cases load the contract themselves).
"""

from __future__ import annotations

ROLE_ORDER = ("anonymous", "coordinator", "partner", "company", "auditor", "investor")

EXPECTED: dict[tuple[str, str], str] = {
    # public
    ("GET", "/api/v1/health"): "200 200 200 200 200 200",
    ("GET", "/api/v1/ready"): "200 200 200 200 200 200",
    ("GET", "/api/v1/public/overview"): "200 200 200 200 200 200",
    ("GET", "/api/v1/public/plan"): "200 200 200 200 200 200",
    ("POST", "/api/v1/session"): "401 401 401 401 401 401",  # (sent with a wrong password)
    # identity
    ("DELETE", "/api/v1/session"): "401 204 204 204 204 204",
    ("GET", "/api/v1/me"): "401 200 200 200 200 200",
    ("POST", "/api/v1/me/password"): "401 422 422 422 422 422",  # (wrong current password)
    ("GET", "/api/v1/tokens"): "401 200 200 200 200 200",
    ("POST", "/api/v1/tokens"): "401 201 201 201 201 201",
    ("DELETE", "/api/v1/tokens/{token_id}"): "401 200 200/404 200/404 200/404 200/404",
    ("GET", "/api/v1/organisations"): "401 200 200 200 200 200",
    ("POST", "/api/v1/organisations"): "401 201 403 403 403 403",
    ("GET", "/api/v1/organisations/{id}"): "401 200 200/404 200/404 200 200/404",
    ("GET", "/api/v1/users"): "401 200 200 200 200 200",
    ("POST", "/api/v1/users"): "401 201 403 403 403 403",
    ("GET", "/api/v1/users/{id}"): "401 200 200/404 200/404 200 200/404",
    ("PATCH", "/api/v1/users/{id}"): "401 200 403 403 403 403",
    ("GET", "/api/v1/audit"): "401 200 403 403 200 403",
    # needs and reference data: everyone reads, the ministry writes
    ("GET", "/api/v1/capabilities"): "401 200 200 200 200 200",
    ("POST", "/api/v1/capabilities"): "401 201 403 403 403 403",
    ("GET", "/api/v1/capabilities/{id}"): "401 200 200 200 200 200",
    ("PATCH", "/api/v1/capabilities/{id}"): "401 200 403 403 403 403",
    ("DELETE", "/api/v1/capabilities/{id}"): "401 204 403 403 403 403",
    ("GET", "/api/v1/requirements"): "401 200 200 200 200 200",
    ("POST", "/api/v1/requirements"): "401 201 403 403 403 403",
    ("GET", "/api/v1/requirements/{id}"): "401 200 200 200 200 200",
    ("PATCH", "/api/v1/requirements/{id}"): "401 200 403 403 403 403",
    ("DELETE", "/api/v1/requirements/{id}"): "401 204 403 403 403 403",
    ("GET", "/api/v1/partners"): "401 200 200 200 200 200",
    ("POST", "/api/v1/partners"): "401 201 403 403 403 403",
    ("GET", "/api/v1/partners/{id}"): "401 200 200 200 200 200",
    ("PATCH", "/api/v1/partners/{id}"): "401 200 403 403 403 403",
    ("DELETE", "/api/v1/partners/{id}"): "401 204 403 403 403 403",
    # companies: a company sees only itself
    ("GET", "/api/v1/companies"): "401 200 200 200 200 200",
    ("POST", "/api/v1/companies"): "401 201 403 403 403 403",
    ("GET", "/api/v1/companies/{id}"): "401 200 200 200/404 200 200/404",
    ("PATCH", "/api/v1/companies/{id}"): "401 200 403 403 403 403",
    ("DELETE", "/api/v1/companies/{id}"): "401 204 403 403 403 403",
    # sites and proposals: a company manages its own
    ("GET", "/api/v1/sites"): "401 200 200 200 200 403",
    ("POST", "/api/v1/sites"): "401 201 403 201/403 403 403",
    ("GET", "/api/v1/sites/{id}"): "401 200 200 200/404 200 403",
    ("PATCH", "/api/v1/sites/{id}"): "401 200 403 200/404 403 403",
    ("DELETE", "/api/v1/sites/{id}"): "401 204 403 204/404 403 403",
    ("GET", "/api/v1/proposals"): "401 200 200 200 200 403",
    ("POST", "/api/v1/proposals"): "401 201 403 201/403 403 403",
    ("GET", "/api/v1/proposals/{id}"): "401 200 200 200/404 200 403",
    ("PATCH", "/api/v1/proposals/{id}"): "401 200 403 200/404 403 403",
    ("DELETE", "/api/v1/proposals/{id}"): "401 204 403 204/404 403 403",
    ("POST", "/api/v1/proposals/{id}/review"): "401 200 403 403 403 403",
    # capacity projects as proposals; the company may not vet its own (its lifecycle says so)
    ("GET", "/api/v1/capacity_projects"): "401 200 200 200 200 200",
    ("POST", "/api/v1/capacity_projects"): "401 201 403 201/403 403 201",
    ("GET", "/api/v1/capacity_projects/{id}"): "401 200 200 200/404 200 200/404",
    ("PATCH", "/api/v1/capacity_projects/{id}"): "401 200 403 200/404 403 200/404",
    ("DELETE", "/api/v1/capacity_projects/{id}"): "401 204 403 204/404 403 204/404",
    ("POST", "/api/v1/capacity_projects/{id}/status"): "401 200 403 403/404 403 403/404",
    # the mutual-investment balance, over the investments each may read
    ("GET", "/api/v1/investment-balance"): "401 200 403 200 200 200",
    ("POST", "/api/v1/reviews"): "401 200 403 403 403 403",
    # pledges: a partner manages its own, companies do not see them
    ("GET", "/api/v1/pledges"): "401 200 200 403 200 200",
    ("POST", "/api/v1/pledges"): "401 201 201/403 403 403 201",
    ("GET", "/api/v1/pledges/{id}"): "401 200 200/404 403 200 200/404",
    ("PATCH", "/api/v1/pledges/{id}"): "401 200 200/404 403 403 200/404",
    ("DELETE", "/api/v1/pledges/{id}"): "401 204 204/404 403 403 204/404",
    # investments: a company sees those it makes or receives, partners none
    ("GET", "/api/v1/investments"): "401 200 403 200 200 200",
    ("POST", "/api/v1/investments"): "401 201 403 201/403 403 201",
    ("GET", "/api/v1/investments/{id}"): "401 200 403 200/404 200 200/404",
    ("PATCH", "/api/v1/investments/{id}"): "401 200 403 200/404 403 200/404",
    ("DELETE", "/api/v1/investments/{id}"): "401 204 403 204/404 403 204/404",
    # plans: the ministry runs them; partners and auditors read them; companies do not
    ("POST", "/api/v1/plans"): "401 201 403 403 403 403",
    ("GET", "/api/v1/plans"): "401 200 200 403 200 403",
    ("GET", "/api/v1/plans/{id}"): "401 200 200 403 200 403",
    ("GET", "/api/v1/plans/{id}/compare"): "401 200 200 403 200 403",
    # jobs: the ministry queues plan runs; everyone sees and may cancel their own jobs, the
    # ministry and auditors see all, only the ministry cancels others'
    ("POST", "/api/v1/jobs"): "401 202 403 403 403 403",
    ("GET", "/api/v1/jobs"): "401 200 200 200 200 200",
    ("GET", "/api/v1/jobs/{id}"): "401 200 200/404 200/404 200 200/404",
    ("POST", "/api/v1/jobs/{id}/cancel"): "401 200 200/404 200/404 200/403 200/404",
    # resilience: risk classes are read by everyone and set by the ministry, as is a site's
    # class (a secret field); evaluations are queued by the ministry and read like plans
    ("GET", "/api/v1/risk-classes"): "401 200 200 200 200 200",
    ("PUT", "/api/v1/risk-classes/{id}"): "401 200 403 403 403 403",
    ("DELETE", "/api/v1/risk-classes/{id}"): "401 204 403 403 403 403",
    ("GET", "/api/v1/site-risks"): "401 200 200 200 200 403",  # (the classes each one sees)
    ("PUT", "/api/v1/site-risks/{id}"): "401 204 403 403 403 403",
    ("POST", "/api/v1/risk-evaluations"): "401 202 403 403 403 403",
    ("GET", "/api/v1/risk-evaluations"): "401 200 200 403 200 403",
    ("GET", "/api/v1/risk-evaluations/{id}"): "401 200 200 403 200 403",
    # the investor view: aggregates for everyone (small cells folded for who does not read
    # every proposal), the projects each role's INVESTMENT_VIEW rule gives it (the public
    # none: an empty list); a project's matching for who may read the project
    ("GET", "/api/v1/invest/gaps"): "200 200 200 200 200 200",
    ("GET", "/api/v1/invest/projects"): "200 200 200 200 200 200",
    ("GET", "/api/v1/invest/projects/{id}/matching"): "401 200 200 200/404 200 200/404",
    # the transparency log: key, checkpoints, leaf hashes and proofs are public (a leaf's
    # content only for who may read its record, tests/integration/transparency/
    # test_need_to_know.py); the audit needs a login; the coordinator signs checkpoints;
    # openings go to who may see the record's secret fields (leaf 0 has none: nothing to open)
    ("GET", "/api/v1/log/vkey"): "200 200 200 200 200 200",
    ("GET", "/api/v1/log/checkpoint"): "200 200 200 200 200 200",
    ("POST", "/api/v1/log/checkpoint"): "401 201 403 403 403 403",
    ("GET", "/api/v1/log/leaves"): "200 200 200 200 200 200",
    ("GET", "/api/v1/log/proof"): "200 200 200 200 200 200",  # (?seq=0)
    ("GET", "/api/v1/log/consistency"): "200 200 200 200 200 200",
    ("GET", "/api/v1/log/openings"): "401 200 200 200 200 200",  # (?seq=0: no secret field)
    ("GET", "/api/v1/log/audit"): "401 200 200 200 200 200",
    # contracts: own = paid by the partner's pledge, for the company's proposal; a contract
    # exists only for the coordinator, auditors and its two parties
    ("GET", "/api/v1/contracts"): "401 200 200 200 200 403",  # (each one's own rows)
    ("POST", "/api/v1/contracts"): "401 201 403 403 403 403",
    ("POST", "/api/v1/contracts/from-plan"): "401 201 403 403 403 403",
    ("GET", "/api/v1/contracts/{id}"): "401 200 200/404 200/404 200 403",
    ("POST", "/api/v1/contracts/{id}/signature"): "401 200 200/404 403/404 403 403",
    ("POST", "/api/v1/contracts/{id}/production"): "401 200 403/404 200/404 403 403",
    ("POST", "/api/v1/contracts/{id}/completion"): "401 200 403 403 403 403",
    ("POST", "/api/v1/contracts/{id}/termination"): "401 200 403 403 403 403",
    ("GET", "/api/v1/contracts/{id}/amendments"): "401 200 200/404 200/404 200 403",
    ("POST", "/api/v1/contracts/{id}/amendments"): "401 201 403 403 403 403",
    # money: the paying partner commits and disburses, the company reports what it spent
    ("POST", "/api/v1/contracts/{id}/commitments"): "401 201 201/404 403/404 403 403",
    ("POST", "/api/v1/commitments/{id}/disbursements"): "401 201 201/404 403/404 403 403",
    ("POST", "/api/v1/commitments/{id}/expenditures"): "401 201 403/404 201/404 403 403",
    ("GET", "/api/v1/contracts/{id}/money-flows"): "401 200 200/404 200/404 200 403",
    ("GET", "/api/v1/pledges/{id}/balance"): "401 200 200/404 404 200 200/404",
    # an investment's money: its investor commits and pays, who may read it reads the flows
    ("POST", "/api/v1/investments/{id}/commitments"): "401 201 403 201/404 403 201/404",
    ("GET", "/api/v1/investments/{id}/money-flows"): "401 200 403 200/404 200 200/404",
    ("GET", "/api/v1/investments/{id}/money"): "401 200 403 200/404 200 200/404",
    # deliveries: the company reports, the coordinator inspects; destinations are secret
    ("POST", "/api/v1/contracts/{id}/deliveries"): "401 201 403/404 201/404 403 403",
    ("GET", "/api/v1/contracts/{id}/deliveries"): "401 200 200/404 200/404 200 403",
    ("POST", "/api/v1/deliveries/{id}/inspection"): "401 200 403 403 403 403",
    ("GET", "/api/v1/deliveries/table"): "401 200 200 200 200 403",  # (rows in each one's scope)
    # open data: public (the confidential OCDS tier is the coordinator's, tested elsewhere)
    ("GET", "/api/v1/open-data/ocds/releases.json"): "200 200 200 200 200 200",
    ("GET", "/api/v1/open-data/tracker.csv"): "200 200 200 200 200 200",
    ("GET", "/api/v1/open-data/feed"): "200 200 200 200 200 200",
}


def expected_status(method: str, path: str, role: str, owner: str) -> int:
    """The status the matrix states for ``role`` on the ``owner`` ("own"/"other") record."""
    cells = EXPECTED[(method, path)].split()
    cell = cells[ROLE_ORDER.index(role)]
    own, _, other = cell.partition("/")
    return int(other) if owner == "other" and other else int(own)
