"""Reading contributors' files: bytes to text, text to PyYAML nodes, nodes to typed values.

Values are read from composed nodes, never from ``yaml.load``, so that every value keeps its line
and column, duplicate keys are caught (the constructor would silently keep the last one) and
aliases are counted instead of expanded.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import yaml

from build_tools.model import Pos
from build_tools.problems import Problem
from build_tools.values import did_you_mean

if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_ALIAS_GROWTH = 10_000
"""How many nodes aliases may add to a document before it is rejected as an alias bomb."""
MAX_DEPTH = 50
"""How deeply lists and mappings may nest (the format needs five levels; libyaml's composer
recurses, and crashes the interpreter on tens of thousands)."""

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = "tag:yaml.org,2002:null"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab and line breaks."""
_INT = "tag:yaml.org,2002:int"
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_NESTING_PREFIX = re.compile(r"^(?:[-?:]?[^\S\n])+", re.MULTILINE)
"""The start of a line up to where its first block collection could begin: the indentation, and
the `- `, `? ` and `: ` indicators of compact nesting (``- - - x`` nests three lists on one line)."""
_CACHED_LENGTH = 40
"""Plain scalars up to this length have their resolved tag cached (keys and short values repeat)."""


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, with the tags of short plain scalars cached across documents."""

    _tags: ClassVar[dict[str, str]] = {}
    _defaults: ClassVar[dict[type[yaml.Node], str]] = {
        yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
        yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
        yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    }
    """The tags of collections and quoted scalars (the safe loader has no path resolvers)."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not implicit[0]:
            return self._defaults[kind]
        tag = self._tags.get(value)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))
            if len(value) <= _CACHED_LENGTH:
                self._tags[value] = tag
        return tag


_QUOTE_HINT = 'a value that contains `: ` must be quoted, e.g. summary: "China says: no camps"'
_HINTS = {
    "mapping values are not allowed here": _QUOTE_HINT,
    "mapping values are not allowed in this context": _QUOTE_HINT,
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "could not find expected ':'": "each field is written `key: value`; check the line above",
    "found unexpected end of stream": "a quoted value is not closed; add the closing quote",
    "found invalid Unicode character escape code": (
        "a `\\u` escape here names half a character (a surrogate) or none; write the character itself"
    ),
}


