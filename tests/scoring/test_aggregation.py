"""The aggregation's pure functions against values computed by hand (no database)."""

from decimal import Decimal as D

from keyprojects.scoring.aggregation import (
    Candidate,
    ScoreItem,
    aggregate,
    cents,
    expert_deviations,
    mean,
    normalise,
    pstdev,
    score_outliers,
    trimmed_mean,
)


def totals(*values):
    return [D(str(v)) for v in values]


def scores(application, **by_expert):
    return [ScoreItem(application, expert, D(str(total))) for expert, total in by_expert.items()]


def candidates(*names, category="治理", assigned=5):
    return [Candidate(name, category, name, assigned) for name in names]


# --- Trimmed mean -----------------------------------------------------------------------


def test_five_scores_drop_the_highest_and_the_lowest():
    # 70 and 95 go; (80 + 85 + 90) / 3 = 85
    assert trimmed_mean(totals(70, 95, 80, 90, 85)) == D(85)


def test_five_scores_drop_only_one_of_equal_extremes():
    # one 70 and one 90 go: (80 + 80 + 90) / 3 = 83.333… → 83.33
    assert cents(trimmed_mean(totals(80, 90, 80, 90, 70))) == D("83.33")


def test_four_scores_are_a_plain_mean():
    # (70 + 80 + 85 + 90) / 4 = 81.25: nothing dropped below five scores
    assert trimmed_mean(totals(70, 80, 85, 90)) == D("81.25")


def test_no_scores_no_mean():
    assert trimmed_mean([]) is None


def test_aggregate_uses_the_trimmed_mean_and_reports_the_spread():
    results, _experts = aggregate(candidates("甲"), scores("甲", a=70, b=95, c=80, d=90, e=85))
    (row,) = results
    assert row.score == D("85.00")
    assert (row.minimum, row.maximum) == (D("70.00"), D("95.00"))
    # mean 84; deviations −14, 11, −4, 6, 1; squares 196+121+16+36+1 = 370; √(370/5) = 8.602…
    assert row.sd == D("8.60")
    assert row.median == D("85.00")
    assert (row.scores_count, row.assigned_count, row.rank) == (5, 5, 1)


# --- Normalisation for severity ---------------------------------------------------------


def test_z_scores_per_expert_mapped_onto_the_rounds_scale():
    # Expert A: 60, 80 (mean 70, SD 10); B: 70, 90 (mean 80, SD 10): z = −1 and +1 for both.
    # All totals 60, 80, 70, 90: mean 75, SD √((225+25+25+225)/4) = √125 = 11.1803…
    # P → 75 − 11.18 = 63.82; Q → 75 + 11.18 = 86.18, whoever scored.
    items = scores("P", A=60, B=70) + scores("Q", A=80, B=90)
    mapped = {(s.application, s.expert): cents(s.total) for s in normalise(items, D(0), D(100))}
    assert mapped == {
        ("P", "A"): D("63.82"),
        ("P", "B"): D("63.82"),
        ("Q", "A"): D("86.18"),
        ("Q", "B"): D("86.18"),
    }


def test_normalisation_removes_a_lenient_experts_advantage():
    # Severe A gives P 60 and R 70; lenient B gives Q 85 and R 95. Raw, Q is 25 points
    # ahead of P. Each expert's z: lower −1, higher +1. All totals 60, 70, 85, 95:
    # mean 77.5, SD √((306.25+56.25+56.25+306.25)/4) = √181.25 = 13.4629…
    # P = Q = 77.5 − 13.46 = 64.04 (a tie), R = 77.5 + 13.46 = 90.96.
    items = scores("P", A=60) + scores("Q", B=85) + scores("R", A=70, B=95)
    raw, _ = aggregate(candidates("P", "Q", "R"), items)
    assert [(r.application, r.score) for r in raw] == [
        ("Q", D("85.00")),
        ("R", D("82.50")),
        ("P", D("60.00")),
    ]
    fair, _ = aggregate(candidates("P", "Q", "R"), items, normalised=True)
    assert {r.application: r.score for r in fair} == {
        "R": D("90.96"),
        "P": D("64.04"),
        "Q": D("64.04"),
    }
    assert [r.rank for r in fair] == [1, 2, 2]
    # Spread and outliers stay on the totals the experts gave.
    assert {r.application: r.maximum for r in fair}["Q"] == D("85.00")


