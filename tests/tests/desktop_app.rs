//! The desktop app's facade (`lodestar_client::app::App`) against a real server, with real
//! SQLite replicas in temp folders: what the window shows as a user signs in, sends, reads,
//! drafts and goes offline. The profile and the directory are in `desktop_app_profile.rs`,
//! groups in `desktop_app_groups.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod desktop_app_support;

use desktop_app_support::*;
use lodestar_client::app::views::RegisterForm;
use lodestar_client::app::{App, AppError};
use lodestar_client::engine::{SyncState, Topic};
use lodestar_client::replica::{Draft, MessageStatus, OutboxState};
use lodestar_client::ClientError;
use lodestar_protocol::ErrorCode;
use lodestar_tests::{Backend, TestServer, PASSWORD};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_up_and_in_shows_who_and_where() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let app = open(&s, dir.path()).await;
    let out = app.session().await.unwrap();
    assert!(!out.signed_in);
    assert_eq!((out.username, out.user_id), (None, None));
    assert_eq!(out.server, s.api.base, "the sign-in screen offers the override");

    // A bad form is refused with the server's field codes, before any request: a server where
    // nothing listens would answer `offline` otherwise.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bad = RegisterForm {
        username: "Not OK!".into(),
        email: "nope".into(),
        password: "short".into(),
        date_of_birth: "2020-01-01".into(),
        state: Some("ZZ".into()),
        ..Default::default()
    };
    let codes = app.check_register(&bad).0;
    let expected = [
        ("date_of_birth", "too_young"),
        ("email", "invalid"),
        ("password", "too_short"),
        ("state", "invalid"),
        ("username", "invalid"),
    ];
    let expected = expected.map(|(f, c)| (f.to_owned(), c.to_owned())).into();
    assert_eq!(codes, expected);
    let err = app.register(&format!("http://127.0.0.1:{dead}"), &bad).await.unwrap_err();
    assert!(matches!(&err, ClientError::Invalid(f) if f.0 == expected), "{err:?}");
    let shown = AppError::from(err);
    assert_eq!((shown.code, &shown.fields), (ErrorCode::ValidationFailed, &expected));
    assert!(shown.message.contains("username: invalid"), "{}", shown.message);
    assert!(app.check_register(&form("ann")).is_empty());
    assert!(!app.session().await.unwrap().signed_in);

    // Signing up signs in, with the token in the data folder's file.
    let session = app.register(&format!("{}/", s.api.base), &form("ann")).await.unwrap();
    assert!(session.signed_in);
    assert_eq!(session.username.as_deref(), Some("ann"));
    let ann = login(&s, "ann").await;
    assert_eq!(session.user_id, Some(ann.id));
    assert_eq!(session.server, s.api.base);
    assert!(dir.path().join("token").exists(), "LODESTAR_TOKEN_STORE=file keeps the keychain out");
    online(&app).await;

    // Signing out, then a wrong password: `unauthorized`, with a sentence and no fields.
    app.logout().await.unwrap();
    assert!(!app.session().await.unwrap().signed_in);
    let err = app.login(&s.api.base, "ann", "not the password at all").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized, "{err:?}");
    let shown = AppError::from(err);
    assert_eq!(shown.code, ErrorCode::Unauthorized);
    assert!(!shown.message.is_empty() && shown.fields.is_empty(), "{shown:?}");
    assert!(!app.session().await.unwrap().signed_in);
    // The right one, by email and with spaces around it, signs in and syncs again.
    let back = app.login(&s.api.base, " ann@example.com ", PASSWORD).await.unwrap();
    assert_eq!((back.signed_in, back.username.as_deref()), (true, Some("ann")));
    online(&app).await;
    app.shutdown().await;
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_signed_in_the_session_shows_the_server_in_use() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    file_tokens();
    // LODESTAR_SERVER names another server than the one the user signs up on.
    let app = App::open(dir.path(), Some("http://127.0.0.1:9/".into())).await.unwrap();
    assert_eq!(app.session().await.unwrap().server, "http://127.0.0.1:9");
    assert!(!matches!(app.sync_state(), SyncState::Online));
    app.register(&s.api.base, &form("ann")).await.unwrap();
    assert_eq!(app.session().await.unwrap().server, s.api.base);
    assert_eq!(app.settings().await.unwrap().server, s.api.base);
    online(&app).await;
    // Signed out: no engine, so not online; the override is offered again.
    app.logout().await.unwrap();
    assert!(!matches!(app.sync_state(), SyncState::Online), "{:?}", app.sync_state());
    assert_eq!(app.session().await.unwrap().server, "http://127.0.0.1:9");
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_goes_out_pending_then_sent_then_read() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ann = signed_up(&s, dir_a.path(), form("ann")).await;
    let ben = signed_up(&s, dir_b.path(), form("ben")).await;
    let conv = ann.open_direct("ben").await.unwrap();
    assert_eq!(ann.open_direct("@ben").await.unwrap(), conv, "the same conversation again");
    let err = ann.open_direct("nobody").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    let list = ann.conversations().await.unwrap();
    assert_eq!(list.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(), ["ben"]);

    let mut events = ann.subscribe();
    let item = ann.send(conv, Some("  hello ben "), None, None).await.unwrap();
    assert_eq!(item.status, MessageStatus::Pending, "answered before any network");
    assert_eq!(item.message.seq, 0);
    assert_eq!(item.message.content.as_deref(), Some("hello ben"));
    assert_eq!(item.sender_name.as_deref(), Some("ann"));
    let id = item.message.message_id;
    assert!(shown(&ann, conv, id).await.is_some(), "shown at once");
    next_event(&mut events, Topic::Messages.one(conv)).await;

    // The engine delivers it: Ben has it, and Ann's copy is the server's, sent.
    let sent = eventually("ann's copy sent", || async {
        shown(&ann, conv, id).await.filter(|m| m.status == MessageStatus::Sent)
    })
    .await;
    assert!(sent.message.seq > 0);
    let got = eventually("ben has it", || async { shown(&ben, conv, id).await }).await;
    assert_eq!(got.status, MessageStatus::Received);
    assert_eq!(got.sender_name.as_deref(), Some("ann"));
    assert_eq!(got.message.content.as_deref(), Some("hello ben"));
    assert_eq!(ann.messages(conv, 50).await.unwrap().len(), 1, "no second copy");

    // Ben's unread total counts unmuted conversations only.
    let cat = s.api.register("cat").await;
    let ben_user = login(&s, "ben").await;
    let cat_conv = s.api.direct(&cat, &ben_user).await;
    s.api.send(&cat, cat_conv, "one").await;
    s.api.send(&cat, cat_conv, "two").await;
    eventually("ben's unread total", || async {
        (ben.unread_total().await.unwrap() == 3).then_some(())
    })
    .await;
    ben.set_muted(cat_conv, true).await.unwrap();
    let list = ben.conversations().await.unwrap();
    let row = list.iter().find(|c| c.conversation_id == cat_conv).unwrap();
    assert!(row.muted);
    assert_eq!(row.unread_count, 2, "muting hides nothing from the list");
    assert!(!list.iter().find(|c| c.conversation_id == conv).unwrap().muted);
    assert_eq!(ben.unread_total().await.unwrap(), 1);

    // Ben reads: zero at once on his side, and Ann's message shows read.
    assert_eq!(ben.mark_read(conv).await.unwrap(), 1);
    assert_eq!(ben.unread_total().await.unwrap(), 0);
    assert_eq!(ben.mark_read(conv).await.unwrap(), 0, "nothing left to read");
    eventually("ann sees it read", || async {
        shown(&ann, conv, id)
            .await
            .filter(|m| m.status == MessageStatus::Read { read_by: 1, of: 1 })
    })
    .await;
    let server = s.api.get("/v1/conversations", &ben_user.token).await.expect(200);
    let unread: Vec<i64> = server["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["conversation_id"] == conv.to_string())
        .map(|c| c["unread_count"].as_i64().unwrap())
        .collect();
    assert_eq!(unread, [0], "the server agrees");
    ben.set_muted(cat_conv, false).await.unwrap();
    assert_eq!(ben.unread_total().await.unwrap(), 2);
    ann.shutdown().await;
    ben.shutdown().await;
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_mutes_and_settings_survive_reopening_the_app() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    s.api.register("ben").await;
    let app = signed_up(&s, dir.path(), form("ann")).await;
    let conv = app.open_direct("ben").await.unwrap();
    assert_eq!(app.draft(conv).await.unwrap(), None);
    let draft = Draft { content: "half a thought".into(), media_url: None };
    app.save_draft(conv, &draft).await.unwrap();
    assert_eq!(app.draft(conv).await.unwrap(), Some(draft.clone()));
    app.set_muted(conv, true).await.unwrap();
    let settings = app.settings().await.unwrap();
    assert!(settings.notifications && app.notifications_enabled(), "on by default");
    assert_eq!(settings.data_dir, dir.path().display().to_string());
    assert_eq!(app.data_dir(), dir.path());
    assert_eq!(settings.server, s.api.base);
    app.set_notifications(false).unwrap();
    assert!(!app.settings().await.unwrap().notifications);
    app.shutdown().await;
    drop(app);

    // Reopened on the same folder: still signed in, with the draft, the mute and the setting.
    let app = open(&s, dir.path()).await;
    let session = app.session().await.unwrap();
    assert_eq!((session.signed_in, session.username.as_deref()), (true, Some("ann")));
    assert_eq!(app.draft(conv).await.unwrap(), Some(draft));
    assert!(app.conversations().await.unwrap()[0].muted);
    assert!(!app.settings().await.unwrap().notifications);
    assert!(!app.notifications_enabled());
    // Sending clears the draft; an empty draft clears it too.
    app.send(conv, Some("the whole thought"), None, None).await.unwrap();
    assert_eq!(app.draft(conv).await.unwrap(), None);
    let hits = app.search("whole").await.unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    app.save_draft(conv, &Draft { content: "again".into(), media_url: None }).await.unwrap();
    app.save_draft(conv, &Draft::default()).await.unwrap();
    assert_eq!(app.draft(conv).await.unwrap(), None);
    app.set_notifications(true).unwrap();
    app.shutdown().await;
    drop(app);
    let app = open(&s, dir.path()).await;
    assert!(app.settings().await.unwrap().notifications);
    // Another folder has its own settings.
    let other = tempfile::tempdir().unwrap();
    let fresh = open(&s, other.path()).await;
    assert_eq!(fresh.settings().await.unwrap().data_dir, other.path().display().to_string());
    assert!(!fresh.session().await.unwrap().signed_in);
    app.shutdown().await;
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_sent_offline_wait_in_the_outbox_and_go_once() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let ben = s.api.register("ben").await;
    let app = signed_up(&s, dir.path(), form("ann")).await;
    let conv = app.open_direct("ben").await.unwrap();
    online(&app).await;
    let (db, addr) = s.stop().await;
    eventually("offline", || async {
        matches!(app.sync_state(), SyncState::Offline { .. }).then_some(())
    })
    .await;

    let item = app.send(conv, Some("written while the server was down"), None, None).await.unwrap();
    assert_eq!(item.status, MessageStatus::Pending);
    let id = item.message.message_id;
    let status = shown(&app, conv, id).await.unwrap().status;
    assert!(matches!(status, MessageStatus::Pending | MessageStatus::Sending), "{status:?}");
    assert_eq!(app.conversations().await.unwrap()[0].pending_count, 1);
    let entry = eventually("a pending outbox entry", || async {
        app.outbox().await.unwrap().into_iter().find(|e| e.state == OutboxState::Pending)
    })
    .await;
    assert_eq!((entry.kind.as_str(), entry.title.as_str()), ("message", "Message"));
    assert_eq!((entry.message_id, entry.conversation_id), (Some(id), Some(conv)));
    assert_eq!(entry.summary, "written while the server was down");
    assert_eq!(entry.last_error, None);
    assert_eq!(app.outbox().await.unwrap().len(), 1);
    // Only refused entries can be retried or discarded: this one is still on its way.
    assert_eq!(app.retry(entry.id).await.unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(app.discard(entry.id).await.unwrap_err().code(), ErrorCode::NotFound);
    assert!(shown(&app, conv, id).await.is_some(), "not discarded");

    // The server comes back: delivered once, without anyone asking.
    let s = TestServer::start_at(db, &addr).await;
    let sent = eventually("sent after the restart", || async {
        shown(&app, conv, id).await.filter(|m| m.status == MessageStatus::Sent)
    })
    .await;
    assert!(sent.message.seq > 0);
    assert!(app.outbox().await.unwrap().is_empty());
    assert_eq!(app.conversations().await.unwrap()[0].pending_count, 0);
    let after = app.send(conv, Some("and one more"), None, None).await.unwrap();
    let second = after.message.message_id;
    eventually("the second one sent", || async {
        shown(&app, conv, second).await.filter(|m| m.status == MessageStatus::Sent)
    })
    .await;
    let history = server_history(&s, &ben, conv).await;
    let expected = [
        (id.to_string(), "written while the server was down".to_owned()),
        (second.to_string(), "and one more".to_owned()),
    ];
    assert_eq!(history, expected, "each exactly once, in order");
    assert_eq!(app.messages(conv, 50).await.unwrap().len(), 2);
    app.shutdown().await;
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_message_is_shown_failed_until_discarded() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let ben = s.api.register("ben").await;
    let app = signed_up(&s, dir.path(), form("ann")).await;
    let conv = app.open_direct("ben").await.unwrap();
    online(&app).await;
    // A conversation the server does not know (as after being removed from it): refused.
    let void = Uuid::new_v4();
    let refused =
        app.send(void, Some("into the void"), None, None).await.unwrap().message.message_id;
    let fine = app.send(conv, Some("still goes"), None, None).await.unwrap().message.message_id;
    let failed = eventually("a failed entry", || async {
        app.outbox().await.unwrap().into_iter().find(|e| e.state == OutboxState::Failed)
    })
    .await;
    assert_eq!((failed.message_id, failed.conversation_id), (Some(refused), Some(void)));
    assert_eq!((failed.title.as_str(), failed.summary.as_str()), ("Message", "into the void"));
    assert_eq!(failed.attempts, 1);
    let reason = failed.last_error.clone().unwrap();
    assert!(reason.starts_with("not_found"), "{reason}");
    let status = shown(&app, void, refused).await.unwrap().status;
    assert_eq!(status, MessageStatus::Failed { reason: reason.clone() });
    eventually("the other one sent", || async {
        shown(&app, conv, fine).await.filter(|m| m.status == MessageStatus::Sent)
    })
    .await;

    // Retrying sends it again (and it is refused again).
    app.retry(failed.id).await.unwrap();
    eventually("a second refusal", || async {
        app.outbox().await.unwrap().into_iter().find(|e| e.attempts == 2 && e.last_error.is_some())
    })
    .await;

    // Discarding drops the entry and the message that only ever existed here.
    let mut events = app.subscribe();
    app.discard(failed.id).await.unwrap();
    assert!(app.outbox().await.unwrap().is_empty());
    assert!(app.messages(void, 50).await.unwrap().is_empty());
    next_event(&mut events, Topic::Outbox.all()).await;
    let outbox = app.outbox().await.unwrap();
    assert!(outbox.is_empty(), "what the window re-reads on that event: {outbox:?}");
    for gone in [failed.id, 999_999] {
        assert!(matches!(app.retry(gone).await, Err(ClientError::NotFound(_))));
        assert!(matches!(app.discard(gone).await, Err(ClientError::NotFound(_))));
    }
    // The delivered message is untouched, here and on the server.
    assert_eq!(shown(&app, conv, fine).await.unwrap().status, MessageStatus::Sent);
    assert_eq!(server_history(&s, &ben, conv).await.len(), 1);
    app.shutdown().await;
    s.server.stop().await;
}
