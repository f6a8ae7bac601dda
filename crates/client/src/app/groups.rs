//! Groups and their members (online: the server decides who may change what).

use lodestar_protocol::{AddMemberRequest, Role, UpdateGroupRequest, UpdateMemberRequest};
use uuid::Uuid;

use super::views::{GroupView, MemberView};
use super::App;
use crate::engine::Topic;
use crate::error::{ClientError, ClientResult};
use crate::sync::pull;

impl App {
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
