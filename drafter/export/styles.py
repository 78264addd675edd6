"""The Word template: the styles every export uses, how the shipped template is built, and
how an office's own template is opened and checked.

python-docx cannot open .dotx and silently ignores a style the document does not define,
so exports start from a .docx that defines every style in `STYLE_SPECS`;
`templates/build_template.py` writes the shipped one from these specs.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from drafter.errors import InputFileError
from drafter.export import layout as lay
from drafter.paths import templates_dir
from drafter.user_files import DOCX_LIMIT, check_zip_bytes, read_user_file

TEMPLATE_NAME = "regulation.docx"

_DOTX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@dataclass(frozen=True)
class StyleSpec:
    """One style of the template."""

    name: str
    font: str
    size: float = lay.SIZE_3
    kind: str = "paragraph"  # or "character"
    align: str = "both"  # w:jc value
    indent: bool = False  # two-character first-line indent
    keep_next: bool = False
    latin: str | None = None
    condensed: bool = False  # 28 characters per line
    line_twips: int = lay.LINE_PITCH_TWIPS
    snap: bool = True  # lines snap to the 22-line grid (off for lines of another pitch)


# Style names as the exporter uses them; an office template must define each.
TITLE = "法规标题"
STATUS_LINE = "草案标注"
TOC_HEADING = "目录标题"
TOC_ENTRY = "目录条目"
CHAPTER = "章标题"
ARTICLE = "条文"
ITEM = "条文项"
ARTICLE_LABEL = "条号"
TABLE_LABEL = "表格条号"
EXPLANATION_H1 = "说明一级标题"
EXPLANATION_H2 = "说明二级标题"
EXPLANATION_BODY = "说明正文"
EXPLANATION_LEAD = "说明小标题"
TABLE_TEXT = "表格文字"
TABLE_HEADER = "表格表头"
PAGE_NUMBER = "页码"

_TABLE_LINE = round(lay.TABLE_LINE_PT * 20)

STYLE_SPECS: tuple[StyleSpec, ...] = (
    StyleSpec(
        TITLE,
        lay.XIAOBIAOSONG,
        lay.SIZE_2,
        align="center",
        keep_next=True,
        line_twips=700,
        snap=False,
    ),
    StyleSpec(STATUS_LINE, lay.KAITI, align="center", keep_next=True),
    StyleSpec(TOC_HEADING, lay.HEITI, align="center", keep_next=True),
    StyleSpec(TOC_ENTRY, lay.KAITI, indent=True),
    StyleSpec(CHAPTER, lay.HEITI, align="center", keep_next=True),
    StyleSpec(ARTICLE, lay.FANGSONG, indent=True, latin=lay.LATIN, condensed=True),
    StyleSpec(ITEM, lay.FANGSONG, indent=True, latin=lay.LATIN, condensed=True),
    StyleSpec(ARTICLE_LABEL, lay.HEITI, kind="character", condensed=True),
    StyleSpec(EXPLANATION_H1, lay.HEITI, indent=True, keep_next=True),
    StyleSpec(EXPLANATION_H2, lay.KAITI, indent=True, keep_next=True),
    StyleSpec(EXPLANATION_BODY, lay.FANGSONG, indent=True, latin=lay.LATIN, condensed=True),
    StyleSpec(EXPLANATION_LEAD, lay.KAITI, kind="character"),
    StyleSpec(
        TABLE_TEXT,
        lay.FANGSONG,
        lay.SIZE_SMALL_4,
        align="left",
        latin=lay.LATIN,
        line_twips=_TABLE_LINE,
        snap=False,
    ),
    StyleSpec(
        TABLE_HEADER,
        lay.HEITI,
        lay.SIZE_SMALL_4,
        align="center",
        line_twips=_TABLE_LINE,
        snap=False,
    ),
    StyleSpec(TABLE_LABEL, lay.HEITI, lay.SIZE_SMALL_4, kind="character"),
    StyleSpec(PAGE_NUMBER, lay.SONGTI, lay.SIZE_4, align="right", line_twips=0, snap=False),
)

REQUIRED_STYLES: tuple[str, ...] = tuple(spec.name for spec in STYLE_SPECS)

# Word's built-in comment styles, by the ids python-docx writes into comments
# (w:pStyle CommentText, w:rStyle CommentReference). Undefined, a comment falls back to
# Normal: 仿宋 16 pt on the 28.95 pt grid. Added to any template that lacks them.
COMMENT_TEXT_ID = "CommentText"
COMMENT_REFERENCE_ID = "CommentReference"
COMMENT_STYLES: tuple[tuple[str, str, str], ...] = (
    (COMMENT_TEXT_ID, "annotation text", "paragraph"),
    (COMMENT_REFERENCE_ID, "annotation reference", "character"),
)
COMMENT_FONT = lay.SONGTI
COMMENT_SIZE = lay.SIZE_5

# -- fonts, theme and language -----------------------------------------------------------


def strip_theme_fonts(document: Document) -> None:
    """Remove every theme font attribute from the styles (they override explicit fonts)."""
    root = document.styles.element
    for fonts in root.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attr}"), None)


def set_document_language(document: Document) -> None:
    """zh-CN for East Asian text in the defaults and in the theme font language."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lay.set_language(rpr)
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "en-US")
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _set_defaults(document: Document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lay.set_fonts(rpr, lay.FANGSONG, lay.LATIN)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(round(lay.SIZE_3 * 2)))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    lay.set_exact_spacing(ppr)
    normal = document.styles["Normal"]
    normal_ppr = normal.element.get_or_add_pPr()
    # Official documents keep a strict 22-line grid: no widow/orphan shuffling.
    lay.set_on_off(normal_ppr, "w:widowControl", on=False)
    normal.paragraph_format.alignment = None
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "both")
    normal_ppr.append(jc)
    lay.set_fonts(normal.element.get_or_add_rPr(), lay.FANGSONG, lay.LATIN)
    normal.font.size = Pt(lay.SIZE_3)


