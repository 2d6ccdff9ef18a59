"""What the plan workbook says for each unmet reason, binding limit and plan status."""

from __future__ import annotations

from kuznia.scenario.plan import BindingLimit, PlanStatus, UnmetReason

REASONS = {
    UnmetReason.NO_CAPACITY: "no proposal offers this capability",
    UnmetReason.TOO_LATE: "no line of this capability can deliver inside the horizon",
    UnmetReason.NO_ELIGIBLE_FUNDING: "lines could deliver in time, but no pledge may pay for them",
    UnmetReason.INSUFFICIENT_BUDGET: "capacity was left unused because the money ran out",
    UnmetReason.INSUFFICIENT_CAPACITY: "every unit that can be paid for and arrive in time is made",
}

LIMITS = {
    BindingLimit.NO_PROPOSAL: "a proposal for this capability is needed",
    BindingLimit.HORIZON: "every line delivers too late: earlier lines or a longer horizon",
    BindingLimit.EARMARKS: "money is left in pledges whose earmarks exclude these lines",
    BindingLimit.WINDOWS: "money is left in pledges not valid when these lines can make units",
    BindingLimit.BUDGET: "every pledge that may pay for these lines is spent",
    BindingLimit.CAPACITY: "every line that can deliver in time is full",
}

STATUS_NOTES = {
    PlanStatus.OPTIMAL: "the best plan, proven within the MIP gap",
    PlanStatus.FEASIBLE: "a valid plan, not proven the best",
    PlanStatus.INFEASIBLE: "no valid plan exists: see the notes",
    PlanStatus.ERROR: "the solver failed: see the notes",
}
