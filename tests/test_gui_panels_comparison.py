"""The 对照 view on real widgets (offscreen): readable at 1280×800, only real counterparts."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from drafter.gui.comparison_view import NO_COUNTERPART, ComparisonView
from drafter.gui.reference_browser import ReferenceBrowser
from drafter.library import ReferenceLibrary
from drafter.matching.counterparts import COUNTERPART_CUT


def characters_per_line(browser) -> float:
    """How many 中-wide characters fit on one line of the browser's text (11 pt body)."""
    font = browser.font()
    font.setPointSizeF(11)
    return browser.viewport().width() / QFontMetrics(font).horizontalAdvance("中")


def test_selected_article_beside_readable_counterparts_at_1280x800(qtbot):
    library = ReferenceLibrary()
    view = ComparisonView(lambda: library)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.shown, timeout=30000):
        view.show_counterparts("haikou", 8)
    assert (view.columns[0].ref, view.columns[0].article) == ("haikou", 8)
    # The first block is the selected article, on the left.
    selected = view.selected_browser.toPlainText()
    assert "所选条文" in selected and "海口市" in selected and "第八条" in selected
    assert view.selected_browser.x() < view.counterparts_browser.x()
    # Whole sentences fit: every block is at least 30 characters wide.
    for browser in view.browsers:
        assert characters_per_line(browser) >= 30, browser.viewport().width()
    counterparts = view.counterparts_browser.toPlainText()
    for column in view.columns[1:]:
        assert column.city in counterparts
    assert "成都市" in counterparts and "第七条" in counterparts
    assert "#d1e7dd" in view.counterparts_browser.toHtml()  # shared wording marked
    assert "#d1e7dd" in view.selected_browser.toHtml()
    # The splitter is adjustable: dragging gives the counterparts more room.
    left, right = view.splitter.sizes()
    view.splitter.setSizes([left - 200, right + 200])
    assert view.splitter.sizes()[1] > right


def test_a_reference_without_counterpart_says_so(qtbot):
    library = ReferenceLibrary()
    view = ComparisonView(lambda: library)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.shown, timeout=30000):
        view.show_counterparts("haikou", 8)
    wuxi = next(c for c in view.columns if c.ref == "wuxi")
    assert not wuxi.is_counterpart and wuxi.score < COUNTERPART_CUT
    text = view.counterparts_browser.toPlainText()
    block = text[text.index("无锡市") :]
    assert block.splitlines()[1].startswith(NO_COUNTERPART)
    # Its nearest article is named with its score, not shown as a counterpart.
    assert f"{wuxi.score:.1f}" in block and "第九条【" not in block


def test_reference_browser_opens_the_comparison_window_following_the_selection(qtbot):
    library = ReferenceLibrary()
    browser = ReferenceBrowser(library)
    qtbot.addWidget(browser)
    browser.set_references(library.references())
    browser.show()
    assert not browser.compare_button.isEnabled()  # nothing selected yet
    browser.show_article("jining", 19)
    assert browser.compare_button.isEnabled()
    view = browser.comparison_view
    with qtbot.waitSignal(view.shown, timeout=30000):
        qtbot.mouseClick(browser.compare_button, Qt.MouseButton.LeftButton)
    # Its own window, not a tab squeezed beside the tree.
    assert view.isWindow() and view.isVisible()
    assert view.columns[0].ref == "jining"
    assert ("haikou", 8) in [(c.ref, c.article) for c in view.columns]
    assert view.current_ref() == "jining" and view.article_box.value() == 19
    with qtbot.waitSignal(view.shown, timeout=30000):
        browser.show_article("chengdu", 7)
    assert (view.columns[0].ref, view.columns[0].article) == ("chengdu", 7)
    # 下一条 steps through the articles of the chosen reference.
    with qtbot.waitSignal(view.shown, timeout=30000):
        qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert (view.columns[0].ref, view.columns[0].article) == ("chengdu", 8)
    view.close()
