"""The back office's browser steps, one module per area, for the issue's end-to-end walk."""
