"""The 起草说明's facts, sections and wording, read back from real .docx files.

Two drafts: one imported with `drafter new --from` from another city's text (every source
discovered, none confirmed), one built by adoption from all five references.
"""

from __future__ import annotations

import re

import docx
import pytest

from drafter.cli.main import main
from drafter.draft import operations as ops
from drafter.draft.changes import redo, undo
from drafter.draft.checks import INFO, SEVERITY_ORDER, run_checks
from drafter.draft.document import ExplanationSection
from drafter.draft.explanation_outline import NECESSITY, PROCESS, effective_sections
from drafter.draft.export_readiness import UNWRITTEN_KIND, unwritten_explanation
from drafter.draft.project_file import load_project, save_project
from drafter.draft.source_links import SUGGESTED
from drafter.export import export_draft
from drafter.export import styles as st
from drafter.export.explanation import CLOSING, count_word, explanation_facts
from drafter.export.sources import CONFIRM, SourceResolver
from drafter.library import ReferenceLibrary
from drafter.statute.numerals import to_chinese_numeral as cn
from drafter.statute.ranges import article_ranges, article_span
from tests.test_export_samples import adopted_draft

ARTICLES = 21  # the first 21 articles of 海口's regulation, under a new title


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return ReferenceLibrary(data_dir=tmp_path_factory.mktemp("user-data"))


def haikou_text(library: ReferenceLibrary, count: int) -> str:
    """海口's first `count` articles as a draft text of another city."""
    reference = library.get("haikou")
    lines = ["某市智慧城市促进条例（草案）", ""]
    for chapter in reference.statute.chapters:
        articles = [a for a in chapter.articles if a.number <= count]
        if not articles:
            continue
        lines.append(f"{chapter.label}　{chapter.title}")
        for article in articles:
            first, *rest = article.paragraphs
            lines.append(f"{article.label}　{first.full_text()}")
            lines += [p.full_text() for p in rest]
    return "\n".join(lines).replace("海口市", "本市").replace("海口", "本市") + "\n"


@pytest.fixture
def imported(tmp_path, library, capsys):
    """A draft made with `drafter new --from`, its sources discovered (all 待确认)."""
    source = tmp_path / "草案.txt"
    source.write_text(haikou_text(library, ARTICLES), encoding="utf-8")
    path = tmp_path / "imported.drafter.json"
    assert main(["new", "--from", str(source), "--city", "某市", "-o", str(path)]) == 0
    capsys.readouterr()
    return path


