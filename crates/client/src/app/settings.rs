//! The app's own settings, a small JSON file in the data folder written atomically: whether
//! notifications are on, and where the user was (the open conversation and the message at the
//! top of its view), so the window opens where it was left.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{ClientError, ClientResult};

/// Where the user was in the window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LastView {
    /// The open conversation.
    pub conversation_id: Option<Uuid>,
    /// The message at the top of its view, when the user had scrolled up from the newest.
    pub anchor: Option<Uuid>,
}

#[derive(Clone, Serialize, Deserialize)]
struct Stored {
    notifications: bool,
    #[serde(default)]
    last_view: LastView,
}

impl Default for Stored {
    fn default() -> Self {
        Stored { notifications: true, last_view: LastView::default() }
    }
}

/// `settings.json` in the data folder.
pub struct SettingsFile {
    dir: PathBuf,
    stored: Mutex<Stored>,
}

impl SettingsFile {
    /// Reads the settings; a missing or unreadable file means the defaults.
    pub fn load(dir: &Path) -> SettingsFile {
        let stored = std::fs::read(dir.join("settings.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .unwrap_or_default();
        SettingsFile { dir: dir.to_owned(), stored: Mutex::new(stored) }
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn read<T>(&self, f: impl FnOnce(&Stored) -> T) -> T {
        f(&self.stored.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Changes the settings and saves them.
    fn change(&self, f: impl FnOnce(&mut Stored)) -> ClientResult<()> {
        let body = {
            let mut stored = self.stored.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut stored);
            serde_json::to_vec_pretty(&*stored)
                .map_err(|e| ClientError::Corrupt(format!("settings: {e}")))?
        };
        let tmp = self.dir.join("settings.json.tmp");
        let save = || -> std::io::Result<()> {
            crate::private::private_dir(&self.dir)?;
            std::fs::write(&tmp, &body)?;
            std::fs::rename(&tmp, self.dir.join("settings.json"))
        };
        save().map_err(|e| ClientError::Corrupt(format!("cannot save settings: {e}")))
    }

    /// Whether notifications are on.
    pub fn notifications(&self) -> bool {
        self.read(|s| s.notifications)
    }

    /// Turns notifications on or off and saves.
    pub fn set_notifications(&self, on: bool) -> ClientResult<()> {
        self.change(|s| s.notifications = on)
    }

    /// Where the user was.
    pub fn last_view(&self) -> LastView {
        self.read(|s| s.last_view.clone())
    }

    /// Remembers where the user is (unchanged: nothing written).
    pub fn set_last_view(&self, view: LastView) -> ClientResult<()> {
        if self.read(|s| s.last_view == view) {
            return Ok(());
        }
        self.change(|s| s.last_view = view)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_last_view_and_notifications_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let s = SettingsFile::load(dir.path());
        assert!(s.notifications(), "on by default");
        assert_eq!(s.last_view(), LastView::default());
        let view = LastView { conversation_id: Some(Uuid::new_v4()), anchor: Some(Uuid::new_v4()) };
        s.set_last_view(view.clone()).unwrap();
        s.set_notifications(false).unwrap();
        let again = SettingsFile::load(dir.path());
        assert_eq!(again.last_view(), view);
        assert!(!again.notifications());
    }

    #[test]
    fn a_settings_file_of_an_older_version_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("settings.json"), r#"{"notifications": false}"#).unwrap();
        let s = SettingsFile::load(dir.path());
        assert!(!s.notifications());
        assert_eq!(s.last_view(), LastView::default());
    }
}
