"""Normalisation that lets clause matching see through surface differences.

A normalised text keeps only Han characters, ASCII letters and digits, in Simplified
script and lower case; city names, city brand labels and county-tier forms collapse to
one generic form, and reviewed field synonyms to one canonical term (see thesaurus.py).
`normalize_with_offsets` also returns, for each normalised character, the index of the
original character it came from, so that matches can be highlighted in the original text.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from drafter.matching.thesaurus import SYNONYMS
from drafter.statute.local_terms import (
    CITY_LABELS,
    CITY_NAMES,
    COUNTY_TIER_FORMS,
    REGIONAL_NAMES,
)

# Generic forms the local names collapse to.
GENERIC_CITY = "市"
GENERIC_COUNTY_TIER = "区县"
GENERIC_REGION = "区域"
# Every run of digits (dates, amounts, document numbers) becomes one placeholder digit:
# which date or number a city wrote says nothing about what the clause is for.
GENERIC_NUMBER = "0"
_NUMBER = r"[0-9]+"
_NUMBER_REST = "[0-9]*"  # after a first digit

# Anything that is not a Han character, an ASCII letter or a digit carries no meaning
# for matching (punctuation, spaces, line breaks, item labels' brackets). The kept ranges
# make both the pattern that drops the rest and the array normalize_with_offsets reads.
_KEPT = ((0x30, 0x39), (0x61, 0x7A), (0x3400, 0x4DBF), (0x4E00, 0x9FFF))
_DROP = "[^" + "".join(f"{chr(first)}-{chr(last)}" for first, last in _KEPT) + "]+"
_DROPPED = re.compile(_DROP)
_JOINER = "\0"
_DROPPED_BUT_JOINER = re.compile("[^" + _JOINER + _DROP[2:])


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str]:
    """One-to-one character map: traditional→simplified, full-width→ASCII, upper→lower."""
    table: dict[int, str] = {}
    try:
        import opencc

        dictionary = Path(opencc.__file__).parent / "dictionary"
        simplified: set[str] = set()
        for name in ("TSCharacters.txt", "TWVariantsRev.txt"):
            for line in (dictionary / name).read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if len(parts) < 2 or len(parts[0]) != 1 or len(parts[1]) != 1:
                    continue
                if name.startswith("TS"):
                    simplified.add(parts[1])
                if parts[0] in simplified:  # 么 is simplified already, never 幺
                    continue
                # Taiwan variants go to standard traditional, then on to simplified;
                # some (才→纔) lead back to themselves and must stay as they are.
                target = table.get(ord(parts[1]), parts[1])
                if ord(parts[0]) not in table and target != parts[0]:
                    table[ord(parts[0])] = target
    except (ImportError, OSError):  # the matcher still works on simplified input
        pass
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII block
        table[code] = chr(code - 0xFEE0).lower()
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    table[0x3000] = " "
    return table


@lru_cache(maxsize=1)
def _char_lookup() -> np.ndarray:
    """The map as an array over every code point (4.4 MB): code point -> code point."""
    lookup = np.arange(0x110000, dtype=np.uint32)
    for code, target in _char_table().items():
        lookup[code] = ord(target)
    return lookup


def fold_chars(text: str) -> str:
    """Apply the one-to-one character map (keeps length, so offsets are unchanged)."""
    # str.translate looks every character up in a dict of 4,000 entries (100 ns a
    # character); one array gather does the same three times faster, for every text the
    # index normalises and every result a query shows.
    # surrogatepass: a lone surrogate (pasted from a broken source) passes through, as it
    # did through str.translate, instead of failing the whole text.
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _char_lookup().take(codes).tobytes().decode("utf-32-le", "surrogatepass")


def _fold_phrase(phrase: str) -> str:
    return unicodedata.normalize("NFKC", fold_chars(phrase)).lower()


def _trie(phrases: Iterable[str]) -> dict:
    """The phrases as nested dicts by character; "" marks where a phrase ends."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return trie


def _branches(node: dict) -> list[str]:
    """One alternative per character that continues a trie node, each opening on it."""
    return [re.escape(char) + _node_pattern(child) for char, child in sorted(node.items()) if char]


def _node_pattern(node: dict) -> str:
    """What may follow a trie node, longest first: greedy optional groups prefer the longer
    phrase, and backtrack to a shorter one."""
    branches = _branches(node)
    if not branches:
        return ""
    if len(branches) == 1 and "" not in node:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if "" in node else group


def _trie_pattern(phrases: Iterable[str]) -> str:
    """A regular expression matching the longest of `phrases` at a position, factored as a
    trie."""
    return _node_pattern(_trie(phrases)) or "(?!)"


