//! PROGRAM.md's first half over real HTTP, on both backends: the request loop with every
//! status and code of its rules, the directory and matches knowing a mentor's capacity, and the
//! authorization matrix of every new route (a stranger gets 404 exactly as for a missing id,
//! the wrong party 403, and a refused request changes nothing either side can see).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use lodestar_tests::{Answer, Api, Backend, TestServer, User};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

async fn mentor(api: &Api, name: &str, capacity: i64) -> User {
    api.register_with(
        name,
        json!({"mentor_status": true, "mentee_capacity": capacity, "skills": ["rust", "sql"], "industry": "Software"}),
    )
    .await
}

async fn mentee(api: &Api, name: &str) -> User {
    api.register_with(
        name,
        json!({"mentee_status": true, "skills": ["rust"], "industry": "Software"}),
    )
    .await
}

fn id_of(v: &Value, key: &str) -> Uuid {
    v[key].as_str().unwrap().parse().unwrap()
}

#[track_caller]
fn refused(answer: Answer, status: u16, code: &str) {
    assert_eq!((answer.status.as_u16(), answer.code()), (status, code), "{}", answer.body);
}

async fn ask(api: &Api, from: &User, to: &User) -> Answer {
    api.post(
        "/v1/mentorship-requests",
        &from.token,
        json!({"request_id": Uuid::new_v4(), "mentor_id": to.id, "message": "Could you mentor me on Rust?"}),
    )
    .await
}

