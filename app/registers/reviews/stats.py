"""The panel's figures, pure (no database, no Flask): per dimension the mean, median, spread
(min–max) and the population standard deviation (the panel is the whole population scored, not
a sample of one), and the scores far from the others.

The outlier rule: a panelist's score on a dimension is flagged when it is more than
``OUTLIER_POINTS`` (20) points from the median of the OTHER panelists' scores on it. With three
to five scores an interquartile range is too unstable to mean anything (one score moves a
quartile by half the panel); a distance from the others' median is not pulled by the score
under test, and 20 points on the 0–100 scale is two grades of a signed form (优/良/中/差).
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
    ``points`` from the median of the others' (at least two others are needed)."""
    flagged = set()
    for key, score in scores.items():
        others = [s for k, s in scores.items() if k != key]
        if len(others) >= 2 and abs(score - statistics.median(others)) > points:
            flagged.add(key)
    return flagged


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
