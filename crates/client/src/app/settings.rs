//! The app's own settings, a small JSON file in the data folder written atomically.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::error::{ClientError, ClientResult};

#[derive(Serialize, Deserialize)]
struct Stored {
    notifications: bool,
}

/// `settings.json` in the data folder.
pub struct SettingsFile {
    dir: PathBuf,
    notifications: AtomicBool,
}

impl SettingsFile {
    /// Reads the settings; a missing or unreadable file means the defaults.
    pub fn load(dir: &Path) -> SettingsFile {
        let stored = std::fs::read(dir.join("settings.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok());
        SettingsFile {
            dir: dir.to_owned(),
            notifications: AtomicBool::new(stored.is_none_or(|s| s.notifications)),
        }
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether notifications are on.
    pub fn notifications(&self) -> bool {
        self.notifications.load(Ordering::Relaxed)
    }

    /// Turns notifications on or off and saves.
    pub fn set_notifications(&self, on: bool) -> ClientResult<()> {
        self.notifications.store(on, Ordering::Relaxed);
        let body = serde_json::to_vec_pretty(&Stored { notifications: on })
            .map_err(|e| ClientError::Corrupt(format!("settings: {e}")))?;
        let tmp = self.dir.join("settings.json.tmp");
        let save = || -> std::io::Result<()> {
            crate::private::private_dir(&self.dir)?;
            std::fs::write(&tmp, &body)?;
            std::fs::rename(&tmp, self.dir.join("settings.json"))
        };
        save().map_err(|e| ClientError::Corrupt(format!("cannot save settings: {e}")))
    }
}
