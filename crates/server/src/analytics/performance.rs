//! One user's game over a date range: weekly picks and points, accuracy, RPS, the edge over
//! the model, and how they fare per competition. Counts come from the picks themselves, the
//! way `picks::stats` totals them, but limited to matches kicking off in the range.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
};

use super::types::{CompetitionRow, DateRange, UserPerformance, WeekRow};
use crate::{
    db::entities::{competition, football_match as fm, pick, user},
    picks::{
        leaderboard::{self, Scope},
        types::{PickStatus, ratio},
    },
};

fn monday(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// Counters of a set of picks.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    picks: i64,
    scored: i64,
    points: i64,
    correct: i64,
    graded: i64,
}

impl Tally {
    fn add(&mut self, p: &pick::Model) {
        self.picks += 1;
        if PickStatus::from_db(&p.status) == PickStatus::Scored {
            self.scored += 1;
            self.points += i64::from(p.points);
            if let Some(correct) = p.correct {
                self.graded += 1;
                self.correct += i64::from(correct);
            }
        }
    }

    fn accuracy(&self) -> Option<f64> {
        ratio(self.correct as f64, self.graded as f64)
    }
}

pub async fn user_performance(
    db: &impl ConnectionTrait,
    who: &user::Model,
    range: DateRange,
) -> Result<UserPerformance, DbErr> {
    let picks: Vec<(pick::Model, Option<fm::Model>)> = pick::Entity::find()
        .join(JoinType::InnerJoin, pick::Relation::Match.def())
        .select_also(fm::Entity)
        .filter(pick::Column::UserId.eq(who.id))
        .filter(pick::Column::Status.ne(PickStatus::Void.as_str()))
        .filter(fm::Column::KickoffAt.gte(range.since()))
        .filter(fm::Column::KickoffAt.lt(range.until()))
        .all(db)
        .await?;
    let slugs: HashMap<i32, String> = competition::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.slug))
        .collect();

    // Every week of the range, so charts get zeros rather than gaps.
    let mut weeks: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut week = monday(range.from);
    while week <= range.to {
        weeks.insert(week, Default::default());
        week = week + Days::new(7);
    }
    let mut per_competition: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    let (mut rps_sum, mut rps_n) = (0.0, 0u32);
    for (p, m) in &picks {
        let Some(m) = m else { continue };
        total.add(p);
        weeks.entry(monday(m.kickoff_at.date_naive())).or_default().add(p);
        let slug = slugs.get(&m.competition_id).cloned().unwrap_or_default();
        per_competition.entry(slug).or_default().add(p);
        if let (Some(rps), PickStatus::Scored) = (p.rps, PickStatus::from_db(&p.status)) {
            rps_sum += rps;
            rps_n += 1;
        }
    }

    let scope = Scope {
        user_ids: Some(vec![who.id]),
        ..Scope::default()
    }
    .days(Some((range.from, range.to)));
    let versus_model = leaderboard::versus_model(db, &scope)
        .await?
        .first()
        .map(leaderboard::ModelRow::versus)
        .unwrap_or_default();

    let mut competitions: Vec<CompetitionRow> = per_competition
        .into_iter()
        .filter(|(_, t)| t.scored > 0)
        .map(|(competition, t)| CompetitionRow {
            competition,
            scored: t.scored,
            points: t.points,
            correct: t.correct,
            graded: t.graded,
            accuracy: t.accuracy(),
        })
        .collect();
    // Best first: accuracy, then points; competitions with nothing graded last.
    competitions.sort_by(|a, b| {
        b.accuracy
            .unwrap_or(-1.0)
            .total_cmp(&a.accuracy.unwrap_or(-1.0))
            .then(b.points.cmp(&a.points))
            .then(a.competition.cmp(&b.competition))
    });
    let graded: Vec<&CompetitionRow> = competitions.iter().filter(|c| c.graded > 0).collect();
    Ok(UserPerformance {
        user_id: who.id,
        username: who.username.clone(),
        from: range.from,
        to: range.to,
        picks: total.picks,
        scored: total.scored,
        points: total.points,
        correct: total.correct,
        graded: total.graded,
        accuracy: total.accuracy(),
        mean_rps: (rps_n > 0).then(|| rps_sum / f64::from(rps_n)),
        versus_model,
        weeks: weeks
            .into_iter()
            .map(|(week_start, t)| WeekRow {
                week_start,
                picks: t.picks,
                scored: t.scored,
                points: t.points,
                correct: t.correct,
                graded: t.graded,
            })
            .collect(),
        best_competition: graded.first().map(|c| c.competition.clone()),
        worst_competition: graded.last().map(|c| c.competition.clone()),
        competitions,
    })
}
