"""Typed columns and values for the XML formats (GEXF, GraphML) and the text formats."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Final, Literal

import pandas as pd

Kind = Literal["integer", "double", "boolean", "string"]

_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, not even escaped."""


def kind(column: pd.Series) -> Kind:
    """The value type of ``column``: integer, double, boolean or string."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "double"
    return "string"


def missing(value: object) -> bool:
    """``None``, ``pd.NA``, ``NaN``: a value a format leaves out."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def text(value: object, value_kind: Kind) -> str:
    """``value`` as the XML and text formats spell it (``true``, ``17``, ``0.5``, ...).

    >>> text(True, "boolean"), text(17, "integer"), text(0.1, "double"), text(2.0, "double")
    ('true', '17', '0.1', '2.0')
    """
    if value_kind == "boolean":
        return "true" if bool(value) else "false"
    if value_kind == "integer":
        return str(int(value))  # type: ignore[call-overload]
    if value_kind == "double":
        return repr(float(value))  # type: ignore[arg-type]
    return xml_text(str(value))


def number(value: float) -> str:
    """A weight as a number token: ``17`` for a whole number, else the shortest exact form.

    >>> number(17.0), number(0.25), number(1e20)
    ('17', '0.25', '100000000000000000000')
    """
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def xml_text(value: str) -> str:
    """``value`` without the control characters XML 1.0 forbids (escaping is the writer's)."""
    return _NOT_XML.sub("", value)


def cells(frame: pd.DataFrame, columns: list[str]) -> Iterator[list[object]]:
    """The rows of ``frame[columns]`` as Python values (``pd.NA`` kept for missing)."""
    values = [frame[c].astype(object).tolist() for c in columns]
    for i in range(len(frame)):
        yield [v[i] for v in values]
