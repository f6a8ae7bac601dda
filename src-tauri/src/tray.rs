//! The unread total in the window title and on the tray icon, the tray's menu, and the app kept
//! running there when its window closes.

use std::sync::Arc;

use lodestar_client::app::App;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};
use tokio::sync::Notify;

/// The tray icon's id.
const TRAY: &str = "lodestar";

/// Recounts unread messages shortly after things change, and shows the total.
pub struct TitleUpdater {
    poke: Arc<Notify>,
}

impl TitleUpdater {
    /// Starts the updater (and shows the count once at start).
    pub fn new<R: Runtime>(handle: AppHandle<R>) -> TitleUpdater {
        let poke = Arc::new(Notify::new());
        let wake = poke.clone();
        tauri::async_runtime::spawn(async move {
            loop {
                // Many changes in a burst make one recount.
                tokio::time::sleep(crate::events::TITLE_DEBOUNCE).await;
                show_unread(&handle).await;
                wake.notified().await;
            }
        });
        TitleUpdater { poke }
    }

    /// Something that may change the count happened.
    pub fn poke(&self) {
        self.poke.notify_one();
    }
}

/// "Lodestar (3)" or "Lodestar".
pub fn title(unread: i64) -> String {
    if unread > 0 {
        format!("Lodestar ({unread})")
    } else {
        "Lodestar".to_owned()
    }
}

async fn show_unread<R: Runtime>(handle: &AppHandle<R>) {
    // Signed out counts as nothing unread.
    let unread = handle.state::<App>().unread_total().await.unwrap_or(0);
    let text = title(unread);
    if let Some(window) = handle.get_webview_window(crate::first_show::MAIN) {
        if let Err(e) = window.set_title(&text) {
            tracing::debug!(error = %e, "title not set");
        }
    }
    if let Some(tray) = handle.tray_by_id(TRAY) {
        let tip = if unread > 0 { format!("{unread} unread") } else { "No unread messages".into() };
        let _ = tray.set_tooltip(Some(&tip));
        let _ = tray.set_title(Some(if unread > 0 { unread.to_string() } else { String::new() }));
    }
}

/// Adds the tray icon with "Open Lodestar" and "Quit". Desktops without a tray (or a display
/// server without a status-notifier host) just do without.
pub fn install<R: Runtime>(handle: &AppHandle<R>) {
    let build = || -> tauri::Result<()> {
        let open = MenuItem::with_id(handle, "open", "Open Lodestar", true, None::<&str>)?;
        let quit = MenuItem::with_id(handle, "quit", "Quit", true, None::<&str>)?;
        let menu = Menu::with_items(handle, &[&open, &quit])?;
        let mut tray = TrayIconBuilder::with_id(TRAY).menu(&menu).tooltip("Lodestar");
        if let Some(icon) = handle.default_window_icon() {
            tray = tray.icon(icon.clone());
        }
        tray.on_menu_event(|app, event| match event.id.as_ref() {
            "open" => crate::first_show::bring_forward(app),
            "quit" => app.exit(0),
            _ => {}
        })
        .build(handle)?;
        Ok(())
    };
    if let Err(e) = build() {
        tracing::info!(error = %e, "no tray icon on this desktop");
    }
}

/// The last window closed (not "Quit", which exits with a code): with a tray icon to come back
/// through, the app keeps running there (the engine syncing, notifications arriving) without its
/// webview, whose processes end with it; without one, closing quits as it always did.
pub fn keep_running<R: Runtime>(handle: &AppHandle<R>, api: &tauri::ExitRequestApi) {
    if handle.tray_by_id(TRAY).is_none() {
        return;
    }
    api.prevent_exit();
    tracing::info!("window closed: Lodestar stays in the tray");
    // What the webview's side of this process held is free now: give it back.
    tauri::async_runtime::spawn_blocking(crate::heap::release_free_heap);
}

#[cfg(test)]
mod tests {
    use super::title;

    #[test]
    fn the_title_carries_the_unread_total() {
        assert_eq!(title(0), "Lodestar");
        assert_eq!(title(3), "Lodestar (3)");
    }
}
