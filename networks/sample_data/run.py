"""What the command calls: whether there is sample data, its removal, the context made from
the seed's places and themes, and the generation (the directory's part, then each
provider's, in that order)."""

import random
from datetime import date

from django.db.models import Q

from ..models import (
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    StrategicLine,
    Theme,
)
from .common import Context, is_sample, providers, raw_delete
from .directory import generate_networks, generate_organisations
from .events import generate_events
from .funding import generate_fundings
from .memberships import generate_memberships


def exists():
    """How many sample organisations there are (0: none made, or all cleared)."""
    return Organisation.objects.filter(is_sample()).count()


def clear():
    """Remove every sample row (providers' parts first); the seed content stays."""
    for provider in providers():
        provider.clear()
    organisations = Organisation.objects.filter(is_sample())
    networks = Network.objects.filter(is_sample())
    events = Event.objects.filter(is_sample())
    funders = Funder.objects.filter(is_sample())
    raw_delete(
        Funding.objects.filter(
            Q(funder__in=funders)
            | Q(network__in=networks)
            | Q(organisation__in=organisations)
            | Q(event__in=events)
        )
    )
    raw_delete(funders)
    raw_delete(
        Event.organisers.through.objects.filter(
            Q(organisation__in=organisations) | Q(event__in=events)
        )
    )
    raw_delete(Event.networks.through.objects.filter(Q(network__in=networks) | Q(event__in=events)))
    raw_delete(Event.themes.through.objects.filter(event__in=events))
    raw_delete(events)
    raw_delete(
        Membership.objects.filter(Q(network__in=networks) | Q(organisation__in=organisations))
    )
    raw_delete(StrategicLine.objects.filter(network__in=networks))
    raw_delete(Network.themes.through.objects.filter(network__in=networks))
    # Working groups point at their parent network, and networks at a host organisation.
    Network.objects.filter(Q(parent__in=networks) | Q(host__in=organisations)).update(
        parent=None, host=None
    )
    raw_delete(networks)
    raw_delete(Organisation.themes.through.objects.filter(organisation__in=organisations))
    Organisation.objects.filter(parent__in=organisations).update(parent=None)
    raw_delete(organisations)


def make_context(organisations, seed):
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    barcelona = Municipality.objects.filter(slug="barcelona").values_list("pk", flat=True).first()
    return Context(
        rng=random.Random(seed),
        organisations=organisations,
        width=max(5, len(str(organisations))),
        today=date.today(),
        municipality_ids=municipalities,
        barcelona_id=barcelona,
        theme_ids=list(Theme.objects.values_list("pk", flat=True)),
    )


def generate(context):
    """The directory's part, then each provider's; returns {what: how many rows}."""
    themes = {theme.pk: theme for theme in Theme.objects.all()}
    places = dict(Municipality.objects.values_list("pk", "name"))
    generate_organisations(context, themes, places)
    generate_networks(context, themes)
    generate_memberships(context)
    generate_events(context, themes, places)
    generate_fundings(context)
    for provider in providers():
        provider.generate(context)
    return context.counts
