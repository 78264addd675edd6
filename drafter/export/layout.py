"""Page and type facts of GB/T 9704-2012, and the oxml helpers python-docx lacks.

python-docx sets only Latin fonts, knows no first-line indent in characters, no document
grid and no fields; the helpers here write those elements directly (see
shared/docs/formatting.md for why each matters in Word, WPS and LibreOffice).
"""

from __future__ import annotations

import re

from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm

# -- type -----------------------------------------------------------------------------

# Chinese size names → points.
SIZE_2 = 22.0  # 二号
SIZE_3 = 16.0  # 三号
SIZE_4 = 14.0  # 四号
SIZE_SMALL_4 = 12.0  # 小四
SIZE_5 = 10.5  # 五号

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"

# What Word should substitute where an office font is missing (fontTable altName).
FONT_FALLBACKS = {FANGSONG: "仿宋", KAITI: "楷体", XIAOBIAOSONG: "宋体", HEITI: "SimHei"}

# -- page -----------------------------------------------------------------------------

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 37, 35
MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 28, 26
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# 225 mm of text block over 22 lines: 28.95 pt, i.e. 579 twips.
LINE_PITCH_TWIPS = 579
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20
# 28 characters of 16 pt need 448 pt but the block is 442 pt wide: condense each by 0.3 pt.
CHAR_SPACING_TWIPS = -6
# The page number sits 7 mm below the text block; the footer distance is measured to the
# bottom of the number's line (4号 ≈ 5 mm high).
FOOTER_DISTANCE_MM = MARGIN_BOTTOM_MM - 7 - 5
FIRST_LINE_CHARS = 200  # hundredths of a character: two characters
TABLE_LINE_PT = 20.0


# -- run and paragraph properties -------------------------------------------------------


def set_fonts(rpr, east_asia: str, latin: str | None = None) -> None:
    """Set East Asian and Latin fonts on an rPr, dropping any theme font attributes."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    latin = latin or east_asia
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    # Quotes, dashes and ellipses are ambiguous between scripts: draw them in the CJK font.
    fonts.set(qn("w:hint"), "eastAsia")


def set_char_spacing(rpr, twips: int) -> None:
    """Condense or expand characters (w:spacing in twentieths of a point)."""
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.append(spacing)
    spacing.set(qn("w:val"), str(twips))


def set_language(rpr) -> None:
    """Latin text en-US, Chinese zh-CN."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def set_first_line_indent(ppr, chars: int = FIRST_LINE_CHARS, font_pt: float = SIZE_3) -> None:
    """First-line indent in characters (Word) and in twips (LibreOffice reads only that)."""
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars))
    ind.set(qn("w:firstLine"), str(round(chars / 100 * font_pt * 20)))


def set_side_indent(ppr, side: str, chars: int, font_pt: float) -> None:
    """Left or right indent in characters, with the twips fallback."""
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn(f"w:{side}Chars"), str(chars))
    ind.set(qn(f"w:{side}"), str(round(chars / 100 * font_pt * 20)))


def set_exact_spacing(ppr, line_twips: int = LINE_PITCH_TWIPS) -> None:
    """Fixed line pitch, nothing before or after the paragraph."""
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        ppr.append(spacing)
    for key, value in (("before", "0"), ("after", "0"), ("line", str(line_twips))):
        spacing.set(qn(f"w:{key}"), value)
    spacing.set(qn("w:lineRule"), "exact")