def _phrases_or_numbers(phrases: Iterable[str]) -> str:
    """A pattern matching, at a position, the longest of `phrases`, or else a run of digits.

    Every top-level alternative opens on one literal character (the trie's first level,
    then one per digit): re's compiler takes the set of those characters as the pattern's
    prefix and skips, in C, every position whose character opens nothing. Written as
    (?P<p>...)|(?P<n>[0-9]+), both groups are tried at every position of the text, which
    made normalising twice as slow. A match is a phrase exactly when its text is one of
    `phrases`: a run of digits that were a phrase would have matched as the phrase first.
    """
    digits = [f"{digit}{_NUMBER_REST}" for digit in "0123456789"]
    return "(?:" + "|".join([*_branches(_trie(phrases)), *digits]) + ")"


class Normalizer:
    """Normalises text for matching; knows the city names of the whole library."""

    def __init__(self, extra_cities: Iterable[str] = ()) -> None:
        replacements: dict[str, str] = {}
        for label, generic in CITY_LABELS.items():
            replacements[_fold_phrase(label)] = _fold_phrase(generic)
        cities = set(CITY_NAMES) | {c for c in extra_cities if c}
        for city in cities:
            replacements[_fold_phrase(city)] = GENERIC_CITY
            short = city[:-1] if city.endswith("市") and len(city) >= 3 else ""
            if short:
                replacements.setdefault(_fold_phrase(short), GENERIC_CITY)
        for names in CITY_NAMES.values():
            for name in names:
                replacements.setdefault(_fold_phrase(name), GENERIC_CITY)
        replacements["本市"] = GENERIC_CITY
        # Regional strategies and named places (成渝地区双城经济圈, 长三角, 江东新区) are
        # local names too: each city names its own.
        for name in REGIONAL_NAMES:
            replacements.setdefault(_fold_phrase(name), GENERIC_REGION)
        for form in COUNTY_TIER_FORMS:
            replacements[_fold_phrase(form)] = GENERIC_COUNTY_TIER
        for variant, canonical in SYNONYMS.items():
            replacements[_fold_phrase(variant)] = _fold_phrase(canonical)
        self.replacements = replacements
        # The phrases as a trie: at each character one branch can match, and the longest
        # phrase wins (海口市 over 海口, 区（市）县 over 区（市）), as with a longest-first
        # alternation, but without trying 160 alternatives at every position (a quarter
        # faster over a whole library's build).
        alternation = _trie_pattern(replacements)
        # A look-ahead on the phrases' first characters: at most positions one class test
        # fails where the trie's top level would test its ~80 branches one by one (a third
        # off normalising a library).
        first = first_characters(alternation)
        phrases = f"(?=[{first}]){alternation}" if first else alternation
        self._pattern = re.compile(f"(?P<p>{phrases})|(?P<n>{_NUMBER})|(?P<d>{_DROP})")
        # Phrases and numbers alone: characters to drop are then removed in one pass
        # after (normalize) or one array pass (codes_with_offsets) instead of one match
        # and one Python call each. The same result as long as no phrase starts with a
        # dropped character (a match could then start inside a run the full pattern
        # drops whole) and no replacement has one.
        exact = not any(_DROPPED.match(p) for p in replacements) and not any(
            _DROPPED.search(r) for r in replacements.values()
        )
        self._words = re.compile(_phrases_or_numbers(replacements)) if exact else None

    def signature(self) -> str:
        """Changes whenever the normalised or indexed form of some text would change."""
        table = sorted(_char_table().items())
        rules = (table, sorted(self.replacements.items()), _NUMBER, _BOILERPLATE.pattern)
        return hashlib.sha256(repr(rules).encode()).hexdigest()

    def _replace(self, match: re.Match[str]) -> str:
        phrase = match.group("p")
        if phrase is not None:
            return self.replacements[phrase]
        return GENERIC_NUMBER if match.group("n") is not None else ""

    def _replace_word(self, match: re.Match[str]) -> str:
        return self.replacements.get(match.group(), GENERIC_NUMBER)

    def normalize(self, text: str) -> str:
        """The normalised form of a text."""
        if self._words is None:
            return self._pattern.sub(self._replace, fold_chars(text))
        return _DROPPED.sub("", self._words.sub(self._replace_word, fold_chars(text)))

    def normalize_many(self, texts: list[str]) -> list[str]:
        """`normalize` of each text, in one pass for all: an index build normalises ten
        thousand paragraphs at a time, and one call each cost as much again as the
        matching. The texts are joined by a NUL, which no phrase or number can span and
        which the last step keeps, to split on."""
        joined = _JOINER.join(texts)
        if self._words is None or joined.count(_JOINER) != len(texts) - 1:
            return [self.normalize(text) for text in texts]  # a text holds a NUL itself
        words = self._words.sub(self._replace_word, fold_chars(joined))
        return _DROPPED_BUT_JOINER.sub("", words).split(_JOINER)

    def normalize_with_offsets(self, text: str) -> tuple[str, list[tuple[int, int]]]:
        """The normalised form and, per normalised character, the original range it stands for.

        Every character produced by a replaced phrase stands for the whole phrase, so a
        highlighted run covers the original wording (海口市, not just 市).
        """
        if self._words is not None:
            found = self.codes_with_offsets([text])[0]
            norm = found.codes.tobytes().decode("utf-32-le")
            return norm, list(zip(found.starts.tolist(), found.ends.tolist(), strict=True))
        # A phrase that starts with a dropped character: one match per dropped run.
        folded = fold_chars(text)
        pieces: list[str] = []
        offsets: list[tuple[int, int]] = []
        pos = 0
        for match in self._pattern.finditer(folded):
            start, end = match.span()
            pieces.append(folded[pos:start])
            # zip of ranges: the pairs are made in C (ten results' texts a query).
            offsets.extend(zip(range(pos, start), range(pos + 1, start + 1), strict=True))
            output = self._replace(match)
            if output:
                pieces.append(output)
                offsets.extend([(start, end)] * len(output))
            pos = end
        pieces.append(folded[pos:])
        offsets.extend(zip(range(pos, len(folded)), range(pos + 1, len(folded) + 1), strict=True))
        return "".join(pieces), offsets

    def codes_with_offsets(self, texts: list[str]) -> list[NormalizedCodes]:
        """`normalize_with_offsets` of each text, as arrays, in one pass for all: a
        suggestion list's ten texts each normalised alone cost a fifth of an intent's
        suggest, most of it per call. The texts are joined by a line break, which is
        dropped and which no phrase or number can span, so each text normalises as alone.
        Phrases and numbers are matched; dropped characters go in one array pass."""
        if self._words is None or not texts:
            return [_as_codes(*self.normalize_with_offsets(t)) for t in texts]
        folded = fold_chars("\n".join(texts))
        codes = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        code_parts, start_parts, end_parts = [], [], []
        pos = 0
        for match in self._words.finditer(folded):
            start, end = match.span()
            code_parts.append(codes[pos:start])
            start_parts.append(np.arange(pos, start))
            output = np.frombuffer(self._replace_word(match).encode("utf-32-le"), dtype=np.uint32)
            code_parts.append(output)
            start_parts.append(np.full(len(output), start))
            end_parts.append((len(output), end))
            pos = end
        code_parts.append(codes[pos:])
        start_parts.append(np.arange(pos, len(codes)))
        out = np.concatenate(code_parts) if len(code_parts) > 1 else codes
        starts = np.concatenate(start_parts) if len(start_parts) > 1 else start_parts[0]
        # A character's range ends where it does, or a replaced phrase's where the phrase does.
        ends = starts + 1
        if end_parts:
            lengths = np.array([len(c) for c in code_parts])
            at = np.cumsum(lengths)[0:-1:2]  # where each replacement's output begins
            for first, (count, end) in zip(at.tolist(), end_parts, strict=True):
                ends[first : first + count] = end
        kept = _kept_characters().take(out)
        out, starts, ends = out[kept], starts[kept], ends[kept]
        bases = np.cumsum([0] + [len(t) + 1 for t in texts])
        cuts = np.searchsorted(starts, bases).tolist()
        return [
            NormalizedCodes(out[a:b], starts[a:b] - base, ends[a:b] - base)
            for a, b, base in zip(cuts, cuts[1:], bases.tolist(), strict=False)
        ]


