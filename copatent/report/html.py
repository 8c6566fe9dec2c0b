"""``report.html``: one self-contained page, rendered with Jinja2 (autoescaped).

Tables are built here from data frames (every cell escaped; numbers right-aligned with a fixed
number of decimals per column), figures are ``data:`` URIs, the font is an embedded subset
(:mod:`copatent.report.fonts`), and a Content-Security-Policy forbids the page to load anything
from anywhere: it opens offline and makes no request.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import pandas as pd

from copatent.report.page import CONTENT_SECURITY_POLICY

CSP: Final = CONTENT_SECURITY_POLICY
"""Nothing but the page itself and its ``data:`` images and font (:mod:`copatent.report.page`)."""


def _cell(value: object, decimals: int | None) -> tuple[str, bool]:
    """The escaped text of a cell and whether it is a number."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, int):
        return f"{value:,d}", True
    if isinstance(value, float):
        if math.isnan(value):
            return "", True
        if decimals is None:
            decimals = 0 if value.is_integer() else 3
        return f"{value:,.{decimals}f}", True
    return html.escape(str(value)), False


def table(
    frame: pd.DataFrame,
    caption: str = "",
    *,
    index: bool = False,
    decimals: Mapping[str, int] | None = None,
    highlight: Mapping[tuple[int, str], bool] | None = None,
    table_id: str = "",
) -> str:
    """An HTML table of ``frame`` (escaped), with ``decimals`` per column where given.

    ``highlight`` marks cells (row position, column) with the ``image1`` class (the image
    matrix's ones).
    """
    shown = frame.reset_index() if index else frame
    decimals = decimals or {}
    highlight = highlight or {}
    out = [f'<table id="{html.escape(table_id)}">' if table_id else "<table>"]
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>")
    numeric = {
        str(c): pd.api.types.is_numeric_dtype(shown[c].dtype)
        and not pd.api.types.is_bool_dtype(shown[c].dtype)
        for c in shown.columns
    }
    for c in shown.columns:
        klass = "" if numeric[str(c)] else ' class="text"'
        out.append(f'<th scope="col"{klass}>{html.escape(str(c))}</th>')
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(shown.itertuples(index=False, name=None)):
        out.append("<tr>")
        for c, value in zip(shown.columns, row, strict=True):
            text, is_number = _cell(value, decimals.get(str(c)))
            classes = [] if is_number else ["text"]
            if highlight.get((i, str(c))):
                classes.append("image1")
            klass = f' class="{" ".join(classes)}"' if classes else ""
            out.append(f"<td{klass}>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render(context: Mapping[str, Any]) -> str:
    """The page from ``templates/report.html.j2`` and ``context``.

    Strings are escaped, except the values under :data:`_MARKUP_KEYS` (built by :func:`table`)
    and the font CSS, which are passed through as markup.
    """
    import jinja2  # noqa: PLC0415
    from markupsafe import Markup  # noqa: PLC0415

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("copatent.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("report.html.j2").render(**_marked(context, Markup))


_MARKUP_KEYS: Final = frozenset(
    {"table1", "table2", "table3", "table4", "table5", "members", "decay", "interaction", "table"}
)
"""Context keys whose values are HTML built by :func:`table` (already escaped)."""


def _marked(value: Any, markup: Any, key: str = "") -> Any:
    if isinstance(value, str):
        return markup(value) if key in _MARKUP_KEYS or key in ("font_css", "font_stack") else value
    if isinstance(value, Mapping):
        return {k: _marked(v, markup, str(k)) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, bytes | str):
        return [_marked(v, markup, key if key in _MARKUP_KEYS else "") for v in value]
    return value
