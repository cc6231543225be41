"""Kazakh and Russian catalogs are complete, and pages really come out in those languages."""

import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_catalog_has_no_untranslated_or_fuzzy_messages(language):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is needed (make setup installs it)"
    result = subprocess.run(
        [
            msgfmt,
            "--check",
            "--statistics",
            "-o",
            "/dev/null",
            str(LOCALE / language / "LC_MESSAGES" / "django.po"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", ["Бағдарламалар", "Іздеу"]),
        ("ru", ["Программы", "Поиск"]),
        ("en", ["Programmes", "Search"]),
    ],
)
def test_the_catalog_page_speaks_the_language_of_its_url(client, language, words):
    body = client.get(f"/{language}/programmes/").content.decode()
    for word in words:
        assert word in body
