//! `pundit backtest`: walk-forward replay of a catalogue model over football-data.co.uk CSVs,
//! scored next to every bookmaker whose 1X2 prices the files carry.
//!
//! Each competition is replayed on its own (team strengths are league-relative), in parallel
//! across cores; the metrics are then recomputed from all per-match predictions together.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;
use clap::ValueEnum;
use indicatif::ProgressBar;
use pundit_data::{BookmakerOdds, ParsedAny, TeamAliases, list_csv_files, parse_path};
use pundit_model::backtest::{
    BacktestConfig, BacktestReport, BookmakerForecasts, Forecaster, HistoryWindow, RefitSchedule,
    run_backtest,
};
use pundit_model::metrics::{ForecastMetrics, MetricsAccumulator};
use pundit_model::odds::{DevigMethod, implied_probabilities};
use pundit_model::{MatchRecord, ModelError, ModelName, Outcome3};
use serde_json::{Value, json};

use super::progress;

/// Default `--history`. The model crate states no recommended window (its examples use three
/// previous seasons as the published benchmark's convention, "not a tuned value"); four previous
/// seasons was the best window on the 2015-19 validation seasons.
const DEFAULT_HISTORY: &str = "4s";

/// How bookmaker prices are turned into probabilities.
const DEVIG: DevigMethod = DevigMethod::Proportional;

#[derive(clap::Args, Debug)]
pub struct BacktestArgs {
    /// football-data.co.uk CSV files or folders (per-league `season-YYYY.csv` or raw `E0-1213.csv`
    /// with odds): all the history the backtest may use.
    #[arg(long, required = true, num_args = 1..)]
    data: Vec<PathBuf>,
    /// First match date to predict (YYYY-MM-DD).
    #[arg(long)]
    from: NaiveDate,
    /// Last match date to predict (YYYY-MM-DD, inclusive).
    #[arg(long)]
    to: NaiveDate,
    /// Model: poisson, dixon-coles, dixon-coles-shots, elo or best (the library's recommended
    /// model: 70% shots-on-target Dixon-Coles + 30% Elo).
    #[arg(long, value_parser = parse_model)]
    model: ModelName,
    /// Refit before every match date (daily) or at the first match date of each 7-day block.
    #[arg(long, value_enum, default_value_t = Refit::Daily)]
    refit: Refit,
    /// Matches each refit may see: `Ns` = N previous seasons plus the current one so far
    /// (seasons start July 1), `Nd` = the last N days, `all`. Default 4s: the model crate
    /// states no recommended window, and four previous seasons was the best window on the
    /// 2015-19 validation seasons (2s, 3s, 4s and 1100d were within 0.0003 RPS there).
    #[arg(long, default_value = DEFAULT_HISTORY, value_parser = parse_history)]
    history: HistoryWindow,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Refit {
    Daily,
    Weekly,
}

impl Refit {
    fn schedule(self) -> RefitSchedule {
        match self {
            Self::Daily => RefitSchedule::EveryMatchDate,
            Self::Weekly => RefitSchedule::Weekly,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
        }
    }
}

fn parse_model(text: &str) -> Result<ModelName, String> {
    text.parse().map_err(|e: ModelError| match e {
        ModelError::InvalidInput(message) => message,
        other => other.to_string(),
    })
}

/// `3s`, `1100d` or `all`.
fn parse_history(text: &str) -> Result<HistoryWindow, String> {
    let text = text.trim();
    let bad = || format!("invalid history {text:?}: use e.g. 3s (seasons), 1100d (days) or all");
    if text.eq_ignore_ascii_case("all") {
        return Ok(HistoryWindow::All);
    }
    if let Some(n) = text.strip_suffix('s') {
        return n.parse().map(HistoryWindow::Seasons).map_err(|_| bad());
    }
    if let Some(n) = text.strip_suffix('d') {
        return match n.parse::<i64>() {
            Ok(days) if days > 0 => Ok(HistoryWindow::Days(days)),
            _ => Err(bad()),
        };
    }
    Err(bad())
}

fn history_label(history: HistoryWindow) -> String {
    match history {
        HistoryWindow::All => "all".into(),
        HistoryWindow::Days(d) => format!("{d}d"),
        HistoryWindow::Seasons(s) => format!("{s}s"),
    }
}

/// One played match of a competition with the 1X2 prices found for it.
struct Row {
    record: MatchRecord,
    odds: Vec<BookmakerOdds>,
}

/// Everything read from the data paths, by competition, each sorted by date.
#[derive(Default)]
struct Dataset {
    competitions: BTreeMap<String, Vec<Row>>,
    files: usize,
    skipped_files: Vec<String>,
    rejected_rows: usize,
    unplayed: usize,
    duplicates: usize,
}

/// One competition ready to replay.
struct Competition {
    name: String,
    records: Vec<MatchRecord>,
    bookmakers: Vec<BookmakerForecasts>,
    /// Matches dated inside the range (what will be predicted).
    in_range: usize,
}

pub fn run(args: &BacktestArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    anyhow::ensure!(
        args.from <= args.to,
        "--from {} is after --to {}",
        args.from,
        args.to
    );
    let files = expand(&args.data)?;
    anyhow::ensure!(!files.is_empty(), "no CSV files found in {}", display(&args.data));

    let reading = progress::bar(files.len() as u64, "reading", args.json);
    let dataset = load(&files, || reading.inc(1));
    reading.finish_and_clear();

    let competitions: Vec<Competition> = dataset
        .competitions
        .iter()
        .map(|(name, rows)| prepare(name, rows, args.from, args.to))
        .filter(|c| c.in_range > 0)
        .collect();
    let total: usize = competitions.iter().map(|c| c.in_range).sum();
    anyhow::ensure!(
        total > 0,
        "no played matches between {} and {} in {} ({} files, {} competitions)",
        args.from,
        args.to,
        display(&args.data),
        dataset.files,
        dataset.competitions.len()
    );
    let load_seconds = started.elapsed().as_secs_f64();

    let config = BacktestConfig {
        from: args.from,
        to: args.to,
        schedule: args.refit.schedule(),
        history: args.history,
    };
    let predicting = progress::bar(total as u64, "predicting", args.json);
    let reports = replay(&competitions, &config, args.model, &predicting)?;
    predicting.finish_and_clear();

    let summary = Summary::new(args, &competitions, &reports, &dataset);
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        println!("{}", summary.to_json(seconds, load_seconds));
    } else {
        summary.print_table(seconds);
    }
    Ok(())
}

