//! The main window is created hidden (tauri.conf.json) and shown once its page has loaded; and
//! brought forward on request. Closed, it is gone, webview and all (the app stays in the tray,
//! see `tray::keep_running`): bringing it forward then creates it again, from the replica.
//!
//! Why: without accelerated compositing (our Linux default, see `linux_webview_defaults`),
//! WebKitGTK answers the window's first draw by asking the web process for a frame and blocking
//! the UI thread up to 500 ms for it (`DrawingAreaProxyCoordinatedGraphics::forceUpdateIfNeeded`).
//! A window mapped before the page has anything to paint hits that wait while the page itself
//! waits on the blocked UI thread for `tauri://` and IPC responses: half the cold starts took
//! ~500 ms longer (measured: 922–955 ms vs 426–448 ms). Shown after the load, the first draw
//! gets its frame at once. Elsewhere it spares the user a blank white window.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::webview::{PageLoadEvent, PageLoadPayload};
use tauri::{AppHandle, Manager, Runtime, Webview, WebviewWindow, WebviewWindowBuilder};

/// The main window's label.
pub const MAIN: &str = "main";

/// Whichever of the page load and the fallback comes first shows the window; after that neither
/// does anything (a reload, or a window the user has since hidden, stays as it is) until the
/// window is created again.
static SHOWN: AtomicBool = AtomicBool::new(false);

/// A page that never finishes loading (a broken build, a stuck script) must still give the user
/// a window to look at and close.
const AT_THE_LATEST: Duration = Duration::from_secs(3);

/// The page-load hook: shows the main window when its page finished loading.
pub fn on_page_load<R: Runtime>(webview: &Webview<R>, payload: &PageLoadPayload<'_>) {
    if payload.event() == PageLoadEvent::Finished && webview.label() == MAIN {
        show(webview.app_handle());
    }
}

/// Creates the main window (hidden until its page loads, or `AT_THE_LATEST`) from its
/// configuration in tauri.conf.json, where `"create": false` leaves it to this.
pub fn open<R: Runtime>(handle: &AppHandle<R>) -> tauri::Result<WebviewWindow<R>> {
    let config =
        handle.config().app.windows.iter().find(|w| w.label == MAIN).cloned().unwrap_or_default();
    SHOWN.store(false, Ordering::SeqCst);
    let window = WebviewWindowBuilder::from_config(handle, &config)?.build()?;
    fallback(handle);
    Ok(window)
}

/// Shows the main window after `AT_THE_LATEST` whatever the page did.
fn fallback<R: Runtime>(handle: &AppHandle<R>) {
    let handle = handle.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(AT_THE_LATEST).await;
        show(&handle);
    });
}

fn show<R: Runtime>(handle: &AppHandle<R>) {
    let Some(window) = handle.get_webview_window(MAIN) else {
        return;
    };
    if SHOWN.swap(true, Ordering::SeqCst) {
        return;
    }
    tracing::debug!("showing the main window");
    if let Err(e) = window.show() {
        tracing::warn!(error = %e, "cannot show the main window");
    }
}

/// Brings the main window in front of the user (the tray's "Open Lodestar", a notification
/// clicked, a second launch): out of the taskbar, shown, focused; created again if it was closed
/// (it shows once its page has loaded). It counts as the first show if none came yet.
pub fn bring_forward<R: Runtime>(handle: &AppHandle<R>) {
    let Some(window) = handle.get_webview_window(MAIN) else {
        // Off the caller's thread: on Windows, creating a window inside an event handler of the
        // main thread deadlocks.
        let handle = handle.clone();
        tauri::async_runtime::spawn(async move {
            if let Err(e) = open(&handle) {
                tracing::warn!(error = %e, "cannot open the main window");
            }
        });
        return;
    };
    SHOWN.store(true, Ordering::SeqCst);
    // Best effort: some window managers refuse focus requests.
    let _ = window.unminimize();
    let _ = window.show();
    let _ = window.set_focus();
}
