"""The forms of the contract pages: drawing up a contract, amending and terminating it,
committing, paying and spending money, reporting and inspecting deliveries; and the services'
objections as messages next to the field they name, in the reader's language.

The services state their rules in English with the field first (``amount: pledge pl-1 has
1,000.00 EUR free; 5,000.00 EUR asked``); :func:`service_errors` finds the field, and
:data:`TRANSLATED` says the common ones again in the reader's language, amounts kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from kuznia.errors import Conflict, Forbidden, InvalidInput, KuzniaError, NotFound
from kuznia.services.contracting.drafting import FundedLine
from kuznia.services.contracting.views import PartyNames, Wanted
from kuznia.web.forms import Field, Gettext, problem_messages
from kuznia.web.names import line_place, name_of
from kuznia.web.navigation import N_

MONEY_HINT = N_("In the pledge's currency unless you choose another, e.g. 250000.00.")
DATE_HINT = N_("YYYY-MM-DD, on or before today.")
SCHEDULE_HINT = N_("Units due by month, e.g. 2026-05: 100, 2026-06: 100; they add up to the units.")
REASON_HINT = N_("Said in the contract's history and the log; shown to its parties.")

LICENCE_OPTIONS = "enum:contracts.export_licence_status"

ABROAD_FIELDS: tuple[Field, ...] = (
    Field("offtake_until", N_("Output goes to Ukraine until"), "date", required=False,
          hint=N_("For a line abroad: a date, or a condition below.")),
    Field("offtake_condition", N_("Or until this condition"), "text", required=False),
    Field("capacity_after", N_("Capacity after the offtake"), "text", required=False),
    Field("ip_owner", N_("Owner of the intellectual property"), "text", required=False),
    Field("export_licence_status", N_("Export licence"), "select", required=False,
          options=LICENCE_OPTIONS),
    Field("export_licence_reference", N_("Licence reference"), "text", required=False),
    Field("export_licence_expiry", N_("Licence expiry"), "date", required=False),
)  # fmt: skip

CONTRACT_FIELDS: tuple[Field, ...] = (
    Field("title", N_("Title"), "text", hint=N_("What is bought, as the parties will read it.")),
    Field("pledge_id", N_("Paying pledge"), "select", options="pledges",
          hint=N_("The contract is in its currency; it must be able to pay for the line.")),
    Field("company_id", N_("Company"), "select", options="companies"),
    Field("capability_id", N_("Capability"), "select", options="capabilities"),
    Field("proposal_id", N_("Production line"), "select", required=False, options="proposals"),
    Field("units", N_("Units"), "integer", hint=N_("At least 1.")),
    Field("amount", N_("Amount"), "money", "amount_cents", hint=N_("In the pledge's currency.")),
    Field("schedule", N_("Schedule"), "longtext", hint=SCHEDULE_HINT),
    *ABROAD_FIELDS,
)  # fmt: skip

AMEND_FIELDS: tuple[Field, ...] = (
    Field("title", N_("Title"), "text", required=False),
    Field("units", N_("Units"), "integer", required=False,
          hint=N_("New units need a schedule adding up to them.")),
    Field("amount", N_("Amount"), "money", "amount_cents", required=False,
          hint=N_("In the contract's currency; not below what is committed already.")),
    Field("schedule", N_("Schedule"), "longtext", required=False, hint=SCHEDULE_HINT),
    *ABROAD_FIELDS,
    Field("reason", N_("Reason"), "longtext", hint=REASON_HINT),
)  # fmt: skip

TERMINATE_FIELDS = (Field("reason", N_("Reason"), "longtext", hint=REASON_HINT),)

FLOW_FIELDS: tuple[Field, ...] = (
    Field("amount", N_("Amount"), "money", "amount_cents", hint=MONEY_HINT),
    Field("currency", N_("Currency"), "select", options="currencies"),
    Field("value_date", N_("Value date"), "date", required=False,
          hint=N_("When the money moved; today if empty.")),
    Field("reference", N_("Reference"), "text", required=False,
          hint=N_("The payer's or payee's reference, e.g. a transfer number.")),
)  # fmt: skip

UNDER_COMMITMENT = Field("commitment_id", N_("Commitment"), "select", options="commitments")

DELIVERY_FIELDS: tuple[Field, ...] = (
    Field("delivered_on", N_("Delivered on"), "date", hint=DATE_HINT),
    Field("units", N_("Units"), "integer", hint=N_("Units handed over, at least 1.")),
    Field("destination", N_("Destination"), "text", required=False,
          hint=N_("Secret: shown to the coordinator and your firm only.")),
)  # fmt: skip

INSPECTION_FIELDS: tuple[Field, ...] = (
    Field("accepted_units", N_("Units accepted"), "integer",
          hint=N_("The rest are rejected with a claim.")),
    Field("claim_reason", N_("Why units are rejected"), "longtext", required=False,
          hint=N_("Needed when any unit is rejected.")),
    Field("claim_reference", N_("Claim reference"), "text", required=False),
)  # fmt: skip


@dataclass
class FormState:
    """What a form shows again: the values typed, the messages by field, and for a stale one
    what changed meanwhile."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    stale: Sequence[Any] | None = None


SCHEDULE_ITEM = re.compile(r"^\s*(\d{4}-\d{2})\s*[:=]\s*(\d{1,18})\s*$")


def parse_schedule(text: str, _: Gettext) -> dict[str, int]:
    """``2026-05: 100, 2026-06: 100`` (commas, semicolons or new lines between months)."""
    schedule: dict[str, int] = {}
    for item in (i for i in re.split(r"[,;\n]+", text) if i.strip()):
        found = SCHEDULE_ITEM.match(item)
        if found is None:
            raise ValueError(_("Write each month as YYYY-MM: units, e.g. 2026-05: 100."))
        month, units = found.group(1), int(found.group(2))
        schedule[month] = schedule.get(month, 0) + units
    if not schedule:
        raise ValueError(_("Enter at least one month with its units."))
    return schedule


