//! The window's size, place and maximized state (tauri-plugin-window-state), kept per data
//! folder and restored at the start onto a monitor that still exists. Whether the window is
//! shown stays `first_show`'s decision.
//!
//! The plugin writes the state when the app exits normally; a crash, a kill or a logout that
//! ends the process would lose it, so it is also written half a second after the user stops
//! moving or resizing the window.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tauri::{Manager, Runtime, Window, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What is kept and restored: everything but visibility.
fn flags() -> StateFlags {
    StateFlags::all() - StateFlags::VISIBLE
}

/// How long after the last move or resize the state is written.
const SETTLE: Duration = Duration::from_millis(500);

/// Counts moves and resizes, so that only the last of a burst writes.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The plugin, its file in the data folder when `LODESTAR_DATA_DIR` names one (tests and second
/// accounts keep their own).
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    let builder = tauri_plugin_window_state::Builder::default().with_state_flags(flags());
    // An absolute name replaces the plugin's own folder.
    match crate::paths::data_dir_override() {
        Some(dir) => builder.with_filename(dir.join("window-state.json").to_string_lossy()),
        None => builder,
    }
    .build()
}

/// The window hook: writes the state once a move or resize has settled.
///
/// The write runs on the main thread. The plugin's `save_window_state` holds its cache lock while
/// it asks the window for its size and place, and from any other thread each question waits for
/// the main thread; the main thread, handling the next Moved or Resized event, waits for that
/// same lock in the plugin's own hook: a deadlock that froze the window (and the web page) when a
/// resize arrived during a write.
pub fn on_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
        return;
    }
    let generation = GENERATION.fetch_add(1, Ordering::SeqCst) + 1;
    let handle = window.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SETTLE).await;
        if GENERATION.load(Ordering::SeqCst) != generation {
            return;
        }
        let app = handle.clone();
        let queued = handle.run_on_main_thread(move || {
            if let Err(e) = app.save_window_state(flags()) {
                tracing::debug!(error = %e, "window state not saved");
            }
        });
        if let Err(e) = queued {
            tracing::debug!(error = %e, "window state not saved: the app is closing");
        }
    });
}
