"""The mistakes a person can make with credentials and admin rights."""

from __future__ import annotations

import enum


class CredentialErrorCode(enum.StrEnum):
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    INVALID_SCOPES = "INVALID_SCOPES"
    EXPIRY_IN_THE_PAST = "EXPIRY_IN_THE_PAST"
    EXPIRY_TOO_FAR = "EXPIRY_TOO_FAR"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_ADMIN = "ALREADY_ADMIN"
    NOT_ADMIN = "NOT_ADMIN"
    LAST_ADMIN = "LAST_ADMIN"
