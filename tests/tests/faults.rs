//! Faults between the client and the server, made on real sockets with [`FaultProxy`]: a server
//! killed while a push waits for an answer, a pull cut in the middle of a page, a `lodestar`
//! process killed after the server stored its message and before the answer arrived.
//!
//! What is checked is what a user would check afterwards: nothing lost, nothing twice, every
//! message confirmed, and a replica whose sync cursor never claims data it does not hold.
//! Nothing here waits a fixed time: every wait polls for a condition, with a deadline.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod cli_support;

use std::collections::HashSet;
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use cli_support::lodestar_bin;
use futures_util::StreamExt;
use lodestar_client::replica::MessageStatus;
use lodestar_client::sync::{pull, push};
use lodestar_client::{Api as ClientApi, Replica};
use lodestar_tests::proxy::{FaultProxy, Mode};
use lodestar_tests::{Api, Backend, TestServer, User};
use serde_json::Value;
use uuid::Uuid;

/// Polls `probe` until it answers `Some`, failing the test after a generous deadline.
async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A conversation's whole history as `user` sees it on the server, oldest first.
async fn history(api: &Api, user: &User, conversation: Uuid) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let path = match before {
            Some(b) => format!("/v1/conversations/{conversation}/messages?limit=200&before={b}"),
            None => format!("/v1/conversations/{conversation}/messages?limit=200"),
        };
        let page = api.get(&path, &user.token).await.expect(200);
        let mut messages = page["messages"].as_array().unwrap().clone();
        before = messages.first().map(|m| m["seq"].as_i64().unwrap());
        messages.append(&mut out);
        out = messages;
        if !page["has_more"].as_bool().unwrap() || before.is_none() {
            return out;
        }
    }
}

fn ids(messages: &[Value]) -> Vec<Uuid> {
    messages.iter().map(|m| m["message_id"].as_str().unwrap().parse().unwrap()).collect()
}

