"""Provenance records: which reference clause an article or 款 of the draft came from."""

from __future__ import annotations

from dataclasses import dataclass

ADOPTED = "adopted"  # the drafter adopted the clause from a suggestion
SUGGESTED = "suggested"  # provenance discovery proposes it; not yet confirmed
CONFIRMED = "confirmed"  # the drafter confirmed a discovered source
REJECTED = "rejected"  # the drafter rejected a discovered source (kept so it is not proposed again)

NEW_LABEL = "新增"
PENDING_LABEL = "待确认"  # no source yet, but discovery proposes some: not to be called new


@dataclass
class SourceLink:
    """One source of an article (draft_paragraph None) or of one of its 款."""

    ref: str  # reference id, e.g. "yingtan"
    article: int  # the article's number in the reference
    paragraph: int  # 1-based 款 in the reference; 0 = the whole article
    source_text: str  # the reference's text, as it stood when adopted or discovered
    adopted_text: str = ""  # the text as it entered the draft (after localisation)
    adopted_at: str = ""  # ISO timestamp
    draft_paragraph: int | None = None  # 0-based 款 of the draft article; None = whole article
    similarity: float = 0.0  # 0..100, recomputed after edits
    label: str = ""  # 照搬 / 修改 / 参考
    state: str = ADOPTED

    @property
    def active(self) -> bool:
        """True if the link counts as provenance (not merely proposed or rejected)."""
        return self.state in (ADOPTED, CONFIRMED)

    def to_json(self) -> dict:
        return {
            "ref": self.ref,
            "article": self.article,
            "paragraph": self.paragraph,
            "draft_paragraph": self.draft_paragraph,
            "state": self.state,
            "similarity": round(self.similarity, 1),
            "label": self.label,
            "adopted_at": self.adopted_at,
            "source_text": self.source_text,
            "adopted_text": self.adopted_text,
        }

    @classmethod
    def from_json(cls, data: dict) -> SourceLink:
        return cls(
            ref=data["ref"],
            article=data["article"],
            paragraph=data.get("paragraph", 0),
            source_text=data.get("source_text", ""),
            adopted_text=data.get("adopted_text", ""),
            adopted_at=data.get("adopted_at", ""),
            draft_paragraph=data.get("draft_paragraph"),
            similarity=float(data.get("similarity", 0.0)),
            label=data.get("label", ""),
            state=data.get("state", ADOPTED),
        )
