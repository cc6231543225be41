from django.conf import settings
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
    # What monitoring by the civil-service agency found.
    violations = models.PositiveSmallIntegerField(_("procedure violations found"), default=0)
    officials_liable = models.PositiveSmallIntegerField(_("officials held liable"), default=0)
    decision_cancelled = models.BooleanField(_("commission decision cancelled"), default=False)
    rerun_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reruns",
        verbose_name=_("re-run of"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-held_on", "pk"]
        # The register is filled by imports; importing is not editing in the admin.
        permissions = [("import_competition", _("Can import competitions"))]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "position_title", "category", "held_on"],
                name="one_competition_per_position_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position_title} ({self.category}), {self.held_on:%Y-%m-%d}"


class RuleSet(models.Model):
    """The merit rule's numbers, valid from a date. Rules change by order: a new version with
    a later `effective_from`, never an edit of one already in force. The training hours and
    retraining it checks are the training requirement (`enrolments.TrainingRequirement`, read
    through `enrolments.requirements`), not numbers of its own."""

    version = models.CharField(_("version"), max_length=32, unique=True)
    effective_from = models.DateField(_("effective from"), unique=True)
    consecutive_effective_quarters = models.PositiveSmallIntegerField(
        _("consecutive quarters rated effective"), default=4
    )
    basis = models.CharField(_("legal basis (order)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.version} ({self.effective_from:%Y-%m-%d})"


class QualificationRequirement(models.Model):
    """What a target position category requires, under one rule set, besides the training
    requirement (whose hours per category are `enrolments.TrainingRequirementCategory`)."""

    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("rule set")
    )
    category_pattern = models.CharField(
        _("target category"), max_length=16, help_text=_("A code (C-O-3) or a pattern (C-O-*).")
    )
    required_programmes = models.CharField(
        _("required programmes (codes)"), max_length=255, blank=True
    )
    min_years_of_service = models.PositiveSmallIntegerField(
        _("minimum years in civil service"), default=0
    )

    class Meta:
        verbose_name = _("qualification requirement")
        verbose_name_plural = _("qualification requirements")
        ordering = ["rule_set", "category_pattern"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "category_pattern"], name="one_requirement_per_pattern"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_pattern} ({self.rule_set.version})"

    @property
    def programme_codes(self) -> list[str]:
        return [c.strip().upper() for c in self.required_programmes.split(",") if c.strip()]


class MeritAppointment(models.Model):
    """An appointment to a higher position without competition under the merit rule, counted
    apart from competitions in the meritocracy figures."""

    wagtail_reference_index_ignore = True

    servant = models.ForeignKey(
        CivilServant,
        on_delete=models.PROTECT,
        related_name="merit_appointments",
        verbose_name=_("civil servant"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="merit_appointments",
        verbose_name=_("state body"),
    )
    position_title = models.CharField(_("position"), max_length=255)
    category = models.CharField(
        _("category"), max_length=8, choices=CATEGORY_CHOICES, validators=[validate_category]
    )
    appointed_on = models.DateField(_("appointed on"), db_index=True)
    eligibility_check = models.ForeignKey(
        "EligibilityCheck",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eligibility check"),
    )

    class Meta:
        verbose_name = _("appointment under the merit rule")
        verbose_name_plural = _("appointments under the merit rule")
        ordering = ["-appointed_on"]

    def __str__(self) -> str:
        return f"{self.servant} → {self.position_title} ({self.appointed_on:%Y-%m-%d})"


class EligibilityCheck(models.Model):
    """A check HR ran, frozen: inputs, rule version and the full explained result."""

    wagtail_reference_index_ignore = True

    servant = models.ForeignKey(
        CivilServant,
        on_delete=models.PROTECT,
        related_name="eligibility_checks",
        verbose_name=_("civil servant"),
    )
    target_category = models.CharField(_("target category"), max_length=8)
    as_of = models.DateField(_("as of"))
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="checks", verbose_name=_("rule set")
    )
    eligible = models.BooleanField(_("eligible"))
    result = models.JSONField(_("result"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    created_at = models.DateTimeField(_("checked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.servant} → {self.target_category} ({self.as_of:%Y-%m-%d})"

    def explained_criteria(self) -> list[dict]:
        """The stored criteria in words of the active language (the check screen, a refusal):
        each with code, label, met, explanation, gap and evidence. A check stored before the
        codes shows the sentences it stored."""
        from .explanations import explained_criterion

        return [explained_criterion(c) for c in (self.result or {}).get("criteria", [])]


class TrainingReminder(models.Model):
    """One reminder that a servant's training requirement will lapse: claimed by inserting
    this row (unique per servant and lapse date), so nobody is e-mailed twice."""

    wagtail_reference_index_ignore = True

    servant = models.ForeignKey(
        CivilServant, on_delete=models.CASCADE, related_name="+", verbose_name=_("civil servant")
    )
    lapses_on = models.DateField(_("training lapses on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training reminder")
        verbose_name_plural = _("training reminders")
        constraints = [
            models.UniqueConstraint(fields=["servant", "lapses_on"], name="one_reminder_per_lapse")
        ]

    def __str__(self) -> str:
        return f"{self.servant_id} {self.lapses_on:%Y-%m-%d}"
