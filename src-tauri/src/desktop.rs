//! What the desktop around the window does for the app: one instance per data folder, starting
//! with the session (hidden in the tray), and sharing links through the clipboard.

use lodestar_client::app::App;
use lodestar_client::{ClientError, ClientResult};
use lodestar_protocol::links::Target;
use tauri::{AppHandle, Runtime};
use tauri_plugin_autostart::ManagerExt;
use tauri_plugin_clipboard_manager::ClipboardExt;

/// The argument the login entry starts the app with: no window, only the tray and
/// notifications, until the user opens it.
pub const HIDDEN: &str = "--hidden";

/// Whether this launch asked to stay in the tray.
pub fn started_hidden() -> bool {
    std::env::args().any(|a| a == HIDDEN)
}

/// The single-instance plugin: a second launch over the same data folder hands its arguments
/// (a clicked link) to the running app, which comes forward, and exits.
///
/// On Linux instances find each other on the session bus by name; the name carries the data
/// folder when `LODESTAR_DATA_DIR` sets one, so two accounts in two folders run side by side.
pub fn single_instance<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    let builder = tauri_plugin_single_instance::Builder::new()
        .callback(|handle, args, _cwd| crate::open::arguments(handle, &args));
    #[cfg(target_os = "linux")]
    let builder = match std::env::var("LODESTAR_DATA_DIR").ok().filter(|d| !d.is_empty()) {
        Some(dir) => {
            builder.dbus_id(format!("org.lodestar.desktop.d{:016x}", fnv1a(dir.as_bytes())))
        }
        None => builder,
    };
    builder.build()
}

/// A stable hash (the bus name must not change between two launches of one build).
#[cfg(target_os = "linux")]
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// The autostart plugin, its login entry starting the app hidden.
pub fn autostart<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_autostart::Builder::new().args([HIDDEN]).app_name("Lodestar").build()
}

fn desktop(what: &str, e: impl std::fmt::Display) -> ClientError {
    ClientError::Desktop(format!("{what}: {e}"))
}

/// Whether the app starts with the session.
pub fn starts_at_login<R: Runtime>(handle: &AppHandle<R>) -> ClientResult<bool> {
    handle.autolaunch().is_enabled().map_err(|e| desktop("cannot read the login items", e))
}

/// Starts the app with the session (hidden in the tray), or not.
pub fn set_starts_at_login<R: Runtime>(handle: &AppHandle<R>, on: bool) -> ClientResult<()> {
    let launcher = handle.autolaunch();
    let done = if on { launcher.enable() } else { launcher.disable() };
    done.map_err(|e| desktop("cannot change the login items", e))
}

/// Puts the link to `target` on the clipboard, and answers it.
pub async fn copy_link<R: Runtime>(
    handle: &AppHandle<R>,
    app: &App,
    target: Target,
) -> ClientResult<String> {
    let link = app.share_link(target).await?;
    handle
        .clipboard()
        .write_text(link.clone())
        .map_err(|e| desktop("cannot use the clipboard", e))?;
    Ok(link)
}
