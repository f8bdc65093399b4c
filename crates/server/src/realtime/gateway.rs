//! The Socket.IO gateway (protocol v5, works with the standard `socket.io-client`).
//!
//! Handshake: `auth: { token }` with an access token joins the user to `user:<id>`; an invalid or
//! expired token is refused with a `connect_error` saying why. Without a token the connection is
//! anonymous and read-only: it may follow matches and ask for forecasts, nothing else.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use serde::Deserialize;
use serde_json::{Value, json};
use socketioxide::{
    SocketIo,
    extract::{AckSender, Data, Extension, SocketRef, State, TryData},
    handler::ConnectHandler,
};

use crate::{
    auth::extract::authenticate_token, error::ApiError, forecasts::service, matches::store, state::AppState,
    users::types::Role,
};

/// Who is on the other end of a socket.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub user_id: Option<uuid::Uuid>,
    /// Admins may command agents.
    pub admin: bool,
}

/// Open sockets on this instance, against the configured limit.
#[derive(Clone, Default)]
pub struct Connections(Arc<AtomicUsize>);

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(String);

#[derive(Debug, Deserialize)]
struct MatchRequest {
    match_id: i32,
    model: Option<String>,
}

#[derive(Debug, Deserialize)]
struct AgentRequest {
    agent_id: String,
}

#[derive(Debug, Deserialize)]
struct AgentCommand {
    agent_id: uuid::Uuid,
    command: String,
}

/// Reads a match id sent as `{ "match_id": 7 }`, `7` or `"7"`.
fn match_request(value: &Value) -> Option<MatchRequest> {
    if let Ok(req) = serde_json::from_value::<MatchRequest>(value.clone()) {
        return Some(req);
    }
    let id = value.as_i64().or_else(|| value.as_str()?.parse().ok())?;
    Some(MatchRequest {
        match_id: i32::try_from(id).ok()?,
        model: None,
    })
}

fn error_json(e: &ApiError) -> Value {
    json!(e.body().error)
}

async fn authenticate(
    socket: SocketRef,
    TryData(auth): TryData<Value>,
    State(state): State<AppState>,
    State(connections): State<Connections>,
) -> Result<(), Refused> {
    if connections.0.load(Ordering::Relaxed) >= state.config.max_sockets {
        return Err(Refused("server busy: too many connections, retry shortly".into()));
    }
    let token = auth
        .ok()
        .and_then(|a| a.get("token").and_then(Value::as_str).map(str::to_string));
    let viewer = match token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Viewer {
            user_id: None,
            admin: false,
        },
        Some(token) => {
            let user = authenticate_token(&state, token)
                .await
                .map_err(|e| Refused(e.to_string()))?;
            if user.role >= crate::users::types::Role::Admin {
                // Admins follow model monitoring (drift alerts) live.
                socket.join(crate::monitoring::TOPIC);
            }
            Viewer {
                user_id: Some(user.id()),
                admin: user.role >= Role::Admin,
            }
        }
    };
    set_up(&socket, &viewer);
    socket.extensions.insert(viewer);
    connections.0.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// Rooms and event handlers are set up here, in the connect middleware, rather than in the
/// connect handler: socketioxide sends the connect packet before it runs that handler as a
/// separate task, so a client emitting `join:match` the moment it is connected could be heard
/// before its handlers exist, and the event dropped (seen at 10,000 connections).
fn set_up(socket: &SocketRef, viewer: &Viewer) {
    if let Some(user_id) = viewer.user_id {
        socket.join(format!("user:{user_id}"));
    }
    metrics::gauge!("pundit_socket_connections").increment(1.0);
    socket.on("join:match", join_match);
    socket.on("leave:match", leave_match);
    socket.on("request:prediction", request_prediction);
    socket.on("joinAgent", join_agent);
    socket.on("leaveAgent", leave_agent);
    socket.on("agentCommand", agent_command);
    socket.on("chat:message", chat_message);
    socket.on_disconnect(on_disconnect);
}

async fn on_connect() {}

async fn on_disconnect(State(connections): State<Connections>) {
    connections.0.fetch_sub(1, Ordering::Relaxed);
    metrics::gauge!("pundit_socket_connections").decrement(1.0);
}

/// A match as `match:update` carries it, cached for a moment: when thousands of fans open the
/// same match at kick-off, the database answers once.
async fn match_snapshot(state: &AppState, match_id: i32) -> Result<Option<Value>, ApiError> {
    let key = format!("match-view:{match_id}");
    if let Some(json) = state.cache.get(&key).await
        && let Ok(view) = serde_json::from_slice(&json)
    {
        return Ok(Some(view));
    }
    let Some(m) = store::football_match(&state.db, match_id).await? else {
        return Ok(None);
    };
    let Some(view) = store::match_views(&state.db, std::slice::from_ref(&m))
        .await?
        .pop()
    else {
        return Ok(None);
    };
    let view = json!(view);
    if let Ok(bytes) = serde_json::to_vec(&view) {
        state
            .cache
            .set(&key, bytes, std::time::Duration::from_secs(2))
            .await;
    }
    Ok(Some(view))
}

async fn join_match(
    socket: SocketRef,
    Data(data): Data<Value>,
    State(state): State<AppState>,
    ack: AckSender,
) {
    let reply = match match_request(&data) {
        None => json!({ "ok": false, "error": { "code": "bad_request", "message": "send { match_id }" } }),
        Some(req) => match match_snapshot(&state, req.match_id).await {
            Ok(Some(view)) => {
                let room = format!("match:{}", req.match_id);
                socket.join(room.clone());
                // The current state at once, so a client never waits for the next change.
                if let Err(e) = socket.emit("match:update", &view) {
                    tracing::warn!(error = %e, "join snapshot not sent");
                }
                json!({ "ok": true, "room": room })
            }
            Ok(None) => json!({ "ok": false, "error": error_json(&ApiError::not_found("match")) }),
            Err(e) => json!({ "ok": false, "error": error_json(&e) }),
        },
    };
    if let Err(e) = ack.send(&reply) {
        tracing::warn!(error = %e, "join acknowledgement not sent");
    }
}