def set_on_off(parent, tag: str, on: bool = True) -> None:
    """Add (or switch off) an on/off property such as w:keepNext or w:widowControl."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    if on:
        element.attrib.pop(qn("w:val"), None)
    else:
        element.set(qn("w:val"), "0")


# -- titles ----------------------------------------------------------------------------

# Where a long title may break (the index is the first character of the next line), best
# first. GB/T 9704 asks for a title that keeps words whole and is laid out symmetrically.
_TITLE_BREAKS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile("(?=的起草说明|条文对照表|修改情况的说明)"), 0),
    (re.compile("(?<=.)(?=《)"), 1),
    (re.compile("(?<=》)"), 1),
    (re.compile("(?=（(?:草案|征求意见稿|送审稿|修改稿|草案修改稿|表决稿)）)"), 2),
    (re.compile("(?<=[、，])"), 2),
    # After the city or province (无锡市|数字化…), before the kind of act (…促进|条例).
    (re.compile("(?<=^关于《..市)|(?<=^《..市)|(?<=^..市)|(?<=[^城都]市)(?=[^场政民级])"), 3),
    (re.compile("(?=(?:促进|管理|保护|发展|建设|服务)?(?:条例|办法|规定|决定)[（》]?)"), 3),
    (re.compile("(?<=[^和与及])(?=[和与及][^以])"), 4),
)
_HARD_BREAK_COST = 100


def title_chars_per_line(section: Section) -> int:
    """How many 2号 (22 pt) characters one line of the section's text block holds:
    20 on portrait A4 with GB/T 9704 margins (442 pt), 28 on landscape (638 pt)."""
    page, left, right = section.page_width, section.left_margin, section.right_margin
    # Every section the exporter writes a title into went through setup_page, which sets all three.
    assert page is not None and left is not None and right is not None
    width_pt = (page - left - right) / 12700
    return max(1, int(width_pt // SIZE_2))


def _break_costs(title: str) -> dict[int, int]:
    costs: dict[int, int] = {}
    for pattern, cost in _TITLE_BREAKS:
        for match in pattern.finditer(title):
            at = match.start()
            if 0 < at < len(title):
                costs[at] = min(cost, costs.get(at, cost))
    return costs


def title_lines(title: str, width: int) -> list[str]:
    """A title cut into lines of at most `width` characters at the best places: before
    的起草说明 / 条文对照表, before 《 or after 》, before （草案）, after the city, before
    条例 — never mid-word unless no word boundary can make the lines fit.

    No mid-word break first, then fewest lines, then the best places, then the most even
    lines.
    """
    if len(title) <= width:
        return [title]
    costs = _break_costs(title)
    for at in range(1, len(title)):
        costs.setdefault(at, _HARD_BREAK_COST)
    n = len(title)
    # best[i]: (hard breaks, lines, cost, unevenness) of the best layout of title[:i].
    best: dict[int, tuple[tuple[int, int, int, int], list[int]]] = {0: ((0, 0, 0, 0), [])}
    for end in sorted([*costs, n]):
        options = []
        for start, (score, cuts) in best.items():
            length = end - start
            if start >= end or length > width:
                continue
            cost = 0 if end == n else costs[end]
            hard = int(cost >= _HARD_BREAK_COST)
            slack = width - length
            options.append(
                (
                    (score[0] + hard, score[1] + 1, score[2] + cost, score[3] + slack * slack),
                    cuts,
                )
            )
        if options:
            score, cuts = min(options, key=lambda option: option[0])
            best[end] = (score, [*cuts, end])
    _, cuts = best[n]
    starts = [0, *cuts[:-1]]
    return [title[a:b] for a, b in zip(starts, cuts, strict=True)]


# -- page setup and footers -------------------------------------------------------------


def _doc_grid(section: Section) -> None:
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


def setup_page(section: Section, landscape: bool = False) -> None:
    """A4 with the GB/T 9704 margins; landscape turns the page and its margins a quarter."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
        # The portrait binding edge (left) becomes the top.
        section.top_margin, section.bottom_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
        section.left_margin, section.right_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.gutter = Mm(0)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    _doc_grid(section)


def restart_page_numbers(section: Section, start: int = 1) -> None:
    """Number this section's pages from `start` (each document of an all-in-one file)."""
    sect_pr = section._sectPr
    pg = sect_pr.find(qn("w:pgNumType"))
    if pg is None:
        pg = OxmlElement("w:pgNumType")
        # Schema order: pgNumType follows pgMar/paperSrc/pgBorders/lnNumType.
        anchor = sect_pr.find(qn("w:cols"))
        if anchor is not None:
            anchor.addprevious(pg)
        else:
            sect_pr.append(pg)
    pg.set(qn("w:start"), str(start))


def _field_runs(paragraph, instruction: str, placeholder: str) -> None:
    for kind, text in (("begin", None), (None, instruction), ("separate", None)):
        run = paragraph.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
    paragraph.add_run(placeholder)
    end = paragraph.add_run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end._r.append(fld)


def _page_number_paragraph(footer, style, align_right: bool) -> None:
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.style = style
    ppr = paragraph._p.get_or_add_pPr()
    # Indented one character from the outer edge (w:ind must precede w:jc).
    set_side_indent(ppr, "right" if align_right else "left", 100, SIZE_4)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "right" if align_right else "left")
    ppr.append(jc)
    paragraph.add_run("— ")
    _field_runs(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


def add_page_numbers(section: Section, style) -> None:
    """“— 1 —” footers: odd pages right, even pages left (needs evenAndOddHeaders)."""
    _page_number_paragraph(section.footer, style, align_right=True)
    _page_number_paragraph(section.even_page_footer, style, align_right=False)
    # An empty first-page footer is never wanted: the title page is numbered too.
    section.different_first_page_header_footer = False
