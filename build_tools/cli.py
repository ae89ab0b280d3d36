"""The ``archive`` command: a thin adapter from the command line to the core."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.load import load_archive
from build_tools.problems import failing, summary, to_json

if TYPE_CHECKING:
    from collections.abc import Sequence

DESCRIPTION = """\
Annotated source archive: check and inspect the archive's sources and annotations.
The site itself is built by MkDocs through the `archive` plugin: `mkdocs build --strict`."""

VALIDATE_HELP = """\
Check every source, annotation file and registry, and print every problem at once, one line each:

  path:line:col: error|warning|notice: message [code]

sorted by file and position, then a one-line summary. Exit status: 0 when there are no errors,
1 when there are (with --strict, warnings count too; notices never do), 2 on a usage error.
The contributing guide (docs/contributing.md) explains every code."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archive", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    validate = commands.add_parser(
        "validate",
        help="check the archive and print every problem with its position",
        description=VALIDATE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("--strict", action="store_true", help="fail on warnings as well as errors")
    validate.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text (default); github: GitHub Actions workflow commands that annotate pull requests; "
        "json: a JSON array of problem objects",
    )
    validate.add_argument(
        "--sources", type=Path, default=Path("sources"), metavar="DIR", help="articles (default: sources)"
    )
    validate.add_argument(
        "--annotations",
        type=Path,
        default=Path("annotations"),
        metavar="DIR",
        help="annotation files and registries (default: annotations)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        loaded = load_archive(args.sources, args.annotations)
    except OSError as exc:
        print(f"archive: error: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    problems = loaded.problems
    if args.format == "json":
        print(to_json(problems))
    else:
        for problem in problems:
            print(problem.github() if args.format == "github" else problem)
        print(summary(problems, loaded.files))
    return 1 if failing(problems, strict=args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
