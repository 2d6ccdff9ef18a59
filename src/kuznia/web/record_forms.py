"""The forms that add needs, proposals, capacity projects, pledges and investments."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from kuznia.services.kernel.actors import Actor, Role
from kuznia.services.registries.browse import currencies, named_choices
from kuznia.web.fields import ENUMERATIONS, VALUE_LABELS
from kuznia.web.forms import Field, Gettext
from kuznia.web.names import local_name
from kuznia.web.navigation import N_

ID_HINT = N_("Optional: letters, digits and . _ ~ : - (chosen for you if empty).")
MONEY_HINT = N_("In the currency below, with at most two decimals, e.g. 1250000.00.")
MONTH_HINT = N_("YYYY-MM, for example 2026-03.")
COUNTRIES_HINT = N_("Two-letter codes separated by commas; empty means any.")

OFFTAKE = (
    Field("offtake_until", N_("Output to Ukraine until"), "month", required=False,
          hint=N_("For a Ukrainian firm's line abroad: the last month its output goes to "
                  "Ukraine, YYYY-MM.")),
    Field("offtake_share_percent", N_("Share to Ukraine (%)"), "integer", required=False,
          hint=N_("For a line abroad: the share of its output that goes to Ukraine until "
                  "then, 1 to 100.")),
)  # fmt: skip
"""A line abroad's offtake terms, on its proposal and on the project it is built from."""

NAME_UK_HINT = N_("Shown instead of the name to Ukrainian readers; empty shows the name.")

REFERENCE_FORMS: Mapping[str, tuple[Field, ...]] = {
    "capabilities": (
        Field("id", N_("Id"), "text", required=False, hint=ID_HINT),
        Field("name", N_("Name"), "text", hint=N_("In English, as plans and exports name it.")),
        Field("name_uk", N_("Name in Ukrainian"), "text", required=False, hint=NAME_UK_HINT),
        Field("unit", N_("Unit"), "text", hint=N_("What one unit is, e.g. piece, round, set.")),
        Field("category", N_("Category"), "text", required=False,
              hint=N_("A group of capabilities in English, e.g. drones.")),
        Field("category_uk", N_("Category in Ukrainian"), "text", required=False,
              hint=N_("Shown instead of the category to Ukrainian readers.")),
    ),
    "partners": (
        Field("id", N_("Id"), "text", required=False, hint=ID_HINT),
        Field("name", N_("Name"), "text", hint=N_("In English.")),
        Field("name_uk", N_("Name in Ukrainian"), "text", required=False, hint=NAME_UK_HINT),
        Field("country", N_("Country"), "country", required=False,
              hint=N_("Two letters, e.g. DK; empty for the EU or a fund.")),
        Field("kind", N_("Kind"), "select", options="enum:partners.kind"),
    ),
    "companies": (
        Field("id", N_("Id"), "text", required=False, hint=ID_HINT),
        Field("name", N_("Name"), "text"),
        Field("country", N_("Country"), "country",
              hint=N_("Where the firm is registered: two letters, e.g. UA.")),
        Field("ukrainian", N_("Ukrainian"), "checkbox", required=False,
              hint=N_("A Ukrainian firm registered abroad: its lines there are Ukrainian "
                      "firms' lines abroad.")),
        Field("state_owned", N_("State-owned"), "checkbox", required=False),
    ),
    "sites": (
        Field("id", N_("Id"), "text", required=False, hint=ID_HINT),
        Field("company_id", N_("Company"), "select", options="companies"),
        Field("name", N_("Name"), "text"),
        Field("country", N_("Country"), "country", hint=N_("Two letters, e.g. UA.")),
        Field("address", N_("Address"), "longtext", required=False,
              hint=N_("Secret: only the coordinator, the firm and the partner of the site's "
                      "country see it.")),
        Field("latitude", N_("Latitude"), "text", required=False,
              hint=N_("Degrees, -90 to 90, e.g. 50.4501 (secret as the address).")),
        Field("longitude", N_("Longitude"), "text", required=False,
              hint=N_("Degrees, -180 to 180, e.g. 30.5234 (secret as the address).")),
    ),
}  # fmt: skip
"""The reference registries' forms (who may use them: the access policy)."""

