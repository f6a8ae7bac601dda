//! The desktop app's facade: everything the window can ask for, one method each, so that the
//! Tauri shell's commands are one-liners. It owns the [`Client`] and the background [`Engine`]
//! of whoever is signed in, and re-broadcasts the engine's events on one stream that outlives
//! sign-outs and sign-ins. This file is the engine room and the settings; each domain the
//! window shows has a file of its own (`account`, `conversations`, `outbox`, `directory`,
//! `profile`, `groups`, `mentorship`), and so do the shapes of its screens (`views/`).

mod account;
mod conversations;
mod directory;
mod error;
mod groups;
mod links;
mod media;
mod mentorship;
mod message_actions;
mod outbox;
mod profile;
mod safety;
mod sessions;
mod settings;
#[cfg(test)]
mod topics_tests;
pub mod views;

use std::path::{Path, PathBuf};
use std::sync::Mutex as StdMutex;

use tokio::sync::{broadcast, Mutex, RwLock};

use crate::client::Client;
use crate::engine::{Engine, Event, SyncState, Topic};
use crate::error::ClientResult;
pub use error::AppError;
pub use media::MediaRef;
pub use settings::{LastView, SettingsFile};
pub use views::SessionView;

/// The desktop app's engine room.
pub struct App {
    client: RwLock<Client>,
    engine: Mutex<Option<Engine>>,
    events: broadcast::Sender<Event>,
    sync: std::sync::Arc<StdMutex<SyncState>>,
    settings: SettingsFile,
    server_override: Option<String>,
    opened_at: std::time::Instant,
    ready: std::sync::Once,
}

/// Until the engine says otherwise: connecting and catching up.
fn connecting() -> SyncState {
    SyncState::Syncing { applied: 0, estimated_total: 0, more: true }
}

/// No engine, no sync.
fn signed_out() -> SyncState {
    SyncState::Offline { reason: "signed out".to_owned(), retry_in_ms: 0 }
}

impl App {
    /// Opens the app's data folder; when a session was saved there, signs in and starts
    /// syncing. `server_override` (from `LODESTAR_SERVER`) is offered on the sign-in screen.
    pub async fn open(data_dir: &Path, server_override: Option<String>) -> ClientResult<App> {
        let app = App::over(Client::open(data_dir).await?, data_dir, server_override);
        app.restart_engine().await;
        Ok(app)
    }

    /// The app over `client`, its engine not started.
    fn over(client: Client, data_dir: &Path, server_override: Option<String>) -> App {
        let (events, _) = broadcast::channel(1024);
        App {
            client: RwLock::new(client),
            engine: Mutex::new(None),
            events,
            sync: std::sync::Arc::new(StdMutex::new(signed_out())),
            settings: SettingsFile::load(data_dir),
            server_override: server_override.map(|s| s.trim_end_matches('/').to_owned()),
            opened_at: std::time::Instant::now(),
            ready: std::sync::Once::new(),
        }
    }

    /// Every event of the engine of whoever is signed in, now and after later sign-ins.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Where the app keeps its files.
    pub fn data_dir(&self) -> PathBuf {
        self.settings.dir().to_owned()
    }

    /// Stops the engine (the app is closing).
    pub async fn shutdown(&self) {
        if let Some(engine) = self.engine.lock().await.take() {
            engine.stop().await;
        }
    }

    /// Starts the engine of the signed-in user (stopping any previous one) and forwards its
    /// events.
    async fn restart_engine(&self) {
        let mut slot = self.engine.lock().await;
        if let Some(old) = slot.take() {
            old.stop().await;
        }
        let client = self.client.read().await;
        let state = if client.signed_in().is_some() { connecting() } else { signed_out() };
        *self.sync.lock().unwrap_or_else(|p| p.into_inner()) = state;
        if client.signed_in().is_none() {
            return;
        }
        match client.start_engine() {
            Ok(engine) => {
                let mut rx = engine.subscribe();
                let tx = self.events.clone();
                let sync = self.sync.clone();
                tokio::spawn(async move {
                    loop {
                        match rx.recv().await {
                            Ok(event) => {
                                if let Event::Sync(state) = &event {
                                    *sync.lock().unwrap_or_else(|p| p.into_inner()) = state.clone();
                                }
                                // No window listening yet is not an error.
                                let _ = tx.send(event);
                            }
                            Err(broadcast::error::RecvError::Lagged(n)) => {
                                tracing::warn!(missed = n, "the window fell behind the engine");
                                // Which changes were missed is unknown: everything is stale.
                                for topic in Topic::ALL {
                                    let _ = tx.send(topic.all());
                                }
                            }
                            Err(broadcast::error::RecvError::Closed) => break,
                        }
                    }
                });
                *slot = Some(engine);
            }
            Err(e) => tracing::warn!(error = %e, "the engine did not start"),
        }
    }

    /// Tells the engine to push now.
    async fn kick(&self) {
        if let Some(engine) = self.engine.lock().await.as_ref() {
            engine.kick();
        }
    }

    /// Tells the window something changed here (not through the engine).
    fn changed(&self, event: Event) {
        let _ = self.events.send(event);
    }

    /// Where sync stands now.
    pub fn sync_state(&self) -> SyncState {
        self.sync.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The app's settings.
    pub async fn settings(&self) -> ClientResult<views::Settings> {
        Ok(views::Settings {
            server: self.session().await?.server,
            notifications: self.settings.notifications(),
            data_dir: self.settings.dir().display().to_string(),
        })
    }

    /// Turns desktop notifications on or off (kept across restarts).
    pub fn set_notifications(&self, on: bool) -> ClientResult<()> {
        self.settings.set_notifications(on)
    }

    /// Where the user was when the window last closed.
    pub fn last_view(&self) -> LastView {
        self.settings.last_view()
    }

    /// Remembers where the user is (the open conversation, the message at the top of its view).
    pub fn remember_view(&self, view: LastView) -> ClientResult<()> {
        self.settings.set_last_view(view)
    }

    /// The window painted its first screen: logged once (target `lodestar::ready`), with the
    /// time since the engine opened and the page's own time since its navigation began;
    /// benchmarks time the whole start up to this line.
    pub fn ui_ready(&self, page_ms: f64) {
        self.ready.call_once(|| {
            let ms = self.opened_at.elapsed().as_secs_f64() * 1000.0;
            tracing::info!(target: "lodestar::ready", ms, page_ms, "ui ready");
        });
    }

    /// Whether desktop notifications are on.
    pub fn notifications_enabled(&self) -> bool {
        self.settings.notifications()
    }
}
