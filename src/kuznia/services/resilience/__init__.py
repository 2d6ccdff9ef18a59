"""Resilience: risk classes and each site's class (the coordinator's), the disruption model
built from them, evaluations of stored plans as background jobs, and reading them under
need-to-know (a reader who may not see a site's location sees "site A in risk class X")."""
