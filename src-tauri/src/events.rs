//! The engine's events, forwarded to the window as Tauri events, and the desktop's own
//! reactions to them: notifications and the unread total in the title and tray.

use std::time::Duration;

use lodestar_client::app::App;
use lodestar_client::engine::{Event, Topic};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use uuid::Uuid;

/// Payload of `changed`: re-read what is shown under `topic` (only `id`'s, when given).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Changed {
    /// What changed.
    pub topic: Topic,
    /// Which one, when only one did; `null` means all of the topic.
    pub id: Option<Uuid>,
}

/// Payload of `typing`: someone is typing in a conversation (shown for 5 s, or until their
/// message arrives).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TypingNotice {
    /// Where.
    pub conversation_id: Uuid,
    /// Who.
    pub user_id: Uuid,
    /// Their username, when known.
    pub username: Option<String>,
}

/// The window's event names.
pub mod names {
    /// Online, offline or syncing (`SyncState`).
    pub const SYNC: &str = "sync";
    /// Something shown may look different (`Changed`).
    pub const CHANGED: &str = "changed";
    /// Something waits to be opened: a clicked notification or link (`take_opening`).
    pub const OPEN: &str = crate::open::EVENT;
    /// The app update's state changed (`UpdateState`).
    pub const UPDATE: &str = crate::update::EVENT;
    /// Someone is typing (`TypingNotice`).
    pub const TYPING: &str = "typing";
}

/// Forwards every engine event to the window until the app ends.
pub fn forward<R: Runtime>(handle: AppHandle<R>) {
    let mut rx = handle.state::<App>().subscribe();
    tauri::async_runtime::spawn(async move {
        let title = crate::tray::TitleUpdater::new(handle.clone());
        let mut heap = crate::heap::Trimmer::default();
        loop {
            let events = match rx.recv().await {
                Ok(e) => vec![e],
                // Which changes were missed is unknown: everything is stale.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    Topic::ALL.iter().map(|t| t.all()).collect()
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            };
            for event in events {
                let sent = match event {
                    Event::Sync(state) => {
                        heap.observe(&state);
                        handle.emit(names::SYNC, state)
                    }
                    Event::Changed { topic, id } => {
                        // The unread total in the title and tray follows the conversations.
                        if matches!(topic, Topic::Conversations | Topic::Messages) {
                            title.poke();
                        }
                        handle.emit(names::CHANGED, Changed { topic, id })
                    }
                    Event::Typing { conversation_id, user_id, username } => handle
                        .emit(names::TYPING, TypingNotice { conversation_id, user_id, username }),
                    Event::Notify(n) => {
                        if handle.state::<App>().notifications_enabled() {
                            crate::notify::show(&handle, &n);
                        }
                        Ok(())
                    }
                };
                if let Err(e) = sent {
                    tracing::warn!(error = %e, "an event did not reach the window");
                }
            }
        }
    });
}

/// How long the title waits for more changes before recounting.
pub const TITLE_DEBOUNCE: Duration = Duration::from_millis(150);
