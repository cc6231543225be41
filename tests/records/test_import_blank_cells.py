"""A blank cell of a column that must be filled is reported as a missing value — its line, its
column and "this field is required" in the user's language — not as a bad value ("'' is not a
date", "no state body with code ''")."""

import pytest
from django.utils import translation

from cms.records import importer_for
from people.models import CivilServant

from .helpers import SERVANT_EN, csv_bytes, db_state, iins, servant

REQUIRED = {
    "en": "this field is required",
    "ru": "обязательное поле",
    "kk": "бұл өріс міндетті",
}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_blank_agency_or_date_says_the_field_is_required(oral, language):
    a, b, c = iins(31, 3)
    data = csv_bytes(
        [
            SERVANT_EN,
            servant(a),  # line 2
            servant(b, agency=""),  # line 3
            servant(c, appointed="  "),  # line 4
        ]
    )
    before = db_state()
    with translation.override(language):
        report = importer_for("servants")().run_file(data, "servants.csv")
    found = [(e.line, e.column, e.message) for e in report.errors]
    assert found == [
        (3, "agency_code", REQUIRED[language]),
        (4, "appointed_on", REQUIRED[language]),
    ]
    assert db_state() == before
    assert not CivilServant.objects.filter(iin__in=[a, b, c]).exists()


def test_a_bad_agency_still_names_the_code(oral):
    (a,) = iins(32, 1)
    data = csv_bytes([SERVANT_EN, servant(a, agency="akimat-nowhere")])
    with translation.override("en"):
        report = importer_for("servants")().run_file(data, "servants.csv")
    assert [e.message for e in report.errors] == ["no state body with code 'akimat-nowhere'"]
