import datetime

import pytest

from tests.factories import AgencyFactory, ServantFactory


@pytest.fixture
def oral(db):
    """The state body of the files in docs/examples."""
    return AgencyFactory(code="akimat-oral", name_ru="Акимат г. Уральск")


@pytest.fixture
def make_servant():
    """A civil servant with a chosen IIN (and optional other fields)."""

    def make(iin, agency, **fields):
        fields.setdefault("appointed_on", datetime.date(2024, 1, 10))
        return ServantFactory(iin=iin, agency=agency, **fields)

    return make
