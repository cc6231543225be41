"""Rows every app shares: the branch's own settings, the record of each applied import, and the
append-only guard of the audit table."""

import datetime

import pgtrigger
from auditlog.models import LogEntry
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .i18n import localized_field


@register_setting(icon="site")
class BranchSettings(BaseSiteSetting):
    """The academy branch's name, contacts, logo and certificate signatory, edited in the admin."""

    name_kk = models.CharField(_("branch name (Kazakh)"), max_length=255, blank=True)
    name_ru = models.CharField(_("branch name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("branch name (English)"), max_length=255, blank=True)
    address_kk = models.CharField(_("address (Kazakh)"), max_length=255, blank=True)
    address_ru = models.CharField(_("address (Russian)"), max_length=255, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    signatory_name = models.CharField(_("signatory"), max_length=255, blank=True)
    signatory_title_kk = models.CharField(
        _("signatory's title (Kazakh)"), max_length=255, blank=True
    )
    signatory_title_ru = models.CharField(
        _("signatory's title (Russian)"), max_length=255, blank=True
    )
    serial_prefix = models.CharField(
        _("certificate serial prefix"), max_length=16, default="ZKO", blank=True
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name_kk"), FieldPanel("name_ru"), FieldPanel("name_en")],
            heading=_("Name"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address_kk"),
                FieldPanel("address_ru"),
                FieldPanel("address_en"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("Contacts"),
        ),
        FieldPanel("logo"),
        MultiFieldPanel(
            [
                FieldPanel("signatory_name"),
                FieldPanel("signatory_title_kk"),
                FieldPanel("signatory_title_ru"),
                FieldPanel("serial_prefix"),
            ],
            heading=_("Certificates"),
        ),
    ]

    class Meta:
        verbose_name = _("branch settings")
        verbose_name_plural = _("branch settings")

    @property
    def name(self) -> str:
        return localized_field(self, "name") or "Biliktilik"

    @property
    def address(self) -> str:
        return localized_field(self, "address")

    @property
    def year(self) -> int:
        return timezone.localdate().year


class ImportBatch(models.Model):
    """One applied import: who, what kind, how many rows did what. The audit trail of bulk
    writes, which per-row history does not record."""

    wagtail_reference_index_ignore = True

    kind = models.CharField(_("kind"), max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    agency_code = models.CharField(_("state body"), max_length=32, blank=True)
    rows = models.PositiveIntegerField(_("rows"))
    new = models.PositiveIntegerField(_("new"))
    updated = models.PositiveIntegerField(_("updated"))
    unchanged = models.PositiveIntegerField(_("unchanged"))
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # Local time, as every screen shows moments (core.labels).
        if self.created_at is None:  # not saved yet
            return self.kind
        return f"{self.kind} {timezone.localtime(self.created_at):%d.%m.%Y %H:%M}"


def branch_settings() -> BranchSettings:
    """The branch's settings for the default site (an unsaved blank one before any site exists):
    what certificates and records say about who issued them."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return BranchSettings.for_site(site) if site else BranchSettings()


class AuditEntry(LogEntry):
    """django-auditlog's entries (its table `auditlog_logentry`), append-only in the database.

    A proxy of the third-party model, so the trigger's migration lives in this app, not in
    auditlog's package (pgtrigger's documented way for third-party models). On PostgreSQL
    every UPDATE and DELETE of an entry raises, whoever sends it (the admin, the ORM, raw
    SQL). Consequences: users are deactivated, never deleted once they have acted (the
    actor's SET_NULL would be an UPDATE); TRUNCATE (test flushes) is not a row operation and
    is not refused. SQLite has no triggers here."""

    class Meta:
        proxy = True
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        triggers = [
            pgtrigger.Protect(
                name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]


class JobState(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class BackgroundJob(models.Model):
    """A piece of background work a user started (a bulk certificate issue…), as its page shows
    it: how many items, how many done and failed, its state, and where the result is. Written
    by the task as it runs (core.jobs); read by the job's page, which only its owner (and a
    superuser) may open."""

    wagtail_reference_index_ignore = True

    kind = models.CharField(_("kind"), max_length=64)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("started by"),
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    total = models.PositiveIntegerField(_("to do"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    result_url = models.CharField(_("result"), max_length=500, blank=True)
    download_url = models.CharField(_("download"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # A worker writes its counts several times a second while it works (core.jobs.JobTracker),
    # so this long without news means no worker has the job: see `is_stalled`.
    STALLED_AFTER = datetime.timedelta(minutes=10)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def remaining(self) -> int:
        return max(self.total - self.done - self.failed, 0)

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    def is_stalled(self, now: datetime.datetime | None = None) -> bool:
        """Not finished, and nothing written for `STALLED_AFTER`: a queued job that no worker
        has picked up (none running, or all busy), or a running one whose worker stopped or
        hangs. The task backend (django-tasks-db) neither times out nor re-runs a task whose
        worker died, so such a job stays "running" until someone starts the work again."""
        if self.is_finished or self.updated_at is None:
            return False
        return (now or timezone.now()) - self.updated_at > self.STALLED_AFTER