FORMS: Mapping[str, tuple[Field, ...]] = {
    **REFERENCE_FORMS,
    "requirements": (
        Field("id", N_("Id"), "text", required=False, hint=ID_HINT),
        Field("capability_id", N_("Capability"), "select", options="capabilities"),
        Field("quantity", N_("Quantity"), "integer", hint=N_("Units needed, at least 1.")),
        Field("due_month", N_("Due month"), "month", hint=MONTH_HINT),
        Field("priority", N_("Priority"), "decimal",
              hint=N_("Value points per unit delivered on time; more than 0.")),
    ),
    "proposals": (
        Field("id", N_("Id"), "text", required=False, hint=ID_HINT),
        Field("company_id", N_("Company"), "select", options="companies"),
        Field("site_id", N_("Site"), "select", required=False, options="sites"),
        Field("site_country", N_("Site country"), "country", hint=N_("Two letters, e.g. UA.")),
        Field("capability_id", N_("Capability"), "select", options="capabilities"),
        Field("kind", N_("Kind"), "select", required=False, options="enum:proposals.kind"),
        Field("unit_cost", N_("Unit cost"), "money", "unit_cost_cents", hint=MONEY_HINT),
        Field("currency", N_("Currency"), "select", options="currencies"),
        Field("monthly_capacity", N_("Monthly capacity"), "integer", hint=N_("Units a month.")),
        Field("lead_time_months", N_("Lead time (months)"), "integer"),
        Field("ramp_up_months", N_("Ramp-up (months)"), "integer", hint=N_("At least 1.")),
        Field("setup_cost", N_("Set-up cost"), "money", "setup_cost_cents", required=False,
              hint=MONEY_HINT),
        *OFFTAKE,
    ),
    "capacity_projects": (
        Field("id", N_("Id"), "text", required=False, hint=ID_HINT),
        Field("company_id", N_("Company"), "select", options="companies"),
        Field("site_id", N_("Site"), "select", required=False, options="sites"),
        Field("site_country", N_("Site country"), "country", hint=N_("Two letters, e.g. UA.")),
        Field("capability_id", N_("Capability"), "select", options="capabilities"),
        Field("kind", N_("Kind"), "select", required=False,
              options="enum:capacity_projects.kind"),
        Field("capex", N_("Capital cost"), "money", "capex_cents",
              hint=N_("The one-off cost of building it, more than 0, in the currency below.")),
        Field("currency", N_("Currency"), "select", options="currencies"),
        Field("earliest_start", N_("Earliest start"), "month", hint=MONTH_HINT),
        Field("build_months", N_("Build time (months)"), "integer",
              hint=N_("Months from the start of building to the first output.")),
        Field("unit_cost", N_("Unit cost once built"), "money", "unit_cost_cents",
              hint=MONEY_HINT),
        Field("monthly_capacity", N_("Monthly capacity once built"), "integer",
              hint=N_("Units a month.")),
        Field("ramp_up_months", N_("Ramp-up (months)"), "integer", hint=N_("At least 1.")),
        Field("min_total_units", N_("Minimum total units"), "integer", required=False),
        Field("ship_lag_months", N_("Shipping lag (months)"), "integer", required=False),
        *OFFTAKE,
    ),
    "pledges": (
        Field("id", N_("Id"), "text", required=False, hint=ID_HINT),
        Field("partner_id", N_("Partner"), "select", options="partners"),
        Field("amount", N_("Amount"), "money", "amount_cents", hint=MONEY_HINT),
        Field("currency", N_("Currency"), "select", options="currencies"),
        Field("valid_from", N_("Valid from"), "month", hint=MONTH_HINT),
        Field("valid_to", N_("Valid to"), "month", hint=MONTH_HINT),
        Field("earmark_capabilities", N_("Earmarked capabilities"), "multiselect",
              required=False, options="capabilities",
              hint=N_("None selected means any capability.")),
        Field("earmark_site_countries", N_("Earmarked site countries"), "countries",
              required=False, hint=COUNTRIES_HINT),
        Field("earmark_company_countries", N_("Earmarked company countries"), "countries",
              required=False, hint=COUNTRIES_HINT),
        Field("purposes", N_("Purposes"), "multiselect", required=False,
              options="enum:pledges.purposes",
              hint=N_("None selected means production: paying for units of lines.")),
        Field("earmark_projects", N_("Earmarked capacity projects"), "multiselect",
              required=False, options="capacity_projects",
              hint=N_("None selected means any project (for investment money).")),
    ),
    "investments": (
        Field("id", N_("Id"), "text", required=False, hint=ID_HINT),
        Field("investor_company_id", N_("Investor"), "select", options="companies"),
        Field("target_project_id", N_("Target capacity project"), "select", required=False,
              options="capacity_projects"),
        Field("target_company_id", N_("Target company"), "text", required=False,
              hint=N_("The id of the company invested in, e.g. co-00012.")),
        Field("from_country", N_("From country"), "country"),
        Field("to_country", N_("To country"), "country"),
        Field("instrument", N_("Instrument"), "select", options="enum:investments.instrument"),
        Field("amount", N_("Amount"), "money", "amount_cents", hint=MONEY_HINT),
        Field("currency", N_("Currency"), "select", options="currencies"),
        Field("month", N_("Month"), "month", hint=MONTH_HINT),
    ),
}  # fmt: skip

