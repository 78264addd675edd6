"""The caret rule (drafter.draft.caret) on real operations, done and undone."""

from __future__ import annotations

from drafter.draft import changes, operations
from drafter.draft.caret import CaretPlace, caret_after
from drafter.draft.document import Draft

PURPOSE = "为了促进智慧城市建设，制定本条例。"


def draft_with_one_article() -> tuple[Draft, str]:
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则", "附则"])
    change = operations.insert_article(draft, draft.chapters[0].uid, PURPOSE)
    return draft, change.inserted[0]


def test_split_puts_the_caret_at_the_start_of_the_second_part_and_undo_at_the_join():
    draft, uid = draft_with_one_article()
    change = operations.split_paragraph(draft, uid, 0, 11)
    assert caret_after(draft, change) == CaretPlace(uid, "article", "paragraph", 1, 0)
    changes.undo(draft, change)
    assert caret_after(draft, change, undone=True) == CaretPlace(uid, "article", "paragraph", 0, 11)


def test_enter_at_the_start_keeps_the_caret_before_the_moved_text():
    draft, uid = draft_with_one_article()
    change = operations.insert_paragraph(draft, uid, 0, "")
    assert caret_after(draft, change) == CaretPlace(uid, "article", "paragraph", 1, 0)


def test_typing_undone_leaves_the_caret_where_the_typed_text_began():
    draft, uid = draft_with_one_article()
    change = operations.edit_paragraph(draft, uid, 0, "为了促进和规范智慧城市建设，制定本条例。")
    assert caret_after(draft, change).offset == len("为了促进和规范")
    changes.undo(draft, change)
    assert caret_after(draft, change, undone=True).offset == len("为了促进")


def test_an_inserted_article_gets_the_caret_at_the_end_of_its_text():
    draft, _ = draft_with_one_article()
    change = operations.insert_article(draft, draft.chapters[0].uid, "本条例适用于本市。")
    new = change.inserted[0]
    assert caret_after(draft, change) == CaretPlace(new, "article", "paragraph", 0, 9)


def test_undoing_an_insertion_goes_to_the_next_article_else_the_previous():
    draft, first = draft_with_one_article()
    last = operations.insert_article(draft, draft.chapters[1].uid, "本条例自公布之日起施行。")
    middle = operations.insert_article(draft, draft.chapters[0].uid, "", index=1)
    changes.undo(draft, middle)
    assert caret_after(draft, middle, undone=True) == CaretPlace(
        last.inserted[0], "article", "paragraph", 0, 0
    )
    changes.undo(draft, last)
    place = caret_after(draft, last, undone=True)
    assert place == CaretPlace(first, "article", "paragraph", 0, len(PURPOSE))


def test_a_new_chapter_gets_its_title_selected_and_a_move_keeps_the_caret():
    draft, uid = draft_with_one_article()
    change = operations.add_chapter(draft, "数据资源", 1)
    place = caret_after(draft, change)
    assert (place.kind, place.field, place.select_all) == ("chapter", "title", True)
    move = operations.move_article(draft, uid, draft.chapters[1].uid, 0)
    assert caret_after(draft, move) is None


def test_items_count_in_the_offset_as_the_editor_shows_them():
    draft, uid = draft_with_one_article()
    change = operations.edit_paragraph(draft, uid, 0, PURPOSE, ["建设数字政府", "发展数字经济"])
    place = caret_after(draft, change)
    # 款 text, newline, （一）建设数字政府, newline, （二）发展数字经济: the end of the last 项
    assert place.offset == len(PURPOSE) + 1 + 3 + 6 + 1 + 3 + 6


def test_metadata_leaves_the_caret_alone():
    draft, _ = draft_with_one_article()
    change = operations.edit_meta(draft, title="某市数字城市促进条例")
    assert caret_after(draft, change) is None
