"""Export on the real window: the warning before writing a draft that still has errors or
unconfirmed sources, and the done box's 打开文件 / 打开所在文件夹."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from drafter.draft import operations
from drafter.draft.source_links import SUGGESTED, SourceLink
from drafter.gui import transfer_flows
from drafter.gui.export_dialog import ExportChoice, ExportDialog, ExportDoneBox
from drafter.gui.transfer_flows import EXPORT_ANYWAY, GO_BACK
from tests import gui_window_support as support
from tests.gui_window_support import click, on_modal, open_draft, sample_draft

window = support.window  # the fixture

UNFILLED = "本条例自×年×月×日起施行。"
FILLED = "本条例自2025年1月1日起施行。"


def draft_ending_with(text: str):
    draft = sample_draft()
    operations.insert_article(draft, draft.chapters[-1].uid, text)
    draft.modified = False
    return draft


class Asked:
    """Stands in for prompts.ask: records each question and gives a fixed answer."""

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.questions: list[dict] = []

    def __call__(self, parent, title, text, choices, **options) -> str:
        self.questions.append({"title": title, "text": text, "choices": choices, **options})
        return self.answer


@pytest.fixture
def out(tmp_path) -> Path:
    """The export folder (tmp_path also holds the test's settings and user data)."""
    folder = tmp_path / "导出"
    folder.mkdir()
    return folder


def choice_in(folder: Path) -> ExportChoice:
    return ExportChoice(folder / "草案.docx", None, None, all_in_one=False, comments=False)


def test_unfilled_commencement_warns_and_go_back_writes_nothing(window, out, monkeypatch):
    asked = Asked(GO_BACK)
    monkeypatch.setattr(transfer_flows, "ask", asked)
    opened: list[str] = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: opened.append("exportDialog") or 0)
    open_draft(window, draft_ending_with(UNFILLED))
    window.checks_dock.hide()

    window.actions.export.trigger()  # the interactive way: no export dialog after 返回修改
    assert window.files.export_documents(choice_in(out)) is None  # nor with a choice made

    assert len(asked.questions) == 2 and opened == []
    question = asked.questions[0]
    assert question["choices"] == [EXPORT_ANYWAY, GO_BACK] and question["default"] == GO_BACK
    assert question["object_name"] == "exportWarningDialog"
    assert "尚未填写的日期等占位符 1 处（第五条第一款）" in question["informative"]
    assert list(out.iterdir()) == [] and window.files.transfer.last_export is None
    assert window.checks_dock.isVisible()  # back where the problems are listed


def test_export_anyway_writes_the_draft(window, qtbot, out):
    open_draft(window, draft_ending_with(UNFILLED))
    seen = click(EXPORT_ANYWAY, "exportWarningDialog")  # the real box, its real buttons
    window.files.export_documents(choice_in(out))
    assert seen and "还有以下问题" in seen[0]
    qtbot.waitUntil(lambda: window.files.transfer.last_export is not None, timeout=30000)
    assert (out / "草案.docx").is_file()


def test_a_ready_draft_is_exported_without_a_question(window, qtbot, out, monkeypatch):
    asked = Asked(GO_BACK)
    monkeypatch.setattr(transfer_flows, "ask", asked)
    open_draft(window, draft_ending_with(FILLED))
    window.files.export_documents(choice_in(out))
    qtbot.waitUntil(lambda: window.files.transfer.last_export is not None, timeout=30000)
    assert asked.questions == []
    assert (out / "草案.docx").is_file()


def test_unconfirmed_sources_are_named_and_go_back_shows_them(window, out, monkeypatch):
    asked = Asked(GO_BACK)
    monkeypatch.setattr(transfer_flows, "ask", asked)
    draft = draft_ending_with(FILLED)
    article = draft.article_by_number(2)
    draft.provenance[article.uid] = [
        SourceLink("yingtan", 2, 0, article.text(), state=SUGGESTED),
        SourceLink("haikou", 3, 0, article.text(), state=SUGGESTED),
    ]
    open_draft(window, draft)
    window.provenance_dock.hide()
    assert window.files.export_documents(choice_in(out)) is None
    assert "尚待确认的来源 2 个（第二条等）" in asked.questions[0]["informative"]
    assert window.provenance_dock.isVisible()
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(("button", "target"), [("打开文件", "file"), ("打开所在文件夹", "folder")])
def test_done_box_opens_the_file_or_its_folder(window, qtbot, out, monkeypatch, button, target):
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    open_draft(window, draft_ending_with(FILLED))
    window.files.export_documents(choice_in(out))
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "exportDoneDialog") is not None, timeout=30000
    )
    box = window.findChild(QMessageBox, "exportDoneDialog")
    assert sorted(b.text() for b in box.buttons()) == sorted(["打开文件", "打开所在文件夹", "关闭"])
    next(b for b in box.buttons() if b.text() == button).click()
    written = out / "草案.docx"
    expected = written if target == "file" else out
    assert [u.toLocalFile() for u in urls] == [str(expected)]
    assert not box.isVisible()


def test_a_file_the_system_cannot_open_is_explained(window, out, monkeypatch):
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    box = ExportDoneBox([out / "草案.docx"], [], window)
    seen: list[str] = []

    def close(error_box):
        seen.append(error_box.text())
        error_box.accept()

    on_modal(close, "errorDialog")
    box.open_file.click()
    assert seen and "草案.docx" in seen[0]


@pytest.mark.parametrize(
    ("answer", "marked"),
    [(transfer_flows.EXPORT_MARKED, True), (transfer_flows.EXPORT_CONFIRMED, False)],
)
def test_the_warning_asks_how_unconfirmed_sources_are_shown(
    window, qtbot, out, monkeypatch, answer, marked
):
    import docx

    asked = Asked(answer)
    monkeypatch.setattr(transfer_flows, "ask", asked)
    draft = draft_ending_with(FILLED)
    article = draft.article_by_number(2)
    draft.provenance[article.uid] = [
        SourceLink("haikou", 2, 0, article.text(), similarity=90, label="照搬", state=SUGGESTED)
    ]
    open_draft(window, draft)
    choice = ExportChoice(out / "草案.docx", out / "说明.docx", out / "表.docx", False, False)
    window.files.export_documents(choice)
    assert asked.questions[0]["choices"] == [
        transfer_flows.EXPORT_MARKED,
        transfer_flows.EXPORT_CONFIRMED,
        GO_BACK,
    ]
    assert "不会写成“新增”" in asked.questions[0]["informative"]
    qtbot.waitUntil(lambda: window.files.transfer.last_export is not None, timeout=30000)
    explanation = "\n".join(p.text for p in docx.Document(str(out / "说明.docx")).paragraphs)
    (table,) = docx.Document(str(out / "表.docx")).tables
    cells = "\n".join(c.text for row in table.rows for c in row.cells)
    assert ("来源待确认" in explanation) is marked and ("来源待确认" in cells) is marked
    row = next(r for r in table.rows if r.cells[0].text.startswith("第二条"))
    assert "新增" not in [c.text for c in row.cells] and "海口" in "".join(
        c.text for c in row.cells
    )
    assert "第二条" not in next(t for t in explanation.splitlines() if "新设的规定" in t)
    assert ("学习借鉴了海口市地方性法规" in explanation) is not marked
    assert session_is_unchanged(window)


def session_is_unchanged(window) -> bool:
    """Exporting never confirms anything in the draft itself."""
    draft = window.session.draft
    return all(link.state == SUGGESTED for links in draft.provenance.values() for link in links)
