//! The signed-in user's own profile: reading it and editing it. An edit is applied to the
//! replica and queued like a message, so it works offline and is sent when the server answers.

use chrono::Utc;
use lodestar_protocol::{Me, UpdateMeRequest};

use super::Client;
use crate::error::{ClientError, ClientResult};
use crate::sync::{pull, push};

impl Client {
    /// The signed-in user's profile: from the server when it answers, else from the replica.
    pub async fn profile(&self) -> ClientResult<Me> {
        let a = self.active()?;
        match a.api.me().await {
            Ok(me) => Ok(me),
            Err(ClientError::Offline(_)) => a.replica.my_profile(a.info.user_id).await,
            Err(e) => Err(e),
        }
    }

    /// Edits the profile (a field set to `Some(None)` is cleared): applied to the replica at
    /// once, sent now if the server answers, queued otherwise.
    pub async fn set_profile(&self, patch: &UpdateMeRequest) -> ClientResult<Me> {
        let a = self.active()?;
        a.replica.queue_profile(a.info.user_id, patch, Utc::now()).await?;
        if push(&a.api, &a.replica).await?.stopped.is_none() {
            pull(&a.api, &a.replica, |_| {}).await?;
        }
        a.replica.my_profile(a.info.user_id).await
    }
}
