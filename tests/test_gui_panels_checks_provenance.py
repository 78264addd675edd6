"""The checks and provenance panels on real widgets (offscreen) through a real DraftSession."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from drafter.draft import operations
from drafter.draft.adoption import Clause, adopt
from drafter.draft.document import Draft
from drafter.draft.source_links import SourceLink
from drafter.gui.checks_panel import ChecksPanel
from drafter.gui.provenance_panel import ProvenancePanel
from drafter.gui.session import DraftSession
from drafter.library import ReferenceLibrary
from tests.gui_window_support import click_link


@pytest.fixture
def session(qtbot):
    session = DraftSession(Draft(title="某市智慧城市促进条例", city="某市"))
    session.chapter = session.apply(operations.add_chapter, "总则").inserted[0]
    yield session
    session.close()


@pytest.fixture
def library():
    return ReferenceLibrary()


def add_article(session, text: str) -> str:
    return session.apply(operations.insert_article, session.chapter, text).inserted[0]


# -- checks ------------------------------------------------------------------------------


def test_checks_list_findings_with_place_and_jump_on_click(qtbot, session):
    add_article(session, "为了促进智慧城市建设,制定本条例。")
    second = add_article(session, "第一款内容。\n违反本条例第九条规定的，由有关部门责令改正。")
    panel = ChecksPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        panel.set_session(session)
    rows = [panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount())]
    texts = [(r.text(0), r.text(1), r.text(2)) for r in rows]
    assert ("错误", "第一章 第二条 第二款", "“第九条”在本草案中没有对应的条文") in texts
    assert any(t[0] == "警告" and "半角标点" in t[2] for t in texts)
    assert "个错误" in panel.summary_label.text()
    target = next(r for r in rows if "第九条" in r.text(2))
    with qtbot.waitSignal(panel.jump_requested) as blocker:
        panel.tree.itemClicked.emit(target, 2)
    assert blocker.args == [second, 1]


def test_checks_refresh_after_an_edit_and_ignore_stale_runs(qtbot, session):
    uid = add_article(session, "违反本条例第九条规定的，责令改正。")
    panel = ChecksPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        panel.set_session(session)
    assert any("第九条" in r.message for r, _ in panel.results)
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        session.apply(operations.edit_paragraph, uid, 0, "违反本条例规定的，责令改正。")
    assert not any("第九条" in r.message for r, _ in panel.results)
    # Two runs in a row: only the second one's results are shown.
    panel.refresh_now()
    session.draft.article(uid).paragraphs[0].text = "违反本条例规定的,责令改正。"
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        panel.refresh_now()
    assert any("半角" in r.message for r, _ in panel.results)


# -- provenance --------------------------------------------------------------------------


def haikou_clause(library) -> Clause:
    article = library.get("haikou").statute.article(8)
    return Clause("haikou", "海口市", 8, 2, article.paragraphs[1].text)


def test_badge_and_diff_follow_the_drafters_edits(qtbot, session, library):
    panel = ProvenancePanel(lambda: library)
    qtbot.addWidget(panel)
    panel.set_session(session)
    uid = session.apply(adopt, haikou_clause(library), "article", chapter_uid=session.chapter)
    uid = uid.inserted[0]
    panel.show_article(uid)
    assert panel.badge == "照搬"
    text = panel.view.toPlainText()
    assert "海口市《海口市智慧城市促进条例》第八条第二款" in text and "照搬" in text
    assert "#f8d7da" not in panel.view.toHtml().split("图例")[0]  # nothing deleted yet
    session.apply(operations.edit_paragraph, uid, 0, "公共机构、公共场所应当开放用于基站建设。")
    assert panel.badge in ("修改", "参考")
    html = panel.view.toHtml()
    assert "line-through" in html and "#d1e7dd" in html
    session.undo_stack.undo()
    assert panel.badge == "照搬"
    other = add_article(session, "本市建立数据共享制度。")
    panel.show_article(other)
    assert panel.badge == "新增"


def test_localisation_flag_is_highlighted_and_fixed_in_one_click(qtbot, session, library):
    panel = ProvenancePanel(lambda: library)
    qtbot.addWidget(panel)
    panel.set_session(session)
    uid = add_article(session, "成都市人民政府应当推进智慧蓉城建设，加强天府新区数据协作。")
    panel.show_article(uid)
    text = panel.view.toPlainText()
    assert "其他城市名称“成都市”" in text and "特定称谓“智慧蓉城”" in text
    assert "#fff3a3" in panel.view.toHtml()
    links = [f for f in panel._fixes]
    assert [(f[2].term, f[3]) for f in links] == [("成都市", "市"), ("智慧蓉城", "智慧城市")]
    panel.activate_link("fix:0")
    article = session.draft.article(uid)
    assert article.paragraphs[0].text.startswith("市人民政府应当推进智慧蓉城建设")
    panel.activate_link("fix:0")  # the panel re-rendered: the label is now the first fix
    assert article.paragraphs[0].text.startswith("市人民政府应当推进智慧城市建设")
    assert "天府新区" in article.paragraphs[0].text  # text around the fixes is untouched
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.draft.article(uid).paragraphs[0].text.startswith("成都市人民政府")


def test_discovery_proposes_sources_to_confirm_or_reject(qtbot, session, library):
    copied = add_article(session, library.get("jining").statute.article(19).text())
    rewritten = add_article(session, library.get("haikou").statute.article(8).text())
    add_article(session, "本条例自公布之日起施行。")
    panel = ProvenancePanel(lambda: library)
    qtbot.addWidget(panel)
    panel.set_session(session)
    panel.show_article(copied)
    assert panel.badge == "新增"
    with qtbot.waitSignal(panel.discovery_finished, timeout=30000) as blocker:
        panel.discover()
    assert blocker.args[0] >= 2
    text = panel.view.toPlainText()
    assert "可能的来源（待确认）" in text and "济宁市" in text and "第十九条" in text
    # A word-for-word copy awaiting confirmation is not called new: the badge says 待确认,
    # and the proposals open the panel (below "没有记录来源" they were out of sight).
    assert panel.badge == "待确认"
    assert text.startswith("可能的来源（待确认）") and "没有记录来源" not in text
    panel.activate_link("confirm:jining:19")
    assert panel.badge == "照搬"
    assert "可能的来源" not in panel.view.toPlainText().split("第十九条")[0]
    panel.show_article(rewritten)
    suggested = [x for x in session.draft.provenance[rewritten] if x.state == "suggested"]
    assert ("haikou", 8) in [(x.ref, x.article) for x in suggested]
    panel.activate_link("reject:haikou:8")
    states = {(x.ref, x.article): x.state for x in session.draft.provenance[rewritten]}
    assert states[("haikou", 8)] == "rejected"
    assert "reject:haikou:8" not in panel.view.toHtml()
    session.undo_stack.undo()  # the rejection
    assert any(
        x.state == "suggested" and x.ref == "haikou" for x in session.draft.provenance[rewritten]
    )


def test_the_other_proposals_are_rejected_at_once_after_the_source_is_confirmed(
    qtbot, session, library
):
    # An imported draft has two or three proposals on most articles; after confirming the
    # one it came from, the drafter rejected the look-alikes one by one.
    uid = add_article(session, library.get("jining").statute.article(1).text())
    panel = ProvenancePanel(lambda: library)
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    panel.set_session(session)
    panel.show_article(uid)
    with qtbot.waitSignal(panel.discovery_finished, timeout=30000):
        panel.discover()
    pending = [x for x in session.draft.provenance[uid] if x.state == "suggested"]
    assert len(pending) >= 3 and ("jining", 1) in [(x.ref, x.article) for x in pending]
    assert "全部否定" in panel.view.toPlainText()
    click_link(qtbot, panel.view, "confirm:jining:1")
    text = panel.view.toPlainText()
    assert "其余可能的来源（待确认）" in text and "全部否定" in text, text
    # Right under the confirmed source, before the localisation hints.
    assert text.index("其余可能的来源") < text.index("本地化"), text
    click_link(qtbot, panel.view, "reject-all:")
    states = {(x.ref, x.article): x.state for x in session.draft.provenance[uid]}
    assert states.pop(("jining", 1)) == "confirmed"
    assert set(states.values()) == {"rejected"}
    assert "待确认" not in panel.view.toPlainText()
    session.undo_stack.undo()  # one step brings them all back
    assert sum(x.state == "suggested" for x in session.draft.provenance[uid]) == len(pending) - 1


def test_the_differences_are_drawn_again_once_the_typing_pauses(qtbot, session, library):
    # Drawn at every keystroke, they were half of a keystroke's time in a 250-article draft.
    from drafter.gui.provenance_panel import RENDER_AFTER_TYPING_MS

    source = library.get("jining").statute.article(19).text()
    uid = add_article(session, source)
    session.draft.provenance[uid] = [SourceLink("jining", 19, 0, source, similarity=100.0)]
    panel = ProvenancePanel(lambda: library)
    qtbot.addWidget(panel)
    panel.set_session(session)
    panel.show_article(uid)
    assert "来源与修改对比" in panel.view.toPlainText() and "草案增加" in panel.view.toPlainText()
    drawn = panel.view.toHtml()
    session.apply(
        operations.edit_paragraph, uid, 0, source + "新增的话", merge_key=("text", uid, 0)
    )
    assert panel.view.toHtml() == drawn  # typing: not yet
    qtbot.wait(RENDER_AFTER_TYPING_MS + 200)
    assert "新增的话" in panel.view.toPlainText()
    session.apply(operations.edit_paragraph, uid, 0, source + "又改")  # not typing: at once
    assert "又改" in panel.view.toPlainText()
