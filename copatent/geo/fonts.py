"""A CJK font for matplotlib: Noto Sans CJK SC from the ``noto-cjk-sans-otc`` wheel.

The wheel ships ``NotoSansCJK-Regular.ttc`` (SIL Open Font License 1.1), a collection with the
Japanese, Korean, Simplified and Traditional Chinese faces; matplotlib registers each face and
the Simplified Chinese one is :data:`FAMILY`. No system font is needed, so Chinese labels render
the same on every machine (no tofu boxes).
"""

from __future__ import annotations

import functools
from typing import Final

FAMILY: Final = "Noto Sans CJK SC"
"""The family name of the Simplified Chinese face."""


@functools.cache
def cjk_font() -> str:
    """Register the font with matplotlib (once) and return its family name, :data:`FAMILY`."""
    from matplotlib import font_manager  # noqa: PLC0415
    from noto_cjk_sans_otc import FONT_PATH  # noqa: PLC0415

    path = str(FONT_PATH)
    font_manager.fontManager.addfont(path)
    faces = {f.name for f in font_manager.fontManager.ttflist if f.fname == path}
    if FAMILY not in faces:
        raise RuntimeError(f"{path}: no {FAMILY} face among {sorted(faces)}")
    return FAMILY
