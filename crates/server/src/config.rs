//! Configuration: an optional `pundit.toml`, overridden by environment variables.
//! Passed into the app explicitly; nothing reads the environment after start-up.

use std::{fmt, net::SocketAddr, path::PathBuf, time::Duration};

use serde::Deserialize;

/// A secret string that never prints.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

/// Request budgets; each is a count per fixed window of `window`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct RateLimits {
    /// Requests per client IP to `/api/v1/auth/*` per window.
    pub auth_per_ip: u64,
    /// Requests per user, API key or anonymous IP to the rest of the API per window.
    pub api_per_client: u64,
    #[serde(with = "seconds")]
    pub window: Duration,
    /// Failed logins for one account before it is locked.
    pub lockout_failures: u64,
    #[serde(with = "seconds")]
    pub lockout_window: Duration,
    /// Tighter budgets for routes under a path prefix, per client per window.
    pub routes: Vec<(String, u64)>,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            auth_per_ip: 30,
            api_per_client: 1200,
            window: Duration::from_secs(60),
            lockout_failures: 5,
            lockout_window: Duration::from_secs(15 * 60),
            routes: Vec::new(),
        }
    }
}

/// Points a scored pick earns in the prediction game (probability picks are judged by RPS instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PickPoints {
    /// An exact-score pick that is exactly right (in total: it does not also earn `result`).
    pub exact_score: u32,
    /// A right home/draw/away pick.
    pub result: u32,
    /// A right over/under pick.
    pub over_under: u32,
}

impl Default for PickPoints {
    fn default() -> Self {
        Self {
            exact_score: 3,
            result: 1,
            over_under: 1,
        }
    }
}

/// Thresholds of model monitoring: drift detection and A/B test verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default)]
pub struct MonitoringConfig {
    /// Out-of-sample finished matches a version needs before drift is judged.
    pub drift_min_matches: usize,
    /// Matches in the latest window that drift checks look at.
    pub drift_window_matches: usize,
    /// Rise of the window's RPS over the version's baseline that warns (twice it: critical).
    pub drift_rps_delta: f64,
    /// Rise of the window's calibration error (ECE) over the baseline that warns (twice: critical).
    pub drift_ece_delta: f64,
    /// Relative change of goals per match against the training data that warns (twice: critical).
    pub drift_goal_rate_delta: f64,
    /// Significance level of A/B verdicts.
    pub ab_alpha: f64,
    /// Paired matches an A/B test needs before it gives a verdict.
    pub ab_min_matches: usize,
}

