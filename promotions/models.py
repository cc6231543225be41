from django.db import models
from django.utils.translation import gettext_lazy as _

from people.categories import CATEGORY_CHOICES, validate_category
from people.models import Agency, CivilServant


class CompetitionKind(models.TextChoices):
    GENERAL = "general", _("general competition")
    INTERNAL = "internal", _("internal competition")


class CompetitionOutcome(models.TextChoices):
    PROMOTED = "promoted", _("appointed to a higher position")
    APPOINTED = "appointed", _("appointed")
    FAILED = "failed", _("did not take place")


class Competition(models.Model):
    """A competition for a vacant position, as the register and the meritocracy figures see it."""

    wagtail_reference_index_ignore = True

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="competitions", verbose_name=_("state body")
    )
    position_title = models.CharField(_("position"), max_length=255)
    category = models.CharField(
        _("category"), max_length=8, choices=CATEGORY_CHOICES, validators=[validate_category]
    )
    held_on = models.DateField(_("held on"), db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CompetitionKind.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CompetitionOutcome.choices)
    winner = models.ForeignKey(
        CivilServant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competitions_won",
        verbose_name=_("winner"),
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-held_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "position_title", "category", "held_on"],
                name="one_competition_per_position_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position_title} ({self.category}), {self.held_on:%Y-%m-%d}"
