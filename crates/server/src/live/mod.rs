//! Live data: providers (ESPN scoreboards, Open-Meteo weather, RSS/Atom news), the polling
//! scheduler, replays of finished matches, and the live endpoints.

pub mod espn;
pub mod handlers;
pub mod poller;
pub mod provider;
pub mod replay;
pub mod snapshot;
pub mod sync;

use std::{sync::Arc, time::Duration};

use utoipa_axum::{router::OpenApiRouter, routes};

pub use provider::Provider;

use crate::{config::Config, state::AppState};

/// The live-data providers of this instance.
pub struct Live {
    pub espn: Arc<Provider>,
    pub weather: Arc<Provider>,
    /// One provider per configured feed URL.
    pub news: Vec<Arc<Provider>>,
}

impl Live {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let timeout = config.provider_timeout;
        let news = config
            .news_feeds
            .iter()
            .map(|url| Provider::new("news", url, timeout, Duration::from_secs(1)))
            .collect::<anyhow::Result<_>>()?;
        Ok(Self {
            // ESPN's public API has no published limit; a few calls a second is polite.
            espn: Provider::new("espn", &config.espn_base_url, timeout, Duration::from_millis(250))?,
            weather: Provider::new(
                "open-meteo",
                &config.open_meteo_base_url,
                timeout,
                Duration::from_millis(100),
            )?,
            news,
        })
    }

    pub fn providers(&self) -> Vec<&Arc<Provider>> {
        [&self.espn, &self.weather]
            .into_iter()
            .chain(self.news.iter())
            .collect()
    }
}

/// Mounted at `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::match_live))
        .routes(routes!(handlers::match_weather))
        .routes(routes!(handlers::match_news))
        .routes(routes!(handlers::team_news))
        .routes(routes!(handlers::providers))
        .routes(routes!(handlers::poll_now))
        .routes(routes!(handlers::start_replay))
        .routes(routes!(handlers::update_team))
}

/// Starts the polling scheduler when enabled.
pub fn start(state: &AppState) {
    if state.config.live_polling {
        poller::start(state.clone(), state.live.clone());
    }
}
