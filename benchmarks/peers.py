"""What a user would pick instead of our candidate stage: tantivy, SQLite FTS5 and bm25s.

Each peer indexes a stream of paragraph texts (position = paragraph number) into a folder
and answers `search(query, k)` with the positions of its k best paragraphs, best first.
bench_suggest.py builds and queries them in child processes; gold_peers() measures them
on the real gold files, alone and as the candidate stage under our rerank.

- tantivy: one text field, tantivy's ngram tokenizer with min = max = 2 (character bigrams)
  registered on the index as "bigram", term frequencies without positions; the query is a
  boolean OR (Should) of its distinct bigrams, BM25 ranking; one writer thread (our build
  is one thread too), the default 128 MB writer heap, merges waited for.
- tantivy-shown: the same, with the text stored, and each result's text and its matched
  bigrams (tantivy's snippet generator) fetched, as a suggestion list needs them: ours
  returns each result's text with its shared runs marked.
- fts5: SQLite FTS5 with the trigram tokenizer, bm25 ranking (`ORDER BY rank`); the query
  is an OR of its distinct trigrams, each quoted. A query under three characters has no
  trigram: it falls back to `LIKE '%q%'` (a full scan, unranked), as a user would have to.
- bm25s: character bigrams (pre-tokenised to ids, as bm25s.tokenize returns them),
  default Lucene BM25, numpy backend; saved and opened memory-mapped.

    python benchmarks/peers.py --gold tests/data/*gold*.json [--candidates 10]
"""

from __future__ import annotations

import argparse
import importlib.util
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

TANTIVY_THREADS = 1
TANTIVY_HEAP = 128_000_000
PEERS = ("tantivy", "tantivy-shown", "fts5", "bm25s")


def available(name: str) -> bool:
    """Whether a peer's module is installed (sqlite3 always is)."""
    if name in ("ours", "ours-cand", "fts5"):
        return True
    return importlib.util.find_spec(name.split("-")[0]) is not None


def ngrams(text: str, n: int) -> list[str]:
    """The distinct character n-grams of a text, in order of first occurrence."""
    return list(dict.fromkeys(text[i : i + n] for i in range(len(text) - n + 1)))


class Peer:
    """A peer index in a folder: `build` writes it, the constructor opens it."""

    name = ""

    @classmethod
    def build(cls, texts: Iterable[str], directory: Path) -> None:
        raise NotImplementedError

    def search(self, query: str, k: int) -> list[int]:
        raise NotImplementedError


class TantivyPeer(Peer):
    name = "tantivy"
    STORED_TEXT = False

    @classmethod
    def _schema(cls):
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field(
            "text", stored=cls.STORED_TEXT, tokenizer_name="bigram", index_option="freq"
        )
        builder.add_integer_field("pos", stored=True, fast=True)
        return builder.build()

    @staticmethod
    def _register(index) -> None:
        import tantivy

        tokenizer = tantivy.Tokenizer.ngram(min_gram=2, max_gram=2, prefix_only=False)
        index.register_tokenizer("bigram", tantivy.TextAnalyzerBuilder(tokenizer).build())

    @classmethod
    def build(cls, texts: Iterable[str], directory: Path) -> None:
        import tantivy

        directory.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(cls._schema(), path=str(directory))
        cls._register(index)
        writer = index.writer(heap_size=TANTIVY_HEAP, num_threads=TANTIVY_THREADS)
        for position, text in enumerate(texts):
            writer.add_document(tantivy.Document(text=text, pos=position))
        writer.commit()
        writer.wait_merging_threads()

    def __init__(self, directory: Path) -> None:
        import tantivy

        self._tantivy = tantivy
        self.index = tantivy.Index.open(str(directory))
        self._register(self.index)
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _query(self, query: str):
        """An OR of the query's distinct bigrams (None when it has none)."""
        tantivy = self._tantivy
        terms = [
            (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "text", gram))
            for gram in ngrams(query, 2)
        ]
        return tantivy.Query.boolean_query(terms) if terms else None

    def search(self, query: str, k: int) -> list[int]:
        boolean = self._query(query)
        if boolean is None:
            return []
        found = self.searcher.search(boolean, k, count=False)
        return [self.searcher.doc(address)["pos"][0] for _, address in found.hits]


