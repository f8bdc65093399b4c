//! The platform's own forecast of a match, to measure players against ("beat the model").
//!
//! It is the last forecast of the recommended `best` model that was served before kick-off (the
//! `forecasts` table; live updates excluded), the same one `/predictions/ml/accuracy` scores.
//! When none was served, the `best` model fitted on the results before the match day stands in:
//! what `GET /matches/{id}/forecast` shows for a past match, so no hindsight either way.

use pundit_model::{ModelName, Outcome3, metrics::ranked_probability_score};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    scoring::{model_outcome, outcome_of},
    store::Benchmark,
};
use crate::{
    db::entities::{football_match as fm, forecast},
    error::ApiResult,
    matches::store as matches,
    state::AppState,
};

/// The model every player is measured against.
pub const MODEL: ModelName = ModelName::Best;

/// The model's pre-match probabilities for `m`, or `None` when it could not forecast the match
/// (too little history, unknown teams).
pub async fn forecast(state: &AppState, m: &fm::Model) -> ApiResult<Option<Outcome3>> {
    let served = forecast::Entity::find()
        .filter(forecast::Column::MatchId.eq(m.id))
        .filter(forecast::Column::Model.eq(MODEL.as_str()))
        .filter(forecast::Column::Reason.ne("live"))
        .filter(forecast::Column::IssuedAt.lte(m.kickoff_at))
        .order_by_desc(forecast::Column::IssuedAt)
        .order_by_desc(forecast::Column::Id)
        .one(&state.db)
        .await?;
    if let Some(f) = served {
        return Ok(Outcome3::normalized(f.home_probability, f.draw_probability, f.away_probability).ok());
    }
    let fitted = match state
        .forecasts
        .fitted(&state.db, m.competition_id, MODEL, Some(m.match_date))
        .await
    {
        Ok(fitted) => fitted,
        Err(e) => {
            tracing::debug!(match_id = m.id, error = %e, "no model benchmark for this match");
            return Ok(None);
        }
    };
    let teams = matches::teams_by_id(&state.db, [m.home_team_id, m.away_team_id].into()).await?;
    let (Some(home), Some(away)) = (teams.get(&m.home_team_id), teams.get(&m.away_team_id)) else {
        return Ok(None);
    };
    Ok(fitted
        .forecaster
        .forecast(&home.name, &away.name)
        .ok()
        .map(|f| f.outcome))
}

/// How the model's forecast fared against the final score.
pub fn judge(p: &Outcome3, home_goals: i16, away_goals: i16) -> Benchmark {
    let actual = model_outcome(outcome_of(home_goals, away_goals));
    Benchmark {
        rps: ranked_probability_score(p, actual),
        correct: p.most_likely() == actual,
    }
}
