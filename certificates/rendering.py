"""PDF certificates with WeasyPrint.

The font configuration, URL fetcher and stylesheet are built once per process and shared by
every render: rebuilding them costs more than the render itself.
"""

from functools import lru_cache
from pathlib import Path

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Certificate, CertificateStatus

STYLESHEET = Path(__file__).resolve().parent / "static" / "certificates" / "certificate.css"


@lru_cache(maxsize=1)
def _shared():
    from weasyprint import CSS, URLFetcher
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    # Only local files and inline data: a certificate never reaches out to the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    css = CSS(filename=str(STYLESHEET), font_config=font_config, url_fetcher=fetcher)
    return font_config, fetcher, css


def qr_svg(payload: str) -> str:
    """The QR code of `payload` as inline SVG (no XML declaration), 1 module = 1 unit."""
    return segno.make(payload, error="m").svg_inline(scale=1, border=2, omitsize=True)


def certificate_html(certificate: Certificate) -> str:
    status = certificate.status_on(timezone.localdate())
    with translation.override("kk"):
        return render_to_string(
            "certificates/certificate.html",
            {
                "c": certificate,
                "qr": qr_svg(certificate.verify_url),
                "verify_url": certificate.verify_url,
                "status": status,
                # Revoked or superseded certificates are never printed as valid.
                "void": status in (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED),
                "logo_url": Path(certificate.logo_path).as_uri()
                if certificate.logo_path and Path(certificate.logo_path).exists()
                else "",
            },
        )


def render_certificate_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML

    font_config, fetcher, css = _shared()
    html = HTML(
        string=certificate_html(certificate), base_url=str(STYLESHEET.parent), url_fetcher=fetcher
    )
    return html.write_pdf(stylesheets=[css], font_config=font_config)
