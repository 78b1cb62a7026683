"""Cell reading follows the report's conventions, one case per line."""

import pytest

from knowledge.parse.cells import parse_cell


@pytest.mark.parametrize(
    "text, value, flags",
    [
        ("1,570,038", 1570038, {}),
        ("△1,053,812", -1053812, {}),
        ("△5.3%", -5.3, {"unit": "%"}),
        ("-", None, {}),
        ("", None, {}),
        ("상시", None, {"always": True}),
        ("(59,237)", 59237, {"parenthesised": True}),
        ("(107.7%)", 107.7, {"parenthesised": True, "unit": "%"}),
        ("100%", 100.0, {"unit": "%"}),
        ("100.0%", 100.0, {"unit": "%"}),
        ("78.9%", 78.9, {"unit": "%"}),
        ("4.53", 4.53, {}),
        ("12.6:1", 12.6, {"unit": "ratio"}),
        ("9,002편", 9002, {"unit": "편"}),
        ("1,670명", 1670, {"unit": "명"}),
        ("1. 6. ~ 1.31.", None, {}),
        ("원격", None, {}),
    ],
)
def test_parse_cell(text, value, flags):
    c = parse_cell(text)
    assert c.value == value
    for k, v in flags.items():
        assert getattr(c, k) == v
