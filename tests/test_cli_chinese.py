"""The command line in Chinese: argparse's texts, and a usage error as one line with exit 2."""

from __future__ import annotations

import argparse
import re

import pytest

from drafter.cli.main import main
from tests.helpers import run_cli

# argparse's English, as it would show without the translation.
ENGLISH = re.compile(
    r"\b(usage|options|positional|arguments?|show this help|required|invalid|choose|"
    r"expected|unrecognized|error)\b",
    re.IGNORECASE,
)

HELP_CASES = [
    ["-h"],
    ["refs", "-h"],
    ["refs", "show", "--help"],
    ["suggest", "-h"],
    ["new", "-h"],
    ["edit", "草案.drafter.json", "delete-article", "-h"],
]


@pytest.mark.parametrize("argv", HELP_CASES, ids=" ".join)
def test_help_is_chinese(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：drafter") and "\n选项:\n" in out and "显示本帮助并退出" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)
    # The translation is scoped: argparse is English again for everyone else (pytest too).
    assert argparse._("usage: ") == "usage: "


def test_help_names_positional_arguments_in_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["refs", "show", "-h"])
    assert "\n位置参数:\n" in capsys.readouterr().out


USAGE_ERRORS = [
    (["no-such-command"], "无效的取值 'no-such-command'（可选：'refs'"),
    (["refs", "show"], "缺少必需的参数：ID"),
    (["refs", "list", "--bogus"], "无法识别的参数：--bogus"),
    (["suggest", "--top", "ten", "数据"], "参数 --top：无效的整数值：'ten'"),
    (["suggest", "--top"], "参数 --top：需要一个值"),
    (["export"], "缺少必需的参数"),
    (["edit", "草案.drafter.json", "delete-article"], "缺少必需的参数：N"),
    (["edit", "草案.drafter.json", "delete-article", "零"], "编号从 1 开始"),
    (["edit", "草案.drafter.json", "frobnicate"], "无效的取值 'frobnicate'"),
]


@pytest.mark.parametrize(
    ("argv", "message"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS]
)
def test_usage_error_is_one_chinese_line_and_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("drafter: 错误: ") and message in lines[0], lines[0]
    assert lines[0].endswith("-h 查看用法）")
    assert not ENGLISH.search(lines[0]), lines[0]


def test_usage_error_from_the_installed_command(tmp_path):
    result = run_cli("refs", "correct", "haikou", data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert result.stderr.startswith("drafter: 错误: 缺少必需的参数：--article")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
