//! PROGRAM.md's session commands in the `lodestar` CLI, as a real child process against a real
//! server that goes away underneath it: proposing in one's own zone, the rules said back with
//! exit 1, confirming with the server down (queued, delivered once), the calendar file made
//! offline from the replica and parsed back, `mentorships` showing the next session, and a
//! cancel with its reason reaching the other side.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod cli_support;

use cli_support::{clients, Cli};
use icalendar::{Calendar, CalendarComponent, Component, EventLike};
use lodestar_tests::{Backend, TestServer};

/// The one event of a calendar file, parsed by the `icalendar` crate's parser.
fn event(ics: &str) -> icalendar::Event {
    let cal: Calendar = ics.parse().expect("a calendar file");
    cal.components
        .into_iter()
        .find_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .expect("one VEVENT")
}

fn paired(ada: &Cli, bob: &Cli) {
    ada.register("ada");
    bob.register("bob");
    ada.run(&["profile", "--set", "mentor_status=yes", "--set", "mentee_capacity=2"], "").ok();
    bob.run(&["profile", "--set", "mentee_status=yes"], "").ok();
    bob.run(&["request", "@ada", "Could you mentor me?"], "").ok();
    ada.run(&["sync"], "").ok();
    let list = ada.run(&["--json", "requests", "--incoming"], "").json();
    let id = list["requests"][0]["request_id"].as_str().unwrap().to_owned();
    ada.run(&["accept", &id], "").ok();
    bob.run(&["sync"], "").ok();
}

async fn sessions_from_the_command_line(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ada, bob) = clients(&s, dir.path());
    let (ada, bob, id) = tokio::task::spawn_blocking(move || {
        paired(&ada, &bob);
        // Bad input is said back, naming the field, and nothing is queued.
        for (args, field) in [
            (vec!["session", "propose", "@ada", "--at", "tomorrow at five"], "starts_at"),
            (
                vec!["session", "propose", "@ada", "--at", "2020-01-05 17:00", "--tz", "UTC"],
                "starts_at",
            ),
            (
                vec!["session", "propose", "@ada", "--at", "2027-01-05 17:00", "--tz", "Mars/Base"],
                "time_zone",
            ),
            (
                vec!["session", "propose", "@ada", "--at", "2027-01-05 17:00", "--minutes", "5"],
                "duration_minutes",
            ),
        ] {
            let bad = bob.run(&args, "");
            assert_eq!(bad.code, 1, "{args:?}: {}", bad.stdout);
            assert!(bad.stderr.contains(field), "{args:?}: {}", bad.stderr);
        }
        assert_eq!(bob.run(&["--json", "status"], "").json()["outbox_pending"], 0);
        let proposed = bob
            .run(
                &[
                    "--json",
                    "session",
                    "propose",
                    "@ada",
                    "--at",
                    "2027-01-05 17:00",
                    "--tz",
                    "America/Chicago",
                    "--minutes",
                    "45",
                    "--where",
                    "https://meet.example/ab",
                    "--agenda",
                    "Code review",
                ],
                "",
            )
            .json();
        let session = &proposed["session"];
        assert_eq!(proposed["delivered"], true, "{proposed}");
        assert_eq!(session["starts_at"], "2027-01-05T23:00:00Z", "17:00 in Chicago is 23:00 UTC");
        assert_eq!(
            (session["status"].as_str(), session["duration_minutes"].as_i64()),
            (Some("proposed"), Some(45))
        );
        let id = session["session_id"].as_str().unwrap().replace('-', "");
        let own = bob.run(&["session", "confirm", &id[..8]], "");
        assert_eq!(own.code, 1);
        assert!(own.stderr.contains("other person confirms"), "{}", own.stderr);
        ada.run(&["sync"], "").ok();
        (ada, bob, id)
    })
    .await
    .unwrap();

    // The server goes away: the mentor confirms; the calendar file comes from the replica.
    let (db, addr) = s.stop().await;
    let ada = tokio::task::spawn_blocking({
        let id = id.clone();
        move || {
            let confirmed = ada.run(&["session", "confirm", &id[..10]], "").ok();
            assert!(
                confirmed.starts_with("session confirmed") && confirmed.contains("queued"),
                "{confirmed}"
            );
            let ics = ada.run(&["session", "ics", &id[..8]], "").ok();
            let e = event(&ics);
            assert_eq!(e.get_status(), Some(icalendar::EventStatus::Confirmed));
            assert_eq!(e.get_sequence(), Some(1));
            assert_eq!(e.get_location(), Some("https://meet.example/ab"));
            assert!(ics.contains("DTSTART:20270105T230000Z"), "{ics}");
            let early = ada.run(&["feedback", &id[..8], "--rating", "5", "--fit", "good"], "");
            assert_eq!(early.code, 1, "feedback before the session is held");
            assert!(early.stderr.contains("session_id"), "{}", early.stderr);
            ada
        }
    })
    .await
    .unwrap();

    // Back online: delivered once; the mentee sees it confirmed, then cancels it with a reason.
    let s = TestServer::start_at(db, &addr).await;
    tokio::task::spawn_blocking(move || {
        let synced = ada.run(&["--json", "sync"], "").json();
        assert_eq!(
            (synced["pushed"].as_u64(), synced["failed"].as_u64()),
            (Some(1), Some(0)),
            "{synced}"
        );
        bob.run(&["sync"], "").ok();
        let list = bob.run(&["sessions", "@ada"], "").ok();
        assert!(
            list.contains("confirmed") && list.contains("45 min  at https://meet.example/ab"),
            "{list}"
        );
        let overview = bob.run(&["mentorships"], "").ok();
        assert!(
            overview.contains("next session 2027-01-05") && overview.contains("(confirmed)"),
            "{overview}"
        );
        let server_ics = bob.run(&["session", "ics", &id], "").ok();
        assert_eq!(
            event(&server_ics).get_sequence(),
            Some(1),
            "the replica has the server's sequence"
        );
        let cancelled = bob.run(&["session", "cancel", &id[..8], "--reason", "exam week"], "").ok();
        assert!(cancelled.starts_with("session cancelled"), "{cancelled}");
        ada.run(&["sync"], "").ok();
        let list = ada.run(&["sessions", "@bob"], "").ok();
        assert!(list.contains("cancelled") && list.contains("(reason: exam week)"), "{list}");
        let again = ada.run(&["session", "confirm", &id[..8]], "");
        assert_eq!(again.code, 1);
        assert!(again.stderr.contains("cancelled"), "{}", again.stderr);
        assert!(!ada.run(&["mentorships"], "").ok().contains("next session"));
    })
    .await
    .unwrap();
    s.server.stop().await;
}

