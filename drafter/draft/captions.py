"""条旨 (article captions): a suggestion for an article that has none.

The caption of the reference article the clause was adopted from comes first (成都 prints
【目的依据】, 【政府职责】… before each article), unless it names a place. Otherwise a
short noun phrase is derived from the text: the standard articles by their formula
(为了……制定本条例 → 立法目的, ……适用本条例 → 适用范围, 违反本条例…… → 法律责任, …), any
other by the object of its first duty (市人民政府应当建立公共数据共享协调机制 → 公共数据共享
协调机制). Phrases are cut only at word boundaries the text itself marks (punctuation,
function words, verbs, the words of `_WORDS`), never mid-word and never with "……".

Derivation is a pure function of the text, cached, so the editor can call it whenever an
article is shown.
"""

from __future__ import annotations

import re
from functools import lru_cache

from drafter.draft.document import Draft
from drafter.draft.localisation import find_local_terms
from drafter.draft.source_links import SUGGESTED
from drafter.statute.local_terms import CITY_LABELS
from drafter.statute.model import Article

MAX_CHARS = 10
FALLBACK = "其他规定"

# What a caption must not end on: a function word or list mark leaves the phrase open
# (unless it closes a word: 目的, 参与).
OPEN_ENDINGS = ("的", "和", "及", "与", "、", "或", "等", "对", "在", "为", "以", "将", "并")
_CLOSED_WORDS = ("目的", "参与", "普及", "涉及", "给予", "赋予", "授予", "可及", "行为", "作为")


def ends_open(caption: str) -> bool:
    """True when the caption stops on a function word, as if cut off mid-phrase."""
    return caption.endswith(OPEN_ENDINGS) and not caption.endswith(_CLOSED_WORDS)


_ACT = r"本(?:条例|规定|办法|决定)"
_LISTED_DUTIES = r"[^，。；：]{0,12}(?:履行|承担|负责)(?:下列|以下)"
# Standard articles, recognised by their formula; tried in order on the first sentence.
_FORMULAS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(rf"^为了?.*(?:制定|修订){_ACT}"), "立法目的"),
    (re.compile(rf"^{_ACT}(?:中)?(?:所称|下列用语|所指)"), "术语含义"),
    (re.compile(rf"适用{_ACT}|{_ACT}适用于"), "适用范围"),
    (re.compile(rf"^{_ACT}.{{0,40}}(?:施行|实施)"), "施行日期"),
    (re.compile(rf"违反{_ACT}|玩忽职守|滥用职权|徇私舞弊|追究刑事责任|从其规定"), "法律责任"),
    (re.compile(r"(?:遵循|坚持|贯彻).{0,80}(?:原则|方针)$"), "基本原则"),
    (re.compile(r"^[^，。；]*人民政府[^，。；]{0,12}应当(?:加强|强化)[^，。；]*领导"), "政府职责"),
    # 市人民政府应当履行下列职责：（一）……: the list is the article (it gave 下列职责).
    (re.compile(rf"^[^，。；：]*人民政府{_LISTED_DUTIES}"), "政府职责"),
    (re.compile(rf"^[^，。；：]*(?:部门|机构){_LISTED_DUTIES}"), "部门职责"),
    (re.compile(r"^[^，。；]*(?:部门|机构)(?:具体)?负责"), "部门职责"),
    (re.compile(r"^[^，。；]*(?:部门|机构|单位)应当(?:按照|根据|依照)各自职责"), "部门职责"),
    (re.compile(r"^鼓励.*(?:参与|共同)"), "社会参与"),
    (re.compile(r"不得(?:泄露|篡改|毁损|出售|非法)"), "信息保护"),
)
# Formulas whose caption is built from the text: 信息基础设施受到法律保护 → 信息基础设施保护.
_PROTECTED = re.compile(r"^([^，、]{2,8}?)(?:依法)?受(?:到)?[^，]{0,6}保护")

