import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import language_of, localized_field
from courses.models import Programme, ProgrammeKind, Session
from people.models import CivilServant

NAME_LANGUAGES = ("kk", "ru", "en")


class EnrolmentStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("awaiting approval")
    ENROLLED = "enrolled", _("enrolled")
    WAITLISTED = "waitlisted", _("on the waiting list")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CANCELLED = "cancelled", _("cancelled")
    COMPLETED = "completed", _("completed")
    FAILED = "failed", _("not passed")
    NO_SHOW = "no_show", _("did not attend")


# Statuses that hold a seat: capacity minus these is what is free.
SEAT_HOLDING = (
    EnrolmentStatus.PENDING_APPROVAL,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.FAILED,
    EnrolmentStatus.NO_SHOW,
)
# Statuses that count as "already enrolled in this session" (one per servant and session).
ACTIVE = (*SEAT_HOLDING, EnrolmentStatus.WAITLISTED)
UPCOMING = (
    EnrolmentStatus.PENDING_APPROVAL,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.WAITLISTED,
)


class Priority(models.IntegerChoices):
    VOLUNTARY = 0, _("voluntary training")
    RETRAINING_DUE = 10, _("retraining due after a first appointment")


class Enrolment(models.Model):
    # Not referenced from pages or snippets: skip Wagtail's reference index on every save.
    wagtail_reference_index_ignore = True
    servant = models.ForeignKey(
        CivilServant,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("civil servant"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("session")
    )
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.VOLUNTARY
    )
    # Why the priority, as data (`enrolments.explanations`), rendered in the reader's language;
    # `priority_reason` holds the sentence rows written before it stored.
    priority_basis = models.JSONField(
        _("priority basis (code and values)"), default=dict, blank=True
    )
    priority_reason = models.CharField(_("reason for priority"), max_length=255, blank=True)
    requested_at = models.DateTimeField(_("requested at"), db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    attended_hours = models.PositiveSmallIntegerField(_("attended hours"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    finished_at = models.DateTimeField(_("result recorded at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "-priority", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["servant", "session"],
                condition=models.Q(status__in=[s.value for s in ACTIVE]),
                name="one_active_enrolment_per_session",
            )
        ]
        indexes = [
            models.Index(fields=["session", "status"]),
            # The requests waiting for a decision (approvals, the count in the menu, the home
            # panels): few rows of many, so a partial index.
            models.Index(
                fields=["requested_at"],
                condition=models.Q(status="pending_approval"),
                name="enrolment_pending_idx",
            ),
            # The same requests by person: an HR officer's count joins them to the people of
            # their state bodies (every admin page shows it in the menu).
            models.Index(
                fields=["servant"],
                condition=models.Q(status="pending_approval"),
                name="enrolment_pending_servant_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.servant} → {self.session} ({self.get_status_display()})"

    def get_priority_reason_display(self) -> str:
        """Why this enrolment has its priority, in the active language (the inspect view and
        My learning read it)."""
        from .explanations import explain_priority

        return explain_priority(self.priority_basis, self.priority_reason)

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING


class RecordSource(models.TextChoices):
    ENROLMENT = "enrolment", _("completed enrolment")
    IMPORT = "import", _("imported")
    MANUAL = "manual", _("entered by hand")


def new_record_uid() -> str:
    return secrets.token_hex(8)


class QualificationRecord(models.Model):
    """A completed training, as HR and the promotion rules see it.

    Records are never edited in place: a correction is a new record whose `supersedes`
    points at the old one; the old one stays, marked superseded, for the history.
    """

    # Not referenced from pages or snippets: skip Wagtail's reference index on every save.
    wagtail_reference_index_ignore = True

    uid = models.CharField(
        _("record id"), max_length=16, unique=True, default=new_record_uid, editable=False
    )
    servant = models.ForeignKey(
        CivilServant,
        on_delete=models.PROTECT,
        related_name="qualification_records",
        verbose_name=_("civil servant"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qualification_records",
        verbose_name=_("programme"),
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qualification_records",
        verbose_name=_("enrolment"),
    )
    # Names per language, so a Kazakh transcript shows the Kazakh title (title_in, provider_in).
    title_kk = models.CharField(
        _("title (Kazakh)"),
        max_length=500,
        blank=True,
        help_text=_("The programme's title, or an external course."),
    )
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ProgrammeKind.choices)
    provider_kk = models.CharField(_("provider (Kazakh)"), max_length=255, blank=True)
    provider_ru = models.CharField(_("provider (Russian)"), max_length=255, blank=True)
    provider_en = models.CharField(_("provider (English)"), max_length=255, blank=True)
    hours = models.PositiveSmallIntegerField(_("academic hours"))
    completed_on = models.DateField(_("completed on"))
    valid_until = models.DateField(_("valid until"))
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=RecordSource.choices)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    is_current = models.BooleanField(_("current"), default=True, db_index=True)
    correction_reason = models.TextField(_("reason for correction"), blank=True)
    # A correction the system made (a result changed, an import), as data rendered in the
    # reader's language (`enrolments.explanations`); a person's reason stays in the text.
    correction_basis = models.JSONField(
        _("correction basis (code and values)"), default=dict, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("qualification record")
        verbose_name_plural = _("qualification records")
        ordering = ["servant", "-completed_on", "pk"]
        # Imports add and supersede records through the services; the admin stays view-only.
        permissions = [("import_qualificationrecord", _("Can import completed trainings"))]
        # The admin list's first page, newest first (tests/test_query_plans.py).
        indexes = [models.Index(fields=["completed_on"], name="record_completed_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(is_current=True, enrolment__isnull=False),
                name="one_current_record_per_enrolment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.hours} h, {self.completed_on:%Y-%m-%d})"

    def get_correction_reason_display(self) -> str:
        """Why this record was corrected or withdrawn, in the active language."""
        from .explanations import explain_correction

        return explain_correction(self.correction_basis, self.correction_reason)

    def clean(self):
        missing = {}
        if not (self.title_kk or self.title_ru or self.title_en):
            missing["title_ru"] = _("Give the title in at least one language.")
        if not (self.provider_kk or self.provider_ru or self.provider_en):
            missing["provider_ru"] = _("Give the provider in at least one language.")
        if missing:
            raise ValidationError(missing)

    def title_in(self, language: str | None = None) -> str:
        """The title in `language` (the active one by default), else kk → ru → en."""
        return localized_field(self, "title", language)

    def provider_in(self, language: str | None = None) -> str:
        """The provider in `language` (the active one by default), else kk → ru → en."""
        return localized_field(self, "provider", language)

    def set_names(self, *, title: str | None = None, provider: str | None = None) -> None:
        """Replaces a name by one text in one language: the language it is written in
        (core.i18n.language_of); the name's other languages are cleared."""
        for name, text in (("title", title), ("provider", provider)):
            if text is None:
                continue
            text = text.strip()
            language = language_of(text)
            for code in NAME_LANGUAGES:
                setattr(self, f"{name}_{code}", text if code == language else "")

    # The names as callers from before per-language names use them: read in the active
    # language; a write replaces the name with the text in the language it is written in.
    def _get_title(self) -> str:
        return self.title_in()

    def _set_title(self, value: str) -> None:
        self.set_names(title=value or "")

    def _get_provider(self) -> str:
        return self.provider_in()

    def _set_provider(self, value: str) -> None:
        self.set_names(provider=value or "")

    _get_title.short_description = _("title")
    _get_provider.short_description = _("provider")
    title = property(_get_title, _set_title)
    provider = property(_get_provider, _set_provider)

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.is_current and self.completed_on <= day <= self.valid_until


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The unguessable address of a servant's private calendar of their sessions."""

    # Not referenced from pages or snippets: skip Wagtail's reference index on every save.
    wagtail_reference_index_ignore = True

    servant = models.OneToOneField(
        CivilServant,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("civil servant"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.servant} calendar"


class TrainingRequirement(models.Model):
    """What every civil servant owes in training, in force from a date: academic hours of
    qualification upgrade or retraining in a window of years (at least `min_hours`, or more
    for the categories listed under it), and retraining within some months of a first
    appointment. The one definition: waiting-list priority, My learning, transcripts and the
    promotion rules all read it through `enrolments.requirements`. Changed by adding a
    version with a later `effective_from`, never by editing one in force."""

    effective_from = models.DateField(_("effective from"), unique=True)
    window_years = models.PositiveSmallIntegerField(_("training window (years)"), default=3)
    min_hours = models.PositiveSmallIntegerField(
        _("minimum academic hours of qualification upgrade in the window"), default=36
    )
    retraining_due_months = models.PositiveSmallIntegerField(
        _("retraining due within (months of a first appointment)"), default=6
    )
    retraining_required = models.BooleanField(
        _("retraining after a first appointment"), default=True
    )
    basis = models.CharField(_("legal basis (order)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m-%d}"


class TrainingRequirementCategory(models.Model):
    """More hours for a position category (a code C-O-3 or a pattern C-O-*; the most specific
    match wins; the higher of this and the version's minimum applies)."""

    requirement = models.ForeignKey(
        TrainingRequirement,
        on_delete=models.CASCADE,
        related_name="categories",
        verbose_name=_("training requirement"),
    )
    category_pattern = models.CharField(
        _("category"), max_length=16, help_text=_("A code (C-O-3) or a pattern (C-O-*).")
    )
    min_hours = models.PositiveSmallIntegerField(_("minimum academic hours in the window"))

    class Meta:
        verbose_name = _("training hours for a category")
        verbose_name_plural = _("training hours for categories")
        ordering = ["requirement", "category_pattern"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "category_pattern"],
                name="one_training_minimum_per_pattern",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_pattern}: {self.min_hours}"
