//! A `tracing_subscriber::Layer` that records spans for OTLP export. A root span is exported only
//! once `attach` ties it to an exporter (each request span is); its descendants join its trace.
//! Everything else (background work, spans outside a request) is dropped on close.

use std::{
    borrow::Cow,
    fmt,
    time::{SystemTime, UNIX_EPOCH},
};

use tracing::{
    Span, Subscriber,
    field::{Field, Visit},
    span,
};
use tracing_subscriber::{Layer, Registry, filter::filter_fn, layer::Context, registry::LookupSpan};

use super::{
    context::{RemoteParent, SpanId, TraceId, traceparent},
    exporter::Exporter,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    Internal = 1,
    Server = 2,
    Client = 3,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Str(String),
    Int(i64),
    Bool(bool),
    Float(f64),
}

/// A closed span, ready to encode.
#[derive(Debug, Clone)]
pub struct FinishedSpan {
    pub name: Cow<'static, str>,
    pub kind: SpanKind,
    pub trace_id: TraceId,
    pub span_id: SpanId,
    pub parent: Option<SpanId>,
    pub start_unix_nanos: u64,
    pub end_unix_nanos: u64,
    pub attributes: Vec<(&'static str, AttrValue)>,
}

/// Where an exported span belongs.
#[derive(Clone)]
struct Link {
    exporter: Exporter,
    trace_id: TraceId,
    span_id: SpanId,
    parent: Option<SpanId>,
}

impl Link {
    fn child(&self) -> Self {
        Self {
            exporter: self.exporter.clone(),
            trace_id: self.trace_id,
            span_id: SpanId::random(),
            parent: Some(self.span_id),
        }
    }
}

/// What the layer keeps in an open span's extensions.
struct Recording {
    name: &'static str,
    kind: SpanKind,
    start_unix_nanos: u64,
    attributes: Vec<(&'static str, AttrValue)>,
    link: Option<Link>,
}

impl Recording {
    fn set(&mut self, key: &'static str, value: AttrValue) {
        // `otel.kind` is tracing-opentelemetry's convention for a span's kind, not an attribute.
        if key == "otel.kind" {
            self.kind = match value {
                AttrValue::Str(kind) if kind == "server" => SpanKind::Server,
                AttrValue::Str(kind) if kind == "client" => SpanKind::Client,
                _ => SpanKind::Internal,
            };
            return;
        }
        match self.attributes.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.attributes.push((key, value)),
        }
    }
}

impl Visit for Recording {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.set(field.name(), AttrValue::Str(value.to_string()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.set(field.name(), AttrValue::Int(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        let value = i64::try_from(value).map_or_else(|_| AttrValue::Str(value.to_string()), AttrValue::Int);
        self.set(field.name(), value);
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.set(field.name(), AttrValue::Bool(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.set(field.name(), AttrValue::Float(value));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.set(field.name(), AttrValue::Str(format!("{value:?}")));
    }
}

fn now_unix_nanos() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

struct OtlpLayer;

impl<S> Layer<S> for OtlpLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let link = match span.parent() {
            Some(parent) => {
                let extensions = parent.extensions();
                match extensions.get::<Recording>().and_then(|r| r.link.as_ref()) {
                    Some(link) => Some(link.child()),
                    // Not part of an exported trace: nothing to keep.
                    None => return,
                }
            }
            // A root: `attach` may still make it a trace's entry.
            None => None,
        };
        let mut recording = Recording {
            name: attrs.metadata().name(),
            kind: SpanKind::Internal,
            start_unix_nanos: now_unix_nanos(),
            attributes: Vec::new(),
            link,
        };
        attrs.record(&mut recording);
        span.extensions_mut().insert(recording);
    }

    fn on_record(&self, id: &span::Id, values: &span::Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut extensions = span.extensions_mut();
        if let Some(recording) = extensions.get_mut::<Recording>() {
            values.record(recording);
        }
    }

    fn on_close(&self, id: span::Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let Some(recording) = span.extensions_mut().remove::<Recording>() else {
            return;
        };
        let Some(link) = recording.link else { return };
        link.exporter.send(FinishedSpan {
            name: Cow::Borrowed(recording.name),
            kind: recording.kind,
            trace_id: link.trace_id,
            span_id: link.span_id,
            parent: link.parent,
            start_unix_nanos: recording.start_unix_nanos,
            end_unix_nanos: now_unix_nanos(),
            attributes: recording.attributes,
        });
    }
}

/// The layer to install when trace export is configured. It sees spans at INFO and above (the
/// debug spans of libraries would only be noise in a trace) and no events.
pub fn layer<S>() -> impl Layer<S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    OtlpLayer.with_filter(filter_fn(|meta| {
        meta.is_span() && *meta.level() <= tracing::Level::INFO
    }))
}

/// Makes `span`, a root span just created, the entry of a trace sent to `exporter`: the trace of
/// `remote` when the caller sent one, else a new one. Does nothing without the layer installed.
pub fn attach(span: &Span, exporter: &Exporter, remote: Option<RemoteParent>) {
    span.with_subscriber(|(id, dispatch)| {
        let Some(span) = dispatch.downcast_ref::<Registry>().and_then(|r| r.span(id)) else {
            return;
        };
        let mut extensions = span.extensions_mut();
        if let Some(recording) = extensions.get_mut::<Recording>() {
            recording.link = Some(Link {
                exporter: exporter.clone(),
                trace_id: remote.map_or_else(TraceId::random, |r| r.trace_id),
                span_id: SpanId::random(),
                parent: remote.map(|r| r.span_id),
            });
        }
    });
}

/// The `traceparent` for a call made inside the current span, when that span is exported.
pub fn current_traceparent() -> Option<String> {
    Span::current()
        .with_subscriber(|(id, dispatch)| {
            let span = dispatch.downcast_ref::<Registry>()?.span(id)?;
            let extensions = span.extensions();
            let link = extensions.get::<Recording>()?.link.as_ref()?;
            Some(traceparent(link.trace_id, link.span_id))
        })
        .flatten()
}
