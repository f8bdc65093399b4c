//! What a pick predicts (parsed and checked once) and how it is scored against a final score.
//! Pure functions: no I/O.

use pundit_model::{MatchOutcome, Outcome3, metrics::ranked_probability_score};
use serde_json::{Map, Value, json};

use super::types::{Outcome, PickFields, PickKind, Side};
use crate::{config::PickPoints, db::entities::pick, error::ApiError};

/// Most goals an exact-score pick may name.
pub const MAX_GOALS: i16 = 20;
/// Highest over/under line.
pub const MAX_LINE: f64 = 9.5;
/// How far probabilities may sum from 1 (they are normalised for scoring).
pub const SUM_TOLERANCE: f64 = 0.01;

/// A checked prediction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Selection {
    Result(Outcome),
    ExactScore { home: i16, away: i16 },
    OverUnder { line: f64, side: Side },
    Probabilities { home: f64, draw: f64, away: f64 },
}

/// How a scored pick fared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grade {
    pub points: i32,
    /// Null for probability picks, which are judged by `rps`.
    pub correct: Option<bool>,
    pub rps: Option<f64>,
}

/// Collects field errors into the project's 422 shape.
#[derive(Default)]
struct FieldErrors(Map<String, Value>);

impl FieldErrors {
    fn add(&mut self, field: &str, code: &str, message: &str) {
        self.0
            .insert(field.into(), json!([{ "code": code, "message": message }]));
    }

    fn required<T: Copy>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.add(
                field,
                "required",
                &format!("{field} is required for this pick type"),
            );
        }
        value
    }
}

impl Selection {
    pub fn kind(&self) -> PickKind {
        match self {
            Self::Result(_) => PickKind::Result,
            Self::ExactScore { .. } => PickKind::ExactScore,
            Self::OverUnder { .. } => PickKind::OverUnder,
            Self::Probabilities { .. } => PickKind::Probabilities,
        }
    }

