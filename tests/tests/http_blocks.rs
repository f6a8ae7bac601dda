//! Blocking over real HTTP, on both backends (PROGRAM.md, "Safety and the program"): 201 then
//! 200, the caller's own list, and the two kept apart in every direction: no direct
//! conversation opened, nothing sent into their existing one, no request (403 `blocked`), each
//! absent from the other's directory and matches; their group still works; unblocking undoes it.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use lodestar_tests::{Backend, TestServer};
use serde_json::json;
use uuid::Uuid;

async fn a_block_keeps_two_people_apart(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let api = &s.api;
    let ada = api.register_with("ada", json!({"mentor_status": true})).await;
    let bob = api.register_with("bob", json!({"mentee_status": true})).await;
    let cy = api.register_with("cyd", json!({"mentee_status": true})).await;
    let conv = api.direct(&ada, &bob).await;
    api.send(&bob, conv, "hi ada").await;
    let group = api
        .post(
            "/v1/groups",
            &ada.token,
            json!({"group_name": "Circle", "member_ids": [bob.id, cy.id]}),
        )
        .await
        .expect(201);
    let group_conv: Uuid = group["conversation_id"].as_str().unwrap().parse().unwrap();

    // Bad input, then ada blocks bob: 201, again 200; only ada's list names him.
    let me = api.post("/v1/blocks", &ada.token, json!({"user_id": ada.id})).await;
    assert_eq!(
        (me.status.as_u16(), me.body["error"]["fields"]["user_id"].as_str()),
        (422, Some("self")),
        "{}",
        me.body
    );
    assert_eq!(
        api.post("/v1/blocks", &ada.token, json!({"user_id": Uuid::new_v4()}))
            .await
            .status
            .as_u16(),
        404
    );
    assert_eq!(
        api.post("/v1/blocks", &ada.token, json!({"user_id": bob.id})).await.status.as_u16(),
        201
    );
    assert_eq!(
        api.post("/v1/blocks", &ada.token, json!({"user_id": bob.id})).await.status.as_u16(),
        200
    );
    let list = api.get("/v1/blocks", &ada.token).await.expect(200);
    assert_eq!(list["blocked"][0]["username"], "bob", "{list}");
    assert_eq!(api.get("/v1/blocks", &bob.token).await.expect(200)["blocked"], json!([]));

    // Kept apart both ways.
    for (from, to) in [(&bob, &ada), (&ada, &bob)] {
        let open =
            api.post("/v1/conversations/direct", &from.token, json!({"user_id": to.id})).await;
        assert_eq!((open.status.as_u16(), open.code()), (403, "blocked"), "{}", open.body);
        let sent = api
            .post("/v1/messages", &from.token, json!({"message_id": Uuid::new_v4(), "conversation_id": conv, "content": "still there?"}))
            .await;
        assert_eq!((sent.status.as_u16(), sent.code()), (403, "blocked"), "{}", sent.body);
        let found = api.get("/v1/users?limit=100", &from.token).await.expect(200);
        let names: Vec<&str> = found["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["username"].as_str().unwrap())
            .collect();
        assert!(!names.contains(&to.username.as_str()) && names.contains(&"cyd"), "{names:?}");
    }
    let ask = json!({"request_id": Uuid::new_v4(), "mentor_id": ada.id, "message": "Mentor me?"});
    let asked = api.post("/v1/mentorship-requests", &bob.token, ask).await;
    assert_eq!((asked.status.as_u16(), asked.code()), (403, "blocked"), "{}", asked.body);
    let matches = api.get("/v1/matches", &bob.token).await.expect(200);
    assert!(
        matches["matches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["profile"]["user_id"] != ada.id.to_string()),
        "{matches}"
    );
    // Groups are unaffected.
    api.send(&bob, group_conv, "hello circle").await;
    api.send(&ada, group_conv, "hello all").await;

    // Unblocked: together again.
    assert_eq!(
        api.delete(&format!("/v1/blocks/{}", bob.id), &ada.token).await.status.as_u16(),
        204
    );
    assert_eq!(
        api.delete(&format!("/v1/blocks/{}", bob.id), &ada.token).await.status.as_u16(),
        204
    );
    api.send(&bob, conv, "thanks for unblocking").await;
    let ask = json!({"request_id": Uuid::new_v4(), "mentor_id": ada.id, "message": "Mentor me?"});
    api.post("/v1/mentorship-requests", &bob.token, ask).await.expect(201);
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(a_block_keeps_two_people_apart);
