//! Leaderboards: aggregates over scored picks, filtered by match kick-off period, competition
//! and (for boards among a set of people) user ids. One query shape for both backends.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType, Order, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait, Select,
    sea_query::{Alias, Expr, ExprTrait, Func},
};
use uuid::Uuid;

use super::types::{Period, PickKind, PickStatus, VersusModel, ratio};
use crate::db::entities::{football_match as fm, pick, user};

/// Which scored picks a board counts.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Matches kicking off in `[since, until)`.
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub competition_id: Option<i32>,
    /// Only these users. A board "among people you follow" passes the followed users and the
    /// caller here once follows exist (the social module); private leagues their members.
    pub user_ids: Option<Vec<Uuid>>,
}

/// First and last day of the period containing `date` (`None` for all time).
pub fn period_days(period: Period, date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    match period {
        Period::All => None,
        Period::Week => {
            let monday = date - Days::new(u64::from(date.weekday().num_days_from_monday()));
            Some((monday, monday + Days::new(6)))
        }
        Period::Month => {
            let first = date.with_day(1)?;
            let last = first.checked_add_months(Months::new(1))? - Days::new(1);
            Some((first, last))
        }
    }
}

impl Scope {
    /// Matches kicking off on the days `from..=to` (UTC).
    pub fn days(mut self, days: Option<(NaiveDate, NaiveDate)>) -> Self {
        if let Some((from, to)) = days {
            self.since = Some(from.and_time(chrono::NaiveTime::MIN).and_utc());
            self.until = (to + Days::new(1))
                .and_time(chrono::NaiveTime::MIN)
                .and_utc()
                .into();
        }
        self
    }

    /// Scored picks of active users in scope, joined to their match and user.
    fn select(&self) -> Select<pick::Entity> {
        let mut select = pick::Entity::find()
            .join(JoinType::InnerJoin, pick::Relation::Match.def())
            .join(JoinType::InnerJoin, pick::Relation::User.def())
            .filter(pick::Column::Status.eq(PickStatus::Scored.as_str()))
            .filter(user::Column::IsActive.eq(true));
        if let Some(since) = self.since {
            select = select.filter(fm::Column::KickoffAt.gte(since));
        }
        if let Some(until) = self.until {
            select = select.filter(fm::Column::KickoffAt.lt(until));
        }
        if let Some(id) = self.competition_id {
            select = select.filter(fm::Column::CompetitionId.eq(id));
        }
        if let Some(ids) = &self.user_ids {
            select = select.filter(pick::Column::UserId.is_in(ids.clone()));
        }
        select
    }
}

fn col(c: pick::Column) -> Expr {
    Expr::col((pick::Entity, c))
}

fn is_kind(kind: PickKind) -> Expr {
    col(pick::Column::Kind).eq(kind.as_str())
}

/// `SUM(CASE WHEN cond THEN 1 ELSE 0 END)`.
fn count_if(cond: Expr) -> Expr {
    Func::sum(Expr::case(cond, 1).finally(0)).into()
}

#[derive(Debug, FromQueryResult)]
pub struct BoardRow {
    pub username: String,
    pub total_points: i64,
    pub total_scored: i64,
    pub total_correct: i64,
    pub total_graded: i64,
    pub mean_rps: Option<f64>,
}

/// One page of the points board and the number of users on it. Order: points, then correct
/// picks, then username (unique, so the order is total and pages never overlap).
pub async fn points(
    db: &impl ConnectionTrait,
    scope: &Scope,
    page: u64,
    limit: u64,
) -> Result<(Vec<BoardRow>, u64), DbErr> {
    let total: Option<i64> = scope
        .select()
        .select_only()
        .expr(Func::count_distinct(col(pick::Column::UserId)))
        .into_tuple()
        .one(db)
        .await?;
    let alias = |name: &str| Expr::col(Alias::new(name));
    let rows = scope
        .select()
        .select_only()
        .column(user::Column::Username)
        .expr_as(Func::sum(col(pick::Column::Points)), "total_points")
        .expr_as(Func::count(col(pick::Column::Id)), "total_scored")
        .expr_as(count_if(col(pick::Column::Correct).eq(true)), "total_correct")
        .expr_as(count_if(col(pick::Column::Correct).is_not_null()), "total_graded")
        .expr_as(Func::avg(col(pick::Column::Rps)), "mean_rps")
        .group_by(pick::Column::UserId)
        .group_by(user::Column::Username)
        .group_by(user::Column::UsernameKey)
        .order_by(alias("total_points"), Order::Desc)
        .order_by(alias("total_correct"), Order::Desc)
        .order_by(user::Column::UsernameKey, Order::Asc)
        .offset((page - 1) * limit)
        .limit(limit)
        .into_model::<BoardRow>()
        .all(db)
        .await?;
    Ok((rows, u64::try_from(total.unwrap_or(0)).unwrap_or(0)))
}

