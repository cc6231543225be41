import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from certificates.services import certificate_issue, certificate_revoke
from enrolments.results import qualification_record_correct


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/ru", "/kk", "/en"])
def test_anyone_can_check_a_valid_certificate(client, completed_record, academy_manager, prefix):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    response = client.get(f"{prefix}/verify/{certificate.verification_code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["status"] == "valid"
    for text in (
        certificate.serial,
        certificate.holder_name,
        "Противодействие коррупции",
        "Сыбайлас жемқорлыққа қарсы іс-қимыл",
        "40",
    ):
        assert text in body
    iin = completed_record.servant.iin
    assert iin not in body and certificate.holder_iin_masked in body


@pytest.mark.django_db
def test_revoked_certificates_show_date_and_reason(client, completed_record, academy_manager):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    certificate_revoke(
        certificate=certificate, reason="Документы недействительны", actor=academy_manager
    )
    response = client.get(f"/en/verify/{certificate.verification_code}/")
    body = response.content.decode()
    assert response.context["status"] == "revoked"
    assert "was revoked on" in body and "Документы недействительны" in body


@pytest.mark.django_db
def test_superseded_certificates_link_to_the_new_one(
    client, completed_record, academy_manager, django_capture_on_commit_callbacks
):
    old = certificate_issue(record=completed_record, actor=academy_manager)
    with django_capture_on_commit_callbacks(execute=True):
        qualification_record_correct(
            record=completed_record, actor=academy_manager, reason="fix", hours=36
        )
    old.refresh_from_db()
    response = client.get(f"/en/verify/{old.verification_code}/")
    assert response.context["status"] == "superseded"
    new = old.successor
    assert f"/en/verify/{new.verification_code}/" in response.content.decode()


@pytest.mark.django_db
def test_expired_certificates_say_so(client, completed_record, academy_manager):
    import datetime

    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    certificate.valid_until = datetime.date(2020, 1, 1)
    certificate.save()
    response = client.get(f"/en/verify/{certificate.verification_code}/")
    assert response.context["status"] == "expired"
    assert "expired on 01.01.2020" in response.content.decode()


@pytest.mark.django_db
def test_unknown_codes_get_a_plain_not_found(client):
    response = client.get("/en/verify/no-such-code/")
    assert response.status_code == 404
    assert "No certificate with this code was found." in response.content.decode()


@pytest.mark.django_db
@override_settings(CERTIFICATE_VERIFY_RATE_PER_MINUTE=5)
def test_verification_is_rate_limited_per_client(client):
    codes = [client.get(f"/verify/guess-{i}/").status_code for i in range(7)]
    assert codes[:5] == [404] * 5 and codes[5:] == [429, 429]
    other = client.get("/verify/guess-x/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404  # another client is not affected


@pytest.mark.django_db
def test_the_holder_downloads_their_pdf_and_nobody_else_does(
    client, completed_record, academy_manager, hr_officer_a, agency_b
):
    from core.authorization import CIVIL_SERVANTS
    from tests.factories import UserFactory, hr_officer_for

    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    holder = UserFactory(username="holder", role=CIVIL_SERVANTS)
    completed_record.servant.user = holder
    completed_record.servant.save()
    url = f"/ru/my/certificates/{certificate.pk}.pdf"
    client.force_login(holder)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(hr_officer_a)  # HR of the holder's agency
    assert client.get(url).status_code == 200
    client.force_login(hr_officer_for(agency_b, username="hr-b"))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(username="stranger", role=CIVIL_SERVANTS))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_my_learning_links_the_certificate(client, completed_record, academy_manager):
    from core.authorization import CIVIL_SERVANTS
    from tests.factories import UserFactory

    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    completed_record.servant.user = UserFactory(username="holder2", role=CIVIL_SERVANTS)
    completed_record.servant.save()
    client.force_login(completed_record.servant.user)
    body = client.get("/en/my/").content.decode()
    assert f"/en/my/certificates/{certificate.pk}.pdf" in body and certificate.serial in body


@pytest.mark.django_db
@override_settings(CERTIFICATE_VERIFY_RATE_PER_MINUTE=3, RATELIMIT_TRUST_FORWARDED_FOR=True)
def test_a_forged_first_forwarded_hop_does_not_escape_the_limit(client):
    # The balancer appends the real address as the right-most hop; the left ones are the
    # client's own words.
    codes = [
        client.get(f"/verify/x-{i}/", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 203.0.113.7").status_code
        for i in range(5)
    ]
    assert codes == [404, 404, 404, 429, 429]


@pytest.mark.django_db
def test_the_verification_page_shows_no_part_of_the_birth_date(
    client, completed_record, academy_manager
):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    iin = completed_record.servant.iin
    body = client.get(f"/ru/verify/{certificate.verification_code}/").content.decode()
    assert f"••••••••{iin[-4:]}" in body
    # No run of the IIN's first seven digits (YYMMDD + century/sex) is on the page.
    assert iin[:2] + "•" not in body and iin[:6] not in body


@pytest.mark.django_db
def test_the_migration_remasks_certificates_issued_with_the_old_mask(
    completed_record, academy_manager
):
    import importlib

    from django.apps import apps
    from django.db import connection

    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    iin = completed_record.servant.iin
    type(certificate).objects.filter(pk=certificate.pk).update(
        holder_iin_masked=iin[:2] + "••••••••" + iin[-2:]
    )
    migration = importlib.import_module("certificates.migrations.0003_remask_holder_iin")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.remask(apps, editor)
    certificate.refresh_from_db()
    assert certificate.holder_iin_masked == f"••••••••{iin[-4:]}"


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/kk", "/ru"])
def test_the_form_opens_the_page_of_a_known_code(client, completed_record, academy_manager, prefix):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    code = certificate.verification_code
    page = client.get(f"{prefix}/verify/")
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    # The code as typed, with spaces, or the whole link printed on the certificate.
    for typed in (f"  {code} ", f"https://example.kz/verify/{code}/"):
        response = client.get(f"{prefix}/verify/", {"code": typed})
        assert response.status_code == 302
        assert response["Location"].endswith(f"/verify/{code}/")
    followed = client.get(f"{prefix or '/ru'}/verify/", {"code": code}, follow=True)
    assert followed.context["c"] == certificate


@pytest.mark.django_db
def test_the_form_says_plainly_when_a_code_is_unknown(client):
    response = client.get("/ru/verify/", {"code": "no-such-code"})
    body = response.content.decode()
    assert response.status_code == 200 and response.context["not_found"]
    assert "Сертификат с таким кодом не найден." in body
    assert 'value="no-such-code"' in body  # the form again, to correct the code
    blank = client.get("/kk/verify/", {"code": "   "})
    assert blank.status_code == 200 and blank.context["form"].errors["code"]
    # A code typed into the address gets the same page, as a 404.
    unknown = client.get("/kk/verify/no-such-code/")
    assert unknown.status_code == 404 and 'name="code"' in unknown.content.decode()


@pytest.mark.django_db
@override_settings(CERTIFICATE_VERIFY_RATE_PER_MINUTE=2)
def test_the_form_shares_the_verification_rate_limit(client):
    codes = [client.get("/verify/", {"code": f"guess-{i}"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]


@pytest.mark.django_db
def test_a_revoked_certificate_is_a_warning_in_words_colour_and_sign(
    client, completed_record, academy_manager
):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    certificate_revoke(certificate=certificate, reason="Ошибка в документах", actor=academy_manager)
    body = client.get(f"/ru/verify/{certificate.verification_code}/").content.decode()
    assert 'class="verdict verdict-revoked"' in body and 'class="verdict-icon"' in body
    assert '<p class="verdict-label">Аннулирован</p>' in body
    assert "Ошибка в документах" in body
    assert f"аннулирован {timezone.localtime(certificate.revoked_at):%d.%m.%Y}" in body


@pytest.mark.django_db
def test_a_certificate_whose_record_was_withdrawn_is_not_shown_as_valid(
    client, completed_record, academy_manager
):
    certificate = certificate_issue(record=completed_record, actor=academy_manager)
    type(completed_record).objects.filter(pk=completed_record.pk).update(is_current=False)
    response = client.get(f"/en/verify/{certificate.verification_code}/")
    body = response.content.decode()
    assert response.context["status"] == "revoked"
    assert "the training record behind it was corrected or withdrawn" in body
    assert "revoked on ." not in body
