"""The back office in Kazakh: Wagtail ships no Kazakh catalog and Django's is partial, so
locale_backoffice/ holds one. Every message of the Wagtail apps we install, and every message
Django's admin/auth/forms catalogs leave untranslated in Kazakh, has a Kazakh translation, and
a manager who reads the admin in Kazakh sees Kazakh words where English ones were."""

import html
import json
import re
import subprocess
from pathlib import Path

import django
import pytest
import wagtail
from django.conf import settings
from django.urls import reverse

from tests.catalogs import catalog_entries

BACKOFFICE = Path(settings.BASE_DIR) / "locale_backoffice" / "kk" / "LC_MESSAGES"
WAGTAIL = Path(wagtail.__file__).parent
DJANGO = Path(django.__file__).parent
WAGTAIL_APPS = [
    app.removeprefix("wagtail.").replace(".", "/")
    for app in settings.INSTALLED_APPS
    if app == "wagtail" or app.startswith("wagtail.")
]


def msgids(path: Path) -> set[tuple[str, str]]:
    """(context, msgid) of every entry of a catalog."""
    return catalog_entries(path)


def statistics(path: Path) -> str:
    return subprocess.run(
        ["msgfmt", "-c", "--statistics", "-o", "/dev/null", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stderr.strip()


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_catalog_is_complete_and_valid(domain):
    report = statistics(BACKOFFICE / f"{domain}.po")
    assert re.fullmatch(r"\d+ translated messages\.", report), report


def test_every_wagtail_message_has_a_kazakh_translation():
    ours = msgids(BACKOFFICE / "django.po")
    missing = {}
    for app in WAGTAIL_APPS:
        base = WAGTAIL if app == "wagtail" else WAGTAIL / app.removeprefix("wagtail/")
        source = base / "locale" / "en" / "LC_MESSAGES" / "django.po"
        if source.exists():
            left = msgids(source) - ours
            if left:
                missing[app] = sorted(left)[:5]
    assert missing == {}
    js = msgids(WAGTAIL / "admin" / "locale" / "en" / "LC_MESSAGES" / "djangojs.po")
    assert js - msgids(BACKOFFICE / "djangojs.po") == set()


def test_what_django_leaves_untranslated_in_kazakh_is_translated():
    ours = msgids(BACKOFFICE / "django.po")
    for catalog in ("conf/locale", "contrib/admin/locale", "contrib/auth/locale"):
        path = DJANGO / catalog / "kk" / "LC_MESSAGES" / "django.po"
        untranslated = subprocess.run(
            ["msgattrib", "--untranslated", str(path)], check=True, capture_output=True, text=True
        ).stdout
        if untranslated.strip():
            left = msgids_of_text(untranslated) - ours
            assert left == set(), (catalog, sorted(left)[:5])


def msgids_of_text(text: str) -> set[tuple[str, str]]:
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".po", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        return msgids(Path(handle.name))


# Words a Kazakh reader met in English on these screens before (issue 14).
ENGLISH = re.compile(
    r"\b(Add|Edit|Copy|Search term|Filter by|Download XLSX|Live|View history|Help|Account|"
    r"Settings|Select an option|Choose another|Delete|Save|Cancel)\b"
)


def visible_text(body: str) -> str:
    body = re.sub(r"<(script|style|template)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<svg\b.*?</svg>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def kazakh_manager(academy_manager):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(academy_manager)
    profile.preferred_language = "kk"
    profile.save()
    return academy_manager


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("wagtailadmin_home"),
        lambda: reverse("wagtailsnippets_courses_programme:list"),
        lambda: reverse("wagtailsnippets_courses_programme:add"),
        lambda: reverse("wagtailsnippets_courses_session:list"),
        lambda: reverse("wagtailadmin_account"),
    ],
    ids=["home", "programmes", "new programme", "sessions", "account"],
)
def test_the_admin_reads_in_kazakh(client, kazakh_manager, url):
    client.force_login(kazakh_manager)
    response = client.get(url())
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert ENGLISH.findall(text) == []


def test_the_admin_javascript_catalog_is_kazakh(client, kazakh_manager):
    client.force_login(kazakh_manager)
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    catalog = response.content.decode()
    # The catalog is JSON inside JavaScript: Kazakh letters come \u-escaped.
    assert json.dumps("Жабу")[1:-1] in catalog  # "Close"
