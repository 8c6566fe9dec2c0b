"""The one writer of the files copatent makes for people: whole files, formula-safe cells.

Every file a command writes for people to open goes through :func:`staged`: the CSV tables of
``analyze``, ``subgroups`` and ``detect``, the JSON report of ``load --report``, and the sample
export with its README and statistics tables. (The CSV files that ``load --bulk`` hands to
``neo4j-admin`` are internal and written by :mod:`copatent.loader.bulk`.)

**Whole files, whole sets.** The files of one run are written into a hidden folder inside the
target folder (``.copatent-….partial``: the same file system, so the final step is a rename),
each flushed to disk with ``fsync``, and only when every file of the run is complete are they
renamed into place. The target folder therefore holds the previous files or the new ones, never
a truncated file and never half of a run's set. A failure of any kind removes the hidden folder;
an :class:`OSError` (disk full, permission, read-only file system, ...) becomes one
:class:`~copatent._errors.OutputError` (exit 6) naming the file and the reason. Files that a
run does not write (another scale's tables from an earlier run, say) are left alone. A run
killed with ``SIGKILL`` cannot clean up: it may leave its hidden ``.partial`` folder behind,
never a partial file under a real name.

**Formula-safe cells** (OWASP, "CSV Injection"; ASVS 5.0 requirement 1.2.10): a text cell that
a spreadsheet could run as a formula is written with a leading apostrophe, see
:func:`spreadsheet_text`. Numbers are written as numbers. :func:`safe_cells` applies the rule to
every text cell and column name of a table; :func:`xlsx_row` is the same rule for workbooks.

:func:`writable_folder` and :func:`writable_file` check a destination before the long work
starts, so that a bad ``--out`` or ``--report`` fails at once and not after the work.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Final, TextIO

from copatent._errors import OutputError

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS: Final = "=+-@＝＋－＠"
"""Characters that make a spreadsheet read a cell as a formula when they come first (after any
white space): OWASP's ``= + - @``, and their full-width forms, which OWASP does not list but which
CJK input methods type and which a spreadsheet may take for the half-width ones."""

CONTROL_STARTS: Final = "\t\r\0"
"""Characters that OWASP (tab, carriage return) and ASVS 1.2.10 (tab, NUL) also escape when
first: a spreadsheet may drop them and read what follows."""

_PLAIN_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PARTIAL: Final = ".partial"


def spreadsheet_text(text: str) -> str:
    r"""``text`` with a leading apostrophe when a spreadsheet could read it as a formula.

    A cell is escaped when its first character is a tab, carriage return or NUL, or when its
    first character after white space is one of ``= + - @`` or their full-width forms
    ``＝ ＋ － ＠``, unless the whole cell (trimmed) is a plain decimal number such as ``-3``,
    ``+0.5`` or ``-1.2e-3``: a sign, digits, a point and an exponent make no formula, and a
    researcher's ``-3`` stays the number -3 in the spreadsheet instead of becoming the text
    ``'-3``. Everything else that starts with a sign, ``-inf`` and ``-1,234`` included, is
    escaped. The escape is idempotent: an escaped cell starts with ``'`` and is left alone.

    >>> spreadsheet_text('=HYPERLINK("http://x","y")')
    '\'=HYPERLINK("http://x","y")'
    >>> [spreadsheet_text(t) for t in ("-A1*10", "＠SUM(1)", " =1+1", "\tx")]
    ["'-A1*10", "'＠SUM(1)", "' =1+1", "'\tx"]
    >>> [spreadsheet_text(t) for t in ("-0.5", "+86", "北京-上海", "", "'=1")]
    ['-0.5', '+86', '北京-上海', '', "'=1"]
    """
    if text and text[0] in CONTROL_STARTS:
        return "'" + text
    trimmed = text.strip()
    if trimmed and trimmed[0] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(trimmed):
        return "'" + text
    return text


def safe_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :func:`spreadsheet_text` applied to every text cell and column name.

    Only Python strings change: numeric columns, and numbers, missing values and other objects
    inside text columns, are written as they are, so ``-0.5`` in a float column stays a number.
    The result is a copy when something changed, else ``frame`` itself.
    """
    import pandas as pd  # noqa: PLC0415 (keeps `import copatent.files` light for the CLI)

    out = frame
    for j in range(frame.shape[1]):
        column = frame.iloc[:, j]
        if pd.api.types.is_numeric_dtype(column.dtype):  # booleans included
            continue
        values = column.to_numpy(dtype=object)
        escaped = [spreadsheet_text(v) if isinstance(v, str) else v for v in values]
        if any(a is not b for a, b in zip(values, escaped, strict=True)):
            if out is frame:
                out = frame.copy()
            out.isetitem(j, escaped)
    names = [spreadsheet_text(c) if isinstance(c, str) else c for c in frame.columns]
    if names != list(frame.columns):
        if out is frame:
            out = frame.copy()
        out.columns = pd.Index(names, dtype=object)
    return out


