"""Importing a reference in the window: the dialog asks for city, title, id and status,
pre-filled from the file, and the browser, its search and the suggestions follow."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

import os
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

from drafter.gui.import_reference_dialog import ImportReferenceDialog
from drafter.library import ReferenceLibrary
from tests import test_gui_reference_browser as browser_tests

window = browser_tests.window  # the fixture: the real window, references loaded
# DRAFTER_SHOTS=DIR saves what a person sees of the batch import (progress, summary).
SHOTS = Path(os.environ["DRAFTER_SHOTS"]) if os.environ.get("DRAFTER_SHOTS") else None

SUZHOU = """苏州市公共数据条例（草案）
第一章 总则
第一条 为了规范公共数据管理，促进公共数据共享开放，制定本条例。
第二条 市和县（市、区）人民政府应当加强对公共数据工作的领导。
第二章 附则
第三条 本条例自公布之日起施行。
"""


def drive_dialog(monkeypatch, qtbot, seen: list, **typed) -> None:
    """Instead of a modal exec: wait for the pre-filled fields, record them, type, press 导入."""

    def exec_(dialog: ImportReferenceDialog) -> int:
        qtbot.waitUntil(lambda: dialog.ready, timeout=15000)
        seen.append(dialog.values())
        for name, text in typed.items():
            getattr(dialog, f"{name}_edit").setText(text)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if not ok.isEnabled():
            seen.append(dialog.error_label.text())
            return QDialog.DialogCode.Rejected
        ok.click()
        return dialog.result()

    monkeypatch.setattr(ImportReferenceDialog, "exec", exec_)


def test_import_asks_pre_fills_and_the_browser_follows(window, qtbot, tmp_path, monkeypatch):
    source = tmp_path / "苏州市公共数据条例.txt"
    source.write_text(SUZHOU, encoding="utf-8")
    browser = window.reference_browser
    browser.search_box.setText("公共数据")
    qtbot.waitUntil(lambda: browser.hit_label.text().endswith("条含“公共数据”"), timeout=10000)
    before = int(browser.hit_label.text().split(" ")[0])
    seen: list = []
    drive_dialog(monkeypatch, qtbot, seen, title="苏州市公共数据管理条例")
    job = browser.ask_and_import(source)
    assert seen[0] == {
        "city": "苏州市",
        "title": "苏州市公共数据条例",
        "ref_id": "苏州",
        "status": "草案",
    }
    qtbot.waitUntil(lambda: job.done, timeout=15000)
    qtbot.waitUntil(lambda: "苏州" in browser._rows, timeout=15000)
    suzhou = browser._rows["苏州"]
    assert suzhou.text(0) == "苏州市　苏州市公共数据管理条例"
    # The search is applied again to the new tree: the import's two articles are hits,
    # and its row is listed last, with the other references that hold the words.
    qtbot.waitUntil(
        lambda: browser.hit_label.text() == f"{before + 2} 条含“公共数据”", timeout=10000
    )
    tree = browser.tree
    assert tree.topLevelItem(tree.topLevelItemCount() - 1) is suzhou
    # Its rows are the hits and their chapter (附则 has none, so it is left out).
    assert suzhou.childCount() == 1 and suzhou.child(0).text(0) == "第一章　总则"
    hits = [suzhou.child(0).child(i) for i in range(suzhou.child(0).childCount())]
    assert [item.data(0, 257) for item in hits] == [1, 2]
    assert not any(item.isHidden() for item in hits) and suzhou.child(0).isExpanded()
    imported = ReferenceLibrary().get("苏州")
    assert (imported.city, imported.title, imported.status) == (
        "苏州市",
        "苏州市公共数据管理条例",
        "草案",
    )
    # The suggestions list it with its city.
    panel = window.panels.suggestions
    qtbot.waitUntil(lambda: panel.ref_model.rowCount() == 6, timeout=30000)
    assert panel.ref_model.ref(5) == "苏州" and panel.ref_model.label(5).startswith("苏州市　")

    # The same file again: the id gets a suffix; a taken id is refused in the dialog.
    seen.clear()
    drive_dialog(monkeypatch, qtbot, seen, id="苏州")
    assert browser.ask_and_import(source) is None
    assert seen[0]["ref_id"] == "苏州-2" and "已被占用" in seen[1]
    assert ReferenceLibrary().ids()[-1] == "苏州"


def test_one_file_that_copies_a_reference_asks_before_it_is_imported(
    window, qtbot, tmp_path, monkeypatch
):
    # 海口's regulation with the city renamed: the one-file path stored it without the
    # duplicate check the batch and `drafter refs import` make.
    from PySide6.QtWidgets import QMessageBox

    from drafter.gui.reference_browser import ReferenceBrowser
    from drafter.library import batch_import
    from tests.helpers import raw_reference_text

    source = tmp_path / "苏州市智慧城市促进条例.txt"
    source.write_text(raw_reference_text("haikou").replace("海口", "苏州"), encoding="utf-8")
    browser = window.reference_browser
    asked: list = []
    answers = [batch_import.SKIP, batch_import.IMPORT]

    def answer(_browser, duplicate, many):
        asked.append(duplicate)
        assert not many  # one file: no 全部跳过
        return answers[len(asked) - 1]

    told: list = []
    monkeypatch.setattr(ReferenceBrowser, "ask_duplicate", answer)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    drive_dialog(monkeypatch, qtbot, [])
    job = browser.ask_and_import(source)
    qtbot.waitUntil(lambda: job.done, timeout=30000)
    assert [(d.existing_id, d.why) for d in asked] == [("haikou", "内容几乎相同")]
    assert len(told) == 1 and "海口市《海口市智慧城市促进条例》" in told[0]
    assert ReferenceLibrary().ids() == ["yingtan", "haikou", "chengdu", "jining", "wuxi"]
    # 仍然导入 stores it, and the list shows it.
    job = browser.ask_and_import(source)
    qtbot.waitUntil(lambda: job.done, timeout=30000)
    assert len(asked) == 2 and len(told) == 1
    qtbot.waitUntil(lambda: "苏州" in browser._rows, timeout=15000)
    assert ReferenceLibrary().get("苏州").city == "苏州市"


def test_the_id_follows_the_city_until_typed(qtbot, tmp_path):
    source = tmp_path / "draft-v2.txt"
    source.write_text(SUZHOU.replace("苏州市", ""), encoding="utf-8")  # no city in the title
    dialog = ImportReferenceDialog(source, ReferenceLibrary())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=15000)
    assert dialog.values()["city"] == "" and dialog.values()["ref_id"] == "draft-v2"
    dialog.city_edit.textEdited.emit("海口市")  # a city with a bundled reference: 海口
    dialog.city_edit.setText("海口市")
    assert dialog.id_edit.text() == "海口"
    dialog.id_edit.setText("haikou")
    assert "已被占用" in dialog.error_label.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.id_edit.textEdited.emit("my-ref")
    dialog.id_edit.setText("my-ref")
    dialog.city_edit.textEdited.emit("无锡市")
    assert dialog.id_edit.text() == "my-ref"  # typed by the drafter: kept
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_typing_a_title_or_id_does_not_read_the_library(qtbot, tmp_path, monkeypatch):
    """The ids taken are read once, with the file: at 20,000 references each read held
    the dialog 17-25 ms a keystroke."""
    source = tmp_path / "suzhou.txt"
    source.write_text(SUZHOU, encoding="utf-8")
    library = ReferenceLibrary()
    dialog = ImportReferenceDialog(source, library)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=15000)
    reads: list[int] = []
    monkeypatch.setattr(library, "ids", lambda: reads.append(1) or [])
    for text in ("苏", "苏州市数据", "苏州市数据条例"):
        dialog.title_edit.setText(text)
    for text in ("w", "wuxi"):
        dialog.id_edit.setText(text)
    assert reads == []
    assert "已被占用" in dialog.error_label.text()  # wuxi: bundled, taken


def test_enter_imports_once_the_fields_are_filled(qtbot, tmp_path):
    """The dialog opens with 导入 disabled while it reads the file; once the fields are
    filled, Enter where the focus is accepts it (it used to press 取消, then the default)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    source = tmp_path / "苏州市公共数据管理条例.txt"
    source.write_text(SUZHOU, encoding="utf-8")
    dialog = ImportReferenceDialog(source, ReferenceLibrary())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.ready, timeout=15000)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    assert QApplication.focusWidget() is dialog.title_edit
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.values()["title"] == "苏州市公共数据条例"


