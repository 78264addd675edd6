"""The reference browser on real widgets (offscreen) with the real library."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from drafter.gui.main_window import MainWindow
from drafter.library import ReferenceLibrary


@pytest.fixture
def window(qtbot, isolated_user_data, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated_user_data / "config"))
    main = MainWindow(ReferenceLibrary())
    qtbot.addWidget(main)
    qtbot.waitUntil(lambda: len(main.references) == 5, timeout=15000)
    return main


def test_window_loads_the_five_references(window):
    tree = window.reference_browser.tree
    titles = [tree.topLevelItem(i).text(0) for i in range(5)]
    assert titles[1] == "海口市　海口市智慧城市促进条例"
    assert "参考法规 5 部，252 条" == window.status_label.text()


def test_show_article_displays_it_word_for_word(window):
    browser = window.reference_browser
    browser.show_article("haikou", 37)
    text = browser.text_view.toPlainText()
    assert "第三十七条 市、区人民政府应当建立网络安全管理制度" in text.replace("\u3000", " ")
    assert "信息系统建设应当依法落实安全保护技术措施和信息安全等级保护制度。" in text


def test_damaged_span_is_highlighted_and_correctable(window, qtbot, monkeypatch):
    browser = window.reference_browser
    browser.show_article("chengdu", 6)
    assert "#f8d7da" in browser.text_view.toHtml()
    assert browser.correct_button.isEnabled()
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("专项行动计划。", True))
    browser.correct_button.click()
    qtbot.waitUntil(
        lambda: (
            "本区域专项行动计划。" in ReferenceLibrary().get("chengdu").statute.article(6).text()
        )
    )
    qtbot.waitUntil(lambda: window.status_label.text().startswith("参考法规 5 部"))
    browser.show_article("chengdu", 6)
    assert "本区域专项行动计划。" in browser.text_view.toPlainText()


def test_full_text_search_filters_articles(window, qtbot):
    browser = window.reference_browser
    browser.search_box.setText("首席数据官")
    qtbot.waitUntil(lambda: browser.hit_label.text() == "2 条含“首席数据官”", timeout=10000)
    visible = []
    for i in range(browser.tree.topLevelItemCount()):
        top = browser.tree.topLevelItem(i)
        stack = [top]
        while stack:
            item = stack.pop()
            stack.extend(item.child(j) for j in range(item.childCount()))
            if item.data(0, 257) is not None and not item.isHidden():
                visible.append((item.data(0, 256), item.data(0, 257)))
    assert sorted(visible) == [("chengdu", 30), ("wuxi", 44)]


def test_explanation_tab_shows_damage(window):
    browser = window.reference_browser
    browser.show_article("yingtan", 1)
    explanation = browser.explanation_view.toPlainText()
    assert explanation.startswith("关于对《鹰潭智慧城市促进条例（征求意见稿）》的起草说明")
    assert "#f8d7da" in browser.explanation_view.toHtml()


def test_import_runs_in_background_and_shows_the_new_reference(window, qtbot, tmp_path):
    source = tmp_path / "suzhou.txt"
    source.write_text(
        "苏州市数据条例\n第一条 为了规范数据。\n第二条 本条例自公布之日起施行。\n", "utf-8"
    )
    job = window.reference_browser.import_path(source)
    qtbot.waitUntil(lambda: job.done, timeout=15000)
    qtbot.waitUntil(lambda: window.reference_browser.tree.topLevelItemCount() == 6, timeout=15000)
    assert "第一条 为了规范数据。" in window.reference_browser.text_view.toPlainText()


def test_failed_import_shows_a_dialog_and_stores_nothing(window, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(
        "drafter.gui.reference_browser.show_error",
        lambda parent, title, error: shown.append(str(error)),
    )
    page = tmp_path / "junk.html"
    page.write_text("<p>足球指数比分</p>", encoding="utf-8")
    job = window.reference_browser.import_path(page)
    qtbot.waitUntil(lambda: job.done, timeout=15000)
    assert shown and "junk.html" in shown[0] and "第一条" in shown[0]
    assert ReferenceLibrary().ids()[-1] == "wuxi"


def test_window_settings_live_in_the_user_data_directory(window, isolated_user_data):
    window.close()
    from PySide6.QtCore import QSettings

    settings = QSettings()
    assert settings.format() == QSettings.Format.IniFormat
    settings.sync()
    assert settings.fileName().startswith(str(isolated_user_data))
    assert settings.value("window/geometry") is not None


def test_the_list_opens_a_reference_only_when_asked(qtbot, window):
    """Listing reads summaries only; a reference's articles are read when it is expanded,
    shown or found, so the list costs the same for five references or thousands."""
    browser = window.reference_browser
    tree = browser.tree
    assert tree.isEnabled() and tree.topLevelItemCount() == 5
    assert all(tree.topLevelItem(i).childCount() == 0 for i in range(5))
    assert browser._references == {}
    haikou = tree.topLevelItem(1)
    assert haikou.text(0) == "海口市　海口市智慧城市促进条例"
    tree.expandItem(haikou)
    assert haikou.childCount() > 0 and set(browser._references) == {"haikou"}
    browser.show_article("wuxi", 44)
    assert set(browser._references) == {"haikou", "wuxi"}
    assert "首席数据官" in browser.text_view.toPlainText()
    # A search that matches nothing hides every reference and says so.
    browser.search_box.setText("不存在的词语甲乙丙")
    qtbot.waitUntil(lambda: browser.hit_label.text().startswith("0 条"), timeout=10000)
    assert all(tree.topLevelItem(i).isHidden() for i in range(5))
    browser.search_box.setText("")
    assert not any(tree.topLevelItem(i).isHidden() for i in range(5))
    assert browser.hit_label.text() == ""
