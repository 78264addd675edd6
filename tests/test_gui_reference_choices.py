"""The suggestion panel's list of references to search: checks, the filter, at scale."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt

from drafter.gui.reference_choices import ROLE_REF, ReferenceChooser
from drafter.gui.settings import configure_settings

REFS = ["wuxi", "suzhou", "haikou"]
LABELS = [
    "无锡市　无锡市数字化转型促进条例",
    "苏州市　苏州市公共数据管理条例",
    "海口市　海口市智慧城市促进条例",
]


@pytest.fixture
def chooser(qtbot):
    configure_settings()  # whether the list is open is read from the test's own settings
    widget = ReferenceChooser()
    qtbot.addWidget(widget)
    widget.model.set_references(REFS, LABELS)
    widget.show()
    return widget


def test_checking_through_the_view_restricts_and_says_so(chooser, qtbot):
    model, view = chooser.model, chooser.view
    assert model.checked() is None  # all: no restriction
    index = chooser.model.index(1, 0)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    view.setCurrentIndex(index)
    view.setFocus()
    with qtbot.waitSignal(model.checks_changed, timeout=1000):
        qtbot.keyClick(view, Qt.Key.Key_Space)  # as a drafter toggles the current row
    assert model.checked() == ("wuxi", "haikou")
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    # The view hands Qt's value as an int: checking it again lifts the restriction.
    assert chooser.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.checked() is None


def test_a_new_reference_is_checked_only_when_all_were(chooser):
    model = chooser.model
    model.set_references([*REFS, "chengdu"], [*LABELS, "成都市　成都市智慧蓉城促进条例"])
    assert model.checked() is None
    model.set_checked(["suzhou"])
    model.set_references([*REFS, "chengdu", "jining"], [*LABELS, "成都", "济宁"])
    assert model.checked() == ("suzhou",)
    model.set_references(["wuxi"], ["无锡"])  # suzhou removed: nothing left checked
    assert model.checked() == ()


def test_the_filter_narrows_the_list_and_checks_only_what_it_shows(chooser, qtbot):
    chooser.filter_box.setText("苏州")
    assert chooser.shown_refs() == ["suzhou"]
    with qtbot.waitSignal(chooser.model.checks_changed, timeout=1000):
        chooser.only_button.click()
    assert chooser.model.checked() == ("suzhou",)
    chooser.filter_box.clear()
    assert chooser.shown_refs() == REFS  # all listed again, the restriction kept
    chooser.all_button.click()
    assert chooser.model.checked() is None


def test_twenty_thousand_references_fill_in_one_reset(chooser):
    refs = [f"ref-{n}" for n in range(20_000)]
    labels = [f"某市{n}　某某条例{n}" for n in range(20_000)]
    chooser.model.set_references(refs, labels)
    assert chooser.view.model().rowCount() == 20_000
    assert chooser.model.index(19_999, 0).data(ROLE_REF) == "ref-19999"
    chooser.filter_box.setText("某市12345　")
    assert chooser.shown_refs() == ["ref-12345"]
    assert chooser.model.ref(0) == "ref-12345" and chooser.view.model().rowCount() == 1


def test_the_header_counts_the_checked_references(chooser):
    header = chooser.header
    assert header.text() == "参考法规：全部 3 部"
    chooser.model.setData(
        chooser.model.index(1, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert header.text() == "参考法规：已选 2 部（共 3 部）"
    chooser.model.set_checked(["haikou"])  # as a draft's saved choice is restored
    assert header.text() == "参考法规：已选 1 部（共 3 部）"
    chooser.check_all()
    assert header.text() == "参考法规：全部 3 部"
