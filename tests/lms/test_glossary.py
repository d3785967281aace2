"""The Vietnamese catalogues follow the glossary kept in the repository (glossary.toml)."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = tomllib.loads((ROOT / "glossary.toml").read_text(encoding="utf-8"))
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/vi/LC_MESSAGES/django.po")
    if not {".venv", "node_modules"} & set(path.relative_to(ROOT).parts)
)


def _app(path: Path) -> str:
    return str(path.relative_to(ROOT).parent.parent.parent.parent)


def _entries():
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr and not entry.msgstr_plural:
                continue
            texts = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
            yield _app(path), entry, [entry.msgid, entry.msgid_plural or ""], texts


ENTRIES = list(_entries())
IGNORED = re.compile("|".join(GLOSSARY["ignore"]))


def _english(texts: list[str]) -> list[str]:
    return [IGNORED.sub("", text) for text in texts if text]


def _matched(english: list[str]) -> list[dict]:
    texts = _english(english)
    return [t for t in GLOSSARY["term"] if any(re.search(t["match"], e, re.IGNORECASE) for e in texts)]


@pytest.mark.parametrize("term", GLOSSARY["term"], ids=lambda t: t["en"])
def test_every_entry_uses_the_glossary_term(term):
    pattern = re.compile(term["match"], re.IGNORECASE)
    wrong = []
    for app, entry, english, texts in ENTRIES:
        if not any(pattern.search(e) for e in _english(english)):
            continue
        wanted = term.get("contexts", {}).get(entry.msgctxt, term["vi"])
        never = [] if entry.msgctxt in term.get("contexts", {}) else term.get("never", [])
        # A word another term of the same message asks for is not wrong here ("level" is never "trình độ",
        # but a message about a level and a band needs both "mức" and "trình độ").
        others = {vi for other in _matched(english) if other is not term for vi in other["vi"]}
        never = [n for n in never if n not in others]
        for text in texts:
            low = text.lower()
            if not any(w in low for w in wanted) or any(n in low for n in never):
                wrong.append(f"{app}: [{entry.msgctxt or ''}] {entry.msgid!r} → {text!r}")
    assert wrong == [], f"glossary: {term['en']} = {' / '.join(term['vi'])}\n" + "\n".join(wrong)


def test_one_translation_per_message_across_catalogues():
    """Django merges the apps' catalogues; the same message translated twice shows the first app's everywhere."""
    seen: dict[tuple, dict[str, str]] = defaultdict(dict)
    for app, entry, _english, texts in ENTRIES:
        seen[(entry.msgctxt, entry.msgid)][app] = " | ".join(texts)
    conflicts = {key: apps for key, apps in seen.items() if len(set(apps.values())) > 1}
    assert conflicts == {}, "\n".join(f"{k}: {v}" for k, v in conflicts.items())


@pytest.mark.parametrize("rule", GLOSSARY["spelling"], ids=lambda r: r["note"][:20])
def test_spelling(rule):
    pattern = re.compile(rule["pattern"])
    wrong = [
        f"{app}: {entry.msgid!r} → {text!r}"
        for app, entry, _english, texts in ENTRIES
        for text in texts
        if pattern.search(text)
    ]
    assert wrong == [], rule["note"] + "\n" + "\n".join(wrong)


def test_the_merged_catalogue_uses_the_right_terms():
    """What a page really shows (all catalogues merged): a name over units is not a person's name, a grade
    is not a score."""
    from django.utils import translation

    with translation.override("vi"):
        assert translation.gettext("Name") == "Tên"
        assert translation.gettext("Full name") == "Họ và tên"
        assert translation.gettext("Grade") == "Ngạch"
        assert translation.gettext("Score") == "Điểm"
        assert translation.gettext("Position") == "Chức vụ"
