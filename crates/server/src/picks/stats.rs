//! User stats, recomputed from all of a user's picks whenever one changes: recomputing (rather
//! than adding to counters) keeps them right when scoring runs twice or a score is corrected.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{
    store,
    types::{PickKind, PickStatus},
};
use crate::db::entities::{pick, pick_stats};

/// A stats row of zeros.
pub fn empty_row(user_id: Uuid) -> pick_stats::Model {
    pick_stats::Model {
        user_id,
        picks: 0,
        pending: 0,
        scored: 0,
        graded: 0,
        correct: 0,
        points: 0,
        exact_scores: 0,
        current_streak: 0,
        best_streak: 0,
        probability_picks: 0,
        mean_rps: None,
        updated_at: Utc::now(),
    }
}

/// Totals of one user's picks, given in kick-off order (for the streaks).
pub fn summarize(user_id: Uuid, picks: &[pick::Model]) -> pick_stats::Model {
    let mut s = empty_row(user_id);
    let mut rps_sum = 0.0;
    let mut run = 0;
    for p in picks {
        let kind = PickKind::from_db(&p.kind);
        match PickStatus::from_db(&p.status) {
            PickStatus::Void => continue,
            PickStatus::Pending => {
                s.picks += 1;
                s.pending += 1;
                continue;
            }
            PickStatus::Scored => {
                s.picks += 1;
                s.scored += 1;
            }
        }
        s.points += p.points;
        if let Some(correct) = p.correct {
            s.graded += 1;
            s.correct += i32::from(correct);
        }
        if kind == Some(PickKind::ExactScore) && p.correct == Some(true) {
            s.exact_scores += 1;
        }
        if kind == Some(PickKind::Result) {
            run = if p.correct == Some(true) { run + 1 } else { 0 };
            s.best_streak = s.best_streak.max(run);
        }
        if let Some(rps) = p.rps {
            s.probability_picks += 1;
            rps_sum += rps;
        }
    }
    s.current_streak = run;
    s.mean_rps = (s.probability_picks > 0).then(|| rps_sum / f64::from(s.probability_picks));
    s
}

/// Recomputes and stores one user's stats.
pub async fn recompute(db: &impl ConnectionTrait, user_id: Uuid) -> Result<pick_stats::Model, DbErr> {
    let picks = store::picks_in_kickoff_order(db, user_id).await?;
    let stats = summarize(user_id, &picks);
    store::save_stats(db, stats.clone()).await?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(
        kind: PickKind,
        status: PickStatus,
        correct: Option<bool>,
        points: i32,
        rps: Option<f64>,
    ) -> pick::Model {
        let now = Utc::now();
        pick::Model {
            id: Uuid::nil(),
            user_id: Uuid::nil(),
            match_id: 1,
            kind: kind.as_str().into(),
            outcome: None,
            home_goals: None,
            away_goals: None,
            line: None,
            side: None,
            home_probability: None,
            draw_probability: None,
            away_probability: None,
            status: status.as_str().into(),
            points,
            correct,
            rps,
            model_rps: None,
            model_correct: None,
            scored_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn streaks_count_result_picks_in_order() {
        use PickKind::*;
        use PickStatus::*;
        let picks = [
            pick(Result, Scored, Some(true), 1, None),
            pick(Result, Scored, Some(true), 1, None),
            pick(ExactScore, Scored, Some(false), 0, None),
            pick(Result, Scored, Some(false), 0, None),
            pick(Result, Scored, Some(true), 1, None),
            pick(ExactScore, Scored, Some(true), 3, None),
            pick(Probabilities, Scored, None, 0, Some(0.2)),
            pick(Probabilities, Scored, None, 0, Some(0.1)),
            pick(Result, Pending, None, 0, None),
            pick(Result, Void, None, 0, None),
        ];
        let s = summarize(Uuid::nil(), &picks);
        assert_eq!((s.picks, s.pending, s.scored), (9, 1, 8));
        assert_eq!((s.graded, s.correct, s.points), (6, 4, 6));
        assert_eq!(s.exact_scores, 1);
        assert_eq!((s.current_streak, s.best_streak), (1, 2));
        assert_eq!(s.probability_picks, 2);
        assert!((s.mean_rps.unwrap_or_default() - 0.15).abs() < 1e-12);
    }
}
