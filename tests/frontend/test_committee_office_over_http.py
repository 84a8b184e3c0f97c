"""The committee's back office over plain HTTP: refused to a member and to an anonymous
reader, page and form alike, with nothing changed; a form sent twice writes once (a new
proposal, an open vote); and an edit sent after voting opened is refused in words."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from hub.infrastructure.models import CommitteeSeat, EligibleSeat, GovernanceEvent, Proposal
from hub.infrastructure.models.governance import GovernanceAction, ProposalStatus
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_member
from tests.factories import create_admin, create_organization
from tests.frontend.over_http import csrf_of, plain, sign_in_over_http
from tests.governance.factories import create_committee, create_open_vote, create_proposal

KEY = re.compile(r'name="idempotencyKey" value="([^"]+)"')


async def written(session) -> tuple[int, ...]:
    found = [
        int(await session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (Proposal, GovernanceEvent, EligibleSeat)
    ]
    active = await session.scalar(select(func.count()).where(CommitteeSeat.active))
    statuses = tuple(await session.scalars(select(Proposal.status).order_by(Proposal.id)))
    await session.commit()
    return (*found, int(active or 0), *statuses)


async def arrange(session):
    admin = await create_admin(session)
    committee = await create_committee(session, 2)
    member = await create_member(session, await create_organization(session), name="Mo Member")
    discussed = await create_proposal(session, title="Discussed")
    await session.commit()
    return admin, committee, member, discussed


def gid(type_name: str, pk: int) -> str:
    return str(to_global_id(type_name, pk))


def forms(committee, discussed) -> list[tuple[str, dict[str, str]]]:
    """Every form of the back office, each filled as an admin would."""
    organization = gid("Organization", committee[0].organization.id)
    proposal = gid("Proposal", discussed.id)
    closes = (datetime.now(ZoneInfo("America/Los_Angeles")) + timedelta(days=2)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    return [
        (
            f"/manage/committee/seats/{organization}",
            {"holderId": gid("Person", committee[0].alternate.id)},
        ),
        (f"/manage/committee/seats/{organization}/vacate", {}),
        ("/manage/proposals/new", {"title": "Sneaked in", "idempotencyKey": "k1"}),
        (f"/manage/proposals/{proposal}/edit", {"title": "Changed"}),
        (f"/manage/proposals/{proposal}/status", {"status": "WITHDRAWN"}),
        (
            f"/manage/proposals/{proposal}/open-voting",
            {"rule": "MAJORITY", "quorum": "50", "ballot": "RECORDED", "closesAt": closes},
        ),
        (f"/manage/proposals/{proposal}/close-voting", {}),
    ]


def pages(committee, discussed) -> list[str]:
    organization = gid("Organization", committee[0].organization.id)
    return [
        "/manage/committee",
        f"/manage/committee/seats/{organization}",
        "/manage/proposals",
        "/manage/proposals/new",
        f"/manage/proposals/{gid('Proposal', discussed.id)}/edit",
    ]


@pytest.mark.parametrize("who", ["member", "anonymous"])
async def test_the_back_office_is_refused_and_changes_nothing(
    session, http: httpx.AsyncClient, runtime: Runtime, who: str
) -> None:
    _, committee, member, discussed = await arrange(session)
    if who == "member":
        await sign_in_over_http(http, runtime, member)
    token = csrf_of(await http.get("/me" if who == "member" else "/signin"))
    before = await written(session)

    for path in pages(committee, discussed):
        answer = await http.get(path)
        if who == "member":
            assert answer.status_code == 403, path
            assert "Coalition Hub" in answer.text and 'name="title"' not in answer.text
        else:
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("/signin?next=")
    for path, fields in forms(committee, discussed):
        answer = await http.post(path, data={"csrf_token": token, **fields})
        expected = 403 if who == "member" else 303
        assert answer.status_code == expected, path
        if who == "anonymous":
            assert answer.headers["location"].startswith("/signin?next="), path

    assert await written(session) == before


async def test_a_new_proposal_sent_twice_is_one_proposal(
    session, http: httpx.AsyncClient, runtime: Runtime
) -> None:
    admin, _, _, _ = await arrange(session)
    await sign_in_over_http(http, runtime, admin)
    form = await http.get("/manage/proposals/new")
    fields = {
        "csrf_token": csrf_of(form),
        "idempotencyKey": KEY.search(form.text).group(1),  # type: ignore[union-attr]
        "title": "Fund two youth organizers",
        "body": "Two positions.",
    }

    answers = [await http.post("/manage/proposals/new", data=fields) for _ in range(2)]

    assert [a.status_code for a in answers] == [303, 303]
    assert answers[0].headers["location"] == answers[1].headers["location"]
    titles = await session.scalars(select(Proposal.title).order_by(Proposal.id))
    assert list(titles) == ["Discussed", "Fund two youth organizers"]
    await session.commit()


async def test_opening_voting_twice_opens_one_window(
    session, http: httpx.AsyncClient, runtime: Runtime
) -> None:
    admin, _, _, discussed = await arrange(session)
    await sign_in_over_http(http, runtime, admin)
    path = f"/manage/proposals/{gid('Proposal', discussed.id)}"
    token = csrf_of(await http.get(f"{path}/edit"))
    closes = datetime.now(ZoneInfo(runtime.settings.time_zone)) + timedelta(days=2)
    fields = {
        "csrf_token": token,
        "rule": "MAJORITY",
        "quorum": "50",
        "ballot": "RECORDED",
        "closesAt": closes.strftime("%Y-%m-%dT%H:%M"),
    }

    answers = [await http.post(f"{path}/open-voting", data=fields) for _ in range(2)]

    assert [a.status_code for a in answers] == [303, 303]
    opened = await session.scalar(
        select(func.count()).where(GovernanceEvent.action == GovernanceAction.VOTING_OPENED)
    )
    eligible = await session.scalar(select(func.count()).select_from(EligibleSeat))
    await session.commit()
    assert (opened, eligible) == (1, 2)
    page = await http.get(f"{path}/edit")
    assert "Voting is open." in plain(page.text)


async def test_bad_voting_terms_are_refused_beside_their_fields_in_spanish(
    session, http: httpx.AsyncClient, runtime: Runtime
) -> None:
    admin, _, _, discussed = await arrange(session)
    await sign_in_over_http(http, runtime, admin)
    http.cookies.set("hub_lang", "es", domain="hub.test")
    path = f"/manage/proposals/{gid('Proposal', discussed.id)}"
    token = csrf_of(await http.get(f"{path}/edit"))
    before = await written(session)

    answer = await http.post(
        f"{path}/open-voting",
        data={
            "csrf_token": token,
            "rule": "MAJORITY",
            "quorum": "0",
            "ballot": "RECORDED",
            "opensAt": "mañana",
            "closesAt": "not a time",
        },
    )

    assert answer.status_code == 422
    assert 'id="opensAt-error">Escriba una fecha y una hora.' in answer.text
    assert 'id="closesAt-error">Escriba una fecha y una hora.' in answer.text
    assert await written(session) == before
    answer = await http.post(
        f"{path}/open-voting",
        data={
            "csrf_token": token,
            "rule": "MAJORITY",
            "quorum": "0",
            "ballot": "RECORDED",
            "closesAt": "2099-01-01T10:00",
        },
    )
    assert answer.status_code == 422
    assert 'id="quorum-error">Indique el quórum como porcentaje' in answer.text
    assert await written(session) == before


async def test_an_edit_after_voting_opened_is_refused_in_words(
    session, http: httpx.AsyncClient, runtime: Runtime
) -> None:
    admin, _, _, _ = await arrange(session)
    voting = await create_open_vote(session, title="Frozen text", admin=admin)
    await session.commit()
    await sign_in_over_http(http, runtime, admin)
    path = f"/manage/proposals/{gid('Proposal', voting.id)}/edit"
    token = csrf_of(await http.get(path))
    before = await written(session)

    answer = await http.post(path, data={"csrf_token": token, "title": "Thawed", "body": "x"})

    assert answer.status_code == 422
    frozen = "Voting has opened on this proposal: its text, sponsors and origin can no longer"
    # The page's word, and the refused form's error
    assert plain(answer.text).count(frozen) == 2
    assert await written(session) == before
    assert ProposalStatus.VOTING in before


async def test_a_window_opening_tomorrow_shows_its_start_and_no_ballot_yet(
    session, http: httpx.AsyncClient, runtime: Runtime
) -> None:
    admin, committee, _, discussed = await arrange(session)
    await sign_in_over_http(http, runtime, admin)
    path = f"/manage/proposals/{gid('Proposal', discussed.id)}"
    opens = datetime.now(ZoneInfo(runtime.settings.time_zone)) + timedelta(days=1)
    fields = {
        "csrf_token": csrf_of(await http.get(f"{path}/edit")),
        "rule": "MAJORITY",
        "quorum": "50",
        "ballot": "RECORDED",
        "opensAt": opens.strftime("%Y-%m-%dT%H:%M"),
        "closesAt": (opens + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
    }

    opened = await http.post(f"{path}/open-voting", data=fields)

    assert opened.status_code == 303
    http.cookies.clear()
    await sign_in_over_http(http, runtime, committee[0].holder)
    page = await http.get(f"/proposals/{gid('Proposal', discussed.id)}")
    assert "<dt>Voting opens</dt>" in page.text
    assert "/vote" not in page.text  # no ballot form until the start