async fn the_request_loop_answers_every_rule(backend: Backend) {
    let server = TestServer::spawn(backend).await;
    let api = &server.api;
    let ada = mentor(api, "ada", 1).await;
    let bo = mentee(api, "bob").await;
    let cy = mentee(api, "cyd").await;
    let plain = api.register("plain").await;

    // Asking: 201, the same again 200, every rule with its status, code and field.
    let body =
        json!({"request_id": Uuid::new_v4(), "mentor_id": ada.id, "message": "  Hello Ada  "});
    let made = api.post("/v1/mentorship-requests", &bo.token, body.clone()).await.expect(201);
    assert_eq!(
        (made["status"].as_str(), made["message"].as_str()),
        (Some("pending"), Some("Hello Ada"))
    );
    assert_eq!(api.post("/v1/mentorship-requests", &bo.token, body).await.expect(200), made);
    let r = id_of(&made, "request_id");
    refused(ask(api, &bo, &ada).await, 409, "conflict");
    let blank = api
        .post(
            "/v1/mentorship-requests",
            &cy.token,
            json!({"request_id": Uuid::new_v4(), "mentor_id": ada.id, "message": " "}),
        )
        .await;
    assert_eq!(
        (blank.status.as_u16(), blank.field("message")),
        (422, "required"),
        "{}",
        blank.body
    );
    let not_mentor = ask(api, &cy, &plain).await;
    assert_eq!((not_mentor.status.as_u16(), not_mentor.field("mentor_id")), (422, "not_a_mentor"));
    let not_mentee = ask(api, &plain, &ada).await;
    assert_eq!(
        (not_mentee.status.as_u16(), not_mentee.field("mentee_status")),
        (422, "not_a_mentee")
    );
    let cys = id_of(&ask(api, &cy, &ada).await.expect(201), "request_id");

    // The boxes.
    let incoming = api.get("/v1/mentorship-requests?box=incoming", &ada.token).await.expect(200);
    assert_eq!(incoming["requests"].as_array().unwrap().len(), 2);
    let outgoing =
        api.get("/v1/mentorship-requests?box=outgoing&status=pending", &bo.token).await.expect(200);
    assert_eq!(outgoing["requests"][0]["request_id"], r.to_string());
    let bad = api.get("/v1/mentorship-requests?box=sideways", &bo.token).await;
    assert_eq!((bad.status.as_u16(), bad.field("box")), (422, "invalid"));

    // Accepting: the mentee may not, the mentor may; the slot is then taken.
    refused(
        api.post(&format!("/v1/mentorship-requests/{r}/accept"), &bo.token, json!({})).await,
        403,
        "forbidden",
    );
    let accepted = api
        .post(&format!("/v1/mentorship-requests/{r}/accept"), &ada.token, json!({}))
        .await
        .expect(200);
    assert_eq!(accepted["request"]["status"], "accepted");
    let m = id_of(&accepted["mentorship"], "mentorship_id");
    let conversation = id_of(&accepted["mentorship"], "conversation_id");
    api.get(&format!("/v1/conversations/{conversation}"), &bo.token).await.expect(200);
    let again = api
        .post(&format!("/v1/mentorship-requests/{r}/accept"), &ada.token, json!({}))
        .await
        .expect(200);
    assert_eq!(again, accepted, "a retried accept answers the same");
    refused(
        api.post(&format!("/v1/mentorship-requests/{cys}/accept"), &ada.token, json!({})).await,
        409,
        "unavailable",
    );
    refused(
        api.post(&format!("/v1/mentorship-requests/{r}/withdraw"), &bo.token, json!({})).await,
        409,
        "not_pending",
    );
    let me = api.get("/v1/me", &ada.token).await.expect(200);
    assert_eq!((me["mentee_capacity"].as_i64(), me["open_slots"].as_i64()), (Some(1), Some(0)));
    refused(ask(api, &mentee(api, "dia").await, &ada).await, 409, "unavailable");

    // Declining with a reason, with no body at all, and withdrawing.
    let declined = api
        .post(
            &format!("/v1/mentorship-requests/{cys}/decline"),
            &ada.token,
            json!({"reason": "I am full this term"}),
        )
        .await
        .expect(200);
    assert_eq!(
        (declined["status"].as_str(), declined["decline_reason"].as_str()),
        (Some("declined"), Some("I am full this term"))
    );
    let long = api
        .post(
            &format!("/v1/mentorship-requests/{cys}/decline"),
            &ada.token,
            json!({"reason": "x".repeat(501)}),
        )
        .await;
    assert_eq!((long.status.as_u16(), long.field("reason")), (422, "too_long"), "{}", long.body);

    // Goals and action items, then the end.
    let goal_body =
        json!({"goal_id": Uuid::new_v4(), "title": "Ship a CLI", "due_date": "2030-01-31"});
    let goal = api
        .post(&format!("/v1/mentorships/{m}/goals"), &bo.token, goal_body.clone())
        .await
        .expect(201);
    assert_eq!(
        api.post(&format!("/v1/mentorships/{m}/goals"), &bo.token, goal_body).await.expect(200),
        goal
    );
    let g = id_of(&goal, "goal_id");
    let achieved = api
        .patch(&format!("/v1/goals/{g}"), &ada.token, json!({"status": "achieved"}))
        .await
        .expect(200);
    assert_eq!(achieved["status"], "achieved");
    let bad_status =
        api.patch(&format!("/v1/goals/{g}"), &ada.token, json!({"status": "won"})).await;
    assert_eq!((bad_status.status.as_u16(), bad_status.field("status")), (422, "invalid"));
    let said = id_of(&api.send(&ada, conversation, "Read chapter 3 by Friday").await, "message_id");
    let task = api
        .post(
            &format!("/v1/mentorships/{m}/tasks"),
            &ada.token,
            json!({"task_id": Uuid::new_v4(), "title": "Read chapter 3", "assignee_id": bo.id, "goal_id": g, "source_message_id": said}),
        )
        .await
        .expect(201);
    let stranger_task = api
        .post(
            &format!("/v1/mentorships/{m}/tasks"),
            &ada.token,
            json!({"task_id": Uuid::new_v4(), "title": "x", "assignee_id": cy.id}),
        )
        .await;
    assert_eq!(
        (stranger_task.status.as_u16(), stranger_task.field("assignee_id")),
        (422, "not_in_mentorship")
    );
    let t = id_of(&task, "task_id");
    let ticked =
        api.patch(&format!("/v1/tasks/{t}"), &bo.token, json!({"done": true})).await.expect(200);
    assert!(ticked["done_at"].is_string());
    let detail = api.get(&format!("/v1/mentorships/{m}"), &bo.token).await.expect(200);
    assert_eq!(
        (detail["goals"].as_array().unwrap().len(), detail["tasks"].as_array().unwrap().len()),
        (1, 1)
    );
    assert_eq!(detail["mentorship_id"], m.to_string());
    let ended = api
        .post(&format!("/v1/mentorships/{m}/end"), &bo.token, json!({"reason": "done"}))
        .await
        .expect(200);
    assert_eq!(ended["status"], "ended");
    refused(
        api.patch(&format!("/v1/tasks/{t}"), &bo.token, json!({"done": false})).await,
        409,
        "conflict",
    );
    let me = api.get("/v1/me", &ada.token).await.expect(200);
    assert_eq!(me["open_slots"].as_i64(), Some(1), "ending frees the slot");
    let listed = api.get("/v1/mentorships?status=ended", &bo.token).await.expect(200);
    assert_eq!(listed["mentorships"][0]["mentorship_id"], m.to_string());
    server.server.stop().await;
}

