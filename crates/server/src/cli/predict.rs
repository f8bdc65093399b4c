//! `pundit predict`: one match's forecast from the current model of a competition.

use anyhow::{Context, bail};
use pundit_model::ModelName;
use tokio_util::sync::CancellationToken;

use crate::{app, config::Config, forecasts::service, matches::store};

pub async fn run(
    config: Config,
    competition: &str,
    home: &str,
    away: &str,
    model: ModelName,
    as_json: bool,
) -> anyhow::Result<()> {
    let state = app::build_state(config, CancellationToken::new()).await?;
    let competition = store::competition(&state.db, competition)
        .await?
        .with_context(|| format!("no competition {competition:?} (try `pundit import` first)"))?;
    let home = team_name(&state, home).await?;
    let away = team_name(&state, away).await?;
    if home == away {
        bail!("a team cannot play itself");
    }
    let fitted = state
        .forecasts
        .fitted(&state.db, competition.id, model, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let forecast = service::compute(&fitted, &home, &away, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    state.shutdown.cancel();
    if as_json {
        println!("{}", serde_json::to_string(&forecast)?);
        return Ok(());
    }
    let p = forecast.probabilities;
    println!(
        "{home} v {away} — {} ({model}, fitted on {} matches up to {})",
        competition.name, fitted.matches, fitted.as_of
    );
    println!(
        "  home {:>5.1}%   draw {:>5.1}%   away {:>5.1}%",
        p.home * 100.0,
        p.draw * 100.0,
        p.away * 100.0
    );
    if let Some(i) = forecast.intervals {
        println!(
            "  95%: home {:.0}–{:.0}%, draw {:.0}–{:.0}%, away {:.0}–{:.0}%",
            i.home.lower * 100.0,
            i.home.upper * 100.0,
            i.draw.lower * 100.0,
            i.draw.upper * 100.0,
            i.away.lower * 100.0,
            i.away.upper * 100.0
        );
    }
    if let Some(xg) = forecast.expected_goals {
        println!("  expected goals {:.2} – {:.2}", xg.home, xg.away);
    }
    let scores: Vec<String> = forecast
        .top_scores
        .iter()
        .take(5)
        .map(|s| format!("{}-{} {:.1}%", s.home, s.away, s.probability * 100.0))
        .collect();
    if !scores.is_empty() {
        println!("  likeliest scores: {}", scores.join(", "));
    }
    if let Some(ou) = forecast.over_under.iter().find(|o| (o.line - 2.5).abs() < 1e-9) {
        println!(
            "  over 2.5 {:.1}%   under 2.5 {:.1}%",
            ou.over * 100.0,
            ou.under * 100.0
        );
    }
    if let Some(btts) = forecast.both_teams_to_score {
        println!("  both teams to score {:.1}%", btts.yes * 100.0);
    }
    Ok(())
}

/// The stored team for a name as people write it ("Manchester United", "man utd").
async fn team_name(state: &crate::state::AppState, name: &str) -> anyhow::Result<String> {
    let canonical = pundit_data::canonical_name(name).into_owned();
    for candidate in [canonical.as_str(), name] {
        let (teams, _) = store::teams(&state.db, Some(candidate), None, 1, 50).await?;
        let slug = pundit_data::slugify(candidate);
        if let Some(team) = teams.iter().find(|t| t.slug == slug) {
            return Ok(team.name.clone());
        }
    }
    bail!("no team called {name:?}")
}
