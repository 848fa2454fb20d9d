"""Reading a generated DOCX back with python-docx: its page, its fonts and all of its text."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from cases.filings import layout


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def table_rows(doc) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]


def east_asian_font(style) -> str | None:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def east_asian_language(style) -> str | None:
    lang = style.element.rPr.find(qn("w:lang"))
    return lang.get(qn("w:eastAsia")) if lang is not None else None


def assert_gongwen_page(doc) -> None:
    """A4 with the GB/T 9704 margins, 仿宋 body and 小标宋 title in zh-CN, and a PAGE field in the footer."""
    section = doc.sections[0]
    mm = lambda value: round(value / Mm(1))  # noqa: E731
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin), mm(section.right_margin)) == (
        37, 35, 28, 26)
    normal = doc.styles["Normal"]
    assert east_asian_font(normal) == "仿宋" and normal.font.size.pt == 16
    assert east_asian_language(normal) == "zh-CN"
    title = doc.paragraphs[0]
    assert title.style.name == layout.TITLE_STYLE
    assert east_asian_font(title.style) == "方正小标宋简体" and title.style.font.name == "宋体"
    assert title.style.font.size.pt == 22
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "fldChar" in footer_xml
