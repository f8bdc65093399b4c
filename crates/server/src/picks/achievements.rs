//! Achievements: granted once (never taken back, even if a result is later corrected), each
//! with an `achievement` notification.

use chrono::NaiveDate;
use serde_json::json;
use uuid::Uuid;

use super::{
    leaderboard::{self, Scope},
    store,
    types::Period,
};
use crate::{
    db::entities::pick_stats,
    error::ApiResult,
    notifications::{self, NotificationKind},
    state::AppState,
};

pub struct Achievement {
    pub code: &'static str,
    pub name: &'static str,
    pub description: &'static str,
}

/// Probability picks needed in a month before beating the model there counts.
pub const MONTH_MIN_PICKS: i64 = 5;

pub const CATALOGUE: &[Achievement] = &[
    Achievement {
        code: "first_pick",
        name: "First pick",
        description: "Made a first prediction.",
    },
    Achievement {
        code: "first_exact_score",
        name: "Spot on",
        description: "Called a final score exactly.",
    },
    Achievement {
        code: "streak_5",
        name: "On a roll",
        description: "Five correct result picks in a row.",
    },
    Achievement {
        code: "streak_10",
        name: "Unstoppable",
        description: "Ten correct result picks in a row.",
    },
    Achievement {
        code: "exact_scores_10",
        name: "Sharpshooter",
        description: "Ten exact scores.",
    },
    Achievement {
        code: "beat_the_model_month",
        name: "Beat the machine",
        description: "A lower mean RPS than the model over a calendar month (at least five probability picks).",
    },
];

pub fn find(code: &str) -> Option<&'static Achievement> {
    CATALOGUE.iter().find(|a| a.code == code)
}

/// The stats-based achievements these totals qualify for.
pub fn earned(s: &pick_stats::Model) -> Vec<&'static str> {
    [
        ("first_pick", s.picks > 0),
        ("first_exact_score", s.exact_scores >= 1),
        ("streak_5", s.best_streak >= 5),
        ("streak_10", s.best_streak >= 10),
        ("exact_scores_10", s.exact_scores >= 10),
    ]
    .into_iter()
    .filter_map(|(code, yes)| yes.then_some(code))
    .collect()
}

/// Grants what the user newly qualifies for: the stats-based achievements, and beating the
/// model over the month of `month_of` (a day whose match was just scored).
pub async fn check(
    state: &AppState,
    user_id: Uuid,
    stats: &pick_stats::Model,
    month_of: Option<NaiveDate>,
) -> ApiResult<()> {
    let mut codes = earned(stats);
    if let Some(day) = month_of {
        let scope = Scope {
            user_ids: Some(vec![user_id]),
            ..Scope::default()
        }
        .days(leaderboard::period_days(Period::Month, day));
        let beat = leaderboard::versus_model(&state.db, &scope)
            .await?
            .first()
            .map(|row| row.versus())
            .is_some_and(|v| v.probability_picks >= MONTH_MIN_PICKS && v.rps_edge.is_some_and(|e| e > 0.0));
        if beat {
            codes.push("beat_the_model_month");
        }
    }
    for code in codes {
        if store::grant(&state.db, user_id, code).await? {
            announce(state, user_id, code).await;
        }
    }
    Ok(())
}

async fn announce(state: &AppState, user_id: Uuid, code: &str) {
    let Some(a) = find(code) else { return };
    tracing::info!(user_id = %user_id, code, "achievement granted");
    let title = format!("Achievement unlocked: {}", a.name);
    let sent = notifications::notify(
        state,
        user_id,
        NotificationKind::Achievement,
        &title,
        a.description,
        json!({ "achievement": code }),
    )
    .await;
    if let Err(e) = sent {
        tracing::warn!(error = %e, "achievement notification not sent");
    }
}
