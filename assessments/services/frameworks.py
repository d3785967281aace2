"""The shipped frameworks as a service, for places that cannot rely on the migration's data having survived
(a demo seeded into a database that a test flushed, a fresh tenant)."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from ..models import Framework


@transaction.atomic
def frameworks_ensure() -> bool:
    """Install the shipped frameworks if the Vietnamese one is missing; returns True when it installed them."""
    if Framework.objects.filter(code="VN-DCF").exists():
        return False
    from ..migrations._framework_data import install

    install(apps)
    return True


@transaction.atomic
def framework_new_version(*, code: str, version: str) -> Framework:
    """Copy the current version of ``code`` (levels, areas, competencies, indicators, crosswalk from it)
    into a new version and make that one current.

    Scores and evidence stay attached to the old version's competencies, so nothing computed under it
    changes; new evidence should target the new version. Target profiles stay on the old version until
    an administrator moves them (their required levels may need review).
    """
    from ..models import Competency, CompetencyArea, CompetencyMapping, LevelIndicator, ProficiencyLevel

    old = Framework.objects.select_for_update().get(code=code, is_current=True)
    if Framework.objects.filter(code=code, version=version).exists():
        raise ValueError(f"{code} already has a version {version!r}")
    Framework.objects.filter(pk=old.pk).update(is_current=False)
    new = Framework.objects.create(
        code=code,
        version=version,
        name_vi=old.name_vi,
        name_en=old.name_en,
        description_vi=old.description_vi,
        description_en=old.description_en,
        source=old.source,
        is_current=True,
    )
    levels = {}
    for level in ProficiencyLevel.objects.filter(framework=old):
        old_pk = level.pk
        level.pk = None
        level.framework = new
        level.save()
        levels[old_pk] = level
    areas = {}
    for area in CompetencyArea.objects.filter(framework=old):
        old_pk = area.pk
        area.pk = None
        area.framework = new
        area.save()
        areas[old_pk] = area
    competencies = {}
    for comp in Competency.objects.filter(framework=old):
        old_pk = comp.pk
        comp.pk = None
        comp.framework = new
        comp.area = areas[comp.area_id]
        comp.save()
        competencies[old_pk] = comp
    LevelIndicator.objects.bulk_create(
        [
            LevelIndicator(
                competency=competencies[i.competency_id], level=levels[i.level_id], text_vi=i.text_vi, text_en=i.text_en
            )
            for i in LevelIndicator.objects.filter(competency__framework=old)
        ]
    )
    CompetencyMapping.objects.bulk_create(
        [
            CompetencyMapping(source=competencies[m.source_id], target_id=m.target_id, relation=m.relation)
            for m in CompetencyMapping.objects.filter(source__framework=old)
        ]
    )
    return new
