"""Column maps: which export headers feed which canonical column, and how headers compare.

The canonical, required and free-text columns, :class:`ColumnMap` (built in code, read from a
TOML file, or one of the :data:`BUILTIN_COLUMN_MAPS` shipped in ``copatent/loader/columns/``) and
:func:`header_key`, the normalised form in which headers are matched.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Final, cast

from copatent._errors import InputError
from copatent.loader import _validate
from copatent.loader.applicants import DEFAULT_SEPARATOR
from copatent.loader.readers._problems import _os_reason

CANONICAL_COLUMNS: Final[tuple[str, ...]] = (
    "pub_no",
    "app_no",
    "app_date",
    "title",
    "abstract",
    "applicants",
    "applicant_addresses",
    "applicant_countries",
    "applicant_provinces",
    "applicant_cities",
    "applicant_counties",
    "applicant_types",
    "ipc_main",
    "kind",
)
"""The columns :func:`~copatent.loader.readers.read_exports` returns, in order; ``source_file``
and ``source_row`` follow."""

REQUIRED_COLUMNS: Final[frozenset[str]] = frozenset({"pub_no", "app_date", "applicants"})
"""Columns every export must have; the others are missing (all ``NA``) when absent."""

PROVENANCE_COLUMNS: Final[tuple[str, ...]] = ("source_file", "source_row")

FREE_TEXT_COLUMNS: Final[frozenset[str]] = frozenset({"title", "abstract"})
"""Columns where formula text is kept as inert text; elsewhere it is an input error."""

KEY_COLUMNS: Final[frozenset[str]] = frozenset({"pub_no"})
"""Columns whose cell is stored, as it is, as an indexed key (``Patent.pub_no``)."""

NAMES_COLUMN: Final = "applicants"
"""The column of separated applicant names, checked name by name (``Applicant.name`` keys)."""

BUILTIN_COLUMN_MAPS: Final[tuple[str, ...]] = ("incopat", "patsnap")

_COLUMN_PACKAGE: Final = "copatent.loader.columns"
_INVISIBLE: Final = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\x00"))
_CHINESE_SUFFIX: Final = re.compile(r"\(中文\)$")


@dataclass(frozen=True)
class ColumnMap:
    """Which export headers feed which canonical column.

    Parameters
    ----------
    name
        A short name for messages, e.g. ``"incopat"``.
    columns
        Canonical column -> accepted header spellings, most preferred first; the first spelling
        present in a file is used. Keys must be in :data:`CANONICAL_COLUMNS` and include the
        :data:`REQUIRED_COLUMNS`. Stored read-only, in canonical order.
    applicant_separator
        Regular expression that separates applicants (and the per-applicant cells aligned with
        them) in one cell; ``None`` leaves the choice to the applicant splitter's default.

    Raises
    ------
    ValueError
        When the columns or the separator are invalid (a map built in code is a programming
        error; :meth:`from_toml` reports a bad file as :class:`~copatent._errors.InputError`).

    Examples
    --------
    >>> m = ColumnMap("mine", {"pub_no": ("PN",), "app_date": ("AD",), "applicants": ("PA",)})
    >>> m.columns["pub_no"], m.applicant_separator
    (('PN',), None)
    """

    name: str
    columns: Mapping[str, tuple[str, ...]]
    applicant_separator: str | None = None

    def __post_init__(self) -> None:
        document: dict[str, object] = {
            "name": self.name,
            "columns": {key: list(value) for key, value in self.columns.items()},
        }
        if self.applicant_separator is not None:
            document["applicant_separator"] = self.applicant_separator
        problems = _validate.column_map_problems(
            document, canonical=CANONICAL_COLUMNS, required=REQUIRED_COLUMNS
        )
        if problems:
            raise ValueError(f"column map {self.name!r}: " + "; ".join(problems))
        frozen = {key: tuple(self.columns[key]) for key in CANONICAL_COLUMNS if key in self.columns}
        object.__setattr__(self, "columns", MappingProxyType(frozen))

    @classmethod
    def from_toml(cls, path: Path) -> ColumnMap:
        """Read a column map from a TOML file (the CLI's ``--columns FILE.toml``).

        The file has the shape of the built-in maps in ``copatent/loader/columns/``::

            name = "my-export"                 # optional, default: the file name
            applicant_separator = "[;；]"      # optional regular expression

            [columns]
            pub_no = ["Publication Number", "公开（公告）号"]
            app_date = "Application Date"      # one spelling may be a plain string
            applicants = ["Applicants"]

        Parameters
        ----------
        path
            The TOML file.

        Returns
        -------
        ColumnMap

        Raises
        ------
        InputError
            When the file cannot be read, is not TOML, or does not describe a valid map; the
            message names the file and every problem.
        """
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as exc:
            raise InputError(f"{path}: cannot read column map: {_os_reason(exc)}") from exc
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: column map is not UTF-8 text") from exc
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: invalid TOML: {exc}") from exc
        return _column_map_from_document(document, default_name=path.stem, source=str(path))


def builtin_column_map(name: str = "incopat") -> ColumnMap:
    """The column map shipped as ``copatent/loader/columns/<name>.toml``.

    Parameters
    ----------
    name
        One of :data:`BUILTIN_COLUMN_MAPS`: ``"incopat"`` (the default; Chinese and English
        headers) or ``"patsnap"``.

    Raises
    ------
    InputError
        For an unknown name.

    Examples
    --------
    >>> builtin_column_map("patsnap").columns["pub_no"][0]
    '公开(公告)号'
    >>> builtin_column_map().applicant_separator
    '[;；]'
    """
    if name not in BUILTIN_COLUMN_MAPS:
        raise InputError(
            f"unknown column map {name!r}: choose {' or '.join(BUILTIN_COLUMN_MAPS)}, "
            "or give a TOML file"
        )
    return _load_builtin(name)


def applicant_separator(columns: ColumnMap | None) -> str:
    r"""The regular expression that separates applicants when reading with ``columns``.

    The map's own separator, else :data:`~copatent.loader.applicants.DEFAULT_SEPARATOR`: also
    when no map is given, although the incoPat map then reads the headers. The readers check names
    split with it, and the pipeline splits with it, so both see the same names.

    >>> print(applicant_separator(None), applicant_separator(builtin_column_map("patsnap")))
    \s*[;；|]\s* \s*\|\s*
    """
    return (columns.applicant_separator if columns is not None else None) or DEFAULT_SEPARATOR


@functools.cache
def _load_builtin(name: str) -> ColumnMap:
    text = resources.files(_COLUMN_PACKAGE).joinpath(f"{name}.toml").read_text("utf-8")
    return _column_map_from_document(tomllib.loads(text), default_name=name, source=name)


def _column_map_from_document(
    document: Mapping[str, object], *, default_name: str, source: str
) -> ColumnMap:
    problems = _validate.column_map_problems(
        document, canonical=CANONICAL_COLUMNS, required=REQUIRED_COLUMNS
    )
    if problems:
        raise InputError(f"{source}: invalid column map: " + "; ".join(problems))
    columns = cast("Mapping[str, str | list[str]]", document["columns"])  # checked above
    separator = document.get("applicant_separator")
    return ColumnMap(
        name=str(document.get("name") or default_name),
        columns={
            key: (spellings,) if isinstance(spellings, str) else tuple(spellings)
            for key, spellings in columns.items()
        },
        applicant_separator=separator if isinstance(separator, str) else None,
    )


def header_key(text: str) -> str:
    """The form in which headers are compared with a map's spellings.

    NFKC (full-width brackets and spaces become ASCII ones), invisible characters and all
    whitespace removed, case folded, a trailing "(中文)" dropped.

    >>> header_key(" 公开（公告）号 ") == header_key("公开(公告)号")
    True
    >>> header_key("标题 （中文）"), header_key("Application  Date")
    ('标题', 'applicationdate')
    """
    key = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    key = "".join(key.split()).casefold().replace("【", "[").replace("】", "]")
    return _CHINESE_SUFFIX.sub("", key)
