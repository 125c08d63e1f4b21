"""Who pays for ESS work: funders and their fundings (of a network, an organisation, an event
or a named project)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..collation import catalan
from ..paths import slug_path
from ..periods import end_after_start, validate_period
from .common import (
    YEAR_VALIDATORS,
    ChoiceLabels,
    SearchableQuerySet,
    modified_field,
    per_language_unique_slug,
)
from .directory import Network, Organisation


class FunderQuerySet(SearchableQuerySet):
    pass


class Funder(ChoiceLabels, models.Model):
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
        return slug_path("networks:funder_detail", self.slug)


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
