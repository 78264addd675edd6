"""Importing a reference in the window: the dialog asks for city, title, id and status,
pre-filled from the file, and the browser, its search and the suggestions follow."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QDialog, QDialogButtonBox

from drafter.gui.import_reference_dialog import ImportReferenceDialog
from drafter.gui.suggestion_panel import ROLE_REF
from drafter.library import ReferenceLibrary
from tests import test_gui_reference_browser as browser_tests

window = browser_tests.window  # the fixture: the real window, references loaded

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
    qtbot.waitUntil(lambda: browser.tree.topLevelItemCount() == 6, timeout=15000)
    assert browser.tree.topLevelItem(5).text(0) == "苏州市　苏州市公共数据管理条例"
    # The search is applied again to the new tree: the import's two articles are hits.
    assert browser.hit_label.text() == f"{before + 2} 条含“公共数据”"
    hits = [browser.tree.topLevelItem(5).child(0).child(i) for i in range(2)]
    assert not any(item.isHidden() for item in hits)
    assert browser.tree.topLevelItem(5).child(1).isHidden()  # 附则: no hit there
    imported = ReferenceLibrary().get("苏州")
    assert (imported.city, imported.title, imported.status) == (
        "苏州市",
        "苏州市公共数据管理条例",
        "草案",
    )
    # The suggestions list it with its city.
    panel = window.panels.suggestions
    qtbot.waitUntil(lambda: panel.ref_list.count() == 6, timeout=30000)
    last = panel.ref_list.item(5)
    assert last.data(ROLE_REF) == "苏州" and last.text().startswith("苏州市　")

    # The same file again: the id gets a suffix; a taken id is refused in the dialog.
    seen.clear()
    drive_dialog(monkeypatch, qtbot, seen, id="苏州")
    assert browser.ask_and_import(source) is None
    assert seen[0]["ref_id"] == "苏州-2" and "已被占用" in seen[1]
    assert ReferenceLibrary().ids()[-1] == "苏州"


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


def test_a_file_that_is_not_a_regulation_is_refused_in_the_dialog(qtbot, tmp_path):
    page = tmp_path / "junk.html"
    page.write_text("<p>足球指数比分</p>", encoding="utf-8")
    dialog = ImportReferenceDialog(page, ReferenceLibrary())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=15000)
    assert "第一条" in dialog.error_label.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
