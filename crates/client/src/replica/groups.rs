//! Groups as the replica knows them, for the members panel.

use lodestar_protocol::Role;
use uuid::Uuid;

use super::Replica;
use crate::error::{ClientError, ClientResult};

/// A group and its members, as rows.
pub struct GroupRows {
    /// The group.
    pub group_id: Uuid,
    /// Its name.
    pub group_name: String,
    /// Its description.
    pub description: Option<String>,
    /// `(user, name if known, role)`, owners first, then admins, then by name.
    pub members: Vec<(Uuid, Option<String>, Role)>,
}

impl Replica {
    /// The group behind a conversation, with its members; none for a direct conversation or a
    /// group the user has left.
    pub async fn group_rows(&self, conversation_id: Uuid) -> ClientResult<Option<GroupRows>> {
        let head: Option<(Uuid, String, Option<String>)> = sqlx::query_as(
            "SELECT g.group_id, g.group_name, g.description FROM conversations c \
             JOIN groups g ON g.group_id = c.group_id WHERE c.conversation_id = $1",
        )
        .bind(conversation_id)
        .fetch_optional(self.pool())
        .await?;
        let Some((group_id, group_name, description)) = head else { return Ok(None) };
        let rows: Vec<(Uuid, Option<String>, String)> = sqlx::query_as(
            "SELECT gm.user_id, u.username, gm.role FROM group_members gm \
             LEFT JOIN users u ON u.user_id = gm.user_id WHERE gm.group_id = $1 \
             ORDER BY CASE gm.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, \
             lower(coalesce(u.username, ''))",
        )
        .bind(group_id)
        .fetch_all(self.pool())
        .await?;
        let members = rows
            .into_iter()
            .map(|(user, name, role)| {
                Role::parse(&role)
                    .map(|r| (user, name, r))
                    .ok_or_else(|| ClientError::Corrupt(format!("group role {role}")))
            })
            .collect::<ClientResult<_>>()?;
        Ok(Some(GroupRows { group_id, group_name, description, members }))
    }
}
