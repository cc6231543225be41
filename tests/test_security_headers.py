"""Response headers by area (issue 12, item 8): a strict Content-Security-Policy on the
public site and the admin's own policy; Permissions-Policy everywhere; `Cache-Control:
no-store, private` on personal pages, exports, the back office and the whole API."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from tests.factories import ProgrammeFactory


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.django_db
def test_public_pages_get_a_strict_policy(client):
    ProgrammeFactory(code="PUB-1")
    for url in ("/ru/programmes/", "/ru/programmes/PUB-1/", "/ru/accounts/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _csp(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"][0] == "'self'" and "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-inline'" not in policy["style-src"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "camera=()" in response["Permissions-Policy"]
        assert "microphone=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        if "login" not in url:  # Django's login view is never cached either
            assert not _no_store(response)  # the public catalog may be cached


@pytest.mark.django_db
def test_the_admin_gets_its_own_policy_no_store_and_permissions_policy(client, academy_manager):
    client.force_login(academy_manager)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = _csp(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert _no_store(response)
    # The login page too (it is under /admin/).
    client.logout()
    assert _no_store(client.get("/admin/login/"))


@pytest.mark.django_db
def test_the_api_is_never_cached(client, hr_officer_a, servant_of_a):
    token = Token.objects.create(user=hr_officer_a)
    response = client.get("/api/v1/servants/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and servant_of_a.iin in response.content.decode()
    assert _no_store(response)
    assert "Permissions-Policy" in response
    assert _no_store(client.get("/api/v1/servants/"))  # the 401/403 too


@pytest.mark.django_db
def test_personal_pages_and_downloads_are_never_cached(client, servant_of_a):
    ProgrammeFactory(code="PUB-2")
    assert not _no_store(client.get("/ru/programmes/PUB-2/"))
    client.force_login(servant_of_a.user)
    # The programme page shows a logged-in servant their own enrolment.
    assert _no_store(client.get("/ru/programmes/PUB-2/"))
    for url in ("/ru/my/", "/kk/my/", "/ru/my/transcript.csv", "/ru/my/transcript.pdf"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url


@pytest.mark.django_db
def test_exports_are_never_cached(client, hr_officer_a, servant_of_a):
    client.force_login(hr_officer_a)
    for fmt in ("csv", "xlsx", "json"):
        response = client.get("/admin/records/export/", {"kind": "servants", "format": fmt})
        assert response.status_code == 200
        assert _no_store(response), fmt
    response = client.get("/admin/snippets/courses/programme/", {"export": "csv"})
    assert _no_store(response)


# Templates of the public site must not need 'unsafe-inline'. The admin's and the PDFs'
# (rendered by WeasyPrint, never served to a browser) are not public pages.
NOT_PUBLIC = re.compile(
    r"/admin/|/transcript\.html$|/certificates/(_page|_statement|certificate)\.html$"
)
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.I)


def test_public_templates_have_no_inline_script_or_style():
    root = Path(settings.BASE_DIR)
    templates = [
        path
        for pattern in ("templates/**/*.html", "*/templates/**/*.html")
        for path in root.glob(pattern)
        if ".venv" not in path.parts and not NOT_PUBLIC.search(path.as_posix())
    ]
    assert len(templates) > 15
    offenders = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in templates
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
