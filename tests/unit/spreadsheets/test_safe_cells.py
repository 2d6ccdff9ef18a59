"""Cells that cannot attack their reader (issue 18, finding 6): formulas neutralised, characters
XML forbids removed, and the round trip exact for every other text."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from kuznia.spreadsheets.safe_cells import FORMULA_START, read_safe_cell, safe_cell
from kuznia.spreadsheets.sheet_writer import Col, write_sheet
from kuznia.spreadsheets.styles import workbook_bytes

ILLEGAL = "".join(map(chr, [*range(9), 11, 12, *range(14, 32)])) + "\ufffe\uffff"
writable_text = st.text(st.characters(blacklist_characters=ILLEGAL, blacklist_categories=["Cs"]))


def test_text_that_would_start_a_formula_gets_an_apostrophe():
    for text in ("=HYPERLINK(\"https://evil.example\",\"x\")", "+1+2", "-1+2", "@SUM(A1)",
                 "\t=1", "\r=1", "=cmd|' /C calc'!A0"):  # fmt: skip
        assert safe_cell(text) == "'" + text


def test_ordinary_text_numbers_and_plain_signed_numbers_are_left_alone():
    for value in ("Kharkiv works", "'s-Hertogenbosch", "", "-12.50", "+3", 12, 1.5, None):
        assert safe_cell(value) == value


def test_characters_that_xml_forbids_are_removed():
    assert safe_cell("bell\x07 and \uffff and \ufffe") == "bell and  and "
    assert safe_cell("tab\tnew\nline\r") == "tab\tnew\nline\r"


@settings(max_examples=300, deadline=None)
@given(writable_text)
def test_reading_back_what_was_written_gives_the_exact_text(text):
    written = safe_cell(text)
    assert read_safe_cell(written) == text
    assert written[:1] not in FORMULA_START or text == written  # only plain numbers start so


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_whatever_the_text_the_workbook_written_can_be_read_back(text):
    workbook = Workbook()
    workbook.active.append([safe_cell(text)])  # type: ignore[union-attr]
    loaded = load_workbook(io.BytesIO(workbook_bytes(workbook)))
    value = loaded.active["A1"].value  # type: ignore[index]
    # XML itself turns a carriage return into a newline; nothing else may change
    assert (value or "") == safe_cell(text).replace("\r\n", "\n").replace("\r", "\n")


def test_a_plan_sheet_writes_a_formula_like_name_as_text():
    workbook = Workbook(write_only=True)
    write_sheet(workbook, "s", [Col("name")], [['=HYPERLINK("x")'], ["bell\x07"]])
    data = workbook_bytes(workbook)  # type: ignore[arg-type]
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == '\'=HYPERLINK("x")'  # type: ignore[index]
    assert sheet["A2"].data_type == "s"  # type: ignore[index]
    assert sheet["A3"].value == "bell"  # type: ignore[index]
