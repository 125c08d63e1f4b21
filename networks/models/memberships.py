"""Who is in which network: memberships (of an organisation or a municipality), the years
they run, and the member counts sources report for a network."""

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ..periods import end_after_start, validate_period
from .common import YEAR_VALIDATORS, ChoiceLabels
from .directory import Network, Organisation
from .geography import Municipality


def membership_count(side, aggregate):
    """``aggregate`` over the memberships of each row (``side``: "network" or "municipality"),
    as a subquery of the row's own query: no query of its own, no join to de-duplicate."""
    memberships = Membership.objects.filter(**{side: OuterRef("pk")}).order_by().values(side)
    return Coalesce(Subquery(memberships.annotate(n=aggregate).values("n")), 0)


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


class Membership(ChoiceLabels, models.Model):
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