    /// Checks the fields of a `kind` pick; every problem is reported at once as a 422.
    pub fn parse(kind: PickKind, f: &PickFields) -> Result<Self, ApiError> {
        let mut errors = FieldErrors::default();
        let present = [
            ("outcome", f.outcome.is_some(), PickKind::Result),
            ("home_goals", f.home_goals.is_some(), PickKind::ExactScore),
            ("away_goals", f.away_goals.is_some(), PickKind::ExactScore),
            ("line", f.line.is_some(), PickKind::OverUnder),
            ("side", f.side.is_some(), PickKind::OverUnder),
            ("home", f.home.is_some(), PickKind::Probabilities),
            ("draw", f.draw.is_some(), PickKind::Probabilities),
            ("away", f.away.is_some(), PickKind::Probabilities),
        ];
        for (field, is_set, owner) in present {
            if is_set && owner != kind {
                errors.add(
                    field,
                    "not_allowed",
                    &format!("{field} is not a field of a {} pick", kind.as_str()),
                );
            }
        }
        let selection = match kind {
            PickKind::Result => errors.required("outcome", f.outcome).map(Self::Result),
            PickKind::ExactScore => {
                let home = errors.required("home_goals", f.home_goals);
                let away = errors.required("away_goals", f.away_goals);
                for (field, goals) in [("home_goals", home), ("away_goals", away)] {
                    if goals.is_some_and(|g| !(0..=MAX_GOALS).contains(&g)) {
                        errors.add(
                            field,
                            "range",
                            &format!("goals must be between 0 and {MAX_GOALS}"),
                        );
                    }
                }
                home.zip(away).map(|(home, away)| Self::ExactScore { home, away })
            }
            PickKind::OverUnder => {
                let line = errors.required("line", f.line);
                let side = errors.required("side", f.side);
                // Half-goal lines only: a whole line could land exactly on the total (a push).
                if line.is_some_and(|l| !is_half_line(l)) {
                    errors.add(
                        "line",
                        "invalid_line",
                        &format!(
                            "line must be a half-goal line between 0.5 and {MAX_LINE} (0.5, 1.5, 2.5, ...)"
                        ),
                    );
                }
                line.zip(side).map(|(line, side)| Self::OverUnder { line, side })
            }
            PickKind::Probabilities => {
                let home = errors.required("home", f.home);
                let draw = errors.required("draw", f.draw);
                let away = errors.required("away", f.away);
                for (field, p) in [("home", home), ("draw", draw), ("away", away)] {
                    if p.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
                        errors.add(field, "range", "a probability is between 0 and 1");
                    }
                }
                match (home, draw, away) {
                    (Some(home), Some(draw), Some(away)) => {
                        let sum = home + draw + away;
                        if (sum - 1.0).abs() > SUM_TOLERANCE {
                            errors.add(
                                "probabilities",
                                "sum",
                                &format!("home, draw and away must sum to 1 (± {SUM_TOLERANCE}), not {sum}"),
                            );
                        }
                        Some(Self::Probabilities { home, draw, away })
                    }
                    _ => None,
                }
            }
        };
        match selection {
            Some(s) if errors.0.is_empty() => Ok(s),
            _ => Err(ApiError::Validation(json!({ "fields": Value::Object(errors.0) }))),
        }
    }

    /// The fields of this selection, e.g. to merge a partial update into.
    pub fn fields(&self) -> PickFields {
        let mut f = PickFields::default();
        match *self {
            Self::Result(o) => f.outcome = Some(o),
            Self::ExactScore { home, away } => {
                f.home_goals = Some(home);
                f.away_goals = Some(away);
            }
            Self::OverUnder { line, side } => {
                f.line = Some(line);
                f.side = Some(side);
            }
            Self::Probabilities { home, draw, away } => {
                f.home = Some(home);
                f.draw = Some(draw);
                f.away = Some(away);
            }
        }
        f
    }

    /// Reads a stored pick back; `None` if the row is inconsistent (never written by this code).
    pub fn of(p: &pick::Model) -> Option<Self> {
        Some(match PickKind::from_db(&p.kind)? {
            PickKind::Result => Self::Result(Outcome::from_db(p.outcome.as_deref()?)?),
            PickKind::ExactScore => Self::ExactScore {
                home: p.home_goals?,
                away: p.away_goals?,
            },
            PickKind::OverUnder => Self::OverUnder {
                line: p.line?,
                side: Side::from_db(p.side.as_deref()?)?,
            },
            PickKind::Probabilities => Self::Probabilities {
                home: p.home_probability?,
                draw: p.draw_probability?,
                away: p.away_probability?,
            },
        })
    }

    /// Scores this pick against the final score.
    pub fn grade(&self, home_goals: i16, away_goals: i16, points: &PickPoints) -> Grade {
        let actual = outcome_of(home_goals, away_goals);
        let hit = |right: bool, worth: u32| Grade {
            points: if right {
                i32::try_from(worth).unwrap_or(i32::MAX)
            } else {
                0
            },
            correct: Some(right),
            rps: None,
        };
        match *self {
            Self::Result(o) => hit(o == actual, points.result),
            // Exact is worth `exact_score` in total; a wrong score earns nothing even if its
            // winner was right (a separate result pick earns that point).
            Self::ExactScore { home, away } => {
                hit(home == home_goals && away == away_goals, points.exact_score)
            }
            Self::OverUnder { line, side } => {
                let over = f64::from(home_goals + away_goals) > line;
                hit(over == (side == Side::Over), points.over_under)
            }
            Self::Probabilities { home, draw, away } => Grade {
                points: 0,
                correct: None,
                rps: outcome3(home, draw, away).map(|p| ranked_probability_score(&p, model_outcome(actual))),
            },
        }
    }
}

fn is_half_line(line: f64) -> bool {
    let doubled = line * 2.0;
    line.is_finite() && (0.5..=MAX_LINE).contains(&line) && doubled.fract() == 0.0 && doubled % 2.0 == 1.0
}

