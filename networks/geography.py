"""Pages about places: the comarques, one comarca, and the municipalities as GeoJSON.

A comarca page summarises what the directory knows there, each list bounded (a comarca can
hold dozens of municipalities and thousands of organisations): it links to the filtered
lists for the rest. Plan actions come from the actions app's own template tag, so this app
never imports it.
"""

import json

from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from . import filters, map_layers, maps
from .caching import cached_by_version
from .models import Comarca, Event, Municipality, Network, Organisation
from .pagination import preview

LIST_LIMIT = 24
MUNICIPALITY_LIMIT = 100


class ComarcaListView(ListView):
    def get_queryset(self):
        return Comarca.objects.in_name_order()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = comarca_counts()
        for comarca in context["object_list"]:
            comarca.municipality_count, comarca.member_count = counts.get(comarca.pk, (0, 0))
        return context


def comarca_counts():
    """{comarca's key: (its municipalities, those in a network)}, once per content version:
    telling which of 947 municipalities have a membership reads 300,000 of them at scale,
    12 ms of PostgreSQL on every view of a 43-row table."""

    def compute():
        in_networks = Q(pk__in=Municipality.objects.in_networks().values("pk"))
        rows = Municipality.objects.order_by().values_list("comarca")
        rows = rows.annotate(here=Count("pk"), members=Count("pk", filter=in_networks))
        return {pk: (here, members) for pk, here, members in rows}

    return cached_by_version("comarca-counts", compute)


class ComarcaDetailView(DetailView):
    model = Comarca

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comarca = self.object
        summary = comarca_summary(comarca)
        network_counts = {code: n for code, n in summary["network_counts"].items() if n}
        codes = set(summary["network_counts"])
        events = Event.objects.filter(municipality__comarca=comarca).select_related("municipality")
        context.update(
            municipalities=list(comarca.municipalities.all()[:MUNICIPALITY_LIMIT]),
            municipality_total=len(codes),
            networks=summary["networks"],
            organisations=summary["organisations"],
            organisation_total=summary["organisation_total"],
            events=events[:6],
            map=map_layers.comarca_map(comarca, network_counts, codes),
        )
        return context


def comarca_summary(comarca):
    """What a comarca's page counts over all its municipalities, once per content version
    (like the home page's counts): each municipality's number of networks (the map), the
    networks with most member municipalities there, and the first organisations by name
    with their total. The Barcelonès has 5,530 organisations to sort and count and 1,100
    memberships to group: 25 ms of its page's 35 ms of SQL, on every view."""

    def compute():
        organisations = preview(
            Organisation.objects.in_comarca(comarca).select_related("municipality"), LIST_LIMIT
        )
        networks = (
            Network.objects.filter(memberships__municipality__comarca=comarca)
            .annotate(members_here=Count("memberships__municipality", distinct=True))
            .order_by("-members_here", *Network._meta.ordering)
        )
        return {
            # Every municipality of the comarca (the map draws them all), with its networks.
            "network_counts": dict(
                comarca.municipalities.order_by()
                .annotate(networks=Count("memberships__network", distinct=True))
                .values_list("ine_code", "networks")
            ),
            "networks": list(networks[:LIST_LIMIT]),
            "organisations": organisations.rows,
            "organisation_total": organisations.count,
        }

    return cached_by_version(f"comarca-summary:{comarca.pk}", compute)


def _feature(municipality, geometry, url, spans, network):
    properties = {
        "ine_code": municipality.ine_code,
        "name": municipality.name,
        "comarca_code": municipality.comarca.code,
        "comarca": municipality.comarca.name,
        "province_code": municipality.province,
        "province": municipality.get_province_display(),
        "url": url,
    }
    if network:
        span = spans.get(municipality.ine_code)
        properties.update(
            network=network.slug_ca,
            member=span is not None,
            member_since=span[0] if span else None,
            member_until=span[1] if span else None,
        )
    return {
        "type": "Feature",
        "id": municipality.ine_code,
        "geometry": geometry,
        "properties": properties,
    }


@require_GET
def municipalities_geojson(request):
    """The municipalities of the list, with the same filters, as a GeoJSON download.

    Each feature says its comarca and province and, for the chosen network (by default the
    one the list's map shows), whether it is a member and since and until when.
    """
    filterset = filters.MunicipalityFilter(
        request.GET or None,
        queryset=Municipality.objects.select_related("comarca"),
        request=request,
    )
    if request.GET and not filterset.is_valid():
        errors = {name: [str(e) for e in field] for name, field in filterset.form.errors.items()}
        return JsonResponse(
            {"error": _("Some filters were not understood."), "fields": errors}, status=400
        )
    network = filterset.chosen_network() or Network.objects.with_most_municipalities()
    spans = map_layers.membership_spans(network) if network else {}
    geometries = maps.geojson_geometries()
    base = request.build_absolute_uri("/")[:-1]
    features = [
        _feature(m, geometries.get(m.ine_code), base + m.get_absolute_url(), spans, network)
        for m in filterset.qs
    ]
    body = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="municipalities.geojson"'
    return response
