"""The benchmark's CI mode: only what is stable on a noisy machine, no timings.

Every key page costs the same number of queries when the data grows tenfold.
"""

from bench import pages, synth


def counts(made) -> dict[str, int]:
    return {page.name: pages.queries_and_sql_time(page, repeat=1)[0] for page in pages.key_pages(made)}


def test_queries_per_key_page_do_not_grow_with_tenfold_data(db):
    small = synth.build(
        synth.Scale(networks=2, min_members=3, max_members=4, working_groups=1, audit_rows_per_network=20),
        prefix="small",
    )
    big = synth.build(
        synth.Scale(
            networks=20, min_members=30, max_members=40, working_groups=1, audit_rows_per_network=200
        ),
        prefix="big",
    )
    before, after = counts(small), counts(big)
    assert before == after
    assert max(after.values()) <= 12, after
