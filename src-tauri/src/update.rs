//! Updates (tauri-plugin-updater): the app asks the program's server (`GET /v1/app/latest`)
//! shortly after it starts and every six hours, for the release its operator published.
//!
//! Where the platform can install one itself (Windows, macOS, an AppImage), the update is
//! downloaded in the background and its minisign signature checked against the public key built
//! into the app (tauri.conf.json); only then does the window offer "Restart to update", and a
//! restart waits while an upload is in flight (it would start again from its first byte; drafts
//! and queued messages are in the replica and survive it). A `.deb` or `.rpm` belongs to the
//! system's package manager: the window says "Lodestar X.Y is available" with the download's
//! address instead. A bad signature is never installed, and the window says so.
//!
//! Development builds (tests) may name another key (`LODESTAR_UPDATE_PUBKEY`) and how to act
//! (`LODESTAR_UPDATE_MODE=install|notify`); release builds ignore both.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use lodestar_client::app::App;
use lodestar_client::{ClientError, ClientResult};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::UpdaterExt;

/// The window's event: the update's state changed (`UpdateState`).
pub const EVENT: &str = "update";

/// How long after the start the first check waits (the start itself comes first).
const FIRST_CHECK: Duration = Duration::from_secs(3);
/// How often the app asks again while it runs.
const EVERY: Duration = Duration::from_secs(6 * 3600);
/// How often a signed-out app looks whether someone signed in (a local read).
const UNTIL_SIGNED_IN: Duration = Duration::from_secs(5);

/// Where the update stands, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum UpdateState {
    /// Not asked yet (or signed out: the feed is the program's server).
    Idle,
    /// Asking the server.
    Checking,
    /// This is the newest version.
    UpToDate,
    /// A newer version the system's package manager installs: where to get it.
    Available {
        /// Its version.
        version: String,
        /// What changed.
        notes: Option<String>,
        /// Where to download it.
        url: String,
    },
    /// Downloading a newer version.
    Downloading {
        /// Its version.
        version: String,
        /// Bytes so far.
        done: u64,
        /// Bytes in all, when known.
        total: Option<u64>,
    },
    /// Downloaded and its signature checked: a restart installs it.
    Ready {
        /// Its version.
        version: String,
        /// What changed.
        notes: Option<String>,
    },
    /// The check, the download or the signature failed.
    Failed {
        /// `bad_signature`, `offline` or `failed`.
        code: String,
        /// For people.
        message: String,
    },
}

/// The update's state, and the checked bytes of one that is ready.
pub struct Updates {
    state: Mutex<UpdateState>,
    ready: Mutex<Option<(tauri_plugin_updater::Update, Vec<u8>)>>,
}

impl Default for Updates {
    fn default() -> Self {
        Updates { state: Mutex::new(UpdateState::Idle), ready: Mutex::new(None) }
    }
}

/// Where the update stands now.
pub fn state<R: Runtime>(handle: &AppHandle<R>) -> UpdateState {
    handle.state::<Updates>().state.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

fn set<R: Runtime>(handle: &AppHandle<R>, state: UpdateState) {
    *handle.state::<Updates>().state.lock().unwrap_or_else(PoisonError::into_inner) = state.clone();
    if let Err(e) = handle.emit(EVENT, state) {
        tracing::debug!(error = %e, "the window was not told about the update");
    }
}

/// Checks shortly after the start (or the sign-in, the feed being the program's server), then
/// every six hours.
pub fn schedule<R: Runtime>(handle: &AppHandle<R>) {
    let handle = handle.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(FIRST_CHECK).await;
        loop {
            let signed_in = handle.state::<App>().session().await.is_ok_and(|s| s.signed_in);
            if signed_in {
                check(&handle).await;
                tokio::time::sleep(EVERY).await;
            } else {
                tokio::time::sleep(UNTIL_SIGNED_IN).await;
            }
        }
    });
}

/// Whether this installation can replace itself (else the system's package manager does).
fn can_install() -> bool {
    use tauri::utils::{config::BundleType, platform::bundle_type};
    if cfg!(debug_assertions) {
        if let Ok(mode) = std::env::var("LODESTAR_UPDATE_MODE") {
            return mode == "install";
        }
    }
    matches!(
        bundle_type(),
        Some(BundleType::AppImage | BundleType::Msi | BundleType::Nsis | BundleType::App)
    )
}

fn failed(code: &str, message: impl Into<String>) -> UpdateState {
    UpdateState::Failed { code: code.to_owned(), message: message.into() }
}