def paragraphs(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def section(texts: list[str], heading_start: str) -> list[str]:
    """The paragraphs under the heading that starts with `heading_start`."""
    start = next(
        i for i, t in enumerate(texts) if re.match(rf"^[一二三四五六七八九十]+、{heading_start}", t)
    )
    out = []
    for text in texts[start + 1 :]:
        if re.match(r"^[一二三四五六七八九十]+、", text) or text == CLOSING:
            break
        out.append(text)
    return out


def table_text(path) -> tuple[str, list[str]]:
    (table,) = docx.Document(str(path)).tables
    cells = [c.text for row in table.rows[1:] for c in row.cells]
    return "\n".join(cells), cells


# -- a draft imported with new --from ----------------------------------------------------


def test_imported_draft_is_not_reported_as_new(imported, library, tmp_path):
    draft = load_project(imported)
    numbers = [a.number for a in draft.articles()]
    assert len(numbers) == ARTICLES
    pending = [
        a.number
        for a in draft.articles()
        if any(link.state == SUGGESTED for link in draft.provenance[a.uid])
    ]
    assert pending == numbers  # the reproduction: every article has a discovered source
    facts = explanation_facts(draft, SourceResolver(library))
    assert facts.new_articles == [] and facts.references == []
    assert facts.pending_articles == numbers
    assert facts.pending[0].ref == "haikou"

    out = tmp_path / "out"
    out.mkdir()
    result = export_draft(
        draft,
        out / "d.docx",
        explanation=out / "e.docx",
        table=out / "t.docx",
        library=library,
    )
    texts = paragraphs(out / "e.docx")
    whole = "\n".join(texts)
    assert "新增" not in whole and "新设" not in whole and "未直接借鉴" not in whole
    process = "\n".join(section(texts, "起草过程"))
    assert f"草案第一条至第{cn(ARTICLES)}条共{cn(ARTICLES)}条" in process
    assert "《海口市智慧城市促进条例》" in process and "来源待确认" in process
    assert "第二条、第三条" not in process  # ranges, not every number
    table, cells = table_text(out / "t.docx")
    assert "新增" not in cells and "来源待确认" in table
    assert any("来源待确认" in w for w in result.warnings)


def test_confirm_takes_the_likeliest_source_and_says_borrowed(imported, library, tmp_path):
    draft = load_project(imported)
    before = draft.to_json()
    facts = explanation_facts(draft, SourceResolver(library, CONFIRM))
    assert facts.pending == [] and facts.new_articles == []
    assert facts.references[0].ref == "haikou"
    export_draft(
        draft,
        tmp_path / "d.docx",
        explanation=tmp_path / "e.docx",
        table=tmp_path / "t.docx",
        library=library,
        unconfirmed=CONFIRM,
    )
    assert draft.to_json() == before  # the draft itself is unchanged
    process = "\n".join(section(paragraphs(tmp_path / "e.docx"), "起草过程"))
    assert "学习借鉴了" in process and "海口" in process and "来源待确认" not in process
    assert "照搬" not in process and "参照了《海口市智慧城市促进条例》" in process
    table, cells = table_text(tmp_path / "t.docx")
    assert "来源待确认" not in table and "新增" not in cells


def test_cli_flag_decides_and_stop_writes_nothing(imported, tmp_path, capsys):
    out = tmp_path / "说明.docx"
    code = main(["export", str(imported), "-o", str(tmp_path / "d.docx"), "--unconfirmed", "stop"])
    _, err = capsys.readouterr()
    assert code == 2 and "来源尚待确认" in err and f"第一条至第{cn(ARTICLES)}条" in err
    assert not (tmp_path / "d.docx").exists()
    code = main(
        ["export", str(imported), "-o", str(tmp_path / "d.docx"), "--explanation", str(out)]
    )
    _, err = capsys.readouterr()
    assert code == 0 and "来源待确认" in "\n".join(paragraphs(out))
    assert "尚未填写" in err  # the unwritten sections are named


# -- a draft built by adoption ------------------------------------------------------------


@pytest.fixture(scope="module")
def adopted(library, tmp_path_factory):
    draft = adopted_draft(library)
    folder = tmp_path_factory.mktemp("adopted")
    export_draft(draft, folder / "d.docx", explanation=folder / "e.docx", library=library)
    return draft, paragraphs(folder / "e.docx")


def test_enacted_regulations_are_counted_apart_from_drafts(adopted, library):
    draft, texts = adopted
    facts = explanation_facts(draft, SourceResolver(library))
    cities = {u.ref: library.get(u.ref).city.removesuffix("市") for u in facts.references}
    enacted = [u.ref for u in facts.references if library.get(u.ref).status == "已施行"]
    drafts = [u.ref for u in facts.references if u.ref not in enacted]
    assert sorted(enacted) == ["haikou", "jining"] and len(drafts) == 3
    process = section(texts, "起草过程")
    sentence = next(t for t in process if t.startswith("起草过程中，学习借鉴了"))
    found = re.fullmatch(
        r"起草过程中，学习借鉴了(.+)两部地方性法规和(.+)三部草案的有益经验。", sentence
    )
    assert found is not None, sentence
    assert set(found.group(1).split("、")) == {cities[r] for r in enacted}
    assert set(found.group(2).split("、")) == {cities[r] for r in drafts}


def test_adopted_draft_facts_match_the_draft(adopted, library):
    draft, texts = adopted
    facts = explanation_facts(draft, SourceResolver(library))
    process = "\n".join(section(texts, "起草过程"))
    for use in facts.references:
        numbers = [
            a.number
            for a in draft.articles()
            if any(s.ref == use.ref and s.active for s in draft.provenance.get(a.uid, []))
        ]
        assert use.articles == numbers
        assert f"{article_ranges(numbers)}" in process
    new = [a.number for a in draft.articles() if not draft.provenance.get(a.uid)]
    assert facts.new_articles == new
    assert f"草案{article_ranges(new)}共{count_word(len(new))}条系结合本市实际新设的规定" in process
    assert "照搬" not in "\n".join(texts)


def test_sections_in_order_with_placeholders_and_the_closing_line(adopted):
    _, texts = adopted
    headings = [t for t in texts if re.match(r"^[一二三四五六七八九十]+、", t)]
    assert headings == [
        "一、立法的必要性",
        "二、起草过程",
        "三、主要依据",
        "四、主要内容",
        "五、需要说明的问题",
    ]
    assert section(texts, "需要说明的问题") == ["【待填写：需要说明的问题】"]
    assert texts[-1] == CLOSING


def test_renamed_and_reordered_sections_keep_their_generated_facts(library, tmp_path):
    draft = adopted_draft(library)
    ops.set_explanation(
        draft,
        [
            ("二、开展的工作", "（一）开展调研。赴各区调研。", PROCESS),
            ("立法背景", "数字化转型是大势所趋。", NECESSITY),
            ("主要特色", "首席数据官制度。", ""),
        ],
    )
    export_draft(draft, tmp_path / "d.docx", explanation=tmp_path / "e.docx", library=library)
    document = docx.Document(str(tmp_path / "e.docx"))
    texts = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name == st.EXPLANATION_H1]
    assert headings == [
        "一、开展的工作",
        "二、立法背景",
        "三、主要依据",
        "四、主要内容",
        "五、需要说明的问题",  # a missing outline section goes after the last one before it
        "六、主要特色",
    ]
    work = section(texts, "开展的工作")
    assert work[0] == "（一）开展调研。赴各区调研。"
    assert any(t.startswith("起草过程中，学习借鉴了") for t in work)
    assert section(texts, "立法背景") == ["数字化转型是大势所趋。"]


