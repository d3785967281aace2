from lms.models import Unit
from lms.services.units import unit_tree_rebuild


def codes(qs):
    return sorted(qs.values_list("code", flat=True))


def test_subtree_is_the_unit_and_its_descendants(org):
    assert codes(Unit.objects.subtree_of(org["EU"])) == ["DE", "EU", "FR"]
    assert codes(Unit.objects.subtree_of(org["FR"])) == ["FR"]
    assert Unit.objects.subtree_of(org["BNG"]).count() == 7


def test_within_any_unions_subtrees_and_denies_when_empty(org):
    assert codes(Unit.objects.within_any([org["EU"], org["JP"]])) == ["DE", "EU", "FR", "JP"]
    assert Unit.objects.within_any([]).count() == 0


def test_paths_and_depths(org):
    fr = org["FR"]
    assert fr.path == f"/{org['BNG'].pk}/{org['EU'].pk}/{fr.pk}/"
    assert fr.depth == 2
    assert fr.ancestor_ids() == [org["BNG"].pk, org["EU"].pk, fr.pk]


def test_rebuild_after_move_fixes_descendants(org):
    # given: the Europe group moves under the Asia group
    Unit.objects.filter(pk=org["EU"].pk).update(parent=org["AP"])
    # when
    changed = unit_tree_rebuild()
    # then
    assert changed == 3
    assert codes(Unit.objects.subtree_of(Unit.objects.get(code="AP"))) == ["AP", "DE", "EU", "FR", "JP"]
    assert Unit.objects.get(code="FR").depth == 3
    assert unit_tree_rebuild() == 0


def test_unit_name_follows_language(org):
    from django.utils import translation

    with translation.override("en"):
        assert org["BNG"].name == "Unit BNG"
    with translation.override("vi"):
        assert org["BNG"].name == "Bộ Ngoại giao"
