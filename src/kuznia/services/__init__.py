"""Use cases: where transactions begin and end, authorization is decided and changes are logged."""
