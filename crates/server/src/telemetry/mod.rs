//! Logging: human-readable by default, JSON on request, daily-rotated files when a log dir is set.
//! Tracing: request spans exported to an OTLP/HTTP collector when `PUNDIT_OTLP_ENDPOINT` is set.

mod context;
mod exporter;
pub mod http;
mod layer;
mod otlp;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{EnvFilter, Layer, fmt, layer::SubscriberExt, util::SubscriberInitExt};

use crate::config::{Config, LogFormat};

pub use context::{RemoteParent, parse_traceparent};
pub use exporter::Exporter;
pub use layer::{attach, current_traceparent, layer};

/// Installs the global subscriber. Keep the guard alive until exit so file logs are flushed.
pub fn init(config: &Config) -> Option<WorkerGuard> {
    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Logs go to stderr so a command's own output (`--json`) stays clean on stdout.
    let stderr = match config.log_format {
        LogFormat::Json => fmt::layer()
            .json()
            .with_current_span(true)
            .with_writer(std::io::stderr)
            .boxed(),
        LogFormat::Pretty => fmt::layer().with_writer(std::io::stderr).boxed(),
    };
    let (file, guard) = match &config.log_dir {
        Some(dir) => {
            let (writer, guard) =
                tracing_appender::non_blocking(tracing_appender::rolling::daily(dir, "pundit.log"));
            (
                Some(fmt::layer().json().with_writer(writer).with_filter(filter())),
                Some(guard),
            )
        }
        None => (None, None),
    };
    // A second init (tests start several apps) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(stderr.with_filter(filter()))
        .with(file)
        // Only when configured: unset, spans cost nothing extra.
        .with(config.otlp_endpoint.is_some().then(layer))
        .try_init();
    guard
}
