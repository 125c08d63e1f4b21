"""Honest statuses: "no outcome reported" is not "planned", wherever a status is shown."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from actions.models import ScheduledYear
from networks.models import Municipality
from tests.plans_support import make_plan

pytestmark = pytest.mark.django_db

migration = importlib.import_module("actions.migrations.0003_scheduled_year_not_reported")


def test_past_planned_years_become_not_reported_and_future_ones_stay_planned():
    this_year = timezone.localdate().year
    plan = make_plan(
        {1: [[this_year - 2, (this_year - 1, "done"), this_year, this_year + 1]]},
        start=this_year - 2,
        end=this_year + 1,
    )
    for scheduled in ScheduledYear.objects.of_plan(plan):
        scheduled.save()  # a history record, as an edit in the admin leaves
    migration.past_planned_years_were_never_reported(apps, None)
    statuses = dict(ScheduledYear.objects.of_plan(plan).values_list("year", "status"))
    assert statuses == {
        this_year - 2: "not_reported",
        this_year - 1: "done",
        this_year: "planned",
        this_year + 1: "planned",
    }
    # The history says the same, so no feed shows a change nobody made.
    past = ScheduledYear.history.filter(year=this_year - 2).values_list("status", flat=True)
    assert set(past) == {"not_reported"}


def test_the_status_filter_offers_no_outcome_reported(client, seeded):
    from actions.models import Plan

    plan = Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")
    with translation.override("en"):
        url = reverse("actions:timeline", kwargs={"slug": plan.slug})
    html = client.get(url, {"status": "not_reported"}).content.decode()
    assert '<option value="not_reported" selected>no outcome reported</option>' in html
    assert client.get(url, {"status": "planned"}).status_code == 200


@pytest.mark.parametrize(
    ("language", "label"), [("en", "No outcome reported"), ("ca", "Sense resultat comunicat")]
)
def test_a_municipality_page_says_no_outcome_reported(client, seeded, language, label):
    barcelona = Municipality.objects.get(slug="barcelona")
    with translation.override(language):
        page = client.get(barcelona.get_absolute_url()).content.decode()
    labels = set(re.findall(r'<span class="status__label">([^<]+)</span>', page))
    assert labels == {label}


def test_the_admin_timeline_offers_the_new_status(client, seeded):
    from tests.factories import make_staff

    client.force_login(make_staff("root", is_superuser=True))
    with translation.override("ca"):
        url = reverse("admin:actions_scheduledyear_changelist")
    html = client.get(url).content.decode()
    assert ">sense resultat comunicat</option>" in html
