"""The 公文 page of GB/T 9704-2012, for every DOCX the tracker writes.

A4 paper; 版心 156 mm x 225 mm placed 37 mm from the top and 28 mm from the binding
edge, so the margins are top 37, bottom 35, left 28, right 26 mm. The title is 2号
(22 pt) 方正小标宋简体 (宋体 where that font is missing), headings 3号 黑体, the body 3号
仿宋 at a fixed 28 pt line pitch (22 lines a page), page numbers "— n —" in 4号 宋体.
East Asian fonts are set on w:eastAsia and the language on w:lang w:eastAsia="zh-CN",
so Word lays the text out as Chinese whatever the reader's locale is.
"""

from __future__ import annotations

from typing import Any, Final

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

PAGE_WIDTH_MM: Final = 210
PAGE_HEIGHT_MM: Final = 297
MARGINS_MM: Final = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TITLE_FONT: Final = "方正小标宋简体"
TITLE_FALLBACK: Final = "宋体"
HEADING_FONT: Final = "黑体"
BODY_FONT: Final = "仿宋"
PAGE_NUMBER_FONT: Final = "宋体"
LATIN_FONT: Final = "Times New Roman"
LANGUAGE: Final = "zh-CN"
TITLE_STYLE: Final = "Filing Title"
HEADING_STYLE: Final = "Filing Heading"
TABLE_STYLE: Final = "Filing Table Text"


def set_fonts(target: Any, east_asian: str, *, latin: str = LATIN_FONT, size_pt: float | None = None) -> None:
    """Set a style's or run's fonts: East Asian text in ``east_asian``, Latin letters and digits in ``latin``."""
    font = target.font
    font.name = latin
    if size_pt is not None:
        font.size = Pt(size_pt)
    r_pr = target.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _paragraph_style(doc: DocxDocument, name: str) -> Any:
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    return style


def _fixed_pitch(style: Any, pitch_pt: float) -> None:
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(pitch_pt)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _styles(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT, size_pt=16)
    _fixed_pitch(normal, 28)
    title = _paragraph_style(doc, TITLE_STYLE)
    set_fonts(title, TITLE_FONT, latin=TITLE_FALLBACK, size_pt=22)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fixed_pitch(title, 36)
    title.paragraph_format.space_after = Pt(28)
    heading = _paragraph_style(doc, HEADING_STYLE)
    set_fonts(heading, HEADING_FONT, size_pt=16)
    heading.paragraph_format.first_line_indent = Pt(32)
    table_text = _paragraph_style(doc, TABLE_STYLE)
    set_fonts(table_text, BODY_FONT, size_pt=12)
    _fixed_pitch(table_text, 18)


def _page_number_footer(doc: DocxDocument) -> None:
    """"— 1 —" centred in the footer: a PAGE field between two em dashes (GB/T 9704 7.5)."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.text = ""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("— ", None), (None, "PAGE"), (" —", None)):
        run = paragraph.add_run(text or "")
        set_fonts(run, PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT, size_pt=14)
        if field:
            for kind, instr in (("begin", None), (None, f" {field} "), ("end", None)):
                if kind:
                    element = OxmlElement("w:fldChar")
                    element.set(qn("w:fldCharType"), kind)
                else:
                    element = OxmlElement("w:instrText")
                    element.set(qn("xml:space"), "preserve")
                    element.text = instr
                run._r.append(element)


def apply_layout(doc: DocxDocument) -> DocxDocument:
    """Give a document the 公文 page, styles and page numbers."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.footer_distance = Mm(28 - 7)  # the page number sits 7 mm below the 版心
    _styles(doc)
    _page_number_footer(doc)
    return doc


def title(doc: DocxDocument, text: str) -> Any:
    return doc.add_paragraph(text, style=TITLE_STYLE)


def heading(doc: DocxDocument, text: str) -> Any:
    return doc.add_paragraph(text, style=HEADING_STYLE)


def body(doc: DocxDocument, text: str = "", *, indent: bool = True, align: str | None = None) -> Any:
    paragraph = doc.add_paragraph(text)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 3号
    if align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def table(doc: DocxDocument, header: list[str], widths_mm: list[float]) -> Any:
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    for cell, text, width in zip(grid.rows[0].cells, header, widths_mm, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0].style = doc.styles[TABLE_STYLE]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.paragraphs[0].add_run(text).bold = True
    return grid


def table_row(doc: DocxDocument, grid: Any, texts: list[str]) -> Any:
    row = grid.add_row()
    for cell, text in zip(row.cells, texts, strict=True):
        cell.paragraphs[0].style = doc.styles[TABLE_STYLE]
        cell.paragraphs[0].add_run(text)
    return row
