"""Core helpers behind the provenance panel: character diffs and certain localisation fixes."""

from __future__ import annotations

from drafter.draft.local_fixes import apply_fix, certain_replacement
from drafter.draft.localisation import find_local_terms
from drafter.matching.diffing import DELETED, EQUAL, INSERTED, char_diff


def test_char_diff_lists_deletions_before_insertions():
    pieces = char_diff("海口市人民政府应当推进", "市人民政府应当加快推进")
    assert [(p.kind, p.text) for p in pieces] == [
        (DELETED, "海口"),
        (EQUAL, "市人民政府应当"),
        (INSERTED, "加快"),
        (EQUAL, "推进"),
    ]
    assert "".join(p.text for p in pieces if p.kind != DELETED) == "市人民政府应当加快推进"


def test_only_certain_fixes_are_offered():
    text = "海口市人民政府推进智慧蓉城建设，海口市应当依照《海口市数据条例》，海口港。"
    title = "某市智慧城市促进条例"
    offered = [
        (f.term, certain_replacement(text, f, title)) for f in find_local_terms(text, "某市")
    ]
    assert offered == [
        ("海口市", "市"),  # before 人民政府
        ("智慧蓉城", "智慧城市"),
        ("海口市", "本市"),
        ("海口市", None),  # inside a document title
        ("海口", None),  # a short name may be part of another word
    ]
    finding = find_local_terms(text, "某市")[0]
    assert apply_fix(text, finding, "市").startswith("市人民政府推进")
    label = find_local_terms("推进智慧蓉城建设", "某市")[0]
    assert certain_replacement("推进智慧蓉城建设", label, "某市数据条例") is None