/// Both people write in a session's notes with the server stopped; when it returns, both see
/// the same text holding every line either wrote.
async fn notes_written_offline_on_both_sides_merge(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ada, bob) = clients(&s, dir.path());
    let (ada, bob, id) = tokio::task::spawn_blocking(move || {
        paired(&ada, &bob);
        let args =
            ["--json", "session", "propose", "@ada", "--at", "2027-02-01 10:00", "--tz", "UTC"];
        let proposed = bob.run(&args, "").json();
        let id = proposed["session"]["session_id"].as_str().unwrap().to_owned();
        ada.run(&["sync"], "").ok();
        assert_eq!(ada.run(&["session", "notes", &id], "").ok().trim(), "no notes yet");
        let saved = ada.run(&["session", "notes", &id, "--append", "Agenda: SQL"], "").ok();
        assert!(saved.starts_with("notes saved") && !saved.contains("queued"), "{saved}");
        bob.run(&["sync"], "").ok();
        assert_eq!(bob.run(&["session", "notes", &id], "").ok(), "Agenda: SQL\n");
        (ada, bob, id)
    })
    .await
    .unwrap();

    let (db, addr) = s.stop().await;
    let (ada, bob, id) = tokio::task::spawn_blocking(move || {
        for (who, line) in
            [(&ada, "ada: joins first"), (&bob, "bob: then indexes"), (&ada, "ada: homework ✓")]
        {
            let saved = who.run(&["session", "notes", &id[..8], "--append", line], "").ok();
            assert!(saved.contains("queued"), "{saved}");
        }
        assert_eq!(
            ada.run(&["session", "notes", &id], "").ok(),
            "Agenda: SQL\nada: joins first\nada: homework ✓\n"
        );
        let status = ada.run(&["--json", "status"], "").json();
        assert_eq!(status["outbox_pending"], 1, "two offline edits fold into one: {status}");
        (ada, bob, id)
    })
    .await
    .unwrap();

    let s = TestServer::start_at(db, &addr).await;
    tokio::task::spawn_blocking(move || {
        for who in [&ada, &bob, &ada] {
            who.run(&["sync"], "").ok();
        }
        let theirs = bob.run(&["session", "notes", &id], "").ok();
        let mine = ada.run(&["session", "notes", &id], "").ok();
        assert_eq!(theirs, mine, "both see the same text");
        for line in ["Agenda: SQL", "ada: joins first", "bob: then indexes", "ada: homework ✓"] {
            assert!(mine.contains(line), "{line} kept in {mine}");
        }
    })
    .await
    .unwrap();
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    sessions_from_the_command_line,
    notes_written_offline_on_both_sides_merge
);
