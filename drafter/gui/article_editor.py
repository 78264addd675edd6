"""The centre of the window: the article (caption, 款, 项) or chapter title being edited.

Every keystroke becomes one `edit_paragraph` / `set_caption` / `rename_chapter` through the
session with a merge key, so typing in one place is one undo step. The editor does not
reload what it just typed (no cursor jumps); it reloads when anything else changed its
article — a split or merge, undo, redo, an adopted suggestion, renumbering.

The 款 boxes are kept and updated in place: a structural change adds or removes only the
boxes that differ, and a new box is shown at once, so keyboard focus can be given to it
in the same event-loop pass. (Rebuilding every box and focusing one not yet shown left
`focusWidget()` empty, and what the drafter typed next went nowhere.) Where the caret
goes after a change is decided by `drafter.draft.caret` and applied by `place_caret`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from drafter.draft import operations
from drafter.draft.captions import suggest_caption
from drafter.draft.caret import CaretPlace
from drafter.draft.changes import Change
from drafter.draft.damage import current_damage
from drafter.draft.find_replace import CAPTION, TITLE
from drafter.errors import DrafterError
from drafter.gui.dialogs import show_error
from drafter.gui.paragraph_edit import ParagraphEdit, item_offset
from drafter.gui.session import DraftSession, follow_changes
from drafter.statute.model import Article, Paragraph

if TYPE_CHECKING:
    from drafter.library import ReferenceLibrary

_EMPTY, _CHAPTER, _ARTICLE = 0, 1, 2
CAPTION_PLACEHOLDER = "条旨（可不填），如：立法目的"


class ArticleEditor(QWidget):
    """Edits one article or one chapter title of the session's draft."""

    # (article uid, 0-based 款 index) whenever the cursor moves or the text changes
    context_changed = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleEditor")
        self.session: DraftSession | None = None
        self.article_uid = ""
        self.chapter_uid = ""
        self.current_paragraph = 0
        self.paragraph_edits: list[ParagraphEdit] = []
        self._typing = False  # a keystroke of this editor is being applied
        # The references by id (the library, or a dict of loaded ones), for the caption of an
        # adopted article's source; set by the window once the library is loaded (until then
        # suggestions come from the text).
        self.caption_references: ReferenceLibrary | dict = {}
        self.caption_suggestion = ""

        self.heading = QLabel()
        self.heading.setObjectName("editorHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)

        self.pages = QStackedWidget()
        hint = QLabel("在左侧目录中选择一章或一条，或用“插入”菜单添加章、条。")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        self.pages.addWidget(hint)

        chapter_page = QWidget()
        chapter_form = QFormLayout(chapter_page)
        self.chapter_title_edit = QLineEdit()
        self.chapter_title_edit.setObjectName("chapterTitleEdit")
        self.chapter_title_edit.textEdited.connect(self._chapter_title_edited)
        chapter_form.addRow("章名：", self.chapter_title_edit)
        self.pages.addWidget(chapter_page)

        article_page = QWidget()
        article_layout = QVBoxLayout(article_page)
        caption_form = QFormLayout()
        self.caption_edit = QLineEdit()
        self.caption_edit.setObjectName("captionEdit")
        self.caption_edit.setPlaceholderText(CAPTION_PLACEHOLDER)
        self.caption_edit.textEdited.connect(self._caption_edited)
        # Tab in an empty caption takes the suggestion (as completion does in an editor).
        self.caption_edit.installEventFilter(self)
        self.adopt_caption_button = QPushButton("采用")
        self.adopt_caption_button.setObjectName("adoptCaptionButton")
        self.adopt_caption_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.adopt_caption_button.clicked.connect(self.accept_caption_suggestion)
        self.adopt_caption_button.hide()
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.caption_edit, 1)
        caption_row.addWidget(self.adopt_caption_button)
        caption_form.addRow("条旨：", caption_row)
        article_layout.addLayout(caption_form)
        self.paragraph_box = QWidget()
        self.paragraph_layout = QVBoxLayout(self.paragraph_box)
        self.paragraph_layout.setContentsMargins(0, 0, 0, 0)
        self.paragraph_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.paragraph_box)
        article_layout.addWidget(self.scroll_area, 1)
        tip = QLabel("回车：拆分本款或另起一款；Shift+回车：添加项；在款首按退格：与上一款合并")
        tip.setObjectName("editorTip")
        tip.setStyleSheet("color: gray")
        article_layout.addWidget(tip)
        self.pages.addWidget(article_page)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.pages, 1)

    # -- what is shown ----------------------------------------------------------------

    def set_session(self, session: DraftSession | None) -> None:
        follow_changes(self.session, session, self.apply_change)
        self.session = session
        self.show_nothing()

    def show_nothing(self) -> None:
        self.article_uid = self.chapter_uid = ""
        self.heading.setText("")
        self.pages.setCurrentIndex(_EMPTY)

    def show_node(self, kind: str, uid: str) -> None:
        """Show a chapter or article (from the outline's selection); same node: no reload."""
        if kind == "article":
            self.show_article(uid)
        elif kind == "chapter":
            self.show_chapter(uid)
        else:
            self.show_nothing()

    def show_chapter(self, uid: str) -> None:
        if self.session is None or (uid == self.chapter_uid and not self.article_uid):
            return
        self.article_uid, self.chapter_uid = "", uid
        self._load_chapter()
        self.pages.setCurrentIndex(_CHAPTER)

    def show_article(self, uid: str) -> None:
        if self.session is None or uid == self.article_uid:
            return
        self.article_uid = uid
        self.chapter_uid = self.session.draft.chapter_of(uid).uid
        self.current_paragraph = 0
        for edit in self.paragraph_edits:
            edit.clear_highlight()
        self._load_article(fresh=True)
        self.pages.setCurrentIndex(_ARTICLE)
        self.context_changed.emit(uid, 0)

    def article(self) -> Article | None:
        if self.session is None or not self.article_uid:
            return None
        try:
            return self.session.draft.article(self.article_uid)
        except KeyError:
            return None

    def _load_chapter(self) -> None:
        # A chapter is shown only while a session is open (set_session shows nothing).
        assert self.session is not None
        chapter = self.session.draft.chapter(self.chapter_uid)
        chapterless = self.session.draft.chapterless
        self.heading.setText("不分章" if chapterless else chapter.label)
        if self.chapter_title_edit.text() != chapter.title:
            self.chapter_title_edit.setText(chapter.title)

    def _load_article(self, fresh: bool = False) -> None:
        """Show the article's text; `fresh`: another article, so carets start at 0."""
        article = self.article()
        if article is None:
            self.show_nothing()
            return
        self.heading.setText(article.label)
        if self.caption_edit.text() != article.caption:
            self.caption_edit.setText(article.caption)
        self._refresh_caption_suggestion()
        # An article without 款 still shows one empty box to type into.
        self._sync_boxes(max(1, len(article.paragraphs)))
        for index, edit in enumerate(self.paragraph_edits):
            paragraphs = article.paragraphs
            edit.load(paragraphs[index] if index < len(paragraphs) else Paragraph(""), fresh)
        self._mark_damage(article)

    def _mark_damage(self, article: Article) -> None:
        """Damaged text carried over from a reference, in red in its 款 box."""
        spans: dict[int, list[tuple[int, int]]] = {}
        for span in current_damage(article):
            if span.paragraph >= 1 and span.paragraph <= len(article.paragraphs):
                paragraph = article.paragraphs[span.paragraph - 1]
                offset = item_offset(paragraph, span.item - 1)
                spans.setdefault(span.paragraph - 1, []).append(
                    (offset + span.start, span.end - span.start)
                )
        for index, edit in enumerate(self.paragraph_edits):
            if spans.get(index) or edit.damage_marks:
                edit.mark_damage(spans.get(index, []))

    def _sync_boxes(self, count: int) -> None:
        """Have exactly `count` 款 boxes, adding or removing only the difference at the end."""
        while len(self.paragraph_edits) > count:
            edit = self.paragraph_edits.pop()
            # Hidden before it goes, so Qt moves focus off it now rather than losing it later.
            edit.hide()
            self.paragraph_layout.removeWidget(edit)
            edit.deleteLater()
        while len(self.paragraph_edits) < count:
            index = len(self.paragraph_edits)
            edit = ParagraphEdit(index)
            edit.setPlaceholderText(f"第{index + 1}款")
            edit.edited.connect(self._paragraph_edited)
            edit.split_requested.connect(self._split)
            edit.merge_requested.connect(self._merge)
            edit.focused.connect(self._paragraph_focused)
            edit.cursorPositionChanged.connect(lambda e=edit: self._cursor_moved(e))
            self.paragraph_layout.insertWidget(index, edit)
            # Boxes are made after the rest of the window, so Qt's creation-order tab chain
            # would lead Shift+Tab from the first 款 away from the 条旨 field above it.
            previous = self.paragraph_edits[-1] if self.paragraph_edits else self.caption_edit
            QWidget.setTabOrder(previous, edit)
            # A widget added to a visible layout is shown only on the next event-loop pass;
            # focus given before then is lost. Show it now.
            edit.show()
            self.paragraph_edits.append(edit)

    # -- changes from elsewhere -------------------------------------------------------

    def apply_change(self, change: Change) -> None:
        """Reload what `change` touched of the shown node, unless it is this editor's typing."""
        if self._typing:
            return
        if self.article_uid:
            if self.article_uid in change.removed:
                self.show_nothing()
            elif (
                self.article_uid in change.modified
                or self.article_uid in change.renumbered
                or change.structure_changed
            ):
                self._load_article()
        elif self.chapter_uid:
            if self.chapter_uid in change.removed:
                self.show_nothing()
            elif change.structure_changed or self.chapter_uid in change.renumbered:
                self._load_chapter()

    def _apply(self, operation, *args, merge_key=None, **kwargs) -> Change | None:
        """Apply through the session; typing (a merge key) is not reloaded into the boxes."""
        if self.session is None:
            return None
        self._typing = merge_key is not None
        try:
            return self.session.apply(operation, *args, merge_key=merge_key, **kwargs)
        except DrafterError as error:
            show_error(self, "无法修改", error)
            return None
        finally:
            self._typing = False

    # -- typing -----------------------------------------------------------------------

    def _caption_edited(self, text: str) -> None:
        uid = self.article_uid
        self._apply(operations.set_caption, uid, text, merge_key=("caption", uid))
        self._refresh_caption_suggestion()

    # -- the suggested caption --------------------------------------------------------

    def set_caption_references(self, references: ReferenceLibrary | dict) -> None:
        """The references by id: adopted articles then suggest their source's caption."""
        self.caption_references = references
        self._refresh_caption_suggestion()

    def _refresh_caption_suggestion(self) -> None:
        """Show the suggestion in an empty caption field, marked as such, with 采用 beside it.

        Cheap enough to run on every keystroke: derivation is cached per article text and the
        source caption is a lookup in the loaded references."""
        article = self.article()
        suggestion = ""
        if article is not None and not article.caption and self.session is not None:
            suggestion = suggest_caption(self.session.draft, article, self.caption_references)
        self.caption_suggestion = suggestion
        if suggestion:
            self.caption_edit.setPlaceholderText(f"建议：{suggestion}（按 Tab 或点“采用”）")
            self.adopt_caption_button.setToolTip(f"采用建议的条旨“{suggestion}”")
        else:
            self.caption_edit.setPlaceholderText(CAPTION_PLACEHOLDER)
        self.adopt_caption_button.setVisible(bool(suggestion))

    def accept_caption_suggestion(self) -> None:
        """Make the suggestion the article's caption: one undo step."""
        if self.caption_suggestion and self.article_uid:
            self._apply(operations.set_caption, self.article_uid, self.caption_suggestion)
            self.caption_edit.setCursorPosition(len(self.caption_edit.text()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            watched is self.caption_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and not event.modifiers()
            and not self.caption_edit.text()
            and self.caption_suggestion
        ):
            self.accept_caption_suggestion()
            return True
        return super().eventFilter(watched, event)

    def _chapter_title_edited(self, text: str) -> None:
        uid = self.chapter_uid
        self._apply(operations.rename_chapter, uid, text, merge_key=("chapter", uid))

    def _paragraph_edited(self, index: int) -> None:
        article = self.article()
        if article is None:
            return
        text, items = self.paragraph_edits[index].content()
        uid = self.article_uid
        if index >= len(article.paragraphs):  # the first 款 of an empty article
            self._apply(
                operations.insert_paragraph, uid, index, text, items, merge_key=("text", uid, index)
            )
        else:
            old = article.paragraphs[index]
            new_items = items if items != old.items else None
            self._apply(
                operations.edit_paragraph,
                uid,
                index,
                text,
                new_items,
                merge_key=("text", uid, index),
            )
        self._reload_rewritten()
        self._refresh_caption_suggestion()
        self.context_changed.emit(uid, index)

    def _reload_rewritten(self) -> None:
        """The core may rewrite typed text (references renumbered): show what it holds."""
        article = self.article()
        if article is None:
            return
        self.heading.setText(article.label)
        for edit, paragraph in zip(self.paragraph_edits, article.paragraphs, strict=False):
            if edit.content() != (paragraph.text, paragraph.items):
                edit.load(paragraph)

    def _paragraph_focused(self, index: int) -> None:
        if index != self.current_paragraph:
            self.current_paragraph = index
            self.context_changed.emit(self.article_uid, index)

    def _cursor_moved(self, edit: ParagraphEdit) -> None:
        if edit.hasFocus():
            self._paragraph_focused(edit.index)
            self._keep_caret_visible(edit)

    # -- structural edits of 款 ---------------------------------------------------------

    def _split(self, index: int, offset: int) -> None:
        article = self.article()
        if article is None or index >= len(article.paragraphs):
            return
        text = article.paragraphs[index].text
        uid = self.article_uid
        # The caret then goes to the start of the new 款 (the window applies core's rule).
        if 0 < offset < len(text):
            self._apply(operations.split_paragraph, uid, index, offset)
        elif offset == 0 and text:
            self._apply(operations.insert_paragraph, uid, index, "")
        else:
            self._apply(operations.insert_paragraph, uid, index + 1, "")

    def _merge(self, index: int) -> None:
        article = self.article()
        if article is None or not 0 < index < len(article.paragraphs):
            return
        self._apply(operations.merge_paragraphs, self.article_uid, index - 1)

    def split_current(self) -> None:
        """拆分款: split the focused 款 at the cursor."""
        if self.paragraph_edits:
            edit = self.paragraph_edits[min(self.current_paragraph, len(self.paragraph_edits) - 1)]
            self._split(edit.index, edit.textCursor().position())

    def merge_current(self) -> None:
        """合并款: merge the focused 款 with the next one."""
        article = self.article()
        if article is not None and self.current_paragraph + 1 < len(article.paragraphs):
            self._merge(self.current_paragraph + 1)

    def focus_paragraph(self, index: int, position: int = 0) -> None:
        """Put the keyboard focus and the cursor into 款 `index` at `position`."""
        if not self.paragraph_edits:
            return
        edit = self.paragraph_edits[max(0, min(index, len(self.paragraph_edits) - 1))]
        cursor = edit.textCursor()
        cursor.setPosition(max(0, min(position, len(edit.toPlainText()))))
        edit.setTextCursor(cursor)
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.current_paragraph = edit.index
        self.context_changed.emit(self.article_uid, edit.index)
        # Scroll once the box has its final height (it may just have been created).
        QTimer.singleShot(0, lambda: self._keep_caret_visible(edit))

    def place_caret(self, place: CaretPlace) -> None:
        """Focus the field `place` names in the node shown (the window selects the node)."""
        if place.kind == "chapter" and place.uid == self.chapter_uid and not self.article_uid:
            field: QLineEdit = self.chapter_title_edit
        elif place.kind == "article" and place.uid == self.article_uid:
            if place.field == "paragraph":
                self.focus_paragraph(place.paragraph, place.offset)
                return
            field = self.caption_edit
        else:
            return
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        if place.select_all:
            field.selectAll()
        else:
            field.setCursorPosition(min(place.offset, len(field.text())))

    def _keep_caret_visible(self, edit: ParagraphEdit) -> None:
        """Scroll the editor so the caret of a box is on screen (long articles)."""
        if edit not in self.paragraph_edits:
            return
        rect = edit.cursorRect()
        point = edit.viewport().mapTo(self.paragraph_box, rect.center())
        self.scroll_area.ensureVisible(point.x(), point.y(), 10, rect.height())

    def highlight(self, paragraph: int, item: int, start: int, length: int) -> None:
        """Select and mark a span (find): 款 `paragraph`, 项 `item` (-1: the 款 text);
        paragraph TITLE or CAPTION: in the 章名 or 条旨 box."""
        for edit in self.paragraph_edits:
            edit.clear_highlight()
        if paragraph in (TITLE, CAPTION):
            field = self.chapter_title_edit if paragraph == TITLE else self.caption_edit
            # Selected, as the find bar keeps the keyboard: a line edit shows its
            # selection without the focus.
            field.setSelection(start, length)
            return
        article = self.article()
        if article is None or paragraph >= len(self.paragraph_edits):
            return
        edit = self.paragraph_edits[paragraph]
        offset = item_offset(article.paragraphs[paragraph], item) + start
        edit.highlight(offset, length)
        self.current_paragraph = paragraph
        # Scrolling waits for the layout of a freshly shown article.
        QTimer.singleShot(0, lambda: self._ensure_visible(edit))

    def _ensure_visible(self, edit: ParagraphEdit) -> None:
        if edit in self.paragraph_edits:
            self.scroll_area.ensureWidgetVisible(edit)