/// The ids of the message changes among `changes` (duplicates kept, to be caught).
fn message_ids(changes: &[Value]) -> Vec<Uuid> {
    changes
        .iter()
        .filter(|c| c["kind"] == "message")
        .map(|c| c["data"]["message_id"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[track_caller]
fn assert_unique(ids: &[Uuid], what: &str) {
    let set: HashSet<&Uuid> = ids.iter().collect();
    assert_eq!(set.len(), ids.len(), "{what}: some message appears twice");
}

/// An empty replica of `user`'s world, in `dir`.
async fn replica_of(user: &User, dir: &Path, name: &str) -> Replica {
    let replica = Replica::open(&dir.join(format!("{name}.db"))).await.unwrap();
    replica.set_me(user.id).await.unwrap();
    replica
}

/// An engine client of `base` signed in as `user`, with a connection pool of its own.
fn engine(base: &str, user: &User) -> ClientApi {
    ClientApi::new(base).unwrap().with_token(&user.token)
}

// ---------------------------------------------------------------------------------------------
// a. The server dies in the middle of a push.
// ---------------------------------------------------------------------------------------------

async fn a_server_killed_in_the_middle_of_a_push_loses_and_repeats_nothing(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let proxy = FaultProxy::start(s.server.addr).await;
    let dir = tempfile::tempdir().unwrap();
    let replica = replica_of(&ann, dir.path(), "ann").await;
    let api = engine(&proxy.url(), &ann);
    pull(&api, &replica, |_| {}).await.unwrap();

    // Offline (nothing gets through): thirty messages queue, and a push loses none of them.
    proxy.set_mode(Mode::Refuse);
    let mut queued = Vec::new();
    for i in 1..=30 {
        let text = format!("message {i:02}");
        let m =
            replica.queue_message(ann.id, conv, Some(&text), None, None, Utc::now()).await.unwrap();
        queued.push(m.message_id);
    }
    let report = push(&api, &replica).await.unwrap();
    assert_eq!(report.sent, 0);
    assert!(report.stopped.is_some(), "an unreachable server stops the push");
    assert_eq!(replica.outbox().await.unwrap().len(), 30);

    // Back online, but the server dies with an answer on its way: the proxy lets the first
    // answers through, then holds one back, so the push waits on a message the server stored.
    proxy.set_mode(Mode::SwallowAfter { bytes_down: 3_000 });
    let pushing = tokio::spawn({
        let (api, replica) = (api.clone(), replica.clone());
        async move { push(&api, &replica).await }
    });
    eventually("the server answered a request whose client never hears back", || async {
        (proxy.swallowed_bytes() > 0).then_some(())
    })
    .await;
    let stored = history(&s.api, &ben, conv).await;
    assert!(
        (2..30).contains(&stored.len()),
        "the push is held partway, not at its start or end: {} stored",
        stored.len()
    );
    assert_eq!(ids(&stored), queued[..stored.len()], "stored so far, in queue order");
    let (db, addr) = s.stop().await;
    let report = pushing.await.unwrap().unwrap();
    assert!(report.stopped.is_some(), "the push fails when the server goes away: {report:?}");
    assert_eq!(report.sent, stored.len() - 1, "acknowledged: every answer heard, not the held one");
    let outbox = replica.outbox().await.unwrap();
    assert_eq!(outbox.len(), 30 - report.sent, "the unacknowledged message stays queued");
    assert_eq!(outbox[0].message_id(), Some(queued[report.sent]));

    // The server comes back at the same address: the push resumes where it stopped.
    let s = TestServer::start_at(db, &addr).await;
    proxy.set_mode(Mode::Pass);
    let first_report = report;
    let report = push(&api, &replica).await.unwrap();
    assert_eq!(
        (report.sent, report.failed, report.stopped.clone()),
        (30 - first_report.sent, 0, None),
        "the rest, the held message again included"
    );
    pull(&api, &replica, |_| {}).await.unwrap();

    // The server: every message exactly once, in queue order.
    let server = history(&s.api, &ben, conv).await;
    assert_eq!(ids(&server), queued, "every message once, in the order it was queued");
    let texts: Vec<String> = (1..=30).map(|i| format!("message {i:02}")).collect();
    let server_texts: Vec<&str> = server.iter().map(|m| m["content"].as_str().unwrap()).collect();
    assert_eq!(server_texts, texts);
    let (changes, _) = s.api.sync_all(&ann, None, 1_000).await;
    let fed = message_ids(&changes);
    assert_unique(&fed, "the sync feed");
    assert_eq!(fed.len(), 30, "one change per message in the sync feed");

    // The replica: one copy of each, confirmed with the server's seq, and nothing left to send.
    let local = replica.messages(ann.id, conv, None, 100).await.unwrap();
    let local_ids: Vec<Uuid> = local.iter().map(|m| m.message.message_id).collect();
    assert_eq!(local_ids, queued, "one local copy of each, in order");
    for (mine, theirs) in local.iter().zip(&server) {
        assert!(mine.message.seq > 0, "confirmed: {mine:?}");
        assert_eq!(mine.message.seq, theirs["seq"].as_i64().unwrap(), "the server's copy");
        assert_eq!(mine.status, MessageStatus::Sent);
    }
    assert!(replica.outbox().await.unwrap().is_empty(), "nothing left in the outbox");
    assert_eq!(push(&api, &replica).await.unwrap().sent, 0, "nothing is sent twice");
    s.server.stop().await;
}

// ---------------------------------------------------------------------------------------------
// b. A pull cut in the middle of a page.
// ---------------------------------------------------------------------------------------------

/// Checks that `replica`'s cursor covers exactly the messages it holds: every message change
/// up to the cursor is in the replica (the cursor is never ahead of the data), and the replica
/// holds no message beyond it (page and cursor were stored together). Answers how many.
async fn assert_cursor_matches_data(
    s: &TestServer,
    user: &User,
    replica: &Replica,
    conversation: Uuid,
    all: &[Uuid],
) -> usize {
    let (cursor, _) = replica.cursor().await.unwrap();
    let after: HashSet<Uuid> = match &cursor {
        Some(c) => message_ids(&s.api.sync_all(user, Some(c), 1_000).await.0).into_iter().collect(),
        None => all.iter().copied().collect(),
    };
    let covered: HashSet<Uuid> = all.iter().filter(|id| !after.contains(id)).copied().collect();
    let local = replica.messages(user.id, conversation, None, 10_000).await.unwrap();
    let local_ids: Vec<Uuid> = local.iter().map(|m| m.message.message_id).collect();
    assert_unique(&local_ids, "the replica");
    assert!(local.iter().all(|m| m.message.seq > 0), "only the server's messages here");
    let held: HashSet<Uuid> = local_ids.into_iter().collect();
    let missing = covered.difference(&held).count();
    assert_eq!(missing, 0, "cursor {cursor:?} is ahead of the data: {missing} messages missing");
    let beyond = held.difference(&covered).count();
    assert_eq!(beyond, 0, "cursor {cursor:?} is behind data applied with it: {beyond} beyond");
    covered.len()
}

async fn a_pull_cut_in_the_middle_of_a_page_never_leaves_the_cursor_ahead(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    // Enough for three pages of the engine's 1,000 changes.
    futures_util::stream::iter(0..2_500)
        .map(|i| {
            let (api, ben) = (s.api.clone(), ben.clone());
            async move { api.send(&ben, conv, &format!("note {i:04}")).await }
        })
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await;
    let (changes, _) = s.api.sync_all(&ann, None, 1_000).await;
    let all = message_ids(&changes);
    assert_eq!(all.len(), 2_500);
    assert_unique(&all, "the sync feed");

    // Where each page ends in the byte stream: the pages fetched one by one through the proxy
    // (a pull fetches the next page while it applies one, so its callbacks cannot tell).
    let proxy = FaultProxy::start(s.server.addr).await;
    let dir = tempfile::tempdir().unwrap();
    let start = proxy.bytes_down();
    let mut ends = Vec::new();
    let fetcher = engine(&proxy.url(), &ann);
    let mut since: Option<String> = None;
    loop {
        let page = fetcher.sync(since.as_deref(), 1_000).await.unwrap();
        ends.push(proxy.bytes_down() - start);
        since = Some(page.cursor);
        if !page.has_more {
            break;
        }
    }
    assert_eq!(ends.len(), 3, "three pages: {ends:?}");
    let page: Vec<usize> = [ends[0], ends[1] - ends[0], ends[2] - ends[1]]
        .iter()
        .map(|b| usize::try_from(*b).unwrap())
        .collect();

    let replica = replica_of(&ann, dir.path(), "ann").await;
    // Each attempt resumes from the stored cursor on a fresh connection, and is cut halfway
    // through the page after the pages it gets whole.
    let attempts = [
        ("in the first page", page[0] / 2),
        ("in the second page", page[0] + page[1] / 2),
        ("in the third page", page[1] + page[2] / 2),
    ];
    let mut covered_before = 0;
    for (n, (where_, budget)) in attempts.into_iter().enumerate() {
        proxy.set_mode(Mode::CutAfter { bytes_down: budget });
        let result = pull(&engine(&proxy.url(), &ann), &replica, |_| {}).await;
        assert!(result.is_err(), "a pull cut {where_} fails: {result:?}");
        let covered = assert_cursor_matches_data(&s, &ann, &replica, conv, &all).await;
        assert!(covered >= covered_before, "the cursor never goes back");
        if n == 0 {
            assert_eq!(replica.cursor().await.unwrap().0, None, "no page was whole");
        } else {
            assert!(covered > covered_before, "the whole page before the cut was kept");
        }
        covered_before = covered;
    }

    // The network heals: the replica ends equal to the server.
    proxy.set_mode(Mode::Pass);
    pull(&engine(&proxy.url(), &ann), &replica, |_| {}).await.unwrap();
    assert_eq!(assert_cursor_matches_data(&s, &ann, &replica, conv, &all).await, 2_500);
    let local = replica.messages(ann.id, conv, None, 10_000).await.unwrap();
    let local_ids: Vec<Uuid> = local.iter().map(|m| m.message.message_id).collect();
    let server = history(&s.api, &ann, conv).await;
    assert_eq!(local_ids, ids(&server), "the same messages, once each, in the same order");
    for (mine, theirs) in local.iter().zip(&server) {
        assert_eq!(mine.message.seq, theirs["seq"].as_i64().unwrap());
        assert_eq!(mine.message.content.as_deref(), theirs["content"].as_str());
    }
    s.server.stop().await;
}

// ---------------------------------------------------------------------------------------------
// c. The `lodestar` process is killed after the server stored its message, before the answer.
// ---------------------------------------------------------------------------------------------

/// One `lodestar` data folder, signed in on `server` (the proxy).
struct Cli {
    data_dir: PathBuf,
    server: String,
}

impl Cli {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(lodestar_bin());
        cmd.arg("--data-dir")
            .arg(&self.data_dir)
            .arg("--server")
            .arg(&self.server)
            .args(args)
            .env("LODESTAR_TOKEN_STORE", "file")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Runs to the end; answers stdout, failing the test on a non-zero exit.
    #[track_caller]
    fn ok(&self, args: &[&str], stdin: &str) -> String {
        let mut child = self.command(args).spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let (stdout, stderr) =
            (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "lodestar {args:?}: {}\n{stdout}\n{stderr}", out.status);
        stdout.into_owned()
    }

    #[track_caller]
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all, "")).expect("one JSON document")
    }

    /// Starts a command without waiting for it.
    fn start(&self, args: &[&str]) -> Child {
        let mut child = self.command(args).spawn().unwrap();
        drop(child.stdin.take());
        child
    }
}

