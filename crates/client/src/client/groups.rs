//! Groups: creating one and changing its members. Every change needs the server, and the
//! replica is pulled right after so the change shows at once.

use lodestar_protocol::{AddMemberRequest, CreateGroupRequest};
use uuid::Uuid;

use super::{Client, ConversationSpec};
use crate::error::{ClientError, ClientResult};
use crate::sync::pull;

impl Client {
    async fn group_named(&self, spec: &str) -> ClientResult<Uuid> {
        let a = self.active()?;
        let name = spec.trim_start_matches('#').to_owned();
        let conversation = self.resolve(ConversationSpec::Group(name)).await?;
        a.replica.group_of(conversation).await?.ok_or(ClientError::NotFound("group"))
    }

    /// Creates a group with members named by username (online); answers its conversation.
    pub async fn group_create(&self, name: &str, members: &[String]) -> ClientResult<Uuid> {
        let a = self.active()?;
        let mut member_ids = Vec::with_capacity(members.len());
        for m in members {
            member_ids.push(self.user_named(m).await?);
        }
        let req = CreateGroupRequest { group_name: name.to_owned(), description: None, member_ids };
        lodestar_protocol::validate::new_group(&req)?;
        let group = a.api.create_group(&req).await?;
        pull(&a.api, &a.replica, |_| {}).await?;
        Ok(group.conversation_id)
    }

    /// Adds a member to a group (online).
    pub async fn group_add(
        &self,
        group: &str,
        username: &str,
        role: Option<&str>,
    ) -> ClientResult<()> {
        let a = self.active()?;
        let group_id = self.group_named(group).await?;
        let user_id = self.user_named(username).await?;
        a.api
            .add_member(group_id, &AddMemberRequest { user_id, role: role.map(str::to_owned) })
            .await?;
        pull(&a.api, &a.replica, |_| {}).await?;
        Ok(())
    }

    /// Removes a member from a group, or leaves it (online).
    pub async fn group_remove(&self, group: &str, username: &str) -> ClientResult<()> {
        let a = self.active()?;
        let group_id = self.group_named(group).await?;
        let user_id = self.user_named(username).await?;
        a.api.remove_member(group_id, user_id).await?;
        pull(&a.api, &a.replica, |_| {}).await?;
        Ok(())
    }
}
