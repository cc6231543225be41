import pytest
from django.db import IntegrityError

from tests.factories import RatingFactory, ServantFactory


@pytest.mark.django_db
def test_each_servant_gets_a_distinct_pseudonym_that_is_not_their_iin():
    a, b = ServantFactory(), ServantFactory()
    assert a.pseudonym != b.pseudonym
    assert a.iin not in a.pseudonym and a.pseudonym.startswith("P-")


@pytest.mark.django_db
def test_a_second_rating_for_the_same_quarter_is_refused():
    rating = RatingFactory(year=2026, quarter=2)
    with pytest.raises(IntegrityError):
        RatingFactory(servant=rating.servant, year=2026, quarter=2)


@pytest.mark.django_db
def test_iin_must_be_unique():
    servant = ServantFactory()
    with pytest.raises(IntegrityError):
        ServantFactory(iin=servant.iin)


@pytest.mark.django_db
def test_full_clean_reports_a_bad_iin_on_the_iin_field():
    from django.core.exceptions import ValidationError

    servant = ServantFactory.build(iin="123456789012")
    servant.agency.save()
    servant.position = None
    with pytest.raises(ValidationError) as err:
        servant.full_clean()
    assert "iin" in err.value.message_dict
