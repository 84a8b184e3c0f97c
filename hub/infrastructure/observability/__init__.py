"""What an operator sees of a running hub: Prometheus metrics at /metrics, one log line per
request carrying its request id, and logs as JSON or text.

Domain code depends on this package only through the small functions in `hooks.py`; the rest
is wired in by hub/app.py and hub/cli.py."""
