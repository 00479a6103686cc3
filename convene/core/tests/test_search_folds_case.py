"""Case-insensitive search folds every alphabet, on SQLite as on PostgreSQL."""

import pytest

from convene.networks.models import Organisation


@pytest.fixture
def ministries(db):
    return [
        Organisation.objects.create(
            acronym="МТСЗН", name="Министерство труда и социальной защиты", country="KZ"
        ),
        Organisation.objects.create(acronym="ҰҚК", name="Ұлттық қауіпсіздік комитеті", country="KZ"),
        Organisation.objects.create(acronym="DGM", name="Direction générale des migrations", country="KZ"),
        Organisation.objects.create(acronym="P50", name="50% plan_b", country="KZ"),
    ]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("министерство", "МТСЗН"),
        ("МИНИСТЕРСТВО ТРУДА", "МТСЗН"),
        ("ұлттық", "ҰҚК"),
        ("GÉNÉRALE", "DGM"),
    ],
)
def test_a_search_finds_a_name_whatever_the_case_of_its_letters(ministries, query, found):
    assert [o.acronym for o in Organisation.objects.filter(name__icontains=query)] == [found]


def test_percent_and_underscore_in_a_search_are_literal(ministries):
    assert [o.acronym for o in Organisation.objects.filter(name__icontains="50%")] == ["P50"]
    assert not Organisation.objects.filter(name__icontains="5%p").exists()
    assert [o.acronym for o in Organisation.objects.filter(name__icontains="n_b")] == ["P50"]
    assert not Organisation.objects.filter(name__icontains="n_plan").exists()


def test_an_exact_search_ignores_case_in_every_alphabet(ministries):
    assert Organisation.objects.get(acronym__iexact="мтсзн").name.startswith("Министерство")