async fn a_cli_killed_before_the_ack_delivers_its_message_once(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ben = s.api.register("ben").await;
    let proxy = FaultProxy::start(s.server.addr).await;
    let dir = tempfile::tempdir().unwrap();
    // Signed in through the proxy: the CLI remembers that address for every later command.
    let ann = Cli { data_dir: dir.path().join("ann"), server: proxy.url() };
    let (ann, conv) = tokio::task::spawn_blocking(move || {
        let out = ann.ok(
            &[
                "register",
                "--username",
                "ann",
                "--email",
                "ann@example.com",
                "--date-of-birth",
                "1991-02-03",
            ],
            "a long enough password\n",
        );
        assert!(out.contains("registered as ann"), "{out}");
        let conv: Uuid = ann.ok(&["open", "ben"], "").trim().parse().unwrap();
        (ann, conv)
    })
    .await
    .unwrap();

    // The server stores the message; its answer never reaches the CLI, which waits for it.
    proxy.set_mode(Mode::SwallowResponses);
    let text = "said once, whatever happens";
    let mut sending = ann.start(&["send", "@ben", text]);
    let stored = eventually("the server stores the message", || async {
        let h = history(&s.api, &ben, conv).await;
        (!h.is_empty()).then_some(h)
    })
    .await;
    eventually("the server's answer reaches the proxy", || async {
        (proxy.swallowed_bytes() > 0).then_some(())
    })
    .await;
    if let Some(status) = sending.try_wait().unwrap() {
        let out = sending.wait_with_output().unwrap();
        panic!(
            "the CLI ended ({status}) without its answer: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    sending.kill().unwrap();
    let status = sending.wait().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "killed by SIGKILL: {status}");
    }
    #[cfg(not(unix))]
    assert!(!status.success());
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["content"], text);
    let message_id = stored[0]["message_id"].as_str().unwrap().to_owned();
    let seq = stored[0]["seq"].as_i64().unwrap();

    // The network heals; the next sync settles it.
    proxy.set_mode(Mode::Pass);
    let ann = tokio::task::spawn_blocking(move || {
        let before = ann.json(&["status"]);
        assert_eq!(before["outbox_pending"], 1, "the kill came before the ack: {before}");
        let page = ann.json(&["messages", "@ben"]);
        assert_eq!(page["messages"].as_array().unwrap().len(), 1, "{page}");
        assert_eq!(page["messages"][0]["message"]["message_id"], message_id.as_str());
        assert_eq!(page["messages"][0]["status"], "pending", "{page}");

        let synced = ann.json(&["sync"]);
        assert_eq!(synced["failed"], 0, "{synced}");

        let page = ann.json(&["messages", "@ben"]);
        let messages = page["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 1, "one copy in the replica: {page}");
        assert_eq!(messages[0]["message"]["message_id"], message_id.as_str());
        assert_eq!(messages[0]["message"]["seq"], seq, "confirmed with the server's seq");
        assert_eq!(messages[0]["message"]["content"], text);
        assert_eq!(messages[0]["status"], "sent", "{page}");
        let after = ann.json(&["status"]);
        assert_eq!(after["outbox_pending"], 0, "{after}");
        assert_eq!(after["outbox_failed"], 0, "{after}");
        assert_eq!(ann.json(&["sync"])["pushed"], 0, "nothing sent twice");
        ann
    })
    .await
    .unwrap();

    let server = history(&s.api, &ben, conv).await;
    assert_eq!(server.len(), 1, "the server has it exactly once: {server:?}");
    assert_eq!(server[0]["message_id"], stored[0]["message_id"]);
    let token = std::fs::read_to_string(ann.data_dir.join("token")).unwrap();
    let me: Value = s.api.get("/v1/me", token.trim()).await.expect(200);
    let ann_user = User {
        id: me["user_id"].as_str().unwrap().parse().unwrap(),
        username: "ann".into(),
        token: token.trim().to_owned(),
    };
    let (changes, _) = s.api.sync_all(&ann_user, None, 1_000).await;
    assert_eq!(message_ids(&changes).len(), 1, "one message change in the sync feed");
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    a_server_killed_in_the_middle_of_a_push_loses_and_repeats_nothing,
    a_pull_cut_in_the_middle_of_a_page_never_leaves_the_cursor_ahead,
    a_cli_killed_before_the_ack_delivers_its_message_once,
);
