//! Groups over real HTTP: creation with its conversation, editing, members and roles (owner,
//! admin, member), leaving, deleting, and group messages with "read by".

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{BTreeMap, BTreeSet};

use lodestar_tests::{Api, Backend, TestServer, User};
use serde_json::{json, Value};
use uuid::Uuid;

const GROUP_KEYS: [&str; 7] = [
    "group_id",
    "group_name",
    "description",
    "created_by",
    "created_at",
    "conversation_id",
    "members",
];

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// Member id to role.
fn roles(group: &Value) -> BTreeMap<String, String> {
    group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (m["user_id"].as_str().unwrap().to_owned(), m["role"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn role_map(pairs: &[(&User, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(u, r)| (u.id.to_string(), (*r).to_owned())).collect()
}

fn conversation_ids(list: &Value) -> Vec<String> {
    list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["conversation_id"].as_str().unwrap().to_owned())
        .collect()
}

async fn create_group(api: &Api, owner: &User, name: &str, members: &[&User]) -> Value {
    let ids: Vec<Uuid> = members.iter().map(|u| u.id).collect();
    api.post("/v1/groups", &owner.token, json!({"group_name": name, "member_ids": ids}))
        .await
        .expect(201)
}

fn gid(group: &Value) -> String {
    group["group_id"].as_str().unwrap().to_owned()
}

async fn creating_a_group_makes_its_conversation(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let c = s.api.register("cat").await;
    let outsider = s.api.register("dan").await;
    let group = s
        .api
        .post(
            "/v1/groups",
            &a.token,
            json!({"group_name": "  Rustaceans  ", "description": "We write Rust", "member_ids": [b.id, c.id, b.id, a.id]}),
        )
        .await
        .expect(201);
    assert_eq!(keys(&group), GROUP_KEYS.into_iter().collect(), "{group}");
    assert_eq!(group["group_name"], "Rustaceans", "the name is trimmed");
    assert_eq!(group["description"], "We write Rust");
    assert_eq!(group["created_by"], a.id.to_string());
    assert_eq!(
        roles(&group),
        role_map(&[(&a, "owner"), (&b, "member"), (&c, "member")]),
        "{group}"
    );
    for m in group["members"].as_array().unwrap() {
        assert_eq!(keys(m), BTreeSet::from(["user_id", "role", "joined_at"]));
    }
    let id = gid(&group);
    let conv = group["conversation_id"].as_str().unwrap().to_owned();
    for user in [&a, &b, &c] {
        assert_eq!(s.api.get(&format!("/v1/groups/{id}"), &user.token).await.expect(200), group);
        let list = s.api.get("/v1/conversations", &user.token).await.expect(200);
        let entry = list["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["conversation_id"] == conv.as_str())
            .unwrap_or_else(|| {
                panic!("{} does not list the group conversation: {list}", user.username)
            })
            .clone();
        assert_eq!(entry["type"], "GROUP");
        assert_eq!(entry["group_id"], id.as_str());
        assert_eq!(entry["unread_count"], 0);
        let people: BTreeSet<&str> =
            entry["participants"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        let expected: BTreeSet<String> = [&a, &b, &c].iter().map(|u| u.id.to_string()).collect();
        assert_eq!(people, expected.iter().map(String::as_str).collect());
        let one = s.api.get(&format!("/v1/conversations/{conv}"), &user.token).await.expect(200);
        assert_eq!(one["type"], "GROUP");
    }
    let list = s.api.get("/v1/conversations", &outsider.token).await.expect(200);
    assert!(conversation_ids(&list).is_empty(), "an outsider is not in it");

    let alone =
        s.api.post("/v1/groups", &a.token, json!({"group_name": "Just me"})).await.expect(201);
    assert_eq!(roles(&alone), role_map(&[(&a, "owner")]));
    assert_eq!(alone["description"], Value::Null);
    s.server.stop().await;
}

async fn bad_groups_are_refused(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"group_name": "Study", "member_ids": [b.id, Uuid::new_v4()]}),
            "member_ids",
            "unknown_user",
        ),
        (json!({"group_name": ""}), "group_name", "required"),
        (json!({"group_name": "    "}), "group_name", "required"),
        (json!({"group_name": "g".repeat(51)}), "group_name", "too_long"),
        (json!({"description": "no name"}), "group_name", "required"),
        (
            json!({"group_name": "Study", "description": "d".repeat(2001)}),
            "description",
            "too_long",
        ),
    ];
    for (body, field, code) in cases {
        let a422 = s.api.post("/v1/groups", &a.token, body.clone()).await;
        assert_eq!(
            (a422.status.as_u16(), a422.code()),
            (422, "validation_failed"),
            "{body}: {}",
            a422.body
        );
        assert_eq!(a422.field(field), code, "{body}: {}", a422.body);
    }
    let a400 = s
        .api
        .post("/v1/groups", &a.token, json!({"group_name": "Study", "member_ids": ["ben"]}))
        .await;
    assert_eq!(a400.status, 400, "{}", a400.body);
    for user in [&a, &b] {
        let list = s.api.get("/v1/conversations", &user.token).await.expect(200);
        assert!(
            conversation_ids(&list).is_empty(),
            "a refused group left a conversation behind: {list}"
        );
    }
    let ok =
        s.api.post("/v1/groups", &a.token, json!({"group_name": "g".repeat(50)})).await.expect(201);
    assert_eq!(ok["group_name"].as_str().unwrap().len(), 50);
    s.server.stop().await;
}

async fn owners_and_admins_edit_members_do_not(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let owner = s.api.register("ann").await;
    let admin = s.api.register("ben").await;
    let member = s.api.register("cat").await;
    let group = create_group(&s.api, &owner, "Circle", &[&admin, &member]).await;
    let id = gid(&group);
    let promoted = s
        .api
        .patch(
            &format!("/v1/groups/{id}/members/{}", admin.id),
            &owner.token,
            json!({"role": "admin"}),
        )
        .await
        .expect(200);
    assert_eq!(promoted["user_id"], admin.id.to_string());
    assert_eq!(promoted["role"], "admin");

    let v = s
        .api
        .patch(
            &format!("/v1/groups/{id}"),
            &owner.token,
            json!({"group_name": "Inner Circle", "description": "Weekly"}),
        )
        .await
        .expect(200);
    assert_eq!(v["group_name"], "Inner Circle");
    assert_eq!(v["description"], "Weekly");
    let v = s
        .api
        .patch(&format!("/v1/groups/{id}"), &admin.token, json!({"description": null}))
        .await
        .expect(200);
    assert_eq!(v["group_name"], "Inner Circle", "an absent field stays");
    assert_eq!(v["description"], Value::Null, "null clears the description");
    let v = s
        .api
        .patch(&format!("/v1/groups/{id}"), &admin.token, json!({"group_name": "Admins rule"}))
        .await
        .expect(200);
    assert_eq!(v["group_name"], "Admins rule");
    let before = s.api.get(&format!("/v1/groups/{id}"), &owner.token).await.expect(200);
    let a403 = s
        .api
        .patch(&format!("/v1/groups/{id}"), &member.token, json!({"group_name": "Mine now"}))
        .await;
    assert_eq!((a403.status.as_u16(), a403.code()), (403, "forbidden"), "{}", a403.body);
    for bad in [
        json!({"group_name": ""}),
        json!({"group_name": null}),
        json!({"group_name": "x".repeat(51)}),
    ] {
        let a422 = s.api.patch(&format!("/v1/groups/{id}"), &owner.token, bad.clone()).await;
        assert_eq!(a422.status, 422, "{bad}: {}", a422.body);
        assert!(!a422.field("group_name").is_empty(), "{bad}: {}", a422.body);
    }
    assert_eq!(
        s.api.get(&format!("/v1/groups/{id}"), &member.token).await.expect(200),
        before,
        "nothing changed"
    );
    s.server.stop().await;
}

async fn adding_members_follows_the_roles(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let owner = s.api.register("ann").await;
    let admin = s.api.register("ben").await;
    let member = s.api.register("cat").await;
    let dan = s.api.register("dan").await;
    let eve = s.api.register("eve").await;
    let fay = s.api.register("fay").await;
    let group = create_group(&s.api, &owner, "Circle", &[&admin, &member]).await;
    let id = gid(&group);
    let members = format!("/v1/groups/{id}/members");
    s.api
        .patch(&format!("{members}/{}", admin.id), &owner.token, json!({"role": "admin"}))
        .await
        .expect(200);
    // The group has history before anyone joins.
    let conv: Uuid = group["conversation_id"].as_str().unwrap().parse().unwrap();
    let early = s.api.send(&member, conv, "before dan joined").await;

    let added = s
        .api
        .post(&members, &admin.token, json!({"user_id": dan.id, "role": "member"}))
        .await
        .expect(201);
    assert_eq!(keys(&added), BTreeSet::from(["user_id", "role", "joined_at"]));
    assert_eq!(added["user_id"], dan.id.to_string());
    assert_eq!(added["role"], "member");
    let history =
        s.api.get(&format!("/v1/conversations/{conv}/messages"), &dan.token).await.expect(200);
    assert_eq!(
        history["messages"][0]["message_id"], early["message_id"],
        "a new member sees the history"
    );

    let a403 =
        s.api.post(&members, &admin.token, json!({"user_id": eve.id, "role": "admin"})).await;
    assert_eq!(
        (a403.status.as_u16(), a403.code()),
        (403, "forbidden"),
        "only an owner grants admin: {}",
        a403.body
    );
    let a403 =
        s.api.post(&members, &admin.token, json!({"user_id": eve.id, "role": "owner"})).await;
    assert_eq!(a403.status, 403, "{}", a403.body);
    let a403 = s.api.post(&members, &member.token, json!({"user_id": eve.id})).await;
    assert_eq!(a403.status, 403, "a plain member adds nobody: {}", a403.body);
    let a404 = s.api.get(&format!("/v1/groups/{id}"), &eve.token).await;
    assert_eq!(a404.status, 404, "eve was not added by any of that");

    let granted = s
        .api
        .post(&members, &owner.token, json!({"user_id": eve.id, "role": "admin"}))
        .await
        .expect(201);
    assert_eq!(granted["role"], "admin");
    let defaulted =
        s.api.post(&members, &admin.token, json!({"user_id": fay.id})).await.expect(201);
    assert_eq!(defaulted["role"], "member", "the default role is member");

    let again =
        s.api.post(&members, &owner.token, json!({"user_id": dan.id, "role": "member"})).await;
    assert_eq!((again.status.as_u16(), again.code()), (409, "conflict"), "{}", again.body);
    let again = s.api.post(&members, &owner.token, json!({"user_id": owner.id})).await;
    assert_eq!(again.status, 409, "{}", again.body);
    let unknown = s.api.post(&members, &owner.token, json!({"user_id": Uuid::new_v4()})).await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert_eq!(unknown.field("user_id"), "unknown_user");
    let bad_role = s
        .api
        .post(&members, &owner.token, json!({"user_id": Uuid::new_v4(), "role": "king"}))
        .await;
    assert_eq!(bad_role.status, 422, "{}", bad_role.body);
    assert_eq!(bad_role.field("role"), "invalid");

    let group = s.api.get(&format!("/v1/groups/{id}"), &dan.token).await.expect(200);
    assert_eq!(
        roles(&group),
        role_map(&[
            (&owner, "owner"),
            (&admin, "admin"),
            (&member, "member"),
            (&dan, "member"),
            (&eve, "admin"),
            (&fay, "member")
        ])
    );
    for user in [&dan, &eve, &fay] {
        let list = s.api.get("/v1/conversations", &user.token).await.expect(200);
        assert_eq!(
            conversation_ids(&list),
            [conv.to_string()],
            "{} sees the group conversation",
            user.username
        );
    }
    s.server.stop().await;
}

async fn only_owners_change_roles(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let owner = s.api.register("ann").await;
    let admin = s.api.register("ben").await;
    let member = s.api.register("cat").await;
    let dan = s.api.register("dan").await;
    let stranger = s.api.register("eve").await;
    let group = create_group(&s.api, &owner, "Circle", &[&admin, &member, &dan]).await;
    let id = gid(&group);
    let path = |u: &User| format!("/v1/groups/{id}/members/{}", u.id);
    s.api.patch(&path(&admin), &owner.token, json!({"role": "admin"})).await.expect(200);
    let v = s.api.patch(&path(&member), &owner.token, json!({"role": "admin"})).await.expect(200);
    assert_eq!(v["role"], "admin");
    let v = s.api.patch(&path(&member), &owner.token, json!({"role": "member"})).await.expect(200);
    assert_eq!(v["role"], "member");
    let a403 = s.api.patch(&path(&dan), &admin.token, json!({"role": "admin"})).await;
    assert_eq!((a403.status.as_u16(), a403.code()), (403, "forbidden"), "{}", a403.body);
    let a403 = s.api.patch(&path(&admin), &admin.token, json!({"role": "owner"})).await;
    assert_eq!(a403.status, 403, "an admin cannot make themselves owner: {}", a403.body);
    let a403 = s.api.patch(&path(&member), &member.token, json!({"role": "admin"})).await;
    assert_eq!(a403.status, 403, "{}", a403.body);
    let a422 = s.api.patch(&path(&dan), &owner.token, json!({"role": "boss"})).await;
    assert_eq!(a422.status, 422, "{}", a422.body);
    assert_eq!(a422.field("role"), "invalid");
    let a404 = s.api.patch(&path(&stranger), &owner.token, json!({"role": "admin"})).await;
    assert_eq!(a404.status, 404, "not a member: {}", a404.body);

    // The last owner cannot step down...
    let last = s.api.patch(&path(&owner), &owner.token, json!({"role": "admin"})).await;
    assert_eq!((last.status.as_u16(), last.code()), (422, "validation_failed"), "{}", last.body);
    assert_eq!(last.field("role"), "last_owner");
    let last = s.api.patch(&path(&owner), &owner.token, json!({"role": "member"})).await;
    assert_eq!(last.field("role"), "last_owner", "{}", last.body);
    let group = s.api.get(&format!("/v1/groups/{id}"), &owner.token).await.expect(200);
    assert_eq!(roles(&group)[&owner.id.to_string()], "owner");
    // ...but may once there is another.
    s.api.patch(&path(&admin), &owner.token, json!({"role": "owner"})).await.expect(200);
    let v = s.api.patch(&path(&owner), &owner.token, json!({"role": "member"})).await.expect(200);
    assert_eq!(v["role"], "member");
    let group = s.api.get(&format!("/v1/groups/{id}"), &dan.token).await.expect(200);
    assert_eq!(
        roles(&group),
        role_map(&[(&owner, "member"), (&admin, "owner"), (&member, "member"), (&dan, "member")])
    );
    let a403 = s.api.patch(&path(&dan), &owner.token, json!({"role": "admin"})).await;
    assert_eq!(a403.status, 403, "a former owner has no say: {}", a403.body);
    s.server.stop().await;
}

/// Two owners who step down at the same moment: the check for the last owner must hold under
/// concurrency too, so the group never ends up with no owner.
async fn the_last_owner_survives_concurrent_demotions(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let cat = s.api.register("cat").await;
    let group = create_group(&s.api, &ann, "Circle", &[&ben, &cat]).await;
    let id = gid(&group);
    let path = |u: &User| format!("/v1/groups/{id}/members/{}", u.id);
    for round in 0..20 {
        // Both are owners again at the start of each round.
        let current = s.api.get(&format!("/v1/groups/{id}"), &cat.token).await.expect(200);
        let owners: Vec<&User> = [&ann, &ben]
            .into_iter()
            .filter(|u| roles(&current)[&u.id.to_string()] == "owner")
            .collect();
        assert!(!owners.is_empty(), "round {round}: no owner left: {current}");
        for u in [&ann, &ben] {
            if !owners.iter().any(|o| o.id == u.id) {
                s.api.patch(&path(u), &owners[0].token, json!({"role": "owner"})).await.expect(200);
            }
        }
        let (ann_path, ben_path) = (path(&ann), path(&ben));
        let (x, y) = tokio::join!(
            s.api.patch(&ann_path, &ann.token, json!({"role": "member"})),
            s.api.patch(&ben_path, &ben.token, json!({"role": "member"})),
        );
        let after = s.api.get(&format!("/v1/groups/{id}"), &cat.token).await.expect(200);
        let owners = roles(&after).values().filter(|r| *r == "owner").count();
        assert!(
            owners >= 1,
            "round {round}: both owners stepped down at once ({} and {}) and the group has no owner: {after}",
            x.status,
            y.status
        );
        let ok = [&x, &y].iter().filter(|a| a.status == 200).count();
        assert_eq!(
            ok, 1,
            "round {round}: exactly one may step down: {} {}, {} {}",
            x.status, x.body, y.status, y.body
        );
    }
    s.server.stop().await;
}

async fn removing_and_leaving(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let owner = s.api.register("ann").await;
    let admin = s.api.register("ben").await;
    let member = s.api.register("cat").await;
    let dan = s.api.register("dan").await;
    let eve = s.api.register("eve").await;
    let group = create_group(&s.api, &owner, "Circle", &[&admin, &member, &dan, &eve]).await;
    let id = gid(&group);
    let conv = group["conversation_id"].as_str().unwrap().to_owned();
    let path = |u: &User| format!("/v1/groups/{id}/members/{}", u.id);
    s.api.patch(&path(&admin), &owner.token, json!({"role": "admin"})).await.expect(200);
    s.api.patch(&path(&eve), &owner.token, json!({"role": "admin"})).await.expect(200);

    let a204 = s.api.delete(&path(&dan), &admin.token).await;
    assert_eq!(a204.status, 204, "an admin removes a member: {}", a204.body);
    assert_eq!(s.api.get(&format!("/v1/groups/{id}"), &dan.token).await.status, 404);
    let a403 = s.api.delete(&path(&owner), &admin.token).await;
    assert_eq!(
        (a403.status.as_u16(), a403.code()),
        (403, "forbidden"),
        "an admin cannot remove the owner: {}",
        a403.body
    );
    let a403 = s.api.delete(&path(&eve), &admin.token).await;
    assert_eq!(a403.status, 403, "an admin cannot remove another admin: {}", a403.body);
    let a403 = s.api.delete(&path(&admin), &member.token).await;
    assert_eq!(a403.status, 403, "a member removes nobody else: {}", a403.body);
    let a404 = s.api.delete(&path(&dan), &owner.token).await;
    assert_eq!(a404.status, 404, "dan is no longer a member: {}", a404.body);

    let left = s.api.delete(&path(&member), &member.token).await;
    assert_eq!(left.status, 204, "a member leaves: {}", left.body);
    let a404 = s.api.get(&format!("/v1/groups/{id}"), &member.token).await;
    assert_eq!((a404.status.as_u16(), a404.code()), (404, "not_found"));
    assert_eq!(s.api.get(&format!("/v1/conversations/{conv}"), &member.token).await.status, 404);
    assert_eq!(
        s.api.get(&format!("/v1/conversations/{conv}/messages"), &member.token).await.status,
        404
    );
    let list = s.api.get("/v1/conversations", &member.token).await.expect(200);
    assert!(!conversation_ids(&list).contains(&conv), "{list}");
    let send = s
        .api
        .post(
            "/v1/messages",
            &member.token,
            json!({"message_id": Uuid::new_v4(), "conversation_id": conv, "content": "hi?"}),
        )
        .await;
    assert_eq!(send.status, 404, "a former member cannot post: {}", send.body);

    s.api.delete(&path(&eve), &owner.token).await.expect(204);
    let group = s.api.get(&format!("/v1/groups/{id}"), &owner.token).await.expect(200);
    assert_eq!(roles(&group), role_map(&[(&owner, "owner"), (&admin, "admin")]));
    let participants: BTreeSet<String> =
        s.api.get(&format!("/v1/conversations/{conv}"), &owner.token).await.expect(200)
            ["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect();
    assert_eq!(participants, BTreeSet::from([owner.id.to_string(), admin.id.to_string()]));
    s.server.stop().await;
}

async fn only_the_owner_deletes_a_group(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let owner = s.api.register("ann").await;
    let admin = s.api.register("ben").await;
    let member = s.api.register("cat").await;
    let group = create_group(&s.api, &owner, "Circle", &[&admin, &member]).await;
    let id = gid(&group);
    let conv: Uuid = group["conversation_id"].as_str().unwrap().parse().unwrap();
    s.api
        .patch(
            &format!("/v1/groups/{id}/members/{}", admin.id),
            &owner.token,
            json!({"role": "admin"}),
        )
        .await
        .expect(200);
    let m = s.api.send(&member, conv, "hello all").await;
    let before = s.api.get(&format!("/v1/groups/{id}"), &owner.token).await.expect(200);
    for user in [&admin, &member] {
        let a403 = s.api.delete(&format!("/v1/groups/{id}"), &user.token).await;
        assert_eq!(
            (a403.status.as_u16(), a403.code()),
            (403, "forbidden"),
            "{}: {}",
            user.username,
            a403.body
        );
    }
    assert_eq!(s.api.get(&format!("/v1/groups/{id}"), &owner.token).await.expect(200), before);
    let a204 = s.api.delete(&format!("/v1/groups/{id}"), &owner.token).await;
    assert_eq!(a204.status, 204, "{}", a204.body);
    for user in [&owner, &admin, &member] {
        let a404 = s.api.get(&format!("/v1/groups/{id}"), &user.token).await;
        assert_eq!((a404.status.as_u16(), a404.code()), (404, "not_found"), "{}", user.username);
        assert_eq!(s.api.get(&format!("/v1/conversations/{conv}"), &user.token).await.status, 404);
        assert_eq!(
            s.api.get(&format!("/v1/conversations/{conv}/messages"), &user.token).await.status,
            404
        );
        let reads = s
            .api
            .get(&format!("/v1/messages/{}/reads", m["message_id"].as_str().unwrap()), &user.token)
            .await;
        assert_eq!(reads.status, 404);
        let list = s.api.get("/v1/conversations", &user.token).await.expect(200);
        assert!(conversation_ids(&list).is_empty(), "{} still lists it: {list}", user.username);
    }
    let again = s.api.delete(&format!("/v1/groups/{id}"), &owner.token).await;
    assert_eq!(again.status, 404, "{}", again.body);
    s.server.stop().await;
}

async fn group_messages_reach_every_member_and_show_read_by(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let c = s.api.register("cat").await;
    let d = s.api.register("dan").await;
    let group = create_group(&s.api, &a, "Circle", &[&b, &c, &d]).await;
    let conv: Uuid = group["conversation_id"].as_str().unwrap().parse().unwrap();
    let m1 = s.api.send(&a, conv, "welcome").await;
    let m2 = s.api.send(&b, conv, "thanks").await;
    let m3 = s.api.send(&c, conv, "hi all").await;
    let sent_ids: Vec<&Value> = [&m1, &m2, &m3].iter().map(|m| &m["message_id"]).collect();
    for user in [&a, &b, &c, &d] {
        let history =
            s.api.get(&format!("/v1/conversations/{conv}/messages"), &user.token).await.expect(200);
        let got: Vec<&Value> =
            history["messages"].as_array().unwrap().iter().map(|m| &m["message_id"]).collect();
        assert_eq!(got, sent_ids, "{} sees every message in order", user.username);
        let list = s.api.get("/v1/conversations", &user.token).await.expect(200);
        let entry = &list["conversations"][0];
        assert_eq!(entry["last_message"]["message_id"], m3["message_id"]);
        let own = [&a, &b, &c].iter().filter(|u| u.id == user.id).count();
        assert_eq!(entry["unread_count"], 3 - own, "{}: {list}", user.username);
    }
    let m1_id = m1["message_id"].as_str().unwrap();
    for reader in [&b, &c, &d] {
        s.api.post("/v1/read", &reader.token, json!({"message_ids": [m1_id]})).await.expect(204);
    }
    let reads = s.api.get(&format!("/v1/messages/{m1_id}/reads"), &a.token).await.expect(200);
    let readers: BTreeSet<&str> =
        reads["reads"].as_array().unwrap().iter().map(|r| r["user_id"].as_str().unwrap()).collect();
    let expected: BTreeSet<String> = [&b, &c, &d].iter().map(|u| u.id.to_string()).collect();
    assert_eq!(readers, expected.iter().map(String::as_str).collect(), "read by three: {reads}");
    assert!(reads["reads"].as_array().unwrap().iter().all(|r| r["message_id"] == m1_id));
    for user in [&b, &c, &d] {
        let theirs =
            s.api.get(&format!("/v1/messages/{m1_id}/reads"), &user.token).await.expect(200);
        assert_eq!(theirs, reads, "every member sees the same read-by");
    }
    let list = s.api.get("/v1/conversations", &d.token).await.expect(200);
    assert_eq!(list["conversations"][0]["unread_count"], 2);
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    creating_a_group_makes_its_conversation,
    bad_groups_are_refused,
    owners_and_admins_edit_members_do_not,
    adding_members_follows_the_roles,
    only_owners_change_roles,
    the_last_owner_survives_concurrent_demotions,
    removing_and_leaving,
    only_the_owner_deletes_a_group,
    group_messages_reach_every_member_and_show_read_by,
);
