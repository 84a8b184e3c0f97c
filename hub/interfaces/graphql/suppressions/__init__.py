"""Email suppressions as admins see them: `emailSuppressions` and `liftSuppression`."""
