//! Builds the application (state + router) and serves it with graceful shutdown.

use std::{future::Future, net::SocketAddr, path::Path};

use anyhow::{Context, bail};
use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue, Method, Request, header},
    middleware,
    routing::get,
};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::{
    catch_panic::CatchPanicLayer,
    cors::{AllowOrigin, CorsLayer},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    auth::{self, tokens},
    bus::Bus,
    cache::{Cache, RedisCache},
    config::{Config, Secret},
    db, forecasts, health, http, matches,
    openapi::ApiDoc,
    state::{AppState, Inner},
    telemetry, users,
};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Connects to the database (migrating it), the cache and the bus, and resolves the signing secret.
pub async fn build_state(config: Config, shutdown: CancellationToken) -> anyhow::Result<AppState> {
    let jwt_secret = resolve_jwt_secret(&config)?;
    let db = db::connect(&config).await?;
    db::migrate(&db, &config).await?;
    let demo_imported = config.demo_data && matches::import_demo_if_empty(&db).await?;
    let (cache, bus) = match &config.redis_url {
        Some(url) => {
            let url = url.expose();
            let cache = RedisCache::connect(url, &config.redis_namespace)
                .await
                .with_context(|| format!("cannot connect to Redis at {}", db::redact(url)))?;
            let bus = Bus::with_redis(url, &config.redis_namespace, shutdown.clone()).await?;
            (Cache::Redis(cache), bus)
        }
        None => (Cache::memory(), Bus::in_process()),
    };
    tracing::info!(
        database = db::backend_name(&db),
        cache = cache.kind(),
        bus = bus.kind(),
        "storage ready"
    );
    let jwt = tokens::JwtKeys::new(&jwt_secret, config.access_token_ttl);
    let forecasts = forecasts::Registry::new();
    let remote_model = match &config.ml_service_url {
        Some(url) => Some(std::sync::Arc::new(forecasts::remote::RemoteModel::new(
            url,
            config.ml_service_timeout,
        )?)),
        None => None,
    };
    let replay = crate::realtime::ReplayBuffer::default();
    let live = std::sync::Arc::new(crate::live::Live::from_config(&config)?);
    let agents = crate::agents::Runtime::new(&config)?;
    let insights = crate::insights::Insights::from_config(&config)?;
    let traces = crate::telemetry::Exporter::start(&config)?;
    let state = AppState::new(Inner {
        config,
        db,
        cache,
        bus,
        jwt,
        forecasts,
        gateway: crate::gateway::Registry::default(),
        insights,
        live,
        replay,
        remote_model,
        agents,
        traces,
        shutdown,
    });
    forecasts::listen_for_new_results(&state);
    if demo_imported {
        // A fresh install shows model versions with backtests (the dashboard's Models page) at once.
        forecasts::train::start_job(&state, None, pundit_model::ModelName::Best, None).await?;
    }
    crate::live::start(&state);
    crate::gateway::start(&state);
    crate::picks::start_sweep(&state);
    crate::agents::start(&state);
    Ok(state)
}

/// `JWT_SECRET`, or in development a secret generated once and kept in the data dir.
fn resolve_jwt_secret(config: &Config) -> anyhow::Result<Secret> {
    if let Some(secret) = &config.jwt_secret {
        if secret.expose().len() < tokens::MIN_SECRET_BYTES {
            if config.is_production() {
                bail!(
                    "JWT_SECRET must be at least {} bytes in production",
                    tokens::MIN_SECRET_BYTES
                );
            }
            tracing::warn!(
                "JWT_SECRET is shorter than {} bytes; fine for development only",
                tokens::MIN_SECRET_BYTES
            );
        }
        return Ok(secret.clone());
    }
    if config.is_production() {
        bail!(
            "JWT_SECRET is not set. In production set it to a random string of at least {} bytes \
             (for example: openssl rand -base64 48)",
            tokens::MIN_SECRET_BYTES
        );
    }
    let path = config.data_dir.join("jwt_secret");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && existing.trim().len() >= tokens::MIN_SECRET_BYTES
    {
        return Ok(Secret::new(existing.trim()));
    }
    let secret = tokens::generate_secret();
    write_private(&path, secret.expose()).with_context(|| format!("cannot store {}", path.display()))?;
    tracing::warn!(path = %path.display(), "JWT_SECRET not set: generated one and stored it in the data dir");
    Ok(secret)
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, contents.as_bytes())
}

