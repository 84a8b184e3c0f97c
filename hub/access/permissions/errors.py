"""Refusals. These surface as GraphQL errors (not payload errors): the caller cannot fix them
by changing the input."""


class Forbidden(Exception):
    code = "FORBIDDEN"

    def __init__(self, message: str = "You are not allowed to do this.") -> None:
        super().__init__(message)


class NotSignedIn(Forbidden):
    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "Sign in to do this.") -> None:
        super().__init__(message)
