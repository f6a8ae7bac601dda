//! A group and its members, with names.

use lodestar_protocol::Role;
use serde::Serialize;
use uuid::Uuid;

/// A group member with a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MemberView {
    /// The user.
    pub user_id: Uuid,
    /// Their name (or a short id when the replica does not know it).
    pub username: String,
    /// Their role.
    pub role: Role,
}

/// A group as its members panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GroupView {
    /// The group.
    pub group_id: Uuid,
    /// Its conversation.
    pub conversation_id: Uuid,
    /// Its name.
    pub group_name: String,
    /// Its description.
    pub description: Option<String>,
    /// The signed-in user's role (none once they have left).
    pub my_role: Option<Role>,
    /// Everyone in it, owners first.
    pub members: Vec<MemberView>,
}
