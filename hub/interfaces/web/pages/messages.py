"""The API's error codes in words for a person, translated by the templates (`_()`), so no
service's English message ever reaches a page read in Spanish."""

from __future__ import annotations

from functools import cache


def N_(message: str) -> str:
    """Marks a message for extraction; the template translates it when it shows it."""
    return message


GENERIC = N_("This cannot be saved. Check the value and try again.")


@cache
def error_messages() -> dict[str, str]:
    return {
        "REQUIRED": N_("Fill this in."),
        "TOO_LONG": N_("This is too long."),
        "UNKNOWN_CONVENING": N_("This convening no longer exists."),
        "UNKNOWN_PERSON": N_("Choose a person from the list."),
        "UNKNOWN_ORGANIZATION": N_("Choose an organization from the list."),
        "UNKNOWN_RSVP": N_("That answer no longer exists."),
        "CONVENING_CANCELLED": N_("This convening was cancelled: it takes no answers."),
        "CONVENING_PAST": N_("This convening is over: it takes no answers."),
        "DEADLINE_PASSED": N_("The deadline for answers has passed."),
        "ORGANIZATION_REQUIRED": N_("Choose the organization this person comes for."),
        "NOT_A_CONTACT": N_("Only the organization's contacts may answer for its people."),
        "OUTSIDE_ORGANIZATION": N_("This person is not in that organization."),
        "DELEGATE_LIMIT_REACHED": N_(
            "Your organization has reached its delegate limit for this convening."
        ),
        "INTERPRETATION_NOT_OFFERED": N_("Interpretation into this language is not offered here."),
        "NEGATIVE_CHILDCARE": N_("Enter a number of children, 0 or more."),
        "ALREADY_CANCELLED": N_("This answer was already withdrawn."),
        "VOTING_NOT_OPEN": N_("Voting on this proposal is not open."),
        "VOTING_CLOSED": N_("Voting on this proposal has closed."),
        "NOT_ELIGIBLE": N_("Your seat may not vote on this proposal."),
        "SEAT_REQUIRED": N_("Choose the seat you vote for."),
        "BLOCK_ONLY_UNDER_CONSENSUS": N_("BLOCK is a choice under the consensus rule only."),
        "INVALID_EMAIL": N_("Enter an email address, such as name@example.org."),
        "INVALID_PHONE": N_("Enter a phone number: digits, spaces and + - ( ) only."),
        "INVALID_CHARACTERS": N_("Write this on one line, without control characters."),
        "NOT_A_GUEST": N_("This person is no longer a guest: they were attached already."),
        "ALREADY_AFFILIATED": N_("This person already belongs to that organization."),
        "GUEST_RATE_LIMITED": N_("Too many answers from this address. Wait an hour and try again."),
        "RATE_LIMITED": N_("Too many sign-in requests. Wait 15 minutes and try again."),
        "INVALID_SCOPES": N_("Choose read, or read and write."),
        "EXPIRY_IN_THE_PAST": N_("Choose an expiry date in the future."),
        "EXPIRY_TOO_FAR": N_("A token lasts at most a year: choose an earlier date."),
        "NOT_FOUND": N_("Nobody in the hub has that email."),
        "ALREADY_ADMIN": N_("This person is an admin already."),
        "NOT_ADMIN": N_("This person is not an admin."),
        "LAST_ADMIN": N_("The hub needs an admin: make someone else an admin first."),
        "NOT_IN_DISCUSSION": N_(
            "Comments are taken while the proposal is in discussion: voting has opened."
        ),
        "REPLY_TO_REPLY": N_("Reply to the comment that began the thread."),
        "UNKNOWN_COMMENT": N_("That comment no longer exists."),
        "COMMENT_WITHDRAWN": N_("This comment was withdrawn."),
        "COMMENT_HIDDEN": N_("This comment was hidden by an admin."),
        "UNKNOWN_AMENDMENT": N_("That amendment no longer exists."),
        "AMENDMENT_DECIDED": N_("This amendment was decided already."),
        "AMENDMENT_OUTDATED": N_(
            "The text changed after this amendment was written: propose it again on the new text."
        ),
        "NO_CHANGE": N_("The amendment must change the text."),
        "REASON_ON_SECRET_BALLOT": N_("A secret ballot takes no reasons."),
        "NOT_DECIDED": N_("Follow-up actions are for decided proposals."),
        "UNKNOWN_ACTION": N_("That follow-up action no longer exists."),
        "INVALID_ACTION_STATUS": N_("Choose open, done or dropped."),
        "DUPLICATE_EMAIL": N_("Someone in the hub has this email: find them by name instead."),
        "FORM_KEY_REQUIRED": N_("This form is out of date: reload the page and try again."),
        "TEXT_FROZEN": N_("The text froze when voting opened: it takes no more amendments."),
        "EDIT_FROZEN": N_(
            "Voting has opened on this proposal: its text, sponsors and origin can no longer "
            "change."
        ),
        "NOT_AFFILIATED": N_("A seat is held by a person of its own organization."),
        "SAME_PERSON": N_("The holder and the alternate must be two people."),
        "ALTERNATE_WITHOUT_HOLDER": N_("A seat with an alternate needs a holder."),
        "UNKNOWN_SEAT": N_("This organization has no seat."),
        "UNKNOWN_PROPOSAL": N_("This proposal no longer exists."),
        "INVALID_STATUS_CHANGE": N_("The proposal cannot move there from where it is now."),
        "INVALID_QUORUM": N_(
            "Give the quorum as a percentage of the seats, above 0 and at most 100."
        ),
        "INVALID_TIME": N_("Enter a date and time."),
        "CLOSES_IN_PAST": N_("Choose a close in the future."),
        "CLOSES_BEFORE_OPENING": N_("Voting must close after it opens: choose a later close."),
        "NO_ELIGIBLE_SEATS": N_("No seat has a holder: seat the committee first."),
        "SECRET_BALLOT_KEY_MISSING": N_(
            "The hub has no key to seal secret ballots: choose a recorded ballot."
        ),
    }


def field_errors(errors: list[dict[str, str]]) -> dict[str, str]:
    """Payload errors by the input field they name (the form's own field names); errors
    about the input as a whole under ""."""
    by_field: dict[str, str] = {}
    for error in errors:
        field = (error.get("field") or "").removeprefix("needs.")
        by_field.setdefault(field, error["code"])
    return by_field
