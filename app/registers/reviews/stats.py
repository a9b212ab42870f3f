"""The panel's figures, pure (no database, no Flask): per dimension the mean, median, spread
(min–max) and the population standard deviation (the panel is the whole population scored, not
a sample of one), and the scores far from the others.

The outlier rule: a panelist's score on a dimension is flagged when it is more than
``OUTLIER_POINTS`` (20) points from the panel's median on it (at least three scores). With three
to five scores an interquartile range is too unstable to mean anything (one score moves a
quartile by half the panel), and the median of the *others* is, on a panel of three, the mean
of two — pulled by the very outlier, so that a sound score beside it is flagged too. The whole
panel's median is moved by one far score least; 20 points on the 0–100 scale is two grades of a
signed form (优/良/中/差).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

OUTLIER_POINTS = 20


@dataclass(frozen=True)
class Figures:
    n: int
    mean: float | None
    median: float | None
    low: int | None
    high: int | None
    stdev: float | None


def figures(scores: list[int]) -> Figures:
    """The figures of one dimension's scores (those given; an empty list gives Nones)."""
    if not scores:
        return Figures(0, None, None, None, None, None)
    return Figures(len(scores), statistics.fmean(scores), float(statistics.median(scores)),
                   min(scores), max(scores), statistics.pstdev(scores))


def far_from_others(scores: dict, points: int = OUTLIER_POINTS) -> set:
    """The keys (panelists) of ``scores`` ({panelist: score}) whose score is more than
    ``points`` from the panel's median (three scores at least: two have no middle)."""
    if len(scores) < 3:
        return set()
    middle = statistics.median(scores.values())
    return {key for key, score in scores.items() if abs(score - middle) > points}


def panel_figures(reviews: dict, dimensions) -> dict:
    """``reviews``: {panelist: {dimension: score or None}} of the submitted reviews. Returns
    {dimension: (Figures, flagged panelists)}; the overall mean of each panelist under
    ``"total"`` is the mean of their dimension scores."""
    result = {}
    for dimension in dimensions:
        given = {k: r[dimension] for k, r in reviews.items() if r.get(dimension) is not None}
        result[dimension] = (figures(list(given.values())), far_from_others(given))
    return result


def panelist_mean(scores: dict) -> float | None:
    given = [s for s in scores.values() if s is not None]
    return statistics.fmean(given) if given else None
