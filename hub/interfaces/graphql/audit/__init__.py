"""The admins' audit trail: `auditEvents` and `auditActions`."""
