import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import ProgrammeKind
from enrolments.models import QualificationRecord
from people.models import CivilServant


def new_verification_code() -> str:
    # 120 random bits, URL-safe; independent of the serial so serials reveal nothing.
    return secrets.token_urlsafe(15)


class SerialCounter(models.Model):
    """The last serial number used per branch prefix and year. Locked while issuing, so
    numbers are never duplicated and — since the increment commits with the certificate —
    never skipped."""

    # Not referenced from pages or snippets: skip Wagtail's reference index on every save.
    wagtail_reference_index_ignore = True

    prefix = models.CharField(_("prefix"), max_length=16)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("serial number counter")
        verbose_name_plural = _("serial number counters")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("valid")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")
    SUPERSEDED = "superseded", _("superseded")


class Certificate(models.Model):
    """An issued certificate. Its content is frozen at issue: later renames of the programme,
    the holder or the branch do not change what was certified."""

    # Not referenced from pages or snippets: skip Wagtail's reference index on every save.
    wagtail_reference_index_ignore = True

    record = models.ForeignKey(
        QualificationRecord,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("qualification record"),
    )
    servant = models.ForeignKey(
        CivilServant,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    serial = models.CharField(_("serial number"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number within the year"))
    verification_code = models.CharField(
        _("verification code"),
        max_length=40,
        unique=True,
        default=new_verification_code,
        editable=False,
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    # Frozen content.
    holder_name = models.CharField(_("holder"), max_length=300)
    holder_iin_masked = models.CharField(_("IIN (masked)"), max_length=12)
    programme_code = models.CharField(_("programme code"), max_length=32, blank=True)
    title_kk = models.CharField(_("programme (Kazakh)"), max_length=500)
    title_ru = models.CharField(_("programme (Russian)"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=ProgrammeKind.choices)
    hours = models.PositiveSmallIntegerField(_("academic hours"))
    starts_on = models.DateField(_("training started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"))
    valid_until = models.DateField(_("valid until"))
    branch_name_kk = models.CharField(_("branch (Kazakh)"), max_length=300)
    branch_name_ru = models.CharField(_("branch (Russian)"), max_length=300)
    signatory_name = models.CharField(_("signatory"), max_length=255, blank=True)
    signatory_title_kk = models.CharField(
        _("signatory's title (Kazakh)"), max_length=255, blank=True
    )
    signatory_title_ru = models.CharField(
        _("signatory's title (Russian)"), max_length=255, blank=True
    )
    logo_path = models.CharField(_("logo"), max_length=500, blank=True)
    # Life after issue.
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        # The admin list's first page, newest first (tests/test_query_plans.py).
        indexes = [models.Index(fields=["issued_at"], name="certificate_issued_idx")]
        constraints = [
            # One live certificate per record: reissuing supersedes, revoking ends it.
            models.UniqueConstraint(
                fields=["record"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_unrevoked_certificate_per_record",
            )
        ]

    def __str__(self) -> str:
        return self.serial

    def status_on(self, day=None) -> str:
        day = day or timezone.localdate()
        if self.revoked_at:
            return CertificateStatus.REVOKED
        if self.successor is not None:
            return CertificateStatus.SUPERSEDED
        if not self.record.is_current:
            # The record behind it was corrected or withdrawn and no certificate replaced it
            # yet: never show it as valid.
            return CertificateStatus.REVOKED
        if day > self.valid_until:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def successor(self) -> "Certificate | None":
        try:
            return self.superseded_by
        except Certificate.superseded_by.RelatedObjectDoesNotExist:
            return None

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return CertificateStatus(self.status).label

    @property
    def verify_path(self) -> str:
        return reverse("certificate_verify", kwargs={"code": self.verification_code})

    @property
    def verify_url(self) -> str:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.verify_path
