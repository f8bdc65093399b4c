//! Sends finished spans to the collector in batches from a background task. The request path
//! only does a non-blocking `try_send`: when the queue is full the span is dropped and counted.

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::{sync::mpsc, task::JoinHandle, time::MissedTickBehavior};
use tokio_util::sync::CancellationToken;

use super::{
    layer::FinishedSpan,
    otlp::{Resource, export_request},
};
use crate::{
    config::Config,
    outbound::{CallError, RetryPolicy, http_client, retry},
};

/// Spans waiting for the export task; beyond this they are dropped.
const QUEUE: usize = 4096;
/// Most spans in one request to the collector; a full batch is sent without waiting for the tick.
const BATCH: usize = 512;

/// A handle on the export task; cheap to clone (each exported span holds one until it closes).
#[derive(Clone)]
pub struct Exporter(Arc<Inner>);

struct Inner {
    queue: mpsc::Sender<FinishedSpan>,
    stop: CancellationToken,
    task: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Exporter {
    /// Starts the export task when `otlp_endpoint` is set. Must run inside the Tokio runtime.
    pub fn start(config: &Config) -> anyhow::Result<Option<Self>> {
        let Some(endpoint) = &config.otlp_endpoint else {
            return Ok(None);
        };
        let mut headers = HeaderMap::new();
        for (name, value) in &config.otlp_headers {
            let mut value =
                HeaderValue::from_str(value.expose()).with_context(|| format!("OTLP header {name}"))?;
            value.set_sensitive(true);
            headers.insert(HeaderName::from_bytes(name.as_bytes())?, value);
        }
        let sender = Sender {
            client: http_client(Duration::from_secs(10))?,
            url: format!("{}/v1/traces", endpoint.trim_end_matches('/')),
            headers,
            resource: Resource::new(&config.service_name),
            failing: false,
        };
        let (queue, receiver) = mpsc::channel(QUEUE);
        let stop = CancellationToken::new();
        let every = config.otlp_flush_interval.max(Duration::from_millis(10));
        let task = tokio::spawn(run(receiver, sender, every, stop.clone()));
        tracing::info!(endpoint = %crate::db::redact(endpoint), "exporting traces over OTLP");
        Ok(Some(Self(Arc::new(Inner {
            queue,
            stop,
            task: std::sync::Mutex::new(Some(task)),
        }))))
    }

    pub(super) fn send(&self, span: FinishedSpan) {
        if self.0.queue.try_send(span).is_err() {
            metrics::counter!("pundit_trace_spans_dropped_total", "reason" => "queue_full").increment(1);
        }
    }

    /// Sends what is queued and stops the task, waiting at most `within`: a collector that is
    /// down must not hold up the exit.
    pub async fn shutdown(&self, within: Duration) {
        self.0.stop.cancel();
        let task = self.0.task.lock().ok().and_then(|mut t| t.take());
        if let Some(task) = task
            && tokio::time::timeout(within, task).await.is_err()
        {
            tracing::warn!("trace export did not finish in time; the last spans are lost");
        }
    }
}

async fn run(
    mut queue: mpsc::Receiver<FinishedSpan>,
    mut sender: Sender,
    every: Duration,
    stop: CancellationToken,
) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            span = queue.recv() => {
                let Some(span) = span else { break };
                batch.push(span);
                if batch.len() >= BATCH {
                    sender.export(std::mem::take(&mut batch)).await;
                }
            }
            _ = tick.tick() => {
                if !batch.is_empty() {
                    sender.export(std::mem::take(&mut batch)).await;
                }
            }
        }
    }
    // Shutting down: what is already queued still goes out.
    queue.close();
    while let Some(span) = queue.recv().await {
        batch.push(span);
        if batch.len() >= BATCH {
            sender.export(std::mem::take(&mut batch)).await;
        }
    }
    if !batch.is_empty() {
        sender.export(batch).await;
    }
}

struct Sender {
    client: reqwest::Client,
    url: String,
    headers: HeaderMap,
    resource: Resource,
    /// Whether the last export failed, so an outage is logged once and not per batch.
    failing: bool,
}

impl Sender {
    async fn export(&mut self, spans: Vec<FinishedSpan>) {
        let body = export_request(&self.resource, &spans);
        let policy = RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(2),
        };
        let result = retry(policy, CallError::is_outage, || async {
            let response = self
                .client
                .post(&self.url)
                .headers(self.headers.clone())
                .json(&body)
                .send()
                .await?;
            match response.status() {
                status if status.is_success() => Ok(()),
                status => Err(CallError::Status(status)),
            }
        })
        .await;
        let count = spans.len() as u64;
        match result {
            Ok(()) => {
                metrics::counter!("pundit_trace_spans_exported_total").increment(count);
                if self.failing {
                    tracing::info!("trace export recovered");
                    self.failing = false;
                }
            }
            Err(e) => {
                metrics::counter!("pundit_trace_spans_dropped_total", "reason" => "export_failed")
                    .increment(count);
                if !self.failing {
                    tracing::warn!(error = %e, url = %crate::db::redact(&self.url),
                        "trace export failing; spans are dropped until the collector answers");
                    self.failing = true;
                }
            }
        }
    }
}
