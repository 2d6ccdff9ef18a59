"""An independent plan validator: the six validity rules of ALLOCATION.md and the value.

It shares no code with the optimizer (``kuznia.allocation``) beyond the file models, so a bug in
one is caught by the other. ``check_plan`` returns violations; an empty list means valid.
"""

from kuznia.plancheck.check import Violation, check_plan, recompute_value

__all__ = ["Violation", "check_plan", "recompute_value"]
