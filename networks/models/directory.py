"""The directory's actors and what they join: organisations, networks (working groups
included) and the strategic lines of a network's work plan, with their querysets."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import JSONObject, Upper
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..collation import catalan
from ..paths import slug_path
from .common import ChoiceLabels, SearchableQuerySet, modified_field, per_language_unique_slug
from .geography import Municipality
from .themes import Theme, theme_list_property


def working_group_order():
    """A network's working groups in the API and the downloads: alphabetical in Catalan."""
    return (catalan("name_ca"), "id")


class OrganisationQuerySet(SearchableQuerySet):
    def in_comarca(self, comarca):
        return self.filter(municipality__comarca=comarca)


class NetworkQuerySet(SearchableQuerySet):
    search_fields = {"A": ["name", "=acronym"], "B": ["summary", "description"]}

    def for_list(self):
        """A page of networks as their cards show them. Their themes: ``attach_theme_lists``."""
        return self.select_related("parent")

    def for_api(self):
        """A page of networks as the API and the downloads write them: their working groups
        and strategic lines read as plain lists, in ``working_group_list`` and
        ``strategic_line_list`` (their themes: ``attach_theme_lists``). Through related
        managers, these prefetches and the themes' took half of a page of 50 networks."""
        return self.prefetch_related(
            Prefetch(
                "working_groups",
                queryset=self.model.objects.order_by(*working_group_order()),
                to_attr="working_group_list",
            ),
            Prefetch(
                "strategic_lines",
                queryset=StrategicLine.objects.order_by("number"),
                to_attr="strategic_line_list",
            ),
        )

    def with_member_counts(self):
        """Each network's ``member_counts``: {"organisations": organisations with a role in
        it, "members": memberships in the member role}, or None without memberships; and
        ``has_municipalities``, whether any municipality has a role in it. Subqueries of the
        row's own query; the two counts in one pass over the memberships (a count each read
        the biggest network's 25,000 three times: 15 ms, now 7)."""
        from .memberships import Membership  # memberships.py imports this module

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


class Organisation(ChoiceLabels, models.Model):
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
    theme_list = theme_list_property

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
        return slug_path("networks:organisation_detail", self.slug)


class Network(ChoiceLabels, models.Model):
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
    theme_list = theme_list_property

    modified = modified_field()

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = [catalan("name_ca")]
        # A network named in a filter (?network=) is found by slug or by acronym, in any
        # case: without this, by walking all 2,000 networks (1.4 ms on each such page).
        indexes = [models.Index(Upper("acronym"), name="network_acronym_upper")]
        constraints = [
            *per_language_unique_slug("network"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="network_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path("networks:network_detail", self.slug)

    def clean(self):
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A network cannot be part of itself.")})

    # What ``NetworkQuerySet.for_api()`` reads for a page of networks, read here for one.
    @cached_property
    def working_group_list(self):
        return list(self.working_groups.order_by(*working_group_order()))

    @cached_property
    def strategic_line_list(self):
        return list(self.strategic_lines.order_by("number"))


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
