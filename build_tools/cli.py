"""The ``archive`` command: a thin adapter from the command line to the core."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools import blame, gitdiff, schema, stats, suggest, taxonomy_table
from build_tools.history import Event, History, read_history
from build_tools.importer import ArticleError, Imported, import_article
from build_tools.load import CLAIM_TYPES, Loaded, load_archive
from build_tools.model import Source
from build_tools.parse import parse_claim_types
from build_tools.problems import Level, Problem, counts, failing, summary, to_json
from build_tools.values import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from build_tools.model import ClaimType
    from build_tools.parse import Registry

DESCRIPTION = """\
Annotated source archive: add, check and inspect the archive's sources and annotations.
The site itself is built by MkDocs through the `archive` plugin: `mkdocs build --strict`.
Run `archive COMMAND --help` for each command; docs/contributing.md walks through them."""

VALIDATE_HELP = """\
Check every source, annotation file and registry, and print every problem at once, one line each:

  path:line:col: error|warning|notice: message [code]

sorted by file and position, then a one-line summary. Exit status: 0 when there are no errors,
1 when there are (with --strict, warnings count too; notices never do), 2 on a usage error.
The contributing guide (docs/contributing.md) explains every code.

With --changed-from REF (CI passes the pull request's base), each problem is reported at the
line changed since commit REF that causes it: a duplicate id at the new entry, a deleted
annotation that others still rebut at the deletion, an edit of an article's text at the edit,
naming the annotations whose quotes it orphaned. Problems outside the change are summarised in
one line; they still count for the exit status. When git cannot tell what changed (no
repository, REF not fetched), every problem is reported where it is, with a warning."""

IMPORT_HELP = """\
Turn a raw article text into sources/<id>.md: front matter, then the text exactly as received.
A leading line `date YYYY-MM-DD Outlet, DATELINE` becomes date, outlet and dateline; a short first
line without final punctuation becomes the title. Everything else is left for you to fill in
(the title is required). The id is made from the date, outlet and title (or, with no title, the
first words of the text). Never overwrites an existing source. `archive new` does this and also
starts the annotation file."""

NEW_HELP = """\
Start a new article in one step: write sources/<id>.md from a raw text (as `archive import` does)
and annotations/<id>.yaml with a stub for each quotation in it (as `archive suggest --write` does).
Writes nothing if either file exists. Then fill in each stub's speaker, claim_type and summary,
and run `archive validate`."""

SUGGEST_HELP = """\
Print ready-to-fill YAML stubs for the quotations in SOURCE (an id or a path) that no annotation
covers yet. With --write they are added to annotations/SOURCE.yaml, which is created when it does
not exist. Without it they are printed: a whole file when annotations/SOURCE.yaml does not exist or
is empty, otherwise entries to append (`archive suggest SOURCE >> annotations/SOURCE.yaml`).
Speakers are guessed only from obvious patterns ("..., Hua said") matching one registry entry.
Paraphrased and reported claims are not detected: add those by hand."""

STATS_HELP = """\
Print counts of statements by speaker, claim type, outlet and year, and each article's coverage:
how many of its quotations (four or more words in double quotes) are annotated."""

SCHEMA_HELP = """\
Print the JSON Schema of one file format, or write all of them into a folder (the repository
keeps them in schemas/, where editors using the YAML language server find them). Both the schemas
and the field tables of the contributing guide (--docs docs/contributing.md) are made from the one
table of fields in build_tools/fields.py; --docs docs/taxonomy.md remakes the taxonomy page's table
of claim types from annotations/claim_types.yaml."""

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
        help="text (default); github: GitHub Actions workflow commands that annotate pull requests "
        "(without notices, unless --notices: GitHub shows 10 annotations of each level); "
        "json: a JSON array of problem objects",
    )
    validate.add_argument(
        "--changed-from",
        metavar="REF",
        help="report problems at the lines changed since git commit REF, and summarise the others",
    )
    validate.add_argument(
        "--notices",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="list notices (default: yes, but not with --format github)",
    )
    _folders(validate)

    new = command("new", "start an article: its source file and an annotation file of stubs", NEW_HELP)
    new.add_argument("file", type=Path, metavar="FILE", help="the article as received (UTF-8 text)")
    new.add_argument("--id", dest="new_id", metavar="ID", help="the source id (default: derived)")
    _folders(new)

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

    suggester = command(
        "suggest", "print or add YAML stubs for the quotations not yet annotated", SUGGEST_HELP
    )
    suggester.add_argument("source", metavar="SOURCE", help="a source id, or the path of its file")
    suggester.add_argument(
        "--write",
        action="store_true",
        help="add the stubs to annotations/SOURCE.yaml instead of printing them",
    )
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
        help="remake the field tables between `<!-- fields: NAME -->` and `<!-- /fields -->` in PAGE, "
        "and the table of claim types between `<!-- claim-types -->` and `<!-- /claim-types -->`",
    )
    schema_parser.add_argument(
        "--annotations",
        type=Path,
        default=Path("annotations"),
        metavar="DIR",
        help="where claim_types.yaml is, for --docs (default: annotations)",
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


def _load(args: argparse.Namespace, *, statements: bool = True) -> Loaded:
    # Frozen: the command ends once it has reported, so collecting the archive would be for nothing.
    progress = _progress()
    return load_archive(
        args.sources, args.annotations, progress=progress, parallel=True, freeze=True, statements=statements
    )


def _validate(args: argparse.Namespace) -> int:
    loaded = _load(args, statements=False)
    problems = loaded.problems
    if not (args.notices if args.notices is not None else args.format != "github"):
        problems = [p for p in problems if p.level is not Level.NOTICE]
    placed = blame.Placed(inside=problems)
    if args.changed_from is not None:
        try:
            change = gitdiff.changes_since(
                args.changed_from, Path.cwd(), [str(args.sources), str(args.annotations)]
            )
        except gitdiff.GitError as error:
            print(
                f"archive validate: warning: --changed-from: {error}; every problem is reported where it is",
                file=sys.stderr,
            )
        else:
            placed = blame.place(problems, change, args.sources.as_posix())
    if args.format == "json":
        print(to_json(placed.inside + placed.outside))
    else:
        for problem in placed.inside:
            print(problem.github() if args.format == "github" else problem)
        if placed.outside:
            print(_outside(placed.outside, args.changed_from, github=args.format == "github"))
        print(summary(placed.inside + placed.outside, loaded.files))
    return 1 if failing(problems, strict=args.strict) else 0


def _outside(problems: list[Problem], ref: str, *, github: bool) -> str:
    """The one line that stands for the problems outside the change."""
    tally = counts(problems)
    parts = ", ".join(f"{n} {level.value}{'' if n == 1 else 's'}" for level, n in tally.items() if n)
    first = problems[0]
    text = (
        f"{parts} outside the change since {ref}, the first at {first.path}:{first.line}:{first.col}: "
        f"{first.message} [{first.code}]; `archive validate` without --changed-from lists them all"
    )
    if not github:
        return text
    level = Level.ERROR if tally[Level.ERROR] else Level.WARNING if tally[Level.WARNING] else Level.NOTICE
    return replace(first, level=level, code="outside-the-change", message=text).github()


def _import(args: argparse.Namespace) -> int:
    try:
        target, found = import_article(args.file, args.sources, args.new_id)
    except ArticleError as exc:
        print(f"archive import: error: {exc}", file=sys.stderr)
        return 1
    _report_import(target, found)
    print(f"then: archive suggest {target.stem} --write")
    return 0


def _report_import(target: Path, found: Imported) -> None:
    read = [f"{key} {value}" for key, value in vars(found).items() if key != "text" and value]
    print(f"wrote {target} ({', '.join(read) if read else 'no metadata found in the text'})")
    if not found.title:
        print("next: fill in `title` (required), then the other fields you can support")


def _new(args: argparse.Namespace) -> int:
    try:
        target, found = import_article(args.file, args.sources, args.new_id, keep_clear=(args.annotations,))
    except ArticleError as exc:
        print(f"archive new: error: {exc}", file=sys.stderr)
        return 1
    _report_import(target, found)
    loaded = _load(args)
    # Without a title the source does not validate yet; its text is all the stubs need.
    source = loaded.archive.sources.get(target.stem) or Source(
        target.stem, found.title or "", found.text, target.as_posix()
    )
    path = args.annotations / f"{target.stem}.yaml"
    added = suggest.write(loaded.archive, source, path)
    print(f"wrote {path} ({added} quotation{'' if added == 1 else 's'} to annotate)")
    print("next: give each stub its speaker, claim_type and summary; add paraphrased and reported claims")
    print(f"then: archive validate, and see it with `make serve` at sources/{target.stem}/")
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
    path = args.annotations / f"{source_id}.yaml"
    done = f"every quotation in {source.path} has an entry in {path}"
    if not args.write:
        text = suggest.render(loaded.archive, source, path)
        if text:
            print(text, end="")
        else:
            print(done, file=sys.stderr)
        return 0
    try:
        added = suggest.write(loaded.archive, source, path)
    except suggest.MergeError as exc:
        print(f"archive suggest: error: {path}: {exc}", file=sys.stderr)
        return 1
    if added:
        print(f"added {added} stub{'' if added == 1 else 's'} to {path}")
    else:
        print(done, file=sys.stderr)
    return 0


def _stats(args: argparse.Namespace) -> int:
    print(stats.render(_load(args).archive, as_json=args.format == "json"))
    return 0


def _schema(args: argparse.Namespace) -> int:
    if args.docs:
        text = schema.with_docs_tables(args.docs.read_text(encoding="utf-8"))
        if taxonomy_table.has_table(text):
            registry = _claim_types(args.annotations / CLAIM_TYPES)
            if registry is None:
                return 1
            text = taxonomy_table.with_table(text, registry.entries.values())
        args.docs.write_text(text, encoding="utf-8")
        print(f"remade the generated tables in {args.docs}")
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


def _claim_types(path: Path) -> Registry[ClaimType] | None:
    """The claim-type registry at ``path``; ``None``, with the reasons printed, if it has errors."""
    registry = parse_claim_types(path.read_bytes(), str(path)) if path.is_file() else None
    if registry is not None and not failing(registry.problems, strict=False):
        return registry
    for problem in registry.problems if registry else ():
        print(problem, file=sys.stderr)
    print(f"archive schema: error: no valid claim-type registry at {path}", file=sys.stderr)
    return None


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
    "new": _new,
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
