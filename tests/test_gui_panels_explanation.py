"""The 起草说明 tab on real widgets (offscreen) through a real DraftSession."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from drafter.draft import operations
from drafter.draft.adoption import Clause, adopt
from drafter.draft.document import Draft, ExplanationSection
from drafter.gui.explanation_tab import FACTS_DEBOUNCE_MS, ExplanationTab
from drafter.gui.session import DraftSession
from drafter.library import ReferenceLibrary


def type_into(widget, text: str) -> None:
    """Type CJK text key by key (QTest.keyClicks aborts on characters outside Latin-1)."""
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


@pytest.fixture
def session(qtbot):
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则", "附则"])
    session = DraftSession(draft)
    yield session
    session.close()


@pytest.fixture
def tab(qtbot, session):
    library = ReferenceLibrary()
    widget = ExplanationTab(lambda: library)
    qtbot.addWidget(widget)
    widget.set_session(session)
    widget.show()  # as the 起草说明 page a drafter has open
    return widget


def test_five_sections_are_offered_and_typing_is_one_undo_step(qtbot, tab, session):
    titles = [title for title, _ in tab.section_texts()]
    assert titles == ["制定的必要性", "起草过程", "主要依据", "主要内容", "需要说明的问题"]
    type_into(tab.editors[0], "推进智慧城市建设")
    assert session.draft.explanation[0] == ExplanationSection("制定的必要性", "推进智慧城市建设")
    assert session.undo_stack.count() == 1  # the keystrokes merged
    type_into(tab.editors[1], "调研")
    assert session.undo_stack.count() == 2
    session.undo_stack.undo()
    assert tab.editors[1].toPlainText() == ""
    assert tab.editors[0].toPlainText() == "推进智慧城市建设"
    session.undo_stack.undo()
    assert tab.editors[0].toPlainText() == ""
    assert all(s.text == "" for s in session.draft.explanation)
    session.undo_stack.redo()
    assert tab.editors[0].toPlainText() == "推进智慧城市建设"


def test_drafters_own_titles_and_extra_sections_are_kept(qtbot, session):
    session.draft.explanation = [
        ExplanationSection("一、立法的必要性", "已写"),
        ExplanationSection("六、其他", "附记"),
    ]
    tab = ExplanationTab()
    qtbot.addWidget(tab)
    tab.set_session(session)
    texts = tab.section_texts()
    assert texts[0] == ("一、立法的必要性", "已写") and texts[-1] == ("六、其他", "附记")
    assert len(texts) == 6


def test_facts_refresh_after_an_article_is_added(qtbot, tab, session):
    assert "尚未采纳" in tab.facts_view.toPlainText()
    library = ReferenceLibrary()
    text = library.get("haikou").statute.article(8).paragraphs[1].text
    general = session.draft.chapters[0].uid
    with qtbot.waitSignal(tab.facts_refreshed, timeout=5000):
        session.apply(adopt, Clause("haikou", "海口市", 8, 2, text), "article", chapter_uid=general)
    facts = tab.facts_view.toPlainText()
    assert "《条例（草案）》共二章一条，主要内容如下：" in facts  # as the export writes it
    assert "海口市《海口市智慧城市促进条例》：照搬一条（地方性法规；第一条）" in facts
    assert "学习借鉴了海口市地方性法规的有益经验" in facts
    with qtbot.waitSignal(tab.facts_refreshed, timeout=5000):
        session.apply(operations.insert_article, general, "本市建立首席数据官制度。")
    facts = tab.facts_view.toPlainText()
    assert "共二章二条，主要内容如下" in facts and "第二条，共一条" in facts
    assert "……" not in facts


def test_renaming_and_moving_sections_are_undoable(qtbot, tab, session):
    tab.title_edits[0].setFocus()
    tab.title_edits[0].selectAll()
    type_into(tab.title_edits[0], "立法背景")
    assert session.draft.explanation[0].title == "立法背景"
    assert session.draft.explanation[0].kind == "necessity"  # still the 必要性 section
    tab.move_section(0, 1)
    assert [s.title for s in session.draft.explanation][:2] == ["起草过程", "立法背景"]
    assert [t for t, _ in tab.section_texts()][:2] == ["起草过程", "立法背景"]
    session.undo_stack.undo()
    assert [t for t, _ in tab.section_texts()][:2] == ["立法背景", "起草过程"]
    session.undo_stack.undo()
    assert tab.title_edits[0].text() == "制定的必要性"
    tab.add_section()
    assert tab.section_texts()[-1] == ("其他", "")
    tab.remove_section(len(tab.editors) - 1)
    assert len(tab.editors) == 5


def test_basis_is_edited_in_the_tab_as_one_undo_step(qtbot, tab, session):
    assert tab.basis_editor is not None
    type_into(tab.basis_editor, "《中华人民共和国数据安全法》")
    assert session.draft.basis == ["《中华人民共和国数据安全法》"]
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    assert session.draft.basis == [] and tab.basis_editor.toPlainText() == ""
    session.undo_stack.redo()
    assert tab.basis_editor.toPlainText() == "《中华人民共和国数据安全法》"


def test_facts_are_counted_again_when_the_page_is_shown_not_behind_it(qtbot, tab, session):
    # Counted behind the 起草 page after every pause in the typing, they stalled a
    # 250-article draft's window 35-90 ms.
    tab.hide()
    refreshed: list[bool] = []
    tab.facts_refreshed.connect(lambda: refreshed.append(True))
    general = session.draft.chapters[0].uid
    session.apply(operations.insert_article, general, "本市建立首席数据官制度。")
    qtbot.wait(FACTS_DEBOUNCE_MS + 200)
    assert refreshed == []
    tab.show()
    assert refreshed == [True]
    assert "共二章一条" in tab.facts_view.toPlainText()