def xlsx_row(sheet: Any, values: Sequence[object]) -> list[object]:
    """``values`` for ``sheet.append`` (an openpyxl write-only sheet) with no formula among them.

    openpyxl stores any string that starts with ``=`` as a formula. A text value that
    :func:`spreadsheet_text` would escape becomes a text cell (type ``s``) with Excel's
    quote-prefix style, the workbook's own form of the leading apostrophe: shown and read back
    as the original text, and not turned into a formula when the cell is edited. Other values
    pass unchanged.
    """
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]  # noqa: PLC0415

    row: list[object] = []
    for value in values:
        if isinstance(value, str) and spreadsheet_text(value) != value:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.quotePrefix = True
            row.append(cell)
        else:
            row.append(value)
    return row


def reason(exc: OSError) -> str:
    """What went wrong, for a one-line message: ``no space left on device``, ...

    >>> import errno
    >>> reason(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    'no space left on device'
    """
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]


class Staging:
    """The files of one run, written in a hidden folder and renamed into ``folder`` together.

    Made by :func:`staged`; each method takes a file name, plain or inside one subfolder
    (``figures/fig1.png``), and returns the path the file will have in ``folder`` once the run's
    files are in place.
    """

    def __init__(self, folder: Path, scratch: Path) -> None:
        self.folder = folder
        self._scratch = scratch
        self._names: list[str] = []

    @property
    def written_so_far(self) -> Path:
        """The hidden folder holding the files written so far.

        To read them back before the set is in place (a comparison with an earlier set, say);
        never to write into.
        """
        return self._scratch

    @contextlib.contextmanager
    def binary(self, name: str) -> Iterator[BinaryIO]:
        """A new binary file ``name``: written, flushed and synced when the block ends."""
        with self._file(name, "xb") as handle:
            yield handle  # type: ignore[misc]  # "xb" opens a BufferedWriter, a BinaryIO

    @contextlib.contextmanager
    def text(self, name: str, *, encoding: str = "utf-8", newline: str = "") -> Iterator[TextIO]:
        """A new text file ``name`` in ``encoding`` (``utf-8-sig`` writes a BOM)."""
        with self._file(name, "x", encoding=encoding, newline=newline) as handle:
            yield handle  # type: ignore[misc]  # "x" opens a TextIOWrapper, a TextIO

    @contextlib.contextmanager
    def path(self, name: str) -> Iterator[Path]:
        """A path for ``name`` that a library writes by itself (GDAL's GeoPackage driver, say).

        The path is in the hidden folder and does not exist yet. When the block ends the file
        must exist; it is synced to disk and moved into place with the run's other files.
        """
        target, path = self._new(name)
        try:
            yield path
            if not path.is_file():
                raise ValueError(f"{name!r}: nothing was written")
            with path.open("rb+") as handle:
                os.fsync(handle.fileno())
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise OutputError(
                f"{target}: cannot write: {reason(exc)} ({self.folder} is unchanged)"
            ) from None
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        self._names.append(name)

    def write_text(self, name: str, text: str, *, encoding: str = "utf-8") -> Path:
        """A text file ``name`` holding ``text`` (line ends as given)."""
        with self.text(name, encoding=encoding) as handle:
            handle.write(text)
        return self.folder / name

    def write_csv(self, name: str, frame: pd.DataFrame, *, encoding: str = "utf-8-sig") -> Path:
        """``frame`` as CSV (no index, LF line ends), cells made safe by :func:`safe_cells`.

        UTF-8 with a BOM by default, so that Excel opens the Chinese names correctly.
        """
        with self.text(name, encoding=encoding) as handle:
            safe_cells(frame).to_csv(handle, index=False, lineterminator="\n")
        return self.folder / name

    def _new(self, name: str) -> tuple[Path, Path]:
        """``name``'s place in the folder and in the hidden folder (whose subfolder is made)."""
        parts = PurePosixPath(name).parts
        plain = 1 <= len(parts) <= 2 and all(p not in ("", ".", "..", "/") for p in parts)
        if name in self._names or not plain or "\\" in name or str(PurePosixPath(*parts)) != name:
            raise ValueError(f"{name!r}: a new file name is needed (plain, or in one subfolder)")
        target = self.folder / name
        path = self._scratch / name
        try:
            path.parent.mkdir(exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"{target}: cannot write: {reason(exc)} ({self.folder} is unchanged)"
            ) from None
        return target, path

    @contextlib.contextmanager
    def _file(self, name: str, mode: str, **options: Any) -> Iterator[IO[Any]]:
        target, path = self._new(name)
        try:
            with path.open(mode, **options) as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise OutputError(
                f"{target}: cannot write: {reason(exc)} ({self.folder} is unchanged)"
            ) from None
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        self._names.append(name)

    def _commit(self) -> list[Path]:
        moved: list[Path] = []
        for name in self._names:
            target = self.folder / name
            try:
                target.parent.mkdir(exist_ok=True)
                (self._scratch / name).replace(target)
            except OSError as exc:
                raise OutputError(
                    f"{target}: cannot move into place: {reason(exc)} ({len(moved)} of "
                    f"{len(self._names)} files of this run were in place)"
                ) from None
            moved.append(target)
        _sync_folder(self.folder)
        return moved


