"""SYNTHETIC regional statistics beside the sample export, for the geographical detector demo.

The study explained provincial and city centrality with eight regional indicators (its Table 5):
GDP per capita, industrial enterprises above designated size, local science-and-technology
expenditure, patents granted, public library books, retail sales of consumer goods, the tertiary
share of GDP and college graduates. :func:`statistics` invents values of the same eight for every
mainland province or prefecture-level city, **correlated with the activity the sample generator
gives each city** (:func:`copatent.sample.generator.city_weights`: its calibrated 2016-2020
degree plus a floor; a province sums its cities), so that the detector finds structure in the
demo. With ``a`` the activity over its median, square-rooted (the hubs weigh hundreds of times the
tail), each indicator is ``base · a^b · lognormal noise`` with its own elasticity ``b`` and noise
(:data:`INDICATORS`). The ratio of elasticity to noise orders the factors as the study's Table 5
does: public library books and patents granted strongest, the tertiary share and college
graduates weakest (over 30 seeds the mean q at province scale is 0.71 and 0.71 for the first two,
0.15 and 0.19 for the last two; the default seed 0 keeps that order at both scales). Nothing here
is real data; every row says so in its ``source`` column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from copatent import files, regions
from copatent.sample import generator

INDICATORS: Final[dict[str, tuple[float, float, float]]] = {
    # name: (value at median activity, elasticity b, sd of the log-normal noise)
    "gdp_per_capita": (45_000.0, 0.3, 0.15),
    "industrial_enterprises": (900.0, 0.6, 0.6),
    "st_expenditure": (15.0, 0.9, 0.5),
    "patents_granted": (3_000.0, 1.0, 0.25),
    "library_books": (400.0, 1.0, 0.2),
    "retail_sales": (900.0, 0.6, 0.3),
    "tertiary_share": (48.0, 0.05, 0.2),
    "college_graduates": (20_000.0, 0.4, 1.0),
}
"""The eight indicators (units: yuan, enterprises, 100 million yuan, patents, 10,000 volumes,
100 million yuan, percent of GDP, graduates)."""

SCALES: Final = ("province", "city")


def _activity() -> pd.Series:
    """Activity of every mainland prefecture-level city, by adcode, median 1."""
    weights = generator.city_weights()
    cities = regions.cities().set_index("name")
    activity = pd.Series(
        weights.to_numpy(), index=cities.loc[weights.index, "adcode"].to_numpy(), dtype=float
    )
    return activity / float(activity.median())


def statistics(scale: str, *, seed: int = 0) -> pd.DataFrame:
    """The synthetic statistics of every mainland province or city, in adcode order.

    Columns: ``region`` (the full name), the :data:`INDICATORS`, ``source``. Same ``seed``, same
    table.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")
    activity = _activity()
    if scale == "province":
        activity = activity.groupby(activity.index.str[:2] + "0000").sum()
        names = regions.provinces().set_index("adcode")["name"]
    else:
        names = regions.cities().set_index("adcode")["name"]
    activity = activity.sort_index()
    activity = (activity / float(activity.median())) ** 0.5  # the hubs' weights are in the 100s
    rng = np.random.default_rng([seed, SCALES.index(scale)])
    frame = pd.DataFrame({"region": names.loc[activity.index].to_numpy()})
    for name, (base, elasticity, noise) in INDICATORS.items():
        values = (
            base * activity.to_numpy() ** elasticity * np.exp(rng.normal(0, noise, len(activity)))
        )
        frame[name] = np.round(values, 2) if name == "tertiary_share" else np.round(values, 0)
    frame["source"] = f"SYNTHETIC: copatent sample statistics, seed {seed}; not real data"
    return frame


def paths_beside(out: Path) -> dict[str, Path]:
    """``sample.xlsx`` → ``sample-statistics-province.csv`` and ``-city.csv`` beside it."""
    return {scale: out.with_name(f"{out.stem}-statistics-{scale}.csv") for scale in SCALES}


def write_beside(
    out: Path, *, seed: int = 0, staging: files.Staging | None = None
) -> dict[str, Path]:
    """Write both tables beside the export ``out`` (UTF-8 with BOM, for spreadsheets).

    Into ``staging`` (the set of files of ``out``'s folder, :func:`copatent.files.staged`) when
    given, else as a set of their own: both files, or neither.
    """
    written = paths_beside(out)
    if staging is None:
        with files.staged(out.parent) as own:
            write_beside(out, seed=seed, staging=own)
        return written
    for scale, path in written.items():
        staging.write_csv(path.name, statistics(scale, seed=seed))
    return written
