//! Simulated leagues with known parameters, for tests and benches (seeded RNG).

use chrono::{Duration, NaiveDate};
use pundit_model::MatchRecord;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

pub struct League {
    pub attack: Vec<f64>,
    pub defence: Vec<f64>,
    pub intercept: f64,
    pub home_advantage: f64,
    pub matches: Vec<MatchRecord>,
}

pub fn team_name(i: usize) -> String {
    format!("Team {i:02}")
}

/// Knuth's multiplication method: fine for the small rates of football.
fn poisson(rng: &mut StdRng, rate: f64) -> u8 {
    let limit = (-rate).exp();
    let mut product: f64 = rng.random();
    let mut k = 0u8;
    while product > limit && k < 30 {
        product *= rng.random::<f64>();
        k += 1;
    }
    k
}

/// A double round robin per season, one round per week, independent Poisson goals.
/// Shots on target are simulated as goals plus extra misses, so they carry signal.
pub fn simulate_league(seed: u64, n_teams: usize, seasons: usize) -> League {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut attack: Vec<f64> = (0..n_teams).map(|_| rng.random_range(-0.4..0.4)).collect();
    let mut defence: Vec<f64> = (0..n_teams).map(|_| rng.random_range(-0.4..0.4)).collect();
    for v in [&mut attack, &mut defence] {
        let mean = v.iter().sum::<f64>() / n_teams as f64;
        v.iter_mut().for_each(|x| *x -= mean);
    }
    let (intercept, home_advantage) = (1.25_f64.ln(), 0.25);
    let start = NaiveDate::from_ymd_opt(2015, 8, 1).unwrap_or_default();
    let mut matches = Vec::new();
    let mut round = 0i64;
    for _ in 0..seasons {
        for h in 0..n_teams {
            for a in 0..n_teams {
                if h == a {
                    continue;
                }
                let lh = (intercept + home_advantage + attack[h] - defence[a]).exp();
                let la = (intercept + attack[a] - defence[h]).exp();
                let (gh, ga) = (poisson(&mut rng, lh), poisson(&mut rng, la));
                let mut record = MatchRecord::new(
                    start + Duration::days(round / 10 * 7 + round % 3),
                    team_name(h),
                    team_name(a),
                    gh,
                    ga,
                );
                record.home_shots_on_target = Some(u16::from(gh + poisson(&mut rng, 2.0 * lh)));
                record.away_shots_on_target = Some(u16::from(ga + poisson(&mut rng, 2.0 * la)));
                matches.push(record);
                round += 1;
            }
        }
    }
    matches.sort_by_key(|m| m.date);
    League {
        attack,
        defence,
        intercept,
        home_advantage,
        matches,
    }
}
