"""Measure suggestion quality on hand-read gold correspondences (dev_gold.json schema).

pairs: the query is a reference's article (or one of its paragraphs); each target
reference is searched alone and its articles ranked (each article counted once, at its
best paragraph): hit@1, hit@3 and MRR, separately for grade V (near-verbatim reuse) and
grade T (same rule in other words).
intents: a short query searched over all references at article level: recall@10, hit@3, MRR.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from drafter.errors import InputFileError
from drafter.matching.baselines import Hit
from drafter.user_files import TEXT_LIMIT, read_user_text

# A ranker takes (query, refs or None, top) and returns ranked paragraph hits.
Ranker = Callable[[str, Sequence[str] | None, int], list[Hit]]

DEPTH = 60


@dataclass
class Gold:
    """Pairs and intents read from one or more gold files."""

    pairs: list[dict] = field(default_factory=list)
    intents: list[dict] = field(default_factory=list)


def load_gold(paths: Sequence[Path]) -> Gold:
    """Read and merge gold files."""
    gold = Gold()
    for path in paths:
        text = read_user_text(Path(path), "评测数据", TEXT_LIMIT)
        try:
            data = json.loads(text)
        except ValueError as error:
            raise InputFileError(path, f"无法读取评测数据：{error}") from None
        except RecursionError:
            raise InputFileError(path, "无法读取评测数据：JSON 嵌套过深") from None
        if not isinstance(data, dict):
            raise InputFileError(path, "评测数据应为包含 pairs、intents 的 JSON 对象")
        pairs, intents = data.get("pairs", []), data.get("intents", [])
        for number, pair in enumerate(pairs, 1):
            problem = _pair_problem(pair)
            if problem:
                raise InputFileError(path, f"pairs 第 {number} 项{problem}")
        for number, intent in enumerate(intents, 1):
            problem = _intent_problem(intent)
            if problem:
                raise InputFileError(path, f"intents 第 {number} 项{problem}")
        gold.pairs += pairs
        gold.intents += intents
    return gold


def _pair_problem(pair: object) -> str:
    """What is wrong with one pair entry ('' if nothing)."""
    if not isinstance(pair, dict):
        return "不是对象"
    q = pair.get("q")
    if not (
        isinstance(q, list)
        and len(q) == 3
        and isinstance(q[0], str)
        and isinstance(q[1], int)
        and (q[2] is None or isinstance(q[2], int))
    ):
        return "的 q 应为 [法规编号, 条号, 款号或 null]"
    if pair.get("grade") not in ("V", "T"):
        return '的 grade 应为 "V" 或 "T"'
    targets = pair.get("targets")
    if not isinstance(targets, dict) or not all(
        isinstance(ref, str) and isinstance(arts, list) and all(isinstance(a, int) for a in arts)
        for ref, arts in targets.items()
    ):
        return "的 targets 应为 {法规编号: [条号, …]}"
    return ""


def _intent_problem(intent: object) -> str:
    """What is wrong with one intent entry ('' if nothing)."""
    if not isinstance(intent, dict) or not isinstance(intent.get("q"), str):
        return "的 q 应为查询文字"
    targets = intent.get("targets")
    if (
        not isinstance(targets, list)
        or not targets
        or not all(
            isinstance(t, list) and len(t) == 2 and isinstance(t[0], str) and isinstance(t[1], int)
            for t in targets
        )
    ):
        return "的 targets 应为 [[法规编号, 条号], …]"
    return ""


def query_text(library: object, q: Sequence) -> str:
    """The text of a pair's query: a whole article, or one of its paragraphs."""
    ref_id, article_number, paragraph = q
    article = library.get(ref_id).statute.article(article_number)  # type: ignore[attr-defined]
    if article is None:
        raise InputFileError(ref_id, f"没有第{article_number}条")
    if paragraph is None:
        return article.text()
    if not 1 <= paragraph <= len(article.paragraphs):
        raise InputFileError(ref_id, f"第{article_number}条没有第{paragraph}款")
    return article.paragraphs[paragraph - 1].full_text()


