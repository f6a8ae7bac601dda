//! The desktop app's update feed: a release an operator publishes in a file (`--app-feed`,
//! Tauri's static update JSON), served per platform by `GET /v1/app/latest`.
//!
//! The file is checked whole when the server starts (a broken feed stops the start with every
//! problem named), and read again when it changes, so publishing a release needs no restart; a
//! changed file that no longer reads keeps the last good release and logs why.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use lodestar_protocol::updates::FeedFile;
use lodestar_protocol::validate;

/// The feed, when the operator configured one.
#[derive(Clone, Default)]
pub struct AppFeed {
    source: Option<Arc<Source>>,
}

struct Source {
    path: PathBuf,
    current: Mutex<(Option<SystemTime>, FeedFile)>,
}

fn read(path: &PathBuf) -> Result<(Option<SystemTime>, FeedFile), String> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let feed: FeedFile = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} is not an update feed: {e}", path.display()))?;
    validate::updates::feed(&feed).map_err(|p| format!("{}:\n{p}", path.display()))?;
    Ok((modified, feed))
}

impl AppFeed {
    /// Reads the feed at `path` (none: the server offers no updates).
    pub fn open(path: Option<PathBuf>) -> Result<AppFeed, String> {
        let Some(path) = path else { return Ok(AppFeed::default()) };
        let current = read(&path)?;
        Ok(AppFeed { source: Some(Arc::new(Source { path, current: Mutex::new(current) })) })
    }

    /// The release published now, if any.
    pub fn current(&self) -> Option<FeedFile> {
        let source = self.source.as_ref()?;
        let modified = std::fs::metadata(&source.path).and_then(|m| m.modified()).ok();
        let mut current = source.current.lock().unwrap_or_else(PoisonError::into_inner);
        if modified.is_some() && modified != current.0 {
            match read(&source.path) {
                Ok(fresh) => *current = fresh,
                Err(e) => {
                    tracing::warn!(error = %e, "the update feed changed and does not read: kept the last good one");
                    current.0 = modified;
                }
            }
        }
        Some(current.1.clone())
    }
}