OWNER_FIELDS: Mapping[tuple[Role, str], str] = {
    (Role.COMPANY, "sites"): "company_id",
    (Role.COMPANY, "proposals"): "company_id",
    (Role.COMPANY, "capacity_projects"): "company_id",
    (Role.COMPANY, "investments"): "investor_company_id",
    (Role.PARTNER, "pledges"): "partner_id",
    (Role.INVESTOR, "capacity_projects"): "company_id",
    (Role.INVESTOR, "investments"): "investor_company_id",
    (Role.INVESTOR, "pledges"): "partner_id",
}
"""Fields a partner or company cannot choose: their own organisation's record."""


EMPTY_MEANS: dict[str, list[str]] = {"purposes": ["production"]}
"""Lists a form leaves empty to mean the record's default (a pledge's purposes: production)."""
DEFAULTED_WHEN_EMPTY = frozenset(EMPTY_MEANS)


def without_empty_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """A new record's fields, a list left empty omitted (the record takes its default)."""
    return {k: v for k, v in data.items() if not (k in DEFAULTED_WHEN_EMPTY and v == [])}


def empty_as_default(data: dict[str, Any]) -> dict[str, Any]:
    """A change's fields, a list left empty set to what empty means (no box ticked for a
    pledge's purposes: production), so an edit form can always say it."""
    return {k: list(EMPTY_MEANS[k]) if k in EMPTY_MEANS and v == [] else v for k, v in data.items()}


def fixed_values(actor: Actor, entity: str) -> dict[str, str]:
    name = OWNER_FIELDS.get((actor.role, entity))
    if name is None:
        return {}
    owner = actor.partner_id if name == "partner_id" else actor.company_id
    return {name: owner or ""}


def options_for(
    session: Session, actor: Actor, source: str, _: Gettext, lang: str = "en"
) -> list[tuple[str, str]]:
    """The options of a list: records the actor may read (by name in the reader's language),
    currencies, or coded values."""
    if source.startswith("enum:"):
        return [(v, _(VALUE_LABELS.get(v, v))) for v in ENUMERATIONS[source[5:]]]
    if source == "currencies":
        return [(c, c) for c in currencies(session)]
    return [(i, local_name(name, lang, i)) for i, name in named_choices(session, actor, source)]


def submitted(form: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A posted form's values (a list where a field came more than once) and every field's
    list of values (for multiple choices)."""
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    multi = {k: [v for v in form.getlist(k) if isinstance(v, str)] for k in form}
    values.update({k: v for k, v in multi.items() if len(v) > 1})
    return values, multi


CONFLICT_PART = re.compile(r"(?:^|; )([a-z_]+): ")


def conflict_messages(message: str, fields: Sequence[Field]) -> dict[str, str]:
    """A service's :class:`Conflict` ("amount_cents: ...; currency: ...") by form field."""
    starts = list(CONFLICT_PART.finditer(message))
    errors: dict[str, str] = {}
    for n, match in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(message)
        name = next((f.name for f in fields if match.group(1) in (f.key, f.name)), "")
        errors.setdefault(name, message[match.start() : end].removeprefix("; "))
    return errors or {"": message}


def form_fields(entity: str) -> Sequence[Field]:
    return FORMS[entity]