/// Asks the signed-in server for a newer version, and gets it ready where it can be installed.
pub async fn check<R: Runtime>(handle: &AppHandle<R>) {
    let session = match handle.state::<App>().session().await {
        Ok(s) if s.signed_in => s,
        _ => return set(handle, UpdateState::Idle),
    };
    // Release builds speak to the feed over https only (the updater refuses plain http there);
    // a plain-http program server is a local or test one, with no releases to offer.
    if !cfg!(debug_assertions) && !session.server.starts_with("https://") {
        return set(handle, UpdateState::Idle);
    }
    // Already downloaded and checked: nothing to ask until it is installed.
    if matches!(state(handle), UpdateState::Ready { .. } | UpdateState::Downloading { .. }) {
        return;
    }
    set(handle, UpdateState::Checking);
    let started = Instant::now();
    let feed = format!(
        "{}/v1/app/latest?target={{{{target}}}}&arch={{{{arch}}}}&current_version={{{{current_version}}}}&bundle_type={{{{bundle_type}}}}",
        session.server
    );
    let update = match updater(handle, &feed) {
        Ok(u) => u.check().await,
        Err(e) => return set(handle, failed("failed", e)),
    };
    tracing::info!(ms = started.elapsed().as_millis() as u64, "update check");
    let update = match update {
        Ok(Some(update)) => update,
        Ok(None) => return set(handle, UpdateState::UpToDate),
        Err(e) => {
            return set(handle, failed("offline", format!("Could not check for updates: {e}")))
        }
    };
    let version = update.version.clone();
    if !can_install() {
        let url = update.download_url.to_string();
        return set(handle, UpdateState::Available { version, notes: update.body.clone(), url });
    }
    set(handle, UpdateState::Downloading { version: version.clone(), done: 0, total: None });
    let mut done = 0u64;
    let mut shown = Instant::now();
    let progress = |chunk: usize, total: Option<u64>| {
        done += chunk as u64;
        // A few updates a second are enough for a progress bar.
        if shown.elapsed() > Duration::from_millis(250) {
            shown = Instant::now();
            set(handle, UpdateState::Downloading { version: version.clone(), done, total });
        }
    };
    match update.download(progress, || {}).await {
        Ok(bytes) => {
            let notes = update.body.clone();
            *handle.state::<Updates>().ready.lock().unwrap_or_else(PoisonError::into_inner) =
                Some((update, bytes));
            set(handle, UpdateState::Ready { version, notes });
        }
        Err(tauri_plugin_updater::Error::Minisign(e)) => set(
            handle,
            failed(
                "bad_signature",
                format!(
                    "Lodestar {version} was downloaded but its signature does not match Lodestar's \
                     key ({e}); it was not installed. Tell your program's coordinators."
                ),
            ),
        ),
        Err(e) => {
            set(handle, failed("offline", format!("Could not download Lodestar {version}: {e}")))
        }
    }
}

fn updater<R: Runtime>(
    handle: &AppHandle<R>,
    feed: &str,
) -> Result<tauri_plugin_updater::Updater, String> {
    let url = feed.parse().map_err(|e| format!("the update address does not parse: {e}"))?;
    let mut builder = handle
        .updater_builder()
        .endpoints(vec![url])
        .map_err(|e| e.to_string())?
        .timeout(Duration::from_secs(30));
    if cfg!(debug_assertions) {
        if let Ok(key) = std::env::var("LODESTAR_UPDATE_PUBKEY") {
            builder = builder.pubkey(key);
        }
    }
    builder.build().map_err(|e| e.to_string())
}

/// Installs the update that is ready and starts the new version; refused while an upload is in
/// flight or when nothing is ready.
pub async fn restart<R: Runtime>(handle: &AppHandle<R>) -> ClientResult<()> {
    let uploads = handle.state::<App>().uploads_in_flight().await?;
    if uploads > 0 {
        return Err(ClientError::Desktop(format!(
            "{uploads} upload{} still in flight: Lodestar restarts when {} done",
            if uploads == 1 { " is" } else { "s are" },
            if uploads == 1 { "it is" } else { "they are" }
        )));
    }
    let ready =
        handle.state::<Updates>().ready.lock().unwrap_or_else(PoisonError::into_inner).take();
    let Some((update, bytes)) = ready else {
        return Err(ClientError::Desktop("no update is ready to install".into()));
    };
    if let Err(e) = update.install(&bytes) {
        let message = format!("Lodestar {} could not be installed: {e}", update.version);
        set(handle, failed("failed", message.clone()));
        return Err(ClientError::Desktop(message));
    }
    handle.state::<App>().shutdown().await;
    handle.restart()
}
