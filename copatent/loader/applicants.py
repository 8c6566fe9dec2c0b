"""Applicants: split a patent's applicant cell in order, normalise names, classify them.

The order of applicants is the method's core (DESIGN.md, item 2): the first applicant leads, each
other applicant participates. Splitting keeps that order; a name repeated within one patent keeps
its first position.

Classification follows the rules in ``copatent/loader/data/applicant_rules.toml`` (data, not code):
the export's country code, then its applicant-type cell, then name patterns, first match wins.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Final, Literal

from copatent.places.keys import normalise_name

Kind = Literal["organisation", "person", "foreign", "unknown"]
KINDS: Final[tuple[Kind, ...]] = ("organisation", "person", "foreign", "unknown")

DEFAULT_SEPARATOR: Final = r"\s*[;；|]\s*"
"""Applicants are separated by ``;``, ``；`` or ``|`` (PatSnap's `` | ``)."""


def split_applicants(cell: str | None, separator: str = DEFAULT_SEPARATOR) -> list[str]:
    """Split an applicant cell into normalised names, in order, without empties or repeats.

    >>> split_applicants("北京科技大学；包头稀土研究院; 北京科技大学 | 张三")
    ['北京科技大学', '包头稀土研究院', '张三']
    """
    return [name for _, name in split_parts(cell, separator)]


def split_parts(cell: str | None, separator: str = DEFAULT_SEPARATOR) -> list[tuple[str, str]]:
    """Each applicant of a cell as its text in the cell (stripped) and its normalised name.

    The names are those of :func:`split_applicants`, in the same order; the text is what a person
    finds in the file, for messages.

    >>> split_parts("＝SUM(1)； 北京科技大学 ;北京科技大学")
    [('＝SUM(1)', '=SUM(1)'), ('北京科技大学', '北京科技大学')]
    """
    if not cell:
        return []
    parts: dict[str, str] = {}  # name -> its first text: a name repeated keeps its first position
    for part in _pattern(separator).split(cell):
        name = normalise_name(part)
        if name and name not in parts:
            parts[name] = part.strip()
    return [(text, name) for name, text in parts.items()]


def split_aligned(cell: str | None, count: int, separator: str = DEFAULT_SEPARATOR) -> list[str]:
    """Split a per-applicant cell (address, country code, ...) into ``count`` aligned values.

    The export aligns these cells with the applicants; when the number of parts differs the
    alignment is unknown, and only the first value is kept (for the first applicant).

    >>> split_aligned("CN;JP", 2), split_aligned("北京市海淀区", 2), split_aligned(None, 2)
    (['CN', 'JP'], ['北京市海淀区', ''], ['', ''])
    """
    parts = [p.strip() for p in _pattern(separator).split(cell)] if cell else []
    if len(parts) == count:
        return parts
    first = parts[0] if parts else ""
    return [first] + [""] * (count - 1) if count else []


@functools.lru_cache(maxsize=16)
def _pattern(separator: str) -> re.Pattern[str]:
    """The compiled separator (``re.split`` with a pattern string looks it up in every call)."""
    return re.compile(separator)


class Splitter:
    """Split many cells with one separator, as :func:`split_applicants` and :func:`split_aligned`.

    The separator is compiled once and each distinct applicant part normalised once (names
    repeat heavily in an export); the parts seen are kept, so a splitter lives for one batch
    of rows. :meth:`parts` leaves the alignment with the applicants (:func:`split_aligned`'s
    rule) to the caller, who applies it to whole columns at once.

    >>> splitter = Splitter()
    >>> splitter.applicants("北京科技大学；包头稀土研究院; 北京科技大学 | 张三")
    ('北京科技大学', '包头稀土研究院', '张三')
    >>> splitter.parts(" CN; JP "), splitter.parts("")
    (('CN', 'JP'), ())
    """

    def __init__(self, separator: str = DEFAULT_SEPARATOR) -> None:
        self._split = _pattern(separator).split
        self._names = _Names()

    def applicants(self, cell: str) -> tuple[str, ...]:
        """The names of :func:`split_applicants`."""
        if not cell:
            return ()
        names = dict.fromkeys(map(self._names.__getitem__, self._split(cell)))  # in order, once
        return tuple(name for name in names if name)

    def parts(self, cell: str) -> tuple[str, ...]:
        """A per-applicant cell's values (stripped), before :func:`split_aligned` aligns them."""
        return tuple(map(str.strip, self._split(cell))) if cell else ()


class _Names(dict[str, str]):
    """Applicant part -> its normalised name, each normalised when first asked for."""

    def __missing__(self, part: str) -> str:
        name = self[part] = normalise_name(part)
        return name


@dataclass(frozen=True)
class Rule:
    kind: Kind
    pattern: re.Pattern[str]
    note: str


@dataclass(frozen=True)
class Rules:
    """Classification rules: domestic country codes, applicant types, name patterns."""

    domestic_countries: frozenset[str]
    types: dict[str, Kind]
    rules: tuple[Rule, ...]


@functools.cache
def default_rules() -> Rules:
    """The rules shipped in ``copatent/loader/data/applicant_rules.toml``."""
    text = (
        resources.files("copatent.loader.data").joinpath("applicant_rules.toml").read_text("utf-8")
    )
    data = tomllib.loads(text)
    rules = tuple(
        Rule(kind=_kind(r["kind"]), pattern=re.compile(r["pattern"]), note=r.get("note", ""))
        for r in data["rule"]
    )
    return Rules(
        domestic_countries=frozenset(data["domestic_countries"]),
        types={k: _kind(v) for k, v in data["types"].items()},
        rules=rules,
    )


def _kind(value: str) -> Kind:
    if value not in KINDS:
        raise ValueError(f"unknown applicant kind {value!r} in applicant_rules.toml")
    return value


def classify(
    name: str, *, country: str = "", applicant_type: str = "", rules: Rules | None = None
) -> Kind:
    """Classify one applicant as organisation, person, foreign or unknown.

    >>> classify("包头稀土研究院"), classify("王建国"), classify("日立金属株式会社")
    ('organisation', 'person', 'foreign')
    >>> classify("Santoku Corporation"), classify("北京科技大学", country="CN")
    ('foreign', 'organisation')
    >>> classify("李明", applicant_type="企业"), classify("某某某某某某某")
    ('organisation', 'unknown')
    """
    r = rules or default_rules()
    code = country.strip().upper()
    if code and code not in r.domestic_countries:
        return "foreign"
    kind = r.types.get(applicant_type.strip())
    if kind is not None:
        return kind
    for rule in r.rules:
        if rule.pattern.search(name):
            return rule.kind
    return "unknown"


def classify_many(
    names: Sequence[str],
    countries: Sequence[str],
    types: Sequence[str],
    rules: Rules | None = None,
) -> list[Kind]:
    """Classify aligned sequences, caching repeated (name, country, type) triples."""
    cached = functools.lru_cache(maxsize=None)(
        lambda n, c, t: classify(n, country=c, applicant_type=t, rules=rules)
    )
    return [cached(n, c, t) for n, c, t in zip(names, countries, types, strict=True)]
