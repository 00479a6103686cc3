"""Pages in Arabic (right to left) and Russian, in a real browser: chosen with the switcher, laid out
without horizontal overflow, mirrored where the reader reads from the right. Screenshots of each page
are kept in var/screenshots/ for a person to look at; the assertions check the layout itself."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from convene.core.testing import sign_in
from convene.networks.models import Organisation
from convene.workplans import services as workplans
from convene.workplans.models import GcmObjective

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = (1280, 390)

LAYOUT = """() => {
  const root = document.documentElement;
  const charts = [...document.querySelectorAll("svg.chart")].map((svg) => {
    const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll("text")].filter((t) => {
      const r = t.getBoundingClientRect();
      return r.width && (r.left < box.left - 1 || r.right > box.right + 1);
    }).map((t) => t.textContent);
  }).flat();
  const brand = document.querySelector(".brand").getBoundingClientRect();
  const back = document.querySelector("a.back");
  return {
    lang: root.lang, dir: root.dir, overflow: root.scrollWidth - root.clientWidth,
    textOutsideCharts: charts, brandCentre: (brand.left + brand.right) / 2, width: root.clientWidth,
    backArrow: back ? getComputedStyle(back, "::before").content : null,
  };
}"""


@pytest.fixture
def pages(kenya, kenya_secretariat):
    workplan = workplans.create_workplan(by=kenya_secretariat, network=kenya, year=2027)
    workplans.add_activity(
        by=None,
        workplan=workplan,
        code="1.1",
        title="Formation au recrutement équitable des attachés du travail — مشروع طويل العنوان",
        lead_organisation=Organisation.objects.get(acronym="ILO", country=""),
        participants=[],
        start_quarter=1,
        end_quarter=3,
        budget=50000,
        funded=30000,
        pipeline=10000,
        funding_source="mptf",
        gcm_objectives=list(GcmObjective.objects.filter(number__in=[6, 7])),
        sdg_targets=[],
        gender_marker=2,
        gender_justification="Women migrant workers are a target group.",
    )
    return [
        reverse("networks:home", args=["kenya"]),
        reverse("networks:members", args=["kenya"]),
        reverse("meetings:list", args=["kenya"]),
        reverse("decisions:register", args=["kenya"]),
        reverse("workplans:detail", args=["kenya", workplan.pk]),
        reverse("workplans:charts", args=["kenya", workplan.pk]),
    ]


def choose_language_on_the_sign_in_page(page, name):
    page.goto(reverse("account_login"))
    with page.expect_navigation():
        page.locator("form.language select").select_option(label=name)


def visit(page, path, language):
    layouts = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = path.strip("/").replace("/", "-") or "root"
        page.screenshot(path=SHOTS / f"{language}-{width}-{name}.png", full_page=True)
        layout = page.evaluate(LAYOUT)
        assert layout["lang"] == language, path
        assert layout["overflow"] <= 0, f"{path} at {width}px scrolls sideways by {layout['overflow']}px"
        assert not layout["textOutsideCharts"], f"{path}: chart text cut off: {layout['textOutsideCharts']}"
        layouts.append(layout)
    return layouts


def test_arabic_reads_right_to_left_without_overflow(page, pages, kenya_secretariat):
    choose_language_on_the_sign_in_page(page, "العربية")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    sign_in(page, kenya_secretariat)
    for path in pages:
        for layout in visit(page, path, "ar"):
            assert layout["dir"] == "rtl"
            assert layout["brandCentre"] > layout["width"] / 2, "the brand starts on the right"
            if layout["backArrow"] is not None:
                assert "→" in layout["backArrow"], "a way back points right in Arabic"

    # The skip link, hidden until focused, then visible on the reading side.
    page.goto(pages[0])
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    box = skip.bounding_box()
    assert skip.evaluate("e => e === document.activeElement") and box["y"] >= 0
    assert box["x"] + box["width"] > page.viewport_size["width"] / 2


def test_russian_is_chosen_once_and_kept_for_the_person(page, pages, kenya_secretariat):
    sign_in(page, kenya_secretariat)
    with page.expect_navigation():
        page.locator("form.language select").select_option(label="Русский")
    kenya_secretariat.refresh_from_db()
    assert kenya_secretariat.language == "ru"
    with translation.override("ru"):
        meetings, main = translation.gettext("Meetings"), translation.gettext("Main")
    for path in pages:
        for layout in visit(page, path, "ru"):
            assert layout["dir"] == "ltr"
            if layout["backArrow"] is not None:
                assert "←" in layout["backArrow"]
    assert page.get_by_role("navigation", name=main).get_by_text(meetings).count()
