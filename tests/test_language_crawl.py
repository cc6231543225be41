"""Every sentence in Kazakh and Russian (issue 14): the demo world is crawled, as each role and
in kk and in ru, and no page may show a usual English UI word; and no message of ours, of
Wagtail or of Django's apps we install lacks a Kazakh or Russian translation.

The crawl starts at the role's home (the public site at /kk/ or /ru/, the back office at
/admin/), follows same-site links breadth-first with GET only, and reads what a person sees:
text nodes and the title, placeholder, aria-label and alt attributes. URLs are grouped by
pattern (numbers and codes stripped): at most two of each pattern are visited, and at most
PAGES pages per role and language, so the whole crawl stays well under a minute and a half on
SQLite.
"""

import html.parser
import io
import re
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import django
import pytest
import wagtail
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from tests.catalogs import catalog_entries

PAGES = 150  # per role and language
PER_PATTERN = 2

# The usual suspects: English UI words a Kazakh or Russian reader met on these screens.
SUSPECTS = [
    "Add", "Edit", "Delete", "Copy", "Search", "Search term", "Filter", "Filter by",
    "Download", "Live", "Draft", "True", "False", "None", "Select an option",
    "View history", "Help", "Account", "Settings", "Choose", "Save", "Cancel", "Yes", "No",
    "More", "Actions", "Created", "Updated", "Log out", "Dashboard", "Page", "Sort by",
    "Next", "Previous", "of", "results", "Sites", "Site", "Users", "Groups", "Reports",
    "Snippets", "Images", "Documents", "Pages", "Title", "Status", "Name", "Username",
    "Password", "Sign in", "Log in", "ago", "minutes", "hours", "days", "Apply", "Clear",
    "Clear filters", "Close", "Back", "Home", "Preview", "Publish", "Unpublish", "History",
    "Revisions", "Export", "Import", "Submit", "Remove", "Change", "Required", "Optional",
    "slug", "Slug", "Date", "Type", "User", "Details", "Inspect", "Show", "Hide", "Menu",
    "Toggle", "Locale", "Language", "Owner", "Summary", "Item", "Items", "items", "Total",
]  # fmt: skip
ENGLISH = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted(map(re.escape, SUSPECTS), key=len, reverse=True))
    + r")(?![\w-])"
)

# Known leftovers, each with its reason: (URL pattern regex, word, reason). Kept short.
ALLOWED = [
    # Data, not UI: English is what these values are.
    (r"^/admin/agencies/inspect/", "of", "the state body's English name (its name_en field)"),
    (r"^/admin/reports/aging-pages/", "of", "the English site's own page titles"),
    (r"^/admin/(records/inspect|audit_trail)/", "of", "a record's English title, provider"),
]  # fmt: skip

SKIP = re.compile(
    r"logout|/download|/export|[?&]export=|\.(csv|xlsx|pdf|ics|json|txt|xml|zip|png|jpe?g|svg)$"
    r"|^/(static|media|documents|api)/|/jsi18n/|/javascript-catalog/|^/i18n/"
    r"|/preview/|^/admin/bulk/|/(choose|chooser)[/-]|/usage/|/workflow/|/autocomplete/"
)
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
HIDDEN_TAGS = {"script", "style", "template", "svg", "noscript"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Reader(html.parser.HTMLParser):
    """The words a person (or a screen reader) meets on a page, and the links on it. What
    sits in script, style, template, svg or an element marked hidden is not met."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # (tag, hides what it holds)
        self.text: list[str] = []
        self.links: list[str] = []

    @property
    def hidden(self) -> bool:
        return any(hides for _, hides in self.open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        hides = tag in HIDDEN_TAGS or "hidden" in attrs or attrs.get("aria-hidden") == "true"
        if tag not in VOID_TAGS:
            self.open.append((tag, hides))
        if self.hidden or hides or attrs.get("type") == "hidden":
            return
        self.text.extend(attrs[a] for a in VISIBLE_ATTRIBUTES if attrs.get(a))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.text.append(attrs["value"])

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                break

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.text.append(data)


def pattern_of(url: str) -> str:
    """The URL with ids, codes and query values stripped: /admin/pages/12/edit/ and
    /admin/pages/40/edit/ are one pattern; ?p=2 and ?p=3 too."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/#", parts.path)
    path = re.sub(
        r"/(?:programmes|verify)/[^/]+/", lambda m: m.group(0).split("/")[1] + "/*/", path
    )
    query = "&".join(sorted(k for k, _ in parse_qsl(parts.query, keep_blank_values=True)))
    return f"{path}?{query}"


