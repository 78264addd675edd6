"""Render the main views to PNGs for the README: `python -m drafter.gui.screenshots OUTDIR`.

Runs offscreen (QT_QPA_PLATFORM=offscreen is set if no platform is chosen) on a sample
draft built through the core from real clauses of the bundled references. The text is
Chinese, so a CJK font must be installed or every character renders as a box: on
Debian/Ubuntu `apt-get install fonts-noto-cjk` (Noto Sans CJK SC); Windows has 微软雅黑.
User data (the suggestion index) goes to a temporary directory unless DRAFTER_DATA_DIR
is set.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from drafter.draft import operations
from drafter.draft.adoption import Clause, adopt
from drafter.draft.document import Draft
from drafter.library import ReferenceLibrary

if TYPE_CHECKING:
    from drafter.gui.session import DraftSession

EXPLANATION = [
    ("必要性", "我市智慧城市建设已进入全面提升阶段，需要以地方性法规固化改革成果。"),
    ("起草过程", "起草组赴先行城市调研，梳理了五部同类法规，形成本草案。"),
]


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Run the event loop until `condition` holds (or the timeout passes)."""
    app = QApplication.instance()
    assert app is not None  # render_all creates the application first
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.02)
    return False


def settle(seconds: float = 0.3) -> None:
    wait_until(lambda: False, seconds)


@dataclass
class SampleDraft:
    """The sample draft's session and the articles the shots show."""

    session: DraftSession
    sample_uid: str  # a 款 adopted as it is
    modified_uid: str  # an adopted article, then edited
    flagged_uid: str  # an article with another city's names (localisation hints)


def sample_session(library: ReferenceLibrary) -> SampleDraft:
    """A draft of four chapters built from real reference clauses, through the session."""
    from drafter.gui.session import DraftSession

    draft = Draft.with_chapters(
        "某市智慧城市促进条例", "某市", ["总则", "信息基础设施", "数据资源", "附则"]
    )
    session = DraftSession(draft)
    general, infra, data, closing = (c.uid for c in draft.chapters)
    first = session.apply(
        operations.insert_article,
        general,
        "为了推进智慧城市建设，提升城市治理能力和公共服务水平，"
        "根据有关法律、行政法规，结合本市实际，制定本条例。",
    ).inserted[0]
    session.apply(operations.set_caption, first, "立法目的")

    def clause(ref: str, number: int, paragraph: int = 0) -> Clause:
        reference = library.get(ref)
        article = reference.statute.article(number)
        assert article is not None  # the bundled references have the articles asked for
        text = article.text() if paragraph == 0 else article.paragraphs[paragraph - 1].text
        return Clause(ref, reference.city, number, paragraph, text)

    session.apply(adopt, clause("chengdu", 7), "article", chapter_uid=infra)
    shared = session.apply(adopt, clause("haikou", 8, 2), "article", chapter_uid=infra)
    sample_uid = shared.inserted[0]
    modified = session.apply(adopt, clause("jining", 19), "article", chapter_uid=infra)
    uid = modified.inserted[0]
    text = session.draft.article(uid).paragraphs[0].text
    session.apply(
        operations.edit_paragraph,
        uid,
        0,
        text.replace("公共建筑、", "") + "具体办法由市人民政府制定。",
    )
    flagged = session.apply(
        operations.insert_article,
        data,
        "成都市人民政府应当建立公共数据共享协调机制，推进智慧蓉城数据资源目录建设，"
        "加强与天府新区的数据协作。",
    ).inserted[0]
    session.apply(operations.insert_article, closing, "本条例自XXXX年X月X日起施行。")
    session.apply(operations.set_explanation, EXPLANATION)
    return SampleDraft(session, sample_uid, uid, flagged)


def revised_sample(draft: Draft) -> Draft:
    """The sample draft marked 征求意见稿, then revised: an article added, one reworded, one
    deleted, a chapter renamed (for the 修改对照 window)."""
    import copy

    from drafter.draft.versions import mark_version

    revised = copy.deepcopy(draft)
    mark_version(revised, "征求意见稿", "2026-11-02")
    general, infra, _, _ = revised.chapters
    operations.insert_article(
        revised, general.uid, "智慧城市建设应当坚持以人民为中心，统筹发展和安全。", index=1
    )
    second = infra.articles[1]
    text = second.paragraphs[0].text
    operations.edit_paragraph(revised, second.uid, 0, text.replace("应当", "应当依法", 1))
    operations.delete_article(revised, infra.articles[0].uid)
    operations.rename_chapter(revised, infra.uid, "新型基础设施")
    return revised


def save(widget: QWidget, path: Path) -> None:
    """Grab the widget and write a compact PNG."""
    settle()
    image = widget.grab().toImage()
    # 256 colours keep anti-aliased text sharp and the files a third of the size.
    image = image.convertToFormat(
        QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
    )
    # PySide6 takes the format as a str; its stubs say bytes, which it rejects.
    image.save(str(path), "PNG", 0)  # type: ignore[call-overload]
    print(f"{path}  {path.stat().st_size // 1024} KB")


