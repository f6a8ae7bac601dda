//! Desktop notifications for the engine's decisions, one per conversation: more messages in a
//! conversation replace its notification ("3 new messages from ann") instead of adding one each
//! (lodestar-client's `Coalescer` decides the text). Clicking one opens its
//! conversation.
//!
//! On Linux the notification is sent through notify-rust with a default action, and a thread
//! waits for that action: the plugin cannot replace a shown notification there, and a
//! conversation's must be replaced in place. That thread is per *conversation*, not per message:
//! a replacement is shown under the same id, and the thread already waiting on that id hears its
//! click. A burst of 1,000 messages is one thread and one D-Bus connection, not 1,000.
//!
//! On Windows (a toast's activation, while it is on screen) and macOS the plugin shows it and
//! reports a click (`tap`) to [`listen`]'s handler; the conversation rides in the notification's
//! `extra`, so the click opens it.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use lodestar_client::engine::notify::{Coalescer, Notification, Shown};
use tauri::{AppHandle, Manager, Runtime};
use uuid::Uuid;

/// The notifications on screen: what each conversation's says, and (Linux) the id of the one a
/// thread is waiting on.
#[derive(Default)]
pub struct Notifier {
    coalescer: Mutex<Coalescer>,
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    waiting: Mutex<HashMap<Uuid, Option<u32>>>,
}

impl Notifier {
    fn shown(&self, n: &Notification) -> Shown {
        self.coalescer.lock().unwrap_or_else(PoisonError::into_inner).add(n)
    }

    /// The conversation's notification was clicked or dismissed: the next starts afresh.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    fn ended(&self, conversation_id: Uuid) {
        self.coalescer.lock().unwrap_or_else(PoisonError::into_inner).clear(conversation_id);
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner).remove(&conversation_id);
    }
}

/// Raises (or replaces) the notification of a conversation with new messages.
pub fn show<R: Runtime>(handle: &AppHandle<R>, n: &Notification) {
    let Some(notifier) = handle.try_state::<Notifier>() else { return };
    let shown = notifier.shown(n);
    #[cfg(target_os = "linux")]
    linux::show(handle, &notifier, shown);
    #[cfg(not(target_os = "linux"))]
    {
        // The plugin never says when a notification is dismissed: each one counts only the
        // messages it announces, or the count would grow for as long as the app runs.
        notifier.ended(n.conversation_id);
        plugin::show(handle, shown);
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use super::*;

    fn notification(shown: &Shown, id: Option<u32>) -> notify_rust::Notification {
        let mut n = notify_rust::Notification::new();
        n.appname("Lodestar")
            .summary(&shown.summary)
            // Freedesktop servers read markup in bodies; a message must not style itself.
            .body(&shown.body_markup())
            .icon("org.lodestar.desktop")
            .action("default", "Open")
            .hint(notify_rust::Hint::Category("im.received".into()));
        if let Some(id) = id {
            n.id(id);
        }
        n
    }

    pub fn show<R: Runtime>(handle: &AppHandle<R>, notifier: &Notifier, shown: Shown) {
        let conversation = shown.conversation_id;
        {
            let mut waiting = notifier.waiting.lock().unwrap_or_else(PoisonError::into_inner);
            match waiting.get(&conversation) {
                // Shown and waited on: replace it in place; the waiting thread hears its click.
                Some(Some(id)) => {
                    if let Err(e) = notification(&shown, Some(*id)).show() {
                        tracing::info!(error = %e, "notification not replaced");
                    }
                    return;
                }
                // Its thread is putting it on screen right now: the count is kept, and the
                // next message in the conversation shows it.
                Some(None) => return,
                None => {
                    waiting.insert(conversation, None);
                }
            }
        }
        let handle = handle.clone();
        let spawned = std::thread::Builder::new().name("notification".into()).spawn(move || {
            let notifier = handle.state::<Notifier>();
            match notification(&shown, None).show() {
                Ok(on_screen) => {
                    notifier
                        .waiting
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(conversation, Some(on_screen.id()));
                    on_screen.wait_for_action(|action| {
                        if action == "default" {
                            crate::open::target(
                                &handle,
                                lodestar_protocol::links::Target::Conversation {
                                    conversation_id: conversation,
                                },
                            );
                        }
                    });
                }
                Err(e) => tracing::info!(error = %e, "no notification daemon answered"),
            }
            notifier.ended(conversation);
        });
        if let Err(e) = spawned {
            notifier.ended(conversation);
            tracing::warn!(error = %e, "notification thread not started");
        }
    }
}

/// Where a notification carries the conversation it announces (Windows and macOS).
const CONVERSATION: &str = "conversation_id";

/// The conversation a click on a notification opens: a click on the notification itself (`tap`,
/// not one of its buttons) of one that names a conversation.
#[cfg_attr(target_os = "linux", allow(dead_code))]
fn clicked(action: &tauri_plugin_notification::ActionPerformed) -> Option<Uuid> {
    if action.action_id() != "tap" {
        return None;
    }
    let id = action.notification()?.extra().get(CONVERSATION)?.as_str()?;
    Uuid::parse_str(id).ok()
}

/// Opens the conversation of a clicked notification (Windows and macOS; Linux waits on its own
/// notifications in [`show`]).
pub fn listen<R: Runtime>(handle: &AppHandle<R>) {
    #[cfg(not(target_os = "linux"))]
    {
        use tauri_plugin_notification::NotificationExt;
        let opener = handle.clone();
        let registered = handle.notification().on_action(move |action| {
            if let Some(conversation_id) = clicked(action) {
                crate::open::target(
                    &opener,
                    lodestar_protocol::links::Target::Conversation { conversation_id },
                );
            }
        });
        if let Err(e) = registered {
            tracing::warn!(error = %e, "notification clicks will not open conversations");
        }
    }
    #[cfg(target_os = "linux")]
    let _ = handle;
}

#[cfg(not(target_os = "linux"))]
mod plugin {
    use super::*;
    use tauri_plugin_notification::NotificationExt;

    pub fn show<R: Runtime>(handle: &AppHandle<R>, shown: Shown) {
        let sent = handle
            .notification()
            .builder()
            .title(&shown.summary)
            .body(&shown.body)
            .extra(CONVERSATION, shown.conversation_id.to_string())
            .show();
        if let Err(e) = sent {
            tracing::info!(error = %e, "notification not shown");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(
        action_id: &str,
        extra: serde_json::Value,
    ) -> tauri_plugin_notification::ActionPerformed {
        serde_json::from_value(serde_json::json!({
            "actionId": action_id,
            "notification": { "id": 7, "extra": extra },
        }))
        .unwrap()
    }

    #[test]
    fn a_click_on_the_notification_names_its_conversation() {
        let id = Uuid::new_v4();
        assert_eq!(
            clicked(&action("tap", serde_json::json!({ CONVERSATION: id.to_string() }))),
            Some(id)
        );
        assert_eq!(
            clicked(&action("mute", serde_json::json!({ CONVERSATION: id.to_string() }))),
            None
        );
        assert_eq!(clicked(&action("tap", serde_json::json!({}))), None);
        assert_eq!(clicked(&action("tap", serde_json::json!({ CONVERSATION: "not-an-id" }))), None);
    }
}