@contextlib.contextmanager
def staged(folder: Path) -> Iterator[Staging]:
    r"""Write a set of files into ``folder`` (created): all of them, or none and one error.

    The files appear in ``folder`` when the block ends without an exception. On any exception
    the hidden folder is removed with everything written so far, and ``folder`` is as it was;
    an :class:`OSError` while writing is re-raised as :class:`~copatent._errors.OutputError`.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with staged(Path(tmp)) as files:
    ...         path = files.write_text("a.txt", "x\n")
    ...     sorted(p.name for p in Path(tmp).iterdir()), path.read_text()
    (['a.txt'], 'x\n')
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".copatent-", suffix=_PARTIAL, dir=folder))
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write there: {reason(exc)}") from None
    try:
        staging = Staging(folder, scratch)
        yield staging
        staging._commit()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_tables(folder: Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Each table as ``folder/<name>`` (CSV, UTF-8 with BOM, safe cells), as one set."""
    with staged(folder) as files:
        return [files.write_csv(name, frame) for name, frame in tables.items()]


def write_text(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    """One whole text file at ``path`` (its folder created if needed)."""
    with staged(path.parent) as files:
        files.write_text(path.name, text, encoding=encoding)
    return path


def writable_folder(folder: Path) -> Path:
    """Create ``folder`` if needed and check that files can be written in it (one-line errors).

    A hidden folder is made and removed again, as :func:`staged` will do; on a full disk this
    usually fails already.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        Path(tempfile.mkdtemp(prefix=".copatent-", suffix=_PARTIAL, dir=folder)).rmdir()
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write there: {reason(exc)}") from None
    return folder


def writable_file(path: Path) -> Path:
    """Check, creating nothing, that :func:`write_text` could write ``path`` (one-line errors).

    ``path`` must not be a folder, and the nearest folder on its way that exists must take a
    new entry (its missing folders are created when the file is written).
    """
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    existing = path.absolute().parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{path}: {existing} is not a folder")
    try:
        Path(tempfile.mkdtemp(prefix=".copatent-", suffix=_PARTIAL, dir=existing)).rmdir()
    except OSError as exc:
        raise OutputError(f"{path}: cannot write there: {reason(exc)}") from None
    return path


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (best effort).

    Some file systems refuse to sync a folder; the files are whole and in place already.
    """
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
