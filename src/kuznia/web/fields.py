"""Names of registries, fields and coded values as people read them (marked for translation)."""

from __future__ import annotations

from collections.abc import Mapping

from kuznia.web.navigation import N_

REGISTRY_TITLES: Mapping[str, str] = {
    "requirements": N_("Needs"),
    "proposals": N_("Proposals"),
    "capacity_projects": N_("Capacity projects"),
    "pledges": N_("Pledges"),
    "investments": N_("Investments"),
    "capabilities": N_("Capabilities"),
    "partners": N_("Partners"),
    "companies": N_("Companies"),
    "sites": N_("Sites"),
}
"""In the order of the tabs."""

RECORD_TITLES: Mapping[str, str] = {
    "requirements": N_("Need"),
    "proposals": N_("Proposal"),
    "pledges": N_("Pledge"),
    "investments": N_("Investment"),
    "capacity_projects": N_("Capacity project"),
    "capabilities": N_("Capability"),
    "partners": N_("Partner"),
    "companies": N_("Company"),
    "sites": N_("Site"),
}
"""One record of each registry, as its page is titled."""

FIELD_LABELS: Mapping[str, str] = {
    "id": N_("Id"),
    "name": N_("Name"),
    "name_uk": N_("Name in Ukrainian"),
    "category_uk": N_("Category in Ukrainian"),
    "review_reason": N_("Reason of the review"),
    "version": N_("Version"),
    "created_at": N_("Created"),
    "updated_at": N_("Last changed"),
    "unit": N_("Unit"),
    "category": N_("Category"),
    "capability_id": N_("Capability"),
    "quantity": N_("Quantity"),
    "due_month": N_("Due month"),
    "priority": N_("Priority"),
    "country": N_("Country"),
    "kind": N_("Kind"),
    "ukrainian": N_("Ukrainian"),
    "state_owned": N_("State-owned"),
    "company_id": N_("Company"),
    "address": N_("Address"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "site_id": N_("Site"),
    "site_country": N_("Site country"),
    "unit_cost_cents": N_("Unit cost"),
    "setup_cost_cents": N_("Set-up cost"),
    "currency": N_("Currency"),
    "monthly_capacity": N_("Monthly capacity"),
    "lead_time_months": N_("Lead time (months)"),
    "ramp_up_months": N_("Ramp-up (months)"),
    "min_total_units": N_("Minimum total units"),
    "ship_lag_months": N_("Shipping lag (months)"),
    "offtake_until": N_("Output to Ukraine until"),
    "offtake_share_percent": N_("Share to Ukraine (%)"),
    "status": N_("Status"),
    "partner_id": N_("Partner"),
    "amount_cents": N_("Amount"),
    "valid_from": N_("Valid from"),
    "valid_to": N_("Valid to"),
    "earmark_capabilities": N_("Earmarked capabilities"),
    "earmark_site_countries": N_("Earmarked site countries"),
    "earmark_company_countries": N_("Earmarked company countries"),
    "investor_company_id": N_("Investor"),
    "target_company_id": N_("Target company"),
    "target_site_id": N_("Target site"),
    "from_country": N_("From country"),
    "to_country": N_("To country"),
    "instrument": N_("Instrument"),
    "month": N_("Month"),
    "capex_cents": N_("Capital cost"),
    "earliest_start": N_("Earliest start"),
    "build_months": N_("Build time (months)"),
    "proposal_id": N_("Line it became"),
    "purposes": N_("Purposes"),
    "earmark_projects": N_("Earmarked capacity projects"),
    "target_project_id": N_("Target capacity project"),
}

VALUE_LABELS: Mapping[str, str] = {
    "submitted": N_("submitted"),
    "vetted": N_("vetted"),
    "rejected": N_("rejected"),
    "offered": N_("offered"),
    "confirmed": N_("confirmed"),
    "withdrawn": N_("withdrawn"),
    "financed": N_("financed"),
    "under_construction": N_("under construction"),
    "producing": N_("producing"),
    "equity": N_("equity"),
    "loan": N_("loan"),
    "grant": N_("grant"),
    "production": N_("production"),
    "investment": N_("investment"),
    "in_ukraine": N_("in Ukraine"),
    "ukrainian_abroad": N_("Ukrainian firm abroad"),
    "foreign_in_ukraine": N_("foreign firm in Ukraine"),
    "partner_domestic": N_("partner's domestic industry"),
    "government": N_("government"),
    "EU": N_("EU"),
    "Ukraine": N_("Ukraine"),
    "fund": N_("fund"),
    "draft": N_("draft"),
    "signed": N_("signed"),
    "in_production": N_("in production"),
    "completed": N_("completed"),
    "terminated": N_("terminated"),
    "reported": N_("reported"),
    "accepted": N_("accepted"),
    "partially_accepted": N_("partially accepted"),
    "commitment": N_("commitment"),
    "disbursement": N_("disbursement"),
    "expenditure": N_("expenditure"),
    "create": N_("created"),
    "update": N_("changed"),
    "delete": N_("deleted"),
}

MONEY_FIELDS = frozenset({"unit_cost_cents", "setup_cost_cents", "amount_cents", "capex_cents"})
LIST_FIELDS = frozenset(
    {
        "earmark_capabilities",
        "earmark_site_countries",
        "earmark_company_countries",
        "earmark_projects",
        "purposes",
    }
)
REFERENCES: Mapping[str, str] = {
    "capability_id": "capabilities",
    "company_id": "companies",
    "partner_id": "partners",
    "site_id": "sites",
    "investor_company_id": "companies",
    "target_company_id": "companies",
    "target_site_id": "sites",
    "proposal_id": "proposals",
    "target_project_id": "capacity_projects",
}
"""Fields naming a record of another registry (their filters offer a list)."""

ENUMERATIONS: Mapping[str, tuple[str, ...]] = {
    "proposals.status": ("submitted", "vetted", "rejected"),
    "pledges.status": ("offered", "confirmed", "withdrawn"),
    "capacity_projects.status": (
        "submitted",
        "vetted",
        "rejected",
        "financed",
        "under_construction",
        "producing",
    ),
    "capacity_projects.kind": (
        "in_ukraine",
        "ukrainian_abroad",
        "foreign_in_ukraine",
        "partner_domestic",
    ),
    "proposals.kind": ("in_ukraine", "ukrainian_abroad", "foreign_in_ukraine", "partner_domestic"),
    "partners.kind": ("government", "EU", "Ukraine", "fund"),
    "investments.instrument": ("equity", "loan", "grant"),
    "pledges.purposes": ("production", "investment"),
}
BOOLEAN_FIELDS = frozenset({"ukrainian", "state_owned"})
