//! The `lodestar` command-line client, run as a real child process against a real server that
//! is stopped and restarted underneath it.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod cli_support;

use std::path::Path;
use std::process::Stdio;

use cli_support::{clients, Cli};
use lodestar_tests::{Backend, TestServer};
use serde_json::Value;

async fn a_cli_session_with_one_user_offline(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ann, ben) = clients(&s, dir.path());
    // The CLI blocks; run it off the async runtime that serves the requests.
    let (ann, ben) = tokio::task::spawn_blocking(move || {
        ann.register("ann");
        ben.register("ben");
        let id = ann.run(&["open", "ben"], "").ok();
        assert_eq!(id.trim().len(), 36, "open prints the conversation id: {id}");
        assert!(ann
            .run(&["send", "@ben", "Hi Ben, pair on Rust this week?"], "")
            .ok()
            .starts_with("sent"));
        ben.run(&["sync"], "").ok();
        let list = ben.run(&["--json", "conversations"], "").json();
        assert_eq!(list["conversations"][0]["title"], "ann");
        assert_eq!(list["conversations"][0]["unread_count"], 1);
        (ann, ben)
    })
    .await
    .unwrap();

    // The server goes away; Ben keeps working.
    let (db, addr) = s.stop().await;
    let ben = tokio::task::spawn_blocking(move || {
        ben.run(&["read", "@ann"], "").ok();
        assert!(ben.run(&["send", "@ann", "Yes! Thursday works."], "").ok().starts_with("queued"));
        ben.run(&["draft", "@ann", "and bring the slides"], "").ok();
        let status = ben.run(&["--json", "status"], "").json();
        assert_eq!(status["online"], false);
        assert_eq!(status["outbox_pending"], 2, "the read and the message wait");
        let page = ben.run(&["--json", "messages", "@ann"], "").json();
        assert_eq!(page["messages"][1]["status"], "pending");
        let hits = ben.run(&["--json", "search", "thurs"], "").json();
        assert_eq!(hits["results"].as_array().unwrap().len(), 1, "search sees queued messages");
        // Needs the server: a clear error and exit 1.
        let offline = ben.run(&["directory"], "");
        assert_eq!(offline.code, 1);
        assert!(offline.stderr.contains("cannot be reached"), "{}", offline.stderr);
        ben
    })
    .await
    .unwrap();

    // Back online: delivered once, read receipts reach Ann, the draft is still there.
    let s = TestServer::start_at(db, &addr).await;
    tokio::task::spawn_blocking(move || {
        let synced = ben.run(&["--json", "sync"], "").json();
        assert_eq!(synced["pushed"], 2);
        assert_eq!(ben.run(&["--json", "sync"], "").json()["pushed"], 0, "nothing twice");
        assert_eq!(ben.run(&["draft", "@ann"], "").ok().trim(), "and bring the slides");
        ann.run(&["sync"], "").ok();
        let page = ann.run(&["--json", "messages", "@ben"], "").json();
        let messages = page["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0]["status"], "read", "ben read it while offline");
        assert_eq!(messages[1]["sender"], "ben");
        assert_eq!(messages[1]["message"]["content"], "Yes! Thursday works.");
        // Usage errors exit 2; user errors exit 1 with a message.
        assert_eq!(ann.run(&["frobnicate"], "").code, 2);
        let bad = ann.run(&["messages", "@nobody"], "");
        assert_eq!(bad.code, 1);
        assert!(bad.stderr.starts_with("error: "), "{}", bad.stderr);
    })
    .await
    .unwrap();
    s.server.stop().await;
}

async fn two_offline_clients_open_one_conversation(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ann, ben) = clients(&s, dir.path());
    let (ann, ben) = tokio::task::spawn_blocking(move || {
        ann.register("ann");
        ben.register("ben");
        // They know each other from a group, so each can name the other offline.
        ann.run(&["group", "create", "Circle", "--member", "ben"], "").ok();
        ben.run(&["sync"], "").ok();
        (ann, ben)
    })
    .await
    .unwrap();
    let (db, addr) = s.stop().await;
    let (ann, ben) = tokio::task::spawn_blocking(move || {
        let a = ann.run(&["open", "ben"], "").ok();
        let b = ben.run(&["open", "ann"], "").ok();
        assert_eq!(a, b, "both derive the same conversation offline");
        ann.run(&["send", "@ben", "from ann, offline"], "").ok();
        ben.run(&["send", "@ann", "from ben, offline"], "").ok();
        (ann, ben)
    })
    .await
    .unwrap();
    let s = TestServer::start_at(db, &addr).await;
    let (ann, ben) = tokio::task::spawn_blocking(move || {
        ann.run(&["sync"], "").ok();
        ben.run(&["sync"], "").ok();
        ann.run(&["sync"], "").ok();
        (ann, ben)
    })
    .await
    .unwrap();
    let token = std::fs::read_to_string(ann.data_dir.join("token")).unwrap();
    let list = s.api.get("/v1/conversations", token.trim()).await.expect(200);
    let direct: Vec<&Value> = list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "DIRECT")
        .collect();
    assert_eq!(direct.len(), 1, "one direct conversation: {list}");
    let id = direct[0]["conversation_id"].as_str().unwrap();
    let history =
        s.api.get(&format!("/v1/conversations/{id}/messages"), token.trim()).await.expect(200);
    assert_eq!(history["messages"].as_array().unwrap().len(), 2);
    tokio::task::spawn_blocking(move || {
        for cli in [&ann, &ben] {
            let page = cli
                .run(
                    &[
                        "--json",
                        "messages",
                        if cli.data_dir.ends_with("ann") { "@ben" } else { "@ann" },
                    ],
                    "",
                )
                .json();
            assert_eq!(page["messages"].as_array().unwrap().len(), 2, "both replicas converge");
        }
    })
    .await
    .unwrap();
    s.server.stop().await;
}

