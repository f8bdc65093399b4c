//! A frozen version scored on the finished matches after its training data: genuinely out of
//! sample, and it works for results that arrive by CSV import as well as live.

use std::collections::HashSet;

use chrono::NaiveDate;
use pundit_model::{MatchOutcome, Outcome3, metrics::ranked_probability_score};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::serving;
use crate::{
    db::entities::{football_match as fm, model_version},
    error::{ApiError, ApiResult},
    matches::store,
    state::AppState,
};

/// One out-of-sample match as the version saw it.
#[derive(Debug, Clone)]
pub struct Evaluated {
    pub match_id: i32,
    pub date: NaiveDate,
    pub probabilities: Outcome3,
    pub outcome: MatchOutcome,
    pub rps: f64,
    /// Total goals scored.
    pub goals: u32,
}

/// Finished, real (not replayed) matches of a competition after `after`, oldest first.
pub async fn finished_after(
    state: &AppState,
    competition_id: i32,
    after: NaiveDate,
) -> ApiResult<Vec<fm::Model>> {
    Ok(fm::Entity::find()
        .filter(fm::Column::CompetitionId.eq(competition_id))
        .filter(fm::Column::Status.eq("finished"))
        .filter(fm::Column::Source.ne("replay"))
        .filter(fm::Column::MatchDate.gt(after))
        .order_by_asc(fm::Column::MatchDate)
        .order_by_asc(fm::Column::Id)
        .all(&state.db)
        .await?)
}

/// Scores `version` on every finished match after its `trained_through`, oldest first. Matches it
/// cannot forecast (a model error) are left out.
pub async fn evaluate(state: &AppState, version: &model_version::Model) -> ApiResult<Vec<Evaluated>> {
    let Some(through) = version.trained_through else {
        return Ok(Vec::new());
    };
    let matches = finished_after(state, version.competition_id, through).await?;
    if matches.is_empty() {
        return Ok(Vec::new());
    }
    let fitted = serving::frozen(state, version).await?;
    let ids: HashSet<i32> = matches
        .iter()
        .flat_map(|m| [m.home_team_id, m.away_team_id])
        .collect();
    let teams = store::teams_by_id(&state.db, ids).await?;
    let rows: Vec<(i32, NaiveDate, String, String, u8, u8)> = matches
        .iter()
        .filter_map(|m| {
            let hg = u8::try_from(m.home_goals?).ok()?;
            let ag = u8::try_from(m.away_goals?).ok()?;
            Some((
                m.id,
                m.match_date,
                teams.get(&m.home_team_id)?.name.clone(),
                teams.get(&m.away_team_id)?.name.clone(),
                hg,
                ag,
            ))
        })
        .collect();
    let forecaster = fitted.forecaster.clone();
    tokio::task::spawn_blocking(move || {
        rows.into_iter()
            .filter_map(|(match_id, date, home, away, hg, ag)| {
                let probabilities = forecaster.predict(&home, &away).ok()?;
                let outcome = MatchOutcome::from_goals(hg, ag);
                Some(Evaluated {
                    match_id,
                    date,
                    probabilities,
                    outcome,
                    rps: ranked_probability_score(&probabilities, outcome),
                    goals: u32::from(hg) + u32::from(ag),
                })
            })
            .collect()
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))
}
