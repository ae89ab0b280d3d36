"""Every problem code the validator reports: its level and what it means. This is the one place
that sets a code's level; checks name only the code. The contributing guide explains each one; a
test keeps the two in step."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """How serious a problem is. ``notice`` never fails a run, not even with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True, slots=True)
class Code:
    level: Level
    meaning: str


E, W, N = Level.ERROR, Level.WARNING, Level.NOTICE

CODES: dict[str, Code] = {
    "alias-bomb": Code(E, "YAML aliases would expand the document far beyond what is written"),
    "alias-cycle": Code(E, "a YAML alias refers to the mapping or list that contains it"),
    "bad-date": Code(E, "a date that is not YYYY, YYYY-MM or YYYY-MM-DD, or that does not exist"),
    "bad-language": Code(E, "a source's language is not a language tag such as en"),
    "bad-occurrence": Code(E, "occurrence is below 1 or beyond the number of matches"),
    "bad-url": Code(E, "a URL that is not an absolute http(s) address"),
    "bom": Code(E, "the file starts with a byte-order mark"),
    "context-not-found": Code(E, "no occurrence of the quote has the given prefix or suffix"),
    "crlf": Code(E, "Windows (CRLF) line endings"),
    "duplicate-id": Code(E, "an annotation id used more than once in the archive"),
    "duplicate-key": Code(E, "a key given twice in one mapping"),
    "duplicate-rebuttal": Code(W, "the same annotation listed twice as a rebuttal"),
    "empty-body": Code(E, "a source with no article text"),
    "empty-file": Code(E, "an empty YAML file"),
    "empty-quote": Code(E, "an empty or white-space-only quote"),
    "encoding": Code(E, "bytes that are not UTF-8"),
    "front-matter": Code(E, "a source without front matter between --- lines"),
    "ignored-file": Code(W, "a file the archive does not read (wrong extension)"),
    "invalid-id": Code(E, "an id that breaks the id rules"),
    "invalid-source-name": Code(E, "a source file name that is not a valid id"),
    "invalid-tag": Code(E, "a tag that breaks the id rules"),
    "invalid-value": Code(E, "a value outside the allowed list (attribution, relation, kind)"),
    "missing-field": Code(E, "a required field is missing"),
    "missing-folder": Code(E, "the sources or annotations folder does not exist"),
    "missing-registry": Code(E, "speakers.yaml or claim_types.yaml is missing"),
    "quote-ambiguous": Code(E, "the quote occurs more than once and nothing says which"),
    "quote-crosses-paragraphs": Code(E, "the quote runs across a paragraph break"),
    "quote-not-found": Code(E, "the quote is not in the article's text"),
    "rebuttal-no-reference": Code(E, "outside evidence with neither url nor citation"),
    "rebuttal-no-title": Code(E, "outside evidence without a title"),
    "reported-without-via": Code(W, "attribution: reported with no `via` naming who relayed it"),
    "self-rebuttal": Code(E, "an annotation listed as its own rebuttal"),
    "tab": Code(E, "a tab used for indentation"),
    "too-deep": Code(E, "a YAML document nested too deeply to read"),
    "uncovered-quotation": Code(W, "a quotation in the text that no annotation covers"),
    "unknown-annotation": Code(E, "a rebuttal names an annotation that does not exist"),
    "unknown-claim-type": Code(E, "a claim type that is not in the registry"),
    "unknown-field": Code(E, "a field the format does not have"),
    "unknown-source": Code(E, "an annotation file whose source does not exist"),
    "unknown-speaker": Code(E, "a speaker who is not in the registry"),
    "unused-claim-type": Code(N, "a claim type with no statement yet (a notice)"),
    "unused-speaker": Code(W, "a speaker with no statement"),
    "wrong-type": Code(E, "a value of the wrong kind (text, list, mapping, number)"),
    "yaml-syntax": Code(E, "the file is not valid YAML, or a value holds a control character"),
}
