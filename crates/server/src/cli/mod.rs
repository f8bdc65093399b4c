//! The `pundit` command line: `serve` (the default), `migrate`, `user create`, `import`.
#![allow(clippy::print_stdout)] // printing results is what a CLI is for

mod import;
mod progress;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
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
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pundit: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), config)) {
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
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
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