def schedule_text(schedule: Mapping[str, int]) -> str:
    return ", ".join(f"{month}: {units}" for month, units in sorted(schedule.items()))


TRANSLATED: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"pledge (?P<pledge>\S+) has (?P<free>.+) free; a contract of (?P<asked>.+) cannot be "
         r"drawn from it",
         N_("Pledge %(pledge)s has %(free)s free: a contract of %(asked)s cannot be drawn from "
            "it.")),
        (r"pledge (?P<pledge>\S+) has (?P<free>.+) free; (?P<asked>.+) asked",
         N_("Pledge %(pledge)s has %(free)s free; you asked for %(asked)s.")),
        (r"contract (?P<contract>\S+) has only (?P<left>.+) left to commit",
         N_("Only %(left)s of this contract's amount is left to commit.")),
        (r"commitment (?P<commitment>\S+) has only (?P<left>.+) left to disburse",
         N_("Only %(left)s of commitment %(commitment)s is left to pay.")),
        (r"only (?P<left>.+) disbursed under (?P<commitment>\S+) is not yet spent",
         N_("Only %(left)s paid under %(commitment)s is not yet spent.")),
        (r"contract (?P<contract>\S+) has (?P<left>\d+) units left to deliver, not (?P<asked>\d+)",
         N_("This contract has %(left)s units left to deliver, not %(asked)s.")),
        (r"pledge (?P<pledge>\S+) may not pay for this line: (?P<reasons>.+)",
         N_("Pledge %(pledge)s may not pay for this line: %(reasons)s.")),
        (r"(?P<day>\S+) is in the future \(today is (?P<today>\S+)\)",
         N_("%(day)s is in the future (today is %(today)s).")),
        (r"(?P<day>\S+) is outside pledge (?P<pledge>\S+)'s validity (?P<window>\S+)",
         N_("%(day)s is outside the validity of pledge %(pledge)s (%(window)s).")),
        (r"the schedule sums to (?P<sum>\d+) units, the contract has (?P<units>\d+)",
         N_("The schedule adds up to %(sum)s units; the contract has %(units)s.")),
        (r"rejected units need a claim with a reason",
         N_("Say why units are rejected.")),
        (r"(?P<amount>.+) is committed to contract (?P<contract>\S+) already",
         N_("%(amount)s is committed to this contract already.")),
        (r"say why the contract is terminated", N_("Say why the contract is terminated.")),
        (r"change at least one term or the schedule",
         N_("Change at least one term or the schedule.")),
    )
)  # fmt: skip


def translated(message: str, _: Gettext) -> str:
    """A service message in the reader's language where it is a common one (amounts kept)."""
    for pattern, text in TRANSLATED:
        found = pattern.search(message)
        if found:
            return _(text) % found.groupdict()
    return message


FIELD_PREFIX = re.compile(r"^(?P<field>[a-z_]+): (?P<message>.+)$", re.DOTALL)


def service_errors(exc: KuzniaError, fields: Sequence[Field], _: Gettext) -> dict[str, str]:
    """A service's refusal as messages by form field ("" for the whole form)."""
    names = {f.key: f.name for f in fields} | {f.name: f.name for f in fields}
    if isinstance(exc, InvalidInput):
        located = problem_messages(exc.problems, fields, _)
        return {k: translated(v, _) for k, v in located.items()}
    if isinstance(exc, (Conflict, NotFound, Forbidden)):
        found = FIELD_PREFIX.match(exc.message)
        if found and found.group("field") in names:
            return {names[found.group("field")]: translated(found.group("message"), _)}
        return {"": translated(exc.message, _)}
    return {"": exc.message}


PLAN_TITLE = re.compile(r"^(?P<units>\d+) units of (?P<capability>\S+) from line (?P<line>\S+)$")


def draft_query(line: FundedLine) -> str:
    """The by-hand form's address filled in with a funded line whose amount is above its
    pledge's free money: the same line, for the free money (the coordinator adjusts the units),
    titled as a plan's draft is (so every reader reads it in their language)."""
    free = line.free.amount if line.free is not None else ""
    title = f"{line.units} units of {line.capability_id} from line {line.proposal_id}"
    return "/contracts/new?" + urlencode({
        "title": title, "pledge_id": line.pledge_id, "company_id": line.company_id,
        "capability_id": line.capability_id, "proposal_id": line.proposal_id,
        "units": line.units, "amount": str(free), "schedule": schedule_text(line.schedule),
    })  # fmt: skip


def titles_name(titles: Sequence[str]) -> Wanted:
    """The capabilities and lines that titles kuznia wrote name (to look their names up)."""
    wanted = Wanted()
    for title in titles:
        found = PLAN_TITLE.match(title)
        if found is not None:
            wanted.capabilities.add(found.group("capability"))
            wanted.proposals.add(found.group("line"))
    return wanted


def contract_title(
    title: str, _: Gettext, parties: PartyNames | None = None, lang: str = "en"
) -> str:
    """A title kuznia wrote (a contract drawn from a plan) in the reader's language, with the
    capability's and the line's names where ``parties`` knows them; a title a person wrote as
    written."""
    found = PLAN_TITLE.match(title)
    if found is None:
        return title
    words = found.groupdict()
    if parties is not None:
        capability = words["capability"]
        words["capability"] = name_of(parties.of("capabilities"), capability, lang)
        words["line"] = line_place(parties, words["line"], lang)
    return _("%(units)s units of %(capability)s from line %(line)s") % words