# Duty and permission words between the subject and the action (bare 应 not in 应用/应急).
_MODALS = re.compile(r"应当|负责|可以|必须|不得|应(?![当用对急答])")
# Manner words before the verb: dropped, they are not the subject matter.
_ADVERBS = (
    "进一步", "积极", "全面", "大力", "加快", "逐步", "依法", "持续", "切实", "充分",
    "重点", "有序", "着力", "主动", "共同", "定期", "及时", "统一", "优先", "广泛",
)  # fmt: skip
# Verbs that open the action; the caption is their object.
_VERBS = (
    "建立健全", "建立和完善", "鼓励和支持", "鼓励和引导", "支持和鼓励", "组织和推动", "建设完善",
    "制定完善", "推进", "推动", "建立", "健全", "加强", "完善", "建设", "制定", "培育", "支持",
    "鼓励", "促进", "整合", "搭建", "落实", "规范", "加大", "提高", "提升", "扩大", "优化",
    "组织", "开展", "构建", "强化", "引导", "发展", "保障", "设立", "实行", "实施", "探索",
    "深化", "编制", "采取", "做好", "推广", "打造", "拓展", "创新", "统筹", "承担", "履行",
    "指导", "协调", "监督", "加快", "使用", "安排", "考虑", "提供", "参与", "安装", "兴办",
    "引进", "汇集", "执行", "发挥", "进行", "购买", "将",
)  # fmt: skip
_VERBS_LONGEST = tuple(sorted(_VERBS, key=len, reverse=True))
# Verbs whose object is who acts, not what: the topic follows the next verb
# (鼓励企业建设行业云数据平台 → 行业云数据平台).
_CAUSATIVE = ("鼓励", "支持", "引导", "组织", "推动", "要求", "督促")
_VERB_ALT = "|".join(_VERBS_LONGEST)
_QUOTED = r"(?:[^，；。“”]|“[^”]*”)"
# Phrases before the verb that only say how, where or with whom (会同有关部门, 运用大数据).
_COVERB_WORDS = r"会同|联合|依托|结合|围绕|按照|根据|依照|通过|运用|利用|采用|在|对|向|与|以|为"
_COVERB = re.compile(rf"^(?:{_COVERB_WORDS}){_QUOTED}{{0,30}}?(?=(?:{_VERB_ALT}))")
_COVERB_ONLY = re.compile(rf"^(?:{_COVERB_WORDS})")
# Scope words that open an object without naming its subject.
_SCOPE = re.compile(
    r"^(?:本行政区域内|本行政区域|本市|全市|本级|各级|全省|市级|城乡|相关|有关|各类|领域|方面"
    r"|市(?![场民区县级容貌政]))+"
)
# Regional strategies (成渝地区双城经济圈, 长三角) are another city's; the topic is the same.
REGIONAL_TOPIC = "区域协同发展"
# Where an object phrase stops: a second predicate or an adverbial follows.
_STOP = re.compile(r"向|并|同步|纳入|列入|作为|实现|确保|于|提供|以及|及其")
# Heads too general to stand alone (推进……等工作 → the first listed thing instead).
_GENERIC = {
    "工作", "活动", "事项", "事务", "方面", "领域", "措施", "方式", "作用", "内容", "职责",
    "要求", "规定", "有效措施", "相关政策", "政策措施", "情况", "水平",
}  # fmt: skip
# Who acts: a subject ending so is not the topic of its article.
_ACTOR_WORDS = "(?:政府|部门|单位|机构|机关|组织|个人|者|企业|学校|高校|院所|媒体|办公室|管委会)"
_ACTOR = re.compile(_ACTOR_WORDS + "$")
# Words that must stay whole when a long phrase is shortened from the front: the cut
# falls before one of them or after a function word, never inside a word.
_WORDS = (
    "数字化转型", "基础设施", "公共数据", "政务数据", "政务服务", "信息资源", "数据资源",
    "智慧城市", "数字经济", "数字技术", "人工智能", "物联网", "互联网", "大数据", "云计算",
    "区块链", "应用场景", "发展规划", "体制机制", "标准规范", "知识产权", "网络安全", "数据安全",
    "社会保障", "城市运行", "数据要素", "高等院校", "高等学校", "科研机构", "信息化", "一体化",
    "智能化",
    "平台", "机制", "体系", "制度", "建设", "管理", "服务", "发展", "应用", "共享", "开放",
    "融合", "创新", "保护", "安全", "保障", "规划", "项目", "人才", "资金", "标准", "评估",
    "考核", "监测", "产业", "数据", "信息", "网络", "系统", "技术", "经济", "社会", "城市",
    "政务", "公共", "市场", "企业", "农业", "工业", "教育", "交通", "医疗", "生态", "环境",
    "信用", "治理", "交流", "合作", "国际", "改造", "升级",
)  # fmt: skip
# A noun phrase "X和Y" whose parts share this head names X first (总体规划和专项规划).
_HEADS = ("制度", "规划", "体系", "平台", "机制", "设施", "建设", "管理", "服务", "改造", "系统")
_FUNCTION_CHARS = set("的和及与、或等")
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")


