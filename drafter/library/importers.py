"""Read a regulation from a .txt (UTF-8 or GB18030), .docx or .html file into plain text."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from drafter.errors import InputFileError

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED = ".txt、.docx、.html"


def read_document_text(path: str | Path) -> str:
    """The text of a regulation file; raises InputFileError naming the file and the reason."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "文件不存在或不是普通文件")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputFileError(
            path, f"文件过大（{size / 1024 / 1024:.1f} MB，上限 20 MB），不像一部法规文本"
        )
    if size == 0:
        raise InputFileError(path, "文件是空的")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in HTML_SUFFIXES:
        return html_to_text(decode_text_bytes(path, path.read_bytes(), html=True))
    if suffix in TEXT_SUFFIXES:
        return decode_text_bytes(path, path.read_bytes())
    raise InputFileError(path, f"不支持的文件类型“{suffix}”，请使用 {SUPPORTED}")


def decode_text_bytes(path: Path, data: bytes, *, html: bool = False) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; refuse anything else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputFileError(path, f"UTF-16 文字编码损坏（第 {error.start} 字节）") from None
    if b"\x00" in data[:4096]:
        raise InputFileError(path, "这是二进制文件，不是文本")
    encodings = ["utf-8-sig", "gb18030"]
    if html:
        declared = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
        if declared:
            name = declared.group(1).decode("ascii", "ignore").lower()
            if name in {"gbk", "gb2312", "gb18030"}:
                encodings = ["gb18030", "utf-8-sig"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError(
        path, "无法识别文字编码（既不是 UTF-8 也不是 GB18030），请另存为 UTF-8 文本后再导入"
    )


def _read_docx(path: Path) -> str:
    if not zipfile.is_zipfile(path):
        raise InputFileError(
            path, "不是有效的 .docx 文件（文件不是 zip 格式，可能是旧版 .doc 或已损坏）"
        )
    try:
        from docx import Document

        document = Document(str(path))
    except Exception as error:  # python-docx raises many kinds on a broken package
        raise InputFileError(
            path, f".docx 文件已损坏，无法打开（{type(error).__name__}）"
        ) from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


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
