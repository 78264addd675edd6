"""Writing the exported files: checked first, then all-or-nothing.

Every target is checked before anything is built (a .docx name, an existing writable
folder, not read-only). The documents are then written to unique temporary files beside
their targets (`drafter.safe_write`) and only renamed over them once every one of them is
complete, so a failed export never leaves a truncated .docx and never destroys an existing
one.

Each document's properties (docProps/core.xml and app.xml) describe the export, not the
template it started from: created and modified now (UTC), the draft's title, and
立法起草助手 (drafter <version>) as the application.
"""

from __future__ import annotations

import io
import os
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from drafter import APP_DISPLAY_NAME, __version__, safe_write
from drafter.errors import DrafterError, InputFileError
from drafter.export.sanitize import Sanitizer

APP_NAME = APP_DISPLAY_NAME
APPLICATION = f"{APP_NAME} (drafter {__version__})"

_NOTHING = "；未写入任何文件"
_KEPT = "；已有的文件保持不变"


def check_targets(targets: list[Path], source: Path | None = None) -> None:
    """Refuse targets that cannot or must not be written, before any work is done."""
    seen: set[Path] = set()
    for target in targets:
        resolved = target.resolve()
        if target.suffix.lower() != ".docx":
            raise InputFileError(target, "导出文件的扩展名应为 .docx" + _NOTHING)
        if resolved in seen:
            raise InputFileError(target, "多个导出文件指定了同一路径" + _NOTHING)
        seen.add(resolved)
        if source is not None and resolved == source.resolve():
            raise InputFileError(target, "导出文件不能覆盖草案文件本身" + _NOTHING)
        if target.is_dir():
            raise InputFileError(target, "这是一个文件夹，不是文件" + _NOTHING)
        parent = target.parent
        if not parent.is_dir():
            raise InputFileError(target, "所在的文件夹不存在" + _NOTHING)
        if not os.access(parent, os.W_OK | os.X_OK):
            raise InputFileError(target, "所在的文件夹不可写入" + _NOTHING)
        if safe_write.is_read_only(safe_write.real_target(target)):
            raise InputFileError(target, "文件是只读的" + _NOTHING)


def _app_xml(company: str = "") -> bytes:
    # Counts (pages, words) and the template name are left out: nothing here could know
    # them, and Word and WPS fill them in on their next save.
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes">'
        f"<Application>{escape(APPLICATION)}</Application>"
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        f"<Company>{escape(company)}</Company>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode()


def set_properties(
    document: Document,
    title: str,
    subject: str = "",
    sanitizer: Sanitizer | None = None,
    now: datetime | None = None,
) -> None:
    """Describe the export in docProps: its title and subject (cleaned of what XML cannot
    hold), created/modified `now` (UTC), no author, and this app as the application."""
    sanitizer = sanitizer or Sanitizer()
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    properties = document.core_properties
    properties.title = sanitizer.doc_property(title, "文档属性（标题）")
    properties.subject = sanitizer.doc_property(subject, "文档属性（主题）")
    properties.language = "zh-CN"
    properties.author = ""
    properties.last_modified_by = APP_NAME
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.revision = 1
    properties.created = now
    properties.modified = now
    package = document.part.package
    app = next(
        (rel.target_part for rel in package.rels.values() if rel.reltype == RT.EXTENDED_PROPERTIES),
        None,
    )
    if app is None:
        app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, b"", package)
        package.relate_to(app, RT.EXTENDED_PROPERTIES)
    app._blob = _app_xml()


def document_bytes(document: Document) -> bytes:
    """The complete .docx package in memory."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file or none: temporary files first, renamed only when all are complete.

    Each temporary file is unique and created beside its target without following links
    (`drafter.safe_write`); an existing .docx keeps its permissions.
    """
    prepared: list[safe_write.PreparedWrite] = []
    committed = 0
    try:
        for target, content in files.items():
            prepared.append(safe_write.prepare(target, content))
        for item in prepared:
            item.commit()
            committed += 1
    except safe_write.SaveError as error:
        for item in prepared:
            item.discard()
        # The file that failed: the next to prepare, or else the next to rename.
        where: object = list(files)[len(prepared)] if len(prepared) < len(files) else None
        where = where if where is not None else prepared[committed].shown
        message = f"{where}: 写入失败（{error.reason}）"
        if committed:  # an earlier file was already replaced: say so, never "unchanged"
            done = "、".join(str(p.shown) for p in prepared[:committed])
            raise DrafterError(f"{message}；已写入 {done}") from None
        raise DrafterError(message + _KEPT) from None
    except BaseException:
        for item in prepared:
            item.discard()
        raise
