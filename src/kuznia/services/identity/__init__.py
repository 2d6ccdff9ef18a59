"""Identity: organisations, users, passwords, sessions and API tokens."""
