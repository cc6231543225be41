import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, LockableMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from core.i18n import localized_field
from people.categories import audience_includes, parse_audience, validate_audience


class ProgrammeKind(models.TextChoices):
    QUALIFICATION_UPGRADE = "upgrade", _("qualification upgrade")
    RETRAINING = "retraining", _("retraining")
    SEMINAR = "seminar", _("seminar")


class ProgrammeFormat(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    BLENDED = "blended", _("blended")


class Programme(
    PreviewableMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model
):
    """A training programme the academy branch publishes. Sessions are its dated runs."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9][A-Z0-9-]*$",
                _("Use capital Latin letters, digits and hyphens, e.g. ANTI-CORR-16."),
            )
        ],
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=255)
    title_ru = models.CharField(_("title (Russian)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    description_kk = RichTextField(_("description (Kazakh)"), blank=True)
    description_ru = RichTextField(_("description (Russian)"), blank=True)
    description_en = RichTextField(_("description (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ProgrammeKind.choices)
    academic_hours = models.PositiveSmallIntegerField(
        _("academic hours"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    format = models.CharField(_("format"), max_length=16, choices=ProgrammeFormat.choices)
    audience = models.CharField(
        _("audience categories"),
        max_length=255,
        blank=True,
        validators=[validate_audience],
        help_text=_("Comma-separated categories or patterns (C-O-*, D-3). Empty: everyone."),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("validity (years)"), default=3, validators=[MinValueValidator(1)]
    )
    requires_approval = models.BooleanField(_("requires approval"), default=False)
    required_attendance_percent = models.PositiveSmallIntegerField(
        _("required attendance (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # Derived, for the catalog: case-folded text to search (SQLite's LIKE folds ASCII only)
    # and the audience as ",C-O-*,D-3," so a category filter is one indexed-free SQL test.
    search_text = models.TextField(editable=False, blank=True, default="")
    audience_index = models.CharField(editable=False, max_length=300, blank=True, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    search_fields = [
        index.SearchField("code"),
        index.SearchField("title_kk"),
        index.SearchField("title_ru"),
        index.SearchField("title_en"),
        index.SearchField("summary_kk"),
        index.SearchField("summary_ru"),
        index.SearchField("summary_en"),
        index.AutocompleteField("title_ru"),
        index.AutocompleteField("title_kk"),
        index.FilterField("kind"),
        index.FilterField("format"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = " ".join(
            [
                self.code,
                self.title_kk,
                self.title_ru,
                self.title_en,
                self.summary_kk,
                self.summary_ru,
                self.summary_en,
            ]
        ).casefold()
        patterns = parse_audience(self.audience)
        self.audience_index = f",{','.join(patterns)}," if patterns else ""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "audience_index"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if (
            self.kind == ProgrammeKind.RETRAINING
            and self.academic_hours
            and self.academic_hours < 120
        ):
            raise ValidationError(
                {"academic_hours": _("Retraining takes at least 120 academic hours.")}
            )

    @property
    def title(self) -> str:
        return localized_field(self, "title")

    @property
    def summary(self) -> str:
        return localized_field(self, "summary")

    @property
    def description(self) -> str:
        return localized_field(self, "description")

    @property
    def audience_list(self) -> list[str]:
        return parse_audience(self.audience)

    def is_open_to(self, category: str) -> bool:
        return audience_includes(self.audience, category)

    def get_absolute_url(self) -> str:
        return reverse("programme_detail", kwargs={"code": self.code})

    def get_preview_template(self, request, mode_name):
        return "courses/programme_preview.html"


class SessionLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    BOTH = "both", _("Kazakh and Russian")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")
    FINISHED = "finished", _("finished")


class SessionPhase(models.TextChoices):
    """Where a session is in its life, from its dates (and its cancellation): what the academy
    may do with it (results and certificates once it has started)."""

    UPCOMING = "upcoming", _("upcoming")
    RUNNING = "running", _("running")
    FINISHED = "finished", _("finished")
    CANCELLED = "cancelled", _("cancelled")


class Session(models.Model):
    """One dated run of a programme, with a capacity and an enrolment window."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("programme")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    location_kk = models.CharField(_("location (Kazakh)"), max_length=255, blank=True)
    location_ru = models.CharField(_("location (Russian)"), max_length=255, blank=True)
    location_en = models.CharField(_("location (English)"), max_length=255, blank=True)
    language = models.CharField(
        _("language of instruction"), max_length=4, choices=SessionLanguage.choices
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    enrolment_opens_on = models.DateField(
        _("enrolment opens on"),
        null=True,
        blank=True,
        help_text=_("Empty: 30 days before the start."),
    )
    enrolment_closes_on = models.DateField(
        _("enrolment closes on"),
        null=True,
        blank=True,
        help_text=_("Empty: 5 days before the start."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.starts_on:%Y-%m-%d}"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A session cannot end before it starts.")
        if self.starts_on and self.opens_on > self.closes_on:
            errors["enrolment_closes_on"] = _("Enrolment cannot close before it opens.")
        if (
            self.starts_on
            and self.enrolment_closes_on
            and self.enrolment_closes_on > self.starts_on
        ):
            errors["enrolment_closes_on"] = _("Enrolment must close by the first day.")
        if errors:
            raise ValidationError(errors)

    @property
    def location(self) -> str:
        return localized_field(self, "location")

    @property
    def opens_on(self) -> datetime.date:
        return self.enrolment_opens_on or self.starts_on - datetime.timedelta(
            days=settings.ENROLMENT_OPENS_DAYS_BEFORE
        )

    @property
    def closes_on(self) -> datetime.date:
        return self.enrolment_closes_on or self.starts_on - datetime.timedelta(
            days=settings.ENROLMENT_CLOSES_DAYS_BEFORE
        )

    def window_is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == SessionStatus.SCHEDULED and self.opens_on <= today <= self.closes_on

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def phase(self, today: datetime.date | None = None) -> str:
        """upcoming / running / finished by its dates (finished also when marked so), or
        cancelled."""
        today = today or timezone.localdate()
        if self.status == SessionStatus.CANCELLED:
            return SessionPhase.CANCELLED
        if self.status == SessionStatus.FINISHED or self.ends_on < today:
            return SessionPhase.FINISHED
        if self.starts_on <= today:
            return SessionPhase.RUNNING
        return SessionPhase.UPCOMING

    def get_phase_display(self) -> str:
        return str(SessionPhase(self.phase()).label)

    def has_started(self, today: datetime.date | None = None) -> bool:
        """Attendance, results and certificates belong to a session that has started."""
        return self.starts_on <= (today or timezone.localdate())
