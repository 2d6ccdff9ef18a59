"""Transparency: the tamper-evident log (leaves, nodes, openings), signed checkpoints, and the
audit trail."""
