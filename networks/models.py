"""The directory: who works in the social and solidarity economy (ESS), and with whom.

An ``Organisation`` is any actor (a cooperative, a council, a university). A ``Network`` is
anything actors join: coalitions, campaigns, consortia, associations of municipalities such
as XMESS, and the working groups inside them (a working group is a network whose ``parent``
is the network it belongs to). ``Membership`` says who is in which network: either an
organisation or a municipality, never both. ``Funding`` says which ``Funder`` paid for what.
``Event`` records conferences, seminars and meetings, with the networks involved.

Human-readable fields are translated by modeltranslation (see ``translation.py``): each has
``_ca`` and ``_en`` columns, and names and slugs are required in both languages because
queries on them do not fall back from one language to the other.

Why one module over 300 lines: these models point at each other both ways (an organisation
hosts networks and is a member of them; a funder may be an organisation), and each keeps its
queryset next to it. Split into files, every file would import every other; read top to
bottom, this is the directory's data model in one sitting.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_language

from .collation import catalan
from .periods import end_after_start, validate_period
from .search import search as full_text_search

YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2100)]


def modified_field():
    """When the entry last changed: the sitemap's ``lastmod`` (kept out of the history)."""
    return models.DateTimeField(_("last modified"), auto_now=True)


def per_language_unique_slug(model_name):
    """Slugs are unique within each language (the original column is only a cache)."""
    return [
        models.UniqueConstraint(fields=[f"slug_{code}"], name=f"{model_name}_unique_slug_{code}")
        for code, _name in settings.LANGUAGES
    ]


def membership_count(side, aggregate):
    """``aggregate`` over the memberships of each row (``side``: "network" or "municipality"),
    as a subquery of the row's own query: no query of its own, no join to de-duplicate."""
    memberships = Membership.objects.filter(**{side: OuterRef("pk")}).order_by().values(side)
    return Coalesce(Subquery(memberships.annotate(n=aggregate).values("n")), 0)


class SearchableQuerySet(models.QuerySet):
    """``search(q)``: see search.py. ``search_fields`` maps a weight to the fields read."""

    search_fields = {"A": ["name"], "B": ["description"]}

    def search(self, query):
        return full_text_search(self, query, self.search_fields)


class ThemeQuerySet(SearchableQuerySet):
    pass


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
        memberships = Membership.objects.filter(network=network).order_by("start_year", "id")
        return self.prefetch_related(
            models.Prefetch("memberships", queryset=memberships, to_attr="chosen_memberships")
        )

    def with_network_count(self):
        """Each municipality's number of networks it has a role in."""
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


class OrganisationQuerySet(SearchableQuerySet):
    def in_comarca(self, comarca):
        return self.filter(municipality__comarca=comarca)


class NetworkQuerySet(SearchableQuerySet):
    search_fields = {"A": ["name", "=acronym"], "B": ["summary", "description"]}

    def for_list(self):
        return self.select_related("parent").prefetch_related("themes")

    def with_member_counts(self):
        """Each network's ``member_counts``: {"organisations": organisations with a role in
        it, "members": memberships in the member role}, or None without memberships; and
        ``has_municipalities``, whether any municipality has a role in it. Subqueries of the
        row's own query; the two counts in one pass over the memberships (a count each read
        the biggest network's 25,000 three times: 15 ms, now 7)."""
        memberships = Membership.objects.filter(network=OuterRef("pk")).order_by()
        counts = JSONObject(
            organisations=Count("organisation", distinct=True),
            # A member has its MEMBER role once per network: these rows are members.
            members=Count("pk", filter=Q(role=Membership.Role.MEMBER)),
        )
        return self.annotate(
            member_counts=Subquery(
                memberships.values("network").annotate(counts=counts).values("counts"),
                output_field=models.JSONField(),
            ),
            has_municipalities=Exists(memberships.filter(municipality__isnull=False)),
        )

    def with_most_municipalities(self):
        """The network with the most member municipalities (XMESS), drawn by default."""
        return (
            self.annotate(
                municipal_members=models.Count("memberships__municipality", distinct=True)
            )
            .filter(municipal_members__gt=0)
            .order_by("-municipal_members", "pk")
            .first()
        )


class FunderQuerySet(SearchableQuerySet):
    pass


def _not_over_on(today):
    return Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today)


