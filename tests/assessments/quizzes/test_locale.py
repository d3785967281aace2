from pathlib import Path

import polib
from django.utils import translation

PO = Path(__file__).resolve().parents[3] / "assessments" / "quizzes" / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_quiz_catalogue_is_filled_and_compiled():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()] == []
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo")))}
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            assert compiled.get(entry.msgid) == entry.msgstr, entry.msgid
    with translation.override("vi"):
        assert translation.gettext("Start the quiz") == "Bắt đầu làm bài kiểm tra"
