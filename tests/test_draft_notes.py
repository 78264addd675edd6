"""The drafter's 说明 per article: set through a core operation, undone and redone exactly,
kept in the project file (older files load without notes), and edited from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter.draft import operations as ops
from drafter.draft.changes import merge
from drafter.draft.document import Draft
from drafter.draft.project_file import ProjectFileError, load_project, save_project
from tests.helpers import run_cli

FIXTURES = Path(__file__).parent / "data" / "drafts"
NOTE = "借鉴海口市做法，增加“定期向社会公布”的要求。"


def _draft() -> Draft:
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则", "附则"])
    first, last = (c.uid for c in draft.chapters)
    ops.insert_article(draft, first, "为了促进智慧城市建设，制定本条例。")
    ops.insert_article(draft, first, "本条例适用于本市行政区域内的智慧城市建设。")
    ops.insert_article(draft, last, "本条例自XX年XX月XX日起施行。")
    return draft


def test_set_note_is_a_change_that_undo_and_redo_reverse():
    draft = _draft()
    second = draft.article_by_number(2)
    change = ops.set_note(draft, second.uid, NOTE)
    assert change.modified == [second.uid] and change.summary == "修改第二条说明"
    assert draft.notes == {second.uid: NOTE}
    ops.undo(draft, change)
    assert draft.notes == {}
    ops.redo(draft, change)
    assert draft.notes == {second.uid: NOTE}
    cleared = ops.set_note(draft, second.uid, "  ")
    assert draft.notes == {}
    ops.undo(draft, cleared)
    assert draft.notes[second.uid] == NOTE


def test_typing_merged_into_one_step_undoes_to_the_note_before_it():
    draft = _draft()
    uid = draft.article_by_number(1).uid
    ops.set_note(draft, uid, "原有说明")
    steps = [ops.set_note(draft, uid, "原有说明" + NOTE[:n]) for n in range(1, 6)]
    typed = steps[0]
    for step in steps[1:]:
        typed = merge(typed, step)
    ops.undo(draft, typed)
    assert draft.notes[uid] == "原有说明"
    ops.redo(draft, typed)
    assert draft.notes[uid] == "原有说明" + NOTE[:5]


def test_note_follows_its_article_through_moves_and_comes_back_with_an_undone_delete():
    draft = _draft()
    first = draft.article_by_number(1)
    ops.set_note(draft, first.uid, NOTE)
    ops.move_article(draft, first.uid, draft.chapters[1].uid, 0)
    assert draft.article_by_number(2).uid == first.uid and draft.notes[first.uid] == NOTE
    deleted = ops.delete_article(draft, first.uid)
    assert first.uid not in draft.notes
    ops.undo(draft, deleted)
    assert draft.notes[first.uid] == NOTE


def test_notes_round_trip_through_the_project_file_and_old_files_load_without_them(tmp_path):
    draft = _draft()
    third = draft.article_by_number(3)
    ops.set_note(draft, third.uid, NOTE + "\n第二行。")
    path = tmp_path / "d.drafter.json"
    save_project(draft, path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    articles = [a for c in saved["draft"]["chapters"] for a in c["articles"]]
    assert [a.get("note") for a in articles] == [None, None, NOTE + "\n第二行。"]
    loaded = load_project(path)
    assert loaded.notes == {third.uid: NOTE + "\n第二行。"}
    assert loaded.to_json() == draft.to_json()
    for name in ("format-v0.drafter.json", "format-v1.drafter.json"):
        old = load_project(FIXTURES / name)
        assert old.notes == {}
        assert all("note" not in a for c in old.to_json()["chapters"] for a in c["articles"])


def test_a_note_that_is_not_text_is_refused(tmp_path):
    draft = _draft()
    path = tmp_path / "d.drafter.json"
    save_project(draft, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["draft"]["chapters"][0]["articles"][0]["note"] = ["not", "text"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ProjectFileError, match="第1章第1条的 note 应为文字"):
        load_project(path)


def test_cli_note_sets_reads_back_and_clears(tmp_path):
    path = tmp_path / "d.drafter.json"
    save_project(_draft(), path)
    data_dir = tmp_path / "data"
    result = run_cli("edit", str(path), "note", "第二条", NOTE, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("修改第二条说明")

    def shown() -> list[str]:
        out = run_cli("show", str(path), "--json", data_dir=data_dir)
        return [a["note"] for c in json.loads(out.stdout)["chapters"] for a in c["articles"]]

    assert shown() == ["", NOTE, ""]
    result = run_cli("edit", str(path), "note", "2", "-", data_dir=data_dir, input_text="甲\n乙\n")
    assert result.returncode == 0, result.stderr
    assert shown() == ["", "甲\n乙", ""]
    before = path.read_bytes()
    result = run_cli("edit", str(path), "note", "9", NOTE, data_dir=data_dir)
    assert result.returncode == 2 and "没有第九条" in result.stderr
    assert path.read_bytes() == before
    result = run_cli("edit", str(path), "note", "2", "", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert shown() == ["", "", ""]
    assert load_project(path).notes == {}