# -- 主要依据 --------------------------------------------------------------------------


def test_basis_is_written_saved_and_undone(library, tmp_path):
    draft = adopted_draft(library)
    assert draft.basis == []
    change = ops.set_basis(
        draft,
        [
            "中华人民共和国数据安全法",
            " ",
            "《国务院关于加强数字政府建设的指导意见》（国发〔2022〕14号）",
        ],
    )
    assert change.meta_changed
    assert draft.basis == [
        "中华人民共和国数据安全法",
        "《国务院关于加强数字政府建设的指导意见》（国发〔2022〕14号）",
    ]
    undo(draft, change)
    assert draft.basis == []
    redo(draft, change)
    path = tmp_path / "d.drafter.json"
    save_project(draft, path)
    assert load_project(path).basis == draft.basis
    export_draft(draft, tmp_path / "d.docx", explanation=tmp_path / "e.docx", library=library)
    basis = section(paragraphs(tmp_path / "e.docx"), "主要依据")
    assert basis == [
        "草案起草的主要依据是《中华人民共和国数据安全法》"
        "《国务院关于加强数字政府建设的指导意见》（国发〔2022〕14号）。"
    ]


def test_old_files_load_with_no_basis_and_kinds_from_titles(tmp_path):
    from tests.test_draft_project_file import FIXTURES

    draft = load_project(FIXTURES / "format-v1.drafter.json")
    assert draft.basis == []
    section_ = ExplanationSection("一、立法背景", "x")
    assert section_.kind == NECESSITY
    assert ExplanationSection.from_json({"title": "立法背景", "text": ""}).kind == NECESSITY
    renamed = ExplanationSection("我们的考虑", "x", NECESSITY)
    assert ExplanationSection.from_json(renamed.to_json()) == renamed


def test_cli_set_basis(imported, capsys):
    assert main(["edit", str(imported), "set-basis", "《中华人民共和国网络安全法》"]) == 0
    assert main(["edit", str(imported), "set-basis", "--add", "《海南省大数据开发应用条例》"]) == 0
    assert load_project(imported).basis == [
        "《中华人民共和国网络安全法》",
        "《海南省大数据开发应用条例》",
    ]
    assert main(["edit", str(imported), "set-basis", "--clear"]) == 0
    assert load_project(imported).basis == []
    assert main(["edit", str(imported), "set-basis"]) == 2
    capsys.readouterr()


# -- unwritten sections: check and export warning ---------------------------------------


