"""The ``archive`` command: a thin adapter from the command line to the core."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools import schema, stats, suggest
from build_tools.history import Event, History, read_history
from build_tools.importer import ArticleError, import_article
from build_tools.load import Loaded, load_archive
from build_tools.problems import failing, summary, to_json
from build_tools.values import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

DESCRIPTION = """\
Annotated source archive: add, check and inspect the archive's sources and annotations.
The site itself is built by MkDocs through the `archive` plugin: `mkdocs build --strict`.
Run `archive COMMAND --help` for each command; docs/contributing.md walks through them."""

VALIDATE_HELP = """\
Check every source, annotation file and registry, and print every problem at once, one line each:

  path:line:col: error|warning|notice: message [code]

sorted by file and position, then a one-line summary. Exit status: 0 when there are no errors,
1 when there are (with --strict, warnings count too; notices never do), 2 on a usage error.
The contributing guide (docs/contributing.md) explains every code."""

IMPORT_HELP = """\
Turn a raw article text into sources/<id>.md: front matter, then the text exactly as received.
A leading line `date YYYY-MM-DD Outlet, DATELINE` becomes date, outlet and dateline; a short first
line without final punctuation becomes the title. Everything else is left for you to fill in
(the title is required). The id is made from the date, outlet and title, or from the file name.
Never overwrites an existing source."""

SUGGEST_HELP = """\
Print ready-to-fill YAML stubs for the quotations in SOURCE (an id or a path) that no annotation
covers yet. When annotations/SOURCE.yaml does not exist the output is a whole file, otherwise
entries to append, so `archive suggest SOURCE >> annotations/SOURCE.yaml` works either way.
Speakers are guessed only from obvious patterns ("..., Hua said") matching one registry entry.
Paraphrased and reported claims are not detected: add those by hand."""

STATS_HELP = """\
Print counts of statements by speaker, claim type, outlet and year, and each article's coverage:
how many of its quotations (four or more words in double quotes) are annotated."""

SCHEMA_HELP = """\
Print the JSON Schema of one file format, or write all of them into a folder (the repository
keeps them in schemas/, where editors using the YAML language server find them). Both the schemas
and the field tables of the contributing guide (--docs docs/contributing.md) are made from the one
table of fields in build_tools/fields.py."""

HISTORY_HELP = """\
Print the history of one statement as git records it, oldest first: the commit that added it and
each commit that changed it (date, kind, commit id and subject), with what changed: old -> new for
short fields, "note changed" for long text; the statement followed across renamed files and ids.
Then the corrections to its article's text and to its claim type's definition since it was added.
Corrections (speaker, claim type, quote, attribution, relation, removal) are marked as such.
Parsed versions of files are kept in .cache/history/ beside the sources folder. Exit status 1 when
the statement has no history or git's history cannot be read (a shallow clone, no git)."""


def _folders(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources", type=Path, default=Path("sources"), metavar="DIR", help="articles (default: sources)"
    )
    parser.add_argument(
        "--annotations",
        type=Path,
        default=Path("annotations"),
        metavar="DIR",
        help="annotation files and registries (default: annotations)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archive", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, summary_line: str, description: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=summary_line,
            description=description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    validate = command(
        "validate", "check the archive and print every problem with its position", VALIDATE_HELP
    )
    validate.add_argument("--strict", action="store_true", help="fail on warnings as well as errors")
    validate.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text (default); github: GitHub Actions workflow commands that annotate pull requests; "
        "json: a JSON array of problem objects",
    )
    _folders(validate)

    importer = command("import", "turn a raw article text into a source file", IMPORT_HELP)
    importer.add_argument("file", type=Path, metavar="FILE", help="the article as received (UTF-8 text)")
    importer.add_argument("--id", dest="new_id", metavar="ID", help="the source id (default: derived)")
    importer.add_argument(
        "--sources",
        type=Path,
        default=Path("sources"),
        metavar="DIR",
        help="where to write (default: sources)",
    )

    suggester = command("suggest", "print YAML stubs for the quotations not yet annotated", SUGGEST_HELP)
    suggester.add_argument("source", metavar="SOURCE", help="a source id, or the path of its file")
    _folders(suggester)

    stats_parser = command(
        "stats", "print counts by speaker, claim type, outlet, year, and coverage", STATS_HELP
    )
    stats_parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    _folders(stats_parser)

    history = command("history", "print the history of one statement, from git", HISTORY_HELP)
    history.add_argument(
        "annotation_id", metavar="ANNOTATION-ID", help="the statement's id (now, or an earlier one)"
    )
    _folders(history)

    schema_parser = command("schema", "print or write the JSON Schemas of the file formats", SCHEMA_HELP)
    schema_parser.add_argument("name", nargs="?", choices=sorted(schema.SCHEMAS), help="the schema to print")
    schema_parser.add_argument("--write", type=Path, metavar="DIR", help="write every schema into DIR")
    schema_parser.add_argument(
        "--docs",
        type=Path,
        metavar="PAGE",
        help="remake the field tables between `<!-- fields: NAME -->` and `<!-- /fields -->` in PAGE",
    )
    return parser


