"""A change to the library made in the window updates the reference list in place: the
drafter's place in it (the reference and article open, the rows expanded) is kept, and
only a change made elsewhere has the whole listing read again."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QMessageBox

from drafter.library import ReferenceLibrary, batch_import
from tests import test_gui_reference_browser as browser_tests

window = browser_tests.window  # the fixture: the real window, references loaded

SUZHOU = """苏州市公共数据条例
第一章 总则
第一条 为了规范公共数据管理，促进公共数据共享开放，制定本条例。
第二条 市和县（市、区）人民政府应当加强对公共数据工作的领导。
第二章 附则
第三条 本条例自公布之日起施行。
"""


def _tops(browser) -> list:
    return [browser.tree.topLevelItem(i) for i in range(browser.tree.topLevelItemCount())]


def _place(browser) -> tuple:
    current = browser.tree.currentItem()
    return current.data(0, 256), current.data(0, 257)


def test_an_import_adds_its_row_and_keeps_the_drafters_place(window, qtbot, tmp_path):
    browser = window.reference_browser
    browser.show_article("haikou", 37)
    haikou = browser._rows["haikou"]
    assert haikou.isExpanded()
    tops = _tops(browser)
    source = tmp_path / "suzhou.txt"
    source.write_text(SUZHOU, encoding="utf-8")
    with qtbot.waitSignal(browser.listing_changed, timeout=15000):
        browser.import_path(source)
    # The same five rows and one more; the new reference's first article is shown (the
    # browser's answer to "what did I import"), and haikou is still open where it was.
    assert _tops(browser)[:5] == tops
    assert _tops(browser)[5].text(0) == "苏州市　苏州市公共数据条例"
    assert _place(browser) == ("suzhou", 1)
    assert "第一条 为了规范公共数据管理" in browser.text_view.toPlainText()
    assert haikou.isExpanded() and haikou.childCount() > 0
    assert window.status_label.text() == "参考法规 6 部，255 条"
    assert [s.id for s in window.references][-1] == "suzhou"


def test_a_removal_drops_its_row_only(window, qtbot, tmp_path, monkeypatch):
    library = ReferenceLibrary()
    source = tmp_path / "suzhou.txt"
    source.write_text(SUZHOU, encoding="utf-8")
    library.import_file(source)
    window.reload_library()
    browser = window.reference_browser
    qtbot.waitUntil(lambda: len(_tops(browser)) == 6, timeout=15000)
    browser.show_article("chengdu", 6)
    chengdu = browser._rows["chengdu"]
    browser.show_article("suzhou", 2)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tops = _tops(browser)
    with qtbot.waitSignal(browser.listing_changed, timeout=15000):
        browser.remove_button.click()
    assert _tops(browser) == tops[:5]
    assert "suzhou" not in ReferenceLibrary().ids()
    assert chengdu.isExpanded()  # the reference the drafter had opened stays open
    assert window.status_label.text() == "参考法规 5 部，252 条"
    assert not browser.remove_button.isEnabled() or _place(browser)[0] != "suzhou"


def test_a_removal_during_a_search_of_a_reference_it_left_out(window, qtbot, tmp_path, monkeypatch):
    """A search leaves references out of the list; one of them removed meanwhile (here
    by 查看原文 and the remove button) is gone from the list, and clearing the search
    lists the others in the library's order."""
    library = ReferenceLibrary()
    for city in ("suzhou", "wenzhou"):
        source = tmp_path / f"{city}.txt"
        source.write_text(SUZHOU.replace("苏州", city), encoding="utf-8")
        library.import_file(source)
    window.reload_library()
    browser = window.reference_browser
    qtbot.waitUntil(lambda: len(_tops(browser)) == 7, timeout=15000)
    browser.search_box.setText("首席数据官")
    qtbot.waitUntil(lambda: browser.hit_label.text() == "2 条含“首席数据官”", timeout=10000)
    assert [top.data(0, 256) for top in _tops(browser)] == ["chengdu", "wuxi"]
    browser.show_article("suzhou", 2)  # listed in its place, whole
    assert [top.data(0, 256) for top in _tops(browser)] == ["chengdu", "wuxi", "suzhou"]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(browser.listing_changed, timeout=15000):
        browser.remove_button.click()
    assert [top.data(0, 256) for top in _tops(browser)] == ["chengdu", "wuxi"]
    assert "suzhou" not in browser._rows and "suzhou" not in browser._unlisted
    library.remove("wenzhou")  # one the search left out, removed too
    with qtbot.waitSignal(browser.listing_changed, timeout=15000):
        browser.update_listing(removed=["wenzhou"])
    assert "wenzhou" not in browser._rows and "wenzhou" not in browser._unlisted
    assert [top.data(0, 256) for top in _tops(browser)] == ["chengdu", "wuxi"]
    browser.search_box.setText("")
    assert [top.data(0, 256) for top in _tops(browser)] == ReferenceLibrary().ids()


def test_a_change_made_elsewhere_as_well_reads_the_whole_listing(
    window, qtbot, tmp_path, monkeypatch
):
    browser = window.reference_browser
    # The two texts differ by their city only: the import asks, and is told to go on.
    monkeypatch.setattr(type(browser), "ask_duplicate", lambda *_: batch_import.IMPORT)
    other = tmp_path / "other.txt"
    other.write_text(SUZHOU.replace("苏州", "无锡"), encoding="utf-8")
    ReferenceLibrary().import_file(other, ref_id="wuxi-data")  # `drafter refs import`
    source = tmp_path / "suzhou.txt"
    source.write_text(SUZHOU, encoding="utf-8")
    with qtbot.waitSignal(browser.listing_stale, timeout=15000):
        browser.import_path(source)
    qtbot.waitUntil(lambda: window.status_label.text().startswith("参考法规 7 部"), timeout=15000)
    # In the library's order (imports by time, then id), both of them.
    assert [top.data(0, 256) for top in _tops(browser)] == ReferenceLibrary().ids()
    assert {"wuxi-data", "suzhou"} <= {s.id for s in window.references}


def test_a_big_batch_reads_the_whole_listing_instead(window, qtbot, tmp_path, monkeypatch):
    # Rows read one reference at a time cost about 3 ms each: past the limit (lowered here
    # to one), the whole listing is read, as at the window's start.
    from drafter.gui import reference_changes

    monkeypatch.setattr(reference_changes, "READ_ONE_BY_ONE_UP_TO", 1)
    browser = window.reference_browser
    # Near-identical texts: the batch asks about the second; imported anyway.
    monkeypatch.setattr(type(browser), "ask_duplicate", lambda *_: batch_import.IMPORT)
    for city in ("苏州", "温州"):
        (tmp_path / f"{city}.txt").write_text(SUZHOU.replace("苏州", city), encoding="utf-8")
    with qtbot.waitSignal(browser.listing_stale, timeout=30000):
        browser.import_batch([tmp_path])
    qtbot.waitUntil(lambda: window.status_label.text().startswith("参考法规 7 部"), timeout=15000)
    assert [top.data(0, 256) for top in _tops(browser)] == ReferenceLibrary().ids()
