"""The one table of fields: every field of every file format, declared once.

Each :class:`Field` has a name, a kind of value, whether it is required, its allowed values (with
what each means), its default, a one-line description and an example. The parser's checks of
unknown, missing and wrongly typed fields and of allowed values (with their "did you mean" lists,
:mod:`build_tools.records`), the JSON Schemas (:mod:`build_tools.schema`), the field tables of the
contributing guide and the ``archive.json`` schema are all made from it. A field whose name is not
a Python name, or differs from the model's, gives the model's name as ``attr``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "id", "ref", "ids", "tags", "date", "url", "integer", "choice", "language", "list"]
"""What a value is: ``id`` names what it belongs to (and follows the id rules), ``ref`` is the id
of another entry (checked against it elsewhere), ``ids`` one such id or a list of them, ``tags`` a
tag or a list of tags, ``integer`` a count from 1, ``choice`` one of the field's ``choices``,
``language`` a language tag, ``list`` a list of records."""


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    meaning: str


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: Kind
    description: str
    example: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()
    default: str | None = None
    items: tuple[Record, ...] = ()
    """For a ``list``: the kinds of record an entry may be."""
    attr: str = ""
    """The model's name for it, when it is not ``name``."""
    missing: tuple[str, str] | None = None
    """The code and message of a required field that is absent or empty, when not the usual
    ``missing-field`` and ``wrong-type``."""
    blank: tuple[str, str] | None = None
    """The code and message of a value that is empty or white space, when not ``wrong-type``."""

    @property
    def key(self) -> str:
        """The model's name for the field."""
        return self.attr or self.name

    @property
    def allowed(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)


@dataclass(frozen=True, slots=True)
class Record:
    """A mapping of a file format: the fields it may have, as messages name it (``what``)."""

    name: str
    what: str
    fields: tuple[Field, ...]
    example: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _text(name: str, description: str, example: str = "", *, required: bool = False) -> Field:
    return Field(name, "text", description, example, required)


SOURCE = Record(
    "source",
    "the front matter",
    (
        _text(
            "title",
            "The headline. If the text as received has none, a descriptive title in square brackets, "
            "so that no one mistakes it for the publisher's. Put the whole value in double quotes when "
            "it starts with `[` or contains `: `.",
            '"[China tells foreign envoys its Xinjiang counterterrorism efforts deserve praise]"',
            required=True,
        ),
        _text("outlet", "The publisher; left out when it is not known (shown as unknown).", "Reuters"),
        Field(
            "date",
            "date",
            "The publication date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, only as precise as you can show. "
            "Quote it.",
            '"2019-02-25"',
        ),
        _text(
            "date_note",
            "How the date was established, when it is not printed with the article: what in the text, "
            "or in a dated event it reports, gives it. Shown beside the date.",
            "Inferred: it quotes remarks made at a press conference of 24 October 2018.",
        ),
        Field(
            "url",
            "url",
            "The article's original address, only if you know it. Never reconstruct or guess one.",
            "https://...",
        ),
        Field(
            "archived_url",
            "url",
            "An archived copy (for example in a web archive), under the same rule.",
            "https://...",
        ),
        _text("author", "The byline, as printed.", "Christian Shepherd"),
        _text("dateline", "The place line that opens the article.", "BEIJING"),
        Field("language", "language", "A language tag.", "en", default="en"),
    ),
    "a line `---`, then `title: The headline`, then `---`, then the article text",
)

RELATION = Field(
    "relation",
    "choice",
    "How the rebuttal bears on the statement; cards group rebuttals by it.",
    "disputes",
    choices=(
        Choice(
            "contradicts",
            "evidence (a document, a record, a finding) that the statement is false or misleading",
        ),
        Choice("disputes", "another party's counter-claim, not evidence"),
        Choice("context", "related material that neither confirms nor refutes"),
    ),
    default="contradicts",
)

INTERNAL_REBUTTAL = Record(
    "internal-rebuttal",
    "a rebuttal",
    (
        Field("annotation", "ref", "The id of another annotation, in any source.", "currie-sinicize", True),
        RELATION,
    ),
)

EXTERNAL_REBUTTAL = Record(
    "external-rebuttal",
    "a rebuttal",
    (
        Field(
            "title",
            "text",
            "The document's title.",
            "The Xinjiang Police Files",
            required=True,
            missing=("rebuttal-no-title", "outside evidence needs a `title` naming the document"),
        ),
        Field("url", "url", "The document's address, only if certain.", "https://..."),
        _text(
            "citation",
            "A full reference, for documents without a stable address.",
            "UN document CERD/C/CHN/CO/14-17",
        ),
        _text("publisher", "Who published it.", "UN Committee on the Elimination of Racial Discrimination"),
        Field("date", "date", "When it was published: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.", '"2022-08-31"'),
        RELATION,
    ),
)

ATTRIBUTION = Field(
    "attribution",
    "choice",
    "How the words reached the article.",
    "paraphrase",
    choices=(
        Choice("direct", "the speaker's words, verbatim"),
        Choice("paraphrase", "the article restates what the speaker said"),
        Choice("reported", "the article reports a claim someone relayed"),
    ),
    default="direct",
)

