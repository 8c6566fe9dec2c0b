"""Input checks shared by the analytics modules."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

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
