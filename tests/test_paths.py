"""An entry's link is the path ``reverse()`` gives, in each language and under a prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from actions.models import Plan
from networks.models import Comarca, Event, Funder, Municipality, Network, Organisation, Theme
from networks.paths import slug_path

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


@pytest.mark.parametrize("slug", ["", "amb espai", "àvia", "a/b"])
def test_a_slug_no_page_can_have_fails_as_reverse_does(slug):
    with pytest.raises(NoReverseMatch):
        reverse("networks:organisation_detail", kwargs={"slug": slug})
    with pytest.raises(NoReverseMatch):
        slug_path("networks:organisation_detail", slug)
