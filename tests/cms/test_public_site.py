"""The public site's frame: the header's menu, the "for the visually impaired" switch, and
the files every site is asked for (/favicon.ico, /robots.txt)."""

import pytest


@pytest.mark.django_db
def test_the_header_links_news_and_about_in_the_readers_language(client, site_tree):
    kk = client.get("/kk/programmes/").content.decode()
    assert '<a href="/kk/news/">Жаңалықтар</a>' in kk
    assert '<a href="/kk/about/">Филиал туралы</a>' in kk
    assert "Жасырын бет" not in kk  # not shown in menus
    ru = client.get("/ru/programmes/").content.decode()
    assert '<a href="/ru/news/">Новости</a>' in ru and '<a href="/ru/about/">О филиале</a>' in ru
    about = client.get("/ru/about/").content.decode()
    assert '<a href="/ru/about/" aria-current="page">О филиале</a>' in about


@pytest.mark.django_db
def test_the_low_vision_switch_is_a_cookie_read_on_the_server(client):
    assert 'class="low-vision"' not in client.get("/en/programmes/").content.decode()
    response = client.post("/a11y/low-vision/", {"low_vision": "1", "next": "/en/programmes/"})
    assert response.status_code == 302 and response["Location"] == "/en/programmes/"
    assert response.cookies["low_vision"].value == "1"
    body = client.get("/en/programmes/").content.decode()
    assert '<html lang="en" class="low-vision">' in body
    assert 'name="low_vision" value="0"' in body  # the header now offers the standard version

    response = client.post("/a11y/low-vision/", {"low_vision": "0", "next": "/en/programmes/"})
    assert response.cookies["low_vision"].value == ""
    assert 'class="low-vision"' not in client.get("/en/programmes/").content.decode()


@pytest.mark.django_db
def test_the_low_vision_switch_goes_back_only_to_this_site(client):
    response = client.post("/a11y/low-vision/", {"low_vision": "1", "next": "https://evil.test/"})
    assert response["Location"] == "/"
    assert client.get("/a11y/low-vision/").status_code == 405


@pytest.mark.django_db
def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    body = client.get("/kk/programmes/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in body


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    rules = response.content.decode().splitlines()
    assert rules[0] == "User-agent: *"
    for path in ("/admin/", "/api/", "/kk/my/", "/ru/my/", "/en/my/", "/*/my/calendar/"):
        assert f"Disallow: {path}" in rules, path
    assert "Disallow: /" not in rules  # the catalog and news stay crawlable
