//! The history a fit sees: finished matches of one competition, strictly before a date,
//! within the model's history window, as the model library's records.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use pundit_model::{
    MatchRecord, Outcome3,
    backtest::HistoryWindow,
    odds::{DevigMethod, implied_probabilities},
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};

use crate::{
    db::entities::{football_match as fm, team},
    matches::store,
};

/// Four complete seasons plus the current one: the best window on the 2015-19 validation
/// seasons (docs/MODELS.md).
pub const HISTORY: HistoryWindow = HistoryWindow::Seasons(4);

pub struct History {
    pub records: Vec<MatchRecord>,
    /// The bookmakers' view of each record (mean of their margin-free 1X2 probabilities), where
    /// prices were stored: what a backtest compares the model with.
    pub market: Vec<Option<Outcome3>>,
    /// Hash of every record: equal histories give equal fits.
    pub fingerprint: String,
}

/// Mean margin-free probabilities over the stored 1X2 prices of a match.
fn market_view(odds: Option<&serde_json::Value>) -> Option<Outcome3> {
    let books = odds?.get("one_x_two")?.as_array()?;
    let mut sum = [0.0; 3];
    let mut n = 0.0;
    for book in books {
        let price = |k: &str| book.get(k).and_then(serde_json::Value::as_f64);
        let (Some(h), Some(d), Some(a)) = (price("home"), price("draw"), price("away")) else {
            continue;
        };
        if let Ok(p) = implied_probabilities(&[h, d, a], DevigMethod::Proportional) {
            for (s, v) in sum.iter_mut().zip(p) {
                *s += v;
            }
            n += 1.0;
        }
    }
    (n > 0.0).then(|| Outcome3::new(sum[0] / n, sum[1] / n, sum[2] / n).ok())?
}

/// Finished, real (not replayed) matches of a competition, newest last.
fn finished(competition_id: i32) -> sea_orm::Select<fm::Entity> {
    fm::Entity::find()
        .filter(fm::Column::CompetitionId.eq(competition_id))
        .filter(fm::Column::Status.eq("finished"))
        // Replays are simulated: they must never teach the models anything.
        .filter(fm::Column::Source.ne("replay"))
}

async fn history_of(
    db: &impl ConnectionTrait,
    select: sea_orm::Select<fm::Entity>,
) -> Result<History, DbErr> {
    let matches = select
        .order_by_asc(fm::Column::MatchDate)
        .order_by_asc(fm::Column::Id)
        .all(db)
        .await?;
    let ids: HashSet<i32> = matches
        .iter()
        .flat_map(|m| [m.home_team_id, m.away_team_id])
        .collect();
    let teams = store::teams_by_id(db, ids).await?;
    Ok(from_matches(&matches, &teams))
}

/// The history a fit on `as_of` sees: matches before it, within the window.
pub async fn load(
    db: &impl ConnectionTrait,
    competition_id: i32,
    as_of: NaiveDate,
) -> Result<History, DbErr> {
    let mut select = finished(competition_id).filter(fm::Column::MatchDate.lt(as_of));
    if let Some(start) = HISTORY.start(as_of) {
        select = select.filter(fm::Column::MatchDate.gte(start));
    }
    history_of(db, select).await
}

pub fn from_matches(matches: &[fm::Model], teams: &HashMap<i32, team::Model>) -> History {
    let mut hasher = Sha256::new();
    let mut records = Vec::with_capacity(matches.len());
    let mut market = Vec::with_capacity(matches.len());
    for m in matches {
        let (Some(hg), Some(ag), Some(home), Some(away)) = (
            m.home_goals,
            m.away_goals,
            teams.get(&m.home_team_id),
            teams.get(&m.away_team_id),
        ) else {
            continue;
        };
        let (Ok(hg), Ok(ag)) = (u8::try_from(hg), u8::try_from(ag)) else {
            continue;
        };
        let mut record = MatchRecord::new(m.match_date, home.name.clone(), away.name.clone(), hg, ag);
        let pair = |key: &str| {
            let side = |s: &str| {
                m.stats
                    .as_ref()?
                    .get(key)?
                    .get(s)?
                    .as_u64()
                    .and_then(|v| u16::try_from(v).ok())
            };
            (side("home"), side("away"))
        };
        (record.home_shots, record.away_shots) = pair("shots");
        (record.home_shots_on_target, record.away_shots_on_target) = pair("shots_on_target");
        hasher.update(format!(
            "{}|{}|{}|{hg}|{ag}|{:?};",
            m.id,
            m.match_date,
            m.home_team_id,
            pair("shots_on_target")
        ));
        records.push(record);
        market.push(market_view(m.odds.as_ref()));
    }
    let fingerprint = hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    History {
        records,
        market,
        fingerprint,
    }
}

/// Every finished match of a competition, oldest first (for training-run backtests).
pub async fn load_all(db: &impl ConnectionTrait, competition_id: i32) -> Result<History, DbErr> {
    history_of(db, finished(competition_id)).await
}

/// The date of a competition's latest finished match.
pub async fn latest_result(
    db: &impl ConnectionTrait,
    competition_id: i32,
) -> Result<Option<NaiveDate>, DbErr> {
    Ok(finished(competition_id)
        .order_by_desc(fm::Column::MatchDate)
        .one(db)
        .await?
        .map(|m| m.match_date))
}
