"""`python -m bench`: synthetic data at scale, the app under gunicorn, and what each key page costs.

For every key page and API endpoint it measures, against a production server on loopback:
median and p95 latency (one client), requests per second under a bounded concurrent load, SQL
queries per request, HTML bytes (raw and gzip), the compressed bytes of the assets a first visit
loads, the raw time of the page's own SQL (so page time / SQL time says how close we are to the
database's limit) and the resident memory of a worker. It prints a table and writes JSON.

    python -m bench --db sqlite|postgres [--networks 100] [--requests 200] [--workers 1] [--out FILE]
    python -m bench --profile PAGE [--networks 10] [--requests 50]   # where a page's time goes

Each run starts from an empty database of its own (var/bench.sqlite3, or convene_bench on the
PostgreSQL server of --pg-url), so runs can be compared.
"""

import argparse
import gzip
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")  # the product, plus the floor page
# A throwaway deployment of its own: its own throwaway secret key.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, cookie: str, accept_encoding: str = "identity") -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": accept_encoding})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def timed_requests(port, path, cookie, n) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        status, _body, _h = get(port, path, cookie)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
    return times


def load(port, path, cookie, clients: int, seconds: float, max_requests: int) -> float:
    """Requests per second with `clients` concurrent clients; bounded in time and count."""
    done, stop_at, lock = [0], time.perf_counter() + seconds, threading.Lock()

    def client():
        while time.perf_counter() < stop_at:
            with lock:
                if done[0] >= max_requests:
                    return
                done[0] += 1
            get(port, path, cookie)

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / (time.perf_counter() - start)


def asset_bytes(port, html: bytes, cookie) -> tuple[int, int]:
    """Compressed bytes of the CSS/JS a first visit loads, and how many files."""
    paths = set(re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html))
    total = 0
    for p in paths:
        _s, body, _h = get(port, p.decode(), cookie, accept_encoding="br, gzip")
        total += len(body)
    return total, len(paths)


def worker_rss_mib(master_pid: int) -> float:
    rss = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss.append(int(line.split()[1]) / 1024)
    return max(rss) if rss else 0.0


