//! Polls ESPN: every few seconds for leagues with a match live or about to start, every few
//! minutes for the next days' fixtures. With several instances one polls: the leader holds a
//! lease in the shared cache and renews it each round.

use std::sync::Arc;

use chrono::{Duration as Days, Utc};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};

use super::{Live, espn};
use crate::{
    db::entities::{competition, football_match as fm},
    state::AppState,
};

const LEASE: &str = "live:poller";

pub fn start(state: AppState, live: Arc<Live>) {
    let owner = uuid::Uuid::new_v4().to_string();
    let fast = state.config.live_poll_interval;
    let slow_every = (state.config.live_upcoming_interval.as_secs() / fast.as_secs().max(1)).max(1);
    tokio::spawn(async move {
        let mut round: u64 = 0;
        loop {
            tokio::select! {
                () = state.shutdown.cancelled() => return,
                () = tokio::time::sleep(fast) => {}
            }
            match state.cache.lease(LEASE, &owner, fast * 3).await {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    tracing::debug!(error = %e, "poller lease unavailable");
                    continue;
                }
            }
            let upcoming = round.is_multiple_of(slow_every);
            round += 1;
            if let Err(e) = poll_round(&state, &live, upcoming).await {
                tracing::debug!(error = %e, "live poll round failed");
            }
        }
    });
}

/// One round: leagues with live or imminent matches; with `upcoming`, every league's next days.
pub async fn poll_round(state: &AppState, live: &Live, upcoming: bool) -> anyhow::Result<usize> {
    let now = Utc::now();
    let mut polls = 0;
    for (league, slug) in espn::LEAGUES {
        let Some(c) = competition::Entity::find()
            .filter(competition::Column::Slug.eq(slug))
            .one(&state.db)
            .await?
        else {
            continue;
        };
        let active = fm::Entity::find()
            .filter(fm::Column::CompetitionId.eq(c.id))
            .filter(
                Condition::any().add(fm::Column::Status.eq("live")).add(
                    Condition::all()
                        .add(fm::Column::Status.eq("scheduled"))
                        .add(fm::Column::KickoffAt.between(now - Days::hours(3), now + Days::minutes(15))),
                ),
            )
            .count(&state.db)
            .await?;
        let days: Vec<_> = if upcoming {
            (0..3).map(|d| now.date_naive() + Days::days(d)).collect()
        } else if active > 0 {
            vec![now.date_naive()]
        } else {
            Vec::new()
        };
        for day in days {
            polls += 1;
            if let Err(e) = espn::poll(state, live, league, day).await {
                tracing::debug!(league, error = %e, "scoreboard poll failed");
            }
        }
    }
    Ok(polls)
}
