//! Media no message names any more (every one naming it deleted, or never sent) goes after a
//! grace period: the object first, then its row, so a failure leaves a row to try again.

use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;

use super::Media;
use crate::store::Store;

/// How long unnamed media is kept (a message being written may name it soon).
pub const GRACE: chrono::Duration = chrono::Duration::hours(24);
/// How often the sweep runs.
const EVERY: Duration = Duration::from_secs(600);
/// Media removed per round.
const BATCH: i64 = 200;

/// Removes the media unnamed since before `cutoff`; answers how many went.
pub async fn sweep_once(store: &dyn Store, media: &Media, cutoff: chrono::DateTime<Utc>) -> usize {
    let ids = match store.unused_media(cutoff, BATCH).await {
        Ok(ids) => ids,
        Err(e) => {
            tracing::warn!(error = %e, code = e.code(), "cannot list unused media");
            return 0;
        }
    };
    let mut gone = 0;
    for id in ids {
        if let Err(e) = media.delete(id).await {
            tracing::warn!(%id, error = %e, code = e.code(), "cannot remove media");
            continue;
        }
        match store.delete_media(id).await {
            Ok(()) => gone += 1,
            Err(e) => tracing::warn!(%id, error = %e, code = e.code(), "cannot forget media"),
        }
    }
    gone
}

/// Runs the sweep every [`EVERY`] until shutdown.
pub fn spawn(store: std::sync::Arc<dyn Store>, media: Media, shutdown: watch::Receiver<bool>) {
    crate::every::spawn(EVERY, shutdown, move || {
        let (store, media) = (store.clone(), media.clone());
        async move {
            sweep_once(store.as_ref(), &media, Utc::now() - GRACE).await;
        }
    });
}
