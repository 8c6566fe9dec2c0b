"""Input checks shared by the analytics modules."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import pandas as pd

from copatent._errors import InputError


def as_numbers(values: npt.ArrayLike, what: str) -> npt.NDArray[np.float64]:
    """``values`` as a one-dimensional float array, or an :class:`InputError` naming ``what``.

    >>> as_numbers([1, 2], "weights").tolist()
    [1.0, 2.0]
    """
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InputError(f"{what} must be numbers: {error}") from None
    if array.ndim != 1:
        raise InputError(f"{what} must be one-dimensional, got shape {array.shape}")
    return array


def native(value: object) -> object:
    """A JSON-ready Python value: numpy scalars unwrapped, NaN and NA as ``None``."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def text_cells(column: pd.Series) -> pd.Series:
    """Cells as stripped text, missing as ``""``, on a fresh 0..n-1 index."""
    text = column.astype("string").str.strip().fillna("")
    return pd.Series(text.to_numpy(dtype=object), dtype=object)


def natural_order(labels: Iterable[object]) -> list[object]:
    """Labels in numeric order when every one is a number, else in text order.

    Numeric order puts "2" before "10", and equal numbers spelt apart by their text.

    >>> natural_order(["10", "2", "1.0", "1"]), natural_order(["b", "a"]), natural_order([3, 1])
    (['1', '1.0', '2', '10'], ['a', 'b'], [1, 3])
    """
    found = list(labels)
    numbers = pd.to_numeric(pd.Series(found, dtype=object), errors="coerce")
    if numbers.notna().all():
        ranked = sorted(zip(numbers, map(str, found), range(len(found)), strict=True))
        return [found[i] for _, _, i in ranked]
    return sorted(found, key=str)
