"""How certificates react to enrolments: enrolments does not know about us."""

from .models import Certificate


def reissue_after_correction(sender, record, **kwargs):
    """A corrected record whose predecessor had a live certificate gets a new certificate
    that supersedes the old one. (New completions wait for the academy's bulk issue.)"""
    if not record.supersedes_id:
        return
    if not Certificate.objects.filter(
        record_id=record.supersedes_id, revoked_at__isnull=True
    ).exists():
        return
    from .tasks import issue_certificate

    issue_certificate.enqueue(record.pk)


def revoke_after_withdrawal(sender, record, reason="", **kwargs):
    """A record withdrawn without a replacement (the result changed): its certificate must not
    stay valid."""
    from .services import certificate_revoke

    for certificate in Certificate.objects.filter(record=record, revoked_at__isnull=True):
        certificate_revoke(certificate=certificate, reason=reason or "—", actor=None)