async fn leave_match(socket: SocketRef, Data(data): Data<Value>, ack: AckSender) {
    let reply = match match_request(&data) {
        Some(req) => {
            socket.leave(format!("match:{}", req.match_id));
            json!({ "ok": true })
        }
        None => json!({ "ok": false, "error": { "code": "bad_request", "message": "send { match_id }" } }),
    };
    let _ = ack.send(&reply);
}

async fn request_prediction(socket: SocketRef, Data(data): Data<Value>, State(state): State<AppState>) {
    let Some(req) = match_request(&data) else {
        let error = json!({ "code": "bad_request", "message": "send { match_id, model? }" });
        let _ = socket.emit("prediction:error", &json!({ "match_id": null, "error": error }));
        return;
    };
    let result = async {
        let model = req
            .model
            .as_deref()
            .map(|name| crate::forecasts::types::model_name(Some(name)))
            .transpose()?;
        let m = store::football_match(&state.db, req.match_id)
            .await?
            .ok_or_else(|| ApiError::not_found("match"))?;
        let served = match model {
            Some(model) => service::for_match(&state, &m, model).await?,
            None => service::default_for_match(&state, &m).await?,
        };
        serde_json::from_slice::<Value>(&served.json).map_err(|e| ApiError::Internal(e.into()))
    }
    .await;
    let _ = match result {
        Ok(forecast) => socket.emit(
            "prediction:update",
            &json!({ "match_id": req.match_id, "forecast": forecast }),
        ),
        Err(e) => socket.emit(
            "prediction:error",
            &json!({ "match_id": req.match_id, "error": error_json(&e) }),
        ),
    };
}

/// Agent rooms are for signed-in users; `agentEvent` and friends are delivered there.
async fn join_agent(
    socket: SocketRef,
    Data(data): Data<Value>,
    Extension(viewer): Extension<Viewer>,
    ack: AckSender,
) {
    let reply = match (viewer.user_id, serde_json::from_value::<AgentRequest>(data)) {
        (None, _) => {
            json!({ "ok": false, "error": { "code": "unauthorized", "message": "sign in to follow agents" } })
        }
        (_, Err(_)) => {
            json!({ "ok": false, "error": { "code": "bad_request", "message": "send { agent_id }" } })
        }
        (Some(_), Ok(req)) => {
            socket.join(format!("agent:{}", req.agent_id));
            json!({ "ok": true, "room": format!("agent:{}", req.agent_id) })
        }
    };
    let _ = ack.send(&reply);
}

async fn leave_agent(socket: SocketRef, Data(data): Data<Value>, ack: AckSender) {
    if let Ok(req) = serde_json::from_value::<AgentRequest>(data) {
        socket.leave(format!("agent:{}", req.agent_id));
    }
    let _ = ack.send(&json!({ "ok": true }));
}

/// `agentCommand` `{ agent_id, command: "start" | "stop" | "run" }` (admins): answered in the
/// ack; a refusal also comes back as `agentError`.
async fn agent_command(
    socket: SocketRef,
    Data(data): Data<Value>,
    Extension(viewer): Extension<Viewer>,
    State(state): State<AppState>,
    ack: AckSender,
) {
    let result = match (viewer.admin, serde_json::from_value::<AgentCommand>(data)) {
        (false, _) => Err(ApiError::Forbidden("only admins command agents".into())),
        (_, Err(_)) => Err(ApiError::BadRequest("send { agent_id, command }".into())),
        (true, Ok(cmd)) => crate::agents::store::command(&state, cmd.agent_id, &cmd.command).await,
    };
    let reply = match result {
        Ok(value) => json!({ "ok": true, "result": value }),
        Err(e) => {
            let error = error_json(&e);
            let _ = socket.emit("agentError", &json!({ "error": error }));
            json!({ "ok": false, "error": error })
        }
    };
    let _ = ack.send(&reply);
}

#[derive(Debug, Deserialize)]
struct ChatRequest {
    match_id: i32,
    body: String,
}

/// `chat:message` `{ match_id, body }` (signed-in): stored and sent to the match room as
/// `chat:message`; the ack carries the message or the refusal (length, rate limit).
async fn chat_message(
    Data(data): Data<Value>,
    Extension(viewer): Extension<Viewer>,
    State(state): State<AppState>,
    ack: AckSender,
) {
    let result = async {
        let user_id = viewer
            .user_id
            .ok_or_else(|| ApiError::Unauthorized("sign in to chat".into()))?;
        let req: ChatRequest = serde_json::from_value(data)
            .map_err(|_| ApiError::BadRequest("send { match_id, body }".into()))?;
        let author = crate::users::store::by_id(&state.db, user_id)
            .await?
            .ok_or_else(|| ApiError::Unauthorized("account not found".into()))?;
        crate::chat::send(&state, &author, req.match_id, &req.body).await
    }
    .await;
    let reply = match result {
        Ok(message) => json!({ "ok": true, "message": message }),
        Err(e) => json!({ "ok": false, "error": error_json(&e) }),
    };
    let _ = ack.send(&reply);
}

/// Registers the default namespace.
pub fn register(io: &SocketIo) {
    io.ns("/", on_connect.with(authenticate));
}
