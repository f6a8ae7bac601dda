//! Sync hands out only the newest version of a profile (issue 11, item 13): a new peer syncing
//! from the start must not learn where someone lived or what they wrote before.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use lodestar_tests::{Backend, TestServer};
use serde_json::json;

async fn a_new_peer_sees_only_the_newest_profile(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ann = s.api.register_with("ann", json!({"city": "Oldtown", "bio": "first bio"})).await;
    let cat = s.api.register("cat").await;
    // cat is ann's peer from the start and follows her edits.
    s.api.direct(&cat, &ann).await;
    for (city, bio) in [("Middleton", "second bio"), ("Newville", "third bio")] {
        s.api.patch("/v1/me", &ann.token, json!({"city": city, "bio": bio})).await.expect(200);
    }
    // ben meets ann only now, and syncs from the start.
    let ben = s.api.register("ben").await;
    s.api.direct(&ben, &ann).await;
    for who in [&ben, &cat, &ann] {
        let (changes, _) = s.api.sync_all(who, None, 3).await;
        let text = serde_json::to_string(&changes).unwrap();
        for old in ["Oldtown", "Middleton", "first bio", "second bio"] {
            assert!(!text.contains(old), "{} was handed {old:?}: {text}", who.username);
        }
        let anns: Vec<_> = changes
            .iter()
            .filter(|c| c["kind"] == "profile" && c["data"]["user_id"] == ann.id.to_string())
            .collect();
        assert!(!anns.is_empty(), "{} knows ann", who.username);
        assert!(anns.iter().all(|c| c["data"]["city"] == "Newville"), "{anns:?}");
    }
    // cat, synced before the edits, gets the newest version on her next sync too.
    let (changes, cursor) = s.api.sync_all(&cat, None, 100).await;
    assert!(!changes.is_empty());
    s.api.patch("/v1/me", &ann.token, json!({"city": "Lastport"})).await.expect(200);
    let (later, _) = s.api.sync_all(&cat, Some(&cursor), 100).await;
    assert!(
        later.iter().any(|c| c["kind"] == "profile" && c["data"]["city"] == "Lastport"),
        "{later:?}"
    );
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(a_new_peer_sees_only_the_newest_profile);
