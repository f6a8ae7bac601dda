//! The program's coordinators, on both backends: made and unmade by username in any case,
//! twice changing nothing, an unknown name refused, and `Me` saying so.

use lodestar_server::store::StoreError;
use lodestar_tests::Backend;

use super::mentorships::mentee;
use super::{fx, Fx};

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

lodestar_tests::on_both_backends!(coordinators_are_made_and_unmade_by_username);
