//! The program's coordinators, on both backends: made and unmade by username in any case,
//! twice changing nothing, an unknown name refused, and `Me` saying so.

use lodestar_server::store::{Refusal, StoreError};
use lodestar_tests::Backend;

use super::mentorships::{ask, assert_refused, mentee, mentor};
use super::{direct, fx, send, t, text, Fx};

async fn coordinators_are_made_and_unmade_by_username(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let ada = mentee(s, "ada").await;
    mentee(s, "bo").await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    assert!(s.coordinators().await.unwrap().is_empty());
    assert!(!s.me(ada, today).await.unwrap().is_coordinator, "nobody is, at first");

    s.set_coordinator("ADA", true).await.unwrap();
    s.set_coordinator("ada", true).await.unwrap();
    s.set_coordinator("bo", true).await.unwrap();
    assert_eq!(s.coordinators().await.unwrap(), ["ada", "bo"]);
    assert!(s.me(ada, today).await.unwrap().is_coordinator);
    assert!(matches!(s.set_coordinator("nobody", true).await, Err(StoreError::NotFound)));

    s.set_coordinator("ada", false).await.unwrap();
    assert_eq!(s.coordinators().await.unwrap(), ["bo"]);
    assert!(!s.me(ada, today).await.unwrap().is_coordinator);
}

async fn a_block_keeps_two_people_apart_until_lifted(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let ada = mentor(s, "ada", 2).await;
    let bo = mentee(s, "bo").await;
    let cy = mentee(s, "cy").await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let conv = direct(s, ada, bo, t(1)).await;

    assert!(matches!(
        s.block(ada, ada, t(2)).await,
        Err(StoreError::Rule { field: "user_id", .. })
    ));
    assert!(matches!(s.block(ada, uuid::Uuid::new_v4(), t(2)).await, Err(StoreError::NotFound)));
    assert!(s.block(ada, bo, t(2)).await.unwrap(), "made now");
    assert!(!s.block(ada, bo, t(3)).await.unwrap(), "stood already");
    let names: Vec<String> =
        s.blocked(ada, today).await.unwrap().into_iter().map(|p| p.username).collect();
    assert_eq!(names, ["bo"]);
    assert!(s.blocked(bo, today).await.unwrap().is_empty(), "only the blocker's list");
    assert_eq!(s.kept_apart(bo).await.unwrap(), [ada].into_iter().collect(), "both directions");
    assert!(s.kept_apart(cy).await.unwrap().is_empty());

    for (from, to) in [(bo, ada), (ada, bo)] {
        assert_refused(s.open_direct(from, to, t(4)).await, Refusal::Blocked, "opening");
        let said = s.send_message(from, text(conv, "still there?", t(4))).await;
        assert_refused(said, Refusal::Blocked, "sending into their conversation");
    }
    assert_refused(s.create_request(bo, ask(ada), t(5)).await, Refusal::Blocked, "asking");
    let other = direct(s, ada, cy, t(5)).await;
    send(s, ada, other, "others are unaffected", t(6)).await;

    s.unblock(ada, bo).await.unwrap();
    s.unblock(ada, bo).await.unwrap();
    assert!(s.kept_apart(bo).await.unwrap().is_empty());
    send(s, bo, conv, "together again", t(7)).await;
}

lodestar_tests::on_both_backends!(
    coordinators_are_made_and_unmade_by_username,
    a_block_keeps_two_people_apart_until_lifted
);
