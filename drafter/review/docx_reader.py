"""Reading a reviewed .docx: its paragraphs, tracked changes and comments with their replies.

The file is this app's export after a reviewer opened it in Word, WPS or LibreOffice and
saved it again. Only the package's XML is read (zipfile + lxml, bounded by
`drafter.user_files`): python-docx would hide the tracked changes and the comment ranges.

Each body paragraph is read into segments of unchanged, inserted (w:ins, w:moveTo) and
deleted (w:del, w:moveFrom) text, whatever the runs' rsid splits: a word split over three
runs reads as one string. Two views follow from the segments: `before` (the text as the
reviewer received it: unchanged + deleted) and `after` (with every change accepted).
Comments are anchored by w:commentRangeStart/End (or their w:commentReference) at offsets
of the `before` view; replies are linked through word/commentsExtended.xml
(w15:paraIdParent, the paraId of the parent's last paragraph), as Word, WPS and
LibreOffice 7.x write them.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from drafter import APP_DISPLAY_NAME as APP_NAME  # not from export: python-docx is slow to import
from drafter.errors import InputFileError
from drafter.review.stamp import read_properties
from drafter.user_files import DOCX_LIMIT, check_zip_bytes, read_user_file

NOUN = "审阅稿"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
STRICT_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"

SAME, INSERTED, DELETED = "same", "ins", "del"
_CHANGE_TAGS = {
    f"{{{W}}}ins": INSERTED,
    f"{{{W}}}moveTo": INSERTED,
    f"{{{W}}}del": DELETED,
    f"{{{W}}}moveFrom": DELETED,
}
# Elements whose content is not the paragraph's text: properties (a w:rPrChange holds the
# old formatting, not text), field instructions, textboxes (their paragraphs are read on
# their own) and the fallback copy of alternate content.
_SKIP = {
    f"{{{W}}}pPr",
    f"{{{W}}}rPr",
    f"{{{W}}}instrText",
    f"{{{W}}}delInstrText",
    f"{{{W}}}txbxContent",
    f"{{{MC}}}Fallback",
    f"{{{W}}}footnoteReference",
    f"{{{W}}}endnoteReference",
}
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Mark:
    """Who made a tracked change and when (w:author, w:date), and whether it is a move."""

    author: str
    date: str
    move: bool = False


@dataclass
class Segment:
    text: str
    kind: str  # SAME, INSERTED, DELETED
    mark: Mark | None = None


@dataclass
class DocParagraph:
    """One body paragraph of the reviewed document."""

    index: int
    segments: list[Segment] = field(default_factory=list)
    # comment id → offset in `before` where its range starts / ends in this paragraph
    starts: dict[str, int] = field(default_factory=dict)
    ends: dict[str, int] = field(default_factory=dict)
    # The paragraph mark itself inserted or deleted (a 款 added, or merged into the next).
    mark_inserted: Mark | None = None
    mark_deleted: Mark | None = None
    in_table: bool = False  # a table cell's paragraph (an all-in-one export's 对照表)
    ends_section: bool = False  # the last paragraph of a section (the draft's, all-in-one)

    @property
    def before(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != INSERTED)

    @property
    def after(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != DELETED)

    @property
    def wholly_inserted(self) -> bool:
        """A paragraph the reviewer added with tracking on (no text of its own before)."""
        return not self.before.strip() and bool(self.after.strip())


@dataclass
class TrackedChange:
    """A run of inserted or deleted text in one paragraph, by one author."""

    kind: str  # INSERTED or DELETED
    author: str
    date: str
    text: str
    paragraph: int  # DocParagraph.index
    start: int  # offset in the paragraph's `before` text (where an insertion goes)
    end: int  # start + len(text) for a deletion, start for an insertion
    move: bool = False


@dataclass
class Comment:
    id: str
    author: str
    date: str
    initials: str
    text: str
    para_ids: list[str] = field(default_factory=list)
    parent: str | None = None  # the id of the comment this one replies to
    done: bool = False
    durable_id: str = ""


@dataclass
class ReviewedDocument:
    """What a reviewed .docx holds, in reading order."""

    paragraphs: list[DocParagraph]
    comments: dict[str, Comment]
    # docProps/core.xml's lastModifiedBy: who saved the file last (untracked edits are theirs)
    last_modified_by: str = ""
    # docProps/custom.xml: what the export recorded (drafter.review.stamp)
    properties: dict[str, str] = field(default_factory=dict)

    def changes(self) -> list[TrackedChange]:
        """Every tracked insertion and deletion, adjacent runs of one author merged."""
        found: list[TrackedChange] = []
        for paragraph in self.paragraphs:
            offset = 0
            last: TrackedChange | None = None
            for segment in paragraph.segments:
                if segment.kind == SAME or segment.mark is None:
                    offset += len(segment.text)
                    last = None
                    continue
                mark = segment.mark
                if (
                    last is not None
                    and last.kind == segment.kind
                    and (last.author, last.date) == (mark.author, mark.date)
                ):
                    last.text += segment.text
                else:
                    last = TrackedChange(
                        segment.kind,
                        mark.author,
                        mark.date,
                        segment.text,
                        paragraph.index,
                        offset,
                        offset,
                        mark.move,
                    )
                    found.append(last)
                if segment.kind == DELETED:
                    offset += len(segment.text)
                    last.end = offset
        return [c for c in found if c.text]

    def anchor(self, comment_id: str) -> tuple[int, int, int, int] | None:
        """(start paragraph, start offset, end paragraph, end offset) of a comment's range."""
        start = end = None
        for paragraph in self.paragraphs:
            if start is None and comment_id in paragraph.starts:
                start = (paragraph.index, paragraph.starts[comment_id])
            if comment_id in paragraph.ends:
                end = (paragraph.index, paragraph.ends[comment_id])
                if start is not None:
                    break
        first = start if start is not None else end
        if first is None:
            return None
        last = end if end is not None and end >= first else first
        return (*first, *last)

    def range_text(self, comment_id: str) -> str:
        """The text a comment's range covers (the `before` view), paragraphs joined by newlines."""
        where = self.anchor(comment_id)
        if where is None:
            return ""
        first, start, last, end = where
        parts = []
        for paragraph in self.paragraphs[first : last + 1]:
            text = paragraph.before
            lo = start if paragraph.index == first else 0
            hi = end if paragraph.index == last else len(text)
            parts.append(text[lo:hi])
        return "\n".join(parts)

    def top_comments(self) -> list[Comment]:
        """Comments that start a thread, in document order (replies hang from them)."""
        return [c for c in self.comments.values() if c.parent is None]

    def replies(self, comment_id: str) -> list[Comment]:
        """The thread under a comment, in date order (replies to replies included)."""
        out: list[Comment] = []
        queue = [comment_id]
        while queue:
            current = queue.pop(0)
            children = [c for c in self.comments.values() if c.parent == current]
            out += children
            queue += [c.id for c in children]
        return sorted(out, key=lambda c: (c.date, int(c.id) if c.id.isdigit() else 0))


