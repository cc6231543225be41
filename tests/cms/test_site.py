import io

import pytest
from django.core.management import call_command
from django.test import override_settings


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "target"),
    [("ru-RU,ru;q=0.9", "/ru/"), ("en", "/en/"), ("kk", "/kk/"), ("de", "/kk/")],
)
def test_root_redirects_by_accept_language(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.django_db
def test_healthz_answers_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_503_when_the_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


@pytest.fixture
def demo_site(db):
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_every_page_has_a_language_switcher_that_keeps_the_page(client, demo_site):
    for url in ("/kk/", "/ru/programmes/", "/en/news/", "/kk/programmes/ANTICOR-C/"):
        body = client.get(url).content.decode()
        assert 'name="language" value="kk"' in body, url
        assert 'name="language" value="ru"' in body, url
        assert 'name="language" value="en"' in body, url
    body = client.get("/kk/programmes/ANTICOR-C/").content.decode()
    assert 'value="/ru/programmes/ANTICOR-C/"' in body


@pytest.mark.django_db
def test_switching_language_goes_to_the_same_page_in_that_language(client, demo_site):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/ru/programmes/"})
    assert response.status_code == 302 and response["Location"] == "/ru/programmes/"
    # The choice is remembered: / now goes to Russian even without Accept-Language.
    assert client.get("/")["Location"] == "/ru/"


@pytest.mark.django_db
def test_home_news_and_catalog_exist_in_three_languages(client, demo_site):
    assert "Филиал" in client.get("/ru/").content.decode()
    assert "branch" in client.get("/en/").content.decode()
    assert "филиалы" in client.get("/kk/").content.decode()
    for lang in ("kk", "ru", "en"):
        assert client.get(f"/{lang}/news/").status_code == 200
        assert client.get(f"/{lang}/about/").status_code == 200
        response = client.get(f"/{lang}/programmes/")
        assert response.context["page_obj"].paginator.count >= 40


@pytest.mark.django_db
def test_pages_use_only_local_assets(client, demo_site):
    body = client.get("/kk/programmes/").content.decode()
    assert "https://" not in body.split("<body")[0]
    assert "/static/css/site.css" in body


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_unknown_pages_get_404(client, demo_site):
    assert client.get("/kk/no-such-page/").status_code == 404
