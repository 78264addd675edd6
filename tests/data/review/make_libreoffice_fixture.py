"""Make libreoffice-reviewed.docx: the sample export reviewed in LibreOffice through UNO.

Run with the system Python that has LibreOffice's UNO bridge (apt-get install python3-uno),
not the project's venv:

    .venv/bin/python -c "from tests.test_review_libreoffice import export_sample; \
        export_sample('/tmp/sample.docx')"
    /usr/bin/python3 tests/data/review/make_libreoffice_fixture.py /tmp/sample.docx \
        tests/data/review/libreoffice-reviewed.docx

It starts a private headless soffice, opens the export, and as two reviewers (the user
profile's name is the author LibreOffice records) adds comments — one of them answered —
and tracked changes, then edits one sentence with tracking off, inserts a new article
with tracking on, and saves as Word 2007-365 (.docx).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.util import DateTime

PIPE = "drafter_review_fixture"


def prop(name: str, value: object) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def connect(profile: Path) -> tuple[object, object, subprocess.Popen]:
    soffice = shutil.which("soffice") or "soffice"
    process = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={PIPE};urp;",
        ]
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(120):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={PIPE};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            time.sleep(0.5)
    else:
        process.kill()
        raise SystemExit("soffice did not start")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return ctx, desktop, process


def set_author(ctx: object, name: str) -> None:
    """The user profile's name: what LibreOffice records as the author of changes."""
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),),
    )
    access.setPropertyValue("givenname", name)
    access.setPropertyValue("sn", "")
    access.commitChanges()


def find(doc: object, text: str) -> object:
    """A cursor selecting the first occurrence of `text` inside one paragraph (the search
    service needs a view, which this document has none of)."""
    paragraphs = doc.getText().createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        if not paragraph.supportsService("com.sun.star.text.Paragraph"):
            continue
        offset = paragraph.getString().find(text)
        if offset < 0:
            continue
        cursor = doc.getText().createTextCursorByRange(paragraph.getStart())
        cursor.goRight(offset, False)
        cursor.goRight(len(text), True)
        return cursor
    raise SystemExit(f"not found: {text}")


def when(hour: int, minute: int) -> DateTime:
    moment = DateTime()
    moment.Year, moment.Month, moment.Day = 2026, 11, 20
    moment.Hours, moment.Minutes = hour, minute
    return moment


def comment(
    doc: object, anchor: str, author: str, content: str, date: DateTime, parent: str = ""
) -> object:
    field = doc.createInstance("com.sun.star.text.textfield.Annotation")
    field.Author = author
    field.Content = content
    field.DateTimeValue = date
    if parent:
        try:
            field.ParentName = parent  # threaded replies (LibreOffice 7.2+)
        except Exception:
            pass
    found = find(doc, anchor)
    found.getText().insertTextContent(found, field, True)
    return field


def review(source: Path, target: Path) -> None:
    profile = Path(tempfile.mkdtemp(prefix="lo-review-"))
    ctx, desktop, process = connect(profile)
    try:
        # A model without a view: headless LibreOffice 7.4 aborts building the comment
        # sidebar of a loaded (hidden) window.
        doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
        doc.load((prop("URL", source.resolve().as_uri()), prop("FilterName", "MS Word 2007 XML")))
        # Tracked changes first, comments last: a comment's anchor is a character of its
        # paragraph, which would shift the offsets `find` counts.
        set_author(ctx, "李明")
        doc.RecordChanges = True
        # An insertion in 第二条.
        found = find(doc, "智慧城市规划、建设、运营、管理")
        found.getText().insertString(found.getEnd(), "、服务", False)
        # A new article before 第四条, tracked (LibreOffice does not renumber the rest).
        found = find(doc, "第四条　市、区人民政府")
        cursor = found.getText().createTextCursorByRange(found.getStart())
        cursor.getText().insertString(
            cursor, "第四条　市人民政府应当加强智慧城市建设人才培养和引进。", False
        )
        cursor.getText().insertControlCharacter(cursor, 0, False)  # PARAGRAPH_BREAK
        set_author(ctx, "王芳")
        # A deletion in 第六条 by the second reviewer.
        find(doc, "会同有关部门").setString("")
        # An untracked edit in 第九条.
        doc.RecordChanges = False
        find(doc, "从其规定").setString("依照其规定执行")
        first = comment(
            doc, "结合本市实际", "李明", "建议在立法目的中写明“坚持党的领导”。", when(9, 30)
        )
        comment(
            doc, "区人民政府负责", "李明", "区人民政府的职责宜细化，明确牵头部门。", when(9, 31)
        )
        comment(
            doc,
            "结合本市实际",
            "王芳",
            "同意，建议表述为“坚持中国共产党的领导”。",
            when(10, 5),
            parent=getattr(first, "Name", ""),
        )
        doc.storeToURL(target.resolve().as_uri(), (prop("FilterName", "MS Word 2007 XML"),))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        process.wait(timeout=60)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    review(Path(sys.argv[1]), Path(sys.argv[2]))
