"""Reviewed .docx files written the way Word and WPS write them, by editing an export's XML.

`Reviewer` opens an exported .docx and makes a reviewer's marks in word/document.xml:
comments (w:commentRangeStart/End, a w:commentReference run, word/comments.xml, replies
through commentsExtended.xml — and, for Word, commentsIds.xml), tracked insertions and
deletions (w:ins / w:del with w:author, w:date, w:delText), untracked edits, and runs split
by rsid in the middle of words, as a document Word has saved a few times looks.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS_RT = "http://schemas.microsoft.com/office/2011/relationships/"
NSMAP = {"w": W, "w14": W14, "w15": W15, "w16cid": W16CID}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _run(text: str, tag: str = "t", rsid: str = "") -> etree._Element:
    run = etree.Element(w("r"))
    if rsid:
        run.set(w("rsidR"), rsid)
        run.set(w("rsidRPr"), rsid)
    element = etree.SubElement(run, w(tag))
    element.text = text
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


class Reviewer:
    """Marks made on an exported .docx; `save` writes the reviewed file."""

    def __init__(self, exported: Path, producer: str = "word") -> None:
        self.producer = producer
        with zipfile.ZipFile(exported) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        self.document = etree.fromstring(self.parts["word/document.xml"])
        self.comments: list[tuple[str, str, str, str, str | None]] = []
        self._ids = itertools.count()
        self._rsids = itertools.cycle(["00A1B2C3", "00D4E5F6", "0047A9B1"])

    # -- finding ---------------------------------------------------------------------

    def paragraph(self, contains: str) -> etree._Element:
        for p in self.document.iter(w("p")):
            if contains in _text(p):
                return p
        raise AssertionError(f"no paragraph contains {contains!r}")

    def _pieces(self, p: etree._Element) -> list[etree._Element]:
        """The paragraph's runs rebuilt as one run per 2 characters (rsid-split, mid-word)."""
        text = _text(p)
        for run in p.findall(w("r")):
            p.remove(run)
        runs = [_run(text[i : i + 2], rsid=next(self._rsids)) for i in range(0, len(text), 2)]
        for run in runs:
            p.append(run)
        return runs

    def _chunks(self, text: str) -> list[etree._Element]:
        return [_run(text[i : i + 2], rsid=next(self._rsids)) for i in range(0, len(text), 2)]

    def split_runs(self, contains: str) -> None:
        self._pieces(self.paragraph(contains))

    def _rebuild(self, p: etree._Element, pieces: list[etree._Element]) -> None:
        for run in p.findall(w("r")) + p.findall(w("commentRangeStart")):
            p.remove(run)
        for piece in pieces:
            p.append(piece)

    # -- marks ---------------------------------------------------------------------------

    def _change(self, tag: str, text: str, author: str, date: str) -> etree._Element:
        change = etree.Element(w(tag))
        change.set(w("id"), str(100 + next(self._ids)))
        change.set(w("author"), author)
        change.set(w("date"), date)
        # Word splits a change's text over runs too.
        for i in range(0, len(text), 3):
            kind = "delText" if tag in ("del", "moveFrom") else "t"
            change.append(_run(text[i : i + 3], kind, "00C0FFEE"))
        return change

    def tracked(self, contains: str, old: str, new: str, author: str, date: str) -> None:
        """Replace `old` by `new` in the paragraph with tracking on (either may be empty:
        an insertion after `old`'s position needs old="" and `contains` naming the place
        as "before|after")."""
        p = self.paragraph(contains.split("|")[0])
        text = _text(p)
        if old:
            at = text.index(old)
        else:
            before = contains.split("|")[1]
            at = text.index(before) + len(before)
        pieces = [_run(text[i : min(i + 2, at)], rsid=next(self._rsids)) for i in range(0, at, 2)]
        if old:
            pieces.append(self._change("del", old, author, date))
        if new:
            pieces.append(self._change("ins", new, author, date))
        rest = text[at + len(old) :]
        pieces += [_run(rest[i : i + 2], rsid=next(self._rsids)) for i in range(0, len(rest), 2)]
        self._rebuild(p, pieces)

    def moved(self, contains: str, text: str, to: str, author: str, date: str) -> None:
        """Move `text` out of one paragraph (w:moveFrom) to the end of another (w:moveTo)."""
        source = self.paragraph(contains)
        full = _text(source)
        at = full.index(text)
        self._rebuild(
            source,
            [
                _run(full[:at]),
                self._change("moveFrom", text, author, date),
                _run(full[at + len(text) :]),
            ],
        )
        target = self.paragraph(to)
        full = _text(target)
        self._rebuild(target, [_run(full), self._change("moveTo", text, author, date)])

    def tracked_paragraph_after(self, contains: str, text: str, author: str, date: str) -> None:
        """A 款 added with tracking on: its paragraph mark and its text inserted."""
        p = self.paragraph(contains)
        new = etree.Element(w("p"))
        properties = p.find(w("pPr"))
        properties = (
            etree.fromstring(etree.tostring(properties))
            if properties is not None
            else etree.Element(w("pPr"))
        )
        mark = properties.find(w("rPr"))
        if mark is None:
            mark = etree.SubElement(properties, w("rPr"))
        inserted = etree.SubElement(mark, w("ins"))
        inserted.set(w("id"), str(100 + next(self._ids)))
        inserted.set(w("author"), author)
        inserted.set(w("date"), date)
        new.append(properties)
        new.append(self._change("ins", text, author, date))
        p.addnext(new)

    def delete_paragraph_mark(self, contains: str, author: str, date: str) -> None:
        """Join a paragraph with the next one, tracked: its mark deleted."""
        p = self.paragraph(contains)
        properties = p.find(w("pPr"))
        if properties is None:
            properties = etree.Element(w("pPr"))
            p.insert(0, properties)
        mark = properties.find(w("rPr"))
        if mark is None:
            mark = etree.SubElement(properties, w("rPr"))
        deleted = etree.SubElement(mark, w("del"))
        deleted.set(w("id"), str(100 + next(self._ids)))
        deleted.set(w("author"), author)
        deleted.set(w("date"), date)

    def reference_only_comment(self, contains: str, author: str, date: str, text: str) -> None:
        """A comment with no range, only its reference mark (as some producers write)."""
        cid = str(len(self.comments))
        reference = etree.Element(w("r"))
        etree.SubElement(reference, w("commentReference")).set(w("id"), cid)
        self.paragraph(contains).append(reference)
        self.comments.append((cid, author, date, text, None))

    def untracked(self, old: str, new: str) -> None:
        """An edit typed with tracking off: the text simply changes."""
        p = self.paragraph(old)
        self._rebuild(p, [_run(_text(p).replace(old, new, 1))])

    def insert_paragraph_after(self, contains: str, text: str) -> None:
        """A paragraph added with tracking off (a new article or 款)."""
        p = self.paragraph(contains)
        new = etree.Element(w("p"))
        if p.find(w("pPr")) is not None:
            new.append(etree.fromstring(etree.tostring(p.find(w("pPr")))))
        new.append(_run(text))
        p.addnext(new)

    def relabel(self, old: str, new: str) -> None:
        """Renumber an article label (the reviewer shifted the numbers by hand)."""
        for t in self.document.iter(w("t")):
            if t.text and t.text.startswith(old + "\u3000"):
                t.text = new + t.text[len(old) :]
                return
        raise AssertionError(old)

    def comment(
        self,
        contains: str,
        anchor: str,
        author: str,
        date: str,
        text: str,
        reply_to: int | None = None,
    ) -> int:
        """A comment on `anchor` (inside the paragraph containing `contains`); a reply shares
        its parent's range. Returns its index."""
        index = len(self.comments)
        cid = str(index)
        if reply_to is None:
            p = self.paragraph(contains)
            full = _text(p)
            at = full.index(anchor)
            start, end = etree.Element(w("commentRangeStart")), etree.Element(w("commentRangeEnd"))
            start.set(w("id"), cid)
            end.set(w("id"), cid)
            pieces = [
                *self._chunks(full[:at]),
                start,
                *self._chunks(anchor),
                end,
                *self._chunks(full[at + len(anchor) :]),
            ]
            self._rebuild(p, pieces)
        else:
            parent = str(reply_to)
            start = next(
                e for e in self.document.iter(w("commentRangeStart")) if e.get(w("id")) == parent
            )
            end = next(
                e for e in self.document.iter(w("commentRangeEnd")) if e.get(w("id")) == parent
            )
            mine_start, mine_end = (
                etree.Element(w("commentRangeStart")),
                etree.Element(w("commentRangeEnd")),
            )
            mine_start.set(w("id"), cid)
            mine_end.set(w("id"), cid)
            start.addnext(mine_start)
            end.addnext(mine_end)
            end = mine_end
        reference = etree.Element(w("r"))
        etree.SubElement(reference, w("commentReference")).set(w("id"), cid)
        end.addnext(reference)
        self.comments.append((cid, author, date, text, None if reply_to is None else str(reply_to)))
        return index

    # -- writing -------------------------------------------------------------------------

    def _para_id(self, cid: str) -> str:
        return f"{0x1A000000 + int(cid):08X}"

    def _comments_xml(self) -> bytes:
        root = etree.Element(w("comments"), nsmap=NSMAP)
        for cid, author, date, text, _ in self.comments:
            comment = etree.SubElement(root, w("comment"))
            comment.set(w("id"), cid)
            comment.set(w("author"), author)
            comment.set(w("date"), date)
            comment.set(w("initials"), author[:1])
            lines = text.split("\n")
            for n, line in enumerate(lines):
                p = etree.SubElement(comment, w("p"))
                if n == len(lines) - 1:
                    p.set(f"{{{W14}}}paraId", self._para_id(cid))
                p.append(_run(line))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _extended_xml(self) -> bytes:
        root = etree.Element(f"{{{W15}}}commentsEx", nsmap=NSMAP)
        for cid, _, _, _, parent in self.comments:
            entry = etree.SubElement(root, f"{{{W15}}}commentEx")
            entry.set(f"{{{W15}}}paraId", self._para_id(cid))
            if parent is not None:
                entry.set(f"{{{W15}}}paraIdParent", self._para_id(parent))
            entry.set(f"{{{W15}}}done", "0")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _ids_xml(self) -> bytes:
        root = etree.Element(f"{{{W16CID}}}commentsIds", nsmap=NSMAP)
        for cid, *_ in self.comments:
            entry = etree.SubElement(root, f"{{{W16CID}}}commentId")
            entry.set(f"{{{W16CID}}}paraId", self._para_id(cid))
            entry.set(f"{{{W16CID}}}durableId", f"{0x2B000000 + int(cid):08X}")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _register(self, name: str, reltype: str, content_type: str) -> None:
        rels = etree.fromstring(self.parts["word/_rels/document.xml.rels"])
        if not any(r.get("Target") == name for r in rels):
            rel = etree.SubElement(rels, f"{{{PKG}}}Relationship")
            rel.set("Id", f"rIdReview{len(rels)}")
            rel.set("Type", reltype)
            rel.set("Target", name)
        self.parts["word/_rels/document.xml.rels"] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        types = etree.fromstring(self.parts["[Content_Types].xml"])
        part = f"/word/{name}"
        if not any(o.get("PartName") == part for o in types.iter(f"{{{CT}}}Override")):
            override = etree.SubElement(types, f"{{{CT}}}Override")
            override.set("PartName", part)
            override.set("ContentType", content_type)
        self.parts["[Content_Types].xml"] = etree.tostring(
            types, xml_declaration=True, encoding="UTF-8", standalone=True
        )

    def save(self, target: Path, saved_by: str = "") -> Path:
        base = "application/vnd.openxmlformats-officedocument.wordprocessingml."
        if self.comments:
            self.parts["word/comments.xml"] = self._comments_xml()
            self._register("comments.xml", RT + "comments", base + "comments+xml")
            self.parts["word/commentsExtended.xml"] = self._extended_xml()
            self._register(
                "commentsExtended.xml", MS_RT + "commentsExtended", base + "commentsExtended+xml"
            )
            if self.producer == "word":
                self.parts["word/commentsIds.xml"] = self._ids_xml()
                self._register("commentsIds.xml", MS_RT + "commentsIds", base + "commentsIds+xml")
        self.parts["word/document.xml"] = etree.tostring(
            self.document, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        if saved_by:
            core = self.parts["docProps/core.xml"].decode("utf-8")
            start = core.index("<cp:lastModifiedBy>") + len("<cp:lastModifiedBy>")
            end = core.index("</cp:lastModifiedBy>")
            self.parts["docProps/core.xml"] = (core[:start] + saved_by + core[end:]).encode()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.parts.items():
                archive.writestr(name, data)
        target.write_bytes(buffer.getvalue())
        return target
