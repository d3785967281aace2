"""Markup rules every template keeps (checked on the source, so a new page cannot forget them)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    p for p in ROOT.glob("*/**/templates/**/*.html") if not {".venv", "node_modules"} & set(p.relative_to(ROOT).parts)
)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_table_scrollers_can_be_reached_by_keyboard(template):
    """A table that scrolls sideways hid columns a keyboard user could not reach."""
    for tag in re.findall(r'<div class="table-(?:wrap|scroll)"[^>]*>', template.read_text(encoding="utf-8")):
        assert 'tabindex="0"' in tag and 'role="region"' in tag and "aria-label=" in tag, tag


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_chart_container_is_an_image_holding_controls(template):
    """plotly draws buttons and links inside its container: role="img" on it was axe's nested-interactive."""
    text = template.read_text(encoding="utf-8")
    for tag in re.findall(r"<div[^>]*data-figure[^>]*>", text):
        assert 'role="img"' not in tag, tag