def test_an_expert_with_one_score_is_left_as_given_and_a_flat_one_maps_to_the_mean():
    # C scored once: unchanged. D gave 70 twice (SD 0): z = 0, i.e. the round's mean.
    # All totals 60, 80, 50, 70, 70: mean 66.
    items = scores("P", A=60, C=50, D=70) + scores("Q", A=80, D=70)
    mapped = {(s.application, s.expert): cents(s.total) for s in normalise(items, D(0), D(100))}
    assert mapped[("P", "C")] == D("50.00")
    assert mapped[("P", "D")] == mapped[("Q", "D")] == D("66.00")


def test_normalised_totals_stay_on_the_scale():
    # A: 0 and 100 (z = ±1); B: 100, 100, 98 … the round's SD is large, so A's 100 would
    # map above 100 without the clamp. Totals: 0, 100, 100, 100, 98: mean 79.6,
    # SD √((6336.16 + 416.16·3 + 338.56)/5) = √(7923.2/5) = 39.81; 79.6 + 39.81 > 100.
    items = scores("P", A=0, B=100) + scores("Q", A=100, B=100) + scores("R", B=98)
    mapped = {(s.application, s.expert): s.total for s in normalise(items, D(0), D(100))}
    assert mapped[("Q", "A")] == D(100)
    assert all(D(0) <= total <= D(100) for total in mapped.values())


# --- Ties -------------------------------------------------------------------------------


def test_equal_scores_share_a_rank_and_the_median_orders_them():
    # 丙: 70, 95, 90 → mean 85, median 90. 丁: 85, 85 → mean 85, median 85. 戊: 80.
    items = scores("丙", a=70, b=95, c=90) + scores("丁", a=85, b=85) + scores("戊", a=80)
    results, _ = aggregate(candidates("戊", "丁", "丙"), items)
    assert [(r.application, r.score, r.rank) for r in results] == [
        ("丙", D("85.00"), 1),
        ("丁", D("85.00"), 1),
        ("戊", D("80.00"), 3),
    ]
    first, second, third = results
    assert "并列第 1 名" in first.tie_note and "《丁》" in first.tie_note
    assert "中位数（高者在前）" in first.tie_note and "有效评分份数" not in first.tie_note
    assert "中位数 90.00" in first.tie_note and "中位数 85.00" in second.tie_note
    assert third.tie_note == ""


def test_same_score_and_median_the_number_of_scores_orders_them():
    # 甲: 80, 90, 85, 85 → mean 85, median 85 (4 scores); 乙: 84, 86 → 85, 85 (2 scores).
    items = scores("乙", a=84, b=86) + scores("甲", a=80, b=90, c=85, d=85)
    results, _ = aggregate(candidates("乙", "甲"), items)
    assert [(r.application, r.rank) for r in results] == [("甲", 1), ("乙", 1)]
    assert "有效评分份数（多者在前）" in results[0].tie_note
    assert "项目名称" not in results[0].tie_note


def test_scores_equal_at_two_decimals_tie():
    # (85 + 85 + 85.01) / 3 = 85.00333… shows as 85.00, the same as 85: a tie, not a win.
    items = scores("A", a=85, b=85, c="85.01") + scores("B", a=85)
    results, _ = aggregate(candidates("A", "B"), items)
    assert [r.rank for r in results] == [1, 1]


def test_unscored_applications_come_last_without_rank_per_category():
    items = scores("x1", a=70) + scores("y1", a=60)
    results, _ = aggregate(
        [
            Candidate("x2", "数字基建", "x2", 3),
            Candidate("x1", "数字基建", "x1", 3),
            Candidate("y1", "网络安全", "y1", 3),
        ],
        items,
    )
    assert [(r.category, r.application, r.rank, r.score) for r in results] == [
        ("数字基建", "x1", 1, D("70.00")),
        ("数字基建", "x2", None, None),
        ("网络安全", "y1", 1, D("60.00")),
    ]


