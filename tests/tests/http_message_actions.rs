//! Edits, deletes, reactions and typing over real HTTP and a real WebSocket, on both backends
//! (API.md, "Richer messages"): every refusal with its status and code, bad input as 422 with
//! the field, 404 for anyone outside the conversation, each action reaching the other member's
//! socket as a change, and typing relayed (throttled) but never stored.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use futures_util::SinkExt;
use lodestar_tests::socket_watch::{next, Next};
use lodestar_tests::{open_events, Backend, Database, Events, TestServer};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message as Frame;
use uuid::Uuid;

async fn edits_deletes_and_reactions_answer_as_the_contract_says(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let api = &s.api;
    let (ann, ben, cat) =
        (api.register("ann").await, api.register("ben").await, api.register("cat").await);
    let conv = api.direct(&ann, &ben).await;
    let m = api.send(&ann, conv, "see you at noom").await;
    let id = m["message_id"].as_str().unwrap().to_owned();
    let mut bens = Events::connect(&api.base, &ben, None).await;

    // Bad input: 422 naming the field.
    let empty =
        api.patch(&format!("/v1/messages/{id}"), &ann.token, json!({"content": "  "})).await;
    assert_eq!(
        (empty.status.as_u16(), empty.field("content")),
        (422, "required"),
        "{}",
        empty.body
    );
    let extra = api
        .patch(
            &format!("/v1/messages/{id}"),
            &ann.token,
            json!({"content": "x", "sender_id": ben.id}),
        )
        .await;
    assert_eq!(extra.status.as_u16(), 422, "{}", extra.body);
    for bad in ["a", "%F0%9F%91%8D%F0%9F%91%8D", "%3Cscript%3E"] {
        let r = api
            .call(
                reqwest::Method::PUT,
                &format!("/v1/messages/{id}/reactions/{bad}"),
                Some(&ben.token),
                None,
            )
            .await;
        assert_eq!(
            (r.status.as_u16(), r.field("emoji")),
            (422, "not_an_emoji"),
            "{bad}: {}",
            r.body
        );
    }
    let unknown = api
        .patch(&format!("/v1/messages/{}", Uuid::new_v4()), &ann.token, json!({"content": "x"}))
        .await;
    assert_eq!(unknown.status.as_u16(), 404);
    let not_an_id = api.delete("/v1/messages/not-an-id", &ann.token).await;
    assert_eq!(not_an_id.status.as_u16(), 404);

    // Who may: the sender edits; the other person may not; a stranger learns nothing.
    let theirs =
        api.patch(&format!("/v1/messages/{id}"), &ben.token, json!({"content": "mine"})).await;
    assert_eq!((theirs.status.as_u16(), theirs.code()), (403, "forbidden"), "{}", theirs.body);
    for (method, path) in [
        (reqwest::Method::PATCH, format!("/v1/messages/{id}")),
        (reqwest::Method::DELETE, format!("/v1/messages/{id}")),
        (reqwest::Method::PUT, format!("/v1/messages/{id}/reactions/%F0%9F%91%8D")),
        (reqwest::Method::DELETE, format!("/v1/messages/{id}/reactions/%F0%9F%91%8D")),
    ] {
        let r =
            api.call(method.clone(), &path, Some(&cat.token), Some(json!({"content": "x"}))).await;
        assert_eq!(r.status.as_u16(), 404, "a stranger's {method} {path}: {}", r.body);
        let anon = api.call(method.clone(), &path, None, Some(json!({"content": "x"}))).await;
        assert_eq!(anon.status.as_u16(), 401, "{method} {path} without a token");
    }

    let edited = api
        .patch(&format!("/v1/messages/{id}"), &ann.token, json!({"content": "see you at noon"}))
        .await
        .expect(200);
    assert_eq!(edited["content"], "see you at noon");
    assert!(edited["edited_at"].is_string(), "{edited}");
    let seen = bens
        .wait_for(Duration::from_secs(5), |c| {
            c["kind"] == "message" && c["data"]["edited_at"].is_string()
        })
        .await;
    assert_eq!(seen.expect("the edit reaches ben's socket")["data"]["content"], "see you at noon");

    // Reactions: 204 twice (idempotent), each way, seen live.
    for _ in 0..2 {
        let r = api
            .call(
                reqwest::Method::PUT,
                &format!("/v1/messages/{id}/reactions/%F0%9F%8E%89"),
                Some(&ben.token),
                None,
            )
            .await;
        assert_eq!(r.status.as_u16(), 204, "{}", r.body);
    }
    let mut anns = Events::connect(&api.base, &ann, Some("0")).await;
    let reaction = anns
        .wait_for(Duration::from_secs(5), |c| c["kind"] == "reaction")
        .await
        .expect("the reaction reaches ann");
    assert_eq!(
        (reaction["op"].as_str(), reaction["data"]["emoji"].as_str()),
        (Some("upsert"), Some("🎉"))
    );
    assert_eq!(reaction["data"]["user_id"], ben.id.to_string());
    for _ in 0..2 {
        let r = api
            .call(
                reqwest::Method::DELETE,
                &format!("/v1/messages/{id}/reactions/%F0%9F%8E%89"),
                Some(&ben.token),
                None,
            )
            .await;
        assert_eq!(r.status.as_u16(), 204);
    }

    // Deletes: not the other person's to make; the sender's leaves a tombstone for both.
    let not_yours = api.delete(&format!("/v1/messages/{id}"), &ben.token).await;
    assert_eq!((not_yours.status.as_u16(), not_yours.code()), (403, "forbidden"));
    assert_eq!(api.delete(&format!("/v1/messages/{id}"), &ann.token).await.status.as_u16(), 204);
    assert_eq!(
        api.delete(&format!("/v1/messages/{id}"), &ann.token).await.status.as_u16(),
        204,
        "again"
    );
    let history =
        api.get(&format!("/v1/conversations/{conv}/messages"), &ben.token).await.expect(200);
    let tomb = &history["messages"][0];
    assert!(tomb["deleted_at"].is_string() && tomb["content"].is_null(), "{history}");
    let after =
        api.patch(&format!("/v1/messages/{id}"), &ann.token, json!({"content": "back"})).await;
    assert_eq!((after.status.as_u16(), after.code()), (409, "conflict"), "{}", after.body);
    let react = api
        .call(
            reqwest::Method::PUT,
            &format!("/v1/messages/{id}/reactions/%F0%9F%91%8D"),
            Some(&ben.token),
            None,
        )
        .await;
    assert_eq!(react.status.as_u16(), 409);

    // A reply names a message of its own conversation.
    let other = api.direct(&ann, &cat).await;
    let elsewhere = api.send(&cat, other, "private").await;
    let leak = api
        .post("/v1/messages", &ann.token, json!({"message_id": Uuid::new_v4(), "conversation_id": conv, "content": "re", "reply_to": elsewhere["message_id"]}))
        .await;
    assert_eq!(
        (leak.status.as_u16(), leak.field("reply_to")),
        (422, "not_in_conversation"),
        "{}",
        leak.body
    );
    let q = api.send(&ben, conv, "which day?").await;
    let answer = api
        .post("/v1/messages", &ann.token, json!({"message_id": Uuid::new_v4(), "conversation_id": conv, "content": "Tuesday", "reply_to": q["message_id"]}))
        .await
        .expect(201);
    assert_eq!(answer["reply_to"], q["message_id"]);
    s.server.stop().await;
}

