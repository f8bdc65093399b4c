//! Real-time delivery: the Socket.IO gateway and Server-Sent Events, both fed by the event bus
//! (and so by every instance when the bus is bridged over Redis).

pub mod broadcast;
mod fanout;
pub mod gateway;
mod replay;
pub mod sse;

pub use replay::ReplayBuffer;
use socketioxide::{SocketIo, layer::SocketIoLayer};

use crate::state::AppState;

/// The Socket.IO layer (served at `/socket.io/`), with its fan-out from the bus started.
pub fn socket_layer(state: &AppState) -> SocketIoLayer {
    let (layer, io) = SocketIo::builder()
        .with_state(state.clone())
        .with_state(gateway::Connections::default())
        .build_layer();
    gateway::register(&io);
    fanout::start(state, io, state.replay.clone());
    layer
}
