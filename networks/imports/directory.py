"""The directory's importable entries: organisations, networks, memberships, events, fundings.

Comarques are not in this branch's models, so organisations have no comarca column (their
municipality says where they are).
"""

from django.utils.translation import gettext_lazy as _

from ..models import Event, Funding, Membership, Network, Organisation
from . import register
from .columns import WHAT_INE, WHAT_NETWORK, WHAT_SLUG, Column, ManyColumn, RefColumn, ine_code
from .resources import Resource

WHAT_THEMES = _("The themes (slugs)")
WHAT_ORGANISATIONS = _("The organisations (slugs)")
WHAT_NETWORKS = _("The networks (slugs or acronyms)")


def translated(name, help_text=None):
    return [Column(f"{name}_ca", help_text=help_text), Column(f"{name}_en", help_text=help_text)]


def municipality_column(name="municipality"):
    return RefColumn(
        name,
        lookups=("ine_code",),
        what=WHAT_INE,
        normalise=ine_code,
        help_text=_("The municipality's five-digit INE code (e.g. 08019 for Barcelona)."),
    )


def organisation_column(name, field=None, help_text=None):
    return RefColumn(
        name,
        field,
        what=WHAT_SLUG,
        help_text=help_text or _("The organisation's Catalan slug (as in its address)."),
    )


def network_column(name, field=None, help_text=None):
    return RefColumn(
        name,
        field,
        lookups=("slug_ca", "acronym__iexact"),
        what=WHAT_NETWORK,
        help_text=help_text or _("The network's Catalan slug, or its acronym (e.g. XMESS)."),
    )


def themes_column():
    return ManyColumn(
        "themes",
        what=WHAT_THEMES,
        help_text=_("Catalan slugs of the themes, separated by semicolons."),
    )


SLUG_HELP = _("Identifies the entry: a row whose Catalan slug exists changes that entry.")


@register
class OrganisationResource(Resource):
    model = Organisation
    select_related = ("municipality", "parent")

    def get_columns(self):
        return [
            *translated("name"),
            Column("slug_ca", help_text=SLUG_HELP),
            Column("slug_en"),
            Column("kind"),
            municipality_column(),
            organisation_column(
                "parent", help_text=_("Catalan slug of the larger organisation it belongs to.")
            ),
            Column("website"),
            themes_column(),
            *translated("description"),
        ]


@register
class NetworkResource(Resource):
    model = Network
    select_related = ("parent", "host")

    def get_columns(self):
        return [
            *translated("name"),
            Column("slug_ca", help_text=SLUG_HELP),
            Column("slug_en"),
            Column("acronym"),
            Column("kind"),
            Column("scope"),
            network_column("parent", help_text=_("For a working group: the network's slug.")),
            organisation_column("host", help_text=_("Catalan slug of the host organisation.")),
            Column("founded_on", help_text=_("A date, as 2016-05-31.")),
            Column("website"),
            Column("social_handle"),
            themes_column(),
            *translated("summary"),
            *translated("description"),
        ]


@register
class MembershipResource(Resource):
    model = Membership
    key = ("network", "organisation", "municipality", "role")
    select_related = ("network", "organisation", "municipality")

    def get_columns(self):
        return [
            network_column("network"),
            organisation_column(
                "organisation", help_text=_("The member organisation's Catalan slug, or empty.")
            ),
            municipality_column(),
            Column("role"),
            Column("start_year"),
            Column("end_year"),
            *translated("note"),
        ]


@register
class EventResource(Resource):
    model = Event
    select_related = ("municipality",)

    def get_columns(self):
        return [
            *translated("title"),
            Column("slug_ca", help_text=SLUG_HELP),
            Column("slug_en"),
            Column("start_date", help_text=_("A date, as 2016-05-31.")),
            Column("end_date", help_text=_("A date, as 2016-06-01, or empty.")),
            Column("date_precision"),
            *translated("place"),
            Column("online", help_text=_("1 if the event was online, 0 if not.")),
            municipality_column(),
            Column("recording_url"),
            ManyColumn(
                "organisers",
                what=WHAT_ORGANISATIONS,
                help_text=_("Catalan slugs of the organisers, separated by semicolons."),
            ),
            ManyColumn(
                "networks",
                lookups=("slug_ca", "acronym__iexact"),
                what=WHAT_NETWORKS,
                help_text=_("Slugs or acronyms of the networks involved, separated by semicolons."),
            ),
            themes_column(),
            *translated("description"),
        ]


@register
class FundingResource(Resource):
    """A funding has no name of its own: who funded what, from which year, identifies it."""

    model = Funding
    key = ("funder", "project_ca", "network", "organisation", "event", "start_year")
    select_related = ("funder", "network", "organisation", "event")

    def get_columns(self):
        return [
            RefColumn(
                "funder",
                what=WHAT_SLUG,
                help_text=_("The funder's Catalan slug (e.g. ajuntament-de-barcelona)."),
            ),
            *translated("project"),
            network_column("network", help_text=_("The funded network's slug, or empty.")),
            organisation_column(
                "organisation", help_text=_("The funded organisation's Catalan slug, or empty.")
            ),
            RefColumn(
                "event", what=WHAT_SLUG, help_text=_("The funded event's Catalan slug, or empty.")
            ),
            Column("start_year"),
            Column("end_year"),
            Column("agreements"),
            Column("amount", help_text=_("In euros, as 12000.50 or 12.000,50.")),
            *translated("description"),
        ]
