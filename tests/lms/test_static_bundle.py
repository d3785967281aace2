"""plotly.js: one small bundle, under one address, compressed with a long cache in production; no CDN."""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

BUNDLE = "plotly/plotly-cartesian.min.js"


def test_one_partial_bundle_from_npm_much_smaller_than_the_full_one():
    path = Path(finders.find(BUNDLE))
    assert "node_modules/plotly.js-cartesian-dist-min" in str(path)
    size = path.stat().st_size
    assert size < 2_000_000  # the full plotly.min.js served before was 4.8 MB
    assert path.read_text(encoding="utf-8", errors="replace")[:300].count("plotly.js") >= 1


def test_production_serves_it_gzipped_and_brotli_compressed(tmp_path):
    """What collectstatic does in production (WhiteNoise's compressed manifest storage): .gz and .br copies."""
    from whitenoise.compress import Compressor

    production = (Path(settings.BASE_DIR) / "lms" / "settings" / "production.py").read_text()
    assert "whitenoise.storage.CompressedManifestStaticFilesStorage" in production  # hashed names: a year's cache
    copy = tmp_path / "plotly-cartesian.min.js"
    shutil.copy(finders.find(BUNDLE), copy)
    written = list(Compressor(quiet=True).compress(str(copy)))
    sizes = {Path(p).suffix: Path(p).stat().st_size for p in written}
    assert set(sizes) == {".gz", ".br"}
    assert sizes[".br"] < sizes[".gz"] < 600_000


def test_every_chart_page_asks_for_the_same_single_address():
    root = Path(settings.BASE_DIR)
    sources = set()
    for template in root.glob("*/**/templates/**/*.html"):
        if {".venv", "node_modules"} & set(template.relative_to(root).parts):
            continue
        text = template.read_text(encoding="utf-8")
        sources |= {src for src in re.findall(r'<script[^>]+src="([^"]*)"', text) if "plotly" in src.lower()}
        sources |= set(re.findall(r'data-plotly="([^"]*)"', text))
    assert sources == {"{% static 'plotly/plotly-cartesian.min.js' %}"}


def test_plotly_is_not_on_the_critical_path():
    """Issue 17 (a mission's slow link): no page waits for plotly.js before it answers input. The small
    charts.js (deferred) fetches the bundle, asynchronously, only where a chart is."""
    root = Path(settings.BASE_DIR)
    include = (root / "lms" / "templates" / "lms" / "_charts_js.html").read_text(encoding="utf-8")
    assert re.findall(r'<script[^>]+src="([^"]*)"[^>]*>', include) == ["{% static 'lms/charts.js' %}"]
    assert " defer" in include and "data-plotly=" in include
    script = (root / "lms" / "static" / "lms" / "charts.js").read_text(encoding="utf-8")
    assert 'querySelector("[data-figure]")' in script and "script.async = true" in script


@pytest.mark.django_db
def test_the_bundle_is_served_locally(client):
    response = client.get(f"/static/{BUNDLE}")
    assert response.status_code == 200
    assert b"plotly" in b"".join(response.streaming_content)[:2000].lower()