/// Expands folders into their CSV files (sorted), keeping files as given.
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        anyhow::ensure!(path.exists(), "{} does not exist", path.display());
        if path.is_dir() {
            files.extend(list_csv_files(path).with_context(|| format!("cannot list {}", path.display()))?);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Parses every file, keeps played club matches with canonical team names and merges the
/// same match read from two files (e.g. a league file and a raw odds file).
fn load(files: &[PathBuf], mut on_file: impl FnMut()) -> Dataset {
    let aliases = TeamAliases::builtin();
    let mut dataset = Dataset {
        files: files.len(),
        ..Dataset::default()
    };
    let mut seen: HashMap<(String, NaiveDate, String, String), usize> = HashMap::new();
    for file in files {
        match parse_path(file) {
            Ok(ParsedAny::Matches(parsed)) => {
                dataset.rejected_rows += parsed.errors.len();
                for r in parsed.records {
                    let Some(record) = convert(&r, &aliases) else {
                        dataset.unplayed += 1;
                        continue;
                    };
                    let rows = dataset.competitions.entry(r.competition.clone()).or_default();
                    let key = (
                        r.competition,
                        record.date,
                        record.home.clone(),
                        record.away.clone(),
                    );
                    match seen.get(&key).and_then(|&i| rows.get_mut(i)) {
                        Some(existing) => {
                            dataset.duplicates += 1;
                            merge(existing, record, r.odds.one_x_two);
                        }
                        None => {
                            seen.insert(key, rows.len());
                            rows.push(Row {
                                record,
                                odds: r.odds.one_x_two,
                            });
                        }
                    }
                }
            }
            Ok(other) => dataset.skipped_files.push(format!(
                "{}: {:?} files hold no club matches",
                file.display(),
                other.format()
            )),
            Err(e) => dataset.skipped_files.push(e.to_string()),
        }
        on_file();
    }
    // Stable: same-day matches keep file order (kick-off order in football-data files), which
    // matters to Elo's sequential updates; files are read in path order, so runs repeat.
    for rows in dataset.competitions.values_mut() {
        rows.sort_by_key(|r| r.record.date);
    }
    dataset
}

/// A played match in the model's terms; `None` for fixtures without a score.
fn convert(r: &pundit_data::MatchRecord, aliases: &TeamAliases) -> Option<MatchRecord> {
    let score = r.full_time?;
    let mut record = MatchRecord::new(
        r.date,
        aliases.canonical_name(&r.home).into_owned(),
        aliases.canonical_name(&r.away).into_owned(),
        u8::try_from(score.home).ok()?,
        u8::try_from(score.away).ok()?,
    );
    if let Some(shots) = r.stats.shots {
        record.home_shots = Some(shots.home);
        record.away_shots = Some(shots.away);
    }
    if let Some(sot) = r.stats.shots_on_target {
        record.home_shots_on_target = Some(sot.home);
        record.away_shots_on_target = Some(sot.away);
    }
    Some(record)
}

/// Fills what the first copy of a match lacks from a second copy.
fn merge(existing: &mut Row, other: MatchRecord, odds: Vec<BookmakerOdds>) {
    let r = &mut existing.record;
    if r.home_shots.is_none() {
        (r.home_shots, r.away_shots) = (other.home_shots, other.away_shots);
    }
    if r.home_shots_on_target.is_none() {
        (r.home_shots_on_target, r.away_shots_on_target) =
            (other.home_shots_on_target, other.away_shots_on_target);
    }
    for o in odds {
        if !existing.odds.iter().any(|e| e.bookmaker == o.bookmaker) {
            existing.odds.push(o);
        }
    }
}

/// The records of one competition and, for every bookmaker pricing a match in the range,
/// its de-vigged probabilities aligned with them.
fn prepare(name: &str, rows: &[Row], from: NaiveDate, to: NaiveDate) -> Competition {
    let in_range = |r: &Row| r.record.date >= from && r.record.date <= to;
    let names: BTreeSet<&str> = rows
        .iter()
        .filter(|r| in_range(r))
        .flat_map(|r| r.odds.iter().map(|o| o.bookmaker.as_ref()))
        .collect();
    let bookmakers = names
        .into_iter()
        .map(|bookmaker| BookmakerForecasts {
            name: bookmaker.to_string(),
            probabilities: rows
                .iter()
                .map(|r| r.odds.iter().find(|o| o.bookmaker == bookmaker).and_then(devig))
                .collect(),
        })
        .collect();
    Competition {
        name: name.to_string(),
        records: rows.iter().map(|r| r.record.clone()).collect(),
        bookmakers,
        in_range: rows.iter().filter(|r| in_range(r)).count(),
    }
}

/// Margin-free 1X2 probabilities; `None` for a price the de-vig rejects.
fn devig(odds: &BookmakerOdds) -> Option<Outcome3> {
    let p = implied_probabilities(&[odds.home, odds.draw, odds.away], DEVIG).ok()?;
    match p.as_slice() {
        [home, draw, away] => Outcome3::new(*home, *draw, *away).ok(),
        _ => None,
    }
}

/// Replays every competition with a fresh forecaster, spreading them over the cores.
fn replay(
    competitions: &[Competition],
    config: &BacktestConfig,
    model: ModelName,
    bar: &ProgressBar,
) -> anyhow::Result<Vec<BacktestReport>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(competitions.len())
        .max(1);
    // Largest first so the last competition to start is a short one.
    let mut order: Vec<usize> = (0..competitions.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(competitions[i].in_range));
    let next = AtomicUsize::new(0);
    let results: Vec<Vec<(usize, anyhow::Result<BacktestReport>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let c = &competitions[i];
                        let mut inner = model.forecaster();
                        let mut forecaster = Counting {
                            inner: inner.as_mut(),
                            bar,
                        };
                        let report = run_backtest(&c.records, &c.bookmakers, config, &mut forecaster)
                            .map_err(|e| explain(&e, c, config));
                        done.push((i, report));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut reports: Vec<Option<BacktestReport>> = (0..competitions.len()).map(|_| None).collect();
    for (i, report) in results.into_iter().flatten() {
        reports[i] = Some(report?);
    }
    reports
        .into_iter()
        .zip(competitions)
        .map(|(r, c)| r.with_context(|| format!("{}: the backtest worker stopped", c.name)))
        .collect()
}

/// Names the competition, with a hint when the history before the first refit is too short.
fn explain(error: &ModelError, c: &Competition, config: &BacktestConfig) -> anyhow::Error {
    if let ModelError::InsufficientData(_) = error {
        let earlier = c.records.iter().filter(|r| r.date < config.from).count();
        return anyhow::anyhow!(
            "{}: {error} (only {earlier} matches before {}: add earlier seasons to --data or start later)",
            c.name,
            config.from
        );
    }
    anyhow::anyhow!("{}: {error}", c.name)
}

/// Forwards to the real forecaster and advances the progress bar once per prediction.
struct Counting<'a> {
    inner: &'a mut (dyn Forecaster + Send),
    bar: &'a ProgressBar,
}

