"""Who may see and do what: the one access policy, stated as data, for every entity and field."""
