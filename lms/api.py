from __future__ import annotations

from ninja import Router, Schema

from . import policy

router = Router(tags=["organisation"])


class UnitNode(Schema):
    id: int
    code: str
    kind: str
    name_vi: str
    name_en: str
    parent_id: int | None
    children: list[UnitNode]


class Me(Schema):
    username: str
    full_name: str
    employee_number: str | None
    unit_code: str | None
    position: str
    grade: str
    language: str
    roles: list[str]
    hr_units: list[str]


@router.get("/units/", response=list[UnitNode], summary="The units the caller may see, as a tree")
def units(request):
    rows = list(policy.visible_units(request.user).order_by("path"))
    nodes = {
        u.pk: {
            "id": u.pk,
            "code": u.code,
            "kind": u.kind,
            "name_vi": u.name_vi,
            "name_en": u.name_en,
            "parent_id": u.parent_id,
            "children": [],
        }
        for u in rows
    }
    roots = []
    for u in rows:
        node = nodes[u.pk]
        parent = nodes.get(u.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


@router.get("/me", response=Me, summary="The signed-in person")
def me(request):
    user = request.user
    profile = policy.profile_of(user)
    return {
        "username": user.get_username(),
        "full_name": profile.full_name if profile else user.get_full_name(),
        "employee_number": profile.employee_number if profile else None,
        "unit_code": profile.unit.code if profile else None,
        "position": profile.position if profile else "",
        "grade": profile.grade if profile else "",
        "language": profile.language if profile else "vi",
        "roles": sorted(policy.role_names(user)) + (["superuser"] if user.is_superuser else []),
        "hr_units": [u.code for u in policy.hr_roots(user)],
    }
