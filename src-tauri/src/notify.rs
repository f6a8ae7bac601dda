//! Desktop notifications for the engine's decisions. Clicking one opens its conversation.
//!
//! tauri-plugin-notification has no click callback on desktop, so on Linux the notification is
//! sent through notify-rust with a default action, and a thread waits for that action; on the
//! other systems the plugin shows it and a click brings the app forward.

use lodestar_client::engine::notify::Notification;
use tauri::{AppHandle, Runtime};

/// Raises a notification for a new message.
pub fn show<R: Runtime>(handle: &AppHandle<R>, n: &Notification) {
    #[cfg(target_os = "linux")]
    linux::show(handle, n);
    #[cfg(not(target_os = "linux"))]
    plugin::show(handle, n);
}

#[cfg(target_os = "linux")]
mod linux {
    use super::*;

    pub fn show<R: Runtime>(handle: &AppHandle<R>, n: &Notification) {
        let handle = handle.clone();
        let n = n.clone();
        // Waiting for the click blocks, so each notification gets a thread until it closes.
        let spawned = std::thread::Builder::new().name("notification".into()).spawn(move || {
            let shown = notify_rust::Notification::new()
                .appname("Lodestar")
                .summary(&n.sender)
                .body(&n.preview)
                .icon("org.lodestar.desktop")
                .action("default", "Open")
                .hint(notify_rust::Hint::Category("im.received".into()))
                .show();
            match shown {
                Ok(shown) => shown.wait_for_action(|action| {
                    if action == "default" {
                        crate::events::open_conversation(&handle, n.conversation_id);
                    }
                }),
                Err(e) => tracing::info!(error = %e, "no notification daemon answered"),
            }
        });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "notification thread not started");
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod plugin {
    use super::*;
    use tauri_plugin_notification::NotificationExt;

    pub fn show<R: Runtime>(handle: &AppHandle<R>, n: &Notification) {
        if let Err(e) = handle.notification().builder().title(&n.sender).body(&n.preview).show() {
            tracing::info!(error = %e, "notification not shown");
        }
    }
}
