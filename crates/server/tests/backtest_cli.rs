//! `pundit backtest` as an operator runs it: the real binary on real and synthetic CSVs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_pundit");

fn pundit(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("PUNDIT_DATA_DIR", dir.join("data"))
        .env("RUST_LOG", "warn")
        .current_dir(dir)
        .arg("backtest")
        .args(args)
        .output()
        .unwrap()
}

fn json_of(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn demo_premier_league() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/leagues/premier-league")
}

#[test]
fn demo_premier_league_weekly_dixon_coles() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo_premier_league();
    let output = pundit(
        dir.path(),
        &[
            "--data",
            data.to_str().unwrap(),
            "--from",
            "2023-08-01",
            "--to",
            "2023-10-31",
            "--model",
            "dixon-coles",
            "--refit",
            "weekly",
            "--json",
        ],
    );
    let report = json_of(&output);
    for key in [
        "model",
        "matches",
        "rps",
        "brier",
        "log_loss",
        "accuracy",
        "ece",
        "bookmakers",
    ] {
        assert!(report.get(key).is_some(), "missing {key}: {report}");
    }
    assert_eq!(report["model"], "dixon-coles");
    assert!(report["matches"].as_u64().unwrap() > 50, "{report}");
    let rps = report["rps"].as_f64().unwrap();
    assert!(rps > 0.1 && rps < 0.3, "rps {rps}");
    assert!(report["bookmakers"].as_object().unwrap().is_empty(), "{report}");
    // One competition: its figures are the overall figures.
    assert_eq!(report["competitions"][0]["rps"], report["rps"]);
}

/// A deterministic generator, so the synthetic league is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn poisson(&mut self, mean: f64) -> u32 {
        let (mut k, mut p, mut cdf) = (0, (-mean).exp(), (-mean).exp());
        let u = self.uniform();
        while u > cdf && k < 10 {
            k += 1;
            p *= mean / f64::from(k);
            cdf += p;
        }
        k
    }
}

/// Home/draw/away probabilities of independent Poisson scores.
fn one_x_two(home_mean: f64, away_mean: f64) -> [f64; 3] {
    let pmf = |mean: f64| {
        let mut p = vec![(-mean).exp()];
        for k in 1..=10 {
            p.push(p[k - 1] * mean / k as f64);
        }
        p
    };
    let (h, a) = (pmf(home_mean), pmf(away_mean));
    let mut out = [0.0; 3];
    for (i, ph) in h.iter().enumerate() {
        for (j, pa) in a.iter().enumerate() {
            out[match i.cmp(&j) {
                std::cmp::Ordering::Greater => 0,
                std::cmp::Ordering::Equal => 1,
                std::cmp::Ordering::Less => 2,
            }] += ph * pa;
        }
    }
    let total: f64 = out.iter().sum();
    out.map(|p| p / total)
}

/// Writes two seasons (2021-22, 2022-23) of a ten-team double round-robin in
/// football-data.co.uk's raw form with Bet365 prices (5% margin), leaving every
/// seventh match unpriced.
fn write_synthetic_league(dir: &Path) {
    const TEAMS: usize = 10;
    let strength: Vec<f64> = (0..TEAMS).map(|t| 0.5 - 0.1 * t as f64).collect();
    let mut rng = Lcg(7);
    let mut n = 0;
    for (season, start) in [
        ("2122", chrono::NaiveDate::from_ymd_opt(2021, 8, 14).unwrap()),
        ("2223", chrono::NaiveDate::from_ymd_opt(2022, 8, 13).unwrap()),
    ] {
        let mut csv = String::from("Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR,HST,AST,B365H,B365D,B365A\n");
        // Circle method: 9 rounds with every pairing once, then the return legs.
        let mut rounds = Vec::new();
        let mut ring: Vec<usize> = (1..TEAMS).collect();
        for _ in 0..TEAMS - 1 {
            let mut pairs = vec![(0, ring[0])];
            for k in 1..TEAMS / 2 {
                pairs.push((ring[k], ring[TEAMS - 1 - k]));
            }
            rounds.push(pairs);
            ring.rotate_left(1);
        }
        let returns: Vec<Vec<(usize, usize)>> = rounds
            .iter()
            .map(|r| r.iter().map(|&(h, a)| (a, h)).collect())
            .collect();
        rounds.extend(returns);
        for (round, pairs) in rounds.iter().enumerate() {
            let date = start + chrono::Duration::days(7 * round as i64);
            for &(h, a) in pairs {
                let home_mean = (0.25 + strength[h] - strength[a] * 0.8).exp();
                let away_mean = (strength[a] - strength[h] * 0.8).exp();
                let (hg, ag) = (rng.poisson(home_mean), rng.poisson(away_mean));
                let result = match hg.cmp(&ag) {
                    std::cmp::Ordering::Greater => "H",
                    std::cmp::Ordering::Equal => "D",
                    std::cmp::Ordering::Less => "A",
                };
                let (hst, ast) = (hg + rng.poisson(2.5), ag + rng.poisson(2.5));
                n += 1;
                let odds = if n % 7 == 0 {
                    ",,".to_string()
                } else {
                    let p = one_x_two(home_mean, away_mean);
                    let price = |p: f64| (100.0 / (p * 1.05)).round() / 100.0;
                    format!("{},{},{}", price(p[0]), price(p[1]), price(p[2]))
                };
                writeln!(
                    csv,
                    "E0,{},Team {h},Team {a},{hg},{ag},{result},{hst},{ast},{odds}",
                    date.format("%d/%m/%Y")
                )
                .unwrap();
            }
        }
        std::fs::write(dir.join(format!("E0-{season}.csv")), csv).unwrap();
    }
}

