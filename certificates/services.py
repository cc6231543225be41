"""Issuing and revoking certificates.

Invariants kept here:
- serial numbers per prefix and year are consecutive: the counter row is locked and bumped in
  the same transaction that creates the certificate, so a failure rolls both back (no gaps)
  and two issuers can never take the same number (no duplicates);
- a record has at most one unrevoked certificate; issuing again returns it (idempotent);
- a certificate for a corrected record supersedes the previous record's certificate;
- the content is copied onto the certificate at issue and never recomputed.
"""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.authorization import is_academy_manager
from core.models import branch_settings
from core.validators import mask_iin
from enrolments.models import QualificationRecord
from notifications.models import Kind
from notifications.services import notify

from .models import Certificate, SerialCounter

logger = logging.getLogger(__name__)


class CertificateRefused(ValidationError):
    pass


def _next_number(prefix: str, year: int) -> int:
    # Lock the counter row: concurrent issuers queue here, one number each, in order.
    try:
        with transaction.atomic():
            SerialCounter.objects.get_or_create(prefix=prefix, year=year)
    except IntegrityError:
        pass  # created concurrently by another issuer; it exists now
    counter = SerialCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def format_serial(*, prefix: str, year: int, number: int) -> str:
    return settings.CERTIFICATE_SERIAL_FORMAT.format(prefix=prefix, year=year, number=number)


def _may_issue(actor) -> bool:
    if actor is None:  # system tasks (bulk issue, reissue after a correction)
        return True
    return getattr(actor, "is_authenticated", False) and (
        actor.is_superuser or is_academy_manager(actor)
    )


def certificate_issue(*, record: QualificationRecord, actor) -> Certificate:
    """Issue the certificate for a current qualification record, or return the one it has."""
    if not _may_issue(actor):
        raise PermissionDenied(_("Only the academy issues certificates."))
    with transaction.atomic():
        # Lock the record so two issuers of the same record cannot both create one.
        record = (
            QualificationRecord.objects.select_for_update(of=("self",))
            .select_related("servant", "programme", "enrolment__session", "supersedes")
            .get(pk=record.pk)
        )
        existing = Certificate.objects.filter(record=record, revoked_at__isnull=True).first()
        if existing:
            return existing
        if not record.is_current:
            raise CertificateRefused(
                _("This record has been superseded or withdrawn; issue for the current one."),
                code="not_current",
            )
        predecessor = None
        if record.supersedes_id:
            predecessor = (
                Certificate.objects.filter(record=record.supersedes, revoked_at__isnull=True)
                .select_for_update()
                .first()
            )
        branch = branch_settings()
        logo_path = _logo_path(branch)  # may write a file: before the serial counter is locked
        prefix = (branch.serial_prefix or "ZKO").upper()
        now = timezone.now()
        year = timezone.localdate(now).year
        number = _next_number(prefix, year)
        programme = record.programme
        # Each block in its own language (the record's names fall back kk → ru → en).
        title_kk = record.title_in("kk")
        title_ru = record.title_in("ru")
        session = record.enrolment.session if record.enrolment_id else None
        certificate = Certificate.objects.create(
            record=record,
            servant=record.servant,
            serial=format_serial(prefix=prefix, year=year, number=number),
            year=year,
            number=number,
            issued_at=now,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            holder_name=record.servant.full_name,
            holder_iin_masked=mask_iin(record.servant.iin),
            programme_code=programme.code if programme else "",
            title_kk=title_kk,
            title_ru=title_ru,
            kind=record.kind,
            hours=record.hours,
            starts_on=session.starts_on if session else None,
            completed_on=record.completed_on,
            valid_until=record.valid_until,
            branch_name_kk=branch.name_kk or branch.name_ru or "Biliktilik",
            branch_name_ru=branch.name_ru or branch.name_kk or "Biliktilik",
            signatory_name=branch.signatory_name,
            signatory_title_kk=branch.signatory_title_kk,
            signatory_title_ru=branch.signatory_title_ru,
            logo_path=logo_path,
            supersedes=predecessor,
        )
        if predecessor is not None:
            # Its status changed to superseded: incremental syncs must see it again.
            Certificate.objects.filter(pk=predecessor.pk).update(updated_at=now)
        log(
            instance=certificate,
            action="certificates.certificate.reissued"
            if predecessor
            else "certificates.certificate.issued",
            user=actor if getattr(actor, "is_authenticated", False) else None,
            data={
                "serial": certificate.serial,
                "record": record.pk,
                "supersedes": predecessor.serial if predecessor else None,
            },
        )
        notify(
            servant=record.servant,
            kind=Kind.CERTIFICATE_ISSUED,
            key=f"certificate_issued:{certificate.pk}",
            params={
                "title": {"kk": title_kk, "ru": title_ru, "en": record.title_in("en")},
                "serial": certificate.serial,
                "hours": record.hours,
                "completed_on": record.completed_on.isoformat(),
                "verify_url": certificate.verify_url,
            },
            link=f"/{{lang}}/my/certificates/{certificate.pk}.pdf",
        )
    return certificate


