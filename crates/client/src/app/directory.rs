//! The program's directory, matches and other people's profiles (online).

use lodestar_protocol::{Match, Profile};

use super::views::{DirectoryPage, DirectoryQuery};
use super::App;
use crate::error::{ClientError, ClientResult};

impl App {
    /// A page of the program's directory (online).
    pub async fn directory(&self, query: &DirectoryQuery) -> ClientResult<DirectoryPage> {
        let client = self.client.read().await;
        let (api, ..) = client.parts()?;
        let page = api.directory(&query.users_query()).await?;
        Ok(DirectoryPage { users: page.users, next_cursor: page.next_cursor })
    }

    /// Suggested mentors or mentees, best first (online).
    pub async fn matches(&self) -> ClientResult<Vec<Match>> {
        self.client.read().await.matches().await
    }

    /// Someone's profile (online).
    pub async fn user(&self, username: &str) -> ClientResult<Profile> {
        let client = self.client.read().await;
        let (api, replica, ..) = client.parts()?;
        let profile = api
            .user_by_username(username.trim_start_matches('@'))
            .await?
            .ok_or(ClientError::NotFound("user"))?;
        replica.remember_profile(&profile).await?;
        Ok(profile)
    }
}
