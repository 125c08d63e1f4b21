"""schema.org descriptions (JSON-LD) of directory pages, for search engines.

Plain dicts built from objects whose relations the view has already prefetched; rendered
with ``{% structured_data structured_data %}``. Absolute URLs come from the request.
"""

from django.utils.translation import gettext

from .models import Funder, Organisation
from .places import is_online, physical_place

# A network's JSON-LD names at most this many members (only those its page shows).
MEMBER_LIMIT = 200
GOVERNMENT_FUNDERS = {
    Funder.Kind.LOCAL_GOVERNMENT,
    Funder.Kind.REGIONAL_GOVERNMENT,
    Funder.Kind.EUROPEAN_UNION,
}


def _url(request, obj):
    return request.build_absolute_uri(obj.get_absolute_url())


def _clean(data):
    """Drop empty values: schema.org readers prefer a missing property to an empty one."""
    return {key: value for key, value in data.items() if value not in ("", None, [], {})}


def _organisation_type(organisation):
    is_council = getattr(organisation, "kind", None) == Organisation.Kind.PUBLIC_BODY
    return "GovernmentOrganization" if is_council else "Organization"


def organisation_ref(request, organisation):
    """A reference to an organisation or network's own page (also used for plans' owners)."""
    return _clean(
        {
            "@type": _organisation_type(organisation),
            "name": organisation.name,
            "url": _url(request, organisation),
            "sameAs": organisation.website,
        }
    )


def municipality_ref(request, municipality):
    return {
        "@type": "AdministrativeArea",
        "@id": _url(request, municipality),
        "name": municipality.name,
        "url": _url(request, municipality),
    }


def council_ref(request, municipality):
    """A municipality as a member of a network: its council, which serves the municipality."""
    return {
        "@type": "GovernmentOrganization",
        "name": municipality.name,
        "url": _url(request, municipality),
        "areaServed": municipality_ref(request, municipality),
    }


def network(network, request, organisations, municipalities):
    """``organisations``, ``municipalities``: the members the page shows (a bounded preview,
    never all of them), the councils as GovernmentOrganization."""
    members = [
        *(organisation_ref(request, o) for o in organisations),
        *(council_ref(request, m) for m in municipalities),
    ][:MEMBER_LIMIT]
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": _url(request, network),
        "url": _url(request, network),
        "name": network.name,
        "alternateName": network.acronym,
        "description": network.summary or network.description,
        "sameAs": [network.website] if network.website else [],
        "foundingDate": network.founded_on.isoformat() if network.founded_on else None,
        "parentOrganization": (
            organisation_ref(request, network.parent) if network.parent_id else None
        ),
        "subOrganization": [organisation_ref(request, g) for g in network.working_groups.all()],
        "member": members,
        "knowsAbout": [theme.name for theme in network.themes.all()],
    }
    return _clean(data)


def organisation(organisation, request, memberships):
    data = {
        "@context": "https://schema.org",
        "@type": _organisation_type(organisation),
        "@id": _url(request, organisation),
        "url": _url(request, organisation),
        "name": organisation.name,
        "description": organisation.description,
        "sameAs": [organisation.website] if organisation.website else [],
        "parentOrganization": (
            organisation_ref(request, organisation.parent) if organisation.parent_id else None
        ),
        "location": (_place(organisation.municipality) if organisation.municipality_id else None),
        "memberOf": [organisation_ref(request, m.network) for m in memberships],
        "knowsAbout": [theme.name for theme in organisation.themes.all()],
    }
    return _clean(data)


def _place(municipality, name=""):
    return _clean(
        {
            "@type": "Place",
            "name": name or municipality.name,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": municipality.name,
                "addressRegion": "Catalunya",
                "addressCountry": "ES",
            },
            "geo": {
                "@type": "GeoCoordinates",
                "latitude": float(municipality.latitude),
                "longitude": float(municipality.longitude),
            },
        }
    )


def event(event, request, organisers, participants):
    """``organisers``, ``participants``: those the page shows (bounded)."""
    locations = []
    name = physical_place(event)
    if event.municipality_id:
        locations.append(_place(event.municipality, name))
    elif name:
        locations.append({"@type": "Place", "name": name})
    physical = bool(locations)
    online = is_online(event)
    if online:
        locations.append(_clean({"@type": "VirtualLocation", "url": event.recording_url or None}))
    # The mode is stated only when the sources give it: an event with neither a place nor
    # "online" recorded has an unknown mode, not an in-person one.
    modes = {(True, True): "Mixed", (False, True): "Online", (True, False): "Offline"}
    mode = modes.get((physical, online))
    # A date known only to the month or the year is written as ISO 8601 does (reduced
    # precision): 2021-03, 2021. schema.org's Date is an ISO 8601 date; no day is invented.
    precision = {"year": 4, "month": 7}.get(event.date_precision, 10)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": _url(request, event),
        "url": _url(request, event),
        "name": event.title,
        "description": event.description,
        "startDate": event.start_date.isoformat()[:precision],
        "endDate": event.end_date.isoformat()[:precision] if event.end_date else None,
        "eventAttendanceMode": f"https://schema.org/{mode}EventAttendanceMode" if mode else None,
        "eventStatus": "https://schema.org/EventScheduled",
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": [organisation_ref(request, o) for o in organisers],
        "performer": [organisation_ref(request, o) for o in participants],
        "about": [theme_ref(request, theme) for theme in event.themes.all()],
    }
    return _clean(data)


def theme_ref(request, theme):
    return {"@type": "DefinedTerm", "name": theme.name, "url": _url(request, theme)}


def funder(funder, request):
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization" if funder.kind in GOVERNMENT_FUNDERS else "Organization",
        "@id": _url(request, funder),
        "url": _url(request, funder),
        "name": funder.name,
        "description": funder.description,
        "sameAs": [
            url
            for url in (
                funder.website,
                _url(request, funder.organisation) if funder.organisation_id else "",
            )
            if url
        ],
    }
    return _clean(data)


def municipality(municipality, request):
    data = {
        "@context": "https://schema.org",
        **municipality_ref(request, municipality),
        "identifier": [
            {"@type": "PropertyValue", "propertyID": "INE", "value": municipality.ine_code},
            {"@type": "PropertyValue", "propertyID": "Idescat", "value": municipality.idescat_code},
        ],
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": float(municipality.latitude),
            "longitude": float(municipality.longitude),
        },
        "containedInPlace": {"@type": "AdministrativeArea", "name": gettext("Catalonia")},
    }
    return _clean(data)


def theme(theme, request):
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": _url(request, theme),
        "url": _url(request, theme),
        "name": theme.name,
        "description": theme.description,
    }
    return _clean(data)