# --- Outliers ---------------------------------------------------------------------------


def test_a_score_far_from_the_other_experts_is_an_outlier():
    # For 40: the others 80, 82, 81, 79 have mean 80.5 and sample SD √(5/3) = 1.29 (floored
    # to 2 points, 2 % of 100): |40 − 80.5| = 40.5 > 2 × 2. For 80: the others 82, 81, 79,
    # 40 have mean 70.5 and sample SD 20.4: within 2 SD. Only e's 40 is an outlier.
    items = scores("P", a=80, b=82, c=81, d=79, e=40)
    found = score_outliers(items, D(0), D(100))
    assert [(item.expert, cents(centre)) for item, centre, _sd in found] == [("e", D("80.50"))]
    results, _ = aggregate(candidates("P"), items, label=lambda e: f"专家{e}")
    assert any(
        "专家e 的评分 40.00" in note and "80.50" in note for note in results[0].outlier_notes
    )


def test_measured_with_itself_the_outlier_would_hide():
    # Why leave-one-out: with itself in the mean (72.4) and SD (16.23), 40 is only
    # 1.996 SD away: with five experts no single score can exceed 2 SD (max is √4 = 2).
    values = totals(80, 82, 81, 79, 40)
    assert abs(D(40) - mean(values)) < 2 * pstdev(values)


def test_outliers_need_three_other_scores():
    # 4 scores: 40 against 80, 82, 81 (mean 81, sample SD 1 → floor 2): flagged.
    assert len(score_outliers(scores("P", a=80, b=82, c=81, d=40), D(0), D(100))) == 1
    # 3 scores: only two others, no judgement.
    assert score_outliers(scores("P", a=80, b=82, d=40), D(0), D(100)) == []


def test_evenly_spread_scores_have_no_outlier():
    # 60 against 70, 80, 90, 100: mean 85, sample SD √(500/3) = 12.91; 25 < 2 × 12.91.
    assert score_outliers(scores("P", a=60, b=70, c=80, d=90, e=100), D(0), D(100)) == []


def test_close_scores_are_never_outliers_when_the_others_agree_exactly():
    # Others 80, 80, 80 (SD 0, floored to 2): 83 is 3 < 4 away, not an outlier; 85 is.
    assert score_outliers(scores("P", a=80, b=80, c=80, d=83), D(0), D(100)) == []
    assert len(score_outliers(scores("P", a=80, b=80, c=80, d=85), D(0), D(100))) == 1


def test_an_expert_who_is_consistently_severe_is_reported():
    # A, B, C give 80 to P and 70 to Q; D gives 65 and 55. D against the others' mean:
    # 65 − 80 = −15 and 55 − 70 = −15 → −15.00 (strong: ≥ 10 on two applications).
    # A against the others: P 80 − (80+80+65)/3 = 5, Q 70 − 65 = 5 → +5.00 (not strong).
    items = scores("P", A=80, B=80, C=80, D=65) + scores("Q", A=70, B=70, C=70, D=55)
    deviations = {d.expert: d for d in expert_deviations(items, D(0), D(100))}
    assert (deviations["D"].mean_deviation, deviations["D"].strong) == (D("-15.00"), True)
    assert (deviations["A"].mean_deviation, deviations["A"].strong) == (D("5.00"), False)
    assert deviations["D"].compared == 2
    results, _ = aggregate(candidates("P", "Q"), items, label=lambda e: f"专家{e}")
    for row in results:
        assert any("专家D 整体偏低" in note and "15.00" in note for note in row.outlier_notes)


def test_one_application_is_not_enough_to_call_an_expert_severe():
    items = scores("P", A=80, B=80, C=80, D=60)
    (d,) = [d for d in expert_deviations(items, D(0), D(100)) if d.expert == "D"]
    assert d.mean_deviation == D("-20.00") and not d.strong
