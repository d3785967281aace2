"""Times in the reader's own zone: their choice, else their unit's (missions abroad), else the ministry's."""

import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from lms import timezones
from lms.models import StaffProfile, Unit
from lms.services.imports import units_import
from tests.factories import make_person


@pytest.fixture
def paris(org):
    org["FR"].time_zone = "Europe/Paris"
    org["FR"].save()
    return org["FR"]


def test_a_person_reads_their_units_zone_unless_they_chose_one(org, paris):
    person = make_person("lan", paris)
    assert timezones.zone_name_for(person) == "Europe/Paris"
    home = make_person("minh", org["VP"])
    assert timezones.zone_name_for(home) == "Asia/Ho_Chi_Minh"
    person.time_zone = "Asia/Tokyo"
    assert timezones.zone_name_for(person) == "Asia/Tokyo"


def test_pages_show_times_in_the_signed_in_persons_zone(client, org, paris):
    person = make_person("lan", paris)
    client.force_login(person.user)
    response = client.get(reverse("preferences"))
    assert response.status_code == 200
    paris_now = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo("Europe/Paris"))
    body = response.content.decode()
    assert f"{paris_now:%H}:" in body and ("(UTC+1)" in body or "(UTC+2)" in body)  # Paris, winter or summer


def test_settings_save_the_zone_and_the_next_page_uses_it(client, org, paris):
    person = make_person("lan", paris)
    client.force_login(person.user)
    response = client.post(reverse("preferences"), {"language": "en", "time_zone": "Asia/Kolkata"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.language, person.time_zone) == ("en", "Asia/Kolkata")
    assert "(UTC+5:30)" in client.get(reverse("preferences")).content.decode()
    # Back to "automatic": the unit's zone again.
    client.post(reverse("preferences"), {"language": "vi", "time_zone": ""})
    assert (
        "(UTC+1)" in client.get(reverse("preferences")).content.decode()
        or "(UTC+2)" in client.get(reverse("preferences")).content.decode()
    )


def test_an_unknown_zone_is_refused_and_nothing_is_saved(client, org, paris):
    person = make_person("lan", paris)
    client.force_login(person.user)
    response = client.post(reverse("preferences"), {"language": "vi", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert StaffProfile.objects.get(pk=person.pk).time_zone == ""


def test_the_unit_import_takes_an_optional_time_zone_column(db):
    data = (
        "code,parent_code,kind,name_vi,name_en,time_zone\n"
        "BNG,,ministry,Bộ Ngoại giao,Ministry,\n"
        "DSQ-FR,BNG,embassy,Đại sứ quán tại Pháp,Embassy in France,Europe/Paris\n"
    ).encode()
    assert units_import(data=data).applied
    assert Unit.objects.get(code="DSQ-FR").time_zone == "Europe/Paris"
    # A file without the column leaves the zones alone.
    assert units_import(data=b"code,parent_code,kind,name_vi,name_en\nDSQ-FR,BNG,embassy,X,Y\n").applied
    assert Unit.objects.get(code="DSQ-FR").time_zone == "Europe/Paris"
    bad = units_import(data=b"code,parent_code,kind,name_vi,name_en,time_zone\nX1,BNG,embassy,X,Y,Europe/Pariss\n")
    assert not bad.applied and "Europe/Pariss" in str(bad.errors[0])


def test_the_demo_missions_abroad_have_their_zones():
    from lms.demo import UNIT_ZONES, UNITS

    codes = {code for code, _parent, kind, *_ in UNITS if kind in ("embassy", "consulate", "mission")}
    assert codes == set(UNIT_ZONES)
    assert all(timezones.is_known_zone(z) for z in UNIT_ZONES.values())