/// The next frame on a raw socket within `wait`, skipping nothing.
async fn frame(
    socket: &mut lodestar_tests::EventSocket,
    wait: Duration,
) -> Option<serde_json::Value> {
    match next(socket, wait).await {
        Next::Changes(v) => Some(v),
        _ => None,
    }
}

/// Sends ann's typing notice on `from` until `to` hears it (a socket knows its conversations a
/// moment after it opens); answers the frame heard.
async fn typed_until_heard(
    from: &mut lodestar_tests::EventSocket,
    to: &mut lodestar_tests::EventSocket,
    typing: &str,
) -> serde_json::Value {
    for _ in 0..20 {
        from.send(Frame::Text(typing.to_owned().into())).await.unwrap();
        if let Some(v) = frame(to, Duration::from_millis(400)).await {
            return v;
        }
    }
    panic!("the typing notice never arrived");
}

async fn typing_is_relayed_to_the_other_members_only_and_never_stored(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let api = &s.api;
    let (ann, ben, cat) =
        (api.register("ann").await, api.register("ben").await, api.register("cat").await);
    let conv = api.direct(&ann, &ben).await;
    let theirs = api.direct(&ben, &cat).await;
    let mut anns = open_events(&api.base, &ann, None).await.unwrap();
    let mut bens = open_events(&api.base, &ben, None).await.unwrap();
    let mut cats = open_events(&api.base, &cat, None).await.unwrap();
    // The sockets know their conversations once they have pulled: a moment after opening.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = s.store().latest_seq().await.unwrap();

    let typing = json!({"type": "typing", "conversation_id": conv}).to_string();
    let got = typed_until_heard(&mut anns, &mut bens, &typing).await;
    assert_eq!(got, json!({"type": "typing", "conversation_id": conv, "user_id": ann.id}));
    assert!(
        frame(&mut cats, Duration::from_millis(500)).await.is_none(),
        "cat is not in that conversation"
    );
    assert!(
        frame(&mut anns, Duration::from_millis(100)).await.is_none(),
        "ann is not told of herself"
    );

    // Throttled: a burst within 3 s is one notice.
    for _ in 0..5 {
        anns.send(Frame::Text(typing.clone().into())).await.unwrap();
    }
    assert!(
        frame(&mut bens, Duration::from_millis(800)).await.is_none(),
        "relayed more than once per 3 s"
    );
    // Typing into a conversation one is not in, or garbage: nothing, and the socket stays.
    let foreign = json!({"type": "typing", "conversation_id": theirs}).to_string();
    anns.send(Frame::Text(foreign.into())).await.unwrap();
    anns.send(Frame::Text("{not json".into())).await.unwrap();
    assert!(
        frame(&mut cats, Duration::from_millis(500)).await.is_none(),
        "ann typed into someone else's conversation"
    );
    assert_eq!(s.store().latest_seq().await.unwrap(), before, "typing was stored");
    // The socket still delivers changes afterwards.
    api.send(&ben, conv, "hello").await;
    let changes = frame(&mut anns, Duration::from_secs(3)).await.expect("ann's socket still works");
    assert_eq!(changes["type"], "changes");
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    edits_deletes_and_reactions_answer_as_the_contract_says,
    typing_is_relayed_to_the_other_members_only_and_never_stored
);

/// Two instances on one PostgreSQL: ann's socket on one, ben's on the other; her typing reaches
/// him (through NOTIFY, nothing written).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_crosses_instances_on_postgresql() {
    let db = std::sync::Arc::new(Database::fresh(Backend::Postgres).await);
    let one = TestServer::spawn_on(db.clone()).await;
    let two = TestServer::spawn_on(db.clone()).await;
    let (ann, ben) = (one.api.register("ann").await, one.api.register("ben").await);
    let conv = one.api.direct(&ann, &ben).await;
    let mut anns = open_events(&one.api.base, &ann, None).await.unwrap();
    let mut bens = open_events(&two.api.base, &ben, None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = one.store().latest_seq().await.unwrap();
    let typing = json!({"type": "typing", "conversation_id": conv}).to_string();
    let got = typed_until_heard(&mut anns, &mut bens, &typing).await;
    assert_eq!(got, json!({"type": "typing", "conversation_id": conv, "user_id": ann.id}));
    assert!(frame(&mut anns, Duration::from_millis(300)).await.is_none(), "not echoed back to ann");
    assert_eq!(one.store().latest_seq().await.unwrap(), before, "nothing stored");
    one.server.stop().await;
    two.server.stop().await;
}
