//! The floor app of `make bench`: one Tauri window showing a static page, and nothing else (no
//! engine, no tray, no plugins). Lodestar's cold start and idle memory are judged against it,
//! measured in the same run on the same WebKitGTK (issue 18's ratio budgets).
//!
//! Like Lodestar's, its window is created hidden and shown once the page has loaded: shown
//! before, WebKitGTK without compositing may block its first draw up to 500 ms (see
//! `src-tauri/src/first_show.rs`), which would make the floor slow at random, not low.

use tauri::webview::PageLoadEvent;
use tauri::Manager;

/// The page says it painted: the same "ui ready" line Lodestar's log prints, which
/// `ui/tests/e2e/measure.mjs` times from the spawn.
#[tauri::command]
fn ready(page_ms: f64) {
    eprintln!("ui ready ms=0 page_ms={page_ms:.1}");
}

fn main() {
    let app = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .on_page_load(|webview, payload| {
            if payload.event() == PageLoadEvent::Finished {
                if let Some(window) = webview.app_handle().get_webview_window("main") {
                    let _ = window.show();
                }
            }
        })
        .run(tauri::generate_context!());
    if let Err(e) = app {
        eprintln!("lodestar-floor: {e}");
        std::process::exit(1);
    }
}
