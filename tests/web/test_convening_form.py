"""The scheduling form read into the API's input: what the page itself can tell is wrong (a
number that is no number, a time that is no time, a choice not offered) is reported beside
its field, and the rest passes on for the API to decide."""

from __future__ import annotations

import pytest
from starlette.datastructures import FormData

from hub.interfaces.web.pages.convening_form import (
    api_errors,
    read_fields,
    shown_fields,
    zone_choices,
)

pytestmark = pytest.mark.database_independent


def test_a_filled_form_becomes_the_input_with_times_on_the_zones_clock():
    form = FormData(
        {
            "title": "January strategy session",
            "kind": "STRATEGY_SESSION",
            "visibility": "PUBLIC",
            "startsAt": "2031-01-27T09:00",
            "endsAt": "2031-01-27T15:00",
            "rsvpDeadline": "",
            "timeZone": "America/Los_Angeles",
            "capacity": "70",
            "delegateLimit": "",
            "languages": "es, ko",
            "venueName": " SCOPE ",
            "virtualUrl": "",
        }
    )
    errors: dict[str, str] = {}
    given = read_fields(form, errors)
    assert errors == {}
    assert given["startsAt"] == "2031-01-27T09:00:00"  # no offset: read in timeZone
    assert given["rsvpDeadline"] is None
    assert (given["capacity"], given["delegateLimit"]) == (70, None)
    assert given["languages"] == ["es", "ko"]
    assert (given["venueName"], given["virtualUrl"]) == ("SCOPE", None)


def test_what_the_page_can_tell_is_reported_beside_its_field():
    form = FormData(
        {"kind": "PARTY", "visibility": "MEMBERS", "capacity": "lots", "startsAt": "soon"}
    )
    errors: dict[str, str] = {}
    read_fields(form, errors)
    assert errors == {"capacity": "NOT_A_NUMBER", "startsAt": "NOT_A_TIME", "kind": "CHOOSE_ONE"}


def test_the_apis_fields_land_on_the_forms_fields():
    errors = [
        {"field": "hostIds", "code": "NOT_YOUR_ORGANIZATION"},
        {"field": "recurrence.until", "code": "TOO_MANY_OCCURRENCES"},
        {"field": "endsAt", "code": "ENDS_BEFORE_START"},
    ]
    assert api_errors(errors) == {
        "host1": "NOT_YOUR_ORGANIZATION",
        "until": "TOO_MANY_OCCURRENCES",
        "endsAt": "ENDS_BEFORE_START",
    }


def test_a_stored_convening_is_shown_on_its_own_clock():
    shown = shown_fields(
        {
            "title": "Committee",
            "startsAt": "2031-07-10T10:00:00-07:00",
            "endsAt": "2031-07-10T12:00:00-07:00",
            "rsvpDeadline": None,
            "capacity": None,
            "delegateLimit": 2,
            "kind": "COMMITTEE_MEETING",
            "visibility": "COMMITTEE",
            "timeZone": "America/Los_Angeles",
            "languages": ["es"],
            "series": {"slug": "2031"},
            "hosts": [{"name": "SCOPE"}],
        }
    )
    assert (shown["startsAt"], shown["rsvpDeadline"]) == ("2031-07-10T10:00", "")
    assert (shown["capacity"], shown["delegateLimit"]) == ("", "2")
    assert (shown["series"], shown["host1"], shown["languages"]) == ("2031", "SCOPE", "es")


def test_the_us_zones_come_first_and_every_zone_is_offered():
    us, others = zone_choices()
    assert us[0] == "America/Los_Angeles"
    assert "Europe/Madrid" in others and "America/Los_Angeles" not in others
