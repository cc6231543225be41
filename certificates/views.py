from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.ratelimit import rate_limited
from people.access_log import access_record
from people.models import AccessKind
from people.scoping import scope_queryset

from .models import Certificate
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
        return render(request, "certificates/verify_not_found.html", status=404)
    return render(
        request,
        "certificates/verify.html",
        {
            "c": certificate,
            "status": certificate.status_on(timezone.localdate()),
            "successor": certificate.successor,
        },
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
