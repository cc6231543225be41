import secrets

import pgtrigger
from django.conf import settings
from django.contrib import admin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.i18n import localized_field
from core.validators import validate_bin, validate_iin

from .categories import CATEGORY_CHOICES, validate_category


class Agency(models.Model):
    """A state body: the regional akimat, its departments, district akimats, territorial bodies."""

    bin = models.CharField(_("BIN"), max_length=12, unique=True, validators=[validate_bin])
    code = models.SlugField(
        _("short code"),
        max_length=32,
        unique=True,
        help_text=_("Short code used in logins and file names, e.g. akimat-oral."),
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("state body")
        verbose_name_plural = _("state bodies")
        ordering = ["name_ru"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized_field(self, "name")


class Position(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="positions", verbose_name=_("state body")
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=255)
    title_ru = models.CharField(_("title (Russian)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    category = models.CharField(
        _("category"), max_length=8, choices=CATEGORY_CHOICES, validators=[validate_category]
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["agency__name_ru", "category", "title_ru"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "title_ru", "category"], name="position_unique_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.category})"

    @property
    def title(self) -> str:
        return localized_field(self, "title")


def new_pseudonym() -> str:
    # 48 random bits: enough to be unique among a country's civil servants, short to read.
    return "P-" + secrets.token_hex(6).upper()


class CivilServant(models.Model):
    iin = models.CharField(_("IIN"), max_length=12, unique=True, validators=[validate_iin])
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="kk"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="servants",
        verbose_name=_("state body"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        related_name="servants",
        verbose_name=_("position"),
        null=True,
        blank=True,
    )
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    first_appointed_on = models.DateField(
        _("first appointed to corps B on"),
        null=True,
        blank=True,
        help_text=_("Retraining is due within 6 months of a first appointment."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="civil_servant",
        verbose_name=_("login"),
    )
    pseudonym = models.CharField(
        _("pseudonymous id"),
        max_length=16,
        unique=True,
        default=new_pseudonym,
        editable=False,
        help_text=_("Used in reports instead of the name and IIN."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("civil servant")
        verbose_name_plural = _("civil servants")
        ordering = ["last_name", "first_name"]
        # The admin list's first page, sorted by name (tests/test_query_plans.py).
        indexes = [models.Index(fields=["last_name", "first_name"], name="servant_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def name_to_address(self) -> str:
        """How a letter greets the person: first name and patronymic where there is one
        («Әйгерім Серікқызы», «Иван Петрович»), the way both languages address someone
        politely without a gendered title; the full name if the first name is missing."""
        if not self.first_name:
            return self.full_name
        return " ".join(p for p in (self.first_name, self.middle_name) if p)

    @property
    def category(self) -> str:
        return self.position.category if self.position_id else ""


class Rating(models.TextChoices):
    EFFECTIVE = "effective", _("performs functional duties effectively")
    PROPER = "proper", _("performs functional duties properly")
    SATISFACTORY = "satisfactory", _("performs functional duties satisfactorily")
    UNSATISFACTORY = "unsatisfactory", _("performs functional duties unsatisfactorily")


class PerformanceRating(models.Model):
    # Not referenced from pages or snippets: skip Wagtail's reference index on every save.
    wagtail_reference_index_ignore = True
    servant = models.ForeignKey(
        CivilServant,
        on_delete=models.CASCADE,
        related_name="ratings",
        verbose_name=_("civil servant"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("performance rating")
        verbose_name_plural = _("performance ratings")
        ordering = ["servant", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["servant", "year", "quarter"], name="one_rating_per_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        # Whose rating it is: the label of its history and audit entries, by hand or imported.
        return f"{self.servant}: {self.period()}: {self.get_rating_display()}"

    @admin.display(description=_("quarter"), ordering="year")
    def period(self) -> str:
        """The quarter as the reader's language writes it ("2026 ж. 3-тоқсан")."""
        from core.formats import quarter_label

        return quarter_label(self.year, self.quarter)


class HROfficer(models.Model):
    """Ties an HR officer's login to the state bodies whose people and records they may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hr_officer",
        verbose_name=_("login"),
    )
    agencies = models.ManyToManyField(
        Agency, related_name="hr_officers", verbose_name=_("state bodies")
    )

    class Meta:
        verbose_name = _("HR officer")
        verbose_name_plural = _("HR officers")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class AccessKind(models.TextChoices):
    """What was read. One code per door; the servant's My learning shows the label."""

    SERVANT_VIEW = "servant.view", _("opened the civil servant's page")
    SERVANT_EDIT = "servant.edit", _("opened the civil servant's edit form")
    TRANSCRIPT_PDF = "transcript.pdf", _("downloaded the transcript (PDF)")
    TRANSCRIPT_CSV = "transcript.csv", _("downloaded the transcript (CSV)")
    CERTIFICATE_PDF = "certificate.pdf", _("downloaded a certificate (PDF)")
    ELIGIBILITY_CHECK = "eligibility.check", _("ran an eligibility check")
    SESSION_CERTIFICATES_ZIP = (
        "session.certificates_zip",
        _("downloaded a session's certificates (ZIP)"),
    )
    ELIGIBILITY_DRY_RUN = "eligibility.dry_run", _("ran a dry run of a rule set")
    EXPORT_SERVANTS = "export.servants", _("exported civil servants")
    EXPORT_RATINGS = "export.ratings", _("exported performance ratings")
    EXPORT_RECORDS = "export.records", _("exported qualification records")
    EXPORT_ENROLMENTS = "export.enrolments", _("exported enrolments")
    EXPORT_COMPETITIONS = "export.competitions", _("exported competitions")
    API_SERVANTS = "api.servants.list", _("read civil servants through the API")
    API_RECORDS = "api.records.list", _("read qualification records through the API")
    API_ENROLMENTS = "api.enrolments.list", _("read enrolments through the API")
    API_CERTIFICATES = "api.certificates.list", _("read certificates through the API")


class AccessLogEntry(models.Model):
    """One read of personal data by someone other than the person: who, when, what, for whom.

    A read of one person names them (`servant`); a bulk read (an export, an API page, a ZIP)
    is one row for the whole request with its filters, its row count and the state bodies its
    rows covered (`agency_ids`, stored as ",3,17," so one LIKE finds them on any database).
    Append-only: the admin only shows it, and on PostgreSQL a trigger refuses UPDATE and
    DELETE. The people named may be deleted later; the entry keeps their ids (no constraint).
    """

    wagtail_reference_index_ignore = True

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="access_log_entries",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("name"), max_length=300, blank=True)
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    what = models.CharField(
        pgettext_lazy("read-access log", "what"), max_length=40, choices=AccessKind.choices
    )
    servant = models.ForeignKey(
        CivilServant,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose record"),
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    agency_ids = models.TextField(_("state bodies covered"), blank=True, default="")

    class Meta:
        verbose_name = _("read-access log entry")
        verbose_name_plural = _("read-access log")
        ordering = ["-at", "-pk"]
        indexes = [
            # My learning: a person's own entries, newest first.
            models.Index(fields=["servant", "-at"], name="access_servant_at_idx"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="access_log_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        # Local time, as every screen shows moments (core.labels).
        return f"{timezone.localtime(self.at):%d.%m.%Y %H:%M} {self.what}"

    @property
    def is_bulk(self) -> bool:
        return self.servant_id is None

    @property
    def agency_id_list(self) -> list[int]:
        return [int(part) for part in self.agency_ids.split(",") if part]


class AccessLogAgency(models.Model):
    """The index of bulk reads by state body: one row per state body a bulk read covered
    (a handful per request, written in one statement), so "the bulk reads that covered
    agency X, newest first" is an index scan however long the log grows. Append-only too."""

    wagtail_reference_index_ignore = True

    entry = models.ForeignKey(
        AccessLogEntry,
        on_delete=models.DO_NOTHING,
        related_name="covered_agencies",
        verbose_name=_("read-access log entry"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("state body"),
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("state body covered by a bulk read")
        verbose_name_plural = _("state bodies covered by bulk reads")
        indexes = [models.Index(fields=["agency", "-at"], name="access_agency_at_idx")]
        triggers = [
            pgtrigger.Protect(
                name="access_agency_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.agency_id}"