def pos_of(node: yaml.Node, path: str, line_offset: int = 0) -> Pos:
    mark = node.start_mark
    return Pos(path, mark.line + 1 + line_offset, mark.column + 1)


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Text from a file's bytes, with a problem for a BOM, CRLF line ends or bytes that are not UTF-8.

    A BOM and CRLF are reported and then normalised, so the rest of the file is still checked.
    """
    problems: list[Problem] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        problems.append(
            Problem.at(
                Pos(path, 1, 1),
                "bom",
                "the file starts with an invisible byte-order mark; save it as UTF-8 without BOM",
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start : exc.start + 1].hex()
        problems.append(
            Problem.at(
                Pos(path, line, col),
                "encoding",
                f"byte 0x{byte} is not UTF-8; re-save the file with UTF-8 encoding "
                "(most editors offer it under 'Save with encoding')",
            )
        )
        return None, problems
    if "\r" in text:
        index = text.index("\r")
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        problems.append(
            Problem.at(
                Pos(path, line, col),
                "crlf",
                "the file has Windows (CRLF) line endings, which would shift every text offset; "
                "save it with Unix (LF) line endings (git: core.autocrlf=input)",
            )
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


def compose(text: str, path: str, line_offset: int = 0) -> tuple[yaml.Node | None, list[Problem]]:
    """The document's root node, or ``None`` with the problems that stopped it.

    Tabs used for indentation and alias bombs are reported with their own codes.
    """
    problems: list[Problem] = []
    tab_lines = set()
    for match in _TAB_INDENT.finditer(text):
        index = text.count("\n", 0, match.start())
        tab_lines.add(index + 1 + line_offset)
        problems.append(
            Problem.at(
                Pos(path, index + 1 + line_offset, match.end() - match.start()),
                "tab",
                f"YAML does not allow tabs for indentation; indent with spaces{_spaces_like(text, index)}",
            )
        )
    try:
        deep = _too_deep(text)
        if deep:
            line, col = deep[0] + 1 + line_offset, deep[1] + 1
            message = f"lists and mappings are nested more than {MAX_DEPTH} levels deep"
            return None, [*problems, Problem.at(Pos(path, line, col), "too-deep", message)]
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        if line not in tab_lines:
            problems.append(_syntax_problem(exc, text, path, line_offset))
        return None, problems
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line = before.count("\n") + 1 + line_offset
        col = exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        message = f"YAML syntax: the control character U+{ord(char):04X} is not allowed; delete it"
        problems.append(Problem.at(Pos(path, line, col), "yaml-syntax", message))
        return None, problems
    if node is not None and "*" in text:
        bomb = _alias_bomb(node, path, line_offset)
        if bomb:
            return None, [*problems, bomb]
    return node, problems


def _too_deep(text: str) -> tuple[int, int] | None:
    """Where nesting first passes :data:`MAX_DEPTH`, read from parser events (which do not recurse).

    Only text that could nest that deep is parsed twice. Each flow collection opens with a bracket;
    nested block collections start at increasing columns (a list may share its mapping's column),
    and a block collection starts within a line's :data:`_NESTING_PREFIX` or just after it.
    """
    brackets = text.count("[") + text.count("{")
    prefix = max(map(len, _NESTING_PREFIX.findall(text)), default=0)
    if brackets + 2 * (prefix + 1) <= MAX_DEPTH:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                return (mark.line, mark.column) if mark else (0, 0)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str, line_offset: int) -> Problem:
    """The problem of a syntax error: a line indented unlike the lines around it is reported as
    that (a mistaken indentation is what most syntax errors in hand-written files are, and PyYAML
    words it as whatever it expected next), else in PyYAML's words with a hint."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Problem.at(Pos(path, 1 + line_offset, 1), "yaml-syntax", _syntax_message(exc, ""))
    lines = text.split("\n")
    index = min(mark.line, len(lines) - 1)
    found = _misindented(lines, index)
    if found is not None:
        indent, message = found
        return Problem.at(Pos(path, index + 1 + line_offset, indent + 1), "yaml-syntax", message)
    where = Pos(path, mark.line + 1 + line_offset, mark.column + 1)
    return Problem.at(where, "yaml-syntax", _syntax_message(exc, lines[index]))


def _misindented(lines: list[str], index: int) -> tuple[int, str] | None:
    """The indentation of line ``index`` and a message, when it matches none of the levels the
    lines above it open (``None`` when it does, or when it is indented with something else than
    spaces, reported as a tab)."""
    line = lines[index]
    indent = len(line) - len(line.lstrip(" "))
    if not line.strip() or line[indent] == "\t":
        return None
    above = next((k for k in range(index - 1, -1, -1) if _content(lines[k])), None)
    if above is None:
        return None
    levels = _levels(lines, above)
    if indent in levels or (indent > levels[0] and lines[above].rstrip().endswith(":")):
        return None
    column, shown = levels[0], _first_word(lines[above])
    expected = f"YAML syntax: expected an indentation of {column} spaces (as `{shown}` on line {above + 1})"
    if indent > column:
        return indent, (
            f"{expected}, found {indent}, so the line is read as more of `{shown}`'s value; "
            f"indent it by {column} spaces"
        )
    others = " or ".join(map(str, sorted(levels[1:])))
    closing = f" or {others} (to close the list or mapping open there)" if others else ""
    return indent, f"{expected}{closing}, found {indent}; indent it by {column} spaces"


def _spaces_like(text: str, index: int) -> str:
    """How many spaces line ``index`` likely needs: as many as the content of the line above."""
    lines = text.split("\n", index + 1)[: index + 1]
    above = next((k for k in range(index - 1, -1, -1) if _content(lines[k])), None)
    if above is None or "\t" in lines[above][: len(lines[above]) - len(lines[above].lstrip())]:
        return ""
    column = _column(lines[above])[1]
    return f" ({column}, as `{_first_word(lines[above])}` on line {above + 1}, if it continues that entry)"


def _content(line: str) -> bool:
    """Whether a line holds more than white space and a comment."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _column(line: str) -> tuple[int, int]:
    """A line's indentation, and the column where its content starts after any `- ` indicators."""
    indent = len(line) - len(line.lstrip(" "))
    column = indent
    while line.startswith("- ", column) or line[column:].rstrip() == "-":
        column += 2
        column += len(line[column:]) - len(line[column:].lstrip(" "))
    return indent, column


def _levels(lines: list[str], above: int) -> list[int]:
    """The columns a line after line ``above`` may start at: that line's content column first, then
    the columns of the collections that enclose it, innermost first."""
    indent, column = _column(lines[above])
    levels = [column] if indent == column else [column, indent]
    limit = indent
    for k in range(above - 1, -1, -1):
        if limit == 0:
            break
        if not _content(lines[k]):
            continue
        start, inner = _column(lines[k])
        if start < limit:
            for level in (inner, start):
                if level < limit and level not in levels:
                    levels.append(level)
            limit = start
    return levels


def _first_word(line: str) -> str:
    stripped = line.strip().lstrip("- ").strip()
    return stripped.split(":", 1)[0] if ":" in stripped else stripped[:20]


def _syntax_message(exc: yaml.MarkedYAMLError, line: str) -> str:
    problem = (exc.problem or str(exc)).strip()
    message = f"YAML syntax: {problem}"
    if exc.context and exc.context_mark and exc.problem_mark:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    hint = _HINTS.get(problem)
    if hint == _QUOTE_HINT:
        hint = _quote_hint(line)
    return f"{message}; {hint}" if hint else message


def _quote_hint(line: str) -> str:
    """How to quote the value of ``line``, which holds a `: ` YAML took for a new key."""
    indent = line[: len(line) - len(line.lstrip(" -"))]
    key, _, value = line.strip(" -").partition(": ")
    value = value.strip()
    if not key or not value or value[0] in "\"'" or " " in key:
        return _QUOTE_HINT
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'a value that contains `: ` must be quoted: {indent.strip()} {key}: "{escaped}"'.replace(
        "  ", " "
    )


def _alias_bomb(root: yaml.Node, path: str, line_offset: int) -> Problem | None:
    """A problem when aliases would expand the document far past its written size."""
    sizes: dict[int, int] = {}
    distinct = 0
    order: list[yaml.Node] = []
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            order.append(node)
            continue
        if key in sizes:
            continue
        if key in on_path:
            return Problem.at(
                pos_of(node, path, line_offset),
                "alias-cycle",
                "an alias refers to the mapping or list that contains it; remove the `*alias`",
            )
        distinct += 1
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    expanded = sizes[id(root)]
    if expanded > distinct + MAX_ALIAS_GROWTH:
        return Problem.at(
            pos_of(root, path, line_offset),
            "alias-bomb",
            f"aliases would expand this document from {distinct} to {expanded} values "
            f"(limit: {MAX_ALIAS_GROWTH} more); write the values out instead of nesting `*aliases`",
        )
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "empty"
    # A message is one line: white space in the text, line breaks too, is shown as one space.
    return f"the text `{' '.join(str(node.value).split())}`"


@dataclass
class Mapping:
    """A YAML mapping read field by field; every problem goes to ``problems``."""

    node: yaml.MappingNode
    path: str
    problems: list[Problem]
    line_offset: int = 0
    fields: dict[str, tuple[yaml.Node, yaml.Node]] = field(default_factory=dict)

    @classmethod
    def read(
        cls,
        node: yaml.Node,
        path: str,
        problems: list[Problem],
        *,
        what: str,
        allowed: Sequence[str],
        required: Sequence[str] = (),
        example: str = "",
        line_offset: int = 0,
    ) -> Mapping | None:
        """Check ``node`` is a mapping with no duplicate, unknown or missing keys."""
        if not isinstance(node, yaml.MappingNode):
            hint = f"; for example: {example}" if example else ""
            problems.append(
                Problem.at(
                    pos_of(node, path, line_offset),
                    "wrong-type",
                    f"{what} must be a mapping of `key: value` lines, not {kind_of(node)}{hint}",
                )
            )
            return None
        self = cls(node, path, problems, line_offset)
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if key in self.fields:
                first = pos_of(self.fields[key][0], path, line_offset)
                problems.append(
                    Problem.at(
                        pos_of(key_node, path, line_offset),
                        "duplicate-key",
                        f"`{key}` is given twice in {what} (first at line {first.line}); only one value "
                        "would be kept, so merge the two or remove one",
                    )
                )
                continue
            if key not in allowed:
                shown = key if key else kind_of(key_node)
                problems.append(
                    Problem.at(
                        pos_of(key_node, path, line_offset),
                        "unknown-field",
                        f"unknown field `{shown}` in {what}{did_you_mean(key, allowed)}; "
                        f"allowed: {', '.join(allowed)}",
                    )
                )
                continue
            self.fields[key] = (key_node, value_node)
        for key in required:
            if key not in self.fields:
                problems.append(
                    Problem.at(
                        pos_of(node, path, line_offset),
                        "missing-field",
                        f"{what} is missing `{key}`",
                    )
                )
        return self

    def pos(self, key: str) -> Pos:
        """Where the value of ``key`` is (the mapping's start when the key is absent)."""
        entry = self.fields.get(key)
        return pos_of(entry[1] if entry else self.node, self.path, self.line_offset)

    def line_col(self, key: str) -> tuple[int, int]:
        """The line and column of :meth:`pos`, without building a :class:`Pos`."""
        entry = self.fields.get(key)
        mark = (entry[1] if entry else self.node).start_mark
        return mark.line + 1 + self.line_offset, mark.column + 1

    def node_of(self, key: str) -> yaml.Node | None:
        entry = self.fields.get(key)
        if entry is None or (isinstance(entry[1], yaml.ScalarNode) and entry[1].tag == _NULL):
            return None
        return entry[1]

    def text(self, key: str, *, required: bool = False) -> str | None:
        """A text value; numbers, dates and booleans are kept as written. Empty counts as absent."""
        node = self.node_of(key)
        if node is None:
            if required and key in self.fields:
                self._wrong(key, "must not be empty")
            return None
        if not isinstance(node, yaml.ScalarNode):
            self._wrong(key, f"must be text, not {kind_of(node)}")
            return None
        value = str(node.value)
        if required and not value.strip():
            self._wrong(key, "must not be empty")
            return None
        if node.style == '"' and self._control(value, self.pos(key)):
            return None
        return value

    def integer(self, key: str) -> int | None:
        node = self.node_of(key)
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            self._wrong(key, f"must be a whole number such as 2, not {kind_of(node)}")
            return None
        try:
            return int(str(node.value).replace("_", ""), 0)
        except ValueError:
            self._wrong(key, f"must be a whole number such as 2, not {kind_of(node)}")
            return None

    def items(self, key: str, *, allow_single: bool = False) -> list[yaml.Node]:
        """The entries of a list value; with ``allow_single`` a lone text value is a one-item list."""
        node = self.node_of(key)
        if node is None:
            return []
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if allow_single and isinstance(node, yaml.ScalarNode):
            return [node]
        self._wrong(key, f"must be a list (`- item` lines or `[a, b]`), not {kind_of(node)}")
        return []

    def texts(self, key: str, *, allow_single: bool = False) -> list[tuple[str, Pos]]:
        """A list of text values with their positions."""
        values = []
        for item in self.items(key, allow_single=allow_single):
            where = pos_of(item, self.path, self.line_offset)
            if isinstance(item, yaml.ScalarNode) and item.tag != _NULL and str(item.value).strip():
                if item.style != '"' or not self._control(str(item.value), where):
                    values.append((str(item.value), where))
            else:
                self.problems.append(
                    Problem.at(
                        where,
                        "wrong-type",
                        f"each entry of `{key}` must be text, not {kind_of(item)}",
                    )
                )
        return values

    def _control(self, value: str, where: Pos) -> bool:
        """Whether ``value`` holds a control character, reported at ``where``: only a double-quoted
        value can (through an escape such as ``\\0``), as the reader rejects one written as it is."""
        found = _CONTROL.search(value)
        if found:
            message = (
                f"YAML syntax: the control character U+{ord(found[0]):04X} (an escape in double quotes) "
                "is not allowed in a value; delete it"
            )
            self.problems.append(Problem.at(where, "yaml-syntax", message))
        return found is not None

    def _wrong(self, key: str, message: str) -> None:
        self.problems.append(Problem.at(self.pos(key), "wrong-type", f"`{key}` {message}"))
