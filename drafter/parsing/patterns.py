"""What the lines of a regulation page look like: headings, articles, items, notices, junk."""

from __future__ import annotations

import re

from drafter.statute.numerals import CHINESE_NUMERAL_CHARS

_NUM = f"[{CHINESE_NUMERAL_CHARS}]+"

# "第一章 总则", "第十章  附  则"
CHAPTER_HEADING = re.compile(rf"^第({_NUM})章\s*(.*)$")
# "第二十一条 …", and also "第二十一条市、县级市…" where the space was lost; a bare
# "第二十一条" line is an article whose text is empty (a draft's placeholder article).
ARTICLE_HEADING = re.compile(rf"^第({_NUM})条(?:\s+|(?=[^\s，、；。的规中第之])|$)(.*)$")
# Chengdu's captions: "【目的依据】" alone or before the text.
CAPTION = re.compile(r"^【([^【】]{1,30})】\s*(.*)$")
# "（一）…" items; the numeral must not be followed by another bracket (（一）（二）is rare).
ITEM = re.compile(rf"^[（(]({_NUM})[）)]\s*(.*)$")
TABLE_OF_CONTENTS = re.compile(r"^目\s*录$")
STATUS_IN_TITLE = re.compile(
    r"[（(]\s*(草\s*案[^）)]*|征求意见稿|修订草案[^）)]*|送审稿|试行)\s*[）)]"
)
STATUS_LINE = re.compile(r"^[（(]\s*(草\s*案|征求意见稿|修订草案|送审稿)\s*[）)]$")
TITLE_WORDS = re.compile(r"(条例|办法|规定|决定|细则|规则)")
# "（2021年10月29日…通过 …批准）" under the title.
ADOPTION_NOTE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日.*(通过|批准|公布|修正|修订)")
ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?$")

# A drafting explanation's heading: 关于《…》的起草说明 / 关于制定《…》的说明 / 起草说明.
EXPLANATION_HEADING = re.compile(
    r"^(关于.{0,8}《.+》.{0,6}说明|《.+》.{0,6}(起草)?说明|起草说明|说明)$"
)

# Lines that belong to the web page, not to the regulation or its explanation.
JUNK_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\[email\s*protected\]"), "联系方式"),
    (
        re.compile(
            r"^(通信地址|地\s*址|电\s*话|联系电话|传\s*真|电子邮箱|邮\s*箱|邮\s*编|联系)[：:]"
        ),
        "联系方式",
    ),
    (re.compile(r"(ICP备|公网安备|网站标识码|版权所有|主办[：:]|承办[：:])"), "网站页脚"),
    (
        re.compile(r"(关闭窗口|打印本页|本篇文章共有\d+页|浏览次数|字号[：:]|【打印】|【关闭】)"),
        "网站页面杂项",
    ),
    (
        re.compile(r"(点击发表意见|最新征集的|留言板|网上道德|您访问的链接即将离开|请注意[：:])"),
        "留言板规则",
    ),
    (re.compile(r"^(意见征集情况|意见征集)$"), "征集情况"),
    # Spam lines are short; a regulation sentence about 体育彩票 is not spam.
    (
        re.compile(r"^[^。；，]{0,12}(足球|比分|彩票|博彩|娱乐城|棋牌|下注)[^。；，]{0,12}$"),
        "无关广告",
    ),
    (re.compile(r"^(基本介绍|发展历程|条例全文|\S{0,4}发展历程，条例全文，?)$"), "网页栏目"),
    (re.compile(r"^-\s*\S+[：:]"), "网页栏目"),
]


def junk_reason(line: str) -> str | None:
    """Why a line is page junk, or None if it may be content."""
    for pattern, reason in JUNK_PATTERNS:
        if pattern.search(line):
            return reason
    return None


def looks_like_unnumbered_heading(line: str) -> bool:
    """A short unpunctuated line between articles: a chapter title that lost its 第X章."""
    if not 2 <= len(line) <= 16:
        return False
    if re.search(r"[。；，：、！？“”《》（）()\d]", line):
        return False
    return not (ARTICLE_HEADING.match(line) or ITEM.match(line) or CAPTION.match(line))


def compact_title(text: str) -> str:
    """Chapter titles lose their padding: "总  则" → "总则"."""
    return re.sub(r"\s+", "", text)