impl Default for MonitoringConfig {
    fn default() -> Self {
        Self {
            drift_min_matches: 30,
            drift_window_matches: 100,
            drift_rps_delta: 0.02,
            drift_ece_delta: 0.05,
            drift_goal_rate_delta: 0.15,
            ab_alpha: 0.05,
            ab_min_matches: 30,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Config {
    pub env: Environment,
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// `None` means the embedded SQLite database in `data_dir`.
    pub database_url: Option<Secret>,
    pub database_max_connections: u32,
    /// `None` means the in-process cache and event bus.
    pub redis_url: Option<Secret>,
    /// Prefix for every Redis key and channel, so several deployments (or tests) can share one Redis.
    pub redis_namespace: String,
    pub jwt_secret: Option<Secret>,
    #[serde(with = "seconds")]
    pub access_token_ttl: Duration,
    #[serde(with = "seconds")]
    pub refresh_token_ttl: Duration,
    pub cors_origins: Vec<String>,
    /// Trust the first `X-Forwarded-For` address as the client IP (only behind a proxy you run).
    pub trust_proxy: bool,
    pub body_limit_bytes: usize,
    pub rate_limits: RateLimits,
    pub log_format: LogFormat,
    pub log_dir: Option<PathBuf>,
    /// Import the bundled demo seasons into an empty database at start. Defaults to on for the
    /// embedded SQLite database and off when `DATABASE_URL` is set.
    pub demo_data: bool,
    /// Base URL of an external ML service offered as the `remote` model.
    pub ml_service_url: Option<String>,
    /// Most Socket.IO connections one instance accepts.
    pub max_sockets: usize,
    /// Poll live-data providers (only leagues with live or imminent matches poll often).
    pub live_polling: bool,
    #[serde(with = "seconds")]
    pub live_poll_interval: Duration,
    #[serde(with = "seconds")]
    pub live_upcoming_interval: Duration,
    #[serde(with = "seconds")]
    pub provider_timeout: Duration,
    /// How long a live scoreboard answer is reused before asking the provider again.
    #[serde(with = "seconds")]
    pub live_cache_ttl: Duration,
    pub espn_base_url: String,
    pub open_meteo_base_url: String,
    /// RSS/Atom feed URLs for team news.
    pub news_feeds: Vec<String>,
    /// How often external dependencies are health-checked.
    #[serde(with = "seconds")]
    pub gateway_check_interval: Duration,
    #[serde(with = "seconds")]
    pub ml_service_timeout: Duration,
    /// `smtp://user:pass@host:port` (plain), `?tls=required` for STARTTLS, or `smtps://` for
    /// implicit TLS. `None` means no email is sent.
    pub smtp_url: Option<Secret>,
    /// The From header of notification emails.
    pub smtp_from: String,
    /// Points of the prediction game.
    pub points: PickPoints,
    /// How often picks of finished matches that no hook scored (CSV imports from the CLI) are
    /// looked for; zero turns the sweep off.
    #[serde(with = "seconds")]
    pub scoring_sweep_interval: Duration,
    /// Agent task workers on this instance; zero runs none (the API still queues tasks).
    pub agent_workers: usize,
    /// How long a claimed agent task is held before another worker may take it over.
    #[serde(with = "seconds")]
    pub agent_lease: Duration,
    /// How often idle workers look for due tasks queued by other instances.
    #[serde(with = "seconds")]
    pub agent_poll_interval: Duration,
    /// Base URL of a remote Agent OS; agents of kind `remote` delegate their tasks to it.
    pub agent_os_url: Option<String>,
    #[serde(with = "seconds")]
    pub agent_os_timeout: Duration,
    /// Base URL of an Ollama server that writes match insights; `None` means the deterministic
    /// writer only.
    pub ollama_url: Option<String>,
    /// The Ollama model that writes insights.
    pub ollama_model: String,
    /// Longest an insight may take to write before the deterministic writer steps in.
    #[serde(with = "seconds")]
    pub ollama_timeout: Duration,
    /// Most tokens the LLM may write for one insight.
    pub insight_max_tokens: u32,
    /// Drift thresholds and A/B test settings.
    pub monitoring: MonitoringConfig,
    /// Base URL of an OTLP/HTTP collector that receives request traces; `None` exports nothing.
    pub otlp_endpoint: Option<String>,
    /// Extra headers on trace exports (an auth token, a tenant id).
    pub otlp_headers: Vec<(String, Secret)>,
    /// How often buffered spans are sent to the collector.
    #[serde(with = "seconds")]
    pub otlp_flush_interval: Duration,
    /// `service.name` of exported traces.
    pub service_name: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            env: Environment::Development,
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("pundit-data"),
            database_url: None,
            database_max_connections: 16,
            redis_url: None,
            redis_namespace: "pundit".into(),
            jwt_secret: None,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            cors_origins: Vec::new(),
            trust_proxy: false,
            body_limit_bytes: 1024 * 1024,
            rate_limits: RateLimits::default(),
            log_format: LogFormat::Pretty,
            log_dir: None,
            demo_data: true,
            ml_service_url: None,
            max_sockets: 10_000,
            live_polling: true,
            live_poll_interval: Duration::from_secs(15),
            live_upcoming_interval: Duration::from_secs(600),
            provider_timeout: Duration::from_secs(5),
            live_cache_ttl: Duration::from_secs(10),
            espn_base_url: "https://site.api.espn.com/apis/site/v2/sports/soccer".into(),
            open_meteo_base_url: "https://api.open-meteo.com/v1".into(),
            news_feeds: vec!["https://feeds.bbci.co.uk/sport/football/rss.xml".into()],
            gateway_check_interval: Duration::from_secs(60),
            ml_service_timeout: Duration::from_secs(3),
            smtp_url: None,
            smtp_from: "Pundit <noreply@pundit.local>".into(),
            points: PickPoints::default(),
            scoring_sweep_interval: Duration::from_secs(60),
            agent_workers: 2,
            agent_lease: Duration::from_secs(30),
            agent_poll_interval: Duration::from_secs(1),
            agent_os_url: None,
            agent_os_timeout: Duration::from_secs(10),
            ollama_url: None,
            ollama_model: "gemma3:4b".into(),
            ollama_timeout: Duration::from_secs(20),
            insight_max_tokens: 300,
            monitoring: MonitoringConfig::default(),
            otlp_endpoint: None,
            otlp_headers: Vec::new(),
            otlp_flush_interval: Duration::from_secs(5),
            service_name: "pundit".into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("invalid config file {path}: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error("environment variable {name}: {message}")]
    Env { name: &'static str, message: String },
}

/// Every environment variable Pundit reads, with its meaning (the README table mirrors this).
pub const ENV_VARS: &[(&str, &str)] = &[
    (
        "PUNDIT_CONFIG",
        "path of an optional TOML config file (default ./pundit.toml)",
    ),
    ("PUNDIT_ENV", "development (default) or production"),
    ("PUNDIT_BIND", "listen address, default 127.0.0.1:8080"),
    (
        "PUNDIT_DATA_DIR",
        "data directory for SQLite and generated secrets, default ./pundit-data",
    ),
    (
        "DATABASE_URL",
        "postgres://... or sqlite://...; default SQLite in the data dir",
    ),
    ("PUNDIT_DB_MAX_CONNECTIONS", "database pool size, default 16"),
    (
        "REDIS_URL",
        "redis://...; enables the shared cache, pub/sub bus and rate limits",
    ),
    (
        "PUNDIT_REDIS_NAMESPACE",
        "prefix of Redis keys and channels, default pundit",
    ),
    ("JWT_SECRET", "HS256 signing secret, at least 32 bytes"),
    (
        "PUNDIT_ACCESS_TOKEN_TTL_SECS",
        "access token lifetime, default 900",
    ),
    (
        "PUNDIT_REFRESH_TOKEN_TTL_SECS",
        "refresh token lifetime, default 2592000 (30 days)",
    ),
    (
        "PUNDIT_CORS_ORIGINS",
        "comma-separated origins allowed by CORS, default none",
    ),
    (
        "PUNDIT_TRUST_PROXY",
        "true to take the client IP from X-Forwarded-For",
    ),
    (
        "PUNDIT_BODY_LIMIT_BYTES",
        "largest accepted request body, default 1048576",
    ),
    (
        "PUNDIT_RATE_LIMIT_AUTH",
        "auth requests per IP per window, default 30",
    ),
    (
        "PUNDIT_RATE_LIMIT_API",
        "API requests per client per window, default 1200",
    ),
    ("PUNDIT_RATE_LIMIT_WINDOW_SECS", "rate-limit window, default 60"),
    (
        "PUNDIT_RATE_LIMIT_ROUTES",
        "per-route budgets, e.g. /api/v1/predictions/ml/batch-predict=60",
    ),
    (
        "PUNDIT_LOCKOUT_FAILURES",
        "failed logins before an account locks, default 5",
    ),
    (
        "PUNDIT_LOCKOUT_WINDOW_SECS",
        "lockout window and duration, default 900",
    ),
    (
        "PUNDIT_DEMO_DATA",
        "import the bundled demo seasons into an empty database (default: true on SQLite)",
    ),
    ("PUNDIT_LIVE_POLLING", "poll live-data providers, default true"),
    (
        "PUNDIT_LIVE_POLL_SECS",
        "poll interval for leagues with live or imminent matches, default 15",
    ),
    (
        "PUNDIT_UPCOMING_POLL_SECS",
        "poll interval for the next days' fixtures, default 600",
    ),
    (
        "PUNDIT_PROVIDER_TIMEOUT_SECS",
        "timeout of live-data provider calls, default 5",
    ),
    (
        "ESPN_BASE_URL",
        "ESPN soccer API base, default https://site.api.espn.com/apis/site/v2/sports/soccer",
    ),
    (
        "OPEN_METEO_BASE_URL",
        "Open-Meteo API base, default https://api.open-meteo.com/v1",
    ),
    (
        "PUNDIT_NEWS_FEEDS",
        "comma-separated RSS/Atom feed URLs for team news (default: BBC Sport football)",
    ),
    (
        "PUNDIT_MAX_SOCKETS",
        "most Socket.IO connections per instance, default 10000",
    ),
    (
        "ML_SERVICE_URL",
        "external ML service offered as the `remote` model (unset: not offered)",
    ),
    (
        "ML_SERVICE_TIMEOUT_SECS",
        "timeout of remote-model calls, default 3",
    ),
    (
        "SMTP_URL",
        "smtp://[user:pass@]host:port for notification emails (?tls=required for STARTTLS, smtps:// for TLS); unset: no email",
    ),
    (
        "SMTP_FROM",
        "From address of notification emails, default Pundit <noreply@pundit.local>",
    ),
    (
        "PUNDIT_POINTS_EXACT_SCORE",
        "points for an exactly right exact-score pick, default 3",
    ),
    (
        "PUNDIT_POINTS_RESULT",
        "points for a right result pick, default 1",
    ),
    (
        "PUNDIT_POINTS_OVER_UNDER",
        "points for a right over/under pick, default 1",
    ),
    (
        "PUNDIT_SCORING_SWEEP_SECS",
        "how often unscored picks of finished matches are looked for, default 60 (0: off)",
    ),
    (
        "PUNDIT_AGENT_WORKERS",
        "agent task workers on this instance, default 2 (0: none)",
    ),
    (
        "PUNDIT_AGENT_LEASE_SECS",
        "lease on a claimed agent task before another worker may retake it, default 30",
    ),
    (
        "PUNDIT_AGENT_POLL_SECS",
        "how often idle agent workers look for due tasks, default 1",
    ),
    (
        "AGENT_OS_URL",
        "base URL of a remote Agent OS for agents of kind remote",
    ),
    (
        "PUNDIT_AGENT_OS_TIMEOUT_SECS",
        "timeout of remote Agent OS calls, default 10",
    ),
    (
        "OLLAMA_URL",
        "Ollama server that writes match insights, e.g. http://127.0.0.1:11434 (unset: deterministic insights only)",
    ),
    ("OLLAMA_MODEL", "Ollama model for insights, default gemma3:4b"),
    (
        "PUNDIT_OLLAMA_TIMEOUT_SECS",
        "longest an LLM insight may take before the deterministic writer is used, default 20",
    ),
    (
        "PUNDIT_INSIGHT_MAX_TOKENS",
        "most tokens the LLM writes per insight, default 300",
    ),
    (
        "PUNDIT_DRIFT_MIN_MATCHES",
        "out-of-sample results a model version needs before drift is judged, default 30",
    ),
    (
        "PUNDIT_DRIFT_WINDOW_MATCHES",
        "latest finished matches a drift check looks at, default 100",
    ),
    (
        "PUNDIT_DRIFT_RPS_DELTA",
        "RPS rise over the version's backtest that warns, default 0.02 (twice: critical)",
    ),
    (
        "PUNDIT_DRIFT_ECE_DELTA",
        "calibration error rise that warns, default 0.05 (twice: critical)",
    ),
    (
        "PUNDIT_DRIFT_GOAL_RATE_DELTA",
        "relative change of goals per match that warns, default 0.15 (twice: critical)",
    ),
    (
        "PUNDIT_AB_ALPHA",
        "significance level of A/B test verdicts, default 0.05",
    ),
    (
        "PUNDIT_AB_MIN_MATCHES",
        "paired matches an A/B test needs for a verdict, default 30",
    ),
    (
        "PUNDIT_OTLP_ENDPOINT",
        "OTLP/HTTP collector base URL for trace export, e.g. http://127.0.0.1:4318 (unset: off)",
    ),
    (
        "PUNDIT_OTLP_HEADERS",
        "comma-separated name=value headers sent with trace exports, e.g. authorization=Bearer x",
    ),
    (
        "PUNDIT_OTLP_FLUSH_SECS",
        "how often buffered spans are sent to the collector, default 5",
    ),
    (
        "OTEL_SERVICE_NAME",
        "service.name of exported traces, default pundit",
    ),
    ("PUNDIT_LOG_FORMAT", "pretty (default) or json"),
    ("PUNDIT_LOG_DIR", "write daily-rotated log files here as well"),
    ("RUST_LOG", "log filter, default info"),
];

impl Config {
    /// Loads `pundit.toml` (or `$PUNDIT_CONFIG`) if present, then applies environment overrides.
    pub fn load() -> Result<Self, ConfigError> {
        let lookup = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let path = lookup("PUNDIT_CONFIG").map_or_else(|| PathBuf::from("pundit.toml"), PathBuf::from);
        let mut config = if path.exists() {
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
            toml::from_str(&text).map_err(|source| ConfigError::Parse {
                path,
                source: Box::new(source),
            })?
        } else {
            Config::default()
        };
        config.apply_env(lookup)?;
        Ok(config)
    }

    /// Applies overrides from a variable lookup (the process environment in production, a map in tests).
    pub fn apply_env(&mut self, lookup: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(name: &'static str, value: &str) -> Result<T, ConfigError>
        where
            T::Err: fmt::Display,
        {
            value.trim().parse().map_err(|e: T::Err| ConfigError::Env {
                name,
                message: e.to_string(),
            })
        }
        let secs = |name: &'static str, value: &str| parse::<u64>(name, value).map(Duration::from_secs);

        if let Some(v) = lookup("PUNDIT_ENV") {
            self.env = match v.trim().to_ascii_lowercase().as_str() {
                "production" | "prod" => Environment::Production,
                "development" | "dev" => Environment::Development,
                other => {
                    return Err(ConfigError::Env {
                        name: "PUNDIT_ENV",
                        message: format!("expected development or production, got {other:?}"),
                    });
                }
            };
        }
        if let Some(v) = lookup("PUNDIT_BIND") {
            self.bind = parse("PUNDIT_BIND", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = lookup("DATABASE_URL") {
            self.database_url = Some(Secret::new(v));
            self.demo_data = false;
        }
        if let Some(v) = lookup("PUNDIT_DB_MAX_CONNECTIONS") {
            self.database_max_connections = parse("PUNDIT_DB_MAX_CONNECTIONS", &v)?;
        }
        if let Some(v) = lookup("REDIS_URL") {
            self.redis_url = Some(Secret::new(v));
        }
        if let Some(v) = lookup("PUNDIT_REDIS_NAMESPACE") {
            self.redis_namespace = v;
        }
        if let Some(v) = lookup("JWT_SECRET") {
            self.jwt_secret = Some(Secret::new(v));
        }
        if let Some(v) = lookup("PUNDIT_ACCESS_TOKEN_TTL_SECS") {
            self.access_token_ttl = secs("PUNDIT_ACCESS_TOKEN_TTL_SECS", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_REFRESH_TOKEN_TTL_SECS") {
            self.refresh_token_ttl = secs("PUNDIT_REFRESH_TOKEN_TTL_SECS", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_CORS_ORIGINS") {
            self.cors_origins = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
        }
        if let Some(v) = lookup("PUNDIT_TRUST_PROXY") {
            self.trust_proxy = parse("PUNDIT_TRUST_PROXY", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_BODY_LIMIT_BYTES") {
            self.body_limit_bytes = parse("PUNDIT_BODY_LIMIT_BYTES", &v)?;
        }
        let limits = &mut self.rate_limits;
        if let Some(v) = lookup("PUNDIT_RATE_LIMIT_AUTH") {
            limits.auth_per_ip = parse("PUNDIT_RATE_LIMIT_AUTH", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_RATE_LIMIT_API") {
            limits.api_per_client = parse("PUNDIT_RATE_LIMIT_API", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_RATE_LIMIT_WINDOW_SECS") {
            limits.window = secs("PUNDIT_RATE_LIMIT_WINDOW_SECS", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_RATE_LIMIT_ROUTES") {
            limits.routes = v
                .split(',')
                .filter(|rule| !rule.trim().is_empty())
                .map(|rule| {
                    let (prefix, limit) = rule.trim().split_once('=').ok_or_else(|| ConfigError::Env {
                        name: "PUNDIT_RATE_LIMIT_ROUTES",
                        message: format!("expected /path/prefix=limit, got {rule:?}"),
                    })?;
                    Ok((
                        prefix.trim().to_string(),
                        parse("PUNDIT_RATE_LIMIT_ROUTES", limit)?,
                    ))
                })
                .collect::<Result<_, ConfigError>>()?;
        }
        if let Some(v) = lookup("PUNDIT_LOCKOUT_FAILURES") {
            limits.lockout_failures = parse("PUNDIT_LOCKOUT_FAILURES", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_LOCKOUT_WINDOW_SECS") {
            limits.lockout_window = secs("PUNDIT_LOCKOUT_WINDOW_SECS", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_LOG_FORMAT") {
            self.log_format = match v.trim().to_ascii_lowercase().as_str() {
                "json" => LogFormat::Json,
                "pretty" | "text" => LogFormat::Pretty,
                other => {
                    return Err(ConfigError::Env {
                        name: "PUNDIT_LOG_FORMAT",
                        message: format!("expected pretty or json, got {other:?}"),
                    });
                }
            };
        }
        if let Some(v) = lookup("PUNDIT_LIVE_POLLING") {
            self.live_polling = parse("PUNDIT_LIVE_POLLING", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_LIVE_POLL_SECS") {
            self.live_poll_interval = secs("PUNDIT_LIVE_POLL_SECS", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_UPCOMING_POLL_SECS") {
            self.live_upcoming_interval = secs("PUNDIT_UPCOMING_POLL_SECS", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_PROVIDER_TIMEOUT_SECS") {
            self.provider_timeout = secs("PUNDIT_PROVIDER_TIMEOUT_SECS", &v)?;
        }
        if let Some(v) = lookup("ESPN_BASE_URL") {
            self.espn_base_url = v.trim().to_string();
        }
        if let Some(v) = lookup("OPEN_METEO_BASE_URL") {
            self.open_meteo_base_url = v.trim().to_string();
        }
        if let Some(v) = lookup("PUNDIT_NEWS_FEEDS") {
            self.news_feeds = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
        }
        if let Some(v) = lookup("PUNDIT_GATEWAY_CHECK_SECS") {
            self.gateway_check_interval = secs("PUNDIT_GATEWAY_CHECK_SECS", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_MAX_SOCKETS") {
            self.max_sockets = parse("PUNDIT_MAX_SOCKETS", &v)?;
        }
        if let Some(v) = lookup("ML_SERVICE_URL") {
            self.ml_service_url = Some(v.trim().to_string());
        }
        if let Some(v) = lookup("ML_SERVICE_TIMEOUT_SECS") {
            self.ml_service_timeout = secs("ML_SERVICE_TIMEOUT_SECS", &v)?;
        }
        if let Some(v) = lookup("SMTP_URL") {
            let v = v.trim();
            if !v.starts_with("smtp://") && !v.starts_with("smtps://") {
                return Err(ConfigError::Env {
                    name: "SMTP_URL",
                    message: "expected an smtp:// or smtps:// URL".into(),
                });
            }
            self.smtp_url = Some(Secret::new(v));
        }
        if let Some(v) = lookup("SMTP_FROM") {
            self.smtp_from = v.trim().to_string();
        }
        if let Some(v) = lookup("PUNDIT_DEMO_DATA") {
            self.demo_data = parse("PUNDIT_DEMO_DATA", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_POINTS_EXACT_SCORE") {
            self.points.exact_score = parse("PUNDIT_POINTS_EXACT_SCORE", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_POINTS_RESULT") {
            self.points.result = parse("PUNDIT_POINTS_RESULT", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_POINTS_OVER_UNDER") {
            self.points.over_under = parse("PUNDIT_POINTS_OVER_UNDER", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_SCORING_SWEEP_SECS") {
            self.scoring_sweep_interval = secs("PUNDIT_SCORING_SWEEP_SECS", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_AGENT_WORKERS") {
            self.agent_workers = parse("PUNDIT_AGENT_WORKERS", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_AGENT_LEASE_SECS") {
            self.agent_lease = secs("PUNDIT_AGENT_LEASE_SECS", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_AGENT_POLL_SECS") {
            self.agent_poll_interval = secs("PUNDIT_AGENT_POLL_SECS", &v)?;
        }
        if let Some(v) = lookup("AGENT_OS_URL") {
            self.agent_os_url = Some(v.trim().to_string()).filter(|v| !v.is_empty());
        }
        if let Some(v) = lookup("PUNDIT_AGENT_OS_TIMEOUT_SECS") {
            self.agent_os_timeout = secs("PUNDIT_AGENT_OS_TIMEOUT_SECS", &v)?;
        }
        if let Some(v) = lookup("OLLAMA_URL") {
            let v = v.trim();
            if !v.starts_with("http://") && !v.starts_with("https://") {
                return Err(ConfigError::Env {
                    name: "OLLAMA_URL",
                    message: "expected an http:// or https:// URL".into(),
                });
            }
            self.ollama_url = Some(v.to_string());
        }
        if let Some(v) = lookup("OLLAMA_MODEL") {
            self.ollama_model = v.trim().to_string();
        }
        if let Some(v) = lookup("PUNDIT_OLLAMA_TIMEOUT_SECS") {
            self.ollama_timeout = secs("PUNDIT_OLLAMA_TIMEOUT_SECS", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_INSIGHT_MAX_TOKENS") {
            self.insight_max_tokens = parse("PUNDIT_INSIGHT_MAX_TOKENS", &v)?;
        }
        let monitoring = &mut self.monitoring;
        if let Some(v) = lookup("PUNDIT_DRIFT_MIN_MATCHES") {
            monitoring.drift_min_matches = parse("PUNDIT_DRIFT_MIN_MATCHES", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_DRIFT_WINDOW_MATCHES") {
            monitoring.drift_window_matches = parse("PUNDIT_DRIFT_WINDOW_MATCHES", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_DRIFT_RPS_DELTA") {
            monitoring.drift_rps_delta = parse("PUNDIT_DRIFT_RPS_DELTA", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_DRIFT_ECE_DELTA") {
            monitoring.drift_ece_delta = parse("PUNDIT_DRIFT_ECE_DELTA", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_DRIFT_GOAL_RATE_DELTA") {
            monitoring.drift_goal_rate_delta = parse("PUNDIT_DRIFT_GOAL_RATE_DELTA", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_AB_ALPHA") {
            let alpha: f64 = parse("PUNDIT_AB_ALPHA", &v)?;
            if !(alpha > 0.0 && alpha < 1.0) {
                return Err(ConfigError::Env {
                    name: "PUNDIT_AB_ALPHA",
                    message: format!("expected a level between 0 and 1, got {alpha}"),
                });
            }
            monitoring.ab_alpha = alpha;
        }
        if let Some(v) = lookup("PUNDIT_AB_MIN_MATCHES") {
            monitoring.ab_min_matches = parse("PUNDIT_AB_MIN_MATCHES", &v)?;
        }
        if let Some(v) = lookup("PUNDIT_OTLP_ENDPOINT") {
            self.otlp_endpoint = Some(otlp_endpoint(&v)?);
        }
        if let Some(v) = lookup("PUNDIT_OTLP_HEADERS") {
            self.otlp_headers = otlp_headers(&v)?;
        }
        if let Some(v) = lookup("PUNDIT_OTLP_FLUSH_SECS") {
            self.otlp_flush_interval = secs("PUNDIT_OTLP_FLUSH_SECS", &v)?;
        }
        if let Some(v) = lookup("OTEL_SERVICE_NAME") {
            self.service_name = v.trim().to_string();
        }
        if let Some(v) = lookup("PUNDIT_LOG_DIR") {
            self.log_dir = Some(PathBuf::from(v));
        }
        Ok(())
    }

    pub fn is_production(&self) -> bool {
        self.env == Environment::Production
    }
}

/// An http(s) base URL; `/v1/traces` is appended when exporting.
fn otlp_endpoint(value: &str) -> Result<String, ConfigError> {
    let value = value.trim().trim_end_matches('/');
    let bad = |message: String| ConfigError::Env {
        name: "PUNDIT_OTLP_ENDPOINT",
        message,
    };
    let url = reqwest::Url::parse(value).map_err(|e| bad(format!("not a URL ({e}): {value:?}")))?;
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
        return Err(bad(format!("expected an http:// or https:// URL, got {value:?}")));
    }
    Ok(value.to_string())
}

/// `name=value,name=value`; checked here so a typo fails at start, not on every export.
fn otlp_headers(value: &str) -> Result<Vec<(String, Secret)>, ConfigError> {
    let bad = |message: String| ConfigError::Env {
        name: "PUNDIT_OTLP_HEADERS",
        message,
    };
    value
        .split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| bad("expected name=value pairs".into()))?;
            let name = name.trim();
            axum::http::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| bad(format!("{name:?} is not a header name")))?;
            // The value may be a token: the error names the header, never the value.
            axum::http::HeaderValue::from_str(value.trim())
                .map_err(|_| bad(format!("the value of {name} is not a valid header value")))?;
            Ok((name.to_ascii_lowercase(), Secret::new(value.trim())))
        })
        .collect()
}

/// Durations in config files are whole seconds.
mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_secs)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn env_overrides_defaults_and_bad_values_name_the_variable() {
        let mut config = Config::default();
        let vars = [
            ("PUNDIT_BIND", "0.0.0.0:9000"),
            ("PUNDIT_CORS_ORIGINS", "https://a.example, https://b.example"),
        ];
        config
            .apply_env(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
            .unwrap();
        assert_eq!(config.bind.port(), 9000);
        assert_eq!(config.cors_origins.len(), 2);

        let err = Config::default()
            .apply_env(|k| (k == "PUNDIT_BIND").then(|| "nope".to_string()))
            .unwrap_err();
        assert!(err.to_string().contains("PUNDIT_BIND"));
    }

    #[test]
    fn otlp_settings_are_checked_at_start() {
        let vars = [
            ("PUNDIT_OTLP_ENDPOINT", "http://collector:4318/"),
            (
                "PUNDIT_OTLP_HEADERS",
                "Authorization=Bearer t0ken, x-scope-orgid=pundit",
            ),
        ];
        let mut config = Config::default();
        config
            .apply_env(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
            .unwrap();
        assert_eq!(config.otlp_endpoint.as_deref(), Some("http://collector:4318"));
        assert_eq!(config.otlp_headers[0].0, "authorization");
        assert_eq!(config.otlp_headers[1].1.expose(), "pundit");

        for (name, value) in [
            ("PUNDIT_OTLP_ENDPOINT", "collector:4318"),
            ("PUNDIT_OTLP_ENDPOINT", "ftp://collector"),
            ("PUNDIT_OTLP_HEADERS", "authorization"),
            ("PUNDIT_OTLP_HEADERS", "bad header=x"),
        ] {
            let err = Config::default()
                .apply_env(|k| (k == name).then(|| value.to_string()))
                .unwrap_err()
                .to_string();
            assert!(err.contains(name), "{err}");
        }
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}

#[cfg(test)]
mod readme {
    /// Every variable Pundit reads is documented in the README's configuration table.
    #[test]
    fn readme_documents_every_env_var() {
        let readme = include_str!("../../../README.md");
        for (name, _) in super::ENV_VARS {
            assert!(
                readme.contains(&format!("| `{name}` |")),
                "README is missing {name}"
            );
        }
    }
}
