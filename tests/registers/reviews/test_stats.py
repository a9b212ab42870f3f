"""The panel's figures against hand-computed values (pure: no database)."""
import pytest

from app.registers.reviews.stats import far_from_others, figures, panel_figures, panelist_mean


def test_figures_of_a_dimension_are_the_hand_computed_ones():
    # 70, 80, 90, 60: mean 75, median (70+80)/2 = 75, range 60–90,
    # population variance ((5²+5²+15²+15²)/4) = 125, so σ = √125 ≈ 11.1803
    f = figures([70, 80, 90, 60])
    assert (f.n, f.mean, f.median, f.low, f.high) == (4, 75.0, 75.0, 60, 90)
    assert f.stdev == pytest.approx(11.1803, abs=1e-4)


def test_no_scores_give_no_figures():
    assert figures([]).mean is None and figures([]).n == 0


@pytest.mark.parametrize(("scores", "flagged"), [
    ({"a": 80, "b": 82, "c": 78, "d": 40}, {"d"}),  # median 79: 40 is 39 away
    ({"a": 90, "b": 85, "c": 40}, {"c"}),           # median 85: only 40 (90 is 5 away)
    ({"a": 80, "b": 81, "c": 59}, {"c"}),           # median 80: 59 is 21 away
    ({"a": 80, "b": 82, "c": 60}, set()),           # median 80: 60 is exactly 20 — not more
    ({"a": 10, "b": 50, "c": 90}, {"a", "c"}),      # a split panel: both ends 40 away
    ({"a": 10, "b": 90}, set()),                    # two scores have no middle
])
def test_a_score_more_than_twenty_points_from_the_panels_median_is_flagged(scores, flagged):
    assert far_from_others(scores) == flagged


def test_the_panel_figures_skip_missing_scores_and_flag_per_dimension():
    result = panel_figures({1: {"safety": 90, "social": 70}, 2: {"safety": 85, "social": None},
                            3: {"safety": 40, "social": 72}}, ["safety", "social"])
    assert result["safety"][0].mean == pytest.approx(71.6667, abs=1e-4)
    assert result["safety"][1] == {3}
    assert result["social"][0].n == 2 and result["social"][1] == set()
    assert panelist_mean({"a": 70, "b": 80, "c": None}) == 75
