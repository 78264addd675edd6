"""The 对照 view on real widgets (offscreen), standalone and inside the reference browser."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from drafter.gui.comparison_view import ComparisonView
from drafter.gui.reference_browser import ReferenceBrowser
from drafter.library import ReferenceLibrary


def test_counterparts_side_by_side_with_shared_spans(qtbot):
    library = ReferenceLibrary()
    view = ComparisonView(lambda: library)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.shown, timeout=30000):
        view.show_counterparts("haikou", 8)
    places = [(c.ref, c.article) for c in view.columns]
    assert places[0] == ("haikou", 8)
    assert {"yingtan", "chengdu", "jining", "wuxi"} == {ref for ref, _ in places[1:]}
    assert ("chengdu", 7) in places and ("jining", 19) in places
    # 海口第八条 has two 款: 共建共享 of 杆路、管道 (鹰潭第十五条) and opening public
    # facilities (鹰潭第十六条); either is a right counterpart of the whole article.
    assert dict(places[1:])["yingtan"] in (15, 16)
    assert len(view.browsers) == 5
    chengdu = view.browsers[places.index(("chengdu", 7))]
    assert "成都市" in chengdu.toPlainText() and "第七条" in chengdu.toPlainText()
    assert "#d1e7dd" in chengdu.toHtml()
    assert view.columns[0].spans  # the compared article shows what it shares too


def test_reference_browser_has_a_comparison_tab_following_the_selection(qtbot):
    library = ReferenceLibrary()
    browser = ReferenceBrowser(library)
    qtbot.addWidget(browser)
    browser.set_references(library.references())
    browser.show_article("jining", 19)
    with qtbot.waitSignal(browser.comparison_view.shown, timeout=30000):
        browser.tabs.setCurrentWidget(browser.comparison_view)
    assert browser.comparison_view.columns[0].ref == "jining"
    assert ("haikou", 8) in [(c.ref, c.article) for c in browser.comparison_view.columns]