class EventQuerySet(SearchableQuerySet):
    search_fields = {"A": ["title"], "B": ["place", "description"]}

    def upcoming(self, today):
        return self.filter(start_date__gte=today).order_by("start_date", "title_ca")

    def past(self, today):
        return self.filter(start_date__lt=today)

    def not_over(self, today):
        """Still running or to come on ``today``; an event without an end date ends on its
        first day."""
        return self.filter(_not_over_on(today))

    def over(self, today):
        return self.exclude(_not_over_on(today))

    def for_list(self):
        return self.select_related("municipality")


class Theme(models.Model):
    """A small vocabulary of subjects that networks, organisations and events work on."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140)
    description = models.TextField(_("description"), blank=True)

    modified = modified_field()

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = [catalan("name_ca")]
        constraints = per_language_unique_slug("theme")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:theme_detail", kwargs={"slug": self.slug})


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
        return reverse("networks:comarca_detail", kwargs={"slug": self.slug})


class Province(models.TextChoices):
    """Catalonia's four provinces, keyed by the first two digits of an INE code."""

    BARCELONA = "08", "Barcelona"
    GIRONA = "17", "Girona"
    LLEIDA = "25", "Lleida"
    TARRAGONA = "43", "Tarragona"


class Municipality(models.Model):
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
        return reverse("networks:municipality_detail", kwargs={"slug": self.slug})

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


class Organisation(models.Model):
    """Any actor of the ESS: a cooperative, an association, a council, a university."""

    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("cooperative")
        ASSOCIATION = "association", _("association")
        FEDERATION = "federation", _("federation or confederation")
        FOUNDATION = "foundation", _("foundation")
        COMPANY = "company", _("company")
        PUBLIC_BODY = "public_body", _("public body")
        UNIVERSITY = "university", _("university")
        INITIATIVE = "initiative", _("initiative, tool or programme")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Where the organisation is based, when known."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text=_("The larger organisation this one belongs to, if any."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="organisations"
    )

    modified = modified_field()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = [catalan("name_ca")]
        constraints = per_language_unique_slug("organisation")
        # Pages of the list and the API in list order, at 100,000 organisations.
        indexes = [models.Index(fields=["name_ca", "id"], name="organisation_list_order")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:organisation_detail", kwargs={"slug": self.slug})


class Network(models.Model):
    """A coalition, campaign, consortium, association of municipalities or working group.

    Working groups point at the network they belong to through ``parent``; a network can
    be hosted by an organisation (``host``), as Lafede.cat hosts its working group.
    """

    class Kind(models.TextChoices):
        NETWORK = "network", _("network or movement")
        COALITION = "coalition", _("coalition")
        CAMPAIGN = "campaign", _("campaign")
        CONSORTIUM = "consortium", _("consortium")
        MUNICIPAL_NETWORK = "municipal_network", _("association of municipalities")
        WORKING_GROUP = "working_group", _("working group")

    class Scope(models.TextChoices):
        LOCAL = "local", _("local")
        CATALAN = "catalan", _("Catalan")
        SPANISH = "spanish", _("Spanish")
        EUROPEAN = "european", _("European")
        GLOBAL = "global", _("global")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.NETWORK)
    scope = models.CharField(
        _("geographic scope"),
        max_length=20,
        choices=Scope,
        blank=True,
        help_text=_("Leave empty when the sources do not say."),
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One sentence, shown in lists and search results."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    social_handle = models.CharField(
        _("social-media handle"),
        max_length=60,
        blank=True,
        help_text=_(
            "An X (Twitter) handle such as @XmessCat, or a Mastodon one such as @name@server: "
            "pages link it to the profile."
        ),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups",
        help_text=_("For a working group: the network it belongs to."),
    )
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("hosted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_networks",
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="networks"
    )

    modified = modified_field()

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = [catalan("name_ca")]
        constraints = [
            *per_language_unique_slug("network"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="network_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:network_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A network cannot be part of itself.")})


class StrategicLine(models.Model):
    """A numbered line of a network's own work plan (XMESS has three)."""

    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="strategic_lines",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("strategic line")
        verbose_name_plural = _("strategic lines")
        ordering = ["network", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "number"], name="strategicline_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


def running_in(year):
    """Memberships the recorded years show running in ``year``, as a condition.

    One with no start year is left out: the sources do not say it had begun.
    """
    return Q(start_year__isnull=False, start_year__lte=year) & (
        Q(end_year__isnull=True) | Q(end_year__gte=year)
    )