# The logo as certificates print it: at most 600 px high (16 mm at ~950 dpi), flattened on
# white as a JPEG. WeasyPrint copies a JPEG into the PDF as it is, where a PNG with
# transparency is decoded and re-compressed for every single certificate (~15 ms each).
LOGO_RENDITION = "height-600|bgcolor-ffffff|format-jpeg|jpegquality-90"


def _logo_path(branch) -> str:
    """A file with the branch logo for certificates, kept as long as certificates point at it.

    Wagtail renditions are a cache (`wagtail_update_image_renditions` deletes and rewrites
    them), so the rendition's bytes are copied to `certificates/logos/<content hash>.jpg`:
    every certificate issued with this logo shares that file, and it never changes. The
    storage name is kept, not the absolute path, so a restore onto another MEDIA_ROOT keeps
    the logo of every certificate."""
    if not branch.logo_id:
        return ""
    try:
        rendition = branch.logo.get_rendition(LOGO_RENDITION)
        with rendition.file.open("rb") as source:
            data = source.read()
        name = f"certificates/logos/{hashlib.sha256(data).hexdigest()[:32]}.jpg"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(data))
        default_storage.path(name)  # refuse storages without local files (below)
        return name
    except NotImplementedError:
        return ""  # storage without local paths: certificates go without a logo
    except (ValueError, AttributeError, OSError):
        logger.exception("The branch logo could not be prepared; issuing without it.")
        return ""


def certificate_revoke(*, certificate: Certificate, reason: str, actor) -> Certificate:
    """Revoke a certificate. The verification page then says so, with the date and reason."""
    # actor None: the system itself (a withdrawn result), never a request.
    if actor is not None and not (
        getattr(actor, "is_authenticated", False)
        and (actor.is_superuser or is_academy_manager(actor))
    ):
        raise PermissionDenied(_("Only the academy revokes certificates."))
    if not reason.strip():
        raise CertificateRefused(_("Give a reason for the revocation."), code="reason_required")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at:
            raise CertificateRefused(_("This certificate is already revoked."), code="revoked")
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        certificate.revoke_reason = reason.strip()
        certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"])
        log(
            instance=certificate,
            action="certificates.certificate.revoked",
            user=actor if getattr(actor, "is_authenticated", False) else None,
            data={"serial": certificate.serial, "reason": certificate.revoke_reason},
        )
    return certificate


def pending_records():
    """Current records from completed enrolments that never had a certificate. (A revoked
    certificate is not re-issued in bulk: revocation was a decision.)"""
    return (
        QualificationRecord.objects.filter(is_current=True, enrolment__isnull=False)
        .filter(certificates__isnull=True)
        .order_by("completed_on", "pk")
    )


def certificates_issue_pending(
    *, actor, session_id: int | None = None, progress=None, refused=None
) -> list[Certificate]:
    """Issue every pending certificate (of one session, or all). Idempotent: a second run
    issues nothing. `progress(done, total)` is called after each one. A record refused (e.g.
    superseded meanwhile) stops the run, unless `refused(record_id, error)` is given: then it
    is reported there and the run goes on."""
    records = pending_records()
    if session_id is not None:
        records = records.filter(enrolment__session_id=session_id)
    ids = list(records.values_list("pk", flat=True))
    issued = []
    for done, pk in enumerate(ids, start=1):
        try:
            issued.append(certificate_issue(record=QualificationRecord(pk=pk), actor=actor))
        except CertificateRefused as error:
            if refused is None:
                raise
            refused(pk, error)
        if progress:
            progress(done, len(ids))
    return issued
