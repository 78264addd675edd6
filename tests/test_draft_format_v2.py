"""Format v2: the draft's versions and review are kept, v1 files migrate, bad shapes are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter.draft.project_file import (
    FORMAT_VERSION,
    ProjectFileError,
    load_project,
    save_project,
)

FIXTURES = Path(__file__).parent / "data" / "drafts"


def _fixture(version: int) -> dict:
    text = (FIXTURES / f"format-v{version}.drafter.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_v2_fixture_loads_with_its_version_and_review():
    assert FORMAT_VERSION == 2
    draft = load_project(FIXTURES / "format-v2.drafter.json")
    [version] = draft.versions
    assert (version.name, version.date, version.note) == (
        "征求意见稿",
        "2026-11-02",
        "向社会公开征求意见",
    )
    assert "versions" not in version.draft and "review" not in version.draft
    # the snapshot's articles carry the same uids as the current text
    assert [a["uid"] for c in version.draft["chapters"] for a in c["articles"]] == [
        a.uid for a in draft.articles()
    ]
    assert draft.review == {"files": [], "items": []}
    assert draft.article_by_number(1).text().startswith("为了促进和规范")


def test_v1_file_opens_and_saves_as_v2_with_empty_lists(tmp_path):
    path = tmp_path / "old.drafter.json"
    path.write_bytes((FIXTURES / "format-v1.drafter.json").read_bytes())
    draft = load_project(path)
    assert draft.versions == [] and draft.review == {"files": [], "items": []}
    save_project(draft, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert data["draft"]["versions"] == []
    assert data["draft"]["review"] == {"files": [], "items": []}
    # the stable layout: the text first, then versions and review
    assert list(data["draft"])[-2:] == ["versions", "review"]


def test_review_is_passed_through_untouched(tmp_path):
    data = _fixture(2)
    review = {
        "files": [{"name": "司法局意见.docx", "anything": [1, {"x": None}]}],
        "items": [{"id": "r1", "text": "建议删去", "disposition": "采纳"}],
    }
    data["draft"]["review"] = review
    path = tmp_path / "review.drafter.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    draft = load_project(path)
    assert draft.review == review
    save_project(draft, path)
    assert json.loads(path.read_text(encoding="utf-8"))["draft"]["review"] == review


def test_round_trip_of_a_v2_file_is_stable(tmp_path):
    path = tmp_path / "v2.drafter.json"
    path.write_bytes((FIXTURES / "format-v2.drafter.json").read_bytes())
    draft = load_project(path)
    save_project(draft, path)
    again = load_project(path)
    assert again.to_json() == draft.to_json()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["draft"]["versions"] == _fixture(2)["draft"]["versions"]


def _with(change) -> dict:
    data = _fixture(2)
    change(data["draft"])
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_with(lambda d: d.__setitem__("versions", {})), "versions 应为列表"),
        (_with(lambda d: d["versions"][0].pop("name")), r"versions\[0\]\.name 缺失"),
        (_with(lambda d: d["versions"][0].__setitem__("date", "11月2日")), "YYYY-MM-DD"),
        (_with(lambda d: d["versions"][0]["draft"].pop("chapters")), "版本“征求意见稿”的 chapters"),
        (_with(lambda d: d["versions"].append(dict(d["versions"][0]))), "与其他版本重名"),
        (_with(lambda d: d.__setitem__("review", [])), "review 应为对象"),
        (_with(lambda d: d["review"].pop("items")), r"review\.items 缺失"),
        (_with(lambda d: d["review"].__setitem__("files", "x")), r"review\.files 应为列表"),
    ],
)
def test_wrong_shapes_are_refused_naming_the_field(tmp_path, data, message):
    path = tmp_path / "bad.drafter.json"
    content = json.dumps(data, ensure_ascii=False).encode("utf-8")
    path.write_bytes(content)
    with pytest.raises(ProjectFileError, match=message):
        load_project(path)
    assert path.read_bytes() == content
