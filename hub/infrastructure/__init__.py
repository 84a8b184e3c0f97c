"""What every layer stands on: the models and their migrations, sessions and the driver, the replica
choice, settings, metrics and logs, keyset pagination, text search, request keys and the audit
trail."""
