"""Every kind of page, in both languages, checked by axe-core in Debian's chromium at 360
and 1280 CSS px (no violation of any rule), and checked for reflow at 320 CSS px (WCAG
1.4.10: nothing wider than the viewport, so no sideways scrolling).

axe-core comes from npm (package.json; `make` runs `npm ci` into the git-ignored
node_modules/) and is injected from that file, never from a CDN. Each page is loaded once
and resized in place: media queries apply without a reload, which keeps this within a
minute or two on CI.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from actions.models import Action, Line, Plan
from networks.models import Comarca, Event, Funder, Municipality, Network, Organisation, Theme

pytestmark = [pytest.mark.browser]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_WIDTHS = (360, 1280)
REFLOW_WIDTH = 320
HEIGHT = 800


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the site's strict CSP (rightly) blocks.
    # Other browser tests check the CSP; here the page under test is otherwise unchanged.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(scope="module")
def axe_path():
    if not AXE.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing: `make` installs it with `npm ci`.")
        pytest.skip("axe-core is not installed (npm ci).")
    return str(AXE)


def page_types(language):
    """One page of each kind, as a visitor reaches it, in ``language``."""
    with translation.override(language):
        plan = Plan.objects.filter(lines__isnull=False).distinct().first()
        action = Action.objects.select_related("line__plan").first()
        detail = {
            "network": Network.objects.get(slug_ca="xmess"),
            "working group": Network.objects.filter(parent__isnull=False).first(),
            "organisation": Organisation.objects.get(slug_ca="ajuntament-de-manlleu"),
            "funder": Funder.objects.first(),
            "municipality": Municipality.objects.get(slug="barcelona"),
            "event": Event.objects.get(slug_ca="bones-practiques-premis-respon-cat-2020"),
            "theme": Theme.objects.filter(networks__isnull=False).first(),
            "plan": plan,
            "plan without lines": Plan.objects.filter(lines__isnull=True).first(),
            "line": Line.objects.filter(plan=plan).first(),
            "action": action,
            "comarca": Comarca.objects.get(code="40"),
        }
        pages = {kind: obj.get_absolute_url() for kind, obj in detail.items()}
        pages.update(
            {
                "home": reverse("home"),
                "network list": reverse("networks:network_list"),
                "organisation list": reverse("networks:organisation_list"),
                "funder list": reverse("networks:funder_list"),
                "municipality list": reverse("networks:municipality_list"),
                "comarca list": reverse("networks:comarca_list"),
                "network members in a year": reverse(
                    "networks:network_detail", kwargs={"slug": detail["network"].slug}
                )
                + "?year=2017",
                "event list": reverse("networks:event_list"),
                "empty filtered list": reverse("networks:network_list") + "?q=zzzzqqq",
                "search results": reverse("networks:search") + "?q=cooperatives",
                "search with no result": reverse("networks:search") + "?q=zzzzqqq",
                "plan list": reverse("actions:plan_list"),
                "plan timeline": plan.get_timeline_url(),
                "not found": f"/{language}/no-such-page/",
                "admin login": reverse("admin:login"),
            }
        )
    return pages


def axe_violations(page):
    # Only violations are reported: computing passes too would slow every run for nothing.
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:3])
        for v in result["violations"]
    ]


def overflow(page):
    """How far the page is wider than the viewport, and the widest culprits."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const over = document.documentElement.scrollWidth - width;
        const culprits = [...document.querySelectorAll('body *')]
          .filter(el => el.getBoundingClientRect().right > width + 1)
          .slice(0, 3)
          .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
        return {over, culprits};
    }"""
    )


def placeholder_fits(page):
    """The header search's placeholder is shown whole, not cut at the field's edge."""
    return page.evaluate(
        """() => {
        const input = document.querySelector('#site-search-q');
        if (!input) return true;
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d');
        context.font = style.font;
        const inner = input.clientWidth - parseFloat(style.paddingLeft)
                      - parseFloat(style.paddingRight);
        return context.measureText(input.placeholder).width <= inner;
    }"""
    )


def test_every_page_type_passes_axe_and_reflows(page, live_seeded, axe_path):
    problems = []
    for language in ("ca", "en"):
        for kind, path in page_types(language).items():
            page.set_viewport_size({"width": AXE_WIDTHS[-1], "height": HEIGHT})
            response = page.goto(live_seeded.url + path)
            expected = 404 if kind == "not found" else 200
            if response.status != expected:
                problems.append(f"{language} {kind} {path}: HTTP {response.status}")
                continue
            page.add_script_tag(path=axe_path)
            for width in (*AXE_WIDTHS, REFLOW_WIDTH):
                page.set_viewport_size({"width": width, "height": HEIGHT})
                where = f"{language} {kind} at {width}px ({path})"
                if width in AXE_WIDTHS:
                    problems += [f"{where}: {v}" for v in axe_violations(page)]
                result = overflow(page)
                if result["over"] > 0:
                    problems.append(
                        f"{where}: {result['over']}px wider than the viewport: {result['culprits']}"
                    )
                if not placeholder_fits(page):
                    problems.append(f"{where}: the header search placeholder is cut")
    assert problems == [], "\n".join(problems)
