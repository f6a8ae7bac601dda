//! One's own data over real HTTP, on both backends (PROGRAM.md, "One's own data"): the export
//! holds everything the server keeps about the caller and nothing of others' private data; a
//! delete needs the password, ends the caller's mentorships, revokes every token and socket,
//! hands their groups on, and leaves their messages to the others as from "a deleted account"
//! (in the others' replicas too, after one sync).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use lodestar_tests::socket_watch::closed_within;
use lodestar_tests::{
    mentorship_with_session, open_events, signed_in_replica, Backend, TestServer, PASSWORD,
};
use serde_json::json;
use uuid::Uuid;

async fn the_export_holds_ones_data_and_the_delete_removes_it(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let api = &s.api;
    let (ada, bob, eve, mid, sid) = mentorship_with_session(api).await;
    let conv = api.direct(&bob, &ada).await;
    api.send(&bob, conv, "thank you for today").await;
    api.send(&ada, conv, "my pleasure").await;
    let (notes, _) = lodestar_notes::edit(&[], "Bob: read chapter 3").unwrap();
    api.post(
        &format!("/v1/sessions/{sid}/notes"),
        &bob.token,
        json!({"update": lodestar_notes::encode(&notes)}),
    )
    .await
    .expect(200);
    let group = api
        .post(
            "/v1/groups",
            &bob.token,
            json!({"group_name": "Study circle", "member_ids": [ada.id, eve.id]}),
        )
        .await
        .expect(201);
    let group_conv: Uuid = group["conversation_id"].as_str().unwrap().parse().unwrap();
    api.send(&bob, group_conv, "welcome all").await;
    let private = api.direct(&ada, &eve).await;
    api.send(&ada, private, "between ada and eve").await;
    api.post("/v1/blocks", &bob.token, json!({"user_id": eve.id})).await.expect(201);
    api.post(
        "/v1/reports",
        &bob.token,
        json!({"report_id": Uuid::new_v4(), "user_id": eve.id, "reason": "spam"}),
    )
    .await
    .expect(201);

    // The export: one document, to save.
    let answer = api.get("/v1/me/export", &bob.token).await;
    let doc = answer.body.clone();
    assert_eq!(answer.status.as_u16(), 200);
    let disposition = answer.headers.get("content-disposition").unwrap().to_str().unwrap();
    assert!(disposition.contains("lodestar-bob.json"), "{disposition}");
    assert_eq!(doc["me"]["username"], "bob");
    let texts: Vec<&str> =
        doc["messages"].as_array().unwrap().iter().filter_map(|m| m["content"].as_str()).collect();
    for said in ["thank you for today", "my pleasure", "welcome all"] {
        assert!(texts.contains(&said), "{said}: {texts:?}");
    }
    assert!(
        !doc.to_string().contains("between ada and eve"),
        "nothing of others' private conversations"
    );
    assert_eq!(doc["requests"].as_array().unwrap().len(), 1);
    assert_eq!(doc["mentorships"][0]["mentorship_id"], json!(mid));
    assert_eq!(doc["mentorships"][0]["sessions"][0]["session_id"], json!(sid));
    assert_eq!(doc["notes"][0]["text"], "Bob: read chapter 3");
    assert_eq!(doc["blocked"][0]["username"], "eve");
    assert_eq!(doc["reports"][0]["reason"], "spam");
    assert!(
        doc["reads"].is_array()
            && doc["feedback"].is_array()
            && doc["conversations"].as_array().unwrap().len() >= 2
    );

    // The delete: the password first.
    let dir = tempfile::tempdir().unwrap();
    let (ada_api, ada_replica) = signed_in_replica(&s, &ada, dir.path()).await;
    let mut socket = open_events(&api.base, &bob, None).await.unwrap();
    let wrong = api
        .call(
            reqwest::Method::DELETE,
            "/v1/me",
            Some(&bob.token),
            Some(json!({"password": "not it"})),
        )
        .await;
    assert_eq!(wrong.status.as_u16(), 401);
    api.get("/v1/me", &bob.token).await.expect(200);
    api.call(
        reqwest::Method::DELETE,
        "/v1/me",
        Some(&bob.token),
        Some(json!({"password": PASSWORD})),
    )
    .await
    .expect(204);
    closed_within(&mut socket, Duration::from_secs(1), "deleted account").await;
    assert_eq!(api.get("/v1/me", &bob.token).await.status.as_u16(), 401);
    let login = api.post("/v1/auth/login", "", json!({"login": "bob", "password": PASSWORD})).await;
    assert_eq!(login.status.as_u16(), 401);

    // Others keep the conversation, the messages (from nobody) and the group (ada owns it now).
    let history =
        api.get(&format!("/v1/conversations/{conv}/messages"), &ada.token).await.expect(200);
    let thanks = history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["content"] == "thank you for today")
        .unwrap();
    assert!(thanks["sender_id"].is_null(), "{thanks}");
    let g = api
        .get(&format!("/v1/groups/{}", group["group_id"].as_str().unwrap()), &ada.token)
        .await
        .expect(200);
    let members: Vec<&str> =
        g["members"].as_array().unwrap().iter().map(|m| m["user_id"].as_str().unwrap()).collect();
    assert_eq!(members.len(), 2, "{g}");
    assert!(g["members"].as_array().unwrap().iter().any(|m| m["role"] == "owner"), "{g}");
    let m = api.get(&format!("/v1/mentorships/{mid}"), &ada.token).await;
    assert_eq!(m.status.as_u16(), 404, "the mentorship went with the account");
    let found = api.get("/v1/users?q=bob", &eve.token).await.expect(200);
    assert!(found["users"].as_array().unwrap().is_empty());

    // Ada's replica forgets bob on its next sync; his words stay, from "a deleted account".
    lodestar_client::sync::pull(&ada_api, &ada_replica, |_| {}).await.unwrap();
    let items = ada_replica.messages(ada.id, conv, None, 50).await.unwrap();
    let thanks =
        items.iter().find(|i| i.message.content.as_deref() == Some("thank you for today")).unwrap();
    assert_eq!(
        (thanks.message.sender_id, thanks.sender_name.as_deref()),
        (None, Some("a deleted account"))
    );
    let list = ada_replica.conversations(ada.id).await.unwrap();
    assert!(
        list.iter().any(|c| c.conversation_id == conv && c.title == "a deleted account"),
        "{list:?}"
    );
    let ended = ada_replica.mentorships(ada.id).await.unwrap();
    assert!(
        !ended.is_empty()
            && ended.iter().all(|m| m.status == lodestar_protocol::MentorshipStatus::Ended),
        "{ended:?}"
    );
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(the_export_holds_ones_data_and_the_delete_removes_it);
