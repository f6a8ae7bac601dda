//! The desktop app's profile form and directory (`lodestar_client::app::App`) against a real
//! server: edits that change only what was edited, refusals beside the field, edits queued
//! offline, and paging through the program's mentors.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod desktop_app_support;

use std::collections::BTreeSet;

use desktop_app_support::*;
use lodestar_client::app::views::{DirectoryQuery, ProfileEdit, RegisterForm};
use lodestar_client::app::AppError;
use lodestar_client::ClientError;
use lodestar_protocol::ErrorCode;
use lodestar_tests::{Backend, TestServer, DOB};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_edits_change_only_what_was_edited() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    s.api.register("ben").await;
    let full = RegisterForm {
        city: Some("Austin".into()),
        state: Some("TX".into()),
        bio: Some("Rust and coffee".into()),
        job_title: Some("Engineer".into()),
        mentee_status: true,
        skills: vec!["Rust".into()],
        ..form("ann")
    };
    let app = signed_up(&s, dir.path(), full).await;
    let ann = login(&s, "ann").await;
    let me = app.my_profile().await.unwrap();
    assert_eq!((me.profile.username.as_str(), me.email.as_str()), ("ann", "ann@example.com"));
    assert_eq!(me.profile.city.as_deref(), Some("Austin"));
    assert_eq!(me.profile.skills, ["rust"]);

    let mut edit = ProfileEdit::of(&me);
    edit.bio = "Mentoring in Rust".into();
    edit.city = "  ".into();
    let saved = app.update_profile(&edit).await.unwrap();
    assert_eq!(saved.profile.bio.as_deref(), Some("Mentoring in Rust"));
    assert_eq!(saved.profile.city, None, "a blank field clears");
    let server = s.api.get("/v1/me", &ann.token).await.expect(200);
    assert_eq!(
        (server["bio"].as_str(), &server["city"]),
        (Some("Mentoring in Rust"), &json!(null))
    );
    for (field, before) in [
        ("username", json!("ann")),
        ("email", json!("ann@example.com")),
        ("state", json!("TX")),
        ("job_title", json!("Engineer")),
        ("skills", json!(["rust"])),
        ("mentee_status", json!(true)),
        ("mentor_status", json!(false)),
        ("date_of_birth", json!(DOB)),
    ] {
        assert_eq!(server[field], before, "{field} was not edited");
    }
    assert_eq!(app.my_profile().await.unwrap(), saved);

    // Another user's name: the server's refusal comes back beside the field.
    let mut taken = ProfileEdit::of(&saved);
    taken.username = "ben".into();
    let err = app.update_profile(&taken).await.unwrap_err();
    let shown = AppError::from(err);
    assert_eq!(shown.code, ErrorCode::Conflict, "{shown:?}");
    assert_eq!(shown.fields.get("username").map(String::as_str), Some("taken"));
    assert_eq!(app.my_profile().await.unwrap().profile.username, "ann");
    assert!(app.outbox().await.unwrap().is_empty(), "a refusal is not queued");

    // Broken values never leave the form, online or not.
    let mut bad = ProfileEdit::of(&saved);
    bad.state = "ZZ".into();
    bad.phone_number = "555".into();
    bad.username = " ".into();
    let expected = app.check_profile(&bad);
    let codes: Vec<(&str, &str)> = expected.0.iter().map(|(f, c)| (&f[..], &c[..])).collect();
    assert_eq!(
        codes,
        [("phone_number", "invalid"), ("state", "invalid"), ("username", "required")]
    );
    let err = app.update_profile(&bad).await.unwrap_err();
    assert!(matches!(&err, ClientError::Invalid(f) if *f == expected), "{err:?}");
    assert_eq!(s.api.get("/v1/me", &ann.token).await.expect(200)["state"], "TX");

    // Offline: queued, shown at once, and applied when the server is back.
    let (db, addr) = s.stop().await;
    let mut offline = ProfileEdit::of(&saved);
    offline.bio = "Written offline".into();
    let local = app.update_profile(&offline).await.unwrap();
    assert_eq!(local.profile.bio.as_deref(), Some("Written offline"));
    assert_eq!(local.profile.job_title.as_deref(), Some("Engineer"));
    let queued = app.outbox().await.unwrap();
    assert_eq!(queued.len(), 1, "{queued:?}");
    assert_eq!(
        (queued[0].kind.as_str(), queued[0].title.as_str(), queued[0].summary.as_str()),
        ("profile", "Profile change", "bio")
    );
    assert!(matches!(app.update_profile(&bad).await, Err(ClientError::Invalid(_))));
    assert_eq!(app.outbox().await.unwrap().len(), 1, "the broken edit is not queued");
    assert_eq!(app.my_profile().await.unwrap().profile.bio.as_deref(), Some("Written offline"));
    let s = TestServer::start_at(db, &addr).await;
    eventually("the edit delivered", || async {
        app.outbox().await.unwrap().is_empty().then_some(())
    })
    .await;
    let server = s.api.get("/v1/me", &ann.token).await.expect(200);
    assert_eq!(server["bio"], "Written offline");
    assert_eq!((&server["job_title"], &server["city"]), (&json!("Engineer"), &json!(null)));
    app.shutdown().await;
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_pages_through_mentors_and_finds_people() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let mut mentors = BTreeSet::new();
    for i in 0..25 {
        let name = format!("mentor{i:02}");
        let state = if i % 2 == 0 { "TX" } else { "CA" };
        let extra = json!({"mentor_status": true, "state": state, "skills": ["rust"]});
        s.api.register_with(&name, extra).await;
        mentors.insert(name);
    }
    for i in 0..3 {
        let extra = json!({"mentee_status": true, "state": "TX", "skills": ["rust"]});
        s.api.register_with(&format!("mentee{i}"), extra).await;
    }
    let seeker = RegisterForm { mentee_status: true, skills: vec!["rust".into()], ..form("ann") };
    let app = signed_up(&s, dir.path(), seeker).await;

    let mut query = DirectoryQuery { mentor: Some(true), ..Default::default() };
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let page = app.directory(&query).await.unwrap();
        pages += 1;
        assert!(page.users.iter().all(|u| u.mentor_status), "mentors only");
        seen.extend(page.users.into_iter().map(|u| u.username));
        match page.next_cursor {
            Some(c) => query.cursor = Some(c),
            None => break,
        }
        assert!(pages < 10, "the cursor goes somewhere");
    }
    assert_eq!(pages, 2, "25 mentors, 24 a page");
    assert_eq!(seen.len(), 25, "no one twice: {seen:?}");
    assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), mentors);

    // Blank filters are none; the state is matched whatever its case.
    let texans = DirectoryQuery {
        mentor: Some(true),
        state: Some(" tx ".into()),
        q: Some("  ".into()),
        ..Default::default()
    };
    let page = app.directory(&texans).await.unwrap();
    assert_eq!(page.users.len(), 13, "{:?}", page.users);
    assert!(page.users.iter().all(|u| u.state.as_deref() == Some("TX") && u.mentor_status));
    assert_eq!(page.next_cursor, None);

    let profile = app.user("@mentor03").await.unwrap();
    assert_eq!((profile.username.as_str(), profile.mentor_status), ("mentor03", true));
    assert_eq!(profile.state.as_deref(), Some("CA"));
    assert_eq!(app.user("mentor03").await.unwrap().user_id, profile.user_id);
    let err = app.user("nobody_here").await.unwrap_err();
    assert_eq!(AppError::from(err).code, ErrorCode::NotFound);

    let matches = app.matches().await.unwrap();
    assert!(!matches.is_empty());
    assert!(matches.iter().all(|m| m.user.mentor_status && (0.0..=1.0).contains(&m.score)));
    assert!(matches.windows(2).all(|w| w[0].score >= w[1].score), "best first");
    // Known now: a direct conversation opens offline-capable from the replica.
    let conv = app.open_direct("mentor03").await.unwrap();
    assert_eq!(app.conversations().await.unwrap()[0].conversation_id, conv);
    app.shutdown().await;
    s.server.stop().await;
}
