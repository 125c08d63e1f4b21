"""Where things are: Catalonia's comarques, provinces and municipalities, and their querysets."""

import copy

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_language

from .. import caching
from ..collation import catalan
from ..paths import slug_path
from .common import ChoiceLabels, SearchableQuerySet, modified_field, per_language_unique_slug


class MunicipalityQuerySet(SearchableQuerySet):
    search_fields = {"simple": "name"}

    # Exists() subqueries, never DISTINCT over joins: at 300,000 memberships the joins
    # multiplied into hundreds of millions of rows to de-duplicate (235 s).
    def _having(self, relation, **conditions):
        related = self.model._meta.get_field(relation)
        rows = related.related_model._default_manager.filter(
            **{related.field.name: OuterRef("pk")}, **conditions
        )
        return Exists(rows)

    def members_of(self, network):
        return self.filter(self._having("memberships", network=network))

    def with_memberships_in(self, network):
        """Each row's memberships of ``network`` in ``chosen_memberships`` (one query)."""
        from .memberships import Membership  # memberships.py imports this module

        memberships = Membership.objects.filter(network=network).order_by("start_year", "id")
        return self.prefetch_related(
            models.Prefetch("memberships", queryset=memberships, to_attr="chosen_memberships")
        )

    def with_network_count(self):
        """Each municipality's number of networks it has a role in."""
        from .memberships import membership_count  # memberships.py imports this module

        return self.annotate(
            network_count=membership_count("municipality", Count("network", distinct=True))
        )

    def in_networks(self):
        """Municipalities that belong to at least one network."""
        return self.filter(self._having("memberships"))

    def with_content(self):
        """Municipalities the directory says something about (members, seats, events, plans)."""
        return self.filter(
            self._having("memberships")
            | self._having("organisations")
            | self._having("events")
            | self._having("plans")
        )


class ComarcaQuerySet(SearchableQuerySet):
    search_fields = {"A": ["name"]}

    def in_name_order(self):
        """By name in the active language ("Aran" among the A's in English)."""
        return self.order_by(catalan(f"name_{get_language()}"))

    def with_places(self):
        """Each comarca's number of municipalities and, per province, whether it reaches it.

        A comarca may straddle provinces (Osona, the Cerdanya): one ``in_province_<code>``
        flag per province, each an indexed EXISTS, keeps this one bounded query.
        """
        return self.annotate(
            municipality_count=models.Count("municipalities"),
            **{
                f"in_province_{code}": models.Exists(
                    Municipality.objects.filter(comarca=models.OuterRef("pk"), province=code)
                )
                for code in Province.values
            },
        )


class Comarca(models.Model):
    """One of Catalonia's 43 comarques (counties), as the ICGC publishes them.

    Names are the same in both languages except where English uses another official form
    (the Val d'Aran is "Aran"); each language has its own slug for its own URL.
    """

    code = models.CharField(
        _("code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("A comarca code has exactly two digits."))],
        help_text=_("Two-digit code of the Institut Cartogràfic i Geològic de Catalunya."),
    )
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=90)

    modified = modified_field()

    objects = ComarcaQuerySet.as_manager()

    class Meta:
        verbose_name = _("comarca")
        verbose_name_plural = _("comarques")
        ordering = [catalan("name_ca")]
        constraints = per_language_unique_slug("comarca")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path("networks:comarca_detail", self.slug)


class Province(models.TextChoices):
    """Catalonia's four provinces, keyed by the first two digits of an INE code."""

    BARCELONA = "08", "Barcelona"
    GIRONA = "17", "Girona"
    LLEIDA = "25", "Lleida"
    TARRAGONA = "43", "Tarragona"