def _article_ranking(hits: list[Hit]) -> list[tuple[str, int]]:
    seen: dict[tuple[str, int], None] = {}
    for hit in hits:
        seen.setdefault((hit.ref, hit.article), None)
    return list(seen)


def _first_rank(ranking: list[tuple[str, int]], targets: set[tuple[str, int]]) -> int | None:
    return next((i for i, key in enumerate(ranking, 1) if key in targets), None)


def _summary(ranks: list[int | None]) -> dict[str, float]:
    n = max(len(ranks), 1)
    return {
        "n": len(ranks),
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        "hit@3": sum(1 for r in ranks if r is not None and r <= 3) / n,
        "MRR": sum(1.0 / r for r in ranks if r) / n,
    }


def evaluate(library: object, gold: Gold, ranker: Ranker) -> dict[str, dict[str, float]]:
    """Figures for one ranker: {'V': {...}, 'T': {...}, 'intents': {...}}."""
    ranks: dict[str, list[int | None]] = {"V": [], "T": []}
    misses: list[str] = []
    for pair in gold.pairs:
        query = query_text(library, pair["q"])
        for ref_id, articles in pair["targets"].items():
            ranking = _article_ranking(ranker(query, [ref_id], DEPTH))
            rank = _first_rank(ranking, {(ref_id, a) for a in articles})
            ranks.setdefault(pair["grade"], []).append(rank)
            if rank != 1:
                misses.append(f"{pair.get('id', pair['q'])}→{ref_id}:{rank}")
    results = {grade: _summary(r) for grade, r in ranks.items()}
    recalls: list[float] = []
    intent_ranks: list[int | None] = []
    for intent in gold.intents:
        targets = {(ref, article) for ref, article in intent["targets"]}
        ranking = _article_ranking(ranker(intent["q"], None, DEPTH))
        found = len(targets & set(ranking[:10]))
        recalls.append(found / len(targets))
        intent_ranks.append(_first_rank(ranking, targets))
        if found < len(targets):
            misses.append(f"{intent.get('id', intent['q'])}:{found}/{len(targets)}")
    summary = _summary(intent_ranks)
    results["intents"] = {
        "n": summary["n"],
        "recall@10": sum(recalls) / max(len(recalls), 1),
        "hit@3": summary["hit@3"],
        "MRR": summary["MRR"],
    }
    results["misses"] = misses  # type: ignore[assignment]
    return results


def engine_ranker(engine: object) -> Ranker:
    """Adapt a SuggestionEngine to the Ranker signature (article level)."""

    def rank(query: str, refs: Sequence[str] | None, top: int) -> list[Hit]:
        found = engine.rank_articles(query, top=top, refs=refs)  # type: ignore[attr-defined]
        return [Hit(s.ref, s.article, s.paragraph, s.score) for s in found]

    return rank


def format_table(figures: dict[str, dict[str, dict[str, float]]]) -> str:
    """A plain-text table: one row per ranker, one column per figure."""
    columns = [
        ("V", "hit@1"), ("V", "hit@3"), ("V", "MRR"),
        ("T", "hit@1"), ("T", "hit@3"), ("T", "MRR"),
        ("intents", "recall@10"), ("intents", "hit@3"), ("intents", "MRR"),
    ]  # fmt: skip
    header = f"{'ranker':<16}" + "".join(f"{g + ' ' + m:>18}" for g, m in columns)
    lines = [header]
    for name, result in figures.items():
        cells = "".join(f"{result.get(g, {}).get(m, float('nan')):>18.3f}" for g, m in columns)
        lines.append(f"{name:<16}{cells}")
    counts = next(iter(figures.values()), {})
    lines.append(
        "n: " + ", ".join(f"{g}={counts.get(g, {}).get('n', 0)}" for g in ("V", "T", "intents"))
    )
    return "\n".join(lines)
