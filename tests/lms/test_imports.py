import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from lms.errors import ImportFileError
from lms.models import StaffProfile, Unit
from lms.services.imports import staff_import, units_import


@pytest.fixture(autouse=True)
def _english():
    # Messages are checked in English here; the Vietnamese wording is checked once below.
    with translation.override("en"):
        yield


HEADER = "employee_number,full_name,email,unit_code,position,grade,language\n"


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    data = (header + "".join(r + "\n" for r in rows)).encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


GOOD = [
    "NV001,Nguyễn Thị Hồng Nhung,nhung@mofa.example.vn,FR,Bí thư thứ hai,Chuyên viên (01.003),vi",
    "NV002,Trần Đức Đạt,dat@mofa.example.vn,DE,Tham tán,Chuyên viên chính (01.002),en",
    'NV003,"Lê, Thị Ánh",anh@mofa.example.vn,VP,,,',
]


def test_good_file_imports_everyone_with_exact_vietnamese(org):
    result = staff_import(data=csv_bytes(*GOOD))
    assert result.applied and (result.created, result.updated, result.unchanged) == (3, 0, 0)
    nhung = StaffProfile.objects.get(employee_number="NV001")
    assert nhung.full_name == "Nguyễn Thị Hồng Nhung"
    assert nhung.full_name.encode("utf-8") == "Nguyễn Thị Hồng Nhung".encode()
    assert nhung.unit.code == "FR" and nhung.position == "Bí thư thứ hai" and nhung.language == "vi"
    assert StaffProfile.objects.get(employee_number="NV003").full_name == "Lê, Thị Ánh"
    assert StaffProfile.objects.get(employee_number="NV003").language == "vi"
    assert get_user_model().objects.get(username="NV002").email == "dat@mofa.example.vn"
    assert not get_user_model().objects.get(username="NV002").has_usable_password()


def test_bom_is_accepted(org):
    result = staff_import(data=csv_bytes(*GOOD, bom=True))
    assert result.applied and result.created == 3
    assert StaffProfile.objects.filter(employee_number="NV001").exists()


def test_reimport_changes_nothing_and_changed_row_updates(org):
    staff_import(data=csv_bytes(*GOOD))
    before = StaffProfile.objects.get(employee_number="NV002").updated_at
    again = staff_import(data=csv_bytes(*GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert StaffProfile.objects.get(employee_number="NV002").updated_at == before
    changed = [GOOD[0], GOOD[1].replace(",DE,", ",FR,").replace("Tham tán", "Đại sứ"), GOOD[2]]
    third = staff_import(data=csv_bytes(*changed))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    dat = StaffProfile.objects.get(employee_number="NV002")
    assert (dat.unit.code, dat.position) == ("FR", "Đại sứ")


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("NV009,Phạm Văn Sơn,son@mofa.example.vn,NOWHERE,,,vi", "unit_code “NOWHERE” is not a known unit"),
        ("NV001,Phạm Văn Sơn,son@mofa.example.vn,FR,,,vi", "employee_number “NV001” appears more than once"),
        ("NV009,Phạm Văn Sơn,not-an-email,FR,,,vi", "email “not-an-email” is not a valid e-mail address"),
        ("NV009,,son@mofa.example.vn,FR,,,vi", "full_name is required"),
        ("NV 9,Phạm Văn Sơn,son@mofa.example.vn,FR,,,vi", "may contain only letters"),
        ("NV009,Phạm Văn Sơn,son@mofa.example.vn,FR,,,fr", "language “fr” must be “vi” or “en”"),
        ("NV009,Phạm Văn Sơn,nhung@mofa.example.vn,FR,,,vi", "email “nhung@mofa.example.vn” appears more than once"),
        ("NV009,Phạm Văn Sơn,son@mofa.example.vn,FR,,,vi,extra", "expected 7 columns, found 8"),
    ],
)
def test_each_bad_row_is_reported_and_nothing_is_written(org, bad_row, message):
    data = csv_bytes(*GOOD, bad_row)
    result = staff_import(data=data)
    assert not result.applied
    assert StaffProfile.objects.count() == 0
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.row == 5
    assert message in str(error)
    assert str(error).startswith("row 5:")


