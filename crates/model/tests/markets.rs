#![allow(clippy::unwrap_used, clippy::expect_used)]

use pundit_model::markets::ScoreMatrix;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn asian_handicap_lines_settle_like_split_bets() {
    let m = ScoreMatrix::from_rates(1.6, 1.1, -0.05).unwrap();
    let o = m.outcome3().unwrap();
    let d = m.goal_difference_distribution();
    let p = |diff: i64| d[(diff + 10) as usize];
    // Level ball: home win wins, draw pushes.
    let level = m.asian_handicap(0.0).unwrap();
    assert!(close(level.win, o.home) && close(level.push, o.draw) && close(level.lose, o.away));
    // -0.5 is the plain home win.
    assert!(close(m.asian_handicap(-0.5).unwrap().win, o.home));
    // -0.25: half on 0, half on -0.5 → a draw loses half.
    let q = m.asian_handicap(-0.25).unwrap();
    assert!(close(q.win, o.home) && close(q.half_lose, o.draw) && close(q.lose, o.away));
    // -0.75: half on -0.5, half on -1 → winning by one wins half.
    let q = m.asian_handicap(-0.75).unwrap();
    assert!(close(q.half_win, p(1)) && close(q.win, o.home - p(1)));
    // Fair odds of level ball: 1 + P(away)/P(home).
    assert!(close(level.fair_odds().unwrap(), 1.0 + o.away / o.home));
    assert!(m.asian_handicap(0.1).is_err());
}

#[test]
fn totals_and_both_teams_to_score_match_independent_poisson() {
    let (lh, la) = (1.4_f64, 1.2_f64);
    let m = ScoreMatrix::from_rates(lh, la, 0.0).unwrap();
    let (over, _) = m.over_under(0.5).unwrap();
    // The grid drops P(> 10 goals) ≈ 3e-7 and renormalises, hence the tolerance.
    assert!((over - (1.0 - (-(lh + la)).exp())).abs() < 1e-6);
    let btts = (1.0 - (-lh).exp()) * (1.0 - (-la).exp());
    assert!((m.both_teams_to_score() - btts).abs() < 1e-6);
    let (eh, ea) = m.expected_goals();
    assert!((eh - lh).abs() < 1e-5 && (ea - la).abs() < 1e-5);
    assert_eq!(m.most_likely_scores(1)[0].0, 1);
}

#[test]
fn extreme_rates_error_instead_of_nan() {
    assert!(ScoreMatrix::from_rates(f64::NAN, 1.0, 0.0).is_err());
    assert!(ScoreMatrix::from_rates(-1.0, 1.0, 0.0).is_err());
    // Huge rates put all mass beyond the grid: an error, never NaN.
    assert!(ScoreMatrix::from_rates(1e6, 1.0, 0.0).is_err());
}
