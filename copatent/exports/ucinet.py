"""UCINET DL: one period's valued, directed network as a full matrix or an edge list.

Format rules (Analytic Technologies publishes no separate specification of the DL language; its
description is in these pages, and Gephi's documentation says as much):

- Analytic Technologies, "Entering data for analysis by UCINET software"
  (http://www.analytictech.com/networks/dataentry.htm): a file starts with ``dl`` and
  ``n =`` the number of nodes, ``format =`` names the layout, ``labels:`` is followed by the
  labels, separated by commas or line ends, and ``data:`` ends the header. In ``fullmatrix``
  the data are the n × n matrix, values separated by blanks; in ``edgelist1`` each line is an
  ordered pair of nodes (positions 1 to n in the label list) optionally followed by the tie's
  value. "Labels can be up to 18 characters in length, and cannot contain spaces or commas."
- Borgatti, Everett & Freeman, *UCINET 6 for Windows: Software for Social Network Analysis*,
  user's guide (Analytic Technologies, 2002), sections 3.3 "DL filetype", 3.4 "Full matrix
  format", 3.6 "Labels" and 3.12.2 "Edgelist formats"; "Matrix orientation" (0.5): the cell in
  row i and column j is the tie from i to j.
- Gephi, "UCINET DL format"
  (https://docs.gephi.org/desktop/User_Manual/Import/UCINET_DL_Format): the same two layouts,
  weighted, which Gephi also reads.

What this writer does with them:

- ``fullmatrix`` (the default: the layout of the vendor's first example) or ``edgelist1``
  (one line per arc, ``i j weight``: small files for large, sparse applicant networks), both
  with a ``labels:`` list, one label per line, in the order of the nodes (by key).
- Labels are written without quotes, as the vendor's page shows them: blanks inside a label
  become ``_`` (Inner_Mongolia), a comma ``;`` and a double quote ``'``, so that no reading of
  the list can split or join labels. Longer labels than 18 characters (applicant names) are
  written whole; an old UCINET may cut them.
- Whole-number weights are written as integers, others in full precision; lines end in CRLF
  (UCINET and NetDraw are Windows programs).
- **Encoding.** UCINET 6 and NetDraw are ANSI Windows programs: they read a text file in the
  system code page, not as UTF-8 (a UTF-8 Chinese label shows as mojibake). With Chinese labels
  the file is written in GB18030, which is GBK (code page 936, the ANSI code page of Chinese
  Windows) for every character GBK has and never fails on a rarer one: the labels read
  correctly in UCINET on a Chinese-locale Windows. On any other Windows locale Chinese labels
  cannot be read; English labels (``--labels en``) are written in plain ASCII (pinyin without
  tone marks: Lüliang as Luliang), which every UCINET reads.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Final, Literal

import numpy as np

from copatent import files
from copatent.exports import _values
from copatent.exports.network import PeriodNetwork

Layout = Literal["fullmatrix", "edgelist1"]
LAYOUTS: Final[tuple[Layout, ...]] = ("fullmatrix", "edgelist1")

CHINESE_ENCODING: Final = "gb18030"
"""The encoding of a DL file with Chinese labels (GBK for every character GBK has)."""


def write_dl(
    network: PeriodNetwork, path: Path, *, layout: Layout = "fullmatrix", ascii_labels: bool
) -> Path:
    """Write ``network`` to ``path`` in ``layout``; ``ascii_labels``: English, ASCII file."""
    text = dl_text(network, layout=layout, ascii_labels=ascii_labels)
    encoding = "ascii" if ascii_labels else CHINESE_ENCODING
    with files.staged(path.parent) as staging:
        staging.write_text(path.name, text, encoding=encoding)
    return path


def dl_text(network: PeriodNetwork, *, layout: Layout, ascii_labels: bool) -> str:
    r"""The DL file of ``network`` (CRLF line ends).

    >>> import pandas as pd
    >>> from copatent.analytics.periods import Period
    >>> nodes = pd.DataFrame({"node": ["a", "b"], "label": ["Inner Mongolia", "Xi'an"]})
    >>> arcs = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [3.0]})
    >>> n = PeriodNetwork("province", Period(2016, 2020), nodes, arcs)
    >>> print(dl_text(n, layout="edgelist1", ascii_labels=True).replace("\r", ""), end="")
    dl n=2
    format = edgelist1
    labels:
    Inner_Mongolia
    Xi'an
    data:
    1 2 3
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout {layout!r}: expected one of {', '.join(LAYOUTS)}")
    keys = network.nodes["node"].tolist()
    labels = [dl_label(str(x), ascii_only=ascii_labels) for x in network.nodes["label"]]
    position = {key: i for i, key in enumerate(keys)}
    sources = [position[k] for k in network.arcs["source"]]
    targets = [position[k] for k in network.arcs["target"]]
    weights = network.arcs["weight"].to_numpy(dtype=float)
    lines = [f"dl n={len(keys)}", f"format = {layout}", "labels:", *labels, "data:"]
    if layout == "fullmatrix":
        matrix = np.zeros((len(keys), len(keys)))
        np.add.at(matrix, (sources, targets), weights)
        lines += [" ".join(_values.number(v) for v in row) for row in matrix]
    else:
        lines += [
            f"{s + 1} {t + 1} {_values.number(w)}"
            for s, t, w in zip(sources, targets, weights, strict=True)
        ]
    return "\r\n".join(lines) + "\r\n"


def dl_label(label: str, *, ascii_only: bool) -> str:
    """``label`` as one DL label token: blanks ``_``, commas ``;``, quotes ``'``; ASCII on request.

    >>> dl_label("北京市", ascii_only=False), dl_label("Lüliang", ascii_only=True)
    ('北京市', 'Luliang')
    >>> dl_label('Inner Mongolia, "IM"', ascii_only=True)
    "Inner_Mongolia;_'IM'"
    """
    text = "_".join(label.split()).replace(",", ";").replace("，", "；").replace('"', "'")
    if ascii_only:
        folded = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in folded if c.isascii() and c.isprintable())
    return text
