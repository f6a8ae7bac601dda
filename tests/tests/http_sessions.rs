//! Sessions over real HTTP, on both backends: proposing with every rule's status and field,
//! confirming by the other person only, moving (proposed again), cancelling, the calendar file
//! read back by a parser with its UTC start, length, status and rising SEQUENCE, feedback only
//! after the end, and the authorization matrix (a stranger 404, the proposer confirming 403).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::{DateTime, TimeDelta, Utc};
use icalendar::{Calendar, CalendarComponent, Component, EventLike};
use lodestar_tests::{Answer, Api, Backend, TestServer, User};
use serde_json::{json, Value};
use uuid::Uuid;

#[track_caller]
fn refused(answer: Answer, status: u16, code: &str) -> Value {
    assert_eq!((answer.status.as_u16(), answer.code()), (status, code), "{}", answer.body);
    answer.body
}

/// ada mentors bo (accepted over HTTP); eve is a stranger. Answers the mentorship id.
async fn pair(api: &Api) -> (User, User, User, String) {
    let ada = api.register_with("ada", json!({"mentor_status": true})).await;
    let bo = api.register_with("bob", json!({"mentee_status": true})).await;
    let eve = api.register("eve").await;
    let rid = Uuid::new_v4();
    let ask = json!({"request_id": rid, "mentor_id": ada.id, "message": "Mentor me?"});
    api.post("/v1/mentorship-requests", &bo.token, ask).await.expect(201);
    let accepted = api
        .post(&format!("/v1/mentorship-requests/{rid}/accept"), &ada.token, json!({}))
        .await
        .expect(200);
    (ada, bo, eve, accepted["mentorship"]["mentorship_id"].as_str().unwrap().to_owned())
}

fn at(hours: i64) -> String {
    (Utc::now() + TimeDelta::hours(hours)).to_rfc3339()
}

/// The calendar file of a session as `who` downloads it, parsed back.
async fn calendar(s: &TestServer, who: &User, session: &str) -> (String, icalendar::Event) {
    let res = reqwest::Client::new()
        .get(format!("{}/v1/sessions/{session}/calendar.ics", s.api.base))
        .bearer_auth(&who.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let kind = res.headers()["content-type"].to_str().unwrap().to_owned();
    let text = res.text().await.unwrap();
    let parsed: Calendar = text.parse().expect("an RFC 5545 calendar");
    let event = parsed
        .components
        .iter()
        .find_map(|c| match c {
            CalendarComponent::Event(e) => Some(e.clone()),
            _ => None,
        })
        .expect("one VEVENT");
    (kind, event)
}

fn utc(d: icalendar::DatePerhapsTime) -> DateTime<Utc> {
    match d {
        icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t)) => t,
        other => panic!("not a UTC time: {other:?}"),
    }
}