impl Forecaster for Counting<'_> {
    fn name(&self) -> String {
        self.inner.name()
    }

    fn refit(&mut self, history: &[MatchRecord], as_of: NaiveDate) -> Result<(), ModelError> {
        self.inner.refit(history, as_of)
    }

    fn predict(&self, home: &str, away: &str) -> Result<Outcome3, ModelError> {
        self.bar.inc(1);
        self.inner.predict(home, away)
    }
}

/// Metrics over all competitions, recomputed from the per-match predictions.
struct Summary<'a> {
    args: &'a BacktestArgs,
    label: String,
    refits: usize,
    overall: ForecastMetrics,
    per_competition: Vec<(&'a str, ForecastMetrics)>,
    /// Bookmaker name → (bookmaker, model on the same matches).
    bookmakers: BTreeMap<String, (ForecastMetrics, ForecastMetrics)>,
    dataset: &'a Dataset,
}

impl<'a> Summary<'a> {
    fn new(
        args: &'a BacktestArgs,
        competitions: &'a [Competition],
        reports: &[BacktestReport],
        dataset: &'a Dataset,
    ) -> Self {
        let mut overall = MetricsAccumulator::new();
        let mut books: BTreeMap<String, (MetricsAccumulator, MetricsAccumulator)> = BTreeMap::new();
        for (c, report) in competitions.iter().zip(reports) {
            for p in &report.predictions {
                let outcome = c.records[p.record_index].outcome();
                overall.push(p.forecast, outcome);
                for b in &c.bookmakers {
                    if let Some(q) = b.probabilities[p.record_index] {
                        let (book, ours) = books.entry(b.name.clone()).or_default();
                        book.push(q, outcome);
                        ours.push(p.forecast, outcome);
                    }
                }
            }
        }
        Self {
            args,
            label: reports
                .first()
                .map_or_else(|| args.model.to_string(), |r| r.model.clone()),
            refits: reports.iter().map(|r| r.refits).sum(),
            overall: overall.summary(),
            per_competition: competitions
                .iter()
                .zip(reports)
                .map(|(c, r)| (c.name.as_str(), r.metrics))
                .collect(),
            bookmakers: books
                .into_iter()
                .map(|(name, (book, ours))| (name, (book.summary(), ours.summary())))
                .collect(),
            dataset,
        }
    }