def render_all(outdir: Path) -> list[Path]:
    """Write every screenshot into `outdir`; returns the files written."""
    from drafter.gui.app import create_application
    from drafter.gui.checks_panel import ChecksPanel
    from drafter.gui.comparison_view import ComparisonView
    from drafter.gui.explanation_tab import ExplanationTab
    from drafter.gui.provenance_panel import ProvenancePanel
    from drafter.gui.reference_browser import ReferenceBrowser
    from drafter.gui.revision_view import RevisionView
    from drafter.gui.suggestion_panel import SuggestionPanel

    create_application()
    outdir.mkdir(parents=True, exist_ok=True)
    library = ReferenceLibrary()
    sample = sample_session(library)
    session = sample.session
    written: list[Path] = []

    def shot(widget: QWidget, name: str, width: int, height: int) -> None:
        widget.resize(width, height)
        widget.show()
        save(widget, outdir / name)
        written.append(outdir / name)

    try:
        written += render_main_window(library, sample, outdir)
    except Exception as error:  # the window is optional here: the panels are shot anyway
        print(f"main window not rendered: {type(error).__name__}: {error}")

    suggestions = SuggestionPanel(lambda: library)
    wait_until(lambda: suggestions.engine_ready)
    suggestions.set_context(session, sample.modified_uid, 0)
    suggestions.refresh_now()
    wait_until(lambda: bool(suggestions.suggestions))
    shot(suggestions, "suggestions.png", 460, 820)

    browser = ReferenceBrowser(library)
    browser.set_references(library.references())
    browser.show_article("haikou", 8)
    shot(browser, "reference_browser.png", 1100, 650)

    # The 对照 window as it opens on a small 1280×800 screen (it takes the whole screen).
    comparison = ComparisonView(lambda: library)
    comparison.set_references(library.references())
    comparison.show_counterparts("haikou", 8)
    wait_until(lambda: bool(comparison.columns))
    shot(comparison, "comparison.png", 1280, 800)

    explanation = ExplanationTab(lambda: library)
    explanation.set_session(session)
    shot(explanation, "explanation.png", 1100, 720)

    checks = ChecksPanel()
    checks.set_session(session)
    wait_until(lambda: bool(checks.results))
    shot(checks, "checks.png", 900, 300)

    provenance = ProvenancePanel(lambda: library)
    provenance.set_session(session)
    provenance.show_article(sample.modified_uid)
    shot(provenance, "provenance.png", 900, 520)
    provenance.show_article(sample.flagged_uid)
    shot(provenance, "provenance_localisation.png", 900, 420)

    # The 修改对照 window: the sample as 征求意见稿 beside its revision.
    revised = revised_sample(session.draft)
    revision = RevisionView(lambda: revised)
    revision.compare("征求意见稿", None)
    shot(revision, "revision.png", 1280, 800)
    suggestions.shutdown()
    return written


# The two screens the window is checked at: a small office laptop and a common desktop.
WINDOW_SIZES = [(1280, 800), (1366, 768), (1920, 1080)]  # 1366×768: many office PCs


def render_main_window(library: ReferenceLibrary, sample: SampleDraft, outdir: Path) -> list[Path]:
    """Every view of the window with the sample draft open, at each of `WINDOW_SIZES`.

    `window-WxH-起草|参考法规|起草说明|对照.png`; main_window.png and
    main_window_references.png (the README's) are the 1280×800 起草 and 参考法规 views.
    """
    import shutil

    from drafter.gui.main_window import MainWindow

    session = sample.session
    window = MainWindow(library)
    # Offscreen's screen is 800×800, where the window would start maximised: the shots
    # are of the sizes below, whatever that screen is.
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.set_session(session)
    window.show()
    wait_until(lambda: bool(window.references))  # the full tree, not the titles alone
    panel = window.panels.suggestions
    comparison = window.reference_browser.comparison_view
    written: list[Path] = []
    explanation = window.tabs.widget(window.tabs.count() - 1)
    assert explanation is not None  # the last tab, 起草说明
    for width, height in WINDOW_SIZES:
        window.resize(width, height)
        size = f"{width}x{height}"
        window.tabs.setCurrentWidget(window.draft_stack)
        window.jump_to(sample.modified_uid, 0)
        if panel is not None:
            wait_until(lambda: panel.engine_ready)
            panel.set_context(session, sample.modified_uid, 0)
            panel.refresh_now()
            wait_until(lambda: bool(panel.suggestions), 20)
        settle(1.0)
        for tab, name in [
            (window.draft_stack, "起草"),
            (window.reference_browser, "参考法规"),
            (explanation, "起草说明"),
        ]:
            window.tabs.setCurrentWidget(tab)
            if tab is window.reference_browser:
                window.reference_browser.show_article("haikou", 8)
            path = outdir / f"window-{size}-{name}.png"
            save(window, path)
            written.append(path)
        # The 对照 window opens full screen from the reference browser.
        comparison.resize(width, height)
        window.reference_browser.open_comparison()
        comparison.resize(width, height)
        wait_until(lambda: bool(comparison.columns))
        path = outdir / f"window-{size}-对照.png"
        save(comparison, path)
        written.append(path)
        comparison.hide()
    for name, source in [("main_window.png", "起草"), ("main_window_references.png", "参考法规")]:
        shutil.copyfile(outdir / f"window-1280x800-{source}.png", outdir / name)
        written.append(outdir / name)
    window.set_session(None)  # the session lives on in the panel shots below
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("用法：python -m drafter.gui.screenshots 输出目录", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if "DRAFTER_DATA_DIR" not in os.environ:
        scratch = tempfile.mkdtemp(prefix="drafter-shots-")
        os.environ["DRAFTER_DATA_DIR"] = scratch
        os.environ.setdefault("XDG_CONFIG_HOME", scratch)  # window layout settings
    render_all(Path(args[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
