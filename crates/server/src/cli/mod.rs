//! The `pundit` command line: `serve` (the default), `migrate`, `user create`, `import`, `backtest`,
//! `train`, `predict`, `simulate`.
#![allow(clippy::print_stdout)] // printing results is what a CLI is for

mod backtest;
mod import;
mod predict;
mod progress;
mod simulate;
mod train;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use pundit_model::ModelName;
use tokio_util::sync::CancellationToken;

use crate::{app, auth::service, config::Config, db, telemetry, users::types::Role};

#[derive(Parser)]
#[command(
    name = "pundit",
    version,
    about = "Football forecasts, the prediction game and live data"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the HTTP server (default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Import football-data.co.uk or international results CSV files (files or folders).
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Walk-forward backtest of a model on football-data.co.uk CSVs, next to the bookmakers.
    Backtest(backtest::BacktestArgs),
    /// Fit a model per competition from the database, record versions, backtest the last season.
    Train {
        /// Competition slug or id; every league when omitted.
        #[arg(long)]
        competition: Option<String>,
        #[arg(long, default_value = "best")]
        model: ModelName,
        #[arg(long)]
        json: bool,
    },
    /// Forecast one match between two teams of a competition with its current model.
    Predict {
        #[arg(long)]
        competition: String,
        #[arg(long)]
        home: String,
        #[arg(long)]
        away: String,
        #[arg(long, default_value = "best")]
        model: ModelName,
        #[arg(long)]
        json: bool,
    },
    /// Simulate the rest of a season: position, title, top-4 and relegation probabilities.
    Simulate {
        #[arg(long)]
        competition: String,
        /// Season name such as 2023-24 (default: the latest).
        #[arg(long)]
        season: Option<String>,
        /// Treat results on or after this date as unplayed (YYYY-MM-DD; default today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        #[arg(long, default_value_t = 10_000)]
        runs: u32,
        #[arg(long, default_value = "best")]
        model: ModelName,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account with any role (bootstraps the first admin).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// Read from PUNDIT_USER_PASSWORD when omitted, to keep it out of shell history.
        #[arg(long, env = "PUNDIT_USER_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long, default_value = "user")]
        role: Role,
    },
}

/// Entry point of the binary: returns the process exit code.
pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("pundit: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let _guard = telemetry::init(&config);
    crate::outbound::install_tls_provider();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pundit: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(run(cli.command.unwrap_or(Command::Serve), config));
    // Dropping the runtime would wait for every blocking task, such as a model fit in progress.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("pundit: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let bind = config.bind;
            let state = app::build_state(config, CancellationToken::new()).await?;
            let listener = app::listen(bind).map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
            tracing::info!("listening on http://{bind} (API docs at http://{bind}/docs)");
            app::serve(state, listener, app::shutdown_signal()).await
        }
        Command::Migrate => {
            let db = db::connect(&config).await?;
            db::migrate(&db, &config).await?;
            tracing::info!(database = db::backend_name(&db), "migrations applied");
            Ok(())
        }
        Command::Import { paths, json } => import::run(&config, &paths, json).await,
        Command::Backtest(args) => backtest::run(&args),
        Command::Train {
            competition,
            model,
            json,
        } => train::run(config, competition.as_deref(), model, json).await,
        Command::Predict {
            competition,
            home,
            away,
            model,
            json,
        } => predict::run(config, &competition, &home, &away, model, json).await,
        Command::Simulate {
            competition,
            season,
            as_of,
            runs,
            model,
            json,
        } => {
            simulate::run(
                config,
                simulate::Options {
                    competition,
                    season,
                    as_of,
                    runs,
                    model,
                    json,
                },
            )
            .await
        }
        Command::User(UserCommand::Create {
            username,
            email,
            password,
            role,
        }) => {
            let db = db::connect(&config).await?;
            db::migrate(&db, &config).await?;
            let user = service::create_user(&db, &email, &username, &password, role)
                .await
                .map_err(|e| anyhow::anyhow!("{} ({})", e, e.code()))?;
            tracing::info!(user_id = %user.id, role = role.as_str(), "user created");
            println!(
                "{}",
                serde_json::json!({ "id": user.id, "username": user.username, "role": user.role })
            );
            Ok(())
        }
    }
}
