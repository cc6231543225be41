"""PDF certificates with WeasyPrint.

The font configuration, URL fetcher, stylesheet and image cache are built once per process and
shared by every render: rebuilding them costs more than the render itself. Bulk work goes
through `render_certificate_pdfs`, which lays certificates out in batches (see there). What the
certificates of a branch share (the form: frame, emblem, title, signatory, seal) is laid out
once and put under each certificate's own page (see `_form`).
"""

import atexit
import base64
import io
import os
import re
import struct
import threading
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import batched
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import segno
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Certificate, CertificateStatus

# Beyond these lengths (characters) the page uses smaller type (the `compact` class).
COMPACT_NAME = 90
COMPACT_TITLES = 260

# Certificates laid out together in one document by render_certificate_pdfs.
BATCH_SIZE = 20

STYLESHEET = Path(__file__).resolve().parent / "static" / "certificates" / "certificate.css"
# The emblem printed when the branch has uploaded no logo (or its file is gone).
EMBLEM = STYLESHEET.with_name("emblem.svg")
# The frame and the seal's circle, drawn under every page (see certificate.css).
DECOR_URL = STYLESHEET.with_name("decor.svg").as_uri()


_shared_lock = threading.Lock()


def _shared():
    # lru_cache alone does not stop two threads from building it at the same time.
    with _shared_lock:
        return _build_shared()


@lru_cache(maxsize=1)
def _build_shared():
    from weasyprint import CSS, URLFetcher
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    # Only local files and inline data: a certificate never reaches out to the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    css = CSS(filename=str(STYLESHEET), font_config=font_config, url_fetcher=fetcher)
    # Decoded images by URL (in practice: the branch logo), kept between documents.
    images: dict = {}
    # The font configuration keeps the @font-face font in a temporary folder that it removes
    # when collected; collect it before the interpreter starts tearing modules down, in the
    # process that made it only (a forked child must not remove its parent's folder).
    owner = os.getpid()
    atexit.register(lambda: os.getpid() == owner and _build_shared.cache_clear())
    return font_config, fetcher, css, images


# Any of the eight QR masks decodes the same; choosing the "best" one means scoring all eight,
# which costs more than the rest of the QR code. A fixed mask is valid and reads fine in print.
QR_MASK = 0
QR_BORDER = 2  # modules of quiet zone inside the image; the page around it is blank too


_INK = bytes.maketrans(b"\x00\x01", b"\xff\x00")  # light module: white, dark: black


def qr_png_uri(payload: str) -> str:
    """The QR code of `payload` as a PNG data URL: 8-bit grey, one pixel a module.

    The page scales it up without smoothing (`image-rendering: pixelated` puts /Interpolate
    false on the image), so every module prints as a sharp square. WeasyPrint embeds the few
    hundred bytes as they are; drawn as SVG (one dashed line, or a path per run of modules)
    the code cost about a seventh of the whole page's time, mostly in reading the drawing. The
    PNG is written here, from the rows, in a tenth of the time of segno's writer."""
    matrix = segno.make_qr(payload, error="m", mask=QR_MASK).matrix  # rows of 0/1 bytes
    size = len(matrix) + 2 * QR_BORDER
    quiet = b"\xff" * QR_BORDER
    blank = [b"\0" + b"\xff" * size] * QR_BORDER  # each row starts with its filter: none
    rows = [b"\0" + quiet + bytes(row).translate(_INK) + quiet for row in matrix]
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        for kind, data in (
            (b"IHDR", header),
            (b"IDAT", zlib.compress(b"".join(blank + rows + blank))),
            (b"IEND", b""),
        )
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def certificate_page_html(
    certificate: Certificate, *, layer: str = "all", head_height: float = 0
) -> str:
    """The HTML of one certificate's page (a `div.frame` whose id names the certificate).

    `layer` "all" is the whole page, "person" the certificate's own part, with `head_height`
    CSS px left blank for the heading of the form (see `_form`)."""
    status = certificate.status_on(timezone.localdate())
    return _page_html(
        certificate,
        layer=layer,
        head_height=f"{head_height:.4f}",
        qr=qr_png_uri(certificate.verify_url),
        verify_url=certificate.verify_url,
        status=status,
        compact=_compact(certificate),
        # Revoked or superseded certificates are never printed as valid.
        void=status in (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED),
        logo_url=_logo_url(certificate.logo_path) or EMBLEM.as_uri(),
    )


def _page_html(certificate, **context) -> str:
    with translation.override("kk"):
        return render_to_string(
            "certificates/_page.html", {"c": certificate, "decor_url": DECOR_URL, **context}
        )


def _compact(certificate: Certificate) -> bool:
    return (
        len(certificate.holder_name) > COMPACT_NAME
        or len(certificate.title_kk) + len(certificate.title_ru) > COMPACT_TITLES
    )


