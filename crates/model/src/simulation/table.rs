//! The league table the simulation starts from.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::MatchRecord;

/// Points for a win (a draw is worth one, a defeat none).
pub const POINTS_FOR_WIN: i32 = 3;

/// A team's record so far. `points` may include deductions, hence signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub team: String,
    pub points: i32,
    pub goal_difference: i32,
    pub goals_for: i32,
}

impl Standing {
    /// A team with no matches played.
    pub fn new(team: impl Into<String>) -> Self {
        Self {
            team: team.into(),
            points: 0,
            goal_difference: 0,
            goals_for: 0,
        }
    }
}

/// Adds one result to both sides' records (shared with the simulation's inner loop).
pub(crate) fn add_result(
    points: &mut [i32],
    goal_difference: &mut [i32],
    goals_for: &mut [i32],
    (home, away): (usize, usize),
    (home_goals, away_goals): (i32, i32),
) {
    let (home_points, away_points) = match home_goals.cmp(&away_goals) {
        std::cmp::Ordering::Greater => (POINTS_FOR_WIN, 0),
        std::cmp::Ordering::Equal => (1, 1),
        std::cmp::Ordering::Less => (0, POINTS_FOR_WIN),
    };
    points[home] += home_points;
    points[away] += away_points;
    goal_difference[home] += home_goals - away_goals;
    goal_difference[away] += away_goals - home_goals;
    goals_for[home] += home_goals;
    goals_for[away] += away_goals;
}

/// The table from played matches, ranked by points, goal difference, goals scored
/// (the Premier League's first three criteria), then name for a stable order.
pub fn league_table(played: &[MatchRecord]) -> Vec<Standing> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut names: Vec<&str> = Vec::new();
    for r in played {
        for name in [r.home.as_str(), r.away.as_str()] {
            if !index.contains_key(name) {
                index.insert(name, names.len());
                names.push(name);
            }
        }
    }
    let n = names.len();
    let (mut points, mut gd, mut gf) = (vec![0; n], vec![0; n], vec![0; n]);
    for r in played {
        let (h, a) = (index[r.home.as_str()], index[r.away.as_str()]);
        add_result(
            &mut points,
            &mut gd,
            &mut gf,
            (h, a),
            (i32::from(r.home_goals), i32::from(r.away_goals)),
        );
    }
    let mut table: Vec<Standing> = names
        .iter()
        .enumerate()
        .map(|(k, name)| Standing {
            team: (*name).to_owned(),
            points: points[k],
            goal_difference: gd[k],
            goals_for: gf[k],
        })
        .collect();
    table.sort_by(|x, y| {
        (y.points, y.goal_difference, y.goals_for)
            .cmp(&(x.points, x.goal_difference, x.goals_for))
            .then_with(|| x.team.cmp(&y.team))
    });
    table
}