def _first_sentence(text: str) -> str:
    line = next((line for line in text.splitlines() if line.strip()), "")
    return re.split(r"[。；：]", line.strip(), maxsplit=1)[0].strip()


def _clauses(sentence: str) -> list[str]:
    """The sentence's clauses, commas inside quotes kept."""
    parts, depth, current = [], 0, ""
    for char in sentence:
        depth += {"“": 1, "”": -1}.get(char, 0)
        if char in "，," and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [c for c in [*parts, current] if c]


def _strip_verbs(phrase: str) -> str:
    for verb in _VERBS_LONGEST:
        rest = phrase[len(verb) :]
        if phrase.startswith(verb) and len(rest) > 1 and rest[0] not in _FUNCTION_CHARS - {"、"}:
            if rest.startswith("、"):  # 编制、实施……规划: a list of verbs
                return _strip_verbs(rest[1:])
            return rest
    return phrase


def _strip_front(phrase: str) -> str:
    """Drop manner words, coverb phrases, scope words and verbs before the object."""
    for _ in range(6):
        before = phrase
        for adverb in _ADVERBS:
            if phrase.startswith(adverb) and len(phrase) > len(adverb) + 1:
                phrase = phrase[len(adverb) :]
        coverb = _COVERB.match(phrase)
        if coverb:
            phrase = phrase[coverb.end() :]
        stripped = _strip_verbs(phrase)
        if stripped != phrase and phrase.startswith(_CAUSATIVE):
            # 鼓励企业、高校建设行业云数据平台: what follows the actors' own verb.
            later = re.search(rf"{_ACTOR_WORDS}((?:{_VERB_ALT}))", stripped)
            if later and later.start(1) < 40:
                stripped = stripped[later.start(1) :]
        phrase = _SCOPE.sub("", stripped) or stripped
        if phrase == before:
            break
    return phrase


def _boundaries(phrase: str) -> list[int]:
    """Positions where a word starts: after a function character, or where a known word does."""
    starts = {0}
    covered: set[int] = set()
    for quote in re.finditer(r"“[^”]*”", phrase):
        starts.add(quote.start())
        covered.update(range(quote.start() + 1, quote.end()))
    for index, char in enumerate(phrase):
        if char in _FUNCTION_CHARS and index + 1 not in covered:
            starts.add(index + 1)
    for word in sorted(_WORDS, key=len, reverse=True):
        for match in re.finditer(re.escape(word), phrase):
            inside = range(match.start() + 1, match.end())
            if match.start() in covered or any(i in covered or i in starts for i in inside):
                continue
            starts.add(match.start())
            starts.add(match.end())
            covered.update(inside)
    return sorted(s for s in starts if s not in covered and s < len(phrase))


def _trim(phrase: str) -> str:
    phrase = phrase.strip("的和及与、或等，")
    if phrase.endswith("工作") and len(phrase) > 4:
        phrase = phrase[:-2].rstrip("的和及与、")
    return _SCOPE.sub("", phrase) or phrase


def _shorten(phrase: str) -> str:
    """A phrase of at most MAX_CHARS characters, cut only at word starts (head noun kept)."""
    phrase = _trim(phrase)
    if len(phrase) <= MAX_CHARS:
        return phrase
    # 网络安全管理制度和安全责任制度: two things of one kind, the first named.
    for conj in "和与及":
        first, _, second = phrase.partition(conj)
        if second and first.endswith(_HEADS) and second.endswith(first[-2:]):
            if 2 <= len(first) <= MAX_CHARS:
                return first
    # A list: "数据采集、汇聚、共享" names its topic in the first item.
    if "、" in phrase and "“" not in phrase:
        head = phrase.split("、", 1)[0]
        if 4 <= len(head) <= MAX_CHARS:
            return head
    # Chinese noun phrases end in their head: keep the longest tail that fits.
    for start in _boundaries(phrase):
        tail = _trim(phrase[start:])
        if 2 <= len(tail) <= MAX_CHARS and tail[0] not in _FUNCTION_CHARS:
            return tail
    return ""


