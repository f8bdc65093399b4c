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
        .map_sqlx_sqlite_opts(sqlite_options)
        .map_sqlx_sqlite_pool_opts(|pool| pool.after_release(discard_if_still_in_transaction))
        // Last line of defence against a transaction nobody will end (see `begin`): PostgreSQL
        // closes the session, releasing its locks, instead of letting writers queue behind it.
        .map_sqlx_postgres_opts(|pg| pg.options([("idle_in_transaction_session_timeout", "60s")]));
    // Instances opening a new SQLite file together race to switch it to WAL, which SQLite
    // refuses at once ("database is locked") instead of waiting: try again shortly.
    let mut attempt = 1;
    loop {
        match sea_orm::Database::connect(options.clone()).await {
            Err(e) if attempt < 5 && e.to_string().contains("database is locked") => {
                tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
                attempt += 1;
            }
            result => {
                return result.with_context(|| format!("cannot connect to the database ({})", redact(&url)));
            }
        }
    }
}

fn sqlite_options(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
}

/// A write that fails on a full disk makes SQLite roll the transaction back by itself, so sqlx's
/// own ROLLBACK fails and it still counts one transaction open. Reused, that connection would turn
/// its next transaction into a savepoint that is never closed, holding the write lock until every
/// other writer times out. Such connections are closed instead of going back to the pool.
fn discard_if_still_in_transaction(
    conn: &mut sea_orm::sqlx::SqliteConnection,
    _: sea_orm::sqlx::pool::PoolConnectionMetadata,
) -> futures_util::future::BoxFuture<'_, Result<bool, sea_orm::sqlx::Error>> {
    use sea_orm::sqlx::Connection;
    Box::pin(async move {
        // Pinging first lets a rollback queued by a dropped transaction finish.
        conn.ping().await?;
        let stuck = conn.is_in_transaction();
        if stuck {
            tracing::warn!("closing a SQLite connection left inside a transaction");
        }
        Ok(!stuck)
    })
}

/// `LIKE 'text%'` with the wildcards in `text` taken literally (`_` is common in names).
pub fn like_prefix(text: &str) -> sea_orm::sea_query::LikeExpr {
    let mut escaped = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    sea_orm::sea_query::LikeExpr::new(escaped).escape('\\')
}

/// Begins a transaction: the one way to, in this crate. BEGIN runs to completion even when the
/// caller is cancelled (a client that disconnects drops its request's future). On PostgreSQL,
/// sqlx 0.9 leaves a connection whose BEGIN was cancelled inside a transaction that nothing ends
/// (transact-rs/sqlx#4393): the next borrowers' writes run in it and keep their row locks, so
/// every other writer of those rows waits forever. A transaction begun for a caller that is gone
/// is dropped, which rolls it back, as any unfinished transaction.
pub async fn begin(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    let db = db.clone();
    #[allow(clippy::disallowed_methods)]
    let started = tokio::spawn(async move { sea_orm::TransactionTrait::begin(&db).await });
    started
        .await
        .map_err(|e| DbErr::Custom(format!("beginning a transaction failed: {e}")))?
}

/// Begins a transaction that will write. On SQLite it takes the write lock first: a transaction
/// that reads and then writes cannot wait for another writer (SQLite answers "database is
/// locked" at once), while one that starts by writing waits its turn under the busy timeout.
pub async fn begin_write(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    let txn = begin(db).await?;
    if txn.get_database_backend() == DatabaseBackend::Sqlite {
        // A write statement that changes nothing, only for its lock.
        txn.execute_unprepared("UPDATE competitions SET id = id WHERE 0")
            .await?;
    }
    Ok(txn)
}

/// Applies pending migrations, one instance at a time: instances that start together would
/// otherwise race to create the same tables. PostgreSQL serialises them with a session advisory
/// lock on a dedicated connection; SQLite with an exclusive lock on a file beside the database.
pub async fn migrate(db: &DatabaseConnection, config: &Config) -> anyhow::Result<()> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        let _lock = match sqlite_path(&database_url(config)?) {
            Some(path) => Some(lock_file(path.with_extension("migrate.lock")).await?),
            None => None,
        };
        return Migrator::up(db, None).await.context("database migration failed");
    }
    let pool = db.get_postgres_connection_pool();
    let mut conn = pool
        .acquire()
        .await
        .context("no database connection for migrations")?;
    sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *conn)
        .await
        .context("cannot take the migration lock")?;
    let result = Migrator::up(db, None).await.context("database migration failed");
    let unlocked = sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *conn)
        .await;
    if unlocked.is_err() {
        // Dropping the connection from the pool ends its session, and with it the lock.
        conn.detach();
    }
    result
}

/// The file behind a `sqlite://` URL; `None` for in-memory databases.
fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| std::path::PathBuf::from(path))
}

/// Blocks (off the runtime) until this process holds the lock; it is released when the file drops.
async fn lock_file(path: std::path::PathBuf) -> anyhow::Result<std::fs::File> {
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        file.lock()
            .with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(file)
    })
    .await?
}

/// Arbitrary but fixed: the key of the advisory lock that serialises migrations.
const MIGRATION_LOCK: i64 = 0x5055_4e44_4954; // "PUNDIT"

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
    if let Some(classified) = sqlx_error(&err).and_then(classify_sqlx) {
        return classified;
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

fn sqlx_error(err: &DbErr) -> Option<&sea_orm::sqlx::Error> {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => Some(e.as_ref()),
        _ => None,
    }
}

/// Errors caused by the input or the disk rather than by a bug.
fn classify_sqlx(e: &sea_orm::sqlx::Error) -> Option<ApiError> {
    const ENOSPC: i32 = 28;
    match e {
        sea_orm::sqlx::Error::Database(db) => match db.code().as_deref() {
            // PostgreSQL text cannot hold U+0000 (SQLite can).
            Some("22021" | "22P05") => Some(ApiError::BadRequest(
                "text must not contain NUL (U+0000) characters".into(),
            )),
            // PostgreSQL shutting down or restarting (57P01-57P03), a broken connection (08xxx),
            // too many connections (53300): retry later, nothing was saved.
            Some(code) if code.starts_with("57P") || code.starts_with("08") || code == "53300" => {
                Some(ApiError::Unavailable("the database is unavailable".into()))
            }
            // SQLITE_FULL, and its extended codes.
            Some(code) if is_sqlite_full(code) => {
                tracing::error!(error = %db, "the database's disk is full: writes are refused");
                Some(ApiError::StorageFull)
            }
            _ => None,
        },
        sea_orm::sqlx::Error::Io(io) if io.raw_os_error() == Some(ENOSPC) => Some(ApiError::StorageFull),
        _ => None,
    }
}

fn is_sqlite_full(code: &str) -> bool {
    const SQLITE_FULL: i32 = 13;
    code.parse::<i32>().is_ok_and(|c| c & 0xff == SQLITE_FULL)
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
