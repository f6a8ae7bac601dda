//! PROGRAM.md's safety commands in the `lodestar` CLI, as a real child process against a real
//! server that goes away underneath it: a block hides the conversation until lifted; a report
//! written offline is checked at once, queued, and filed when the server is back; the export is
//! one JSON document; deleting the account needs the password and leaves the other person's
//! replica showing the messages as from "a deleted account".

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod cli_support;

use cli_support::clients;
use lodestar_protocol::ReportStatus;
use lodestar_tests::json_lists::texts;
use lodestar_tests::{Backend, TestServer};

fn titles(conversations: &serde_json::Value) -> Vec<String> {
    texts(&conversations["conversations"], "title")
}

async fn safety_from_the_command_line(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ann, ben) = clients(&s, dir.path());
    let (ann, ben) = tokio::task::spawn_blocking(move || {
        ann.register("ann");
        ben.register("ben");
        ben.run(&["open", "ann"], "").ok();
        ben.run(&["send", "@ann", "hello ann"], "").ok();
        ann.run(&["sync"], "").ok();
        assert!(
            titles(&ann.run(&["--json", "conversations"], "").json()).contains(&"ben".to_owned())
        );

        let blocked = ann.run(&["block", "ben"], "").ok();
        assert!(blocked.starts_with("blocked ben"), "{blocked}");
        assert!(
            !titles(&ann.run(&["--json", "conversations"], "").json()).contains(&"ben".to_owned()),
            "hidden"
        );
        assert_eq!(ann.run(&["blocks"], "").ok().trim(), "ben");
        let refused = ann.run(&["block", "ann"], "");
        assert_eq!(refused.code, 1, "blocking oneself");
        ann.run(&["unblock", "@ben"], "").ok();
        assert!(
            titles(&ann.run(&["--json", "conversations"], "").json()).contains(&"ben".to_owned()),
            "shown again"
        );
        assert_eq!(ann.run(&["blocks"], "").ok().trim(), "you have blocked nobody");
        (ann, ben)
    })
    .await
    .unwrap();

    // Offline: a bad report is said back at once; a good one waits in the outbox.
    let (db, addr) = s.stop().await;
    let ann = tokio::task::spawn_blocking(move || {
        let bad = ann.run(&["report", "ben", "--reason", "rude"], "");
        assert_eq!(bad.code, 1);
        assert!(bad.stderr.contains("reason"), "{}", bad.stderr);
        let queued = ann
            .run(&["report", "ben", "--reason", "spam", "--details", "ads for a course"], "")
            .ok();
        assert!(queued.starts_with("reported ben") && queued.contains("queued"), "{queued}");
        ann
    })
    .await
    .unwrap();

    let s = TestServer::start_at(db, &addr).await;
    let (ann, ben) = tokio::task::spawn_blocking(move || {
        let synced = ann.run(&["--json", "sync"], "").json();
        assert_eq!(synced["pushed"].as_u64(), Some(1), "{synced}");
        let export: serde_json::Value =
            serde_json::from_str(&ann.run(&["export"], "").ok()).unwrap();
        assert_eq!(export["me"]["username"], "ann");
        assert_eq!(export["reports"][0]["details"], "ads for a course");
        assert!(export["messages"].to_string().contains("hello ann"));

        let wrong = ben.run(&["delete-account"], "not my password\n");
        assert_eq!(wrong.code, 1, "{}", wrong.stdout);
        let gone = ben.run(&["delete-account"], "a long enough password\n").ok();
        assert!(gone.starts_with("your account was deleted"), "{gone}");
        let after = ben.run(&["sync"], "");
        assert_eq!(after.code, 1, "signed out here too");
        ann.run(&["sync"], "").ok();
        let list = ann.run(&["--json", "conversations"], "").json();
        let conv = list["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["title"] == "a deleted account")
            .unwrap_or_else(|| panic!("{list}"))["conversation_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let messages = ann.run(&["messages", &conv], "").ok();
        assert!(
            messages.contains("a deleted account") && messages.contains("hello ann"),
            "{messages}"
        );
        (ann, ben)
    })
    .await
    .unwrap();
    drop((ann, ben));
    let (reports, _) =
        s.store().reports(ReportStatus::Open, chrono::Utc::now().date_naive()).await.unwrap();
    assert_eq!(reports.len(), 1, "filed once");
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(safety_from_the_command_line);
