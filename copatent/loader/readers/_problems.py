"""Why a file cannot be read: the exception that collects a file's problems, and reasons.

A reader raises :class:`_FileProblemsError` with everything wrong with one file;
:func:`copatent.loader.readers.read_exports` collects those of every file into one
:class:`copatent._errors.InputError`. The reason helpers turn an exception into the short text a
message quotes. Nothing here imports pandas or pyarrow: the column maps and paths use it too.
"""

from __future__ import annotations


class _FileProblemsError(Exception):
    """Why one file cannot be used: collected, then reported with every other file's."""

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:120] + "…"
