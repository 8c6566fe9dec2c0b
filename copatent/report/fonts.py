"""Chinese text in ``report.html`` without a system font: a subset of Noto Sans CJK SC, embedded.

A browser that has no CJK font cannot draw Chinese: Debian's headless Chromium with only the DejaVu
and Liberation fonts draws empty boxes (tofu), in the prototype's set-up nothing at all, while
``document.fonts.check`` reports no problem. The report therefore carries its own font:
:func:`font_face_css` cuts the glyphs of the characters a page uses (plus printable ASCII and
common punctuation, :data:`BASIC_CHARACTERS`) out of the Simplified Chinese face of Noto Sans CJK,
which the ``noto-cjk-sans-otc`` wheel installs as an OpenType collection, and returns an
``@font-face`` rule with the subset inlined as a base64 ``data:`` URL. The page then makes no
request for a font, and a strict Content-Security-Policy (``font-src data:``,
:mod:`copatent.report.page`) lets it load.

**WOFF, not WOFF2.** fontTools writes WOFF2 only with the ``brotli`` package, which nothing else
needs; WOFF (zlib) is typically a fifth to a third larger and needs nothing. Measured with
fontTools 4.68 on the 2-core CI machine: the basics alone give a 12 KB font in 0.8 s; 500 common
characters (the first 500 of GB 2312 level 1) 125 KB (167 KB of CSS) in 1.8 s; 1,000, 231 KB in
2.6 s.

**Layout features.** Only those that horizontal Simplified Chinese and Latin text use are kept
(:data:`LAYOUT_FEATURES`). fontTools' default set keeps ``locl`` too, whose closure pulls in the
Japanese, Korean and Traditional Chinese forms of every character and doubles the file.

**Deterministic.** The same text gives the same bytes (the ``head`` table's modification time is
kept, not set to the time of writing), so a report rebuilt from the same results is identical.

**Licence.** Noto Sans CJK is under the SIL Open Font License 1.1, which allows embedding a subset
in a document; the subset keeps the font's copyright, licence and licence-URL name records
(name IDs 0, 13, 14), and the rule carries a comment naming the font and its licence.
"""

from __future__ import annotations

import base64
import contextlib
import io
import re
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from copatent._errors import ConfigError

FONT_DISTRIBUTION: Final = "noto-cjk-sans-otc"
"""The wheel that installs the font (a runtime dependency)."""

FONT_FILE: Final = "NotoSansCJK-Regular.ttc"
"""The OpenType collection inside the wheel: JP, KR, SC, TC and HK faces, sans and mono."""

FACE: Final = "NotoSansCJKsc-Regular"
"""PostScript name (name ID 6) of the face used: Noto Sans CJK SC Regular."""

DEFAULT_FAMILY: Final = "copatent-cjk"
"""The CSS ``font-family`` name the report gives the embedded font."""

BASIC_CHARACTERS: Final = "".join(map(chr, range(0x20, 0x7F))) + (
    "\u00a0°±·×÷–—‘’“”…‰′″→−≤≥"  # Latin typography and the signs of the tables and notes
    "　、。〈〉《》「」『』【】〔〕～"  # CJK punctuation
    "！（），：；？"  # full-width forms
)
"""Characters every subset holds, whatever the page's text: ASCII and common punctuation."""

LAYOUT_FEATURES: Final = ("ccmp", "chws", "halt", "kern", "liga", "mark", "mkmk")
"""OpenType features kept: composition, kerning, ligatures, marks, and the CJK punctuation
spacing (``chws``, ``halt``) that Chromium applies for ``text-spacing-trim``."""

_NAME_IDS: Final = (0, 1, 2, 3, 4, 5, 6, 13, 14)  # 0 copyright, 13 licence, 14 licence URL
_FAMILY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _-]*")


