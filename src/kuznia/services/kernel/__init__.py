"""The shared kernel of the use cases: the database and its units of work, who acts, row locks,
commit-ordered paging, money conversion at the planning rates, bulk upserts.

It imports no bounded context; every context imports it.
"""
