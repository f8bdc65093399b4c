//! Every bus event (local, or relayed from other instances through Redis) goes to the Socket.IO
//! room named by its topic and into the SSE replay buffer.

use socketioxide::SocketIo;

use super::ReplayBuffer;
use crate::state::AppState;

pub fn start(state: &AppState, io: SocketIo, replay: ReplayBuffer) {
    let mut events = state.bus.subscribe();
    let shutdown = state.shutdown.clone();
    tokio::spawn(async move {
        loop {
            let event = tokio::select! {
                () = shutdown.cancelled() => return,
                received = events.recv() => match received {
                    Ok(event) => event,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(skipped = n, "real-time fan-out fell behind");
                        continue;
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
            };
            replay.push(event.clone());
            if let Err(e) = io.to(event.topic.clone()).emit(&event.name, &event.data).await {
                tracing::debug!(error = %e, topic = %event.topic, "socket broadcast failed");
            }
        }
    });
}
