import io
import zipfile

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.backoffice import AdminPage
from core.jobs import job_create
from courses.admin_views import SessionAdminPage
from courses.models import Session
from people.access_log import access_record
from people.authorization import may_read, may_revoke_certificates, require
from people.models import AccessKind
from people.scoping import scope_queryset

from . import services
from .models import Certificate
from .rendering import render_certificate_pdfs
from .tasks import SESSION_ISSUE_JOB, issue_session_certificates
from .views import pdf_response


class IssueForSessionView(SessionAdminPage):
    """Confirm, then issue every pending certificate of a session in the background; the user
    follows the job on its page (core.jobs), which links to the certificates when it is done.
    A session that has not started has no results, so nothing to issue."""

    template_name = "certificates/admin/issue.html"
    page_title = gettext_lazy("Issue certificates")
    header_icon = "success"

    def pending(self) -> int:
        return services.pending_records().filter(enrolment__session=self.session).count()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        context["started"] = self.session.has_started()
        context["pending"] = self.pending()
        context["issued"] = Certificate.objects.filter(
            record__enrolment__session=self.session
        ).count()
        return context

    def post(self, request, *args, **kwargs):
        if not self.session.has_started():
            messages.error(request, _("Certificates are issued once the session has started."))
            return redirect("certificates_issue_session", session_id=self.session.pk)
        job = job_create(
            kind=SESSION_ISSUE_JOB,
            owner=request.user,
            subject=f"{self.session.programme.title} · {self.session.starts_on:%d.%m.%Y}",
            total=self.pending(),
            result_url=f"{reverse('certificates:index')}?session={self.session.pk}",
            download_url=reverse("certificates_session_zip", args=[self.session.pk]),
        )
        session_id, user_id = self.session.pk, request.user.pk
        transaction.on_commit(
            lambda: issue_session_certificates.enqueue(session_id, user_id, job.pk)
        )
        return redirect("core_job", job_id=job.pk)


def session_zip(request, session_id: int):
    """All certificates of a session (that the user may see) as one ZIP of PDFs."""
    session = get_object_or_404(Session, pk=session_id)
    certificates = scope_queryset(
        Certificate.objects.filter(record__enrolment__session=session, revoked_at__isnull=True),
        request.user,
        servant_path="servant",
    )
    require(may_read(request.user, "certificates"))
    buffer = io.BytesIO()
    agencies, rows = set(), 0
    # Stored, not deflated: the PDFs' streams and the logo are compressed already.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        ordered = certificates.select_related("record", "servant", "superseded_by").order_by(
            "serial"
        )
        for certificate, pdf in render_certificate_pdfs(ordered):
            archive.writestr(f"{certificate.serial}.pdf", pdf)
            agencies.add(certificate.servant.agency_id)
            rows += 1
    access_record(
        actor=request.user,
        what=AccessKind.SESSION_CERTIFICATES_ZIP,
        filters={"session": session.pk},
        row_count=rows,
        agency_ids=agencies,
    )
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="certificates-session-{session.pk}.zip"'
    )
    return response


def certificate_pdf(request, pk: int):
    require(may_read(request.user, "certificates"))
    certificate = get_object_or_404(
        scope_queryset(
            Certificate.objects.select_related("servant"), request.user, servant_path="servant"
        ),
        pk=pk,
    )
    response = pdf_response(certificate)
    access_record(actor=request.user, what=AccessKind.CERTIFICATE_PDF, servant=certificate.servant)
    return response


class RevokeForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("reason for revocation")
    )


class RevokeView(AdminPage):
    template_name = "certificates/admin/revoke.html"
    page_title = gettext_lazy("Revoke certificate")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        require(may_revoke_certificates(request.user))
        self.certificate = get_object_or_404(Certificate, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(certificate=self.certificate, form=form or RevokeForm())
        return context

    def post(self, request, *args, **kwargs):
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                services.certificate_revoke(
                    certificate=self.certificate,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Certificate %(serial)s revoked.") % {"serial": self.certificate.serial},
                )
                return redirect(reverse("certificates:index"))
        return self.render_to_response(self.get_context_data(form=form))