# -- the package -------------------------------------------------------------------------


def read_reviewed(path: Path | str) -> tuple[ReviewedDocument, bytes]:
    """The reviewed document and the file's bytes; InputFileError for anything else."""
    raw = read_user_file(path, NOUN, DOCX_LIMIT)
    return parse_reviewed(raw, path), raw


def parse_reviewed(raw: bytes, path: Path | str = NOUN) -> ReviewedDocument:
    check_zip_bytes(path, raw, NOUN)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        names = set(archive.namelist())
        main = _main_part(archive, names, path)
        document = _xml(archive, main, path)
        rels = _part_rels(archive, names, main, path)
        comments_part = _related(rels, "comments", main, "word/comments.xml", names)
        extended_part = _related(rels, "commentsExtended", main, "word/commentsExtended.xml", names)
        ids_part = _related(rels, "commentsIds", main, "word/commentsIds.xml", names)
        comments = _comments(_xml(archive, comments_part, path)) if comments_part else {}
        if extended_part:
            _link_replies(comments, _xml(archive, extended_part, path))
        if ids_part:
            _durable_ids(comments, _xml(archive, ids_part, path))
        saved_by = _last_modified_by(archive, names)
        custom = (
            read_properties(archive.read("docProps/custom.xml"))
            if ("docProps/custom.xml" in names)
            else {}
        )
    if document.tag != w("document"):
        raise InputFileError(path, f"不是有效的{NOUN}（{main} 不是 Word 正文）")
    body = document.find(w("body"))
    if body is None:
        raise InputFileError(path, f"不是有效的{NOUN}（正文为空）")
    paragraphs = [
        _paragraph(p, index, in_table) for index, (p, in_table) in enumerate(_body_paragraphs(body))
    ]
    _anchor_references(paragraphs, body)
    reviewed = ReviewedDocument(paragraphs, comments, saved_by, custom)
    if not extended_part:
        _replies_by_range(reviewed)
    return reviewed


