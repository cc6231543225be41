from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from core.ratelimit import rate_limited
from people.access_log import access_record
from people.models import AccessKind
from people.scoping import scope_queryset

from .models import Certificate, CertificateStatus
from .rendering import render_certificate_pdf


@never_cache
@rate_limited("verify", limit_setting="CERTIFICATE_VERIFY_RATE_PER_MINUTE")
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone may check a certificate by the code printed on it. No login; IIN masked."""
    certificate = (
        Certificate.objects.select_related("supersedes", "record")
        .filter(verification_code=code)
        .first()
    )
    if certificate is None:
        # The form again, with the code typed in and a plain word on what was not found.
        form = VerifyForm(initial={"code": code})
        return render(
            request,
            "certificates/verify_form.html",
            {"form": form, "not_found": True},
            status=404,
        )
    status = certificate.status_on(timezone.localdate())
    return render(
        request,
        "certificates/verify.html",
        {
            "c": certificate,
            "status": status,
            "status_label": CertificateStatus(status).label,
            "successor": certificate.successor,
        },
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=100,
        help_text=_("The code under the QR code on the certificate, or the whole link."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        # People paste the whole link printed on the certificate, or type the code with
        # spaces around it: keep the last part of the path.
        code = self.cleaned_data["code"].strip().rstrip("/").rsplit("/", 1)[-1].strip()
        if not code:
            raise forms.ValidationError(self.fields["code"].error_messages["required"])
        return code


@never_cache
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type in the code printed on a certificate; a known code opens its verification page.
    The empty form costs nothing; a lookup shares the per-client limit with the verification
    page (it is the same lookup)."""
    if "code" in request.GET:
        return _verify_lookup(request)
    return render(
        request, "certificates/verify_form.html", {"form": VerifyForm(), "not_found": False}
    )


@rate_limited("verify", limit_setting="CERTIFICATE_VERIFY_RATE_PER_MINUTE")
def _verify_lookup(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET)
    if form.is_valid():
        code = form.cleaned_data["code"]
        if Certificate.objects.filter(verification_code=code).exists():
            return redirect(reverse("certificate_verify_localized", kwargs={"code": code}))
    return render(
        request, "certificates/verify_form.html", {"form": form, "not_found": form.is_valid()}
    )


def download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The PDF, for the holder and for staff entitled to the holder's records."""
    if not request.user.is_authenticated:
        raise Http404
    queryset = scope_queryset(
        Certificate.objects.select_related("servant"), request.user, servant_path="servant"
    )
    certificate = get_object_or_404(queryset, pk=certificate_id)
    response = pdf_response(certificate)
    # Staff reading a holder's certificate (the holder's own download logs nothing).
    access_record(actor=request.user, what=AccessKind.CERTIFICATE_PDF, servant=certificate.servant)
    return response


def pdf_response(certificate: Certificate) -> HttpResponse:
    response = HttpResponse(render_certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.serial}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
