"""Read a regulation from a .txt (UTF-8, UTF-16, GB18030 or Big5), .docx or .html file into
plain text."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

from drafter.errors import InputFileError
from drafter.user_files import read_user_file, read_user_zip

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED = ".txt、.docx、.html"


def read_document_text(path: str | Path) -> str:
    """The text of a regulation file; raises InputFileError naming the file and the reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | {".docx"}:
        raise InputFileError(path, f"不支持的文件类型“{suffix}”，请使用 {SUPPORTED}")
    if suffix == ".docx":
        return _read_docx(path)
    data = read_user_file(path, "法规文本", MAX_FILE_BYTES)
    if not data:
        raise InputFileError(path, "文件是空的")
    if suffix in HTML_SUFFIXES:
        return html_to_text(decode_text_bytes(path, data, html=True))
    return decode_text_bytes(path, data)


# A numbered article in simplified or traditional script: how a decoding is judged.
_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇两]+[条條]")


def _utf16_without_bom(data: bytes) -> list[str]:
    """The UTF-16 byte orders under which `data` reads as text: NUL bytes in a text file mean
    UTF-16 (ASCII has a NUL high byte, and so has 一 U+4E00), but only an order that decodes
    cleanly, without U+0000 and with hardly any control characters, is text rather than binary."""
    if b"\x00" not in data or len(data) % 2:
        return []
    plausible = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\x0c")
        if "\x00" not in text and controls <= len(text) // 100:
            plausible.append(encoding)
    return plausible


def _score(text: str) -> tuple[int, int]:
    """More numbered articles first, then fewer replacement and control characters."""
    bad = text.count("\ufffd") + sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\x0c")
    return (len(_ARTICLE.findall(text)), -bad)


def decode_text_bytes(path: Path, data: bytes, *, html: bool = False) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when its NUL
    bytes show it), GB18030 or Big5; the decoding with the most 第X条 and the fewest broken
    characters wins. Big5 comes out traditional; cleaning converts it to simplified."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputFileError(path, f"UTF-16 文字编码损坏（第 {error.start} 字节）") from None
    utf16 = _utf16_without_bom(data)
    if not utf16 and b"\x00" in data[:4096]:
        raise InputFileError(path, "这是二进制文件，不是文本")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    encodings = ["gb18030", "big5hkscs"]
    if html:
        declared = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
        if declared:
            name = declared.group(1).decode("ascii", "ignore").lower()
            if name in {"big5", "big5-hkscs", "cp950"}:
                encodings = ["big5hkscs", "gb18030"]
    encodings = utf16 + encodings
    best: tuple[tuple[int, int], int, str] | None = None
    for rank, encoding in enumerate(encodings):
        # Strict only: a decoding that needs replacement characters is a wrong guess, and
        # mojibake stored as a reference would be worse than a clear refusal.
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        key = (_score(text), -rank, text)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        raise InputFileError(
            path,
            "无法识别文字编码（不是 UTF-8、UTF-16、GB18030 或 Big5），请另存为 UTF-8 文本后再导入",
        )
    return best[2]


def read_document(path: str | Path) -> tuple[str, dict[int, str]]:
    """The text of a regulation file and, for a .docx exported by this app, what each line
    is by its paragraph style: "chapter", "text" (a 款), "item" (a 项), "toc", "title" or
    "status", keyed by line index. Other files have no roles."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        return _docx_text_and_roles(path)
    return read_document_text(path), {}


def _style_roles() -> dict[str, str]:
    from drafter.export import styles as st

    return {
        st.CHAPTER: "chapter",
        st.ARTICLE: "text",
        st.ITEM: "item",
        st.TOC_ENTRY: "toc",
        st.TITLE: "title",
        st.STATUS_LINE: "status",
    }


def _read_docx(path: Path) -> str:
    return _docx_text_and_roles(path)[0]


def _docx_text_and_roles(path: Path) -> tuple[str, dict[int, str]]:
    raw = read_user_zip(path, ".docx 文件")
    try:
        from docx import Document

        document = Document(io.BytesIO(raw))
    except Exception as error:  # python-docx raises many kinds on a broken package
        raise InputFileError(
            path, f".docx 文件已损坏，无法打开（{type(error).__name__}）"
        ) from None
    lines: list[str] = []
    roles: dict[int, str] = {}
    by_style = _style_roles()
    for paragraph in document.paragraphs:
        role = by_style.get(paragraph.style.name if paragraph.style is not None else "")
        # A manual line break inside a paragraph makes more lines; each keeps the role.
        for line in paragraph.text.split("\n"):
            if role:
                roles[len(lines)] = role
            lines.append(line)
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines), roles


class _TextExtractor(HTMLParser):
    _BLOCKS = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "tr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "section",
            "article",
            "table",
            "ul",
            "ol",
            "pre",
            "blockquote",
            "td",
            "th",
        }
    )
    _SKIPPED = frozenset({"script", "style", "noscript", "template", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._SKIPPED:
            self._skip_depth += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block element per line."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = "".join(extractor.parts)
    return re.sub(r"\n\s*\n+", "\n\n", text)