def test_a_file_that_is_not_a_regulation_is_refused_in_the_dialog(qtbot, tmp_path):
    page = tmp_path / "junk.html"
    page.write_text("<p>足球指数比分</p>", encoding="utf-8")
    dialog = ImportReferenceDialog(page, ReferenceLibrary())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=15000)
    assert "第一条" in dialog.error_label.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


# -- batch import ----------------------------------------------------------------------


def _batch_folder(tmp_path):
    """Two good regulations (real articles, new titles and cities), a page that is no
    regulation, and a copy of the first under another name (a duplicate)."""
    from tests.test_cli_refs import _variant

    folder = tmp_path / "batch"
    folder.mkdir()
    first = _variant("haikou", "三亚市", 1, 0)
    (folder / "a.txt").write_text(first, encoding="utf-8")
    (folder / "b.txt").write_text(_variant("wuxi", "常州市", 2, 1), encoding="utf-8")
    (folder / "c-copy.txt").write_text(first, encoding="utf-8")
    (folder / "junk.txt").write_text("足球指数比分\n", encoding="utf-8")
    return folder


def test_batch_import_asks_about_duplicates_and_summarises(window, qtbot, tmp_path, monkeypatch):
    from drafter.gui.reference_browser import ReferenceBrowser
    from drafter.library import batch_import

    folder = _batch_folder(tmp_path)
    asked: list = []

    def answer(_browser, duplicate, many):
        asked.append(duplicate)
        assert many  # 全部跳过 is offered
        return batch_import.SKIP

    monkeypatch.setattr(ReferenceBrowser, "ask_duplicate", answer)
    browser = window.reference_browser
    job = browser.import_batch([folder])
    qtbot.waitUntil(lambda: job.done, timeout=30000)
    assert [d.name for d in asked] == ["c-copy.txt"] and asked[0].existing_id == "三亚"
    box = browser.batch_summary
    assert box is not None and box.isVisible()
    assert box.text() == "已导入 2 部，跳过 2 个文件。"
    assert "c-copy.txt：与已有的 三亚市《三亚市数据资源促进条例（第1号）》" in box.informativeText()
    assert "junk.txt：未找到" in box.informativeText()
    qtbot.waitUntil(lambda: browser.tree.topLevelItemCount() == 7, timeout=15000)
    if SHOTS:
        box.grab().save(str(SHOTS / "batch-summary.png"))
    box.close()


