//! Database access: one code path for SQLite (embedded default) and PostgreSQL.

pub mod entities;
pub mod migrations;

use std::time::Duration;

use anyhow::Context;
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, RuntimeErr, SqlErr,
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
};
use sea_orm_migration::MigratorTrait;

use crate::{config::Config, error::ApiError};

pub use migrations::Migrator;

/// The database URL this config points at: `DATABASE_URL`, or a SQLite file in the data dir.
pub fn database_url(config: &Config) -> anyhow::Result<String> {
    if let Some(url) = &config.database_url {
        return Ok(url.expose().to_string());
    }
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data dir {}", config.data_dir.display()))?;
    let path = config.data_dir.join("pundit.db");
    Ok(format!("sqlite://{}?mode=rwc", path.display()))
}

/// Opens the pool. SQLite settings go on every pooled connection, not once after opening.
pub async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let url = database_url(config)?;
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(config.database_max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .idle_timeout(Duration::from_secs(300))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(sqlite_options);
    let db = sea_orm::Database::connect(options)
        .await
        .with_context(|| format!("cannot connect to the database ({})", redact(&url)))?;
    Ok(db)
}

fn sqlite_options(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("database migration failed")
}

pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => "postgres",
        DatabaseBackend::Sqlite => "sqlite",
        _ => "other",
    }
}

/// Connections open and idle, for the metrics endpoint.
pub fn pool_stats(db: &DatabaseConnection) -> (u32, usize) {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    }
}

/// Maps database failures to API errors in one place: constraint violations are the client's
/// conflict, an unreachable database is a 503, everything else an internal error.
pub fn classify(err: DbErr) -> ApiError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            return ApiError::Conflict {
                code: "conflict",
                message: "the resource already exists".into(),
            };
        }
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
            return ApiError::invalid_field(
                "reference",
                "unknown_reference",
                "a referenced resource does not exist",
            );
        }
        _ => {}
    }
    match &err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
            ApiError::Unavailable("the database is unavailable".into())
        }
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))
            if matches!(
                e.as_ref(),
                sea_orm::sqlx::Error::Io(_)
                    | sea_orm::sqlx::Error::PoolTimedOut
                    | sea_orm::sqlx::Error::PoolClosed
            ) =>
        {
            ApiError::Unavailable("the database is unavailable".into())
        }
        _ => ApiError::Internal(anyhow::Error::new(err)),
    }
}

/// Hides the password part of a URL for logs and errors.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***{}", &url[..scheme_end], &url[at..])
        }
        _ => url.to_string(),
    }
}
