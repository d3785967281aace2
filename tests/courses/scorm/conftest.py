import io
import zipfile

import pytest

from tests.conftest import SHARED_TESTDATA
from tests.factories import make_person, make_unit

SCORM_DIR = SHARED_TESTDATA / "scorm"
GOLF_12 = SCORM_DIR / "RuntimeBasicCalls_SCORM12.zip"
GOLF_2004 = SCORM_DIR / "RuntimeBasicCalls_SCORM20043rdEdition.zip"
GOLF_MULTI_12 = SCORM_DIR / "ContentPackagingOneFilePerSCO_SCORM12.zip"
GOLF_METADATA_2004 = SCORM_DIR / "ContentPackagingMetadata_SCORM20043rdEdition.zip"

MANIFEST_12 = b"""<?xml version="1.0"?>
<manifest identifier="toy12" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Toy course</title>
    <item identifier="i1" identifierref="r1"><title>Page one</title><adlcp:masteryscore>80</adlcp:masteryscore></item>
    <item identifier="i2" identifierref="r2"><title>Page two</title></item>
  </organization></organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="one.html"><file href="one.html"/></resource>
    <resource identifier="r2" type="webcontent" adlcp:scormtype="sco" href="two.html?x=1"><file href="two.html"/></resource>
  </resources>
</manifest>"""

MANIFEST_2004 = b"""<?xml version="1.0"?>
<manifest identifier="toy2004" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Toy 2004</title>
    <item identifier="i1" identifierref="r1"><title>Only page</title></item>
  </organization></organizations>
  <resources xml:base="content/">
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="index.html"/>
  </resources>
</manifest>"""


def toy_12(**overrides) -> dict[str, bytes]:
    files = {"imsmanifest.xml": MANIFEST_12, "one.html": b"<p>one</p>", "two.html": b"<p>two</p>"}
    files.update(overrides)
    return {k: v for k, v in files.items() if v is not None}


def toy_2004(**overrides) -> dict[str, bytes]:
    files = {"imsmanifest.xml": MANIFEST_2004, "content/index.html": b"<p>x</p>"}
    files.update(overrides)
    return {k: v for k, v in files.items() if v is not None}


def build_zip(files: dict[str, bytes], *, infos: list[zipfile.ZipInfo] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for info in infos or []:
            archive.writestr(info, b"x")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def scorm_storage(settings, tmp_path):
    settings.SCORM_STORAGE_ROOT = str(tmp_path / "scorm")
    settings.SCORM_PLAYER_ORIGIN = ""
    settings.H5P_PLAYER_ORIGIN = ""
    return tmp_path / "scorm"


@pytest.fixture(autouse=True)
def _frameworks(request):
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from assessments.services.frameworks import frameworks_ensure

    frameworks_ensure()


@pytest.fixture
def scorm_course(db):
    from tests.courses.conftest import make_catalogue, make_course

    return make_course(make_catalogue(), title="SCORM course", slug="scorm-course")


def place_in_lesson(course, activity, **fields):
    from tests.courses.conftest import make_lesson

    body = [{"type": "scorm", "value": {"activity": activity.pk, "introduction": ""}}]
    return make_lesson(course, title=f"Lesson {activity.pk}", body=body, **fields)


@pytest.fixture
def learner(db, scorm_course):
    from courses.services.enrolment import enrolment_create

    person = make_person("learner", make_unit("PAR", kind="embassy"))
    enrolment_create(person=person, course=scorm_course)
    return person


@pytest.fixture
def trainer(db):
    from lms import roles

    return make_person("trainer", make_unit("TRN"), role=roles.TRAINERS)
