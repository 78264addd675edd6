"""Entry point: dispatch to the window or to a sub-command."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from drafter import __version__
from drafter.cli.chinese_argparse import ChineseArgumentParser, chinese_texts
from drafter.cli.output import printable_output
from drafter.draft.project_file import FILE_SUFFIX
from drafter.errors import DrafterError

# Each module defines `register(subparsers)`, adding its sub-commands with
# `set_defaults(handler=...)`; a handler takes the parsed args and returns an exit code.
COMMAND_MODULES = [
    "drafter.cli.refs_cmd",
    "drafter.cli.suggest_cmd",
    "drafter.cli.eval_cmd",
    "drafter.cli.export_cmd",
    "drafter.cli.draft_cmd",
    "drafter.cli.edit_cmd",
    "drafter.cli.version_cmd",
    "drafter.cli.review_cmd",
]

EXIT_USER_ERROR = 2


def build_parser() -> ChineseArgumentParser:
    """The full argument parser, with every sub-command registered."""
    parser = ChineseArgumentParser(
        prog="drafter",
        description=(
            "立法起草助手：不带参数时打开窗口，给出草案文件时在窗口中打开它；"
            "带子命令时在命令行使用核心功能。"
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"drafter {__version__}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--self-test",
        nargs="?",
        const="",
        metavar="草案文件",
        help="打开窗口、载入参考法规（给出草案文件时再打开它）后自动关闭（安装后自检）",
    )
    # Parsers built by the command modules (shared `parents`, say) get Chinese group titles.
    with chinese_texts():
        subparsers = parser.add_subparsers(
            dest="command", metavar="COMMAND", parser_class=ChineseArgumentParser
        )
        for module_name in COMMAND_MODULES:
            importlib.import_module(module_name).register(subparsers)
    # Set after add_subparsers, which builds the sub-commands' names from the usage.
    parser.usage = (
        "drafter [草案文件] | drafter [--version] [--self-test [草案文件]] | drafter COMMAND …"
    )
    return parser


def command_names(parser: ChineseArgumentParser | None = None) -> set[str]:
    """The sub-commands' names (what `drafter NAME` never takes for a file)."""
    parser = parser or build_parser()
    commands = next(action for action in parser._actions if action.dest == "command")
    return set(commands.choices or ())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI (or the window when no command is given); returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--suggest-service"]:
        # The window's suggestion engine, in its own process (drafter.matching.service).
        from drafter.matching.service import main as serve

        return serve()
    _use_utf8_stdio()
    if not argv:
        return _open_window()
    parser = build_parser()
    if _names_a_draft(argv[0], command_names(parser)):
        return _open_draft_in_window(argv)
    args = parser.parse_args(argv)
    if args.self_test is not None and args.command is None:
        draft = Path(args.self_test).absolute() if args.self_test else None
        return _open_window(draft, self_test=True)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USER_ERROR
    # Everything a command prints (reference text, errors quoting it) reaches the terminal
    # without escape sequences or control characters.
    with printable_output():
        return _run(handler, args)


def _run(handler: Callable[[argparse.Namespace], int | None], args: argparse.Namespace) -> int:
    try:
        return int(handler(args) or 0)
    except DrafterError as error:
        print(f"drafter: 错误: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        # A file the user named could not be read or written (permissions, missing folder).
        where = f"{error.filename}: " if error.filename else ""
        print(f"drafter: 错误: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as error:
        if os.environ.get("DRAFTER_DEBUG"):
            raise
        print(
            f"drafter: 内部错误: {type(error).__name__}: {error}"
            "（设置环境变量 DRAFTER_DEBUG=1 可查看详细信息，请报告给维护人员）",
            file=sys.stderr,
        )
        return 1


def _use_utf8_stdio() -> None:
    # Windows consoles default to a legacy code page; Chinese output must not crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass


def _names_a_draft(first: str, commands: set[str]) -> bool:
    """`drafter FILE`: a first argument that is no command or option and names a file."""
    if first.startswith("-") or first in commands:
        return False
    return first.endswith(FILE_SUFFIX) or Path(first).is_file()


def _open_draft_in_window(argv: list[str]) -> int:
    """`drafter FILE` (a file association, 打开方式): the window with that draft open."""
    if len(argv) > 1:
        print(
            f"drafter: 错误: 一次只能打开一份草案（多出的参数：{' '.join(argv[1:])}）",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    path = Path(argv[0])
    # A file that is not there is reported here, before a window opens for nothing; the
    # windowed Windows build has no console to print to, so there the window's dialog
    # says it instead (FileFlows.open_path reports every file it cannot open).
    if not path.is_file() and sys.stderr is not None:
        reason = "这是一个文件夹，不是草案文件" if path.is_dir() else "草案文件不存在"
        print(f"drafter: 错误: {path}: {reason}", file=sys.stderr)
        return EXIT_USER_ERROR
    return _open_window(path.absolute())  # the window shows and remembers where it is


def _open_window(path: Path | None = None, self_test: bool = False) -> int:
    # Checked before Qt loads: without a display or a library of its platform plugin Qt
    # aborts (a core dump) with an English message that does not say what to install.
    from drafter.display_check import display_problem

    problem = display_problem()
    if problem is not None:
        print(f"drafter: 错误: {problem}", file=sys.stderr)
        return EXIT_USER_ERROR
    try:
        from drafter.gui.app import run_app, run_self_test
    except ImportError as error:
        print(f"drafter: 错误: 无法打开窗口：{error}", file=sys.stderr)
        return EXIT_USER_ERROR
    if self_test:
        return run_self_test(path) if path is not None else run_self_test()
    return run_app(path=path)


if __name__ == "__main__":
    sys.exit(main())