ANNOTATION = Record(
    "annotation",
    "an annotation",
    (
        Field("id", "id", "Unique across the archive; the permalink is `#<id>`.", "hua-no-different", True),
        Field(
            "quote",
            "text",
            "The statement's words, exactly as in the article.",
            "The relevant practices in China are no different from ...",
            required=True,
            blank=("empty-quote", "`quote` is empty; copy the statement's words from the article"),
        ),
        _text("prefix", "Text just before the quote, when the quote occurs more than once.", "Hua said"),
        _text("suffix", "Text just after the quote, when the quote occurs more than once.", "in the U.K."),
        Field("occurrence", "integer", "Which occurrence of the quote (counted from 1).", "2"),
        Field("speaker", "ids", "A speaker id, or a list of ids.", "hua-chunying", True, attr="speakers"),
        _text(
            "role",
            "The role held, when it differs from the registry's.",
            "Spokesperson, Ministry of Foreign Affairs",
        ),
        Field("claim_type", "ref", "An id from the claim-type registry.", "whataboutism", True),
        ATTRIBUTION,
        _text(
            "via", "Who relayed a reported or paraphrased statement.", "Ministry of Foreign Affairs statement"
        ),
        _text(
            "summary",
            "One line: what the statement claims.",
            "China equates the camps with Western counterterrorism.",
        ),
        _text(
            "note", "Markdown commentary (no raw HTML).", "The U.K., France and the U.S. run no such camps."
        ),
        Field(
            "rebuttals",
            "list",
            "Other annotations or outside evidence that answer the statement.",
            "- annotation: currie-sinicize",
            items=(INTERNAL_REBUTTAL, EXTERNAL_REBUTTAL),
        ),
        Field("tags", "tags", "Lower-case keywords, with the id rules.", "[detention]"),
    ),
    "`annotations:`, then entries like `- id: hua-no-different` with quote, speaker, claim_type",
)

ANNOTATION_FILE = Record(
    "annotation-file",
    "an annotation file",
    (
        Field("source", "id", "The source id; the file's name when left out.", "2019-02-25-reuters"),
        Field(
            "annotations",
            "list",
            "The statements annotated.",
            "- id: hua-no-different",
            True,
            items=(ANNOTATION,),
        ),
    ),
    ANNOTATION.example,
)

ROLE = Record(
    "role",
    "a role",
    (
        _text("title", "The position held.", "Spokesperson, Ministry of Foreign Affairs", required=True),
        Field(
            "from",
            "date",
            "When it began (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`); left out if not known.",
            '"2012"',
            attr="start",
        ),
        Field("to", "date", "When it ended; left out for a role still held.", '"2019-07"', attr="end"),
    ),
)

LINK = Record(
    "link",
    "a link",
    (
        Field("url", "url", "An address you are certain of.", "https://...", True),
        _text("title", "The link's text.", "Official biography", required=True),
    ),
)

SPEAKER = Record(
    "speaker",
    "a speaker",
    (
        _text(
            "name",
            "The name as usually written in English; for a group or unnamed speaker, a description such "
            'as "Human rights groups (unnamed)".',
            "Hua Chunying",
            required=True,
        ),
        _text("native_name", "The name in the speaker's own script, if you are sure of it.", "华春莹"),
        Field(
            "kind",
            "choice",
            "What the speaker is.",
            "organization",
            choices=(
                Choice("person", "one named person"),
                Choice("organization", "a government, ministry, company or other body"),
                Choice("group", "people described collectively"),
                Choice("unnamed", "someone the article does not identify"),
            ),
            default="person",
        ),
        _text(
            "affiliation",
            "The government, party or organisation the speaker belongs to.",
            "Ministry of Foreign Affairs of the People's Republic of China",
        ),
        Field(
            "roles",
            "list",
            "The positions relevant to the archive. The site shows, on each card, the role that covers the "
            "article's date.",
            "- title: Vice Minister of Foreign Affairs",
            items=(ROLE,),
        ),
        _text(
            "description",
            "One or two neutral sentences: who the speaker is, and anything a reader needs to recognise "
            "them (other spellings, the title an article uses).",
            "Chinese diplomat.",
        ),
        Field(
            "links",
            "list",
            "Addresses you are certain of, such as an official biography.",
            "- url: https://...",
            items=(LINK,),
        ),
    ),
)

CLAIM_TYPE = Record(
    "claim-type",
    "a claim type",
    (
        _text("label", "The name shown to readers.", "Whataboutism", required=True),
        _text(
            "category",
            "The group it belongs to: one of the categories already used (it sets the highlight colour).",
            "Distraction",
        ),
        _text(
            "definition",
            "What statements of this type do, in your own words.",
            "Answers a criticism by accusing the critic of the same.",
            required=True,
        ),
        _text("reference", "Where the definition comes from.", "SemEval-2023 Task 3"),
    ),
)

RECORDS = (
    SOURCE,
    ANNOTATION_FILE,
    ANNOTATION,
    INTERNAL_REBUTTAL,
    EXTERNAL_REBUTTAL,
    SPEAKER,
    ROLE,
    LINK,
    CLAIM_TYPE,
)