class Municipality(ChoiceLabels, models.Model):
    """One of Catalonia's 947 municipalities, as published by the ICGC.

    Official names are the same in both languages, so they are not translated. The province
    is not entered: it is the first two digits of the INE code.
    """

    ine_code = models.CharField(
        _("INE code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{5}$", _("An INE code has exactly five digits."))],
        help_text=_("Five-digit code of Spain's National Statistics Institute."),
    )
    idescat_code = models.CharField(
        _("Idescat code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("An Idescat code has exactly six digits."))],
        help_text=_(
            "Six-digit code of the Statistical Institute of Catalonia (INE code and a check digit)."
        ),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(40), MaxValueValidator(43)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
    )
    comarca = models.ForeignKey(
        Comarca,
        verbose_name=_("comarca"),
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    province = models.CharField(
        _("province"), max_length=2, choices=Province, editable=False, db_index=True
    )

    modified = modified_field()

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = [catalan("name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.province = (self.ine_code or "")[:2]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("networks:municipality_detail", self.slug)

    def clean(self):
        errors = {}
        if self.ine_code and self.idescat_code and not self.idescat_code.startswith(self.ine_code):
            errors["idescat_code"] = _("The Idescat code must start with the INE code.")
        if self.ine_code and self.ine_code[:2] not in Province.values:
            errors["ine_code"] = _(
                "A Catalan INE code starts with 08, 17, 25 or 43 (the province)."
            )
        if errors:
            raise ValidationError(errors)
        self.province = self.ine_code[:2]


def municipalities_by_id():
    """Every municipality (947) with its comarca, by id, read once per content version in
    each process (30 ms). Callers hand out copies (``attach_municipalities``)."""
    return caching.kept_by_version(
        "municipalities", lambda: {m.pk: m for m in Municipality.objects.select_related("comarca")}
    )


def attach_municipalities(rows):
    """Give a page of organisations or events their municipality with its comarca, as
    ``select_related("municipality__comarca")`` does, from the municipalities kept per
    content version (``municipalities_by_id``): no join, no query.

    The join put two more rows' 19 columns in every row of the query, each built into a
    model instance: 2.4 ms of CPU for 24 organisations, 1.7 ms this way (100: 4.9 -> 3.3).
    Each call hands out its own copies of the municipalities and comarques it shows, never
    the kept instances. Rows of a model without a municipality are left as they are."""
    rows = list(rows)
    if not rows:
        return
    try:
        field = rows[0]._meta.get_field("municipality")
    except FieldDoesNotExist:
        return
    rows = [row for row in rows if row.municipality_id is not None and not field.is_cached(row)]
    if not rows:
        return
    kept = municipalities_by_id()
    if any(row.municipality_id not in kept for row in rows):
        # A municipality added on another server, whose change has not reached us yet.
        caching.forget_kept("municipalities")
        caching.forget_kept("comarques")
        kept = municipalities_by_id()
    municipalities = {}
    for row in rows:
        pk = row.municipality_id
        municipality = municipalities.get(pk)
        if municipality is None and pk in kept:
            municipality = municipalities[pk] = copy.copy(kept[pk])
        if municipality is not None:  # (else the row reads its own, if it is ever shown)
            field.set_cached_value(row, municipality)
    attach_comarques(list(municipalities.values()))


def attach_comarques(municipalities):
    """Give municipalities their comarca, as ``select_related("comarca")`` does, from the
    comarques of the municipalities kept per content version: no join, no query (100
    municipalities of the API: the join's 9 columns and 100 more instances). Each call
    hands out its own copies, never the kept instances."""
    field = Municipality._meta.get_field("comarca")
    kept = caching.kept_by_version(
        "comarques",
        lambda: {m.comarca_id: field.get_cached_value(m) for m in municipalities_by_id().values()},
    )
    copies = {}
    for municipality in municipalities:
        pk = municipality.comarca_id
        if pk not in copies:
            # A comarca added on another server is not kept yet: the municipality's own, if
            # it has one (a copy of a kept municipality does), else it reads its own.
            comarca = kept.get(pk) or field.get_cached_value(municipality, None)
            if comarca is None:
                continue
            copies[pk] = copy.copy(comarca)
        field.set_cached_value(municipality, copies[pk])