def test_unwritten_sections_are_reported_by_check_and_before_export(library):
    draft = adopted_draft(library)  # 必要性 and 起草过程 written, the rest not
    found = [r for r in run_checks(draft) if r.code == "explanation_unwritten"]
    assert [r.message.split("”")[0].lstrip("“") for r in found] == ["主要依据", "需要说明的问题"]
    assert {r.severity for r in found} == {INFO} and found[0].place() == "起草说明"
    ranks = [SEVERITY_ORDER[r.severity] for r in run_checks(draft)]
    assert ranks == sorted(ranks)
    problem = unwritten_explanation(draft)
    assert problem.kind == UNWRITTEN_KIND and problem.count == 2
    ops.set_basis(draft, ["《中华人民共和国数据安全法》"])
    sections = [(t, x or "无。", k) for t, x, k in effective_sections(draft.explanation)]
    ops.set_explanation(draft, sections)
    assert not [r for r in run_checks(draft) if r.code == "explanation_unwritten"]
    assert unwritten_explanation(draft) is None


def test_one_article_chapter_reads_as_one_article(library):
    draft = adopted_draft(library)
    facts = explanation_facts(draft, SourceResolver(library))
    last = facts.chapters[-1]
    assert len(last.numbers) == 1
    assert (
        last.span == article_span(last.numbers[0], last.numbers[0]) == f"第{cn(last.numbers[0])}条"
    )


def test_main_content_opens_with_the_count_and_lists_topics_by_chapter(imported, tmp_path):
    draft = load_project(imported)
    ops.add_chapter(draft, "保障措施")  # an empty chapter is counted and said to be empty
    save_project(draft, imported)
    explanation = tmp_path / "说明.docx"
    assert main(["export", str(imported), "-o", str(tmp_path / "d.docx"),
                 "--explanation", str(explanation)]) == 0  # fmt: skip
    content = section(paragraphs(explanation), "主要内容")
    chapters, articles = len(draft.chapters), sum(1 for _ in draft.articles())
    assert content[0] == f"《条例（草案）》共{cn(chapters)}章{cn(articles)}条，主要内容如下："
    themed = content[1:]
    assert themed[0].startswith("（一）关于总则")
    assert themed[-1].endswith("关于保障措施。本章尚无条文。")
    for text in themed:
        assert "……" not in text and "其他规定" not in text and "海口" not in text, text
        assert re.match(r"^（[一二三四五六七八九十]+）关于", text), text


def test_reference_lines_name_a_status_once(library, tmp_path):
    draft = adopted_draft(library)
    path = tmp_path / "说明.docx"
    export_draft(draft, tmp_path / "d.docx", explanation=path, library=library)
    text = "\n".join(paragraphs(path))
    assert "（征求意见稿）》（草案）" not in text and "（草案）》（草案）" not in text
    assert "（地方性法规）" not in text  # an enacted title needs no label
    assert "鹰潭智慧城市促进条例（征求意见稿）》的有关规定" in text


def test_one_article_from_one_reference_is_said_without_count_or_number(library):
    from drafter.draft.adoption import Clause, adopt
    from drafter.draft.document import Draft
    from drafter.export.explanation import use_lines

    draft = Draft.with_chapters("某市公共数据管理条例", "某市", ["总则", "附则"])
    general = draft.chapters[0].uid
    text = library.get("jining").statute.article(2).paragraphs[0].text
    adopt(draft, Clause("jining", "济宁市", 2, 1, text), "article", chapter_uid=general)
    facts = explanation_facts(draft, SourceResolver(library))
    assert use_lines(facts) == ["第一条参照了《济宁市智慧城市促进条例》的有关规定。"]
    # Two references: numbered, and each with its count once it has more than one.
    for number in (3, 4):
        more = library.get("haikou").statute.article(number).paragraphs[0].text
        adopt(draft, Clause("haikou", "海口市", number, 1, more), "article", chapter_uid=general)
    lines = use_lines(explanation_facts(draft, SourceResolver(library)))
    assert lines[0].startswith("1. 第二条、第三条参照了《海口市智慧城市促进条例》")
    assert lines[0].endswith("的有关规定，共两条；")
    assert lines[1] == "2. 第一条参照了《济宁市智慧城市促进条例》的有关规定。"
