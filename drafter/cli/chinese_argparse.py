"""argparse in Chinese: its own texts translated, a usage error as one `drafter: 错误:` line.

argparse translates its texts through gettext (`argparse._`, `argparse.ngettext`), but
Python ships no Chinese catalogue and gettext picks the language from the environment.
`ChineseArgumentParser` swaps argparse's two lookup functions for the table below while
it builds, parses or formats, and puts them back afterwards, so other argparse users in
the same process (pytest, for one) keep English. A text missing from the table (a newer
Python rewording one) stays English rather than failing: tests/test_cli_chinese.py checks
the texts the command line shows on the Python that runs it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

# argparse's message ids (Python 3.10–3.13) and their Chinese; placeholders kept as is.
MESSAGES: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",  # Python 3.9 and earlier
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的取值 %(value)r（可选：%(choices)s）"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "无效的取值 %(value)r，是否要用 %(closest)r？（可选：%(choices)s）"
    ),
    "invalid %(type)s value: %(value)r": "无效的%(type)s值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "不接受值 %r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 有歧义，可能是 %(matches)s"
    ),
    "unexpected option string: %s": "意外的选项 %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "未知的子命令 %(parser_name)r（可选：%(choices)s）"
    ),
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "subcommands": "子命令",
}
PLURAL_MESSAGES: dict[str, str] = {"expected %s argument": "需要 %s 个值"}
# Python's names of the built-in types a value failed to convert to.
TYPE_NAMES = {"int": "整数", "float": "数字", "str": "文字"}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular in PLURAL_MESSAGES:
        return PLURAL_MESSAGES[singular]
    return singular if n == 1 else plural


@contextmanager
def chinese_texts() -> Iterator[None]:
    """argparse speaks Chinese inside this block (nested blocks are fine)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Chinese; a usage error exits with 2.

    Sub-parsers are made with the parent's class (argparse's default `parser_class`),
    so `add_subparsers()` on this parser gives Chinese sub-commands as well.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with chinese_texts():  # group titles and the -h help are translated here
            super().__init__(*args, **kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        with chinese_texts():  # "unrecognized arguments" is reported here
            return super().parse_args(args, namespace)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        with chinese_texts():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with chinese_texts():
            return super().format_usage()

    def format_help(self) -> str:
        with chinese_texts():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        """One line, like the other errors of the command line, naming where help is."""
        for name, chinese in TYPE_NAMES.items():
            message = message.replace(f"无效的{name}值", f"无效的{chinese}值")
        program = self.prog.split()[0] if self.prog else "drafter"
        self.exit(2, f"{program}: 错误: {message}（{self.prog} -h 查看用法）\n")
