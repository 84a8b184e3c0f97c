"""The proxy form over HTTP: a seat's alternate gives the seat's proxy in writing, a refused
one says why and changes nothing, and revoking it leaves it listed as revoked."""

from __future__ import annotations

from sqlalchemy import func, select

from hub.infrastructure.models import Proxy
from hub.interfaces.graphql.node import to_global_id
from tests.frontend.over_http import csrf_of, plain, read, sign_in_over_http
from tests.governance.factories import create_committee
from tests.governance.meeting_factories import create_meeting


async def test_an_alternate_gives_and_revokes_the_seat_s_proxy_by_the_form(session, http, runtime):
    giving, carrier, busy = await create_committee(session, 3)
    meeting = await create_meeting(session)
    await session.commit()
    url = f"/convenings/{to_global_id('Convening', meeting.id)}/proxy"
    seat_id = str(to_global_id("CommitteeSeat", carrier.seat.id))
    mine = str(to_global_id("CommitteeSeat", giving.seat.id))
    await sign_in_over_http(http, runtime, giving.alternate)

    form = await read(http, url, language="en")
    assert form.status_code == 200
    assert f'name="seatId" value="{mine}"' in form.text
    assert f"{carrier.holder.name} · {carrier.organization.name}" in form.text
    given = await http.post(
        url, data={"seatId": mine, "toSeatId": seat_id, "csrf_token": csrf_of(form)}
    )
    assert given.status_code == 303
    listed = await http.get(url)
    assert "Your seat's proxy is given." in plain(listed.text)
    assert f"{giving.organization.name} to {carrier.holder.name}" in plain(listed.text)

    # A second proxy of the same seat is refused, says why, and adds nothing
    again = await http.post(
        url,
        data={
            "seatId": mine,
            "toSeatId": str(to_global_id("CommitteeSeat", busy.seat.id)),
            "csrf_token": csrf_of(listed),
        },
    )
    assert again.status_code == 422
    assert "Your seat has already given its proxy: revoke it first." in plain(again.text)
    assert await session.scalar(select(func.count()).select_from(Proxy)) == 1
    proxy = await session.scalar(select(Proxy))
    await session.commit()

    revoke = {"proxyId": str(to_global_id("Proxy", proxy.id)), "csrf_token": csrf_of(again)}
    revoked = await http.post(f"{url}/revoke", data=revoke, follow_redirects=True)
    assert "The proxy is revoked." in revoked.text
    assert "(revoked)" in plain(revoked.text)

    # And in Spanish
    spanish = await read(http, url, language="es")
    assert "Dar el poder" in spanish.text
