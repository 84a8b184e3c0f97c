"""The demo's convenings: the 2011 series as the seed documents tell it, and upcoming ones
with waitlists."""

from __future__ import annotations

from hub.demo.convenings import load_convenings
from hub.demo.directory import load_directory

SERIES = """
{ convenings(from: "2011-01-01T00:00:00Z", seriesSlug: "strategy-2011") { edges { node {
    title startsAt status hosts { name } counts { going organizationsRepresented attended }
} } } }
"""

UPCOMING = "{ convenings { edges { node { title capacity counts { going waitlisted } } } } }"


async def test_the_demo_holds_the_2011_series_and_upcoming_waitlists(session, gql):
    directory = await load_directory(session)
    demo = await load_convenings(session, directory)
    await session.commit()

    series = (await gql.data(SERIES, as_=directory.admin))["convenings"]["edges"]
    upcoming = (await gql.data(UPCOMING, as_=directory.admin))["convenings"]["edges"]

    assert demo.summary() == "6 convenings, 213 RSVPs"
    first = series[0]["node"]
    assert [s["node"]["startsAt"][:10] for s in series] == [
        "2011-01-27",
        "2011-07-21",
        "2011-10-13",
    ]
    assert first["startsAt"] == "2011-01-27T10:00:00-08:00"
    assert first["hosts"][0]["name"].endswith("(SCOPE)")
    assert first["status"] == "COMPLETED"
    assert (first["counts"]["going"], first["counts"]["organizationsRepresented"]) == (70, 44)
    assert "$28 billion" in series[1]["node"]["title"]
    full = [u["node"] for u in upcoming if u["node"]["counts"]["waitlisted"]]
    assert len(full) == 2
    assert all(u["counts"]["going"] == u["capacity"] for u in full)
