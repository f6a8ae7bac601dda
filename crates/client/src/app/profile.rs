//! The user's own profile: sent at once when the server answers (so "username taken" shows
//! beside the field), queued when it does not.

use chrono::Utc;
use lodestar_protocol::{FieldErrors, Me};

use super::views::ProfileEdit;
use super::App;
use crate::engine::Topic;
use crate::error::{ClientError, ClientResult};

impl App {
    /// Every rule the server applies to the profile form.
    pub fn check_profile(&self, edit: &ProfileEdit) -> FieldErrors {
        edit.check()
    }

    /// The signed-in user's profile (the server's copy when it answers).
    pub async fn my_profile(&self) -> ClientResult<Me> {
        self.client.read().await.profile().await
    }

    /// Saves the profile form: sent now when the server answers (its refusal comes back with
    /// the fields), queued when it does not.
    pub async fn update_profile(&self, edit: &ProfileEdit) -> ClientResult<Me> {
        let errors = edit.check();
        if !errors.is_empty() {
            return Err(ClientError::Invalid(errors));
        }
        let client = self.client.read().await;
        let (api, replica, me, _) = client.parts()?;
        let current = replica.my_profile(me).await?;
        let patch = edit.patch_from(&ProfileEdit::of(&current));
        let saved = match api.update_me(&patch).await {
            Ok(saved) => {
                replica.restore_me(&saved).await?;
                saved
            }
            Err(ClientError::Offline(_)) => {
                replica.queue_profile(me, &patch, Utc::now()).await?;
                drop(client);
                self.kick().await;
                self.changed(Topic::Outbox.all());
                return self.client.read().await.replica()?.my_profile(me).await;
            }
            Err(e) => return Err(e),
        };
        Ok(saved)
    }
}
