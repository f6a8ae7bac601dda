//! Replies, edits, deletes and reactions from the `lodestar` CLI, as real child processes
//! against a real server that goes away underneath them (issue 16, item 6): a message is named
//! by the start of its id as `messages` prints it; each action is seen by the other person; and
//! a send, its edit and a reaction made offline reach the server once it is back (the edit
//! folded into the send that had not left), the other person receiving the message once, with
//! its final text and the reaction.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod cli_support;

use cli_support::{clients, Cli};
use lodestar_tests::{Backend, TestServer};
use serde_json::Value;

/// The messages of `conversation` as `who` sees them (JSON).
fn page(who: &Cli, conversation: &str) -> Vec<Value> {
    who.run(&["--json", "messages", conversation], "").json()["messages"]
        .as_array()
        .unwrap()
        .clone()
}

/// The short id (its last 8 digits) of the message whose text contains `text`, as the human output shows it.
fn short_id(who: &Cli, conversation: &str, text: &str) -> String {
    let listing = who.run(&["messages", conversation], "").ok();
    let line =
        listing.lines().find(|l| l.contains(text)).unwrap_or_else(|| panic!("{text} in {listing}"));
    line.split_whitespace().next().unwrap().to_owned()
}

async fn reply_edit_react_and_delete_from_the_command_line(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ann, ben) = clients(&s, dir.path());
    let (ann, ben) = tokio::task::spawn_blocking(move || {
        ann.register("ann");
        ben.register("ben");
        ann.run(&["send", "@ben", "lunch on tuesdya?"], "").ok();
        ben.run(&["sync"], "").ok();
        let asked = short_id(&ben, "@ann", "lunch on");
        assert_eq!(asked.len(), 8, "{asked}");

        let replied = ben.run(&["reply", "@ann", &asked, "yes, at noon"], "").ok();
        assert!(replied.starts_with("sent"), "{replied}");
        let unknown = ben.run(&["reply", "@ann", "ffff0000", "?"], "");
        assert_eq!(unknown.code, 1);
        assert!(unknown.stderr.contains("no such message"), "{}", unknown.stderr);

        let fixed =
            ann.run(&["edit", &short_id(&ann, "@ben", "lunch on"), "lunch on tuesday?"], "").ok();
        assert!(fixed.starts_with("edited"), "{fixed}");
        let empty = ann.run(&["edit", &asked, "   "], "");
        assert_eq!(empty.code, 1, "an empty edit");
        ann.run(&["sync"], "").ok();
        let theirs = ann.run(&["edit", &short_id(&ann, "@ben", "yes, at noon"), "no"], "");
        assert_eq!(theirs.code, 1, "editing the other person's message");
        assert!(theirs.stderr.contains("only the person who sent"), "{}", theirs.stderr);

        let reacted = ann.run(&["react", &short_id(&ann, "@ben", "yes, at noon"), "👍"], "").ok();
        assert!(reacted.starts_with("reacted"), "{reacted}");
        let bad = ann.run(&["react", &asked, "thumbs"], "");
        assert_eq!(bad.code, 1);
        assert!(bad.stderr.contains("emoji"), "{}", bad.stderr);

        ben.run(&["sync"], "").ok();
        let seen = page(&ben, "@ann");
        assert_eq!(seen[0]["message"]["content"], "lunch on tuesday?");
        assert!(seen[0]["message"]["edited_at"].is_string());
        assert_eq!(seen[1]["reply"]["text"], "lunch on tuesday?", "the quote follows the edit");
        assert_eq!(seen[1]["reactions"][0]["emoji"], "👍");
        assert_eq!(seen[1]["reactions"][0]["names"][0], "ann");
        let human = ben.run(&["messages", "@ann"], "").ok();
        assert!(
            human.contains("(edited)")
                && human.contains("↪ ann: lunch on tuesday?")
                && human.contains("[👍 1]"),
            "{human}"
        );

        let deleted = ben.run(&["delete", &short_id(&ben, "@ann", "yes, at noon")], "").ok();
        assert!(deleted.starts_with("deleted"), "{deleted}");
        ann.run(&["sync"], "").ok();
        let after = ann.run(&["messages", "@ben"], "").ok();
        assert!(
            after.contains("(this message was deleted)") && !after.contains("yes, at noon"),
            "{after}"
        );
        let found = ann.run(&["--json", "search", "noon"], "").json();
        assert_eq!(
            found["results"].as_array().unwrap().len(),
            0,
            "search forgets a deleted text: {found}"
        );
        (ann, ben)
    })
    .await
    .unwrap();

    // Offline: a send, its edit and a reaction wait in order; the server takes them in order.
    let (db, addr) = s.stop().await;
    let ann = tokio::task::spawn_blocking(move || {
        let queued = ann.run(&["send", "@ben", "see you at 1"], "").ok();
        assert!(queued.contains("queued"), "{queued}");
        let id = short_id(&ann, "@ben", "see you at 1");
        assert!(ann.run(&["edit", &id, "see you at 2"], "").ok().starts_with("edited"));
        assert!(ann.run(&["react", &id, "🎉"], "").ok().contains("queued"));
        let mine = page(&ann, "@ben");
        assert_eq!(mine.last().unwrap()["message"]["content"], "see you at 2", "shown at once");
        ann
    })
    .await
    .unwrap();
    let s = TestServer::start_at(db, &addr).await;
    tokio::task::spawn_blocking(move || {
        let synced = ann.run(&["--json", "sync"], "").json();
        // The edit of a message that had not left yet became its text: two entries, not three.
        assert_eq!(
            (synced["pushed"].as_u64(), synced["failed"].as_u64()),
            (Some(2), Some(0)),
            "{synced}"
        );
        ben.run(&["sync"], "").ok();
        let seen = page(&ben, "@ann");
        let latest: Vec<&Value> = seen
            .iter()
            .filter(|m| {
                m["message"]["content"].as_str().is_some_and(|c| c.starts_with("see you at"))
            })
            .collect();
        assert_eq!(latest.len(), 1, "delivered once");
        assert_eq!(latest[0]["message"]["content"], "see you at 2");
        assert_eq!(latest[0]["reactions"][0]["emoji"], "🎉");
    })
    .await
    .unwrap();
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(reply_edit_react_and_delete_from_the_command_line);
