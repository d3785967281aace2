"""Demo organisation: a believable ministry, its missions abroad, 200+ officers and the demo accounts.

Built through the same CSV import services HR uses, so running it again changes nothing.
"""

from __future__ import annotations

import csv
import io
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from . import roles
from .accounts.second_factor import recovery_codes_of, totp_enrol, totp_secret_of
from .models import HRScope, PositionTitle, StaffProfile, Unit
from .services.imports import staff_import, units_import

# code, parent, kind, name_vi, name_en
UNITS = [
    ("BNG", "", "ministry", "Bộ Ngoại giao", "Ministry of Foreign Affairs"),
    ("VP", "BNG", "department", "Văn phòng Bộ", "Ministry Office"),
    ("TCCB", "BNG", "department", "Vụ Tổ chức Cán bộ", "Department of Personnel and Organisation"),
    (
        "TTCDS",
        "BNG",
        "department",
        "Trung tâm Thông tin và Chuyển đổi số",
        "Information and Digital Transformation Centre",
    ),
    ("CLS", "BNG", "department", "Cục Lãnh sự", "Consular Department"),
    ("TTBC", "BNG", "department", "Vụ Thông tin Báo chí", "Press and Information Department"),
    ("VCAU", "BNG", "department", "Vụ châu Âu", "Europe Department"),
    (
        "VDNA",
        "BNG",
        "department",
        "Vụ Đông Nam Á – Nam Á – Nam Thái Bình Dương",
        "Southeast Asia – South Asia – South Pacific Department",
    ),
    ("CQDD-EU", "BNG", "other", "Các cơ quan đại diện tại châu Âu", "Missions in Europe"),
    ("DSQ-FR", "CQDD-EU", "embassy", "Đại sứ quán Việt Nam tại Pháp", "Embassy of Viet Nam in France"),
    ("DSQ-DE", "CQDD-EU", "embassy", "Đại sứ quán Việt Nam tại Đức", "Embassy of Viet Nam in Germany"),
    (
        "TLSQ-FRANKFURT",
        "CQDD-EU",
        "consulate",
        "Tổng Lãnh sự quán Việt Nam tại Frankfurt",
        "Consulate General of Viet Nam in Frankfurt",
    ),
    (
        "PDD-GENEVA",
        "CQDD-EU",
        "mission",
        "Phái đoàn thường trực Việt Nam tại Geneva",
        "Permanent Mission of Viet Nam in Geneva",
    ),
    ("CQDD-AP", "BNG", "other", "Các cơ quan đại diện tại châu Á – Thái Bình Dương", "Missions in Asia-Pacific"),
    ("DSQ-JP", "CQDD-AP", "embassy", "Đại sứ quán Việt Nam tại Nhật Bản", "Embassy of Viet Nam in Japan"),
    (
        "TLSQ-OSAKA",
        "CQDD-AP",
        "consulate",
        "Tổng Lãnh sự quán Việt Nam tại Osaka",
        "Consulate General of Viet Nam in Osaka",
    ),
    ("DSQ-AU", "CQDD-AP", "embassy", "Đại sứ quán Việt Nam tại Australia", "Embassy of Viet Nam in Australia"),
    ("CQDD-AM", "BNG", "other", "Các cơ quan đại diện tại châu Mỹ", "Missions in the Americas"),
    ("DSQ-US", "CQDD-AM", "embassy", "Đại sứ quán Việt Nam tại Hoa Kỳ", "Embassy of Viet Nam in the United States"),
    (
        "PDD-NEWYORK",
        "CQDD-AM",
        "mission",
        "Phái đoàn thường trực Việt Nam tại Liên hợp quốc",
        "Permanent Mission of Viet Nam to the United Nations",
    ),
]

# Missions abroad work on local time; everything else on the ministry's (Asia/Ho_Chi_Minh).
UNIT_ZONES = {
    "DSQ-FR": "Europe/Paris",
    "DSQ-DE": "Europe/Berlin",
    "TLSQ-FRANKFURT": "Europe/Berlin",
    "PDD-GENEVA": "Europe/Zurich",
    "DSQ-JP": "Asia/Tokyo",
    "TLSQ-OSAKA": "Asia/Tokyo",
    "DSQ-AU": "Australia/Sydney",
    "DSQ-US": "America/New_York",
    "PDD-NEWYORK": "America/New_York",
}

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Đức", "Thùy", "Bảo", "Khánh"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phương",
    "Quân",
    "Quỳnh",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Trung",
    "Tuấn",
    "Việt",
    "Yến",
    "Đạt",
    "Ánh",
    "Ngân",
    "Lộc",
]
POSITIONS = [
    "Chuyên viên",
    "Chuyên viên",
    "Chuyên viên",
    "Chuyên viên chính",
    "Bí thư thứ hai",
    "Bí thư thứ nhất",
    "Tham tán",
    "Trưởng phòng",
    "Cán bộ đầu mối CNTT",
]
# English names of the demo's position titles (lms.PositionTitle).
POSITION_NAMES = {
    "Chuyên viên": "Officer",
    "Chuyên viên chính": "Senior Officer",
    "Bí thư thứ hai": "Second Secretary",
    "Bí thư thứ nhất": "First Secretary",
    "Tham tán": "Counsellor",
    "Trưởng phòng": "Head of Division",
    "Cán bộ đầu mối CNTT": "IT focal point",
}
GRADES = ["Chuyên viên (01.003)", "Chuyên viên chính (01.002)", "Chuyên viên cao cấp (01.001)"]
STAFF_COUNT = 216

