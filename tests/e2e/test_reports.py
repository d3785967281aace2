import csv
import io

import pytest
from django.core.management import call_command

from tests.e2e.conftest import sign_in


@pytest.fixture
def demo(transactional_db, settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def test_hr_europe_sees_only_their_subtree_and_downloads_a_csv(page, demo):
    sign_in(page, "hr_europe", demo)
    page.goto("/reports/")
    assert page.get_by_role("heading", name="Báo cáo nhân sự", exact=True).is_visible()
    assert page.locator("#chart-heatmap .main-svg").first.is_visible()  # plotly.js drew the heatmap
    text = page.locator("section[aria-labelledby='units-h']").inner_text()
    assert "Đại sứ quán Việt Nam tại Pháp" in text and "Phái đoàn thường trực Việt Nam tại Geneva" in text
    assert "Nhật Bản" not in text and "Hoa Kỳ" not in text and "Văn phòng Bộ" not in text

    with page.expect_download() as info:
        page.locator("a[href^='/reports/export/staff.csv']").first.click()
    download = info.value
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    from lms.models import Unit

    europe = set(
        Unit.objects.filter(code__in=["CQDD-EU", "DSQ-FR", "DSQ-DE", "TLSQ-FRANKFURT", "PDD-GENEVA"]).values_list(
            "name_vi", flat=True
        )
    )
    unit_names = {r[2] for r in rows[1:]}
    assert rows[1:] and unit_names <= europe
    assert any(any(ch in r[1] for ch in "ăâđêôơưĂÂĐÊÔƠƯ") or "Nguyễn" in r[1] for r in rows[1:])