def _add_style(document: Document, spec: StyleSpec) -> None:
    kind = WD_STYLE_TYPE.CHARACTER if spec.kind == "character" else WD_STYLE_TYPE.PARAGRAPH
    style = document.styles.add_style(spec.name, kind)
    style.base_style = (
        document.styles["Default Paragraph Font"] if spec.kind == "character" else None
    )
    if spec.kind == "paragraph":
        style.base_style = document.styles["Normal"]
        style.quick_style = True
        ppr = style.element.get_or_add_pPr()
        if spec.keep_next:
            lay.set_on_off(ppr, "w:keepNext")
        if not spec.snap:
            lay.set_on_off(ppr, "w:snapToGrid", on=False)
        if spec.line_twips:
            lay.set_exact_spacing(ppr, spec.line_twips)
        else:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:before"), "0")
            spacing.set(qn("w:after"), "0")
            ppr.append(spacing)
        if spec.indent:
            lay.set_first_line_indent(ppr, font_pt=spec.size)
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), spec.align)
        ppr.append(jc)
    rpr = style.element.get_or_add_rPr()
    lay.set_fonts(rpr, spec.font, spec.latin)
    if spec.condensed:
        lay.set_char_spacing(rpr, lay.CHAR_SPACING_TWIPS)
    style.font.size = Pt(spec.size)
    style.font.bold = False


def add_comment_styles(document: Document) -> None:
    """Define CommentText (宋体 五号, single spacing, off the grid) and CommentReference
    where the document does not (an office template may define its own)."""
    root = document.styles.element
    present = {style.get(qn("w:styleId")) for style in root.findall(qn("w:style"))}
    for style_id, name, kind in COMMENT_STYLES:
        if style_id in present:
            continue
        style = OxmlElement("w:style")
        style.set(qn("w:type"), kind)
        style.set(qn("w:styleId"), style_id)
        for tag, value in (
            ("w:name", name),
            ("w:basedOn", "Normal" if kind == "paragraph" else "DefaultParagraphFont"),
            ("w:uiPriority", "99"),
        ):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            style.append(element)
        if kind == "paragraph":
            style.append(OxmlElement("w:semiHidden"))
            style.append(OxmlElement("w:unhideWhenUsed"))
            ppr = OxmlElement("w:pPr")
            lay.set_on_off(ppr, "w:snapToGrid", on=False)
            spacing = OxmlElement("w:spacing")
            for key, value in (("before", "0"), ("after", "0"), ("line", "240")):
                spacing.set(qn(f"w:{key}"), value)
            spacing.set(qn("w:lineRule"), "auto")
            ppr.append(spacing)
            ind = OxmlElement("w:ind")
            ind.set(qn("w:firstLine"), "0")
            ind.set(qn("w:firstLineChars"), "0")
            ppr.append(ind)
            jc = OxmlElement("w:jc")
            jc.set(qn("w:val"), "left")
            ppr.append(jc)
            style.append(ppr)
        else:
            style.append(OxmlElement("w:semiHidden"))
            style.append(OxmlElement("w:unhideWhenUsed"))
        rpr = OxmlElement("w:rPr")
        lay.set_fonts(rpr, COMMENT_FONT, lay.LATIN)
        for tag in ("w:sz", "w:szCs"):
            size = OxmlElement(tag)
            size.set(qn("w:val"), str(round(COMMENT_SIZE * 2)))
            rpr.append(size)
        style.append(rpr)
        root.append(style)


# Parts a template may carry that an export must not: Word 2010's stylesWithEffects (a
# second copy of the styles, with the theme fonts we strip) and a thumbnail of the
# template's first page (blank, and wrong for every export).
_STALE_RELTYPES = ("/stylesWithEffects", "/metadata/thumbnail")