# username, employee number, full name, unit, position, groups, HR scope roots
ACCOUNTS = [
    ("admin", "QT0001", "Quản trị Hệ thống", "TTCDS", "Cán bộ đầu mối CNTT", [roles.ADMINISTRATORS], []),
    ("trainer", "GV0001", "Trần Thị Thu Hương", "TTCDS", "Chuyên viên chính", [roles.TRAINERS], []),
    ("hr", "NS0001", "Lê Văn Đức", "TCCB", "Trưởng phòng", [roles.HR], ["BNG"]),
    ("hr_europe", "NS0002", "Phạm Thị Ngọc Ánh", "CQDD-EU", "Tham tán", [roles.HR], ["CQDD-EU"]),
    ("staff", "CB0001", "Nguyễn Thị Hồng Nhung", "DSQ-FR", "Bí thư thứ hai", [roles.STAFF], []),
]


def _csv(header: list[str], rows: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _staff_rows() -> list[tuple]:
    rng = random.Random(2026)
    leaf_units = [code for code, parent, kind, *_ in UNITS if kind != "ministry" and kind != "other"]
    rows = []
    for i in range(1, STAFF_COUNT + 1):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        unit = leaf_units[(i - 1) % len(leaf_units)]
        rows.append(
            (
                f"NG{i:05d}",
                name,
                f"ng{i:05d}@mofa.example.vn",
                unit,
                rng.choice(POSITIONS),
                rng.choice(GRADES),
                "en" if i % 7 == 0 else "vi",
            )
        )
    for username, number, full_name, unit, position, _groups, _scopes in ACCOUNTS:
        rows.append((number, full_name, f"{username}@mofa.example.vn", unit, position, GRADES[1], "vi"))
    return rows


@transaction.atomic
def seed(stdout=None) -> None:
    units_import(
        data=_csv(
            ["code", "parent_code", "kind", "name_vi", "name_en", "time_zone"],
            [(*unit, UNIT_ZONES.get(unit[0], "")) for unit in UNITS],
        )
    )
    staff_import(
        data=_csv(
            ["employee_number", "full_name", "email", "unit_code", "position", "grade", "language"], _staff_rows()
        )
    )
    for name_vi, name_en in POSITION_NAMES.items():
        PositionTitle.objects.update_or_create(name_vi=name_vi, defaults={"name_en": name_en})
    roles.sync_roles()
    staff_group = Group.objects.get(name=roles.STAFF)
    # Every officer is a learner.
    staff_group.user_set.add(*StaffProfile.objects.values_list("user_id", flat=True))

    User = get_user_model()
    password_hash = make_password(settings.DEMO_PASSWORD)
    for username, number, _name, _unit, _position, groups, scopes in ACCOUNTS:
        profile = StaffProfile.objects.select_related("user").get(employee_number=number)
        user = profile.user
        if user.username != username:
            User.objects.filter(username=username).exclude(pk=user.pk).delete()
            user.username = username
        user.password = password_hash
        user.is_staff = username == "admin"
        user.is_superuser = username == "admin"
        user.save()
        user.groups.add(*Group.objects.filter(name__in=groups))
        for code in scopes:
            HRScope.objects.get_or_create(user=user, unit=Unit.objects.get(code=code))
        if set(groups) & SECOND_FACTOR_ROLES:
            # HR and administrators must have a second factor: the demo's come enrolled (see ``logins``).
            totp_enrol(user=user)
    if stdout is not None:
        stdout.write(f"Organisation: {Unit.objects.count()} units, {StaffProfile.objects.count()} staff.")


SECOND_FACTOR_ROLES = {roles.HR, roles.ADMINISTRATORS}


def logins() -> list[tuple[str, str]]:
    return [(username, settings.DEMO_PASSWORD) for username, *_ in ACCOUNTS]


def second_factors() -> list[tuple[str, str, list[str]]]:
    """(username, TOTP secret, unused recovery codes) of the demo accounts that have a second factor."""
    User = get_user_model()
    rows = []
    for username, *_rest in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        secret = totp_secret_of(user) if user else None
        if secret:
            rows.append((username, secret, recovery_codes_of(user)))
    return rows