def _replies_by_range(document: ReviewedDocument) -> None:
    """LibreOffice (up to 7.4) writes no commentsExtended part: a reply is a comment of its
    own over exactly its parent's range. The earliest comment on a range starts the thread."""
    by_range: dict[tuple[int, int, int, int], list[Comment]] = {}
    for comment in document.comments.values():
        where = document.anchor(comment.id)
        if where is not None:
            by_range.setdefault(where, []).append(comment)
    for thread in by_range.values():
        if len(thread) < 2:
            continue
        thread.sort(key=lambda c: (c.date, int(c.id) if c.id.isdigit() else 0))
        for reply in thread[1:]:
            reply.parent = thread[0].id


def _xml(archive: zipfile.ZipFile, name: str, path: Path | str) -> etree._Element:
    try:
        return etree.fromstring(archive.read(name), _PARSER)
    except KeyError:
        raise InputFileError(path, f"不是有效的{NOUN}（缺少 {name}）") from None
    except etree.XMLSyntaxError as error:
        raise InputFileError(path, f"{NOUN}已损坏：{name} 不是有效的 XML（{error.msg}）") from None


def _last_modified_by(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "docProps/core.xml" not in names:
        return ""
    try:
        root = etree.fromstring(archive.read("docProps/core.xml"), _PARSER)
    except etree.XMLSyntaxError:
        return ""  # the properties are not needed to read the review
    for element in root:
        if isinstance(element.tag, str) and element.tag.endswith("}lastModifiedBy"):
            name = (element.text or "").strip()
            return "" if name == APP_NAME else name
    return ""


def _main_part(archive: zipfile.ZipFile, names: set[str], path: Path | str) -> str:
    """word/document.xml, or wherever the package's relationships say the document is."""
    if "_rels/.rels" in names:
        for rel in _xml(archive, "_rels/.rels", path).iter(f"{{{REL}}}Relationship"):
            if rel.get("Type") in (OFFICE_DOCUMENT, STRICT_DOCUMENT):
                target = rel.get("Target", "").lstrip("/")
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise InputFileError(path, f"不是有效的{NOUN}（缺少正文 word/document.xml）")


def _part_rels(
    archive: zipfile.ZipFile, names: set[str], main: str, path: Path | str
) -> dict[str, str]:
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in names:
        return {}
    found: dict[str, str] = {}
    for rel in _xml(archive, rels_name, path).iter(f"{{{REL}}}Relationship"):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
        found.setdefault(kind, target.lstrip("/"))
    return found


def _related(
    rels: dict[str, str], kind: str, main: str, fallback: str, names: set[str]
) -> str | None:
    target = rels.get(kind)
    if target in names:
        return target
    return fallback if fallback in names else None


# -- paragraphs ----------------------------------------------------------------------------


def _body_paragraphs(element: etree._Element, in_table: bool = False):
    """(w:p, inside a table) of the body in reading order, tables and content controls
    included."""
    for child in element:
        if not isinstance(child.tag, str) or child.tag == w("sectPr"):
            continue
        if child.tag == w("p"):
            yield child, in_table
        else:
            yield from _body_paragraphs(child, in_table or child.tag == w("tbl"))


def _mark(element: etree._Element, move: bool = False) -> Mark:
    return Mark(element.get(w("author"), ""), element.get(w("date"), ""), move)


def _paragraph(p: etree._Element, index: int, in_table: bool = False) -> DocParagraph:
    paragraph = DocParagraph(index, in_table=in_table)
    paragraph.ends_section = p.find(f"{w('pPr')}/{w('sectPr')}") is not None
    mark_rpr = p.find(f"{w('pPr')}/{w('rPr')}")
    if mark_rpr is not None:
        inserted, deleted = mark_rpr.find(w("ins")), mark_rpr.find(w("del"))
        paragraph.mark_inserted = _mark(inserted) if inserted is not None else None
        paragraph.mark_deleted = _mark(deleted) if deleted is not None else None
    _walk(p, paragraph, SAME, None)
    return paragraph


def _offset(paragraph: DocParagraph) -> int:
    return sum(len(s.text) for s in paragraph.segments if s.kind != INSERTED)


def _add(paragraph: DocParagraph, text: str, kind: str, mark: Mark | None) -> None:
    if not text:
        return
    last = paragraph.segments[-1] if paragraph.segments else None
    if last is not None and last.kind == kind and last.mark == mark:
        last.text += text  # runs split by rsid or mid-word read as one
    else:
        paragraph.segments.append(Segment(text, kind, mark))


def _walk(element: etree._Element, paragraph: DocParagraph, kind: str, mark: Mark | None) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP or tag == w("p"):
            continue
        if tag in _CHANGE_TAGS:
            move = tag in (w("moveTo"), w("moveFrom"))
            _walk(child, paragraph, _CHANGE_TAGS[tag], _mark(child, move))
        elif tag in (w("t"), w("delText")):
            _add(paragraph, child.text or "", kind, mark)
        elif tag == w("tab"):
            _add(paragraph, "\t", kind, mark)
        elif tag == w("noBreakHyphen"):
            _add(paragraph, "-", kind, mark)
        elif tag == w("commentRangeStart"):
            paragraph.starts.setdefault(child.get(w("id"), ""), _offset(paragraph))
        elif tag == w("commentRangeEnd"):
            paragraph.ends[child.get(w("id"), "")] = _offset(paragraph)
        else:
            _walk(child, paragraph, kind, mark)


def _anchor_references(paragraphs: list[DocParagraph], body: etree._Element) -> None:
    """A comment without a range (some producers write only w:commentReference) is anchored
    at its reference mark."""
    known = {cid for p in paragraphs for cid in (*p.starts, *p.ends)}
    for paragraph, (p, _) in zip(paragraphs, _body_paragraphs(body), strict=True):
        for reference in p.iter(w("commentReference")):
            cid = reference.get(w("id"), "")
            if cid in known:
                continue
            # The offset is approximate (the paragraph's start): enough to place it.
            paragraph.starts[cid] = paragraph.ends[cid] = 0
            known.add(cid)


# -- comments ------------------------------------------------------------------------------


def _plain_text(element: etree._Element) -> str:
    paragraph = DocParagraph(0)
    _walk(element, paragraph, SAME, None)
    return paragraph.after


def _comments(root: etree._Element) -> dict[str, Comment]:
    comments: dict[str, Comment] = {}
    for element in root.iter(w("comment")):
        cid = element.get(w("id"), "")
        paragraphs = element.findall(f".//{w('p')}")
        text = "\n".join(_plain_text(p) for p in paragraphs).strip()
        comments[cid] = Comment(
            id=cid,
            author=element.get(w("author"), ""),
            date=element.get(w("date"), ""),
            initials=element.get(w("initials"), ""),
            text=text,
            para_ids=[p.get(f"{{{W14}}}paraId", "") for p in paragraphs],
        )
    return comments


def _link_replies(comments: dict[str, Comment], root: etree._Element) -> None:
    """commentsExtended: w15:commentEx paraId (a comment's last paragraph) → paraIdParent."""
    by_para = {c.para_ids[-1]: c for c in comments.values() if c.para_ids and c.para_ids[-1]}
    for entry in root.iter(f"{{{W15}}}commentEx"):
        comment = by_para.get(entry.get(f"{{{W15}}}paraId", ""))
        if comment is None:
            continue
        comment.done = entry.get(f"{{{W15}}}done") in ("1", "true")
        parent = by_para.get(entry.get(f"{{{W15}}}paraIdParent", ""))
        if parent is not None and parent is not comment:
            comment.parent = parent.id


def _durable_ids(comments: dict[str, Comment], root: etree._Element) -> None:
    by_para = {c.para_ids[-1]: c for c in comments.values() if c.para_ids and c.para_ids[-1]}
    for entry in root.iter(f"{{{W16CID}}}commentId"):
        comment = by_para.get(entry.get(f"{{{W16CID}}}paraId", ""))
        if comment is not None:
            comment.durable_id = entry.get(f"{{{W16CID}}}durableId", "")