async fn sessions_follow_their_rules_over_http(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let api = &s.api;
    let (ada, bo, eve, mid) = pair(api).await;
    let path = format!("/v1/mentorships/{mid}/sessions");
    let sid = Uuid::new_v4();
    let body = json!({"session_id": sid, "starts_at": at(30), "duration_minutes": 45, "time_zone": "America/Chicago", "location": "https://meet.example/x", "agenda": "SQL"});

    // Every rule with its status and field.
    for (bad, field, code) in [
        (json!({"starts_at": at(-1)}), "starts_at", "in_the_past"),
        (json!({"starts_at": "next week"}), "starts_at", "invalid"),
        (json!({"duration_minutes": 10}), "duration_minutes", "out_of_range"),
        (json!({"duration_minutes": 241}), "duration_minutes", "out_of_range"),
        (json!({"time_zone": "Mars/Olympus"}), "time_zone", "invalid"),
        (json!({"location": "x".repeat(256)}), "location", "too_long"),
    ] {
        let mut b = body.clone();
        b.as_object_mut().unwrap().extend(bad.as_object().unwrap().clone());
        let a = refused(api.post(&path, &bo.token, b).await, 422, "validation_failed");
        assert_eq!(a["error"]["fields"][field], code, "{a}");
    }
    refused(api.post(&path, &eve.token, body.clone()).await, 404, "not_found");

    let made = api.post(&path, &bo.token, body.clone()).await.expect(201);
    assert_eq!((made["status"].as_str(), made["sequence"].as_i64()), (Some("proposed"), Some(0)));
    api.post(&path, &bo.token, body.clone()).await.expect(200);
    let one = format!("/v1/sessions/{sid}");
    refused(api.post(&format!("{one}/confirm"), &bo.token, json!({})).await, 403, "forbidden");
    refused(api.post(&format!("{one}/confirm"), &eve.token, json!({})).await, 404, "not_found");
    let confirmed = api.post(&format!("{one}/confirm"), &ada.token, json!({})).await.expect(200);
    assert_eq!(confirmed["status"], "confirmed");

    // The calendar file: a stable UID, the UTC start and end, CONFIRMED, SEQUENCE 1.
    let (kind, event) = calendar(&s, &bo, &sid.to_string()).await;
    assert!(kind.starts_with("text/calendar"), "{kind}");
    assert_eq!(event.get_uid(), Some(format!("{sid}@lodestar").as_str()));
    let start: DateTime<Utc> = made["starts_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(utc(event.get_start().unwrap()), start);
    assert_eq!(utc(event.get_end().unwrap()), start + TimeDelta::minutes(45));
    assert_eq!(event.get_status(), Some(icalendar::EventStatus::Confirmed));
    assert_eq!(event.get_sequence(), Some(1));
    assert_eq!(event.get_location(), Some("https://meet.example/x"));
    refused(api.get(&format!("{one}/calendar.ics"), &eve.token).await, 404, "not_found");

    // Moved: proposed again by the mover, and calendars see a newer SEQUENCE.
    let moved = api.patch(&one, &ada.token, json!({"starts_at": at(50)})).await.expect(200);
    assert_eq!(
        (moved["status"].as_str(), moved["proposed_by"].as_str()),
        (Some("proposed"), Some(ada.id.to_string().as_str()))
    );
    let (_, event) = calendar(&s, &ada, &sid.to_string()).await;
    assert_eq!(
        (event.get_status(), event.get_sequence()),
        (Some(icalendar::EventStatus::Tentative), Some(2))
    );
    refused(api.patch(&one, &eve.token, json!({"agenda": null})).await, 404, "not_found");

    // Feedback waits for the end of a confirmed session.
    let fb = json!({"rating": 5, "fit": "good", "comment": "Great"});
    let a = refused(
        api.post(&format!("{one}/feedback"), &bo.token, fb.clone()).await,
        422,
        "validation_failed",
    );
    assert_eq!(a["error"]["fields"]["session_id"], "not_held");
    let a = refused(
        api.post(&format!("{one}/feedback"), &bo.token, json!({"rating": 9, "fit": "meh"})).await,
        422,
        "validation_failed",
    );
    assert_eq!(
        (a["error"]["fields"]["rating"].as_str(), a["error"]["fields"]["fit"].as_str()),
        (Some("out_of_range"), Some("invalid"))
    );

    // Its shared notes start empty (their merging is `http_notes.rs`); a stranger sees none.
    let notes = api.get(&format!("{one}/notes"), &bo.token).await.expect(200);
    assert_eq!((notes["text"].as_str(), notes["updated_at"].is_null()), (Some(""), true));
    refused(api.get(&format!("{one}/notes"), &eve.token).await, 404, "not_found");

    // Cancelled: the file says so, nothing more can be changed; the detail lists it.
    let cancelled = api
        .post(&format!("{one}/cancel"), &bo.token, json!({"reason": "Travelling"}))
        .await
        .expect(200);
    assert_eq!(
        (cancelled["status"].as_str(), cancelled["cancel_reason"].as_str()),
        (Some("cancelled"), Some("Travelling"))
    );
    let (_, event) = calendar(&s, &bo, &sid.to_string()).await;
    assert_eq!(
        (event.get_status(), event.get_sequence()),
        (Some(icalendar::EventStatus::Cancelled), Some(3))
    );
    refused(api.post(&format!("{one}/confirm"), &bo.token, json!({})).await, 409, "conflict");
    let detail = api.get(&format!("/v1/mentorships/{mid}"), &ada.token).await.expect(200);
    assert_eq!(detail["sessions"][0]["session_id"], sid.to_string());
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(sessions_follow_their_rules_over_http);
