//! `pundit simulate`: Monte Carlo of the rest of a season.

use chrono::NaiveDate;
use pundit_model::ModelName;
use tokio_util::sync::CancellationToken;

use crate::{
    app,
    config::Config,
    forecasts::{simulation, types::SimulationQuery},
};

pub struct Options {
    pub competition: String,
    pub season: Option<String>,
    pub as_of: Option<NaiveDate>,
    pub runs: u32,
    pub model: ModelName,
    pub json: bool,
}

pub async fn run(config: Config, options: Options) -> anyhow::Result<()> {
    let state = app::build_state(config, CancellationToken::new()).await?;
    let query = SimulationQuery {
        season: options.season,
        as_of: options.as_of,
        runs: Some(options.runs),
        model: Some(options.model.as_str().into()),
        ..SimulationQuery::default()
    };
    let projection = simulation::project(&state, &options.competition, &query)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    state.shutdown.cancel();
    if options.json {
        println!("{}", serde_json::to_string(&projection)?);
        return Ok(());
    }
    println!(
        "{} {} from {}: {} seasons, {} fixtures left, {:.0} ms ({})",
        projection.competition,
        projection.season,
        projection.as_of,
        projection.runs,
        projection.remaining_fixtures,
        projection.elapsed_ms,
        projection.model
    );
    println!(
        "{:<22} {:>5} {:>8} {:>7} {:>7} {:>7} {:>7}",
        "team", "pts", "exp pts", "exp pos", "title", "top 4", "releg."
    );
    for t in &projection.teams {
        println!(
            "{:<22} {:>5} {:>8.1} {:>7.1} {:>6.1}% {:>6.1}% {:>6.1}%",
            t.team,
            t.current_points,
            t.expected_points,
            t.expected_position,
            t.title * 100.0,
            t.top * 100.0,
            t.relegation * 100.0
        );
    }
    Ok(())
}
