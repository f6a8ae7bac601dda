//! Groups on both backends: roles and members, the last owner leaving, and a deleted group
//! vanishing for everyone.

use lodestar_protocol::validate::{GroupPatch, NewGroup};
use lodestar_protocol::{
    group_conversation_id, ChangeKind, ChangeOp, ConversationType, GroupMember, Role,
};
use lodestar_tests::Backend;
use uuid::Uuid;

use super::{
    assert_conflict, assert_not_found, fx, group_named, has, order, send, sorted, sync_all, t,
    text, user,
};

async fn groups_keep_roles_and_members(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let d = user(s, "dan").await;
    let stranger = user(s, "sam").await;

    let new = NewGroup { group_name: "Rust circle".into(), description: Some("weekly".into()) };
    // The creator and duplicates in `members` count once.
    let g = s.create_group(a, new, &[b, c, a, b], t(10)).await.unwrap();
    assert_eq!(g.group_name, "Rust circle");
    assert_eq!(g.description.as_deref(), Some("weekly"));
    assert_eq!(g.created_by, a);
    assert_eq!(g.created_at, t(10));
    assert_eq!(g.conversation_id, group_conversation_id(g.group_id));
    let mut members = g.members.clone();
    members.sort_by_key(|m| m.user_id);
    let mut expected = vec![
        GroupMember { user_id: a, role: Role::Owner, joined_at: t(10) },
        GroupMember { user_id: b, role: Role::Member, joined_at: t(10) },
        GroupMember { user_id: c, role: Role::Member, joined_at: t(10) },
    ];
    expected.sort_by_key(|m| m.user_id);
    assert_eq!(members, expected);

    assert_eq!(s.group(a, g.group_id).await.unwrap(), (g.clone(), Role::Owner));
    assert_eq!(s.group(b, g.group_id).await.unwrap(), (g.clone(), Role::Member));
    assert_not_found(s.group(stranger, g.group_id).await, "a stranger's group()");
    assert_not_found(s.group(a, Uuid::new_v4()).await, "an unknown group");

    // Its conversation exists for the members only.
    let conv = s.conversation(c, g.conversation_id).await.unwrap();
    assert_eq!(conv.kind, ConversationType::Group);
    assert_eq!(conv.group_id, Some(g.group_id));
    assert_eq!(conv.created_at, t(10));
    assert_eq!(sorted(conv.participants), sorted(vec![a, b, c]));
    assert_not_found(s.conversation(stranger, g.conversation_id).await, "a stranger");
    assert_eq!(order(&s.conversations(b).await.unwrap()), [g.conversation_id]);

    // update_group: None leaves, Some(None) clears.
    let renamed = s
        .update_group(
            g.group_id,
            GroupPatch { group_name: Some("Rustaceans".into()), description: None },
        )
        .await
        .unwrap();
    assert_eq!(renamed.group_name, "Rustaceans");
    assert_eq!(renamed.description.as_deref(), Some("weekly"));
    assert_eq!(renamed.members, g.members);
    let cleared = s
        .update_group(g.group_id, GroupPatch { group_name: None, description: Some(None) })
        .await
        .unwrap();
    assert_eq!(cleared.group_name, "Rustaceans");
    assert_eq!(cleared.description, None);
    let described = s
        .update_group(
            g.group_id,
            GroupPatch { group_name: None, description: Some(Some("new".into())) },
        )
        .await
        .unwrap();
    assert_eq!(described.description.as_deref(), Some("new"));
    assert_eq!(s.group(b, g.group_id).await.unwrap().0, described);
    assert_not_found(
        s.update_group(Uuid::new_v4(), GroupPatch::default()).await,
        "update_group of an unknown group",
    );

    // add_member.
    let added = s.add_member(g.group_id, d, Role::Admin, t(20)).await.unwrap();
    assert_eq!(added, GroupMember { user_id: d, role: Role::Admin, joined_at: t(20) });
    assert_eq!(s.group(d, g.group_id).await.unwrap().1, Role::Admin);
    assert!(s.group(a, g.group_id).await.unwrap().0.members.contains(&added));
    let conv = s.conversation(d, g.conversation_id).await.unwrap();
    assert_eq!(sorted(conv.participants), sorted(vec![a, b, c, d]));
    assert_conflict(s.add_member(g.group_id, d, Role::Member, t(21)).await, &["user_id"], "again");
    assert_conflict(s.add_member(g.group_id, a, Role::Member, t(21)).await, &["user_id"], "owner");
    assert_not_found(s.add_member(Uuid::new_v4(), d, Role::Member, t(21)).await, "no group");
    assert_not_found(
        s.add_member(g.group_id, Uuid::new_v4(), Role::Member, t(21)).await,
        "no user",
    );
    assert_eq!(s.group(d, g.group_id).await.unwrap().1, Role::Admin, "a refused add changed d");

    // set_role.
    let promoted = s.set_role(g.group_id, c, Role::Admin).await.unwrap();
    assert_eq!(promoted, GroupMember { user_id: c, role: Role::Admin, joined_at: t(10) });
    assert_eq!(s.group(c, g.group_id).await.unwrap().1, Role::Admin);
    let demoted = s.set_role(g.group_id, d, Role::Member).await.unwrap();
    assert_eq!(demoted.role, Role::Member);
    assert_eq!(demoted.joined_at, t(20));
    assert_not_found(s.set_role(g.group_id, stranger, Role::Admin).await, "set_role non-member");
    assert_not_found(s.set_role(Uuid::new_v4(), c, Role::Admin).await, "set_role no group");
    assert_not_found(s.group(stranger, g.group_id).await, "set_role made a stranger a member");

    // remove_member.
    assert_not_found(s.remove_member(g.group_id, stranger).await, "remove a non-member");
    assert_not_found(s.remove_member(Uuid::new_v4(), b).await, "remove from no group");
    s.remove_member(g.group_id, b).await.unwrap();
    assert_not_found(s.group(b, g.group_id).await, "a removed member's group()");
    assert_not_found(s.conversation(b, g.conversation_id).await, "a removed member's conversation");
    assert_not_found(
        s.messages(b, g.conversation_id, None, 10).await,
        "a removed member's messages",
    );
    assert!(s.conversations(b).await.unwrap().is_empty());
    assert_not_found(
        s.send_message(b, text(g.conversation_id, "still here?", t(30))).await,
        "a removed member sends",
    );
    let (after, role) = s.group(a, g.group_id).await.unwrap();
    assert_eq!(role, Role::Owner);
    assert_eq!(sorted(after.members.iter().map(|m| m.user_id).collect()), sorted(vec![a, c, d]));
    assert_not_found(s.remove_member(g.group_id, b).await, "removing twice");
    // And back again.
    s.add_member(g.group_id, b, Role::Member, t(40)).await.unwrap();
    assert_eq!(s.group(b, g.group_id).await.unwrap().1, Role::Member);
}

