//! The desktop app's group panel (`lodestar_client::app::App`) against a real server: creating,
//! renaming, members and roles, refusals, and leaving, as each member's window shows it.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod desktop_app_support;

use desktop_app_support::*;
use lodestar_client::app::views::GroupView;
use lodestar_client::app::AppError;
use lodestar_client::ClientError;
use lodestar_protocol::{ErrorCode, Role};
use lodestar_tests::{Backend, TestServer};
use uuid::Uuid;

/// The members panel as `(username, role)`, in its order.
fn members(g: &GroupView) -> Vec<(&str, Role)> {
    g.members.iter().map(|m| (m.username.as_str(), m.role)).collect()
}

fn member_id(g: &GroupView, username: &str) -> Uuid {
    g.members.iter().find(|m| m.username == username).unwrap().user_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_runs_the_group_and_the_panel_follows() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ben = signed_up(&s, dir_b.path(), form("ben")).await;
    s.api.register("cat").await;
    s.api.register("dan").await;
    let ann = signed_up(&s, dir_a.path(), form("ann")).await;

    let conv = ann.create_group(" Rust Circle ", &["ben".into(), "cat".into()]).await.unwrap();
    let g = ann.group(conv).await.unwrap().expect("a group conversation");
    assert_eq!((g.conversation_id, g.group_name.as_str()), (conv, "Rust Circle"));
    assert_eq!(g.description, None);
    assert_eq!(g.my_role, Some(Role::Owner));
    assert_eq!(
        members(&g),
        [("ann", Role::Owner), ("ben", Role::Member), ("cat", Role::Member)],
        "names beside ids, the owner first"
    );
    let list = ann.conversations().await.unwrap();
    assert_eq!(list.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(), ["Rust Circle"]);
    let gid = g.group_id;

    ann.rename_group(gid, "Rustaceans").await.unwrap();
    assert_eq!(ann.group(conv).await.unwrap().unwrap().group_name, "Rustaceans");
    let err = ann.rename_group(gid, "   ").await.unwrap_err();
    assert!(matches!(&err, ClientError::Invalid(f) if f.0.contains_key("group_name")), "{err:?}");

    // Dan is not in Ann's replica yet: found by name on the server, shown by name.
    ann.add_member(gid, "@dan", Some(Role::Admin)).await.unwrap();
    let g = ann.group(conv).await.unwrap().unwrap();
    assert_eq!(
        members(&g),
        [("ann", Role::Owner), ("dan", Role::Admin), ("ben", Role::Member), ("cat", Role::Member)]
    );
    let err = ann.add_member(gid, "nobody", None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);

    let (cat, dan) = (member_id(&g, "cat"), member_id(&g, "dan"));
    ann.set_role(gid, cat, Role::Admin).await.unwrap();
    ann.remove_member(gid, dan).await.unwrap();
    let g = ann.group(conv).await.unwrap().unwrap();
    assert_eq!(members(&g), [("ann", Role::Owner), ("cat", Role::Admin), ("ben", Role::Member)]);

    // Ben's window: a plain member, who may not rename.
    let seen = eventually("ben sees the group", || async {
        ben.group(conv)
            .await
            .unwrap()
            .filter(|g| g.group_name == "Rustaceans" && g.members.len() == 3)
    })
    .await;
    assert_eq!(seen.my_role, Some(Role::Member));
    assert_eq!(seen.group_id, gid);
    let err = ben.rename_group(gid, "Ben's now").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden, "{err:?}");
    assert_eq!(AppError::from(err).code, ErrorCode::Forbidden);
    let err = ben.set_role(gid, cat, Role::Member).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden, "{err:?}");
    assert_eq!(ann.group(conv).await.unwrap().unwrap().group_name, "Rustaceans");

    // Ben leaves: the group is gone from his panel, and from Ann's member list.
    ben.leave_group(gid).await.unwrap();
    assert_eq!(ben.group(conv).await.unwrap(), None);
    assert!(ben.conversations().await.unwrap().iter().all(|c| c.conversation_id != conv));
    eventually("ann sees ben gone", || async {
        let g = ann.group(conv).await.unwrap().unwrap();
        (members(&g) == [("ann", Role::Owner), ("cat", Role::Admin)]).then_some(())
    })
    .await;

    // A direct conversation has no group behind it.
    let direct = ann.open_direct("cat").await.unwrap();
    assert_eq!(ann.group(direct).await.unwrap(), None);
    assert_eq!(ann.group(Uuid::new_v4()).await.unwrap(), None);
    ann.shutdown().await;
    ben.shutdown().await;
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_changes_need_the_server_and_a_session() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    s.api.register("ben").await;
    let ann = signed_up(&s, dir.path(), form("ann")).await;
    let err = ann.create_group("Nobody", &["ghost".into()]).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "{err:?}");
    let conv = ann.create_group("Pairs", &["ben".into()]).await.unwrap();
    let gid = ann.group(conv).await.unwrap().unwrap().group_id;
    let (db, addr) = s.stop().await;
    let err = ann.rename_group(gid, "Offline rename").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Offline, "{err:?}");
    assert_eq!(ann.group(conv).await.unwrap().unwrap().group_name, "Pairs", "nothing changed");
    let s = TestServer::start_at(db, &addr).await;
    ann.rename_group(gid, "Pairs again").await.unwrap();
    assert_eq!(ann.group(conv).await.unwrap().unwrap().group_name, "Pairs again");
    ann.logout().await.unwrap();
    let err = ann.group(conv).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotSignedIn);
    s.server.stop().await;
}
