//! A/B tests: deterministic assignment of matches (and users) to two versions, and a paired
//! comparison of their per-match RPS with the Diebold-Mariano test.

use std::collections::HashMap;

use pundit_model::stats::diebold_mariano;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{
    evaluate::evaluate,
    serving,
    types::{AbResults, ArmScore, PairedMatch},
};
use crate::{db::entities::ab_test, error::ApiResult, state::AppState};

pub const RUNNING: &str = "running";
pub const STOPPED: &str = "stopped";

/// How the verdict is reached, for readers of the results.
pub const METHOD: &str = "Diebold-Mariano on per-match RPS differences (A − B), plain sample variance \
    (one-step-ahead forecasts, no autocorrelation correction), two-sided normal p-value";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arm {
    A,
    B,
}

impl Arm {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A => "a",
            Self::B => "b",
        }
    }

    pub fn version_of(self, test: &ab_test::Model) -> i32 {
        match self {
            Self::A => test.version_a,
            Self::B => test.version_b,
        }
    }
}

/// A stable number in [0, 1) for a test and a key.
fn unit(test_id: Uuid, key: &str) -> f64 {
    let digest = Sha256::digest(format!("{test_id}:{key}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    // 53 bits: exactly representable.
    (u64::from_be_bytes(first) >> 11) as f64 / (1u64 << 53) as f64
}

fn arm(test: &ab_test::Model, key: &str) -> Arm {
    if unit(test.id, key) < test.split {
        Arm::B
    } else {
        Arm::A
    }
}

/// The arm serving a match: the same on every call and every instance.
pub fn assign_match(test: &ab_test::Model, match_id: i32) -> Arm {
    arm(test, &format!("match:{match_id}"))
}

/// The arm a user sees on picks-facing surfaces.
pub fn assign_user(test: &ab_test::Model, user_id: Uuid) -> Arm {
    arm(test, &format!("user:{user_id}"))
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Both versions on every finished match after both training spans; `alpha` is the significance
/// level of the verdict and `min_matches` the fewest paired matches that get one.
pub async fn results(
    state: &AppState,
    test: &ab_test::Model,
    alpha: f64,
    min_matches: usize,
) -> ApiResult<AbResults> {
    let a = evaluate(state, &serving::version(&state.db, test.version_a).await?).await?;
    let b: HashMap<i32, f64> = evaluate(state, &serving::version(&state.db, test.version_b).await?)
        .await?
        .into_iter()
        .map(|e| (e.match_id, e.rps))
        .collect();
    let per_match: Vec<PairedMatch> = a
        .iter()
        .filter_map(|e| {
            Some(PairedMatch {
                match_id: e.match_id,
                date: e.date,
                arm: assign_match(test, e.match_id).as_str().to_string(),
                rps_a: e.rps,
                rps_b: *b.get(&e.match_id)?,
            })
        })
        .collect();
    Ok(compare(per_match, alpha, min_matches))
}

/// The paired comparison of per-match scores.
pub fn compare(per_match: Vec<PairedMatch>, alpha: f64, min_matches: usize) -> AbResults {
    let n = per_match.len();
    let served = |arm: &str, pick: fn(&PairedMatch) -> f64| {
        let rows: Vec<f64> = per_match.iter().filter(|p| p.arm == arm).map(pick).collect();
        ArmScore {
            matches: rows.len(),
            rps: mean(rows.into_iter()),
        }
    };
    let differences: Vec<f64> = per_match.iter().map(|p| p.rps_a - p.rps_b).collect();
    let dm = diebold_mariano(&differences, 0);
    let (verdict, reason) = if n < min_matches {
        (
            None,
            Some(format!(
                "a verdict needs at least {min_matches} paired matches; {n} so far"
            )),
        )
    } else {
        match dm {
            None => (
                None,
                Some("the two versions forecast every match alike".to_string()),
            ),
            Some(dm) if dm.p_value < alpha => (
                Some(
                    if dm.mean_difference > 0.0 {
                        "b_better"
                    } else {
                        "a_better"
                    }
                    .to_string(),
                ),
                None,
            ),
            Some(_) => (Some("no_significant_difference".to_string()), None),
        }
    };
    AbResults {
        matches: n,
        mean_rps_a: mean(per_match.iter().map(|p| p.rps_a)),
        mean_rps_b: mean(per_match.iter().map(|p| p.rps_b)),
        mean_difference: mean(differences.iter().copied()),
        dm_statistic: dm.map(|d| d.statistic),
        p_value: dm.map(|d| d.p_value),
        alpha,
        verdict,
        reason,
        method: METHOD.to_string(),
        served_a: served("a", |p| p.rps_a),
        served_b: served("b", |p| p.rps_b),
        per_match,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::{NaiveDate, Utc};

    use super::*;

    fn test_with(split: f64) -> ab_test::Model {
        ab_test::Model {
            id: Uuid::from_u128(42),
            name: "t".into(),
            competition_id: 1,
            version_a: 1,
            version_b: 2,
            split,
            status: RUNNING.into(),
            created_by: None,
            created_at: Utc::now(),
            stopped_at: None,
        }
    }

    #[test]
    fn assignment_is_stable_and_follows_the_split() {
        let test = test_with(0.3);
        let b = (0..10_000).filter(|&m| assign_match(&test, m) == Arm::B).count();
        assert!((2_800..3_200).contains(&b), "{b}");
        for m in 0..100 {
            assert_eq!(assign_match(&test, m), assign_match(&test, m));
        }
        assert!((0..100).all(|m| assign_match(&test_with(0.0), m) == Arm::A));
        assert!((0..100).all(|m| assign_match(&test_with(1.0), m) == Arm::B));
        let user = Uuid::from_u128(7);
        assert_eq!(assign_user(&test, user), assign_user(&test, user));
    }

    #[test]
    fn verdicts_need_matches_and_significance() {
        let date = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let rows = |n: i32, gap: f64| {
            (0..n)
                .map(|i| PairedMatch {
                    match_id: i,
                    date,
                    arm: if i % 2 == 0 { "a" } else { "b" }.into(),
                    rps_a: 0.2 + gap + if i % 3 == 0 { 0.05 } else { -0.02 },
                    rps_b: 0.2,
                })
                .collect::<Vec<_>>()
        };
        let few = compare(rows(10, 0.05), 0.05, 30);
        assert!(few.verdict.is_none() && few.reason.is_some());
        let clear = compare(rows(100, 0.05), 0.05, 30);
        assert_eq!(clear.verdict.as_deref(), Some("b_better"));
        assert!(clear.p_value.unwrap() < 0.05);
        assert_eq!(clear.served_a.matches + clear.served_b.matches, 100);
        let flat = compare(rows(100, -0.003), 0.05, 30);
        assert_eq!(
            flat.verdict.as_deref(),
            Some("no_significant_difference"),
            "{:?}",
            flat.p_value
        );
    }
}