def _delocalise(phrase: str, city: str = "") -> str:
    """Other cities' labels become the generic term; names and places are dropped with
    what precedes them (海口城市大脑 → 城市大脑)."""
    for label, generic in CITY_LABELS.items():
        phrase = phrase.replace(label, generic)
    findings = find_local_terms(phrase, city)
    if any(f.kind == "regional_name" for f in findings):
        return REGIONAL_TOPIC
    for finding in reversed(findings):
        if finding.kind in ("other_city", "county_tier", "other_document"):
            phrase = phrase[finding.end :]
    return phrase


def _of_phrase(rest: str) -> str:
    """X的Y: the head Y, with the core of X when Y is short (特殊群体的诉求 → 特殊群体诉求)."""
    head, _, tail = rest.rpartition("的")
    head = re.sub(rf"^(?:{_COVERB_WORDS})", "", head)
    head = re.sub(r"(?:跨[^、，]{1,4}[、，]?)+$", "", head)  # 信息跨部门、跨行业的共享
    items = re.fullmatch(r"(?:[^、和及与]{2}[、和及与])+([^、和及与]{2})(?:工作)?", tail)
    if items:  # 采集、存储、交换和共享: the last step names where the list leads
        tail = items.group(1)
    core = re.split(r"[、等的]", head)[-1]
    core = re.split(r"在|对|于", core)[0] if re.search(r"在|对|于", core[1:]) else core
    core = _SCOPE.sub("", core)
    tail = re.sub(r"^(.{2})和(.{2})$", r"\1\2", tail)  # 开发和利用 → 开发利用
    if tail in _GENERIC or len(tail) <= 4:
        if 2 <= len(core) and len(core) + len(tail) <= MAX_CHARS and tail not in _GENERIC:
            return core + tail
        if tail in _GENERIC:
            return core if len(core) >= 2 else head
    return tail


def _object_phrase(clause: str) -> str:
    """The object of the clause's duty, before any second predicate."""
    clause = re.sub(r"^(?:并|且|同时|还|也)", "", clause)
    modal = _MODALS.search(clause)
    subject = clause[: modal.start()] if modal else ""
    rest = clause[modal.end() :] if modal else clause
    acting = None if modal else re.search(rf"{_ACTOR_WORDS}((?:{_VERB_ALT}))", clause)
    if acting:  # 有关单位开展数据处理活动，应当……: the actors' own verb
        rest = clause[acting.start(1) :]
    for adverb in _ADVERBS:
        if rest.startswith(adverb):
            rest = rest[len(adverb) :]
    # 对本级数字化转型情况进行评估 → 数字化转型评估
    treated = re.match(r"^对(.+?)(?:进行|开展|实施|实行)(.+)$", rest)
    if treated:
        thing = _SCOPE.sub("", re.sub(r"(?:情况|工作)$", "", treated.group(1)))
        rest = thing + treated.group(2)
        if len(rest) > MAX_CHARS:
            rest = treated.group(2) if len(treated.group(2)) >= 4 else thing
    else:
        rest = _strip_front(rest)
    if _COVERB_ONLY.match(rest) and not re.search(_VERB_ALT, rest[1:]):
        if rest.startswith(("运用", "利用", "依托", "采用")):
            rest = rest[2:]  # 充分利用共享信息: here the coverb is the verb
        elif subject and not _ACTOR.search(subject):
            rest = ""  # 数字基础设施应当与……同步设计: the subject is the topic
        else:
            return ""  # 按照国家和省规定: only the circumstances; the next clause acts
    stop = _STOP.search(rest, 2)
    if stop:
        rest = rest[: stop.start()]
    # 推进……等通信网络基础设施: after 等 comes the kind all the listed things belong to.
    if "等" in rest:
        head, _, tail = rest.rpartition("等")
        tail = _trim(tail)
        if tail.startswith("的"):
            tail = tail[1:]
        if len(tail) >= 2 and tail not in _GENERIC:
            rest = tail
        else:
            rest = head.split("、", 1)[0]
    if "的" in rest:
        rest = _of_phrase(rest)
    if rest in _GENERIC or len(rest) < 2:
        # 数字基础设施应当与……同步设计: the subject is the topic when it is not a body.
        if subject and not _ACTOR.search(subject):
            rest = _trim(subject.split("的")[-1].split("等")[-1])
        else:
            return ""
    return _shorten(rest)


