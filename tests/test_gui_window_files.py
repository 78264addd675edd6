"""The window's file flows on real widgets: save/reopen, close prompt, autosave recovery, lock,
bad files, import of an earlier draft, export of the Word documents."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from docx import Document
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox

from drafter.draft import operations
from drafter.draft.autosave import autosave_path
from drafter.draft.document import ExplanationSection
from drafter.draft.lock import lock_path
from drafter.draft.project_file import save_project
from drafter.gui.actions import fill_recent_menu
from drafter.gui.prompts import CANCEL, DISCARD, SAVE
from drafter.gui.transfer_flows import EXPORT_ANYWAY
from tests import gui_window_support as support
from tests.gui_window_support import click, on_modal, open_draft, sample_draft, type_text

window = support.window  # the fixture


def accept_error(seen: list[str]) -> None:
    """Note the text of the next error box and close it."""

    def close(box):
        seen.append(box.text())
        box.accept()

    on_modal(close, "errorDialog")


def saved_draft(tmp_path: Path) -> Path:
    path = tmp_path / "条例.drafter.json"
    save_project(sample_draft(), path)
    return path


def test_save_then_reopen_from_recent_files_is_identical(window, tmp_path, monkeypatch):
    session = open_draft(window, sample_draft())
    window.outline.select_uid(session.draft.article_by_number(2).uid)
    type_text(window.editor.caption_edit, "适用范围")
    target = tmp_path / "智慧城市"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.actions.save.trigger()
    path = tmp_path / "智慧城市.drafter.json"
    assert session.path == path and path.exists() and lock_path(path).exists()
    assert window.save_label.text() == "已保存" and not window.isWindowModified()
    assert "智慧城市.drafter.json" in window.windowTitle()
    before = session.draft.to_json()
    window.set_session(None)
    assert not lock_path(path).exists()

    menu = window.actions.recent_menu
    fill_recent_menu(window, menu)
    menu.actions()[0].trigger()
    assert window.session.path == path
    assert window.session.draft.to_json() == before
    assert window.structure_label.text() == "2章4条"
    assert not window.session.is_modified


def test_close_prompt_cancel_discard_and_save(window, tmp_path):
    path = saved_draft(tmp_path)
    assert window.files.open_path(path)
    session = window.session
    session.apply(operations.set_caption, session.draft.article_by_number(1).uid, "目的")
    assert window.save_label.text() == "未保存"

    seen = click(CANCEL, "unsavedDialog")
    assert not window.close()
    assert seen and "尚未保存" in seen[0]
    assert window.session is session and lock_path(path).exists()

    click(SAVE, "unsavedDialog")
    assert window.close()
    assert '"caption": "目的"' in path.read_text(encoding="utf-8")
    assert not lock_path(path).exists()

    window.show()
    assert window.files.open_path(path)
    window.session.apply(operations.set_caption, window.session.draft.article_by_number(1).uid, "")
    window.files.autosave.tick()
    qtbot_wait_autosave(window)
    draft = window.session.draft
    assert autosave_path(draft, path).exists()
    click(DISCARD, "unsavedDialog")
    assert window.close()
    assert window.session is None  # the session ends with the window
    assert '"caption": "目的"' in path.read_text(encoding="utf-8")  # not saved
    assert not autosave_path(draft, path).exists()  # the drafter chose to drop it


def qtbot_wait_autosave(window) -> None:
    from drafter.gui.workers import wait_for_background_jobs

    wait_for_background_jobs()
    QApplication.processEvents()


def test_autosave_then_recovery_offer_after_a_crash(window, tmp_path):
    path = saved_draft(tmp_path)
    window.files.open_path(path)
    session = window.session
    uid = session.draft.article_by_number(1).uid
    window.outline.select_uid(uid)
    type_text(window.editor.paragraph_edits[0], "（已修改）")
    assert window.files.autosave.tick() is not None
    qtbot_wait_autosave(window)
    assert window.save_label.text().startswith("自动保存于 ")
    assert window.files.autosave.tick() is None  # not due again within the minute
    expected = session.draft.to_json()
    # A crash: the window goes away without saving (the lock is released by the OS's pid check).
    window.set_session(None)

    seen = click("恢复", "recoveryDialog")
    assert window.files.autosave.offer_recovery()
    assert "条例" in seen[0] and "自动保存" in seen[0]
    assert window.session.draft.to_json() == expected
    assert window.session.path == path and window.session.is_modified
    assert window.save_label.text() == "已恢复，未保存"
    assert window.editor.article_uid == uid

    window.set_session(None)
    click("丢弃", "recoveryDialog")
    assert not window.files.autosave.offer_recovery()
    assert not autosave_path(session.draft, path).exists()


def test_locked_draft_names_its_holder_and_can_be_forced(window, tmp_path):
    path = saved_draft(tmp_path)
    owner = {"pid": 4242, "host": "科室-另一台电脑", "since": "2024-05-01T09:00:00+08:00"}
    assert owner["host"] != socket.gethostname()
    lock_path(path).write_text(json.dumps(owner, ensure_ascii=False), encoding="utf-8")
    current = open_draft(window, sample_draft())

    seen = click(CANCEL, "lockedDialog")
    assert not window.files.open_path(path)
    assert "科室-另一台电脑" in seen[0] and "请先在那里关闭" in seen[0]
    assert window.session is current

    window.set_session(None)
    click("强制打开", "lockedDialog")
    assert window.files.open_path(path)
    assert json.loads(lock_path(path).read_text(encoding="utf-8"))["pid"] == os.getpid()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "drafter-draft", "version": 1, "draft": {', "JSON 内容已损坏"),
        (json.dumps({"format": "drafter-draft", "version": 99}).encode(), "较新版本"),
    ],
)
def test_damaged_or_newer_file_leaves_the_open_draft_alone(window, tmp_path, content, message):
    bad = tmp_path / "坏.drafter.json"
    bad.write_bytes(content)
    current = open_draft(window, sample_draft())
    before = current.draft.to_json()
    seen: list[str] = []
    accept_error(seen)
    assert not window.files.open_path(bad)
    assert message in seen[0] and "没有受到影响" in seen[0]
    assert window.session is current and current.draft.to_json() == before
    assert bad.read_bytes() == content


def test_import_an_earlier_draft_and_discover_sources(window, qtbot, tmp_path):
    text = (
        "某市智慧城市促进条例\n第一章　总则\n"
        "第一条　为了促进智慧城市建设，提升城市治理能力，制定本条例。\n"
        "第二条　本条例所称智慧城市，是指运用物联网、云计算、大数据等新一代信息技术，"
        "促进城市规划、建设、管理和服务智慧化的新理念和新模式。\n"
        "第二章　附则\n第三条　本条例自公布之日起施行。\n"
    )
    source = tmp_path / "旧稿.txt"
    source.write_text(text, encoding="utf-8")
    window.files.import_draft(source)
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    draft = window.session.draft
    assert (draft.title, draft.city) == ("某市智慧城市促进条例", "某市")
    assert window.structure_label.text() == "2章3条"
    assert window.session.is_modified and window.session.path is None
    qtbot.waitUntil(lambda: window.session.undo_stack.count() == 1, timeout=30000)
    assert any(draft.provenance.get(a.uid) for a in draft.articles())

    bad = tmp_path / "不是草案.txt"
    bad.write_text("会议纪要\n今天讨论了很多事情。\n", encoding="utf-8")
    current = window.session
    seen: list[str] = []
    accept_error(seen)
    window.files.import_draft(bad)
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert "第一条" in seen[0] and "没有受到影响" in seen[0]
    assert window.session is current


def test_export_writes_the_three_word_documents(window, qtbot, tmp_path):
    session = open_draft(window, sample_draft())
    session.apply(operations.set_explanation, [("一、立法的必要性", "为了推进智慧城市建设。")])
    assert session.draft.explanation == [
        ExplanationSection("一、立法的必要性", "为了推进智慧城市建设。")
    ]

    def fill(dialog):
        dialog.folder_edit.setText(str(tmp_path))
        dialog.comments_box.setChecked(True)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    warned = click(EXPORT_ANYWAY, "exportWarningDialog")  # no 施行日期 in the sample
    on_modal(fill, "exportDialog")
    window.actions.export.trigger()
    assert warned
    qtbot.waitUntil(lambda: window.files.transfer.last_export is not None, timeout=30000)
    written = window.files.transfer.last_export.written
    assert [p.name for p in written] == [
        "某市智慧城市促进条例.docx",
        "某市智慧城市促进条例-起草说明.docx",
        "某市智慧城市促进条例-条文对照表.docx",
    ]
    body = "\n".join(p.text for p in Document(str(written[0])).paragraphs)
    assert "违反本条例第三条规定的" in body and "第一章" in body
    explanation = "\n".join(p.text for p in Document(str(written[1])).paragraphs)
    assert "为了推进智慧城市建设。" in explanation
    assert Document(str(written[2])).tables
    done = window.findChild(QMessageBox, "exportDoneDialog")
    assert done is not None and "已导出" in done.text()
    done.close()


def test_export_to_an_unwritable_folder_says_so(window, qtbot, tmp_path):
    from drafter.gui.export_dialog import ExportChoice

    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # root ignores the mode: use a folder no one may write to
        folder = Path("/proc/1")
        if not folder.is_dir() or os.access(folder, os.W_OK):
            pytest.skip("no unwritable folder on this machine")
    session = open_draft(window, sample_draft())
    before = session.draft.to_json()
    seen: list[str] = []
    click(EXPORT_ANYWAY, "exportWarningDialog")
    accept_error(seen)
    window.files.export_documents(ExportChoice(folder / "草案.docx", None, None, False, False))
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert "不可写入" in seen[0] and "换一个可写入的文件夹" in seen[0]
    assert session.draft.to_json() == before


def test_window_layout_is_remembered(window, qtbot):
    from drafter.gui.main_window import MainWindow
    from drafter.library import ReferenceLibrary

    window.suggestion_dock.hide()
    assert window.close()
    again = MainWindow(ReferenceLibrary())
    try:
        assert again.suggestion_dock.isHidden() and not again.outline_dock.isHidden()
    finally:
        qtbot.waitUntil(lambda: len(again.references) == 5, timeout=15000)
        again.close()
        again.deleteLater()


def test_opening_another_draft_over_one_open(window, tmp_path):
    # With a draft open, opening another made the outline current on the new draft's
    # first chapter while the editor still had the old draft: a KeyError from the
    # outline's signal (seen opening a second draft in bench_gui_large_draft).
    first = saved_draft(tmp_path)
    assert window.files.open_path(first)
    window.outline.select_uid(window.session.draft.article_by_number(3).uid)
    other = tmp_path / "other"
    other.mkdir()
    second = saved_draft(other)
    assert window.files.open_path(second)
    assert window.session.path == second
    shown = window.session.draft.article_by_number(1)
    assert window.editor.article_uid == shown.uid
    assert window.editor.paragraph_edits[0].toPlainText() == shown.paragraphs[0].text
