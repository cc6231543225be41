"""`make backup` and scripts/restore.sh on a real PostgreSQL: everything comes back, and a
certificate issued before the backup still verifies on the restored database."""

import hashlib
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import connection

from certificates.services import certificate_issue
from tests.factories import ServantFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump/pg_restore need PostgreSQL"
    ),
]

ROOT = Path(__file__).resolve().parent.parent.parent


def database_url(name: str) -> str:
    """The suite's DATABASE_URL (user, password, host or socket) for another database `name`
    on the same cluster."""
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def table_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        for name, value in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            counts[f"sequence {name}"] = value
    return counts


def run(args, **env):
    result = subprocess.run(
        args,
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def media_files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def media_on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def restored_database():
    name = f"restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_and_file_and_certificates_still_verify(
    completed_record, academy_manager, agency_a, media_on_disk, restored_database, tmp_path
):
    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images import get_image_model
    from wagtail.models import Site

    from core.models import BranchSettings

    ServantFactory.create_batch(5, agency=agency_a)
    png = io.BytesIO()
    PillowImage.new("RGB", (300, 300), (0, 98, 155)).save(png, format="PNG")
    logo = get_image_model().objects.create(title="Logo", file=ImageFile(png, name="logo.png"))
    branch = BranchSettings.for_site(Site.objects.get(is_default_site=True))
    branch.logo = logo
    branch.save()
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    assert (media_on_disk / certificate.logo_path).is_file()

    backups = tmp_path / "backups"
    source_url = database_url(connection.settings_dict["NAME"])
    run(
        ["make", "--no-print-directory", "backup"],
        DATABASE_URL=source_url,
        MEDIA_ROOT=str(media_on_disk),
        BACKUP_DIR=str(backups),
    )
    (folder,) = backups.iterdir()  # one timestamped folder, nothing left half-written
    assert sorted(p.name for p in folder.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "media.tar.gz",
    ]

    restored_url = database_url(restored_database)
    restored_media = tmp_path / "restored-media"
    run(
        ["scripts/restore.sh", str(folder)],
        DATABASE_URL=restored_url,
        MEDIA_ROOT=str(restored_media),
    )

    before = table_counts(source_url)
    assert before["certificates_certificate"] == 1 and before["people_civilservant"] >= 6
    assert table_counts(restored_url) == before
    assert media_files(restored_media) == media_files(media_on_disk)
    assert (restored_media / certificate.logo_path).is_file()

    # The public check, run by the application against the restored database.
    script = (
        "import json\n"
        "from django.test.utils import setup_test_environment\n"
        "setup_test_environment()\n"
        "from django.conf import settings\n"
        "from django.test import Client, override_settings\n"
        "from certificates.models import Certificate\n"
        "from certificates.rendering import _logo_url\n"
        "def logo_url():\n"
        "    disk = {'BACKEND': 'django.core.files.storage.FileSystemStorage'}\n"
        "    with override_settings(STORAGES={**settings.STORAGES, 'default': disk}):\n"
        f"        return _logo_url(Certificate.objects.get(pk={certificate.pk}).logo_path)\n"
        f"response = Client().get('/en/verify/{certificate.verification_code}/')\n"
        "print(json.dumps({'http': response.status_code, 'status': response.context['status'],"
        f" 'serial_shown': '{certificate.serial}' in response.content.decode(),"
        " 'logo': logo_url(), 'restored_media': str(settings.MEDIA_ROOT)}))\n"
    )
    result = run(
        [sys.executable, "manage.py", "shell", "-c", script],
        DATABASE_URL=restored_url,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        MEDIA_ROOT=str(restored_media),
    )
    verdict = json.loads(result.stdout.strip().splitlines()[-1])
    # The restored certificate prints the logo from the restored media folder.
    logo, media = verdict.pop("logo"), verdict.pop("restored_media")
    assert verdict == {"http": 200, "status": "valid", "serial_shown": True}
    assert logo == (Path(media) / certificate.logo_path).as_uri()
    assert str(restored_media) in logo


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(media_on_disk, tmp_path):
    backups = tmp_path / "backups"
    url = database_url(connection.settings_dict["NAME"])
    run(
        ["scripts/backup.sh"],
        DATABASE_URL=url,
        MEDIA_ROOT=str(media_on_disk),
        BACKUP_DIR=str(backups),
    )
    (folder,) = backups.iterdir()
    result = subprocess.run(
        ["scripts/restore.sh", str(folder)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "m")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "restore into an empty one" in result.stderr
