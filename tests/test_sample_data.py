"""generate_sample_data: synthetic data in proportion, in both languages, and removable."""

import json
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q

from actions.models import Action, Plan, ScheduledYear
from networks.caching import content_version
from networks.models import Event, Membership, Municipality, Network, Organisation

pytestmark = pytest.mark.django_db

N = 200


def fixture_counts():
    counts = Counter()
    for path in Path(settings.FIXTURE_DIRS[0]).glob("*.json"):
        counts.update(row["model"] for row in json.loads(path.read_text()))
    return counts


def table_counts():
    return {
        model._meta.label_lower: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("networks", "actions")
        and not model.__name__.startswith("Hist")
    }


@pytest.fixture
def sample(seeded, django_capture_on_commit_callbacks):
    before = table_counts()
    version = content_version()[0]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("generate_sample_data", organisations=N, verbosity=0)
    return before, version


def test_counts_follow_the_proportions(sample):
    sample_orgs = Organisation.objects.filter(slug_ca__startswith="mostra-")
    sample_networks = Network.objects.filter(slug_ca__startswith="mostra-")
    assert sample_orgs.count() == N
    assert sample_networks.count() == N // 50
    assert Event.objects.filter(slug_ca__startswith="mostra-").count() == N // 20
    plans = Plan.objects.filter(slug_ca__startswith="mostra-")
    assert plans.count() == 20
    actions = Action.objects.filter(line__plan__in=plans)
    assert actions.count() == N // 10
    # Every action runs in at least one of its plan's years.
    assert not actions.filter(scheduled_years__isnull=True).exists()
    for plan in plans:
        years = ScheduledYear.objects.filter(action__line__plan=plan).values_list("year", flat=True)
        assert set(years) <= set(plan.years)
    memberships = Membership.objects.filter(network__in=sample_networks)
    assert memberships.count() >= 3 * N
    biggest = sample_networks.annotate(members=Count("memberships")).order_by("-members")[0]
    assert biggest.members >= N // 5


def test_every_municipality_is_used(sample):
    unused = Municipality.objects.exclude(
        Q(memberships__network__slug_ca__startswith="mostra-")
        | Q(organisations__slug_ca__startswith="mostra-")
    )
    assert not unused.exists()


def test_both_languages_are_filled_and_clearly_synthetic(sample):
    for org in Organisation.objects.filter(slug_ca__startswith="mostra-")[:50]:
        assert "Mostra" in org.name_ca and org.name_en.startswith("Sample ")
        assert org.slug_en.startswith("sample-")
        assert org.description_ca and org.description_en
        assert org.description_ca != org.description_en
    for network in Network.objects.filter(slug_ca__startswith="mostra-"):
        assert network.summary_ca and network.summary_en
    for action in Action.objects.filter(line__plan__slug_ca__startswith="mostra-")[:50]:
        assert action.title_ca and action.title_en and action.title_ca != action.title_en


def test_the_version_is_bumped_so_cached_pages_show_the_data(sample):
    _before, version = sample
    assert content_version()[0] > version


def test_running_again_is_idempotent_and_another_size_needs_clear(sample):
    counts = table_counts()
    call_command("generate_sample_data", organisations=N, verbosity=0)
    assert table_counts() == counts
    with pytest.raises(CommandError, match="--clear"):
        call_command("generate_sample_data", organisations=N * 2, verbosity=0)
    assert table_counts() == counts


def test_clear_leaves_the_seed_intact(sample):
    before, _version = sample
    call_command("generate_sample_data", organisations=0, clear=True, verbosity=0)
    assert table_counts() == before
    seed = fixture_counts()
    for label, count in seed.items():
        assert before[label] == count


def test_clear_then_generate_replaces_the_data(sample):
    call_command("generate_sample_data", organisations=100, clear=True, verbosity=0)
    assert Organisation.objects.filter(slug_ca__startswith="mostra-").count() == 100
    assert Plan.objects.filter(slug_ca__startswith="mostra-").count() == 20


def test_same_seed_same_data(seeded):
    call_command("generate_sample_data", organisations=50, seed=7, verbosity=0)
    first = list(
        Membership.objects.filter(network__slug_ca__startswith="mostra-")
        .values_list("network__slug_ca", "organisation__slug_ca", "municipality_id", "role")
        .order_by("network__slug_ca", "organisation__slug_ca", "municipality_id", "role")
    )
    call_command("generate_sample_data", organisations=50, seed=7, clear=True, verbosity=0)
    second = list(
        Membership.objects.filter(network__slug_ca__startswith="mostra-")
        .values_list("network__slug_ca", "organisation__slug_ca", "municipality_id", "role")
        .order_by("network__slug_ca", "organisation__slug_ca", "municipality_id", "role")
    )
    assert first == second


def test_without_a_size_the_command_says_what_it_needs(seeded):
    with pytest.raises(CommandError, match="--organisations"):
        call_command("generate_sample_data", verbosity=0)
