"""The ``papers`` command: ``build``, ``generate``, ``fetch``, ``label`` and ``email``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import BuildError, InputError

if TYPE_CHECKING:
    from generator.corpus import Summary


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="input folder")
    parser.add_argument(
        "--docs-dir", type=Path, default=Path("docs"), help="where generated Markdown goes"
    )
    parser.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="the MkDocs configuration"
    )
    parser.add_argument(
        "--timings",
        type=Path,
        metavar="FILE",
        help="write each step's wall time and peak memory to FILE as JSON (for benchmarks)",
    )


def _write_timings(path: Path, summary: Summary) -> None:
    steps = [asdict(step) for step in summary.steps]
    data = {"steps": steps, "seconds": summary.seconds}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


#: The distributions whose versions decide what a build writes, as PyPI names them.
VERSIONED = (
    ("papers-site", "generator"),
    ("mkdocs", "MkDocs"),
    ("mkdocs-material", "Material for MkDocs"),
    ("pagefind", "Pagefind"),
    ("pagefind-bin-extended", "Pagefind binary"),
    ("feedgen", "feedgen"),
)


def versions() -> str:
    """One line per package that shapes the site, and the Python running it: what a deploy
    log shows of what built the site (the site itself carries no versions)."""
    from importlib import metadata  # only here: it takes a sixth of the start-up

    lines = []
    for distribution, label in VERSIONED:
        try:
            found = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            found = "not installed"
        lines.append(f"{label} {found}")
    if os.environ.get("PAPERS_PAGEFIND"):
        lines.append(f"Pagefind run as {os.environ['PAPERS_PAGEFIND']} (PAPERS_PAGEFIND)")
    lines.append(f"Python {sys.version.split()[0]}")
    return "\n".join(lines)


class _VersionAction(argparse.Action):
    """``--version``: :func:`versions`, looked up only when asked for (argparse's own
    ``version`` action takes the text when the parser is made, which cost every command
    some 45 ms)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)  # type: ignore[arg-type]

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        print(versions())
        parser.exit()


def build_parser(fetch: bool = True) -> argparse.ArgumentParser:
    """The ``papers`` command line; without ``fetch``, no ``fetch``, ``label`` and ``email``
    commands (whose modules take a fifth of ``papers generate``'s start-up)."""
    parser = argparse.ArgumentParser(
        prog="papers", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--version", action=_VersionAction, help="show what builds the site, and exit"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="generate Markdown and feeds, then run MkDocs")
    _add_build_options(build)
    build.add_argument("--site-dir", type=Path, default=Path("site"), help="the built site")
    generate = commands.add_parser("generate", help="generate Markdown and feeds only")
    _add_build_options(generate)
    if fetch:
        from generator.fetch import add_fetch_commands

        add_fetch_commands(commands)
        from generator.mail import add_email_command

        add_email_command(commands)
        from generator.fetch import add_label_command

        add_label_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    # `build` and `generate` hand every later argument to their own parser: the fetch and
    # email commands are never consulted, so they need not be imported.
    args = build_parser(fetch=given[:1] not in (["build"], ["generate"])).parse_args(argv)
    try:
        if args.command in ("build", "generate"):
            from generator.build import run_build

            summary = run_build(
                content=args.content,
                docs_dir=args.docs_dir,
                config=args.config,
                site_dir=args.site_dir if args.command == "build" else None,
            )
            for warning in summary.warnings:
                print(warning, file=sys.stderr)
            print(summary.describe())
            if args.timings:
                _write_timings(args.timings, summary)
            return 0
        return int(args.run(args))
    except (InputError, BuildError) as exc:
        print(f"papers: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # an unwritable or odd output folder: one line, not a traceback
        print(f"papers: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("papers: interrupted; the previous output is unchanged", file=sys.stderr)
        return 130
