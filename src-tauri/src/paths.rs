//! Where the app keeps its data.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};

/// `LODESTAR_DATA_DIR` when set (tests, power users), else the platform's app-data folder.
pub fn data_dir<R: Runtime>(handle: &AppHandle<R>) -> tauri::Result<PathBuf> {
    match data_dir_override() {
        Some(dir) => Ok(dir),
        None => handle.path().app_data_dir(),
    }
}

/// `LODESTAR_DATA_DIR`, when set.
pub fn data_dir_override() -> Option<PathBuf> {
    std::env::var_os("LODESTAR_DATA_DIR").filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// `LODESTAR_SERVER` when set: the server the sign-in screen offers.
pub fn server_override() -> Option<String> {
    std::env::var("LODESTAR_SERVER").ok().filter(|s| !s.trim().is_empty())
}
