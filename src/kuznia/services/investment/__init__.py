"""Investment: where capacity is missing (the investor view) and which money would fund a
capacity project (matching), read from the current stored plan under need-to-know."""
