"""Error codes of guests' answers, shown to API clients as `GuestErrorCode`. The checks they
reuse (names, emails, needs) raise the directory's and the convenings' codes of the same name."""

import enum


class GuestErrorCode(enum.StrEnum):
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    INVALID = "INVALID"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    INVALID_EMAIL = "INVALID_EMAIL"
    # No PUBLIC convening has that id: one that is not PUBLIC is not told apart from none.
    UNKNOWN_CONVENING = "UNKNOWN_CONVENING"
    UNKNOWN_ORGANIZATION = "UNKNOWN_ORGANIZATION"
    UNKNOWN_PERSON = "UNKNOWN_PERSON"
    CONVENING_CANCELLED = "CONVENING_CANCELLED"
    CONVENING_PAST = "CONVENING_PAST"
    DEADLINE_PASSED = "DEADLINE_PASSED"
    INTERPRETATION_NOT_OFFERED = "INTERPRETATION_NOT_OFFERED"
    NEGATIVE_CHILDCARE = "NEGATIVE_CHILDCARE"
    CHILDCARE_TOO_LARGE = "CHILDCARE_TOO_LARGE"
    GUEST_RATE_LIMITED = "GUEST_RATE_LIMITED"
    # The link is unknown, expired, or replaced by a newer one for the same answer.
    INVALID_TOKEN = "INVALID_TOKEN"
    NOT_A_GUEST = "NOT_A_GUEST"
    ALREADY_AFFILIATED = "ALREADY_AFFILIATED"


def guest_code(code: enum.Enum) -> GuestErrorCode:
    """The guest code of a reused check's code (they share names); INVALID for any other."""
    return GuestErrorCode.__members__.get(code.name, GuestErrorCode.INVALID)