class TantivyShownPeer(TantivyPeer):
    """tantivy as a suggestion list would use it: the text is stored, and each of the k
    results comes back with its text and its matched bigrams marked (tantivy's snippet
    generator over the whole paragraph), as ours returns each result's text with its
    shared runs. What the plain `tantivy` peer is timed without."""

    name = "tantivy-shown"
    STORED_TEXT = True
    SNIPPET_CHARS = 2000  # the whole paragraph, as ours shows it

    def search(self, query: str, k: int) -> list[int]:
        boolean = self._query(query)
        if boolean is None:
            return []
        found = self.searcher.search(boolean, k, count=False)
        snippets = self._tantivy.SnippetGenerator.create(
            self.searcher, boolean, self.schema, "text"
        )
        snippets.set_max_num_chars(self.SNIPPET_CHARS)
        positions = []
        self.shown: list[tuple[str, list]] = []
        for _, address in found.hits:
            doc = self.searcher.doc(address)
            marked = [(r.start, r.end) for r in snippets.snippet_from_doc(doc).highlighted()]
            self.shown.append((doc["text"][0], marked))
            positions.append(doc["pos"][0])
        return positions


class Fts5Peer(Peer):
    name = "fts5"
    FILE = "fts5.sqlite"

    @classmethod
    def build(cls, texts: Iterable[str], directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(directory / cls.FILE)
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE VIRTUAL TABLE p USING fts5(text, tokenize='trigram')")
        with db:
            db.executemany(
                "INSERT INTO p(rowid, text) VALUES (?, ?)",
                ((position, text) for position, text in enumerate(texts)),
            )
        db.execute("INSERT INTO p(p) VALUES ('optimize')")  # one b-tree, as a user would
        db.commit()
        db.close()

    def __init__(self, directory: Path) -> None:
        self.db = sqlite3.connect(directory / self.FILE)

    def search(self, query: str, k: int) -> list[int]:
        grams = ngrams(query, 3)
        if not grams:
            pattern = "%" + query.replace("%", "").replace("_", "") + "%"
            rows = self.db.execute("SELECT rowid FROM p WHERE text LIKE ? LIMIT ?", (pattern, k))
        else:
            match = " OR ".join('"' + gram.replace('"', '""') + '"' for gram in grams)
            rows = self.db.execute(
                "SELECT rowid FROM p WHERE p MATCH ? ORDER BY rank LIMIT ?", (match, k)
            )
        return [row[0] for row in rows]


class Bm25sPeer(Peer):
    name = "bm25s"

    @classmethod
    def build(cls, texts: Iterable[str], directory: Path) -> None:
        import bm25s
        from bm25s.tokenization import Tokenized

        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(gram, len(vocab)) for gram in _bigrams(text)] for text in texts]
        retriever = bm25s.BM25()
        retriever.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
        del ids
        retriever.save(str(directory), show_progress=False)

    def __init__(self, directory: Path) -> None:
        import bm25s

        self.retriever = bm25s.BM25.load(str(directory), mmap=True, show_progress=False)
        self.size = int(self.retriever.scores["num_docs"])

    def search(self, query: str, k: int) -> list[int]:
        tokens = [gram for gram in _bigrams(query) if gram in self.retriever.vocab_dict]
        if not tokens:
            return []
        docs, scores = self.retriever.retrieve(
            [tokens], k=min(k, self.size), show_progress=False, n_threads=0
        )
        return [int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


def _bigrams(text: str) -> list[str]:
    """All character bigrams of a text, repeats kept (bm25s counts term frequency)."""
    return [text[i : i + 2] for i in range(len(text) - 1)]


ENGINES: dict[str, type[Peer]] = {
    "tantivy": TantivyPeer,
    "tantivy-shown": TantivyShownPeer,
    "fts5": Fts5Peer,
    "bm25s": Bm25sPeer,
}


def open_peer(name: str, directory: Path) -> Peer:
    return ENGINES[name](directory)


# --- the real gold: each peer alone, and as the candidate stage under our rerank ---


def _peer_ranker(peer: Peer, records: Sequence, depth: int):
    """A Ranker (evaluation.py) over a peer that indexed the raw paragraph texts."""
    from drafter.matching.baselines import Hit

    def rank(query: str, refs: Sequence[str] | None, top: int) -> list[Hit]:
        hits = []
        for position in peer.search(query, depth):  # the whole small library, then filter
            record = records[position]
            if refs is None or record.ref in refs:
                hits.append(Hit(record.ref, record.article, record.paragraph, 0.0))
        return hits[:top]

    return rank


def candidate_engine(library: object, peer: Peer):
    """Our engine with the peer (over our stripped normalised texts) picking the candidates.

    The rerank is ours, unchanged; it still reads each candidate's paragraph cosine from
    our postings (a peer-backed design would compute it from the candidates' term vectors;
    the value is the same). Bridging feedback keeps our candidate stage."""
    from drafter.matching import engine as engine_module
    from drafter.matching.scoring import score_candidates

    class PeerCandidates(engine_module.SuggestionEngine):
        def _rank(self, features, allowed):
            if not len(features.known_ids):
                return []
            positions = np.asarray(peer.search(features.norm, len(self.corpus)), dtype=np.int64)
            if allowed is not None and len(positions):
                positions = positions[allowed[positions]]
            candidates = positions[: engine_module.CANDIDATES]
            if not len(candidates):
                return []
            cosine = self.cosines(features).values
            scores, texts = score_candidates(features, candidates, cosine[candidates], self)
            return list(zip(candidates.tolist(), scores, texts, strict=True))

    return PeerCandidates(library)


def gold_peers(files: Sequence[Path], workdir: Path, names: Sequence[str]) -> dict:
    """Figures (evaluation.evaluate) per gold file for ours, each peer alone and each peer
    as our candidate stage."""
    from drafter.library import ReferenceLibrary
    from drafter.matching.corpus import library_records
    from drafter.matching.engine import SuggestionEngine
    from drafter.matching.evaluation import engine_ranker, evaluate, load_gold

    library = ReferenceLibrary()
    records = list(library_records(library))
    ours = SuggestionEngine(library)
    depth = len(records)
    rankers = {"ours": engine_ranker(ours)}
    for name in names:
        raw_dir, norm_dir = workdir / f"{name}-raw", workdir / f"{name}-norm"
        ENGINES[name].build((r.text for r in records), raw_dir)
        ENGINES[name].build(_stream(ours.corpus.norm_texts), norm_dir)
        rankers[f"{name} alone"] = _peer_ranker(open_peer(name, raw_dir), records, depth)
        cand = candidate_engine(library, open_peer(name, norm_dir))
        rankers[f"{name} + rerank"] = engine_ranker(cand)
    figures: dict[str, dict] = {}
    for path in files:
        gold = load_gold([path])
        figures[path.name] = {name: evaluate(library, gold, r) for name, r in rankers.items()}
    return figures


def _stream(store) -> Iterator[str]:
    return (store[i] for i in range(len(store)))


def main() -> int:
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    parser = argparse.ArgumentParser(description="Peers on the real gold files")
    parser.add_argument("--gold", nargs="+", type=Path, required=True)
    parser.add_argument("--engines", default=",".join(PEERS))
    parser.add_argument(
        "--candidates", type=int, help="paragraphs reranked (engine.CANDIDATES), ours too"
    )
    args = parser.parse_args()
    if args.candidates:
        from drafter.matching import engine

        engine.CANDIDATES = args.candidates
    names = [n for n in args.engines.split(",") if available(n)]
    with tempfile.TemporaryDirectory(prefix="gold-peers-") as tmp:
        figures = gold_peers(args.gold, Path(tmp), names)
    columns = [("V", "hit@1"), ("T", "hit@1"), ("T", "MRR"), ("intents", "recall@10")]
    print(f"{'gold':<20}{'ranker':<18}" + "".join(f"{g + ' ' + m:>16}" for g, m in columns))
    totals: dict[str, list[float]] = {}
    for gold_name, by_ranker in figures.items():
        for ranker, result in by_ranker.items():
            cells = "".join(f"{result.get(g, {}).get(m, float('nan')):>16.3f}" for g, m in columns)
            print(f"{gold_name:<20}{ranker:<18}{cells}")
            t = result.get("T", {})
            hits, n = totals.setdefault(ranker, [0.0, 0.0])
            totals[ranker] = [hits + t.get("hit@1", 0.0) * t.get("n", 0), n + t.get("n", 0)]
    for ranker, (hits, n) in totals.items():
        print(f"all files T hit@1 {ranker:<18}{hits / max(n, 1):.3f} (n={n:.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
