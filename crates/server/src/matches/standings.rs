//! League tables from results: three points a win, then goal difference, goals scored, name.

use std::collections::HashMap;

use super::types::{StandingRow, TeamRef};
use crate::db::entities::{football_match as fm, team};

#[derive(Default)]
struct Tally {
    played: u32,
    won: u32,
    drawn: u32,
    lost: u32,
    goals_for: u32,
    goals_against: u32,
    results: Vec<char>,
}

/// The table after the finished matches among `matches` (in kick-off order).
pub fn table(matches: &[fm::Model], teams: &HashMap<i32, team::Model>) -> Vec<StandingRow> {
    let mut tallies: HashMap<i32, Tally> = HashMap::new();
    for m in matches {
        // Every team in the season appears, even before its first result.
        tallies.entry(m.home_team_id).or_default();
        tallies.entry(m.away_team_id).or_default();
        let (Some(hg), Some(ag)) = (m.home_goals, m.away_goals) else {
            continue;
        };
        if m.status != "finished" {
            continue;
        }
        let (hg, ag) = (u32::try_from(hg).unwrap_or(0), u32::try_from(ag).unwrap_or(0));
        for (id, scored, conceded) in [(m.home_team_id, hg, ag), (m.away_team_id, ag, hg)] {
            let t = tallies.entry(id).or_default();
            t.played += 1;
            t.goals_for += scored;
            t.goals_against += conceded;
            let result = match scored.cmp(&conceded) {
                std::cmp::Ordering::Greater => {
                    t.won += 1;
                    'W'
                }
                std::cmp::Ordering::Equal => {
                    t.drawn += 1;
                    'D'
                }
                std::cmp::Ordering::Less => {
                    t.lost += 1;
                    'L'
                }
            };
            t.results.push(result);
        }
    }
    let mut rows: Vec<StandingRow> = tallies
        .into_iter()
        .filter_map(|(id, t)| {
            let team = teams.get(&id)?;
            let form: String = t.results[t.results.len().saturating_sub(5)..].iter().collect();
            Some(StandingRow {
                position: 0,
                team: TeamRef::from(team),
                played: t.played,
                won: t.won,
                drawn: t.drawn,
                lost: t.lost,
                goals_for: t.goals_for,
                goals_against: t.goals_against,
                goal_difference: t.goals_for as i32 - t.goals_against as i32,
                points: 3 * t.won + t.drawn,
                form,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then(b.goal_difference.cmp(&a.goal_difference))
            .then(b.goals_for.cmp(&a.goals_for))
            .then(a.team.name.cmp(&b.team.name))
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.position = i as u32 + 1;
    }
    rows
}
