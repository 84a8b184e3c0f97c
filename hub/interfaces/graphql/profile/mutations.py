"""`updateMyProfile` (the signed-in person's own name, phone, language and email choices) and
`unsubscribe` (an email's link: its token is the authority, no sign-in needed)."""

from __future__ import annotations

import strawberry

from hub.common.unset import UNSET
from hub.delivery.email import preferences
from hub.delivery.email.preferences import EmailCategory
from hub.domains.directory import profile
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.directory.enums import Language
from hub.interfaces.graphql.directory.types import Person
from hub.interfaces.graphql.mutation import attempt
from hub.interfaces.graphql.profile.types import (
    ProfileError,
    UnsubscribeError,
    UnsubscribeErrorCode,
)

Info = strawberry.Info[Context, None]


@strawberry.input(description="Only the fields given change.")
class UpdateMyProfileInput:
    name: str | None = strawberry.UNSET
    phone: str | None = strawberry.field(
        default=strawberry.UNSET, description="Null or empty removes it."
    )
    preferred_language: Language | None = strawberry.field(
        default=strawberry.UNSET, description="The language the hub writes to you in."
    )
    email_categories: list[EmailCategory] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The kinds of email you get; those left out stop. Transactional mail "
        "(about what you answered, sign-in links) always goes.",
    )


@strawberry.type
class UpdateMyProfilePayload:
    person: Person | None
    email_categories: list[EmailCategory] | None
    errors: list[ProfileError]


@strawberry.input
class UnsubscribeInput:
    token: str = strawberry.field(description="The token of the email's unsubscribe link.")


@strawberry.type
class UnsubscribePayload:
    category: EmailCategory | None = strawberry.field(description="The kind of email stopped.")
    errors: list[UnsubscribeError]


def _given(value: object) -> object:
    return UNSET if value is strawberry.UNSET else value


def _change(input: UpdateMyProfileInput) -> profile.ProfileChange:
    name, language = _given(input.name), _given(input.preferred_language)
    return profile.ProfileChange(
        name="" if name is None else name,  # type: ignore[arg-type]
        phone=_given(input.phone),  # type: ignore[arg-type]
        preferred_language=UNSET if language is None else language,  # type: ignore[arg-type]
        email_categories=(
            UNSET if input.email_categories is strawberry.UNSET else input.email_categories or []
        ),
    )


@strawberry.type
class ProfileMutation:
    @strawberry.mutation(
        description="Changes your own name, phone, language and the kinds of email you get."
    )
    async def update_my_profile(
        self, info: Info, input: UpdateMyProfileInput
    ) -> UpdateMyProfilePayload:
        context = info.context
        updated, errors = await attempt(
            context,
            lambda: profile.update_my_profile(context.session, context.viewer, _change(input)),
        )
        if updated is None:
            return UpdateMyProfilePayload(
                person=None,
                email_categories=None,
                errors=[
                    ProfileError(field=e.field, code=e.code, message=e.message)  # type: ignore[arg-type]
                    for e in errors
                ],
            )
        categories = await profile.email_categories(context.session, context.viewer)
        return UpdateMyProfilePayload(
            person=Person.from_model(updated), email_categories=categories, errors=[]
        )

    @strawberry.mutation(
        description="Stops the kind of email an unsubscribe link names, for the person it was "
        "sent to (again, harmlessly, on a second use). No sign-in: the link's token is the "
        "authority."
    )
    async def unsubscribe(self, info: Info, input: UnsubscribeInput) -> UnsubscribePayload:
        stopped = await preferences.unsubscribe(info.context.session, input.token)
        if stopped is None:
            refused = UnsubscribeError(
                field="token",
                code=UnsubscribeErrorCode.INVALID_TOKEN,
                message="This unsubscribe link is not valid.",
            )
            return UnsubscribePayload(category=None, errors=[refused])
        return UnsubscribePayload(category=stopped.category, errors=[])