# What the form shows of a certificate: the form is laid out from these fields only.
FORM_FIELDS = (
    "branch_name_kk",
    "branch_name_ru",
    "kind",
    "signatory_name",
    "signatory_title_kk",
    "signatory_title_ru",
)


def _form_of(certificate: Certificate) -> tuple[bytes, float]:
    return _form(
        tuple(getattr(certificate, name) for name in FORM_FIELDS),
        _logo_url(certificate.logo_path) or EMBLEM.as_uri(),
        _compact(certificate),
    )


@lru_cache(maxsize=32)
def _form(fields: tuple, logo_url: str, compact: bool) -> tuple[bytes, float]:
    """The form's page as a PDF, and the height of its heading in CSS px.

    Most of a certificate's page is the same for every certificate of a branch: the frame, the
    emblem, the organisation, the title and the kind, the signatory and the seal's place.
    Laying that out and drawing it is about a third of the time of a page, so it is laid out
    once per process (per distinct form) and each certificate's own text is laid out on a page
    of its own, which leaves the heading's height blank; the form is then put under each
    certificate's page as a form XObject (`_render_batch`); the page is the same as the
    whole layout's (a test compares them pixel by pixel). Each PDF carries its own copy of the
    form, with the logo and the font glyphs the form uses. The form's template sees only
    FORM_FIELDS of the certificate (whatever else it named would print empty, and the test
    would see it), so two certificates with the same fields can never get different forms."""
    html = _page_html(
        SimpleNamespace(**dict(zip(FORM_FIELDS, fields, strict=True))),
        layer="form",
        logo_url=logo_url,
        compact=compact,
    )
    document = _render(_document_html([html], title=""))
    (page,) = document.pages
    height = page.anchors["head-end"][1] - page.anchors["head-start"][1]
    return _retag_fonts(document.write_pdf()), height


def _retag_fonts(pdf: bytes) -> bytes:
    """The form's PDF with its font subsets named FORMAA+…, FORMAB+…: WeasyPrint names a
    subset after the font, so the form's subset and the page's would carry the same name
    (ABCDEF+DejaVu-Sans-Certificate) in one PDF, which some viewers and print workflows take
    for one font."""
    form = pikepdf.open(io.BytesIO(pdf))
    fonts = form.pages[0].obj.Resources.get("/Font", {})
    for number, font in enumerate(fonts.values()):
        tag = "FORM" + chr(65 + number // 26) + chr(65 + number % 26)
        parts = [font, *font.get("/DescendantFonts", [])]
        for part in parts:
            for owner, key in ((part, "/BaseFont"), (part.get("/FontDescriptor"), "/FontName")):
                name = str(owner.get(key, "")) if owner is not None else ""
                if name[7:8] == "+":
                    owner[key] = pikepdf.Name("/" + tag + name[7:])
    buffer = io.BytesIO()
    form.save(buffer)
    return buffer.getvalue()


def _logo_url(logo_path: str) -> str:
    """A file URL for the logo: a storage name (relative to MEDIA_ROOT) or, for certificates
    issued before names were stored, an absolute path."""
    if not logo_path:
        return ""
    path = Path(logo_path)
    if not path.is_absolute():
        try:
            path = Path(default_storage.path(logo_path))
        except NotImplementedError:
            return ""
    return path.as_uri() if path.exists() else ""


def certificate_html(certificate: Certificate) -> str:
    """The whole HTML document of one certificate."""
    return _document_html([certificate_page_html(certificate)], title=certificate.serial)


def _document_html(pages: list[str], *, title: str) -> str:
    return render_to_string("certificates/certificate.html", {"pages": pages, "title": title})


def _render(html: str):
    from weasyprint import HTML

    font_config, fetcher, css, images = _shared()
    # The QR codes are data URLs, a new one on every page: they are decoded into a cache of
    # this document only, which starts from the shared one and hands back only files (logos).
    cache = dict(images)
    document = HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=fetcher).render(
        stylesheets=[css], font_config=font_config, cache=cache
    )
    images.update((url, image) for url, image in cache.items() if url.startswith("file:"))
    return document


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """One certificate as a one-page PDF."""
    ((_, pdf),) = _render_batch([certificate])
    return pdf


def _render_whole(certificate: Certificate) -> bytes:
    """One certificate laid out in one piece, form and all (the slow way)."""
    return _render(certificate_html(certificate)).write_pdf()