def _progress() -> Callable[[int, int], None] | None:
    """A progress line on a terminal; nothing in CI or when output is redirected."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\rreading {done}/{total} files", end=end, file=sys.stderr, flush=True)

    return show


def _load(args: argparse.Namespace) -> Loaded:
    # Frozen: the command ends once it has reported, so collecting the archive would be for nothing.
    return load_archive(args.sources, args.annotations, progress=_progress(), parallel=True, freeze=True)


def _validate(args: argparse.Namespace) -> int:
    loaded = _load(args)
    problems = loaded.problems
    if args.format == "json":
        print(to_json(problems))
    else:
        for problem in problems:
            print(problem.github() if args.format == "github" else problem)
        print(summary(problems, loaded.files))
    return 1 if failing(problems, strict=args.strict) else 0


def _import(args: argparse.Namespace) -> int:
    try:
        target, found = import_article(args.file, args.sources, args.new_id)
    except ArticleError as exc:
        print(f"archive import: error: {exc}", file=sys.stderr)
        return 1
    read = [f"{key} {value}" for key, value in vars(found).items() if key != "text" and value]
    print(f"wrote {target} ({', '.join(read) if read else 'no metadata found in the text'})")
    if not found.title:
        print("next: fill in `title` (required), then the other fields you can support")
    print(f"then: archive suggest {target.stem} >> annotations/{target.stem}.yaml")
    return 0


def _suggest(args: argparse.Namespace) -> int:
    source_id = Path(args.source).stem if args.source.endswith(".md") else args.source
    loaded = _load(args)
    source = loaded.archive.sources.get(source_id)
    if source is None:
        hint = did_you_mean(source_id, loaded.archive.sources)
        print(
            f"archive suggest: error: no valid source `{source_id}`{hint}; `archive validate` says why",
            file=sys.stderr,
        )
        return 1
    exists = (args.annotations / f"{source_id}.yaml").exists()
    text = suggest.render(loaded.archive, source, with_header=not exists)
    if text:
        print(text, end="")
    else:
        print(f"every quotation in {source.path} is annotated", file=sys.stderr)
    return 0


def _stats(args: argparse.Namespace) -> int:
    print(stats.render(_load(args).archive, as_json=args.format == "json"))
    return 0


def _schema(args: argparse.Namespace) -> int:
    if args.docs:
        args.docs.write_text(schema.with_docs_tables(args.docs.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"remade the field tables in {args.docs}")
        return 0
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        for name in sorted(schema.SCHEMAS):
            (args.write / f"{name}.schema.json").write_text(schema.dump(name), encoding="utf-8")
        print(f"wrote {len(schema.SCHEMAS)} schemas into {args.write}")
        return 0
    if not args.name:
        print("archive schema: error: name a schema, or pass --write DIR or --docs PAGE", file=sys.stderr)
        return 2
    print(schema.dump(args.name), end="")
    return 0


def _history(args: argparse.Namespace) -> int:
    cache = args.sources.resolve().parent / ".cache" / "history"
    history, problem = read_history(args.sources, args.annotations, cache)
    if problem:
        print(f"archive history: error: no history can be read: {problem}", file=sys.stderr)
        return 1
    key = _current_id(history, args.annotation_id)
    if key is None:
        hint = did_you_mean(args.annotation_id, history.statements)
        print(f"archive history: error: git has no statement `{args.annotation_id}`{hint}", file=sys.stderr)
        return 1
    events = history.of(key)
    if key != args.annotation_id:
        print(f"`{args.annotation_id}` is now `{key}`")
    last = events[-1]
    print(f"{key}: “{last.label}” ({last.source or 'no source'})")
    for event in events:
        _print_event(event)
    archive = _load(args).archive
    annotation = archive.annotations.get(key)
    if annotation is not None:
        related = [
            e
            for e in (
                *history.sources.get(annotation.source, ()),
                *history.claim_types.get(annotation.claim_type, ()),
            )
            if e.commit.number > events[0].commit.number and e.action == "changed"
        ]
        if related:
            print("\nsince it was added, its article and claim type changed:")
            for event in sorted(related, key=lambda e: e.commit.number):
                _print_event(event)
    return 0


def _current_id(history: History, asked: str) -> str | None:
    """The id the statement ``asked`` has now (``asked`` may be an id it had before a rename)."""
    if asked in history.statements:
        return asked
    for key, events in history.statements.items():
        if any(change.name == "id" and change.old == asked for e in events for change in e.changes):
            return key
    return None


def _print_event(event: Event) -> None:
    kind = "correction" if event.correction else event.action
    what = "" if event.kind == "statement" else f"{event.kind.replace('_', ' ')} {event.id}: "
    print(f"{event.date}  {kind:<10}  {event.commit.sha[:10]}  {what}{event.commit.subject}")
    for line in event.describe():
        print(f"{'':36}{line}")


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "validate": _validate,
    "import": _import,
    "suggest": _suggest,
    "stats": _stats,
    "history": _history,
    "schema": _schema,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except OSError as exc:
        print(f"archive: error: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
