//! Minors protected over real HTTP, on both backends (PROGRAM.md, "Minors"): a minor and an
//! adult talk directly only inside an active mentorship between them (403 `safeguarding`
//! otherwise); there, a message carrying contact details is held: its sender sees it held, the
//! minor's sync, socket, history and conversation list never carry it until a coordinator
//! releases it (then it arrives live); a rejected one never arrives; the trail records both.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use lodestar_tests::json_lists::texts;
use lodestar_tests::{Backend, Events, TestServer, User};
use serde_json::{json, Value};
use uuid::Uuid;

async fn send(s: &TestServer, from: &User, conv: Uuid, text: &str) -> lodestar_tests::Answer {
    let body = json!({"message_id": Uuid::new_v4(), "conversation_id": conv, "content": text});
    s.api.post("/v1/messages", &from.token, body).await
}

fn mentions(changes: &[Value], id: &str) -> bool {
    changes.iter().any(|c| c.to_string().contains(id))
}

async fn contact_details_wait_for_a_coordinator(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let api = &s.api;
    let cora = api.register("cora").await;
    s.store().set_coordinator("cora", true).await.unwrap();
    let max = api.register_with("max", json!({"mentor_status": true})).await;
    let mia = api
        .register_with("mia", json!({"mentee_status": true, "date_of_birth": "2012-05-01"}))
        .await;
    let stranger = api.register("stranger").await;

    // No direct conversation with a minor outside a mentorship, either way.
    for (a, b) in [(&stranger, &mia), (&mia, &stranger), (&max, &mia)] {
        let open = api.post("/v1/conversations/direct", &a.token, json!({"user_id": b.id})).await;
        assert_eq!((open.status.as_u16(), open.code()), (403, "safeguarding"), "{}", open.body);
    }
    let rid = Uuid::new_v4();
    let ask = json!({"request_id": rid, "mentor_id": max.id, "message": "Would you mentor me?"});
    api.post("/v1/mentorship-requests", &mia.token, ask).await.expect(201);
    let accepted = api
        .post(&format!("/v1/mentorship-requests/{rid}/accept"), &max.token, json!({}))
        .await
        .expect(200);
    let conv: Uuid = accepted["mentorship"]["conversation_id"].as_str().unwrap().parse().unwrap();
    let mid = accepted["mentorship"]["mentorship_id"].as_str().unwrap().to_owned();
    api.post("/v1/conversations/direct", &max.token, json!({"user_id": mia.id})).await.expect(200);

    // Plain words arrive; contact details are held, seen only by their sender.
    let (_, cursor) = api.sync_all(&mia, None, 500).await;
    let mut live = Events::connect(&api.base, &mia, Some(&cursor)).await;
    send(&s, &max, conv, "Welcome! Let's meet on 2026-12-07 at 17:00.").await.expect(201);
    let held = send(&s, &max, conv, "text me on 415.555.0100").await.expect(201);
    assert_eq!(
        (held["status"].as_str(), held["held_reason"].as_str()),
        (Some("held"), Some("phone"))
    );
    let held_id = held["message_id"].as_str().unwrap().to_owned();
    let link = send(&s, &mia, conv, "my portfolio is at example.com/mia").await.expect(201);
    assert_eq!(link["held_reason"], "link", "held whichever of the two sends it");
    let after = send(&s, &max, conv, "see you then").await.expect(201);
    let after_id = after["message_id"].as_str().unwrap().to_owned();
    live.wait_for(Duration::from_secs(5), |c| c.to_string().contains(&after_id))
        .await
        .expect("the later message arrives");
    assert!(live
        .next_frame(Duration::from_millis(600))
        .await
        .is_none_or(|f| !f.to_string().contains(&held_id)));
    let (mia_changes, mia_cursor) = api.sync_all(&mia, Some(&cursor), 500).await;
    assert!(!mentions(&mia_changes, &held_id), "the minor's sync never carries it");
    let (max_changes, _) = api.sync_all(&max, None, 500).await;
    assert!(mentions(&max_changes, &held_id), "its sender's sync does");
    let history =
        api.get(&format!("/v1/conversations/{conv}/messages"), &mia.token).await.expect(200);
    assert!(!history.to_string().contains(&held_id));
    let mine = api.get(&format!("/v1/conversations/{conv}/messages"), &max.token).await.expect(200);
    assert!(mine.to_string().contains(&held_id), "its sender's history shows it");
    let list = api.get("/v1/conversations", &mia.token).await.expect(200);
    assert!(!list.to_string().contains("415.555"), "{list}");
    let read = api.post("/v1/read", &mia.token, json!({"message_ids": [held_id]})).await;
    assert_eq!(read.status.as_u16(), 404, "a held message cannot be named by its recipient");

    // The coordinator's queue, then a release: it arrives live, at its release.
    let queue = api.get("/v1/admin/held", &cora.token).await.expect(200);
    let ids = texts(&queue["messages"], "message_id");
    assert_eq!(ids.len(), 2, "{queue}");
    assert_eq!(queue["recipients"][&held_id], json!(mia.id));
    assert_eq!(api.get("/v1/admin/held", &mia.token).await.status.as_u16(), 403);
    let released = api
        .post(&format!("/v1/admin/held/{held_id}/release"), &cora.token, json!({}))
        .await
        .expect(200);
    assert_eq!(released["status"], "delivered");
    let arrived = live
        .wait_for(Duration::from_secs(5), |c| c.to_string().contains(&held_id))
        .await
        .expect("released live");
    assert_eq!(arrived["data"]["status"], "delivered");
    let again =
        api.post(&format!("/v1/admin/held/{held_id}/release"), &cora.token, json!({})).await;
    assert_eq!(again.status.as_u16(), 409);

    // A rejection: never delivered, its sender told.
    let link_id = link["message_id"].as_str().unwrap().to_owned();
    let rejected = api
        .post(&format!("/v1/admin/held/{link_id}/reject"), &cora.token, json!({}))
        .await
        .expect(200);
    assert_eq!(rejected["status"], "rejected");
    let (max_changes, _) = api.sync_all(&max, Some(&mia_cursor), 500).await;
    assert!(!mentions(&max_changes, &link_id), "the other person never gets a rejected message");
    let (mia_later, _) = api.sync_all(&mia, Some(&mia_cursor), 500).await;
    let last = mia_later.iter().rev().find(|c| c.to_string().contains(&link_id)).unwrap();
    assert_eq!(last["data"]["status"], "rejected", "its sender sees it rejected");
    let trail = api.get("/v1/admin/audit", &cora.token).await.expect(200);
    let actions = texts(&trail["entries"], "action");
    assert_eq!(actions, ["message_rejected", "message_released"]);

    // Adults among themselves are never held; an ended mentorship ends the contact.
    let adult = api.direct(&max, &stranger).await;
    assert_eq!(send(&s, &max, adult, "call 415.555.0100").await.expect(201)["status"], "delivered");
    api.post(&format!("/v1/mentorships/{mid}/end"), &mia.token, json!({})).await.expect(200);
    let after_end = send(&s, &max, conv, "are you there?").await;
    assert_eq!((after_end.status.as_u16(), after_end.code()), (403, "safeguarding"));
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(contact_details_wait_for_a_coordinator);
