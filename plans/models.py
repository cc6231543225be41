"""Yearly training plans: each state body says how many of its people it will send to which
programme (or to a kind of training of so many academic hours) in which quarter, with the
names where known. The academy sets the year's submission deadline; after it (or after the
academy locks the year early) plans change by request only."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Programme, ProgrammeKind
from people.models import Agency, CivilServant


class PlanningYear(models.Model):
    """A year the academy collects plans for, and until when."""

    wagtail_reference_index_ignore = True

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    submission_deadline = models.DateField(_("submission deadline"))
    # Set when the academy locks the year before its deadline; the deadline locks it anyway.
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("planning year")
        verbose_name_plural = _("planning years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def is_locked(self, today: datetime.date | None = None) -> bool:
        """Locked once the deadline has passed or the academy locked it."""
        today = today or timezone.localdate()
        return self.locked_at is not None or today > self.submission_deadline


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class TrainingPlan(models.Model):
    wagtail_reference_index_ignore = True

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="training_plans",
        verbose_name=_("state body"),
    )
    year = models.ForeignKey(
        PlanningYear, on_delete=models.PROTECT, related_name="plans", verbose_name=_("year")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year__year", "agency__name_ru"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_plan_per_agency_and_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.year}"


class PlanLine(models.Model):
    """So many people to a programme — or to a kind of training of at least so many academic
    hours when the programme is not chosen yet — in a quarter."""

    wagtail_reference_index_ignore = True

    plan = models.ForeignKey(
        TrainingPlan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("plan")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_lines",
        verbose_name=_("programme"),
    )
    kind = models.CharField(
        _("kind of training"), max_length=16, choices=ProgrammeKind.choices, blank=True
    )
    hours = models.PositiveSmallIntegerField(
        _("academic hours"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    people_count = models.PositiveIntegerField(
        _("number of people"), validators=[MinValueValidator(1)]
    )
    servants = models.ManyToManyField(
        CivilServant, blank=True, related_name="plan_lines", verbose_name=_("named people")
    )

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["quarter", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme__isnull=False)
                | (~models.Q(kind="") & models.Q(hours__isnull=False)),
                name="plan_line_programme_or_kind_and_hours",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="plan_line_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(people_count__gte=1), name="plan_line_people_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what} · Q{self.quarter} · {self.people_count}"

    @property
    def what(self) -> str:
        return training_label(self.programme if self.programme_id else None, self.kind, self.hours)


def training_label(programme: Programme | None, kind: str, hours: int | None) -> str:
    """A programme, or a kind of training and its hours, as a reader of the active language
    reads it."""
    if programme is not None:
        return f"{programme.code} {programme.title}"
    from django.utils.text import capfirst
    from django.utils.translation import gettext

    label = ProgrammeKind(kind).label if kind in ProgrammeKind.values else kind
    return gettext("%(kind)s, at least %(hours)s ac. h") % {
        "kind": capfirst(str(label)),
        "hours": hours,
    }