async fn the_directory_and_matches_know_capacity(backend: Backend) {
    let server = TestServer::spawn(backend).await;
    let api = &server.api;
    let open = mentor(api, "open", 3).await;
    let full = mentor(api, "full", 1).await;
    let closed = mentor(api, "closed", 2).await;
    api.patch("/v1/me", &closed.token, json!({"accepting_requests": false})).await.expect(200);
    let taker = mentee(api, "taker").await;
    let r = id_of(&ask(api, &taker, &full).await.expect(201), "request_id");
    api.post(&format!("/v1/mentorship-requests/{r}/accept"), &full.token, json!({}))
        .await
        .expect(200);
    let seeker = mentee(api, "seeker").await;

    let accepting = api.get("/v1/users?accepting=true", &seeker.token).await.expect(200);
    let names: Vec<&str> = accepting["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["open"]);
    let matches = api.get("/v1/matches", &seeker.token).await.expect(200);
    let matches = matches["matches"].as_array().unwrap();
    let names: Vec<&str> =
        matches.iter().map(|m| m["user"]["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["open"], "full and closed mentors are never suggested");
    assert!(
        matches[0]["reasons"].as_array().unwrap().contains(&json!("3 of 3 mentee slots open")),
        "{matches:?}"
    );
    let capacity = api.patch("/v1/me", &open.token, json!({"mentee_capacity": 21})).await;
    assert_eq!(
        (capacity.status.as_u16(), capacity.field("mentee_capacity")),
        (422, "out_of_range"),
        "{}",
        capacity.body
    );
    server.server.stop().await;
}

/// Ann mentors Ben (request `r`, mentorship `m`, goal `g`, task `t`); Cal has a pending request
/// `p` to Ann; Sam is a stranger to all of it.
struct World {
    ann: User,
    ben: User,
    cal: User,
    sam: User,
    r: Uuid,
    p: Uuid,
    m: Uuid,
    g: Uuid,
    t: Uuid,
}

async fn world(api: &Api) -> World {
    let ann = mentor(api, "ann", 3).await;
    let ben = mentee(api, "ben").await;
    let cal = mentee(api, "cal").await;
    let sam = mentee(api, "sam").await;
    let r = id_of(&ask(api, &ben, &ann).await.expect(201), "request_id");
    let p = id_of(&ask(api, &cal, &ann).await.expect(201), "request_id");
    let accepted = api
        .post(&format!("/v1/mentorship-requests/{r}/accept"), &ann.token, json!({}))
        .await
        .expect(200);
    let m = id_of(&accepted["mentorship"], "mentorship_id");
    let g = id_of(
        &api.post(
            &format!("/v1/mentorships/{m}/goals"),
            &ben.token,
            json!({"goal_id": Uuid::new_v4(), "title": "Learn SQL"}),
        )
        .await
        .expect(201),
        "goal_id",
    );
    let t = id_of(
        &api.post(
            &format!("/v1/mentorships/{m}/tasks"),
            &ann.token,
            json!({"task_id": Uuid::new_v4(), "title": "Read", "assignee_id": ben.id}),
        )
        .await
        .expect(201),
        "task_id",
    );
    World { ann, ben, cal, sam, r, p, m, g, t }
}

/// Everything the world's people can see of it, as one document.
async fn snapshot(api: &Api, w: &World) -> String {
    let mut out = serde_json::Map::new();
    for user in [&w.ann, &w.ben, &w.cal] {
        for path in [
            "/v1/me".to_owned(),
            "/v1/mentorship-requests".to_owned(),
            "/v1/mentorships".to_owned(),
        ] {
            out.insert(
                format!("{} {path}", user.username),
                api.get(&path, &user.token).await.expect(200),
            );
        }
        let (changes, cursor) = api.sync_all(user, None, 1000).await;
        out.insert(
            format!("{} sync", user.username),
            json!({"changes": changes, "cursor": cursor}),
        );
    }
    let detail = api.get(&format!("/v1/mentorships/{}", w.m), &w.ann.token).await.expect(200);
    out.insert("detail".into(), detail);
    serde_json::to_string_pretty(&Value::Object(out)).unwrap()
}

type Request = (Method, String, Option<Value>);

/// Every new route naming the world's things (or `fake` in their place).
fn routes(w: &World, fake: Option<Uuid>) -> Vec<Request> {
    let [r, p, m, g, t] = [w.r, w.p, w.m, w.g, w.t].map(|id| fake.unwrap_or(id));
    vec![
        (Method::POST, format!("/v1/mentorship-requests/{p}/accept"), None),
        (
            Method::POST,
            format!("/v1/mentorship-requests/{p}/decline"),
            Some(json!({"reason": "no"})),
        ),
        (Method::POST, format!("/v1/mentorship-requests/{p}/withdraw"), None),
        (Method::POST, format!("/v1/mentorship-requests/{r}/decline"), None),
        (Method::GET, format!("/v1/mentorships/{m}"), None),
        (Method::POST, format!("/v1/mentorships/{m}/end"), Some(json!({"reason": "taken over"}))),
        (
            Method::POST,
            format!("/v1/mentorships/{m}/goals"),
            Some(json!({"goal_id": Uuid::new_v4(), "title": "Taken over"})),
        ),
        (Method::PATCH, format!("/v1/goals/{g}"), Some(json!({"title": "Taken over"}))),
        (
            Method::POST,
            format!("/v1/mentorships/{m}/tasks"),
            Some(json!({"task_id": Uuid::new_v4(), "title": "Taken over"})),
        ),
        (Method::PATCH, format!("/v1/tasks/{t}"), Some(json!({"done": true}))),
    ]
}

async fn call(api: &Api, user: &User, (method, path, body): &Request) -> Answer {
    api.call(method.clone(), path, Some(&user.token), body.clone()).await
}

async fn a_stranger_gets_404_and_the_wrong_party_403_and_nothing_changes(backend: Backend) {
    let server = TestServer::spawn(backend).await;
    let api = &server.api;
    let w = world(api).await;
    let before = snapshot(api, &w).await;
    let fake = Uuid::new_v4();
    for (real, missing) in routes(&w, None).iter().zip(&routes(&w, Some(fake))) {
        let answer = call(api, &w.sam, real).await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (404, "not_found"),
            "the stranger's {} {}: {}",
            real.0,
            real.1,
            answer.body
        );
        let nothing = call(api, &w.sam, missing).await;
        assert_eq!(
            answer.body, nothing.body,
            "{} {}: a hidden thing differs from a missing one",
            real.0, real.1
        );
    }
    // The wrong party of a request: the mentee may not answer it, the mentor may not withdraw it.
    let p = w.p;
    for (user, method, path) in [
        (&w.cal, Method::POST, format!("/v1/mentorship-requests/{p}/accept")),
        (&w.cal, Method::POST, format!("/v1/mentorship-requests/{p}/decline")),
        (&w.ann, Method::POST, format!("/v1/mentorship-requests/{p}/withdraw")),
    ] {
        let answer = api.call(method.clone(), &path, Some(&user.token), None).await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (403, "forbidden"),
            "{} {method} {path}: {}",
            user.username,
            answer.body
        );
    }
    // Another mentee of the same mentor is a stranger to the pair's mentorship.
    for request in routes(&w, None).iter().skip(4) {
        let answer = call(api, &w.cal, request).await;
        assert_eq!(
            answer.status.as_u16(),
            404,
            "cal's {} {}: {}",
            request.0,
            request.1,
            answer.body
        );
    }
    // Nobody's list shows what is not theirs.
    let theirs = api.get("/v1/mentorship-requests", &w.sam.token).await.expect(200);
    assert_eq!(theirs["requests"], json!([]));
    assert_eq!(
        api.get("/v1/mentorships", &w.sam.token).await.expect(200)["mentorships"],
        json!([])
    );
    let (seen, _) = api.sync_all(&w.sam, None, 1000).await;
    let seen = serde_json::to_string(&seen).unwrap();
    for secret in [w.r, w.p, w.m, w.g, w.t] {
        assert!(!seen.contains(&secret.to_string()), "the stranger synced {secret}");
    }
    // Without a token, every route is 401.
    for (method, path, body) in routes(&w, None) {
        let answer = api.call(method.clone(), &path, None, body).await;
        assert_eq!(answer.status.as_u16(), 401, "{method} {path} without a token");
    }
    let after = snapshot(api, &w).await;
    assert!(
        before == after,
        "refused requests changed something:\n--- before\n{before}\n--- after\n{after}"
    );
    server.server.stop().await;
}

lodestar_tests::on_both_backends!(
    the_request_loop_answers_every_rule,
    the_directory_and_matches_know_capacity,
    a_stranger_gets_404_and_the_wrong_party_403_and_nothing_changes,
);