    fn to_json(&self, seconds: f64, load_seconds: f64) -> Value {
        let m = &self.overall;
        let bookmakers: serde_json::Map<String, Value> = self
            .bookmakers
            .iter()
            .map(|(name, (book, ours))| {
                (
                    name.clone(),
                    json!({
                        "matches": book.matches,
                        "rps": book.rps,
                        "brier": book.brier,
                        "log_loss": book.log_loss,
                        "accuracy": book.accuracy,
                        "ece": book.ece,
                        "model_on_same_matches": metrics_json(ours),
                    }),
                )
            })
            .collect();
        json!({
            "model": self.args.model.as_str(),
            "forecaster": self.label,
            "matches": m.matches,
            "rps": m.rps,
            "brier": m.brier,
            "log_loss": m.log_loss,
            "accuracy": m.accuracy,
            "ece": m.ece,
            "bookmakers": bookmakers,
            "devig": "proportional",
            "from": self.args.from,
            "to": self.args.to,
            "refit": self.args.refit.as_str(),
            "history": history_label(self.args.history),
            "refits": self.refits,
            "competitions": self.per_competition.iter().map(|(name, m)| {
                let mut object = metrics_json(m);
                object["competition"] = json!(name);
                object
            }).collect::<Vec<_>>(),
            "files": self.dataset.files,
            "skipped_files": self.dataset.skipped_files,
            "rejected_rows": self.dataset.rejected_rows,
            "unplayed_skipped": self.dataset.unplayed,
            "duplicates_merged": self.dataset.duplicates,
            "seconds": seconds,
            "load_seconds": load_seconds,
        })
    }

