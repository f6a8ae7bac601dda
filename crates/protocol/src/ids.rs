//! Identifiers both sides must derive the same way without talking to each other.

use uuid::Uuid;

/// The namespace of every name-based (v5) id Lodestar derives.
pub const LODESTAR_NAMESPACE: Uuid = Uuid::from_u128(0x6c6f_6465_7374_4172_a000_0000_0000_0001);

/// The id of the direct conversation between two users.
///
/// Derived from the ordered pair, so two people who open a chat with each other while offline
/// end up in the same conversation.
pub fn direct_conversation_id(a: Uuid, b: Uuid) -> Uuid {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    Uuid::new_v5(&LODESTAR_NAMESPACE, format!("direct:{lo}:{hi}").as_bytes())
}

/// The id of a group's conversation, derived from the group's id.
pub fn group_conversation_id(group_id: Uuid) -> Uuid {
    Uuid::new_v5(&LODESTAR_NAMESPACE, format!("group:{group_id}").as_bytes())
}

/// The id of the mentorship an accepted request opens, derived from the request's id, so a
/// mentor who accepts offline can add goals and tasks to it before the server has answered.
pub fn mentorship_id_for_request(request_id: Uuid) -> Uuid {
    Uuid::new_v5(&LODESTAR_NAMESPACE, format!("mentorship:{request_id}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_id_ignores_order_and_differs_per_pair() {
        let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(direct_conversation_id(a, b), direct_conversation_id(b, a));
        assert_ne!(direct_conversation_id(a, b), direct_conversation_id(a, c));
        assert_ne!(direct_conversation_id(a, b), group_conversation_id(a));
        assert_ne!(mentorship_id_for_request(a), group_conversation_id(a));
        assert_eq!(mentorship_id_for_request(a), mentorship_id_for_request(a));
    }
}