class MembershipQuerySet(models.QuerySet):
    def as_of(self, year):
        """Memberships the recorded years show running in ``year`` (see ``running_in``)."""
        return self.filter(running_in(year))

    def first_named(self, field, size):
        """The first ``size`` networks, organisations or municipalities (``field``) these
        memberships name, in name order: a subquery of their keys, for a preview."""
        model = self.model._meta.get_field(field).related_model
        named = self.filter(**{field: OuterRef("pk")})
        return model._default_manager.filter(Exists(named)).values("pk")[:size]

    def previewing(self, field, size):
        """These memberships of the first ``size`` ``field``s by name, with them loaded: one
        query gives a page its preview of one side and every role of each row."""
        # Unordered: the page orders members by name and roles by rank (views.by_member).
        shown = self.filter(**{f"{field}__in": self.first_named(field, size)})
        return shown.select_related(field).order_by()

    def shown_on_network_page(self, network, *, organisations, year=None):
        """What a network's page lists and maps, in one query: the memberships of its first
        ``organisations`` member organisations by name, and every municipal membership (a
        few thousand at most: Catalonia has 947 municipalities, and the map shades each
        member), only those running in ``year`` when given."""
        memberships = self.filter(network=network).select_related("organisation", "municipality")
        municipal = Q(municipality__isnull=False)
        if year:
            municipal &= running_in(year)
        first = memberships.first_named("organisation", organisations)
        # Two halves of one UNION ALL, not one OR: PostgreSQL cannot estimate the OR and
        # joined the biggest network's 25,000 memberships to a scan of every organisation
        # (35 ms); each half reads only its own rows through its index (0.6 ms).
        return (
            memberships.filter(organisation__in=first)
            .order_by()
            .union(memberships.filter(municipal).order_by(), all=True)
        )