def render_certificate_pdfs(
    certificates: Iterable[Certificate], *, batch_size: int = BATCH_SIZE
) -> Iterator[tuple[Certificate, bytes]]:
    """Many certificates, each as its own one-page PDF, in the order given.

    `batch_size` certificates at a time are laid out as the pages of one WeasyPrint document
    and written as one PDF, which pikepdf (qpdf) then splits into a PDF per page, putting the
    branch's form (`_form`) under each page. Each PDF
    shows the same page `render_certificate_pdf` would make; sharing one document spares each
    certificate the per-document work (parsing, style set-up, loading fonts and images,
    subsetting the font, writing the PDF): about a fifth of a single render. Load the
    certificates with `select_related("record", "superseded_by")` to spare a query or two
    each.
    """
    for batch in batched(certificates, batch_size):
        yield from _render_batch(list(batch))


def _render_batch(batch: list[Certificate]) -> Iterator[tuple[Certificate, bytes]]:
    forms = [_form_of(c) for c in batch]
    pages = [
        certificate_page_html(c, layer="person", head_height=head_height)
        for c, (_, head_height) in zip(batch, forms, strict=True)
    ]
    document = _render(_document_html(pages, title=batch[0].serial))
    # Each page names the certificate it shows (the frame's id), and the layout puts one
    # certificate on each page. Should that ever not hold, the batch is rendered one by one,
    # each in one piece, rather than risk handing someone a page of another person's.
    expected = [[f"certificate-{certificate.pk}"] for certificate in batch]
    found = [
        [anchor for anchor in page.anchors if anchor.startswith("certificate-")]
        for page in document.pages
    ]
    if found != expected:
        for certificate in batch:
            yield certificate, _render_whole(certificate)
        return
    whole = pikepdf.open(io.BytesIO(document.write_pdf()))
    if not _shares_only_images(whole):
        singles = []
        for certificate, page in zip(batch, document.pages, strict=True):
            document.metadata.title = certificate.serial
            singles.append(pikepdf.open(io.BytesIO(document.copy([page]).write_pdf())))
    elif len(batch) == 1:
        singles = [whole]  # already one page, titled with the serial
    else:
        singles = list(_split(whole, batch))
    opened = {}  # each distinct form, opened once for the batch (the PDF kept while in use)
    for certificate, single, (form, _) in zip(batch, singles, forms, strict=True):
        if form not in opened:
            pdf = pikepdf.open(io.BytesIO(form))
            opened[form] = pdf, pdf.pages[0].as_form_xobject()
        single.pages[0].add_underlay(single.copy_foreign(opened[form][1]))
        buffer = io.BytesIO()
        single.save(buffer, min_version=whole.pdf_version)
        yield certificate, buffer.getvalue()


def _split(whole: "pikepdf.Pdf", batch: list[Certificate]) -> Iterator["pikepdf.Pdf"]:
    """The pages of `whole`, each as a PDF of its own titled with its certificate's serial."""
    producer = whole.docinfo.get("/Producer")
    language = whole.Root.get("/Lang")
    for certificate, page in zip(batch, whole.pages, strict=True):
        _keep_own_resources(page)
        single = pikepdf.new()
        single.pages.append(page)  # copies the page and what it references, nothing else
        single.docinfo["/Title"] = certificate.serial
        if producer is not None:
            single.docinfo["/Producer"] = producer
        if language is not None:
            single.Root.Lang = language
        yield single


_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]+)")


def _keep_own_resources(page: "pikepdf.Page") -> None:
    """Point the page at a resource dictionary of its own, holding only the resources its
    content names. WeasyPrint gives all pages of a document one shared dictionary, which a
    split-off page would otherwise carry along: the logos and transparency states of the whole
    batch, say, in each person's file."""
    contents = page.obj.Contents
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    used = {name.decode("latin-1") for s in streams for name in _NAME.findall(s.read_bytes())}
    shared = page.obj.Resources
    own = pikepdf.Dictionary()
    for category, entries in shared.items():
        if isinstance(entries, pikepdf.Dictionary):
            kept = {key: value for key, value in entries.items() if key[1:] in used}
            if kept:
                own[category] = pikepdf.Dictionary(kept)
        else:
            own[category] = entries  # /ProcSet and the like
    page.obj.Resources = own


def _shares_only_images(pdf: "pikepdf.Pdf") -> bool:
    """Whether the resources WeasyPrint shares between pages hold nothing but images.

    Each split-off page gets a dictionary of its own (`_keep_own_resources`), but form
    XObjects, patterns and shadings have resources of their own that point back at the shared
    dictionary, and with it at every other page's images. Today's page uses none; if a future
    design does, bulk rendering falls back to writing each page with WeasyPrint."""
    for page in pdf.pages:
        resources = page.obj.get("/Resources", {})
        if resources.get("/Pattern") or resources.get("/Shading"):
            return False
        xobjects = resources.get("/XObject", {})
        if any(xobject.get("/Subtype") != "/Image" for xobject in xobjects.values()):
            return False
    return True