#[test]
fn bookmakers_are_scored_on_the_matches_they_priced() {
    let dir = tempfile::tempdir().unwrap();
    let odds = dir.path().join("odds");
    std::fs::create_dir_all(&odds).unwrap();
    write_synthetic_league(&odds);
    fn args<'a>(data: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec!["--data"];
        args.extend_from_slice(data);
        args.extend([
            "--from",
            "2022-07-01",
            "--to",
            "2023-06-30",
            "--model",
            "dixon-coles",
            "--refit",
            "weekly",
            "--json",
        ]);
        args
    }
    let report = json_of(&pundit(dir.path(), &args(&[odds.to_str().unwrap()])));
    assert_eq!(report["matches"], 90, "{report}");
    let bet365 = &report["bookmakers"]["bet365"];
    let priced = bet365["matches"].as_u64().unwrap();
    assert!(priced > 0 && priced < 90, "{report}");
    for key in ["rps", "brier", "log_loss"] {
        assert!(bet365[key].as_f64().unwrap() > 0.0, "{key}: {report}");
    }
    let ours = &bet365["model_on_same_matches"];
    assert_eq!(ours["matches"].as_u64().unwrap(), priced);
    let rps = ours["rps"].as_f64().unwrap();
    assert!(rps > 0.05 && rps < 0.35, "{report}");
    // The bookmaker knows the true strengths; the model has a season of data.
    assert!(bet365["rps"].as_f64().unwrap() < rps + 0.02, "{report}");

    // The same files given twice (folder and file) are merged, not double counted.
    let file = odds.join("E0-2223.csv");
    let twice = json_of(&pundit(
        dir.path(),
        &args(&[odds.to_str().unwrap(), file.to_str().unwrap()]),
    ));
    assert_eq!(twice["matches"], 90);
    assert_eq!(twice["duplicates_merged"], 90);
    assert_eq!(twice["rps"], report["rps"]);
}

fn failure(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let output = pundit(dir.path(), args);
    assert!(!output.status.success(), "{args:?} succeeded");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn unknown_model_lists_the_valid_ones() {
    let data = demo_premier_league();
    let stderr = failure(&[
        "--data",
        data.to_str().unwrap(),
        "--from",
        "2023-08-01",
        "--to",
        "2023-10-31",
        "--model",
        "nonsense",
    ]);
    for name in ["poisson", "dixon-coles", "dixon-coles-shots", "elo", "best"] {
        assert!(stderr.contains(name), "{stderr}");
    }
}

#[test]
fn empty_or_reversed_ranges_fail() {
    let data = demo_premier_league();
    let data = data.to_str().unwrap();
    let reversed = failure(&[
        "--data",
        data,
        "--from",
        "2024-01-01",
        "--to",
        "2023-01-01",
        "--model",
        "elo",
    ]);
    assert!(reversed.contains("after"), "{reversed}");
    let empty = failure(&[
        "--data",
        data,
        "--from",
        "2031-01-01",
        "--to",
        "2031-06-30",
        "--model",
        "elo",
    ]);
    assert!(empty.contains("no played matches"), "{empty}");
}
