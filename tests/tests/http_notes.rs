//! Session notes over real HTTP, on both backends: two people's edits made from the same text
//! at the same time merge with every character kept, in either order; a retry changes nothing;
//! the other person receives the merged notes by sync; a stranger gets 404; an update that is
//! not base64, or not a notes update, is 422 naming `update`; an ended mentorship is read-only.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use lodestar_tests::{mentorship_with_session, Backend, TestServer};
use serde_json::{json, Value};

fn update(bytes: &[u8]) -> Value {
    json!({"update": lodestar_notes::encode(bytes)})
}

async fn notes_merge_over_http(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let api = &s.api;
    let (ada, bo, eve, mid, sid) = mentorship_with_session(api).await;
    let path = format!("/v1/sessions/{sid}/notes");
    let empty = api.get(&path, &ada.token).await.expect(200);
    assert_eq!((empty["text"].as_str(), empty["updated_at"].is_null()), (Some(""), true));

    // One base text, then both people edit it from there at the same time.
    let (first, base) = lodestar_notes::edit(&[], "Agenda: joins").unwrap();
    api.post(&path, &ada.token, update(&first)).await.expect(200);
    let (ada_edit, _) = lodestar_notes::edit(&base, "Agenda: joins, indexes").unwrap();
    let (bo_edit, _) = lodestar_notes::edit(&base, "Our agenda: joins").unwrap();
    api.post(&path, &bo.token, update(&bo_edit)).await.expect(200);
    let merged = api.post(&path, &ada.token, update(&ada_edit)).await.expect(200);
    assert_eq!(merged["text"], "Our agenda: joins, indexes", "{merged}");
    let again = api.post(&path, &ada.token, update(&ada_edit)).await.expect(200);
    assert_eq!(
        (&again["text"], &again["updated_at"]),
        (&merged["text"], &merged["updated_at"]),
        "a retry changes nothing"
    );
    // The document the server answers is one a client merges: it reads as the same text.
    let state = lodestar_notes::decode(merged["state"].as_str().unwrap()).unwrap();
    assert_eq!(lodestar_notes::text(&state).unwrap(), "Our agenda: joins, indexes");

    // The other person hears of it by sync, with the merged text.
    let (changes, _) = api.sync_all(&bo, None, 500).await;
    let last = changes
        .iter()
        .rev()
        .find(|c| c["kind"] == "session_notes")
        .expect("a session_notes change");
    assert_eq!(last["data"]["text"], "Our agenda: joins, indexes", "{last}");
    let (strangers, _) = api.sync_all(&eve, None, 500).await;
    assert!(strangers.iter().all(|c| c["kind"] != "session_notes"));

    // Strangers, bad updates, an ended mentorship.
    assert_eq!(api.get(&path, &eve.token).await.status.as_u16(), 404);
    assert_eq!(api.post(&path, &eve.token, update(&ada_edit)).await.status.as_u16(), 404);
    for bad in [
        json!({"update": "not base64!"}),
        update(&[1, 2, 3]),
        update(&[0xff; 40]),
        json!({"update": 7}),
    ] {
        let a = api.post(&path, &bo.token, bad.clone()).await;
        let code = a.status.as_u16();
        assert!(code == 422 || code == 400, "{bad}: {}", a.body);
        if code == 422 {
            assert_eq!(a.body["error"]["fields"]["update"], "invalid", "{}", a.body);
        }
    }
    let unchanged = api.get(&path, &bo.token).await.expect(200);
    assert_eq!(unchanged["text"], "Our agenda: joins, indexes", "nothing half-written");
    api.post(&format!("/v1/mentorships/{mid}/end"), &ada.token, json!({})).await.expect(200);
    let late = api.post(&path, &bo.token, update(&bo_edit)).await;
    assert_eq!(late.status.as_u16(), 409, "{}", late.body);
    assert_eq!(api.get(&path, &bo.token).await.expect(200)["text"], "Our agenda: joins, indexes");
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(notes_merge_over_http);