def fresh_database(kind: str, pg_url: str) -> str:
    if kind == "sqlite":
        path = ROOT / "var" / "bench.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS convene_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE convene_bench")
    return f"{pg_url}/convene_bench"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--networks", type=int, default=100)
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per page")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--load-seconds", type=float, default=5)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--profile",
        metavar="PAGE",
        help="profile the pages whose name contains PAGE (in process, pyinstrument) instead of timing them",
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = fresh_database(args.db, args.pg_url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench import pages, synth

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Database: {engine} {settings.DATABASES['default']['NAME']}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    made = synth.build(synth.Scale(networks=args.networks))
    with connection.cursor() as cursor:
        # Fresh bulk-loaded tables have no planner statistics yet; a live database has them.
        cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - started
    counts = pages.row_counts()
    print(f"Built in {build_seconds:.1f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

    if args.profile:
        profile(pages.key_pages(made), args, engine)
        return
    report_seconds = pages.annual_report_seconds(made.flagship)
    print(f"Annual report of the largest network, from the records to the PDF: {report_seconds:.2f} s")
    targets = pages.key_pages(made)
    port = free_port()
    env = {**os.environ}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        results = []
        first_visit = None
        for page in targets:
            cookie = pages.session_cookie(page.user)
            queries, sql_ms = pages.queries_and_sql_time(page)
            timed_requests(port, page.path, cookie, 5)  # warm up
            times = timed_requests(port, page.path, cookie, args.requests)
            _s, body, _h = get(port, page.path, cookie)
            rps = load(port, page.path, cookie, args.clients, args.load_seconds, 20 * args.requests)
            median = statistics.median(times)
            row = {
                "page": page.name,
                "path": page.path,
                "median_ms": round(median, 2),
                "p95_ms": round(percentile(times, 0.95), 2),
                "rps": round(rps, 1),
                "queries": queries,
                "sql_ms": round(sql_ms, 2),
                "page_over_sql": round(median / sql_ms, 1) if sql_ms else None,
                "html_bytes": len(body),
                "html_gzip_bytes": len(gzip.compress(body)),
            }
            if first_visit is None and page.name != pages.FLOOR and body.lstrip().startswith(b"<!doctype"):
                assets, files = asset_bytes(port, body, cookie)
                first_visit = {
                    "page": page.name,
                    "assets_compressed_bytes": assets,
                    "asset_files": files,
                    "total_compressed_bytes": assets + row["html_gzip_bytes"],
                }
            results.append(row)
        rss = worker_rss_mib(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    connection.close()

    floor = next(r["median_ms"] for r in results if r["page"] == pages.FLOOR)
    for r in results:
        r["page_over_floor"] = round(r["median_ms"] / floor, 1)
    width = max(24, *(len(r["page"]) + 1 for r in results))
    print(f"{'page':<{width}}{'median':>8}{'p95':>8}{'×floor':>7}{'req/s':>8}{'SQL':>5}{'SQL ms':>8}", end="")
    print(f"{'×SQL':>6}{'HTML':>8}{'gzip':>7}")
    for r in results:
        ratio = f"{r['page_over_sql']:.1f}" if r["page_over_sql"] else "-"
        print(
            f"{r['page']:<{width}}{r['median_ms']:>8.1f}{r['p95_ms']:>8.1f}{r['page_over_floor']:>7.1f}"
            f"{r['rps']:>8.0f}{r['queries']:>5}{r['sql_ms']:>8.2f}{ratio:>6}{r['html_bytes']:>8}"
            f"{r['html_gzip_bytes']:>7}"
        )
    if first_visit:
        print(
            f"First visit ({first_visit['page']}): {first_visit['total_compressed_bytes']} bytes compressed, "
            f"{first_visit['asset_files']} asset files ({first_visit['assets_compressed_bytes']} bytes)"
        )
    print(f"Worker resident memory: {rss:.0f} MiB ({args.workers} worker(s), {args.clients} clients)")
    report = {
        "database": engine,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "scale": {"networks": args.networks, **counts},
        "build_seconds": round(build_seconds, 1),
        "workers": args.workers,
        "clients": args.clients,
        "requests_per_page": args.requests,
        "pages": results,
        "first_visit": first_visit,
        "worker_rss_mib": round(rss, 1),
        "annual_report_pdf_seconds": round(report_seconds, 2),
    }
    out = args.out or ROOT / "var" / "bench" / f"{engine}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"Wrote {out}")


def profile(key_pages, args, engine) -> None:
    """Where each page's time goes: `--requests` requests in process (the product's middleware,
    no HTTP server) timed, then as many sampled by pyinstrument; the call tree printed, and written
    as HTML."""
    from django.test import Client
    from pyinstrument import Profiler

    targets = [p for p in key_pages if args.profile.lower() in p.name.lower()]
    if not targets:
        raise SystemExit("No such page; the pages are: " + ", ".join(p.name for p in key_pages))
    for page in targets:
        client = Client()
        if page.user is not None:
            client.force_login(page.user)
        client.get(page.path)  # warm per-process caches
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(page.path)
            times.append((time.perf_counter() - start) * 1000)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.requests):
            assert client.get(page.path).status_code == 200, page.path
        profiler.stop()
        print(f"== {page.name} ({page.path}): median {statistics.median(times):.1f} ms in process unprofiled")
        print(f"Profile of {args.requests} requests:")
        print(profiler.output_text(unicode=True, color=False))
        out = (
            ROOT / "var" / "bench" / f"profile-{engine}-{re.sub(r'[^a-z0-9]+', '-', page.name.lower())}.html"
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(profiler.output_html())
        print(f"Wrote {out}")


if __name__ == "__main__":
    main()
