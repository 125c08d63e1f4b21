"""An entry's link is the path ``reverse()`` gives, in each language and under a prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from actions.models import Action, Plan
from networks.models import Comarca, Event, Funder, Municipality, Network, Organisation, Theme
from networks.paths import entry_path

pytestmark = pytest.mark.django_db

PAGES = [
    (Organisation, "networks:organisation_detail"),
    (Network, "networks:network_detail"),
    (Funder, "networks:funder_detail"),
    (Municipality, "networks:municipality_detail"),
    (Comarca, "networks:comarca_detail"),
    (Event, "networks:event_detail"),
    (Theme, "networks:theme_detail"),
    (Plan, "actions:plan_detail"),
]


@pytest.fixture
def prefix():
    def use(value):
        set_script_prefix(value)

    yield use
    set_script_prefix("/")


@pytest.mark.parametrize("script_prefix", ["/", "/directori/"])
def test_every_entry_links_to_its_page_in_each_language(seeded, prefix, script_prefix):
    prefix(script_prefix)
    for model, name in PAGES:
        entries = list(model.objects.order_by("pk")[:3])
        assert entries, model
        for lang in ("ca", "en", "ca"):
            with translation.override(lang):
                for entry in entries:
                    expected = reverse(name, kwargs={"slug": entry.slug})
                    assert entry.get_absolute_url() == expected
                    assert expected.startswith(f"{script_prefix}{lang}/")
    plan = Plan.objects.order_by("pk").first()
    with translation.override("en"):
        assert plan.get_timeline_url() == reverse("actions:timeline", kwargs={"slug": plan.slug})
    actions = Action.objects.select_related("line__plan").order_by("pk")
    for action in [actions.first(), actions.last()]:
        line = action.line
        for lang in ("ca", "en"):
            with translation.override(lang):
                assert line.get_absolute_url() == reverse(
                    "actions:line_detail", kwargs={"plan": line.plan.slug, "number": line.number}
                )
                assert action.get_absolute_url() == reverse(
                    "actions:action_detail",
                    kwargs={
                        "plan": line.plan.slug,
                        "number": line.number,
                        "position": action.position,
                    },
                )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"slug": ""},
        {"slug": "amb espai"},
        {"slug": "àvia"},
        {"slug": "a/b"},
        {"plan": "pla", "number": -1, "position": 1},
        {"plan": "pla", "number": True, "position": 1},
        {"plan": "pla", "number": "set", "position": 1},
    ],
)
def test_a_value_no_page_can_have_fails_as_reverse_does(kwargs):
    name = "networks:organisation_detail" if "slug" in kwargs else "actions:action_detail"
    for _twice in range(2):  # before and after the name's path is kept
        with pytest.raises(NoReverseMatch):
            reverse(name, kwargs=kwargs)
        with pytest.raises(NoReverseMatch):
            entry_path(name, **kwargs)
    valid = {"slug": "bona"} if "slug" in kwargs else {"plan": "pla", "number": 7, "position": 2}
    assert entry_path(name, **valid) == reverse(name, kwargs=valid)
