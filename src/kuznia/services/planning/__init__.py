"""Planning: plans computed from the registries' scenario, stored, compared, what-ifs, and the
aggregates the overview pages show."""