def test_bad_encoding_names_the_row(org):
    latin1 = "NV009,Phạm Văn Sơn,son@mofa.example.vn,FR,,,vi\n".replace("ạ", "a").encode("utf-8")
    latin1 = latin1.replace(b"Pham", "Phàm".encode("latin-1"))
    data = csv_bytes(*GOOD) + latin1
    result = staff_import(data=data)
    assert not result.applied
    assert result.errors[0].row == 5
    assert "not valid UTF-8" in str(result.errors[0])


def test_skip_invalid_imports_the_good_rows(org):
    result = staff_import(data=csv_bytes(GOOD[0], "NV009,X,bad,FR,,,vi", GOOD[1]), skip_invalid=True)
    assert result.applied and result.created == 2 and result.skipped == 1
    assert len(result.errors) == 1 and result.errors[0].row == 3
    assert set(StaffProfile.objects.values_list("employee_number", flat=True)) == {"NV001", "NV002"}


def test_email_of_someone_else_in_the_database_is_refused(org):
    staff_import(data=csv_bytes(GOOD[0]))
    result = staff_import(data=csv_bytes("NV010,Hồ Thị Lan,nhung@mofa.example.vn,FR,,,vi"))
    assert not result.applied
    assert "already belongs to another person (NV001)" in str(result.errors[0])


def test_missing_columns_and_empty_file_are_file_errors(org):
    with pytest.raises(ImportFileError, match="missing the column"):
        staff_import(data=b"employee_number,full_name\nNV1,A\n")
    with pytest.raises(ImportFileError, match="empty"):
        staff_import(data=b"")
    with pytest.raises(ImportFileError, match="empty"):
        staff_import(data=b"\xef\xbb\xbf  \n")


