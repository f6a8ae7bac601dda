//! What the window does: conversations, messages, the directory, the profile and groups.

use chrono::Utc;
use lodestar_protocol::{
    AddMemberRequest, FieldErrors, Match, Me, Profile, Role, UpdateGroupRequest,
    UpdateMemberRequest,
};
use uuid::Uuid;

use super::views::{
    DirectoryPage, DirectoryQuery, GroupView, MemberView, OutboxView, ProfileEdit, RegisterForm,
};
use super::App;
use crate::engine::Topic;
use crate::error::{ClientError, ClientResult};
use crate::replica::{ConversationItem, Draft, MessageItem, MessageStatus, SearchHit};
use crate::sync::pull;

/// A blank field is no field.
fn blank(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

impl App {
    /// Every rule the server applies to the sign-up form.
    pub fn check_register(&self, form: &RegisterForm) -> FieldErrors {
        form.check(Utc::now().date_naive())
    }

    /// Every rule the server applies to the profile form.
    pub fn check_profile(&self, edit: &ProfileEdit) -> FieldErrors {
        edit.check()
    }

    /// The conversation list, most recent first.
    pub async fn conversations(&self) -> ClientResult<Vec<ConversationItem>> {
        self.client.read().await.conversations().await
    }

    /// The unread total over conversations that are not muted (for the title and tray).
    pub async fn unread_total(&self) -> ClientResult<i64> {
        Ok(self.conversations().await?.iter().filter(|c| !c.muted).map(|c| c.unread_count).sum())
    }

    /// The newest `limit` messages of a conversation, oldest first.
    pub async fn messages(
        &self,
        conversation_id: Uuid,
        limit: u32,
    ) -> ClientResult<Vec<MessageItem>> {
        self.client.read().await.messages(conversation_id, i64::from(limit)).await
    }

    /// Messages before `before_seq`, oldest first: from the replica, then the server.
    pub async fn older_messages(
        &self,
        conversation_id: Uuid,
        before_seq: i64,
        limit: u32,
    ) -> ClientResult<Vec<MessageItem>> {
        self.client.read().await.older(conversation_id, before_seq, i64::from(limit)).await
    }

    /// Queues a message (shown at once, pending) and wakes the engine to send it.
    pub async fn send(
        &self,
        conversation_id: Uuid,
        content: Option<&str>,
        media_url: Option<&str>,
    ) -> ClientResult<MessageItem> {
        let item = {
            let client = self.client.read().await;
            let (_, replica, me, name) = client.parts()?;
            let message = replica
                .queue_message(me, conversation_id, blank(content), blank(media_url), Utc::now())
                .await?;
            replica.set_draft(conversation_id, &Draft::default(), Utc::now()).await?;
            MessageItem {
                message,
                sender_name: Some(name.to_owned()),
                status: MessageStatus::Pending,
            }
        };
        self.kick().await;
        self.changed(Topic::Messages.one(conversation_id));
        self.changed(Topic::Conversations.all());
        Ok(item)
    }

    /// Marks everything in a conversation read (locally now, on the server by the engine).
    pub async fn mark_read(&self, conversation_id: Uuid) -> ClientResult<usize> {
        let n = {
            let client = self.client.read().await;
            let (_, replica, me, _) = client.parts()?;
            replica.queue_read(me, conversation_id, Utc::now()).await?
        };
        if n > 0 {
            self.kick().await;
            self.changed(Topic::Conversations.all());
        }
        Ok(n)
    }

    /// The saved draft of a conversation.
    pub async fn draft(&self, conversation_id: Uuid) -> ClientResult<Option<Draft>> {
        self.client.read().await.draft(conversation_id).await
    }

    /// Saves a draft as it is typed (an empty one clears it).
    pub async fn save_draft(&self, conversation_id: Uuid, draft: &Draft) -> ClientResult<()> {
        let client = self.client.read().await;
        client.replica()?.set_draft(conversation_id, draft, Utc::now()).await
    }

    /// Mutes or unmutes a conversation's notifications.
    pub async fn set_muted(&self, conversation_id: Uuid, muted: bool) -> ClientResult<()> {
        self.client.read().await.replica()?.set_muted(conversation_id, muted).await?;
        self.changed(Topic::Conversations.all());
        Ok(())
    }

    /// The conversation the user is looking at in a focused window, for notifications.
    pub async fn focus(&self, conversation_id: Option<Uuid>) {
        if let Some(engine) = self.engine.lock().await.as_ref() {
            engine.set_focus(conversation_id);
        }
    }

    /// Opens (or finds) the direct conversation with a user; works offline for known users.
    pub async fn open_direct(&self, username: &str) -> ClientResult<Uuid> {
        let id = self.client.read().await.open_direct(username).await?;
        self.changed(Topic::Conversations.all());
        Ok(id)
    }

    /// Full-text search of the replica.
    pub async fn search(&self, text: &str) -> ClientResult<Vec<SearchHit>> {
        self.client.read().await.search(text).await
    }

    /// What waits in the outbox or was refused.
    pub async fn outbox(&self) -> ClientResult<Vec<OutboxView>> {
        let entries = self.client.read().await.replica()?.outbox().await?;
        Ok(entries.into_iter().map(OutboxView::from).collect())
    }

    /// Sends a refused entry again.
    pub async fn retry(&self, entry_id: i64) -> ClientResult<()> {
        self.client.read().await.replica()?.retry(entry_id).await?;
        self.kick().await;
        self.changed(Topic::Outbox.all());
        Ok(())
    }

    /// Drops a refused entry (a refused message disappears with it).
    pub async fn discard(&self, entry_id: i64) -> ClientResult<()> {
        self.client.read().await.replica()?.discard(entry_id).await?;
        self.changed(Topic::Conversations.all());
        self.changed(Topic::Outbox.all());
        Ok(())
    }

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

    /// The group behind a conversation, with its members (none for a direct conversation).
    pub async fn group(&self, conversation_id: Uuid) -> ClientResult<Option<GroupView>> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        let Some(rows) = replica.group_rows(conversation_id).await? else { return Ok(None) };
        let members: Vec<MemberView> = rows
            .members
            .into_iter()
            .map(|(user_id, name, role)| MemberView {
                user_id,
                username: name.unwrap_or_else(|| user_id.to_string()[..8].to_owned()),
                role,
            })
            .collect();
        Ok(Some(GroupView {
            group_id: rows.group_id,
            conversation_id,
            group_name: rows.group_name,
            description: rows.description,
            my_role: members.iter().find(|m| m.user_id == me).map(|m| m.role),
            members,
        }))
    }

    /// Creates a group with members named by username; answers its conversation (online).
    pub async fn create_group(&self, name: &str, usernames: &[String]) -> ClientResult<Uuid> {
        let id = self.client.read().await.group_create(name.trim(), usernames).await?;
        self.changed(Topic::Conversations.all());
        Ok(id)
    }

    /// Renames a group (owner or admin; online).
    pub async fn rename_group(&self, group_id: Uuid, name: &str) -> ClientResult<()> {
        let req = UpdateGroupRequest {
            group_name: Some(Some(name.trim().to_owned())),
            description: None,
        };
        lodestar_protocol::validate::group_patch(&req)?;
        self.group_change(|api| async move { api.update_group(group_id, &req).await.map(drop) })
            .await
    }

    /// Adds someone by username (owner or admin; online).
    pub async fn add_member(
        &self,
        group_id: Uuid,
        username: &str,
        role: Option<Role>,
    ) -> ClientResult<()> {
        let user_id = {
            let client = self.client.read().await;
            let (api, replica, ..) = client.parts()?;
            match replica.user_id(username).await? {
                Some(id) => id,
                None => api
                    .user_by_username(username.trim().trim_start_matches('@'))
                    .await?
                    .map(|p| p.user_id)
                    .ok_or(ClientError::NotFound("user"))?,
            }
        };
        let req = AddMemberRequest { user_id, role: role.map(|r| r.as_str().to_owned()) };
        self.group_change(|api| async move { api.add_member(group_id, &req).await.map(drop) }).await
    }

    /// Removes a member (owner or admin).
    pub async fn remove_member(&self, group_id: Uuid, user_id: Uuid) -> ClientResult<()> {
        self.group_change(|api| async move { api.remove_member(group_id, user_id).await }).await
    }

    /// Changes a member's role (owner).
    pub async fn set_role(&self, group_id: Uuid, user_id: Uuid, role: Role) -> ClientResult<()> {
        let req = UpdateMemberRequest { role: role.as_str().to_owned() };
        self.group_change(|api| async move {
            api.update_member(group_id, user_id, &req).await.map(drop)
        })
        .await
    }

    /// Leaves a group.
    pub async fn leave_group(&self, group_id: Uuid) -> ClientResult<()> {
        let me = self.client.read().await.parts()?.2;
        self.remove_member(group_id, me).await
    }

    /// Runs a group change on the server, then pulls it into the replica so the window shows
    /// it at once.
    async fn group_change<F, Fut>(&self, change: F) -> ClientResult<()>
    where
        F: FnOnce(crate::api::Api) -> Fut,
        Fut: std::future::Future<Output = ClientResult<()>>,
    {
        let client = self.client.read().await;
        let (api, replica, ..) = client.parts()?;
        change(api.clone()).await?;
        pull(api, replica, |_| {}).await?;
        drop(client);
        self.changed(Topic::Conversations.all());
        Ok(())
    }
}
