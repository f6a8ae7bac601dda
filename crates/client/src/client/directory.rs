//! The program's people: the directory, suggested matches, and finding a user by name. The
//! directory and matches need the server; a name the replica knows does not.

use lodestar_protocol::{Match, Profile, UsersQuery};
use uuid::Uuid;

use super::Client;
use crate::error::{ClientError, ClientResult};

impl Client {
    /// The program's directory (online).
    pub async fn directory(&self, query: &UsersQuery) -> ClientResult<Vec<Profile>> {
        Ok(self.active()?.api.directory(query).await?.users)
    }

    /// Suggested mentors or mentees (online).
    pub async fn matches(&self) -> ClientResult<Vec<Match>> {
        Ok(self.active()?.api.matches(20).await?.matches)
    }

    /// The id of the user with this username (`@` optional), as [`Client::user_named`] finds it.
    pub async fn user_id(&self, username: &str) -> ClientResult<Uuid> {
        self.user_named(username).await
    }

    /// What to call a user: their username when the replica knows them.
    pub async fn username(&self, user_id: Uuid) -> ClientResult<String> {
        let name = self.active()?.replica.username(user_id).await?;
        Ok(name.unwrap_or_else(|| "someone".to_owned()))
    }

    /// The id of the user with this username (`@` optional): from the replica, else asked of
    /// the server and remembered, so they can be named offline from then on.
    pub(super) async fn user_named(&self, username: &str) -> ClientResult<Uuid> {
        let a = self.active()?;
        if let Some(id) = a.replica.user_id(username).await? {
            return Ok(id);
        }
        let profile = a
            .api
            .user_by_username(username.trim_start_matches('@'))
            .await?
            .ok_or(ClientError::NotFound("user"))?;
        a.replica.remember_profile(&profile).await?;
        Ok(profile.user_id)
    }
}
