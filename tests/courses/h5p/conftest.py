import io
import json
import zipfile

import pytest

from tests.conftest import SHARED_TESTDATA, material
from tests.factories import make_person, make_unit

H5P_DIR = SHARED_TESTDATA / "h5p"
XAPI_DIR = SHARED_TESTDATA / "xapi"
REAL_PACKAGES = material("h5p", "*.h5p")

TOY_LIBRARY = {
    "title": "Toy",
    "machineName": "H5P.Toy",
    "majorVersion": 1,
    "minorVersion": 0,
    "patchVersion": 2,
    "runnable": 1,
    "preloadedJs": [{"path": "toy.js"}],
}


def toy_files(**overrides) -> dict[str, bytes | None]:
    """A tiny valid package; pass name=bytes to add/replace a member, name=None to drop it."""
    files: dict[str, bytes | None] = {
        "h5p.json": json.dumps(
            {
                "title": "Toy",
                "mainLibrary": "H5P.Toy",
                "language": "en",
                "embedTypes": ["iframe"],
                "preloadedDependencies": [{"machineName": "H5P.Toy", "majorVersion": 1, "minorVersion": 0}],
            }
        ).encode(),
        "content/content.json": b'{"text": "hello"}',
        "H5P.Toy-1.0/library.json": json.dumps(TOY_LIBRARY).encode(),
        "H5P.Toy-1.0/toy.js": b"H5P.Toy = function () {};",
    }
    files.update(overrides)
    return {k: v for k, v in files.items() if v is not None}


def build_zip(files: dict[str, bytes], *, infos: list[zipfile.ZipInfo] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for info in infos or []:
            archive.writestr(info, b"target" if info.filename.endswith("link") else b"x")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def h5p_storage(settings, tmp_path):
    settings.H5P_STORAGE_ROOT = str(tmp_path / "h5p")
    return tmp_path / "h5p"


@pytest.fixture(autouse=True)
def _frameworks(request):
    """The shipped competency frameworks, re-installed if a transactional test flushed them."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from assessments.services.frameworks import frameworks_ensure

    frameworks_ensure()


@pytest.fixture
def h5p_course(db):
    """A course (not open to all) whose lessons will hold the activities the tests import."""
    from tests.courses.conftest import make_catalogue, make_course

    return make_course(make_catalogue(), title="H5P course", slug="h5p-course")


def place_in_lesson(course, activity):
    from tests.courses.conftest import make_lesson

    body = [{"type": "h5p", "value": {"activity": activity.pk, "introduction": ""}}]
    return make_lesson(course, title=f"Lesson {activity.pk}", body=body)


def enrol(person, course):
    from courses.services.enrolment import enrolment_create

    return enrolment_create(person=person, course=course)


@pytest.fixture
def learner(db, h5p_course):
    """A learner enrolled in ``h5p_course``."""
    unit = make_unit("PAR", kind="embassy")
    person = make_person("learner", unit)
    enrol(person, h5p_course)
    return person


@pytest.fixture
def trainer(db):
    from lms import roles

    return make_person("trainer", make_unit("TRN"), role=roles.TRAINERS)


CAPTURED_DIR = XAPI_DIR / "h5p-captured-standalone-3.8.2"


def retarget(statement: dict, activity_pk: int, host: str = "http://testserver") -> dict:
    """A captured statement, pointed at our activity's IRI (as our player sets xAPIObjectIRI)."""
    text = json.dumps(statement)
    prefix = statement["object"]["id"].split("?", 1)[0]
    text = text.replace(prefix, f"{host}/h5p/activities/{activity_pk}/")
    return json.loads(text)


def captured(name: str, activity_pk: int) -> list[dict]:
    return [retarget(s, activity_pk) for s in json.loads((CAPTURED_DIR / name).read_text())]


@pytest.fixture
def import_activity(testdata, db, h5p_course):
    """Import a real package as an activity and place it in a lesson of ``h5p_course``
    (``place=False`` leaves it out of every lesson)."""
    from courses.h5p.services import h5p_activity_import

    def make(name: str, place: bool = True, **kwargs):
        activity = h5p_activity_import(path=H5P_DIR / name, title=kwargs.pop("title", name), **kwargs)
        if place:
            place_in_lesson(h5p_course, activity)
        return activity

    return make