    fn print_table(&self, seconds: f64) {
        let names: Vec<&str> = self.per_competition.iter().map(|(n, _)| *n).collect();
        println!(
            "{} from {} to {}, refit {}, history {}: {} refits over {}",
            self.args.model,
            self.args.from,
            self.args.to,
            self.args.refit.as_str(),
            history_label(self.args.history),
            self.refits,
            names.join(", ")
        );
        println!(
            "{:<24} {:>7} {:>8} {:>7} {:>8} {:>8} {:>6} {:>8}  {:>10}",
            "forecaster", "matches", "RPS", "Brier", "log loss", "accuracy", "ECE", "wall", "model RPS"
        );
        let row = |name: &str, m: &ForecastMetrics| {
            format!(
                "{name:<24} {:>7} {:>8.5} {:>7.4} {:>8.4} {:>8.3} {:>6.3}",
                m.matches, m.rps, m.brier, m.log_loss, m.accuracy, m.ece
            )
        };
        println!("{} {:>7.2}s", row(&self.label, &self.overall), seconds);
        for (name, (book, ours)) in &self.bookmakers {
            println!("{} {:>8}  {:>10.5}", row(name, book), "", ours.rps);
        }
        if !self.bookmakers.is_empty() {
            println!(
                "(bookmakers de-vigged proportionally; model RPS = the model on the matches each priced)"
            );
        }
        if self.per_competition.len() > 1 {
            for (name, m) in &self.per_competition {
                println!("  {}", row(name, m));
            }
        }
        for f in &self.dataset.skipped_files {
            println!("  skipped {f}");
        }
    }
}

fn metrics_json(m: &ForecastMetrics) -> Value {
    json!({
        "matches": m.matches,
        "rps": m.rps,
        "brier": m.brier,
        "log_loss": m.log_loss,
        "accuracy": m.accuracy,
        "ece": m.ece,
    })
}

fn display(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn history_flags() {
        assert_eq!(parse_history("3s").unwrap(), HistoryWindow::Seasons(3));
        assert_eq!(parse_history("1100d").unwrap(), HistoryWindow::Days(1100));
        assert_eq!(parse_history("all").unwrap(), HistoryWindow::All);
        assert!(parse_history("0d").is_err());
        assert!(parse_history("three").is_err());
        assert_eq!(parse_history(DEFAULT_HISTORY).unwrap(), HistoryWindow::Seasons(4));
    }

    #[test]
    fn devig_is_proportional() {
        let odds = BookmakerOdds {
            bookmaker: "bet365".into(),
            home: 2.0,
            draw: 3.5,
            away: 4.0,
        };
        let p = devig(&odds).unwrap();
        let total = 0.5 + 1.0 / 3.5 + 0.25;
        assert!((p.home - 0.5 / total).abs() < 1e-12);
        assert!((p.home + p.draw + p.away - 1.0).abs() < 1e-12);
    }
}
