//! Opening something in the window: a clicked notification, a `lodestar://` link (from the
//! system, or a second launch handing over its arguments), the tray. Each caller names only what
//! to open; this module brings the window forward and hands the window its target.
//!
//! The window may not be listening yet (a link that started the app arrives before the page has
//! loaded), so what to open waits in one slot and the `open` event only says "something waits":
//! the window takes it with `take_opening` on that event and once when it starts. The newest
//! request wins; nothing is opened twice.

use std::sync::{Mutex, PoisonError};

use lodestar_client::app::views::Opening;
use lodestar_client::app::App;
use lodestar_protocol::links::Target;
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// What waits for the window to take it.
#[derive(Default)]
pub struct Pending(Mutex<Option<Opening>>);

/// The window's event: something waits to be opened (`take_opening`).
pub const EVENT: &str = "open";

/// Shows `target`: the window comes forward and is told (a notification's click).
pub fn target<R: Runtime>(handle: &AppHandle<R>, target: Target) {
    deliver(handle, Opening::Open { target });
}

/// Shows what a `lodestar://` link names, or why it cannot.
pub fn link<R: Runtime>(handle: &AppHandle<R>, text: String) {
    resolve(handle, text, deliver);
}

/// Reads a link against the session (in the background: the session is async), then `then`.
fn resolve<R: Runtime>(handle: &AppHandle<R>, text: String, then: fn(&AppHandle<R>, Opening)) {
    let handle = handle.clone();
    tauri::async_runtime::spawn(async move {
        let opening = handle.state::<App>().opening_for_link(&text).await;
        then(&handle, opening);
    });
}

/// A launch's arguments (this one's, or a second launch's): opens the link among them, if any,
/// else just brings the window forward.
pub fn arguments<R: Runtime>(handle: &AppHandle<R>, args: &[String]) {
    match find_link(args) {
        Some(text) => link(handle, text.clone()),
        None => crate::first_show::bring_forward(handle),
    }
}

/// This launch's own arguments: a link among them waits for the window, which shows as usual
/// once its page has loaded (showing it earlier costs the first frame; see `first_show`).
pub fn at_start<R: Runtime>(handle: &AppHandle<R>, args: &[String]) {
    if let Some(text) = find_link(args) {
        resolve(handle, text.clone(), keep);
    }
}

fn find_link(args: &[String]) -> Option<&String> {
    let scheme = format!("{}:", lodestar_protocol::links::SCHEME);
    args.iter().skip(1).find(|a| a.starts_with(&scheme))
}

fn keep<R: Runtime>(handle: &AppHandle<R>, opening: Opening) {
    if let Some(pending) = handle.try_state::<Pending>() {
        *pending.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(opening);
    }
    if let Err(e) = handle.emit(EVENT, ()) {
        tracing::warn!(error = %e, "the window was not told what to open");
    }
}

fn deliver<R: Runtime>(handle: &AppHandle<R>, opening: Opening) {
    keep(handle, opening);
    crate::first_show::bring_forward(handle);
}

/// What waits to be opened, taken (the window's `take_opening`).
pub fn take<R: Runtime>(handle: &AppHandle<R>) -> Option<Opening> {
    handle.try_state::<Pending>()?.0.lock().unwrap_or_else(PoisonError::into_inner).take()
}