class Membership(models.Model):
    """An organisation or a municipality taking part in a network, in a given role."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        PROMOTING_GROUP = "promoting_group", _("promoting group")
        EXECUTIVE_COMMISSION = "executive_commission", _("executive commission")
        PARTNER = "partner", _("partner")

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role, default=Role.MEMBER)
    start_year = models.PositiveSmallIntegerField(
        _("since"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    end_year = models.PositiveSmallIntegerField(
        _("until"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_(
            "Where these facts come from, with the years the source gives (for example "
            '"joined at the Amposta assembly in October 2024"). A year in "since" needs '
            "a source that says the role began then."
        ),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network", "role", "start_year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, municipality__isnull=True)
                    | Q(organisation__isnull=True, municipality__isnull=False)
                ),
                name="membership_one_member",
                violation_error_message=_(
                    "Choose either an organisation or a municipality, not both."
                ),
            ),
            end_after_start("membership_end_after_start", optional=["end_year", "start_year"]),
            models.UniqueConstraint(
                fields=["network", "organisation", "role"],
                condition=Q(organisation__isnull=False),
                name="membership_unique_organisation_role",
                violation_error_message=_(
                    "This organisation already has this role in this network."
                ),
            ),
            models.UniqueConstraint(
                fields=["network", "municipality", "role"],
                condition=Q(municipality__isnull=False),
                name="membership_unique_municipality_role",
                violation_error_message=_(
                    "This municipality already has this role in this network."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.network} ({self.get_role_display()})"

    @property
    def member(self):
        return self.organisation or self.municipality

    def is_running_in(self, year):
        """The same rule as ``Membership.objects.as_of(year)``, for rows already loaded."""
        if self.start_year is None or self.start_year > year:
            return False
        return self.end_year is None or self.end_year >= year

    def clean(self):
        # "Either an organisation or a municipality" is the constraint membership_one_member,
        # which full_clean validates: checking it here too showed its message twice.
        validate_period(self)


class ReportedMemberCount(models.Model):
    """How many members a source says a network had at a given time.

    The directory lists only the members it can name; pages set that list against these
    figures so a reader knows how much of the membership is recorded.
    """

    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="reported_member_counts",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    count = models.PositiveIntegerField(_("number of members"))
    description = models.CharField(
        _("what was counted"),
        max_length=200,
        help_text=_('For example "member councils when it was founded".'),
    )
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("reported number of members")
        verbose_name_plural = _("reported numbers of members")
        ordering = ["network", "year", "id"]

    def __str__(self):
        return f"{self.network}: {self.count} ({self.year})"


class Funder(models.Model):
    """A body that funds ESS work: a council, the European Union, a foundation."""

    class Kind(models.TextChoices):
        LOCAL_GOVERNMENT = "local_government", _("local government")
        REGIONAL_GOVERNMENT = "regional_government", _("regional government")
        EUROPEAN_UNION = "european_union", _("European Union")
        FOUNDATION = "foundation", _("foundation")
        PRIVATE = "private", _("private funder")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("directory entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funder",
        help_text=_("The funder's own entry in the directory, if it has one."),
    )

    modified = modified_field()

    objects = FunderQuerySet.as_manager()

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = [catalan("name_ca")]
        constraints = per_language_unique_slug("funder")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:funder_detail", kwargs={"slug": self.slug})


class Funding(models.Model):
    """What a funder paid for: a network, an organisation, an event or a named project."""

    funder = models.ForeignKey(
        Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="fundings"
    )
    project = models.CharField(
        _("project"),
        max_length=200,
        blank=True,
        help_text=_("What was funded, in words (e.g. a project's name)."),
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fundings",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fundings",
    )
    event = models.ForeignKey(
        "Event",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fundings",
    )
    description = models.TextField(_("description"), blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("from year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    end_year = models.PositiveSmallIntegerField(
        _("to year"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Leave empty while the funding goes on or when the end is not known."),
    )
    agreements = models.PositiveSmallIntegerField(
        _("agreements"),
        null=True,
        blank=True,
        help_text=_("Number of collaboration agreements signed, when known."),
    )
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        ordering = ["funder", "start_year", "id"]
        # A funder's page lists its first fundings in this order (one funder has 2,000).
        indexes = [models.Index(fields=["funder", "start_year", "id"], name="funding_list_order")]
        constraints = [
            end_after_start("funding_end_after_start", optional=["end_year", "start_year"]),
        ]

    def __str__(self):
        return f"{self.funder} → {self.target}"

    @property
    def target(self):
        return self.project or self.network or self.organisation or self.event or "—"

    @property
    def years(self):
        """The years this funding covers, as a list (empty when not known)."""
        if self.start_year is None:
            return []
        return list(range(self.start_year, (self.end_year or self.start_year) + 1))

    def clean(self):
        validate_period(self)
        if not (self.project or self.network_id or self.organisation_id or self.event_id):
            raise ValidationError(
                _("Say what was funded: a project, a network, an organisation or an event.")
            )


EVENT_ENDS_BEFORE_START = _("The event ends before it starts.")


class Event(models.Model):
    """A conference, seminar, fair or meeting, with who organised it and who took part."""

    class Precision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")
        YEAR = "year", _("year")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=220)
    start_date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=Precision,
        default=Precision.DAY,
        help_text=_(
            "When only the month or the year is known, the day (and month) are shown "
            "no more precisely than this."
        ),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    description = models.TextField(_("description"), blank=True)
    recording_url = models.URLField(_("recording"), blank=True)
    organisers = models.ManyToManyField(
        Organisation, verbose_name=_("organisers"), blank=True, related_name="organised_events"
    )
    participants = models.ManyToManyField(
        Organisation,
        verbose_name=_("took part"),
        blank=True,
        related_name="events_taken_part_in",
        help_text=_("Organisations that gave a talk or a workshop without organising the event."),
    )
    networks = models.ManyToManyField(
        Network, verbose_name=_("networks involved"), blank=True, related_name="events"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="events"
    )

    modified = modified_field()

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "title_ca"]
        # The list, the feeds and the home page's coming and past events read by date.
        indexes = [models.Index(fields=["-start_date", "title_ca"], name="event_list_order")]
        constraints = [
            *per_language_unique_slug("event"),
            end_after_start(
                "event_end_after_start",
                start="start_date",
                end="end_date",
                optional=["end_date"],
                message=EVENT_ENDS_BEFORE_START,
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("networks:event_detail", kwargs={"slug": self.slug})

    def clean(self):
        validate_period(self, "start_date", "end_date", EVENT_ENDS_BEFORE_START)


class EditorProfile(models.Model):
    """Links a staff account to the one municipality whose entries it may change."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="editor_profile",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="editors",
    )

    class Meta:
        verbose_name = _("municipal editor")
        verbose_name_plural = _("municipal editors")

    def __str__(self):
        return f"{self.user} ({self.municipality})"


# Bulk imports keep a record of what they did (see imports/models.py).
from .imports.models import ImportEntry, ImportRecord  # noqa: E402, F401
