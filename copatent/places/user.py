"""The user's own tables: where applicants sit (``--places``) and which names are one (thesaurus).

A **places table** is a CSV with a ``name`` column and an ``adcode`` column (a province, city or
county code: 510100, 510104, 510000) or an ``address`` column (parsed like an export's address),
or both (the adcode wins on a row that has both). Its names are matched on
:func:`~copatent.places.keys.name_key`, and it overrides every other way of placing.

A **thesaurus** is VOSviewer's: a ``label`` column and a ``replace by`` column, tab- or
comma-separated; each name in ``label`` is replaced by the name in ``replace by`` when the exports
are read (names compared after :func:`~copatent.places.keys.normalise_name`). A chain (a → b,
b → c) ends at its last name.

Every problem of a file is named with its row and column, in one line (:class:`InputError`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from copatent import regions
from copatent._errors import InputError
from copatent.places import address
from copatent.places.keys import name_key, normalise_name
from copatent.tables import one_line, preview, read_table, spreadsheet_rows, text_cells

_ADCODE: Final = re.compile(r"\d{6}")
LABEL: Final = "label"
REPLACE: Final = "replace by"


@dataclass(frozen=True)
class UserPlace:
    city_adcode: str | None
    province_adcode: str
    evidence: str


@dataclass(frozen=True)
class Places:
    """A places table: name key -> where it is, and the file it came from."""

    path: Path
    by_key: dict[str, UserPlace]

    def find(self, name: str) -> UserPlace | None:
        return self.by_key.get(name_key(name))


def read_places(path: Path) -> Places:
    """Read and check a places table (see the module docstring)."""
    frame, problems = read_table(path)
    if frame is None:
        raise InputError(one_line([(str(path), problems)]))
    columns = {str(c).strip().lower(): c for c in frame.columns}
    if "name" not in columns or not {"adcode", "address"} & columns.keys():
        raise InputError(
            f"{path}: row 1: expected a name column and an adcode or address column, found "
            + (", ".join(map(str, frame.columns)) or "none")
        )
    rows = spreadsheet_rows(frame)
    names = text_cells(frame[columns["name"]])
    codes = text_cells(frame[columns["adcode"]]) if "adcode" in columns else None
    texts = text_cells(frame[columns["address"]]) if "address" in columns else None
    parsed = address.parse(texts) if texts is not None else None
    problems = []
    by_key: dict[str, UserPlace] = {}
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        row = int(rows[i])
        code = codes.iloc[i] if codes is not None else ""
        text = texts.iloc[i] if texts is not None else ""
        if not name and not code and not text:
            continue  # a blank line
        if not name:
            problems.append(f"row {row}, column name: empty")
            continue
        key = name_key(name)
        if key in first:
            problems.append(
                f"row {row}, column name: {preview(name)} repeats row {first[key]} "
                "(names are compared without brackets, widths and company forms)"
            )
            continue
        first[key] = row
        if code:
            place = _from_adcode(code)
            if place is None:
                problems.append(f"row {row}, column adcode: unknown adcode {preview(code)}")
                continue
            city, province = place
            by_key[key] = UserPlace(city, province, f"{path.name} row {row}: adcode {code}")
        elif text and parsed is not None and parsed["province_adcode"].iloc[i] is not None:
            by_key[key] = UserPlace(
                parsed["city_adcode"].iloc[i],
                parsed["province_adcode"].iloc[i],
                f"{path.name} row {row}: {text}",
            )
        elif text:
            problems.append(f"row {row}, column address: no place found in {preview(text)}")
        else:
            column = "adcode" if codes is not None else "address"
            problems.append(f"row {row}, column {column}: empty")
    if problems:
        raise InputError(one_line([(str(path), problems)]))
    return Places(path, by_key)


def _from_adcode(code: str) -> tuple[str | None, str] | None:
    """(city, province) of a province, city or county adcode; None if unknown."""
    if not _ADCODE.fullmatch(code):
        return None
    province = code[:2] + "0000"
    provinces, counties = _known_codes()
    if province not in provinces:
        return None
    if code == province:
        return (code if code in regions.MUNICIPALITIES else None), province
    city = regions.city_of(code)
    known = code in counties or code == city
    return (city, province) if city is not None and known else None


@functools.cache
def _known_codes() -> tuple[frozenset[str], frozenset[str]]:
    """The province adcodes and the county-level adcodes."""
    return frozenset(regions.provinces()["adcode"]), frozenset(regions.districts()["adcode"])


# --------------------------------------------------------------------------------------------
# the thesaurus


@dataclass(frozen=True)
class Thesaurus:
    """Name -> the name it is replaced by (both normalised), and the file."""

    path: Path
    replace: dict[str, str]

    def apply(self, name: str) -> str:
        return self.replace.get(name, name)


def read_thesaurus(path: Path) -> Thesaurus:
    """Read and check a thesaurus file (see the module docstring)."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            header = handle.readline()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the thesaurus ({exc})") from None
    frame, problems = read_table(path, sep="\t" if "\t" in header else ",")
    if frame is None:
        raise InputError(one_line([(str(path), problems)]))
    columns = {str(c).strip().lower(): c for c in frame.columns}
    if LABEL not in columns or REPLACE not in columns:
        raise InputError(
            f"{path}: row 1: expected the columns '{LABEL}' and '{REPLACE}' (VOSviewer's "
            f"thesaurus), found " + (", ".join(map(str, frame.columns)) or "none")
        )
    rows = spreadsheet_rows(frame)
    labels = text_cells(frame[columns[LABEL]]).map(normalise_name)
    targets = text_cells(frame[columns[REPLACE]]).map(normalise_name)
    replace: dict[str, str] = {}
    first: dict[str, int] = {}
    for row, label, target in zip(rows, labels, targets, strict=True):
        if not label and not target:
            continue
        for column, value in ((LABEL, label), (REPLACE, target)):
            if not value:
                problems.append(f"row {row}, column {column}: empty")
        if not label or not target:
            continue
        if label in first and replace[label] != target:
            problems.append(
                f"row {row}, column {LABEL}: {preview(label)} is replaced differently on "
                f"row {first[label]}"
            )
            continue
        first.setdefault(label, int(row))
        if label != target:
            replace[label] = target
    resolved = _chains_followed(replace, first, problems)
    if problems:
        raise InputError(one_line([(str(path), problems)]))
    return Thesaurus(path, resolved)


def _chains_followed(
    replace: dict[str, str], first: dict[str, int], problems: list[str]
) -> dict[str, str]:
    """Chains followed to their end (a → b, b → c: a → c); a cycle is a problem."""
    resolved = {}
    for label, start in replace.items():
        seen = [label]
        target = start
        while target in replace and target not in seen:
            seen.append(target)
            target = replace[target]
        if target in seen:
            problems.append(f"row {first[label]}, column {REPLACE}: a cycle ({' → '.join(seen)})")
        resolved[label] = target
    return resolved


def merge_groups(thesaurus: Thesaurus, names: pd.Series) -> dict[str, list[str]]:
    """For each replacement name, the names of ``names`` merged into it (itself included)."""
    groups: dict[str, list[str]] = {}
    for name in pd.unique(names):
        target = thesaurus.apply(str(name))
        if target != name or target in thesaurus.replace.values():
            groups.setdefault(target, []).append(str(name))
    return {k: v for k, v in groups.items() if len(v) > 1 or v[0] != k}
