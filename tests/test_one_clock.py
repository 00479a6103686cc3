"""One clock: no network fact may be decided by the server's date or zone.

The network's date comes from `Network.today()` / `Network.localtime()` (or a meeting's own zone).
These forms read the server's clock in its own zone, or the zone a request happened to activate.
"""

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "convene"
SERVER_CLOCK = re.compile(
    r"timezone\.localdate\(\)"  # the active zone's date
    r"|\bdate\.today\("  # the server's date
    r"|\bdatetime\.now\(\)"  # a naive server time
    r"|timezone\.localtime\([^,()]*\)"  # an instant in whatever zone is active
)


def test_no_code_reads_the_servers_date_for_a_network():
    offenders = [
        f"{path.relative_to(SOURCE.parent)}:{n}: {line.strip()}"
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SERVER_CLOCK.search(line)
    ]
    assert offenders == []


def test_the_guard_catches_each_form():
    for line in ["timezone.localdate()", "datetime.date.today()", "datetime.now()", "timezone.localtime(x)"]:
        assert SERVER_CLOCK.search(line), line
    assert not SERVER_CLOCK.search("network.today()")
