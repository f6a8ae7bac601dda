//! The engine's events, forwarded to the window as Tauri events, and the desktop's own
//! reactions to them: notifications and the unread total in the title and tray.

use std::time::Duration;

use lodestar_client::app::App;
use lodestar_client::engine::Event;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use uuid::Uuid;

/// Payload of `messages-changed` and `open-conversation`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ConversationRef {
    /// The conversation.
    pub conversation_id: Uuid,
}

/// Payload of `outbox-changed`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct OutboxCounts {
    /// Entries waiting.
    pub pending: i64,
    /// Entries refused.
    pub failed: i64,
}

/// The window's event names.
pub mod names {
    /// Online, offline or syncing (`SyncState`).
    pub const SYNC: &str = "sync";
    /// Re-read the conversation list.
    pub const CONVERSATIONS: &str = "conversations-changed";
    /// Re-read one conversation (`ConversationRef`).
    pub const MESSAGES: &str = "messages-changed";
    /// The outbox moved (`OutboxCounts`).
    pub const OUTBOX: &str = "outbox-changed";
    /// A notification was clicked: show this conversation (`ConversationRef`).
    pub const OPEN: &str = "open-conversation";
}

/// Forwards every engine event to the window until the app ends.
pub fn forward<R: Runtime>(handle: AppHandle<R>) {
    let mut rx = handle.state::<App>().subscribe();
    tauri::async_runtime::spawn(async move {
        let title = crate::tray::TitleUpdater::new(handle.clone());
        let mut heap = crate::heap::Trimmer::default();
        loop {
            let event = match rx.recv().await {
                Ok(e) => e,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    Event::ConversationsChanged
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            };
            let sent = match &event {
                Event::Sync(state) => {
                    heap.observe(state);
                    handle.emit(names::SYNC, state)
                }
                Event::ConversationsChanged => {
                    title.poke();
                    handle.emit(names::CONVERSATIONS, ())
                }
                Event::MessagesChanged { conversation_id } => {
                    title.poke();
                    handle.emit(
                        names::MESSAGES,
                        ConversationRef { conversation_id: *conversation_id },
                    )
                }
                Event::OutboxChanged { pending, failed } => {
                    handle.emit(names::OUTBOX, OutboxCounts { pending: *pending, failed: *failed })
                }
                Event::Notify(n) => {
                    if handle.state::<App>().notifications_enabled() {
                        crate::notify::show(&handle, n);
                    }
                    Ok(())
                }
            };
            if let Err(e) = sent {
                tracing::warn!(error = %e, "an event did not reach the window");
            }
        }
    });
}

/// Brings the window forward and shows a conversation (a notification was clicked).
pub fn open_conversation<R: Runtime>(handle: &AppHandle<R>, conversation_id: Uuid) {
    crate::first_show::bring_forward(handle);
    if let Err(e) = handle.emit(names::OPEN, ConversationRef { conversation_id }) {
        tracing::warn!(error = %e, "could not open the conversation");
    }
}

/// How long the title waits for more changes before recounting.
pub const TITLE_DEBOUNCE: Duration = Duration::from_millis(150);