/// A running `sync --watch` and the lines it prints.
struct Watch {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Watch {
    fn start(cli: &Cli) -> Watch {
        use std::io::{BufRead, BufReader};
        let mut child = cli
            .command(&["sync", "--watch"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watch { child, lines }
    }

    /// The next line containing `want`.
    fn line(&self, want: &str) -> String {
        loop {
            match self.lines.recv_timeout(std::time::Duration::from_secs(20)) {
                Ok(line) if line.contains(want) => return line,
                Ok(_) => {}
                Err(e) => panic!("no line with {want:?}: {e}"),
            }
        }
    }

    fn stop(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

async fn sync_watch_stays_live_and_announces_new_messages(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ann, ben) = clients(&s, dir.path());
    tokio::task::spawn_blocking(move || {
        ann.register("ann");
        ben.register("ben");
        ann.run(&["open", "ben"], "").ok();
        let watch = Watch::start(&ben);
        watch.line("online");
        ann.run(&["send", "@ben", "are you watching?"], "").ok();
        assert_eq!(watch.line("are you watching?"), "ann: are you watching?");
        watch.stop();
    })
    .await
    .unwrap();
    s.server.stop().await;
}

async fn sync_watch_sends_what_waited_and_counts_the_outbox(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ann, ben) = clients(&s, dir.path());
    let ben = tokio::task::spawn_blocking(move || {
        ann.register("ann");
        ben.register("ben");
        ann.run(&["open", "ben"], "").ok();
        ben.run(&["sync"], "").ok();
        ben
    })
    .await
    .unwrap();
    let (db, addr) = s.stop().await;
    let ben = tokio::task::spawn_blocking(move || {
        assert!(ben.run(&["send", "@ann", "queued while away"], "").ok().starts_with("queued"));
        ben
    })
    .await
    .unwrap();
    let s = TestServer::start_at(db, &addr).await;
    tokio::task::spawn_blocking(move || {
        let watch = Watch::start(&ben);
        assert_eq!(watch.line("outbox:"), "outbox: 0 waiting, 0 failed", "sent, none left");
        watch.stop();
    })
    .await
    .unwrap();
    s.server.stop().await;
}

async fn logout_forgets_the_token_and_on_request_the_replica(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ann, _) = clients(&s, dir.path());
    tokio::task::spawn_blocking(move || {
        ann.register("ann");
        let token_file = ann.data_dir.join("token");
        assert!(token_file.exists());
        ann.run(&["logout"], "").ok();
        assert!(!token_file.exists(), "the token is forgotten");
        let replicas = |dir: &Path| {
            std::fs::read_dir(dir)
                .unwrap()
                .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "db"))
                .count()
        };
        assert_eq!(replicas(&ann.data_dir), 1, "a plain logout keeps the replica");
        let signed_out = ann.run(&["status"], "");
        assert_eq!(signed_out.code, 1);
        assert!(signed_out.stderr.contains("not signed in"), "{}", signed_out.stderr);
        // The server is remembered: login needs only the name and the password.
        let remembered = Cli { data_dir: ann.data_dir.clone(), server: String::new() };
        let wrong = remembered.run(&["login", "ann"], "not the password\n");
        assert_eq!(wrong.code, 1, "a wrong password is a user error");
        assert!(remembered
            .run(&["login", "ANN"], "a long enough password\n")
            .ok()
            .contains("signed in as ann"));
        ann.run(&["logout", "--forget"], "").ok();
        assert_eq!(replicas(&ann.data_dir), 0, "--forget deletes the replica too");
    })
    .await
    .unwrap();
    s.server.stop().await;
}

async fn a_first_message_opens_the_conversation_and_register_checks_before_the_password(
    backend: Backend,
) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ann, ben) = clients(&s, dir.path());
    tokio::task::spawn_blocking(move || {
        // A bad username is named before any password is asked for: nothing on stdin.
        let bad = ann.run(
            &[
                "register",
                "--username",
                "a",
                "--email",
                "ann@example.com",
                "--date-of-birth",
                "1991-02-03",
            ],
            "",
        );
        assert_eq!(bad.code, 1);
        assert!(
            bad.stderr.contains("username") && !bad.stderr.contains("password"),
            "{}",
            bad.stderr
        );
        ann.register("ann");
        ben.register("ben");
        // No conversation yet: `send @ben` opens it, as `open` would.
        let sent = ann.run(&["send", "@ben", "hello, first message"], "").ok();
        assert!(sent.contains("sent"), "{sent}");
        ben.run(&["sync"], "").ok();
        let got = ben.run(&["messages", "@ann"], "").ok();
        assert!(got.contains("hello, first message"), "{got}");
        // A name nobody has is still an error naming what is missing.
        let nobody = ann.run(&["send", "@nobody.here", "hi"], "");
        assert_eq!(nobody.code, 1, "{}", nobody.stdout);
    })
    .await
    .unwrap();
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    a_first_message_opens_the_conversation_and_register_checks_before_the_password,
    logout_forgets_the_token_and_on_request_the_replica,
    sync_watch_stays_live_and_announces_new_messages,
    sync_watch_sends_what_waited_and_counts_the_outbox,
    a_cli_session_with_one_user_offline,
    two_offline_clients_open_one_conversation
);
