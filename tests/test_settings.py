import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_database, env_int

ROOT = Path(__file__).resolve().parent.parent


def test_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG")


def test_bad_integer_names_the_variable(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25)


@pytest.mark.parametrize("url", ["mysql://u:p@h/db", "nonsense", "oracle://x"])
def test_unsupported_database_url_is_refused_clearly(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL")


def _manage(args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7Gq2-Lm9vPz4RtY8wBn3KcJ6hFd1SaE5uXo0ViNpQrTgHyWb2ZkMjCl4AeDs9Uf",
    "ALLOWED_HOSTS": "biliktilik.example.kz",
    "DATABASE_URL": "sqlite:////tmp/biliktilik-deploy-check.sqlite3",
    "WAGTAILADMIN_BASE_URL": "https://biliktilik.example.kz",
}


def test_production_deploy_check_prints_no_warnings():
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "System check identified no issues" in result.stdout


def test_production_refuses_a_weak_secret_key():
    result = _manage(["check"], {**PRODUCTION, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be a random string" in result.stderr


def test_secret_key_rotation_keeps_values_signed_with_the_old_key():
    """Rotating SECRET_KEY: with the old key in SECRET_KEY_FALLBACKS, what it signed (sessions,
    password-reset links) still verifies; without it, it does not."""
    old_key = PRODUCTION["SECRET_KEY"]
    new_key = "Qz8Lm2-Vb7Xc4Np1Rt6Yw9Ks3Hd5Fg0Ja8Ue2Io7Pl4Mn1Bv6Cx3Zs9Wq5Er2Ty0Ui"
    sign = "from django.core import signing; print(signing.dumps('servant-42'))"
    signed = _manage(["shell", "--no-imports", "-c", sign], PRODUCTION)
    assert signed.returncode == 0, signed.stderr
    token = signed.stdout.strip()
    check = f"from django.core import signing; print(signing.loads('{token}'))"
    rotated = _manage(
        ["shell", "--no-imports", "-c", check],
        {**PRODUCTION, "SECRET_KEY": new_key, "SECRET_KEY_FALLBACKS": old_key},
    )
    assert rotated.stdout.strip() == "servant-42", rotated.stderr
    forgotten = _manage(
        ["shell", "--no-imports", "-c", check], {**PRODUCTION, "SECRET_KEY": new_key}
    )
    assert forgotten.returncode != 0 and "BadSignature" in forgotten.stderr


def test_production_requires_allowed_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    result = _manage(["check"], env)
    assert "ALLOWED_HOSTS must list" in result.stderr


@pytest.mark.django_db
def test_system_checks_pass_on_the_database_under_test():
    """`manage.py migrate` runs the system checks that pytest-django skips.

    On PostgreSQL, Wagtail's search index needs django.contrib.postgres; without it the
    checks (and so `migrate`) stopped with postgres.E005 while the whole suite passed.
    """
    from django.core.management import call_command

    call_command("check", databases=["default"], fail_level="ERROR", verbosity=0)