#[derive(Debug, FromQueryResult)]
pub struct ModelRow {
    pub username: String,
    pub username_key: String,
    pub probability_picks: i64,
    pub mean_user_rps: Option<f64>,
    pub mean_model_rps: Option<f64>,
    pub result_picks: i64,
    pub result_correct: i64,
    pub model_result_correct: i64,
}

impl ModelRow {
    pub fn versus(&self) -> VersusModel {
        VersusModel {
            probability_picks: self.probability_picks,
            rps: self.mean_user_rps,
            model_rps: self.mean_model_rps,
            rps_edge: self.mean_model_rps.zip(self.mean_user_rps).map(|(m, u)| m - u),
            result_picks: self.result_picks,
            accuracy: ratio(self.result_correct as f64, self.result_picks as f64),
            model_accuracy: ratio(self.model_result_correct as f64, self.result_picks as f64),
        }
    }
}

/// Per user: probability and result picks on matches the model forecast, against the model.
pub async fn versus_model(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<ModelRow>, DbErr> {
    let probabilities = is_kind(PickKind::Probabilities);
    let result = is_kind(PickKind::Result);
    scope
        .select()
        .filter(pick::Column::ModelRps.is_not_null())
        .filter(pick::Column::Kind.is_in([PickKind::Probabilities.as_str(), PickKind::Result.as_str()]))
        .select_only()
        .column(user::Column::Username)
        .column(user::Column::UsernameKey)
        .expr_as(count_if(probabilities.clone()), "probability_picks")
        .expr_as(
            Func::avg(Expr::case(probabilities.clone(), col(pick::Column::Rps))),
            "mean_user_rps",
        )
        .expr_as(
            Func::avg(Expr::case(probabilities, col(pick::Column::ModelRps))),
            "mean_model_rps",
        )
        .expr_as(count_if(result.clone()), "result_picks")
        .expr_as(
            count_if(result.clone().and(col(pick::Column::Correct).eq(true))),
            "result_correct",
        )
        .expr_as(
            count_if(result.and(col(pick::Column::ModelCorrect).eq(true))),
            "model_result_correct",
        )
        .group_by(pick::Column::UserId)
        .group_by(user::Column::Username)
        .group_by(user::Column::UsernameKey)
        .into_model::<ModelRow>()
        .all(db)
        .await
}

/// Best first: users with probability picks by RPS edge, then the rest; ties by result-accuracy
/// edge, then username.
pub fn sort_versus(rows: &mut [ModelRow]) {
    let key = |r: &ModelRow| {
        let v = r.versus();
        let accuracy_edge = v.accuracy.zip(v.model_accuracy).map(|(u, m)| u - m);
        (
            v.rps_edge.is_none(),
            v.rps_edge.unwrap_or(0.0),
            accuracy_edge.unwrap_or(f64::MIN),
        )
    };
    rows.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0)
            .then(kb.1.total_cmp(&ka.1))
            .then(kb.2.total_cmp(&ka.2))
            .then_with(|| a.username_key.cmp(&b.username_key))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_months_to_their_last_day() {
        // 2024-03-07 was a Thursday.
        assert_eq!(
            period_days(Period::Week, day("2024-03-07")),
            Some((day("2024-03-04"), day("2024-03-10")))
        );
        assert_eq!(
            period_days(Period::Week, day("2024-03-04")),
            Some((day("2024-03-04"), day("2024-03-10")))
        );
        assert_eq!(
            period_days(Period::Month, day("2024-02-10")),
            Some((day("2024-02-01"), day("2024-02-29")))
        );
        assert_eq!(period_days(Period::All, day("2024-02-10")), None);
    }
}