def test_command_reports_rows_and_exits_nonzero(org, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_bytes(csv_bytes(*GOOD, "NV009,Phạm Văn Sơn,son@x.vn,NOWHERE,,,vi"))
    with pytest.raises(CommandError, match="1 invalid row"):
        call_command("import_staff", str(path))
    assert "row 5: unit_code “NOWHERE” is not a known unit" in capsys.readouterr().err
    assert StaffProfile.objects.count() == 0
    call_command("import_staff", str(path), "--skip-invalid")
    assert "3 created, 0 updated, 0 unchanged, 1 skipped" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_staff", str(tmp_path / "missing.csv"))


# ---------------------------------------------------------------- units

UNIT_HEADER = "code,parent_code,kind,name_vi,name_en\n"


def units_csv(*rows: str) -> bytes:
    return (UNIT_HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


def test_units_import_builds_tree_in_any_row_order(db):
    data = units_csv(
        "DSQ-FR,EU,embassy,Đại sứ quán tại Pháp,Embassy in France",
        "BNG,,ministry,Bộ Ngoại giao,Ministry of Foreign Affairs",
        "EU,BNG,other,Các cơ quan đại diện tại châu Âu,Missions in Europe",
    )
    result = units_import(data=data)
    assert result.applied and result.created == 3
    fr = Unit.objects.get(code="DSQ-FR")
    assert fr.name_vi == "Đại sứ quán tại Pháp"
    assert fr.depth == 2 and fr.parent.code == "EU"
    again = units_import(data=data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_units_unknown_parent_and_cycle_are_bad_rows(org):
    result = units_import(
        data=units_csv(
            "X1,NOPE,department,A,A",
            "BNG,FR,ministry,Bộ,Ministry",  # FR is below BNG: a cycle
        )
    )
    assert not result.applied
    messages = {e.row: str(e) for e in result.errors}
    assert "parent_code “NOPE” is not a known unit" in messages[2]
    assert "would become its own ancestor" in messages[3]
    assert Unit.objects.get(code="BNG").parent is None


def test_units_bad_kind_and_duplicates(db):
    result = units_import(data=units_csv("A,,ministry,A,A", "A,,ministry,A,A", "B,A,palace,B,B"))
    assert not result.applied
    text = " | ".join(str(e) for e in result.errors)
    assert "code “A” appears more than once" in text
    assert "kind “palace” is not one of" in text
    assert Unit.objects.count() == 0


def test_units_skip_invalid_drops_children_of_bad_rows(db):
    result = units_import(data=units_csv("A,,ministry,A,A", "B,A,palace,B,B", "C,B,department,C,C"), skip_invalid=True)
    assert result.applied and result.created == 1 and result.skipped == 2
    assert list(Unit.objects.values_list("code", flat=True)) == ["A"]


def test_import_units_command(tmp_path, db, capsys):
    path = tmp_path / "units.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + units_csv("BNG,,ministry,Bộ Ngoại giao,MOFA", "VP,BNG,department,Văn phòng,Office")
    )
    call_command("import_units", str(path))
    assert "2 created" in capsys.readouterr().out
    assert Unit.objects.get(code="VP").name_vi == "Văn phòng"


def test_row_errors_are_in_vietnamese_by_default(org):
    with translation.override("vi"):
        result = staff_import(data=csv_bytes("NV009,Phạm Văn Sơn,son@x.vn,NOWHERE,,,vi"))
        assert str(result.errors[0]) == "dòng 2: unit_code “NOWHERE” không phải là đơn vị đã biết"


# ---------------------------------------------------------------- scale


def _staff_rows(start: int, count: int, *, unit: str = "FR", position: str = "Chuyên viên") -> list[str]:
    return [
        f"NV{n:05d},Nguyễn Văn {n},nv{n}@mofa.example.vn,{unit},{position},,vi" for n in range(start, start + count)
    ]


def _queries_of(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_import_queries_do_not_grow_with_the_number_of_rows(org):
    # given two files of 20 and 80 new people: both fit one INSERT per table on every backend (SQLite caps a
    # statement at 999 bound values, about 90 profiles; PostgreSQL takes ``BATCH`` rows)
    small = _queries_of(lambda: staff_import(data=csv_bytes(*_staff_rows(0, 20))))
    large = _queries_of(lambda: staff_import(data=csv_bytes(*_staff_rows(1000, 80))))
    # then creating them takes the same number of queries
    assert small == large
    assert StaffProfile.objects.count() == 100
    # and so does updating them (every row changed: unit, position, e-mail) or finding nothing to change
    changed_small = [r.replace(",FR,", ",DE,").replace("@mofa", "@new") for r in _staff_rows(0, 20)]
    changed_large = [r.replace(",FR,", ",DE,").replace("@mofa", "@new") for r in _staff_rows(1000, 80)]
    assert _queries_of(lambda: staff_import(data=csv_bytes(*changed_small))) == _queries_of(
        lambda: staff_import(data=csv_bytes(*changed_large))
    )
    assert _queries_of(lambda: staff_import(data=csv_bytes(*changed_small))) == _queries_of(
        lambda: staff_import(data=csv_bytes(*changed_large))
    )
    moved = StaffProfile.objects.select_related("user", "unit").get(employee_number="NV01050")
    assert (moved.unit.code, moved.user.email) == ("DE", "nv1050@new.example.vn")


def test_import_reactivates_and_reuses_an_account_named_after_the_number(org):
    User = get_user_model()
    User.objects.create_user("NV00007", email="old@mofa.example.vn")  # an account made before, no profile
    staff_import(data=csv_bytes(*_staff_rows(0, 10)))
    assert StaffProfile.objects.get(employee_number="NV00007").user.email == "old@mofa.example.vn"
    StaffProfile.objects.filter(employee_number="NV00003").update(is_active=False)
    User.objects.filter(username="NV00003").update(is_active=False)
    before = StaffProfile.objects.get(employee_number="NV00003").updated_at
    result = staff_import(data=csv_bytes(*_staff_rows(0, 10)))
    # NV00007's e-mail now follows the file
    assert (result.created, result.updated, result.unchanged, result.reactivated) == (0, 2, 8, 1)
    back = StaffProfile.objects.select_related("user").get(employee_number="NV00003")
    assert back.is_active and back.user.is_active and back.updated_at > before
    assert User.objects.get(username="NV00007").email == "nv7@mofa.example.vn"


def test_progress_counts_every_good_row(org):
    seen: list[int] = []
    staff_import(data=csv_bytes(*_staff_rows(0, 30)), progress=seen.append)
    staff_import(data=csv_bytes(*_staff_rows(20, 30)), progress=seen.append)
    assert sum(seen) == 60