def font_path() -> Path:
    """The Noto Sans CJK collection installed by the ``noto-cjk-sans-otc`` wheel.

    Raises
    ------
    ConfigError
        The wheel is not installed, or holds no ``NotoSansCJK-Regular.ttc``.
    """
    try:
        dist = metadata.distribution(FONT_DISTRIBUTION)
    except metadata.PackageNotFoundError as exc:
        msg = f"the font package {FONT_DISTRIBUTION} is not installed (pip install it)"
        raise ConfigError(msg) from exc
    for file in dist.files or ():
        if file.name == FONT_FILE:
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                return path
    msg = f"the package {FONT_DISTRIBUTION} has no {FONT_FILE}: reinstall it"
    raise ConfigError(msg)


@contextlib.contextmanager
def _open_face() -> Iterator[Any]:
    """The Noto Sans CJK SC face, read lazily from the collection, which is closed afterwards."""
    from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]  # noqa: PLC0415

    path = font_path()
    with TTCollection(str(path), lazy=True) as collection:
        for face in collection.fonts:
            if face["name"].getDebugName(6) == FACE:
                face.recalcTimestamp = False  # keep head.modified: same text, same bytes
                yield face
                return
    msg = f"{path} has no face {FACE}"
    raise ConfigError(msg)


def uncovered(text: str) -> str:
    """The distinct characters of ``text`` that the font has no glyph for, in code-point order.

    Whitespace and control characters are left out. A browser draws an uncovered character in
    another font if it has one (else blank), so a report should show nothing here.

    >>> uncovered("北京 Beijing 2016–2020")
    ''
    >>> uncovered("北京\U0001f600")
    '😀'
    """
    with _open_face() as face:
        cmap: dict[int, str] = face["cmap"].getBestCmap()
    wanted = {c for c in text if c.isprintable() and not c.isspace()}
    return "".join(sorted(c for c in wanted if ord(c) not in cmap))


def font_subset(text: str) -> bytes:
    """WOFF font with the glyphs of Noto Sans CJK SC for ``text`` and :data:`BASIC_CHARACTERS`.

    Characters that the font does not cover are left out silently (see :func:`uncovered`).
    """
    from fontTools import subset  # type: ignore[import-untyped]  # noqa: PLC0415

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = list(LAYOUT_FEATURES)
    options.name_IDs = list(_NAME_IDS)
    options.desubroutinize = True  # about 5 % smaller once compressed
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text + BASIC_CHARACTERS))))
    out = io.BytesIO()
    with _open_face() as face:
        subsetter.subset(face)
        face.flavor = "woff"
        face.save(out)
    return out.getvalue()


def font_face_css(text: str, family: str = DEFAULT_FAMILY) -> str:
    """An ``@font-face`` rule embedding the subset of Noto Sans CJK SC that ``text`` needs.

    Parameters
    ----------
    text
        Every character the page may draw in ``family`` (its whole visible text will do);
        :data:`BASIC_CHARACTERS` are always included.
    family
        The ``font-family`` name to declare: letters, digits, spaces, ``_`` and ``-``.

    Returns
    -------
    str
        One line, ``/* licence comment */@font-face{font-family:"FAMILY";...;src:url(data:
        font/woff;base64,...) format("woff")}``, the same for the same arguments.

    Examples
    --------
    >>> css = font_face_css("北京市")
    >>> css.startswith('/* Noto Sans CJK SC')
    True
    >>> 'font-family:"copatent-cjk"' in css and 'format("woff")' in css
    True
    """
    if not _FAMILY_NAME.fullmatch(family):
        msg = f"font family name {family!r}: use letters, digits, spaces, '_' and '-'"
        raise ValueError(msg)
    data = base64.b64encode(font_subset(text)).decode("ascii")
    return (
        "/* Noto Sans CJK SC (subset), SIL Open Font License 1.1, https://openfontlicense.org */"
        f'@font-face{{font-family:"{family}";font-style:normal;font-weight:400;'
        f'font-display:block;src:url(data:font/woff;base64,{data}) format("woff")}}'
    )
