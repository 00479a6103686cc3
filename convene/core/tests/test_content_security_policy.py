"""A strict Content-Security-Policy: nothing inline, so an injected script or style cannot run.
Every template is walked, so an inline style or script added later fails here."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted(
    path
    for pattern in ("templates/**/*", "convene/*/templates/**/*")
    for path in ROOT.glob(pattern)
    if path.is_file() and path.suffix in {".html", ".svg", ".txt", ".xml"}
)
INLINE = {
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "an inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "a javascript: address": re.compile(r"javascript:", re.I),
}


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


def test_the_walk_sees_every_template():
    assert len(TEMPLATES) > 40
    assert ROOT / "templates" / "base.html" in TEMPLATES
    assert ROOT / "convene" / "workplans" / "templates" / "workplans" / "_bars.svg" in TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_style_or_script(path):
    text = path.read_text(encoding="utf-8")
    found = [f"{what}: {m.group(0)!r}" for what, rx in INLINE.items() for m in rx.finditer(text)]
    assert found == []


def test_a_page_forbids_inline_script_and_style_and_framing(client, kenya_member):
    client.force_login(kenya_member)
    response = client.get("/n/kenya/")
    assert response.status_code == 200
    csp = policy(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert csp["form-action"] == ["'self'"] and csp["base-uri"] == ["'none'"]


def test_the_sign_in_page_has_the_policy_too(client, db):
    assert "'unsafe-inline'" not in client.get("/accounts/login/").headers["Content-Security-Policy"]


def test_htmx_is_told_to_add_no_style_and_evaluate_nothing(client, kenya_member):
    client.force_login(kenya_member)
    html = client.get("/n/kenya/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html).group(1)
    assert '"includeIndicatorStyles":false' in config and '"allowEval":false' in config


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_documentation_allows_inline_styles_but_runs_only_our_own_script_files(
    client, kenya_member, url
):
    client.force_login(kenya_member)
    response = client.get(url)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in csp["style-src"]
    assert not INLINE["an inline <script>"].search(response.content.decode())


def test_swagger_ui_set_up_is_a_script_file_of_its_own(client, kenya_member):
    client.force_login(kenya_member)
    script = re.search(r'<script src="([^"]*\?script[^"]*)"', client.get("/api/v1/docs/").content.decode())
    response = client.get(script.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_comment_spans_lines(path):
    """Django's {# … #} ends on its own line; one that does not is printed on the page."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.count("{#") == line.count("#}"), f"{path.name}:{number}: use {{% comment %}} over lines"