def test_cancel_after_the_first_file_keeps_it(window, qtbot, tmp_path, monkeypatch):
    import threading

    folder = _batch_folder(tmp_path)
    release = threading.Event()
    real_import = ReferenceLibrary.import_file

    def slow_import(self, path, **fields):
        # Hold the worker after the first file until the test has pressed 取消.
        reference = real_import(self, path, **fields)
        release.wait(15)
        return reference

    monkeypatch.setattr(ReferenceLibrary, "import_file", slow_import)
    browser = window.reference_browser
    job = browser.import_batch([folder])
    progress = browser.batch_progress
    qtbot.waitUntil(lambda: len(ReferenceLibrary().ids()) == 6, timeout=15000)
    qtbot.waitUntil(lambda: "a.txt" in progress.labelText(), timeout=15000)
    if SHOTS:
        progress.grab().save(str(SHOTS / "batch-progress.png"))
    cancel = progress.findChild(QPushButton)
    assert cancel.text() == "取消"
    cancel.click()
    release.set()
    qtbot.waitUntil(lambda: job.done, timeout=15000)
    assert ReferenceLibrary().ids()[5:] == ["三亚"]
    assert browser.batch_summary.text() == "已导入 1 部（已取消，其余文件未导入）。"
    assert not progress.isVisible()
    browser.batch_summary.close()


def test_several_files_chosen_go_to_the_batch_one_to_the_dialog(window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    browser = window.reference_browser
    calls: list = []
    monkeypatch.setattr(browser, "ask_and_import", lambda path: calls.append(("one", path)))
    monkeypatch.setattr(browser, "import_batch", lambda paths: calls.append(("many", paths)))
    for chosen in (["/x/a.txt"], ["/x/a.txt", "/x/b.txt"]):
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, c=chosen: (c, ""))
        browser.choose_and_import()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: str(tmp_path))
    browser.import_folder_button.click()
    assert [c[0] for c in calls] == ["one", "many", "many"]
    assert calls[2][1] == [tmp_path]


@pytest.mark.parametrize("many", [True, False])
def test_the_duplicate_question_offers_skip_all_only_for_many_files(window, many):
    from PySide6.QtWidgets import QMessageBox

    from drafter.library import batch_import
    from tests.gui_window_support import on_modal

    duplicate = batch_import.Duplicate(
        Path("苏州.txt"), "苏州.txt", "苏州市智慧城市促进条例", "苏州市",
        "haikou", "海口市智慧城市促进条例", "海口市", "内容几乎相同",
    )  # fmt: skip
    seen: list = []

    def look(box: QMessageBox) -> None:
        seen.extend(button.text() for button in box.buttons())
        next(b for b in box.buttons() if b.text() == "跳过").click()

    on_modal(look)
    answer = window.reference_browser.ask_duplicate(duplicate, many)
    expected = {"跳过", "仍然导入", "全部跳过"} if many else {"跳过", "仍然导入"}
    assert set(seen) == expected
    assert answer == batch_import.SKIP


def test_no_progress_dialog_comes_over_the_duplicate_question(window, qtbot, tmp_path, monkeypatch):
    # It showed itself after QProgressDialog's own delay (4 s from its making; the 300 ms
    # asked for were never armed), over the question, and took the key that answered it.
    from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

    from drafter.gui.reference_browser import ReferenceBrowser
    from drafter.library import batch_import
    from tests.helpers import raw_reference_text

    source = tmp_path / "苏州市智慧城市促进条例.txt"
    source.write_text(raw_reference_text("haikou").replace("海口", "苏州"), encoding="utf-8")
    progress_shown: list = []

    def slow_answer(_browser, _duplicate, _many):
        qtbot.wait(4500)  # the drafter reads the question for longer than the dialog's delay
        progress_shown.append(
            any(
                isinstance(w, QProgressDialog) and w.isVisible()
                for w in QApplication.topLevelWidgets()
            )
        )
        return batch_import.SKIP

    monkeypatch.setattr(ReferenceBrowser, "ask_duplicate", slow_answer)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    drive_dialog(monkeypatch, qtbot, [])
    job = window.reference_browser.ask_and_import(source)
    qtbot.waitUntil(lambda: job.done, timeout=30000)
    assert progress_shown == [False]
