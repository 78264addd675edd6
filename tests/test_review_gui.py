"""The window's 审阅意见 on real widgets: import through the file dialog and the 提出单位
prompt, the panel beside the article with its filter, disposition and reason, 接受修订 /
拒绝修订 undone and redone through the one QUndoStack, and the 意见采纳情况表 exported."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

import docx
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from drafter.export import export_draft
from drafter.library import ReferenceLibrary
from drafter.review.store import review_of
from tests import gui_window_support as support
from tests.gui_window_support import open_draft
from tests.test_export_samples import adopted_draft
from tests.test_review_roundtrip import review_as_word

window = support.window  # the fixture


@pytest.fixture
def reviewed_window(window, tmp_path, monkeypatch):
    draft = adopted_draft(ReferenceLibrary())
    draft.modified = False
    exported = tmp_path / "草案.docx"
    export_draft(draft, exported)
    reviewed = review_as_word(exported, tmp_path / "审阅稿.docx")
    session = open_draft(window, draft)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(reviewed)], ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("市发展改革委", True))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    window.actions.import_review.trigger()
    assert shown and "导入 11 条意见" in shown[0]
    return window, session


def _select(panel, fragment: str) -> None:
    for row in range(panel.items.count()):
        if fragment in panel.items.item(row).text():
            panel.items.setCurrentRow(row)
            return
    raise AssertionError(fragment)


def test_import_lists_the_current_articles_items_beside_it(reviewed_window):
    window, session = reviewed_window
    panel = window.review.panel
    assert window.review_dock.widget() is panel
    assert "共 11 条意见，未处理 11 条，无法定位 1 条" in panel.summary.text()
    # The imported comments come to the front, and the tab says how many wait.
    assert window.review_dock.windowTitle() == "审阅意见（11 条未处理）"
    assert not window.review_dock.visibleRegion().isEmpty()
    assert window.suggestion_dock.visibleRegion().isEmpty()
    window.outline.select_uid(session.draft.article_by_number(4).uid)
    texts = [panel.items.item(r).text() for r in range(panel.items.count())]
    assert len(texts) == 2 and all(t.startswith("第四条第二款") for t in texts)
    window.outline.select_uid(session.draft.article_by_number(1).uid)
    assert panel.items.count() == 1
    assert "回复 李娜：同意。" in panel.detail.text()
    assert "市发展改革委" in panel.items.item(0).text()
    assert not panel.accept_button.isEnabled()  # a comment has nothing to accept
    panel.filter.setCurrentText("无法定位")
    assert panel.items.count() == 1 and "审阅稿" not in panel.items.item(0).text()
    assert "人才队伍建设" in panel.items.item(0).text()
    # The import is one undo step, and it makes the draft modified.
    assert window.isWindowModified()
    session.undo_stack.undo()
    assert review_of(session.draft)["items"] == []
    assert window.review_dock.windowTitle() == "审阅意见"
    session.undo_stack.redo()
    assert len(review_of(session.draft)["items"]) == 11
    assert window.review_dock.windowTitle() == "审阅意见（11 条未处理）"


def test_disposition_reason_accept_and_reject_undo_and_redo(reviewed_window, tmp_path, monkeypatch):
    window, session = reviewed_window
    draft = session.draft
    panel = window.review.panel
    window.outline.select_uid(draft.article_by_number(2).uid)
    _select(panel, "、服务")
    assert panel.accept_button.isEnabled() and panel.reject_button.isEnabled()
    panel.accept_button.click()
    assert "管理、服务及其" in draft.article_by_number(2).text()
    assert "采纳" in panel.items.currentItem().text()
    assert not panel.accept_button.isEnabled()
    assert "接受修订" in window.actions.undo.text()
    window.actions.undo.trigger()
    assert "管理、服务" not in draft.article_by_number(2).text()
    item = next(i for i in review_of(draft)["items"] if "、服务" in i["text"])
    assert (item["status"], item["disposition"]) == ("open", "")
    window.actions.redo.trigger()
    assert "管理、服务及其" in draft.article_by_number(2).text()
    item = next(i for i in review_of(draft)["items"] if "、服务" in i["text"])
    assert item["status"] == "accepted"
    # Reject: the text stays.
    window.outline.select_uid(draft.article_by_number(6).uid)
    _select(panel, "会同有关部门")
    panel.reject_button.click()
    assert "会同有关部门" in draft.article_by_number(6).text()
    assert "未采纳" in panel.items.currentItem().text()
    # A comment: disposition chosen in the combo, reason typed.
    window.outline.select_uid(draft.article_by_number(10).uid)
    _select(panel, "培训经费")
    panel.disposition.setCurrentText("另行研究")
    panel.disposition.activated.emit(panel.disposition.currentIndex())
    panel.reason.setText("涉及财政事权，另行研究。")
    panel.reason.editingFinished.emit()
    item = next(i for i in review_of(draft)["items"] if "培训经费" in i["text"])
    assert (item["disposition"], item["reason"]) == ("另行研究", "涉及财政事权，另行研究。")
    panel.filter.setCurrentText("全部未处理")
    assert not any("培训经费" in panel.items.item(r).text() for r in range(panel.items.count()))
    window.actions.undo.trigger()  # the reason
    window.actions.undo.trigger()  # the disposition
    item = next(i for i in review_of(draft)["items"] if "培训经费" in i["text"])
    assert item["disposition"] == ""
    assert any("培训经费" in panel.items.item(r).text() for r in range(panel.items.count()))
    # The 意见采纳情况表.
    target = tmp_path / "意见采纳情况表.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.actions.export_opinions.trigger()
    table = docx.Document(str(target)).tables[0]
    assert len(table.rows) == 12
    assert "已导出" in window.statusBar().currentMessage()
    assert Path(target).stat().st_size > 0


def test_all_changes_of_one_reviewer_in_one_undo_step(reviewed_window):
    window, session = reviewed_window
    draft = session.draft
    panel = window.review.panel
    window.outline.select_uid(draft.article_by_number(2).uid)
    _select(panel, "、服务")
    labels = [a.text() for a in panel.reviewer_actions()]
    assert labels == ["接受“张伟”的全部修订", "拒绝“张伟”的全部修订"]
    panel.reviewer_actions()[0].trigger()
    states = {i["text"]: i["status"] for i in review_of(draft)["items"] if i["author"] == "张伟"}
    accepted = [t for t, s in states.items() if s == "accepted"]
    assert len(accepted) == 4  # 、服务, the replacement's two halves, the untracked edit
    assert "管理、服务及其" in draft.article_by_number(2).text()
    assert "听取专家意见" in draft.article_by_number(4).text()
    assert "依照其规定执行" in draft.article_by_number(9).text()
    window.actions.undo.trigger()
    assert "管理、服务" not in draft.article_by_number(2).text()
    assert "咨询专家意见" in draft.article_by_number(4).text()
    assert all(i["status"] == "open" for i in review_of(draft)["items"])


def test_double_clicking_an_item_shows_its_paragraph(reviewed_window):
    window, session = reviewed_window
    panel = window.review.panel
    window.outline.select_uid(session.draft.article_by_number(7).uid)
    assert panel.items.count() == 1
    window.outline.select_uid(session.draft.article_by_number(1).uid)
    window.outline.select_uid(session.draft.article_by_number(7).uid)
    panel.items.itemDoubleClicked.emit(panel.items.item(0))
    assert window.editor.article_uid == session.draft.article_by_number(7).uid
    assert window.editor.current_paragraph == 2


def test_the_items_still_to_handle_are_a_worklist_in_the_drafts_order(reviewed_window):
    # "显示：全部" listed the current article's items only, under "共 11 条意见": a drafter
    # working through the comments had to find each article first.
    window, session = reviewed_window
    draft = session.draft
    panel = window.review.panel
    assert panel.filter.currentText() == "本条的意见"
    panel.filter.setCurrentText("全部未处理")
    lines = [panel.items.item(r).text() for r in range(panel.items.count())]
    assert len(lines) == 11
    places = [line.split("\u3000")[0] for line in lines]
    numbers = [draft_number(place) for place in places if place != "无法定位"]
    assert numbers == sorted(numbers) and len(set(numbers)) > 3
    assert places[-1] == "无法定位"
    # Moving in the draft leaves the worklist as it is, not even filled again.
    fills = []
    fill = panel.refresh
    panel.refresh = lambda: (fills.append(1), fill())  # type: ignore[method-assign]
    window.outline.select_uid(draft.article_by_number(1).uid)
    window.outline.select_uid(draft.article_by_number(4).uid)
    assert panel.items.count() == 11 and not fills
    panel.refresh = fill  # type: ignore[method-assign]
    # A handled item leaves it, and the next one takes its row.
    panel.items.setCurrentRow(2)
    following = panel.items.item(3).text()
    panel.disposition.setCurrentText("采纳")
    panel.disposition.activated.emit(panel.disposition.currentIndex())
    assert panel.items.count() == 10
    assert panel.items.currentRow() == 2 and panel.items.currentItem().text() == following
    assert "共 11 条意见，未处理 10 条" in panel.summary.text()
    # 全部意见 keeps it, marked.
    panel.filter.setCurrentText("全部意见")
    assert panel.items.count() == 11
    assert sum("［采纳］" in panel.items.item(r).text() for r in range(11)) == 1


def draft_number(place: str) -> int:
    """第十二条第二款 -> 12."""
    from drafter.statute.numerals import from_chinese_numeral

    return from_chinese_numeral(place[1 : place.index("条")])


def test_a_bad_file_is_named_and_nothing_is_imported(window, tmp_path):
    session = open_draft(window, adopted_draft(ReferenceLibrary()))
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"not a zip")
    lines = window.review.import_files([bad], "市司法局")
    assert len(lines) == 1 and lines[0].startswith("未导入：") and "不是有效的审阅稿" in lines[0]
    assert session.undo_stack.count() == 0 and review_of(session.draft)["items"] == []


def test_a_damaged_review_is_said_in_the_panel(window):
    draft = adopted_draft(ReferenceLibrary())
    draft.review = {"files": [], "items": [{"id": "1", "kind": "praise"}]}
    open_draft(window, draft)
    panel = window.review.panel
    assert "已损坏" in panel.summary.text() and panel.items.count() == 0
    assert not panel.export_button.isEnabled()