@dataclass(frozen=True)
class NormalizedCodes:
    """A normalised text as code points, with the original [start, end) of each."""

    codes: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


def _as_codes(norm: str, offsets: list[tuple[int, int]]) -> NormalizedCodes:
    codes = np.frombuffer(norm.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    pairs = np.array(offsets, dtype=np.intp).reshape(-1, 2)
    return NormalizedCodes(codes, pairs[:, 0], pairs[:, 1])


@lru_cache(maxsize=1)
def _kept_characters() -> np.ndarray:
    """Per code point, whether normalising keeps it (the complement of _DROP)."""
    kept = np.zeros(0x110000, dtype=bool)
    for first, last in _KEPT:
        kept[first : last + 1] = True
    return kept


# Subjects and modal words that open most articles; they say nothing about the topic and
# would otherwise dominate similarity ("市、区人民政府及其有关部门应当…").
_LEVELS = ("市", "区县", "区", "县", "乡镇", "街道")
_GOVERNMENT = f"(?:(?:{'|'.join(_LEVELS)})(?:和|及)?)*(?:人民政府|政府)"
_QUALIFIERS = ("有关", "相关", "其他有关")
_DEPARTMENT = f"(?:{'|'.join(_QUALIFIERS)})?(?:主管)?部门"
_WORDS = (
    "及其",
    "应当",
    "依法",
    "按照",
    "根据",
    "本条例",
    "有关规定",
    "规定",
    # Generic legal subjects: any person or body at all, whatever the clause does.
    "自然人法人和非法人组织",
    "公民法人(?:和|或者)其他组织",
    "任何单位和个人",
)
_BOILERPLATE = re.compile("|".join([_GOVERNMENT, _DEPARTMENT, *_WORDS]))


def first_characters(pattern: str) -> str | None:
    """The characters a match of `pattern` can start with, as a character class's body;
    None when that cannot be told (a construct not handled here, or an empty match)."""
    try:
        sre = importlib.import_module("re._parser")
    except ImportError:  # Python 3.10
        sre = importlib.import_module("sre_parse")

    def of_sequence(items) -> tuple[set[str], bool]:
        found: set[str] = set()
        for op, av in items:
            chars, can_be_empty = of_item(op, av)
            found |= chars
            if not can_be_empty:
                return found, False
        return found, True

    def of_item(op, av) -> tuple[set[str], bool]:
        if op is sre.LITERAL:
            return {chr(av)}, False
        if op is sre.IN:
            chars: set[str] = set()
            for kind, value in av:
                if kind is sre.LITERAL:
                    chars.add(chr(value))
                elif kind is sre.RANGE and value[1] - value[0] < 256:
                    chars.update(chr(c) for c in range(value[0], value[1] + 1))
                else:
                    raise ValueError(kind)
            return chars, False
        if op is sre.BRANCH:
            parts = [of_sequence(branch) for branch in av[1]]
            return set().union(*(p[0] for p in parts)), any(p[1] for p in parts)
        if op is sre.SUBPATTERN:
            return of_sequence(av[-1])
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            chars, can_be_empty = of_sequence(av[2])
            return chars, can_be_empty or av[0] == 0
        raise ValueError(op)

    try:
        chars, can_be_empty = of_sequence(sre.parse(pattern))
    except (ValueError, AttributeError):
        return None
    if can_be_empty or not chars:
        return None
    return "".join(re.escape(c) for c in sorted(chars))


# The same pattern with every alternative opening on a literal, in the same order of
# preference (what an optional or repeated opening group could match first comes first,
# the empty case after): re then skips, in C, every position whose character opens no
# alternative, where the grouped form tried each branch at every position. A rerank
# strips a hundred paragraphs a query; this is two to three times faster.
_BOILERPLATE_FAST = re.compile(
    "|".join(
        [
            *(f"{level}(?:和|及)?{_GOVERNMENT}" for level in _LEVELS),
            "人民政府",
            "政府",
            *(f"{qualifier}(?:主管)?部门" for qualifier in _QUALIFIERS),
            "主管部门",
            "部门",
            *_WORDS,
        ]
    )
)


def strip_boilerplate(norm: str) -> str:
    """A normalised text without its boilerplate subjects and modal words."""
    return _BOILERPLATE_FAST.sub("", norm)


def strip_each(texts: list[str]) -> list[str]:
    """strip_boilerplate of each normalised text, in one pass of the pattern (a rerank
    strips a few hundred a query): a normalised text has no line break, and no
    boilerplate match can cross one."""
    return strip_boilerplate("\n".join(texts)).split("\n") if texts else []


@lru_cache(maxsize=1)
def default_normalizer() -> Normalizer:
    """A normaliser that knows the bundled cities only."""
    return Normalizer()


def normalize(text: str) -> str:
    """Normalise with the bundled cities (see Normalizer)."""
    return default_normalizer().normalize(text)


def to_spans(
    offsets: list[tuple[int, int]], runs: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Map runs [start, end) of normalised characters to merged original character ranges."""
    spans: list[tuple[int, int]] = []
    for start, end in sorted(runs):
        if end <= start:
            continue
        lo, hi = offsets[start][0], offsets[end - 1][1]
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(hi, spans[-1][1]))
        else:
            spans.append((lo, hi))
    return spans
