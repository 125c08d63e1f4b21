"""EXPLAIN ANALYZE of the queries that used to be slow at scale (PostgreSQL only).

    DATABASE_URL=postgres://…/xmess_bench .venv/bin/python tests/explain_scale.py [label …]

Prints, for each query the public pages run on a database filled by
``manage.py generate_sample_data``, the plan and the execution time. Asserts nothing: it is
read next to the figures of ``make loadtest``. Read-only (EXPLAIN ANALYZE of SELECTs).
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xmess_site.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from actions.models import Action  # noqa: E402
from networks import filters  # noqa: E402
from networks.models import (  # noqa: E402
    Membership,
    Municipality,
    Network,
    Organisation,
    Theme,
)
from networks.pagination import BoundedPaginator  # noqa: E402
from networks.search import search  # noqa: E402
from networks.views import OrganisationListView  # noqa: E402

# As actions/search.py registers them.
ACTION_FIELDS = {"A": ["title"], "B": ["description"]}


def busiest_theme():
    return Theme.objects.order_by("pk").first()


def organisation_filter(params):
    request = RequestFactory().get("/", params)
    return filters.OrganisationFilter(params, queryset=Organisation.objects.all(), request=request)


def browsable_page(queryset):
    """The deepest page a visitor can reach (pagination.py), as the list reads it."""
    paginator = BoundedPaginator(queryset, OrganisationListView.paginate_by)
    return paginator.page(paginator.num_pages).object_list


def biggest_network():
    return Network.objects.annotate(n=Count("memberships")).order_by("-n").first()


def queries():
    theme = busiest_theme()
    network = biggest_network()
    barcelones = Municipality.objects.get(slug="barcelona").comarca
    filtered = organisation_filter({"kind": "cooperative", "theme": theme.slug_ca, "q": "economia"})
    return {
        "search-cooperativa": lambda: Organisation.objects.search("cooperativa")[:9],
        "search-economia": lambda: Organisation.objects.search("economia")[:9],
        "search-networks-economia": lambda: Network.objects.search("economia")[:9],
        "search-count": lambda: Organisation.objects.search("cooperativa").order_by()[:10001],
        "organisations-page-2000": lambda: Organisation.objects.all()[47976:48000],
        "organisations-last-browsable-page": lambda: browsable_page(Organisation.objects.all()),
        "organisations-filtered": lambda: filtered.qs[:24],
        "municipalities-with-content": lambda: Municipality.objects.with_content(),
        "search-actions-economia": lambda: search(Action.objects.all(), "economia", ACTION_FIELDS)[
            :9
        ],
        "network-page-members": lambda: Membership.objects.shown_on_network_page(
            network, organisations=60
        ),
        "comarca-actions": lambda: Action.objects.concerning_comarca(barcelones)[:10],
    }


def explain(label, queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    print(f"## {label}\n")
    print("\n".join(plan))
    print()


def main(labels):
    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN ANALYZE figures are for PostgreSQL: set DATABASE_URL.")
    for label, build in queries().items():
        if not labels or label in labels:
            explain(label, build())


if __name__ == "__main__":
    main(sys.argv[1:])