def _skip_clause(clauses: list[str], index: int) -> bool:
    """A clause naming who acts, whose duty follows in the next clause (……的所有者，应当……)."""
    clause = clauses[index]
    following = clauses[index + 1] if index + 1 < len(clauses) else ""
    return (
        not _MODALS.search(clause)
        and bool(_MODALS.match(following))
        and bool(_ACTOR.search(clause))
    )


@lru_cache(maxsize=4096)
def derive_caption(text: str) -> str:
    """A caption derived from an article's text alone (cached: the editor calls it often)."""
    sentence = _first_sentence(text)
    if not sentence:
        return ""
    for pattern, caption in _FORMULAS:
        if pattern.search(sentence):
            return caption
    protected = _PROTECTED.match(sentence)
    if protected and acceptable(protected.group(1) + "保护"):
        return protected.group(1) + "保护"
    sentence = _BRACKETED.sub("", sentence)
    clauses = _clauses(sentence)
    for index, clause in enumerate(clauses[:4]):
        if _skip_clause(clauses, index):
            continue
        phrase = _object_phrase(_delocalise(clause))
        phrase = _shorten(_delocalise(phrase))
        # A derived phrase of one word (管理, 评价) says nothing about the article.
        if len(phrase) >= 4 and acceptable(phrase):
            return phrase
    return FALLBACK


def acceptable(caption: str, city: str = "") -> bool:
    """Short, whole, and free of other cities' names, labels and places."""
    return (
        1 < len(caption) <= MAX_CHARS + 2
        and "…" not in caption
        and not ends_open(caption)
        and not caption.startswith(OPEN_ENDINGS)
        and caption.count("“") == caption.count("”")
        and caption.count("（") == caption.count("）")
        and caption not in _VERBS
        and caption not in _GENERIC
        and not find_local_terms(caption, city)
    )


def _reference_article(library, ref: str, number: int) -> Article | None:
    """The reference article through a SourceResolver or a ReferenceLibrary; None if gone."""
    from drafter.errors import DrafterError

    if library is None:
        return None
    # A SourceResolver parses each reference once and answers None for a removed one.
    lookup = getattr(library, "reference", None) or getattr(library, "_reference", None)
    try:
        reference = lookup(ref) if lookup is not None else library.get(ref)
    except (DrafterError, KeyError):
        return None
    return reference.statute.article(number) if reference is not None else None


def source_caption(draft: Draft, article: Article, library) -> str:
    """The caption of the reference article this one was taken from, if usable here."""
    links = draft.provenance.get(article.uid, [])
    # Adopted or confirmed sources first; a discovered one still proposes a caption, since
    # the caption is itself only a suggestion. Whole-article links before 款 links.
    ordered = sorted(
        (link for link in links if link.active or link.state == SUGGESTED),
        key=lambda link: (not link.active, link.draft_paragraph not in (None, 0), -link.similarity),
    )
    for link in ordered:
        source = _reference_article(library, link.ref, link.article)
        if source is None or not source.caption:
            continue
        caption = source.caption.strip("【】[] 　")
        caption = _delocalise(caption, draft.city) if find_local_terms(caption) else caption
        if acceptable(caption, draft.city):
            return caption
    return ""


def suggest_caption(draft: Draft, article: Article, library=None) -> str:
    """A 条旨 for an article: its source's caption, else one derived from its text."""
    return source_caption(draft, article, library) or derive_caption(article.text())


def caption_or_suggestion(draft: Draft, article: Article, library=None) -> str:
    """The article's own caption where it has one, else the suggestion."""
    return article.caption.strip() or suggest_caption(draft, article, library)
