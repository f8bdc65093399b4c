//! `pundit train`: fit and record a model version per competition, with a backtest of the last season.

use pundit_model::ModelName;
use tokio_util::sync::CancellationToken;

use super::progress;
use crate::{app, config::Config, forecasts::train, matches::store};

pub async fn run(
    config: Config,
    competition: Option<&str>,
    model: ModelName,
    as_json: bool,
) -> anyhow::Result<()> {
    let state = app::build_state(config, CancellationToken::new()).await?;
    let only = match competition {
        Some(key) => Some(
            store::competition(&state.db, key)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no competition {key:?}"))?,
        ),
        None => None,
    };
    let targets = train::targets(&state.db, only).await?;
    anyhow::ensure!(
        !targets.is_empty(),
        "no competitions to train on (try `pundit import` first)"
    );
    let bar = progress::bar(targets.len() as u64, "training", as_json);
    let results = train::train(&state, &targets, model, &|done, _| bar.set_position(done as u64)).await;
    bar.finish_and_clear();
    state.shutdown.cancel();
    if as_json {
        println!(
            "{}",
            serde_json::json!({ "model": model.as_str(), "competitions": results })
        );
        return Ok(());
    }
    println!(
        "{:<32} {:>8} {:>8} {:>9} {:>8}",
        "competition", "version", "matches", "last RPS", "tested"
    );
    for r in &results {
        match &r.error {
            Some(e) => println!("{:<32} failed: {e}", r.competition),
            None => {
                let metric = |k: &str| {
                    r.backtest
                        .as_ref()
                        .and_then(|b| b.get(k))
                        .and_then(serde_json::Value::as_f64)
                };
                println!(
                    "{:<32} {:>8} {:>8} {:>9} {:>8}",
                    r.competition,
                    r.version.map_or_else(|| "-".into(), |v| v.to_string()),
                    r.matches,
                    metric("rps").map_or_else(|| "-".into(), |v| format!("{v:.4}")),
                    metric("matches").map_or_else(|| "-".into(), |v| format!("{v:.0}")),
                );
            }
        }
    }
    Ok(())
}
