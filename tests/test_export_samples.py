"""Drafts the export tests, the benchmark and the sample page images are made from.

They are built through the draft API — articles inserted and reference articles adopted
from the bundled library — never by writing the project file's JSON by hand.
"""

from __future__ import annotations

from drafter.draft import operations as ops
from drafter.draft.adoption import Clause, adopt
from drafter.draft.document import Draft, ExplanationSection
from drafter.draft.provenance import article_label
from drafter.library import ReferenceLibrary

TITLE = "某市智慧城市促进条例"
CITY = "某市"

FIXED_CHAPTERS = ["总则", "规划建设", "法律责任", "附则"]
FIXED_ARTICLES: list[tuple[int, str, str]] = [
    (
        0,
        "为了促进智慧城市建设，提升城市治理能力和公共服务水平，根据有关法律、法规，结合本市实际，制定本条例。",
        "",
    ),
    (0, "本条例适用于本市行政区域内的智慧城市规划、建设、运营、管理及其相关活动。", "适用范围"),
    (
        0,
        "市人民政府应当加强对智慧城市建设工作的领导，建立协调机制。\n"
        "区人民政府负责本行政区域内的智慧城市建设工作。",
        "",
    ),
    (
        1,
        "智慧城市建设应当遵循下列原则：\n（一）统筹规划，分步实施；\n（二）需求导向，惠民便民；\n"
        "（三）安全可控，开放共享。",
        "",
    ),
    (1, "市发展改革部门会同有关部门编制智慧城市发展规划，报市人民政府批准后公布实施。", ""),
    (2, "违反本条例规定的行为，法律、法规已有法律责任规定的，从其规定。", ""),
    (3, "本条例自2026年1月1日起施行。", ""),
]

EXPLANATION = [
    ExplanationSection(
        "一、立法的必要性",
        "智慧城市建设是推进城市治理体系和治理能力现代化的重要举措。\n制定本条例，有利于巩固改革成果。",
    ),
    ExplanationSection(
        "二、起草过程",
        "（一）开展调研。起草组赴有关区、部门开展调研，听取意见。\n（二）征求意见。草案征求了社会公众意见。",
    ),
]


def fixed_draft() -> Draft:
    """A small draft with fixed text and no sources: the golden-file draft."""
    draft = Draft.with_chapters(TITLE, CITY, FIXED_CHAPTERS)
    for chapter_index, text, caption in FIXED_ARTICLES:
        ops.insert_article(draft, draft.chapters[chapter_index].uid, text, caption=caption)
    draft.explanation = [ExplanationSection(s.title, s.text) for s in EXPLANATION]
    return draft


def clause(library: ReferenceLibrary, ref: str, article: int) -> Clause:
    """A whole article of a bundled reference, ready to adopt."""
    reference = library.get(ref)
    return Clause(ref, reference.city, article, 0, reference.statute.article(article).text())


def adopted_draft(library: ReferenceLibrary) -> Draft:
    """The fixed draft with references adopted: 照搬, 修改, and two sources in one article."""
    draft = fixed_draft()
    general, planning, liability = (c.uid for c in draft.chapters[:3])
    adopt(draft, clause(library, "haikou", 4), "article", chapter_uid=general)
    adopt(draft, clause(library, "yingtan", 8), "article", chapter_uid=planning)
    adopt(draft, clause(library, "jining", 10), "article", chapter_uid=planning)
    two_sources = draft.chapters[1].articles[-1].uid
    wuxi = library.get("wuxi").statute.article(12).paragraphs[0].text
    adopt(draft, Clause("wuxi", "无锡市", 12, 1, wuxi), "append", article_uid=two_sources)
    adopt(draft, clause(library, "chengdu", 30), "article", chapter_uid=liability)
    # A drafter's rewrite turns a 照搬 into 修改 or 参考.
    edited = draft.chapters[0].articles[-1]
    ops.edit_paragraph(
        draft, edited.uid, 0, edited.paragraphs[0].text[:20] + "，并定期向社会公布。"
    )
    # The drafter's 说明 for the 对照表.
    ops.set_note(draft, edited.uid, "借鉴海口市做法，增加定期向社会公布的要求。")
    ops.set_note(draft, two_sources, "综合借鉴济宁市、无锡市的规定。")
    return draft


def large_draft(library: ReferenceLibrary, articles: int = 300) -> Draft:
    """A draft of `articles` articles over ten chapters, a third of them adopted."""
    draft = Draft.with_chapters("某市数字经济促进条例", CITY, [f"第{i}部分" for i in range(1, 11)])
    draft.explanation = [ExplanationSection(s.title, s.text) for s in EXPLANATION]
    references = [library.get(ref) for ref in ("yingtan", "haikou", "chengdu", "jining", "wuxi")]
    pool = [(r, a) for r in references for a in r.statute.articles() if a.paragraphs]
    for n in range(articles):
        chapter = draft.chapters[n * len(draft.chapters) // articles].uid
        if n % 3 == 0:
            reference, article = pool[n % len(pool)]
            source = Clause(reference.id, reference.city, article.number, 0, article.text())
            adopt(draft, source, "article", chapter_uid=chapter)
        else:
            _, article = pool[(n * 7) % len(pool)]
            ops.insert_article(draft, chapter, article.text())
    return draft


def test_samples_have_every_kind_of_provenance():
    library = ReferenceLibrary()
    draft = adopted_draft(library)
    labels = {article_label(draft, a) for a in draft.articles()}
    assert {"新增", "照搬"} <= labels and labels & {"修改", "参考"}
    assert max(len(draft.provenance.get(a.uid, [])) for a in draft.articles()) == 2