def drop_stale_parts(document: Document) -> None:
    """Remove stylesWithEffects and the thumbnail: unreferenced parts are not saved, and
    [Content_Types].xml is written from the parts that are."""
    for owner in (document.part, document.part.package):
        for r_id, rel in list(owner.rels.items()):
            if rel.reltype.endswith(_STALE_RELTYPES):
                del owner.rels[r_id]


def _font_table_xml() -> bytes:
    fonts = [
        (lay.LATIN, None, "roman", "00"),
        (lay.FANGSONG, lay.FONT_FALLBACKS[lay.FANGSONG], "modern", "86"),
        (lay.KAITI, lay.FONT_FALLBACKS[lay.KAITI], "modern", "86"),
        (lay.HEITI, lay.FONT_FALLBACKS[lay.HEITI], "modern", "86"),
        (lay.XIAOBIAOSONG, lay.FONT_FALLBACKS[lay.XIAOBIAOSONG], "auto", "86"),
        (lay.SONGTI, "SimSun", "auto", "86"),
    ]
    body = []
    for name, alt, family, charset in fonts:
        alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
        body.append(
            f'<w:font w:name="{name}">{alt_xml}<w:charset w:val="{charset}"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        + "".join(body)
        + "</w:fonts>"
    ).encode("utf-8")


def build_template_document() -> Document:
    """The shipped template, built from python-docx's default: our styles, no theme fonts."""
    document = docx.Document()
    clear_body(document)
    strip_theme_fonts(document)
    _set_defaults(document)
    for spec in STYLE_SPECS:
        _add_style(document, spec)
    add_comment_styles(document)
    drop_stale_parts(document)
    set_document_language(document)
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            rel.target_part._blob = _font_table_xml()
    lay.setup_page(document.sections[0])
    from drafter.export.writer import set_properties

    set_properties(document, "立法起草助手公文模板")
    document.core_properties.comments = (
        "地方性法规草案、起草说明、条文对照表的样式（GB/T 9704-2012）"
    )
    return document


# -- opening a template ----------------------------------------------------------------


def clear_body(document: Document) -> None:
    """Remove a template's content, keeping its final section properties."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _read_package(path: Path) -> bytes:
    # Bounded: size, member count, inflated size and ratio are checked before python-docx
    # inflates anything, so a zip bomb is refused instead of filling memory.
    raw = read_user_file(path, "模板文件", DOCX_LIMIT)
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise InputFileError(path, "模板不是 Word 文档（.docx）")
    check_zip_bytes(path, raw, "模板文件")
    return raw


def _as_docx(raw: bytes, path: Path | str = "模板文件") -> bytes:
    """A .dotx is a .docx with another content type: rewrite it so python-docx opens it."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    try:
        types = source.read("[Content_Types].xml")
    except KeyError:
        raise InputFileError(
            path, "模板不是有效的 Word 文档（缺少 [Content_Types].xml），可能已损坏"
        ) from None
    if _DOTX_TYPE not in types:
        return raw
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(_DOTX_TYPE, _DOCX_TYPE)
            target.writestr(item, data)
    return out.getvalue()


def missing_styles(document: Document) -> list[str]:
    """Required styles the document does not define (or defines with the wrong kind)."""
    kinds = {spec.name: spec.kind for spec in STYLE_SPECS}
    present = {}
    for style in document.styles:
        present[style.name] = (
            "character"
            if style.type == WD_STYLE_TYPE.CHARACTER
            else ("paragraph" if style.type == WD_STYLE_TYPE.PARAGRAPH else "other")
        )
    return [name for name in REQUIRED_STYLES if present.get(name) != kinds[name]]


def default_template_path() -> Path:
    """The shipped template."""
    return templates_dir() / TEMPLATE_NAME


def load_template(path: Path | str | None = None) -> Document:
    """An empty document carrying the template's styles; a bad template raises InputFileError."""
    if path is None:
        shipped = default_template_path()
        document = docx.Document(str(shipped)) if shipped.is_file() else build_template_document()
        label: Path | str = shipped
    else:
        label = Path(path)
        raw = _as_docx(_read_package(label), label)
        try:
            document = docx.Document(io.BytesIO(raw))
        except Exception as error:  # python-docx raises many kinds on a damaged package
            raise InputFileError(label, f"模板无法打开，可能已损坏（{error}）") from None
    missing = missing_styles(document)
    if missing:
        raise InputFileError(
            label,
            "模板缺少必需的样式："
            + "、".join(missing)
            + f"；请在模板中定义这些样式，或以 templates/{TEMPLATE_NAME} 为基础修改",
        )
    clear_body(document)
    strip_theme_fonts(document)
    set_document_language(document)
    add_comment_styles(document)
    drop_stale_parts(document)
    return document
