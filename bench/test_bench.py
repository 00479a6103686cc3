"""The benchmark's CI mode: only what is stable on a noisy machine, no timings.

Every key page costs the same number of queries when the data grows tenfold: ten times the
networks, ten times the members and years of meetings, agendas of 30 items instead of 3 and 50
attendance rows instead of 4 at the meeting measured.
"""

from bench import pages, synth


def counts(made) -> dict[str, int]:
    return {page.name: pages.queries_and_sql_time(page, repeat=1)[0] for page in pages.key_pages(made)}


def test_queries_per_key_page_do_not_grow_with_tenfold_data(db, settings):
    settings.ROOT_URLCONF = "bench.urls"  # with the floor page
    small = synth.build(
        synth.Scale(
            networks=2,
            min_members=3,
            max_members=4,
            working_groups=1,
            audit_rows_per_network=20,
            years=1,
            min_items=2,
            max_items=3,
            flagship_members=4,
            decisions=5,
            actions=20,
            flagship_decisions=10,
            flagship_actions=40,
            flagship_activities=20,
            flagship_statements=3,
            flagship_releases=5,
        ),
        prefix="small",
    )
    big = synth.build(
        synth.Scale(
            networks=20, min_members=30, max_members=40, working_groups=1, audit_rows_per_network=200
        ),
        prefix="big",
    )
    for made, items, rows in ((small, 3, 4), (big, 30, 50)):
        # The meeting measured is one of the fullest of its network, with minutes against each item.
        fullest, anchor = pages.fullest_meeting(made.flagship), made.anchor
        assert (fullest.items, fullest.rows) == (items, rows)
        assert (anchor.agenda_items.count(), anchor.attendance.count()) == (items, rows)
        assert anchor.minutes.get().items.count() == items
    before, after = counts(small), counts(big)
    assert {"statement (50 clearances)", "public page (200 released)", "public feed"} <= set(after)
    assert before == after
    # 16 for the network home: session and user (2), the network and the user's seats (2), the structure (3),
    # the rules (1), one query per kind of record a rule is measured from (meetings, co-chair terms,
    # this year's workplan, issued reports, statements delivered: 5) and what the person owes (minutes
    # and suggestions, proposals, actions: 3). None per body, rule or record; other pages stay within 12.
    home = {name: n for name, n in after.items() if name.startswith("network home")}
    assert max(home.values()) <= 16, after
    assert {name: n for name, n in after.items() if name not in home and n > 12} == {}