def normalise(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http", "https"):
        return None
    # Sorting, paging and the way back show the same words as the page itself.
    params = parse_qsl(parts.query, keep_blank_values=True)
    if any(key in ("ordering", "p", "page") for key, _ in params):
        return None
    query = urlencode([(k, v) for k, v in params if k != "next"])
    return parts.path + (f"?{query}" if query else "")


def sidebar_links(body: str) -> list[str]:
    """The admin's menu is drawn by JavaScript from JSON props: its URLs are links too."""
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', body, re.S)
    return re.findall(r'"url": ?"(/[^"]*)"', props.group(1)) if props else []


def allowed(path: str, word: str) -> bool:
    return any(word == w and re.search(p, path) for p, w, _ in ALLOWED)


def crawl(client: Client, starts: list[str], scope: tuple[str, ...]) -> tuple[dict, int]:
    """Breadth-first over same-site links under `scope`; returns {url: [english words]}."""
    queue = deque(starts)
    seen_urls = set(starts)
    per_pattern: dict[str, int] = {}
    findings: dict[str, list[str]] = {}
    visited = 0
    while queue and visited < PAGES:
        url = queue.popleft()
        pattern = pattern_of(url)
        if per_pattern.get(pattern, 0) >= PER_PATTERN:
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        response = client.get(url, follow=True)
        visited += 1
        if "text/html" not in response.get("Content-Type", ""):
            continue
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        reader = Reader()
        reader.feed(response.content.decode())
        words = {
            m.group(1): " ".join(chunk.split())[:80]
            for chunk in reader.text
            for m in ENGLISH.finditer(chunk)
            if not allowed(urlsplit(final).path, m.group(1))
        }
        if words:
            findings[final] = sorted(f"{word} («{seen}»)" for word, seen in words.items())
        for href in reader.links + sidebar_links(response.content.decode()):
            link = normalise(final, href)
            if (
                link
                and link not in seen_urls
                and link.startswith(scope)
                and not SKIP.search(urlsplit(link).path + "?" + urlsplit(link).query)
            ):
                seen_urls.add(link)
                queue.append(link)
    return findings, visited


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo world (seed_demo), built once for the module in a transaction rolled back at
    its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


ROLES = ["anonymous", "servant", "hr.akimat", "manager", "auditor", "admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("role", ROLES)
def test_no_english_word_on_any_page(demo, role, language):
    from wagtail.users.models import UserProfile

    client = Client(raise_request_exception=True, HTTP_ACCEPT_LANGUAGE=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    scope: tuple[str, ...] = (f"/{language}/", "/verify/")
    starts = [f"/{language}/"]
    if role == "anonymous":
        starts.append("/admin/login/")
        scope += ("/admin/login/", "/admin/password_reset/")
    else:
        user = get_user_model().objects.get(username=role)
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        client.force_login(user)
        if user.has_perm("wagtailadmin.access_admin"):
            starts.append("/admin/")
            scope += ("/admin/",)
        else:
            starts.append(f"/{language}/my/")
    findings, visited = crawl(client, starts, scope)
    assert visited > 5
    report = "\n".join(f"{url}: {', '.join(words)}" for url, words in findings.items())
    assert findings == {}, f"{len(findings)} of {visited} pages show English:\n{report}"


# --- catalog completeness --------------------------------------------------------------------

BASE = Path(settings.BASE_DIR)
DJANGO = Path(django.__file__).parent
WAGTAIL = Path(wagtail.__file__).parent
DJANGO_APPS = [
    "conf",
    *(
        "contrib/" + app.removeprefix("django.contrib.")
        for app in settings.INSTALLED_APPS
        if app.startswith("django.contrib.")
    ),
]
WAGTAIL_APPS = [
    app.removeprefix("wagtail").removeprefix(".").replace(".", "/")
    for app in settings.INSTALLED_APPS
    if app == "wagtail" or app.startswith("wagtail.")
]


def entries(path: Path, *flags: str) -> set[tuple[str, str]]:
    return catalog_entries(path, *flags)


def translated(path: Path) -> set[tuple[str, str]]:
    return entries(path, "--translated", "--no-fuzzy")


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_message_has_a_translation(language, domain):
    """Ours: every msgid of locale/ translated, none fuzzy. Wagtail's and Django's: every
    msgid of their English catalogs is translated either by their own catalog
    in this language or by locale_backoffice/ (fuzzy counts as missing)."""
    name = f"{domain}.po"
    ours = BASE / "locale" / language / "LC_MESSAGES" / name
    missing = {"ours": sorted(entries(ours) - translated(ours))[:10]} if ours.exists() else {}
    backoffice = translated(BASE / "locale_backoffice" / language / "LC_MESSAGES" / name)
    sources = [(f"django/{a}", DJANGO / a / "locale") for a in DJANGO_APPS] + [
        (f"wagtail/{a}", WAGTAIL / a / "locale") for a in WAGTAIL_APPS
    ]
    for label, folder in sources:
        own = folder / language / "LC_MESSAGES" / name
        # The English catalog lists the messages the code uses today (a Kazakh catalog may
        # still hold a few the code dropped).
        left = entries(folder / "en" / "LC_MESSAGES" / name) - translated(own) - backoffice
        if left:
            missing[label] = sorted(left)[:10]
    assert {k: v for k, v in missing.items() if v} == {}
