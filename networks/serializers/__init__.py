"""The API's representation of directory entries (also what the JSON and GeoJSON exports write).

Every translated field is given in both languages (``{"ca": …, "en": …}``, ``null`` where a
language has no text), every choice as its stable code beside its label in both languages,
and every entry with the URL of its page in each language. Related entries are ids, or a
small reference when a reader needs the name to make sense of the row (themes, municipality).

Serializers read only what the view's queryset selected and prefetched (see
``networks/api/``): nothing here runs a query per row.

One module per concern: ``fields`` (the field types and helpers every representation
shares), ``places`` (themes, comarques and municipalities, with the small references other
entries nest), ``directory`` (organisations, networks with their working groups and
strategic lines, memberships), ``funding`` and ``events``. The representations nest (a
municipality inside an organisation, a comarca inside a municipality): a module imports the
fields and references it uses. Together they are the one public format of the API and of
every download: import from ``networks.serializers``, which names them all.
"""

from .directory import (
    MembershipSerializer,
    NetworkSerializer,
    OrganisationSerializer,
    StrategicLineSerializer,
    WorkingGroupSerializer,
)
from .events import EventSerializer
from .fields import (
    LANGUAGE_CODES,
    TEXT_SCHEMA,
    URL_SCHEMA,
    ChoiceLabelField,
    LinkedIdsField,
    PageURLField,
    PartialDateField,
    ProvincesField,
    TranslatedField,
    attach_linked_ids,
    attach_page_urls,
    field_names,
    page_urls,
    per_language,
    province_labels,
)
from .funding import FunderSerializer, FundingSerializer
from .places import (
    ComarcaRefSerializer,
    ComarcaSerializer,
    MunicipalityRefSerializer,
    MunicipalitySerializer,
    ThemeRefSerializer,
    ThemeSerializer,
)

__all__ = [
    "LANGUAGE_CODES",
    "TEXT_SCHEMA",
    "URL_SCHEMA",
    "ChoiceLabelField",
    "ComarcaRefSerializer",
    "ComarcaSerializer",
    "EventSerializer",
    "FunderSerializer",
    "FundingSerializer",
    "LinkedIdsField",
    "MembershipSerializer",
    "MunicipalityRefSerializer",
    "MunicipalitySerializer",
    "NetworkSerializer",
    "OrganisationSerializer",
    "PageURLField",
    "PartialDateField",
    "ProvincesField",
    "StrategicLineSerializer",
    "ThemeRefSerializer",
    "ThemeSerializer",
    "TranslatedField",
    "WorkingGroupSerializer",
    "attach_linked_ids",
    "attach_page_urls",
    "field_names",
    "page_urls",
    "per_language",
    "province_labels",
]
