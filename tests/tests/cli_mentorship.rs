//! PROGRAM.md's mentorship commands in the `lodestar` CLI, as a real child process against a
//! real server that goes away underneath it: asking, the Requests inbox, accepting with the
//! server down (queued, then delivered once), goals and tasks by id prefix or `@username`, and
//! a refusal exiting 1 with the server's reason.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod cli_support;

use cli_support::clients;
use lodestar_tests::{Backend, TestServer};

async fn the_mentorship_loop_from_the_command_line(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ada, bob) = clients(&s, dir.path());
    let (ada, bob) = tokio::task::spawn_blocking(move || {
        ada.register("ada");
        bob.register("bob");
        let set = ["profile", "--set", "mentor_status=yes", "--set", "mentee_capacity=1"];
        ada.run(&set, "").ok();
        bob.run(&["profile", "--set", "mentee_status=yes"], "").ok();
        let asked = bob.run(&["--json", "request", "@ada", "Could you mentor me on Rust?"], "");
        let asked = asked.json();
        assert_eq!(
            (asked["delivered"].as_bool(), asked["request"]["status"].as_str()),
            (Some(true), Some("pending")),
            "{asked}"
        );
        let again = bob.run(&["request", "ada", "twice"], "");
        assert_eq!(again.code, 1);
        assert!(again.stderr.contains("already have a pending request"), "{}", again.stderr);
        ada.run(&["sync"], "").ok();
        let inbox = ada.run(&["requests", "--incoming"], "").ok();
        assert!(inbox.contains("pending   from bob  Could you mentor me on Rust?"), "{inbox}");
        (ada, bob)
    })
    .await
    .unwrap();

    // The server goes away: the mentor accepts by a prefix of the id and plans the first weeks.
    let (db, addr) = s.stop().await;
    let (ada, id) = tokio::task::spawn_blocking(move || {
        let list = ada.run(&["--json", "requests", "--status", "pending"], "").json();
        let id = list["requests"][0]["request_id"].as_str().unwrap().replace('-', "");
        let accepted = ada.run(&["accept", &id[..8]], "").ok();
        assert!(accepted.starts_with("accepted") && accepted.contains("queued"), "{accepted}");
        let goal =
            ada.run(&["--json", "goal", "add", "@bob", "Ship a crate", "--due", "2027-03-01"], "");
        assert_eq!(goal.json()["delivered"], false);
        let task = ada.run(
            &[
                "--json",
                "task",
                "add",
                "@bob",
                "Read chapter 4",
                "--for",
                "bob",
                "--due",
                "2020-01-01",
            ],
            "",
        );
        let task = task.json();
        let task_id = task["task"]["task_id"].as_str().unwrap().to_owned();
        let list = ada.run(&["mentorships"], "").ok();
        assert!(list.contains("your mentee bob  1 open tasks, 1 overdue"), "{list}");
        let bad = ada.run(&["goal", "add", "@bob", "x", "--due", "someday"], "");
        assert_eq!(bad.code, 1);
        assert!(bad.stderr.contains("due_date"), "{}", bad.stderr);
        let status = ada.run(&["--json", "status"], "").json();
        assert_eq!(status["outbox_pending"], 4, "accept, its conversation, goal, task: {status}");
        (ada, task_id)
    })
    .await
    .unwrap();

    // Back online: delivered once; the mentee sees the mentorship and ticks the task.
    let s = TestServer::start_at(db, &addr).await;
    tokio::task::spawn_blocking(move || {
        let synced = ada.run(&["--json", "sync"], "").json();
        assert_eq!(
            (synced["pushed"].as_u64(), synced["failed"].as_u64()),
            (Some(4), Some(0)),
            "{synced}"
        );
        assert_eq!(ada.run(&["--json", "sync"], "").json()["pushed"], 0, "nothing twice");
        bob.run(&["sync"], "").ok();
        let mine = bob.run(&["--json", "requests", "--outgoing"], "").json();
        assert_eq!(mine["requests"][0]["status"], "accepted");
        let plan = bob.run(&["goals", "@ada"], "").ok();
        assert!(plan.contains("[open] Ship a crate  due 2027-03-01"), "{plan}");
        assert!(plan.contains("[!] Read chapter 4  due 2020-01-01"), "overdue marked: {plan}");
        let done = bob.run(&["task", "done", &id[..8]], "").ok();
        assert!(done.starts_with("action item done"), "{done}");
        ada.run(&["sync"], "").ok();
        let plan = ada.run(&["--json", "goals", "@bob"], "").json();
        assert!(plan["tasks"][0]["done_at"].is_string(), "ticked by the other side: {plan}");
        // The mentor ends it (the mentee ending it too, later, is the same end), then stops
        // taking requests: the mentee's new request is refused by the server, the CLI says why
        // and exits 1, and the refusal is kept in the outbox.
        let ended = ada.run(&["end", "@bob", "--reason", "graduated"], "").ok();
        assert!(ended.starts_with("ended"), "{ended}");
        ada.run(&["profile", "--set", "accepting_requests=no"], "").ok();
        let late = bob.run(&["--json", "end", "@ada"], "").json();
        assert_eq!(late["mentorship"]["end_reason"], "graduated", "{late}");
        let refused = bob.run(&["request", "@ada", "One more round?"], "");
        assert_eq!(refused.code, 1, "{}", refused.stdout);
        let said = &refused.stderr;
        assert!(
            said.contains("not accepting requests") && said.contains("kept in the outbox"),
            "{said}"
        );
        let status = bob.run(&["--json", "status"], "").json();
        assert_eq!(status["outbox_failed"], 1, "{status}");
    })
    .await
    .unwrap();
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(the_mentorship_loop_from_the_command_line);
