//! `GET /api/v1/stream`: the same events as Socket.IO over plain HTTP (Server-Sent Events),
//! resumable with `Last-Event-ID` from a short replay buffer.

use std::{convert::Infallible, sync::Arc, time::Duration};

use axum::{
    extract::State,
    http::HeaderMap,
    response::sse::{Event as SseEvent, KeepAlive, Sse},
};
use futures_util::{Stream, StreamExt, stream};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::{
    auth::extract::MaybeAuthUser,
    bus::Event,
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::Query,
    state::AppState,
};

const MAX_TOPICS: usize = 50;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Comma-separated: `match:<id>`, `competition:<id>`, and with credentials `user:<your id>`,
    /// `agent:<id>` and (admins) `monitoring`.
    pub topics: String,
}

fn check_topics(raw: &str, auth: Option<&crate::auth::extract::AuthUser>) -> ApiResult<Vec<String>> {
    let topics: Vec<String> = raw
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect();
    if topics.is_empty() || topics.len() > MAX_TOPICS {
        return Err(ApiError::invalid_field(
            "topics",
            "count",
            &format!("name 1 to {MAX_TOPICS} topics"),
        ));
    }
    for topic in &topics {
        let (kind, id) = topic.split_once(':').unwrap_or((topic.as_str(), ""));
        let allowed = match kind {
            "match" | "competition" => id.parse::<i32>().is_ok(),
            "user" => match auth {
                Some(user) => id == user.id().to_string(),
                None => return Err(ApiError::Unauthorized("user topics need credentials".into())),
            },
            "monitoring" => match auth {
                Some(user) => user.role >= crate::users::types::Role::Admin && id.is_empty(),
                None => return Err(ApiError::Unauthorized("monitoring needs credentials".into())),
            },
            "agent" => {
                if auth.is_none() {
                    return Err(ApiError::Unauthorized("agent topics need credentials".into()));
                }
                !id.is_empty()
            }
            _ => false,
        };
        if !allowed {
            return Err(ApiError::invalid_field(
                "topics",
                "invalid_topic",
                &format!("cannot subscribe to {topic:?}"),
            ));
        }
    }
    Ok(topics)
}

fn to_sse(event: &Event) -> SseEvent {
    SseEvent::default()
        .id(event.id.to_string())
        .event(event.name.clone())
        .json_data(json!({ "topic": event.topic, "data": event.data, "at": event.at }))
        .unwrap_or_else(|_| SseEvent::default().comment("unserialisable event"))
}

/// Live events for the given topics. Send `Last-Event-ID` to resume: missed events are replayed
/// when still buffered; otherwise a `resync` event tells the client to reload its state.
#[utoipa::path(get, path = "/stream", tag = "realtime", params(StreamQuery),
    responses((status = 200, description = "text/event-stream of match:update, prediction:update, notification:new, ..."),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn stream_events(
    State(state): State<AppState>,
    MaybeAuthUser(auth): MaybeAuthUser,
    Query(query): Query<StreamQuery>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let topics = Arc::new(check_topics(&query.topics, auth.as_ref())?);
    // Subscribe before reading the buffer so nothing falls between the two.
    let receiver = state.bus.subscribe();
    let wanted = {
        let topics = topics.clone();
        move |topic: &str| topics.iter().any(|t| t == topic)
    };
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let mut backlog: Vec<SseEvent> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    if let Some(last) = resume {
        match state.replay.since(last, &wanted) {
            Some(missed) => {
                for e in missed {
                    seen.insert(e.id);
                    backlog.push(to_sse(&e));
                }
            }
            None => backlog.push(
                SseEvent::default()
                    .event("resync")
                    .data("missed events are no longer buffered"),
            ),
        }
    }
    let live = stream::unfold(receiver, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(event) => return Some((event, rx)),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
    .filter(move |e| std::future::ready(wanted(&e.topic) && !seen.contains(&e.id)))
    .map(|e| to_sse(&e));
    let shutdown = state.shutdown.clone();
    let events = stream::iter(backlog)
        .chain(live)
        .take_until(async move { shutdown.cancelled().await })
        .map(Ok);
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