/// Normalised probabilities (submitted ones may be off by up to [`SUM_TOLERANCE`]).
pub fn outcome3(home: f64, draw: f64, away: f64) -> Option<Outcome3> {
    Outcome3::normalized(home, draw, away).ok()
}

pub fn outcome_of(home_goals: i16, away_goals: i16) -> Outcome {
    match home_goals.cmp(&away_goals) {
        std::cmp::Ordering::Greater => Outcome::Home,
        std::cmp::Ordering::Equal => Outcome::Draw,
        std::cmp::Ordering::Less => Outcome::Away,
    }
}

pub fn model_outcome(o: Outcome) -> MatchOutcome {
    match o {
        Outcome::Home => MatchOutcome::Home,
        Outcome::Draw => MatchOutcome::Draw,
        Outcome::Away => MatchOutcome::Away,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const POINTS: PickPoints = PickPoints {
        exact_score: 3,
        result: 1,
        over_under: 1,
    };

    fn fields() -> PickFields {
        PickFields::default()
    }

    #[test]
    fn results_exact_scores_and_over_under_are_right_or_wrong() {
        let home = Selection::Result(Outcome::Home);
        assert_eq!(home.grade(2, 1, &POINTS).points, 1);
        assert_eq!(home.grade(1, 1, &POINTS).correct, Some(false));
        let exact = Selection::ExactScore { home: 2, away: 1 };
        assert_eq!(exact.grade(2, 1, &POINTS).points, 3);
        assert_eq!(exact.grade(3, 1, &POINTS).points, 0, "right winner, wrong score");
        let over = Selection::OverUnder {
            line: 2.5,
            side: Side::Over,
        };
        assert_eq!(over.grade(2, 1, &POINTS).correct, Some(true));
        assert_eq!(over.grade(1, 1, &POINTS).correct, Some(false));
        let under = Selection::OverUnder {
            line: 2.5,
            side: Side::Under,
        };
        assert_eq!(under.grade(1, 1, &POINTS).points, 1);
    }

    #[test]
    fn probabilities_get_their_rps_and_no_points() {
        let p = Selection::Probabilities {
            home: 0.5,
            draw: 0.3,
            away: 0.2,
        };
        let g = p.grade(2, 0, &POINTS);
        // Cumulative (0.5, 0.8) against (1, 1): (0.25 + 0.04) / 2.
        assert!((g.rps.unwrap() - 0.145).abs() < 1e-12);
        assert_eq!((g.points, g.correct), (0, None));
    }

    #[test]
    fn parse_reports_every_field_problem() {
        let f = PickFields {
            outcome: Some(Outcome::Home),
            home_goals: Some(-1),
            ..fields()
        };
        let Err(ApiError::Validation(details)) = Selection::parse(PickKind::ExactScore, &f) else {
            panic!("expected a validation error");
        };
        let fields = &details["fields"];
        assert_eq!(fields["outcome"][0]["code"], "not_allowed");
        assert_eq!(fields["home_goals"][0]["code"], "range");
        assert_eq!(fields["away_goals"][0]["code"], "required");
    }

    #[test]
    fn lines_are_half_goals_and_probabilities_sum_to_one() {
        let ou = |line| PickFields {
            line: Some(line),
            side: Some(Side::Over),
            ..fields()
        };
        assert!(Selection::parse(PickKind::OverUnder, &ou(2.5)).is_ok());
        for bad in [2.0, 0.0, 10.5, 2.25, f64::NAN] {
            assert!(Selection::parse(PickKind::OverUnder, &ou(bad)).is_err(), "{bad}");
        }
        let probs = |home, draw, away| PickFields {
            home: Some(home),
            draw: Some(draw),
            away: Some(away),
            ..fields()
        };
        assert!(Selection::parse(PickKind::Probabilities, &probs(0.5, 0.3, 0.205)).is_ok());
        assert!(Selection::parse(PickKind::Probabilities, &probs(0.5, 0.3, 0.3)).is_err());
        assert!(Selection::parse(PickKind::Probabilities, &probs(1.2, -0.1, -0.1)).is_err());
    }
}