/// The API routes and their OpenAPI document.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::live))
        .routes(routes!(health::ready))
        .nest("/api/v1/auth", auth::router())
        .nest("/api/v1/users", users::router())
        .nest("/api/v1/admin", users::admin_router())
        .nest("/api/v1/admin", crate::audit::router())
        .nest("/api/v1", matches::router())
        .nest("/api/v1", forecasts::router())
        .nest("/api/v1", crate::live::router())
        .nest(
            "/api/v1",
            OpenApiRouter::new().routes(routes!(crate::gateway::services)),
        )
        .nest(
            "/api/v1",
            OpenApiRouter::new().routes(routes!(crate::realtime::sse::stream_events)),
        )
        .nest("/api/v1", crate::notifications::router())
        .nest("/api/v1", crate::picks::router())
        .nest("/api/v1", crate::leagues::router())
        .nest("/api/v1", crate::insights::router())
        .nest("/api/v1/social", crate::social::router())
        .nest("/api/v1", crate::chat::router())
        .nest("/api/v1", crate::analytics::router())
        .nest("/api/v1", crate::agents::router())
        .nest("/api/v1/monitoring", crate::monitoring::router())
        .split_for_parts();
    crate::openapi::document_shared_errors(&mut doc);
    (router, doc)
}

pub fn router(state: AppState) -> Router {
    // Install the metrics recorder before the first request records anything.
    if http::metrics::handle().is_none() {
        tracing::warn!("metrics recorder unavailable; /metrics will be empty");
    }
    let (api, openapi) = api();
    let mut router = api
        .route("/metrics", get(http::metrics::render))
        .merge(crate::web::router())
        .merge(SwaggerUi::new("/docs").url("/openapi.json", openapi))
        .fallback(http::fallback::not_found)
        .method_not_allowed_fallback(http::fallback::method_not_allowed)
        .layer(CatchPanicLayer::custom(http::fallback::panicked))
        .layer(middleware::from_fn(http::metrics::track))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http::rate_limit::limit,
        ))
        .layer(DefaultBodyLimit::max(state.config.body_limit_bytes));
    for layer in http::security_headers::layers() {
        router = router.layer(layer);
    }
    let traces = state.traces.clone();
    router
        .layer(cors(&state.config))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(move |req: &Request<_>| telemetry::http::request_span(req, traces.as_ref()))
                .on_response(telemetry::http::record_response),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        // Outermost: Socket.IO traffic (`/socket.io/`) is taken before routing.
        .layer(crate::realtime::socket_layer(&state))
        .with_state(state)
}

/// Only the configured origins may call the API from a browser; none by default.
fn cors(config: &Config) -> CorsLayer {
    let origins: Vec<HeaderValue> = config
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("x-api-key"),
        ])
        .expose_headers([REQUEST_ID, header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(600))
}

/// Pending connections the kernel may queue before the server accepts them. The default (1024)
/// overflows when thousands of clients connect at once (kick-off): dropped SYNs are retried only
/// after seconds. The kernel caps it at `net.core.somaxconn`.
const ACCEPT_BACKLOG: u32 = 4096;

/// A listening socket with a backlog sized for connection storms.
pub fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(ACCEPT_BACKLOG)
}

/// Serves until `signal` resolves, then stops accepting, lets in-flight requests finish, and
/// stops background tasks.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    signal: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let shutdown = state.shutdown.clone();
    let db = state.db.clone();
    let background = state.clone();
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let token = shutdown.clone();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            tokio::select! {
                () = signal => {}
                () = token.cancelled() => {}
            }
            tracing::info!("shutting down: finishing in-flight requests");
        })
        .await
        .context("server error")?;
    shutdown.cancel();
    background.agents.drain(std::time::Duration::from_secs(10)).await;
    // A connection held by a stuck query must not keep the process from exiting.
    if tokio::time::timeout(std::time::Duration::from_secs(10), db.close())
        .await
        .is_err()
    {
        tracing::warn!("database connections still busy after 10 s; exiting without them");
    }
    if let Some(traces) = &background.traces {
        traces.shutdown(std::time::Duration::from_secs(5)).await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
