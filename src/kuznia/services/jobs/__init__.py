"""Jobs: long work (plans, sweeps) queued in the database and run by workers in the background.

Durable (a job is a row: it survives a restart, and a worker that stops answering has its job
queued again), visible (queued, running with progress, done, failed with the reason) and
cancellable. See ``queue`` for the rules of a job's life and ``worker`` for how it is run.
"""