async fn the_last_owner_leaving_hands_the_group_on(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let g = s.create_group(a, group_named("Hand-over"), &[], t(10)).await.unwrap();
    assert_eq!(g.members.len(), 1);
    s.add_member(g.group_id, b, Role::Member, t(20)).await.unwrap();
    s.add_member(g.group_id, c, Role::Member, t(30)).await.unwrap();

    s.remove_member(g.group_id, a).await.unwrap();
    let (group, role) = s.group(b, g.group_id).await.unwrap();
    assert_eq!(role, Role::Owner, "the longest-standing member takes over");
    assert_eq!(s.group(c, g.group_id).await.unwrap().1, Role::Member);
    let owners: Vec<Uuid> =
        group.members.iter().filter(|m| m.role == Role::Owner).map(|m| m.user_id).collect();
    assert_eq!(owners, [b], "exactly one owner");
    assert_not_found(s.group(a, g.group_id).await, "the leaver");

    s.remove_member(g.group_id, b).await.unwrap();
    assert_eq!(s.group(c, g.group_id).await.unwrap().1, Role::Owner);

    // With another owner left, nobody is promoted.
    let g2 = s.create_group(a, group_named("Two owners"), &[b, c], t(40)).await.unwrap();
    s.set_role(g2.group_id, b, Role::Owner).await.unwrap();
    s.remove_member(g2.group_id, a).await.unwrap();
    assert_eq!(s.group(b, g2.group_id).await.unwrap().1, Role::Owner);
    assert_eq!(s.group(c, g2.group_id).await.unwrap().1, Role::Member);
}

async fn deleting_a_group_removes_it_for_everyone(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let g = s.create_group(a, group_named("Short-lived"), &[b], t(10)).await.unwrap();
    let keep = s.create_group(b, group_named("Staying"), &[a], t(11)).await.unwrap();
    let m = send(s, b, g.conversation_id, "bye soon", t(12)).await;
    s.mark_read(a, &[m.message_id], t(13)).await.unwrap();
    let (_, b_cursor) = sync_all(s, b, 0, 1000).await;

    s.delete_group(g.group_id).await.unwrap();
    for u in [a, b] {
        assert_not_found(s.group(u, g.group_id).await, "group() after delete");
        assert_not_found(s.conversation(u, g.conversation_id).await, "conversation() after delete");
        assert_not_found(
            s.messages(u, g.conversation_id, None, 10).await,
            "messages() after delete",
        );
        assert_not_found(s.reads(u, m.message_id).await, "reads() after delete");
        assert_eq!(order(&s.conversations(u).await.unwrap()), [keep.conversation_id]);
    }
    assert_not_found(
        s.send_message(a, text(g.conversation_id, "anyone?", t(20))).await,
        "sending to a deleted group",
    );
    assert_not_found(s.delete_group(g.group_id).await, "deleting twice");
    assert_not_found(s.add_member(g.group_id, b, Role::Member, t(21)).await, "adding to it");
    // The other group is untouched.
    assert_eq!(s.group(a, keep.group_id).await.unwrap().1, Role::Member);

    // Members learn of it through sync.
    let (changes, _) = sync_all(s, b, b_cursor, 1000).await;
    assert!(has(&changes, ChangeKind::Group, ChangeOp::Delete, "group_id", g.group_id));
    assert!(has(
        &changes,
        ChangeKind::Conversation,
        ChangeOp::Delete,
        "conversation_id",
        g.conversation_id
    ));
}

lodestar_tests::on_both_backends!(
    groups_keep_roles_and_members,
    the_last_owner_leaving_hands_the_group_on,
    deleting_a_group_removes_it_for_everyone,
);
