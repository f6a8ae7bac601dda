//! Profiles over real HTTP: the caller's own record, what others see, the directory with its
//! filters and cursor paging, and mentor–mentee matches.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, Duration, Months, NaiveDate, Utc};
use lodestar_tests::{Api, Backend, TestServer, User};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

const PROFILE_KEYS: [&str; 18] = [
    "mentee_capacity",
    "accepting_requests",
    "open_slots",
    "user_id",
    "username",
    "city",
    "state",
    "age",
    "profile_picture_url",
    "bio",
    "mentor_status",
    "mentee_status",
    "job_title",
    "years_of_experience",
    "industry",
    "skills",
    "interests",
    "created_at",
];

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn profile_keys() -> BTreeSet<String> {
    PROFILE_KEYS.iter().map(|k| (*k).to_owned()).collect()
}

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn age_on(dob: NaiveDate, today: NaiveDate) -> i64 {
    let mut age = i64::from(today.year() - dob.year());
    if (today.month(), today.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

async fn the_own_record_can_be_read_and_edited(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let alice = s.api.register_with("alice", json!({"city": "Oakland", "bio": "hello"})).await;
    let before = s.api.get("/v1/me", &alice.token).await.expect(200);
    assert_eq!(before["email"], "alice@example.com");
    assert_eq!(before["city"], "Oakland");
    let patch = json!({
        "city": "Brooklyn",
        "state": "ny",
        "bio": "Backend engineer who likes mentoring",
        "job_title": "Staff Engineer",
        "years_of_experience": 12,
        "industry": "Software",
        "skills": ["Rust", " SQL ", "rust"],
        "interests": ["Chess"],
        "mentor_status": true,
        "phone_number": "+15550001111",
        "profile_picture_url": "https://example.com/alice.png",
    });
    let me = s.api.patch("/v1/me", &alice.token, patch).await.expect(200);
    assert_eq!(me["city"], "Brooklyn");
    assert_eq!(me["state"], "NY", "state folds to upper case");
    assert_eq!(me["bio"], "Backend engineer who likes mentoring");
    assert_eq!(me["job_title"], "Staff Engineer");
    assert_eq!(me["years_of_experience"], 12);
    assert_eq!(me["industry"], "Software");
    assert_eq!(me["skills"], json!(["rust", "sql"]), "tags are trimmed, folded and deduplicated");
    assert_eq!(me["interests"], json!(["chess"]));
    assert_eq!(me["mentor_status"], true);
    assert_eq!(me["mentee_status"], false, "an absent field stays");
    assert_eq!(me["phone_number"], "+15550001111");
    assert_eq!(me["profile_picture_url"], "https://example.com/alice.png");
    assert_eq!(me["username"], "alice");
    assert_eq!(me["email"], "alice@example.com");
    assert_eq!(me["created_at"], before["created_at"]);
    assert!(me.get("password_hash").is_none());
    assert_eq!(s.api.get("/v1/me", &alice.token).await.expect(200), me, "the edit is stored");

    // An empty patch changes nothing.
    assert_eq!(s.api.patch("/v1/me", &alice.token, json!({})).await.expect(200), me);

    // `null` clears optional fields.
    let cleared = s
        .api
        .patch(
            "/v1/me",
            &alice.token,
            json!({"city": null, "bio": null, "years_of_experience": null, "skills": null,
                   "phone_number": null, "profile_picture_url": null, "mentor_status": null}),
        )
        .await
        .expect(200);
    for field in ["city", "bio", "years_of_experience", "phone_number", "profile_picture_url"] {
        assert_eq!(cleared[field], Value::Null, "{field} cleared");
    }
    assert_eq!(cleared["skills"], json!([]));
    assert_eq!(cleared["mentor_status"], false);
    assert_eq!(cleared["state"], "NY", "untouched fields stay");
    assert_eq!(cleared["interests"], json!(["chess"]));
    assert_eq!(cleared["job_title"], "Staff Engineer");
    s.server.stop().await;
}

async fn bad_edits_are_refused_and_change_nothing(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let alice = s.api.register_with("alice", json!({"city": "Oakland"})).await;
    s.api.register("bob").await;
    let before = s.api.get("/v1/me", &alice.token).await.expect(200);
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({"username": null}), "username", "required"),
        (json!({"email": null}), "email", "required"),
        (json!({"date_of_birth": null}), "date_of_birth", "required"),
        (json!({"username": "x"}), "username", "too_short"),
        (json!({"username": "no spaces"}), "username", "invalid"),
        (json!({"email": "nope"}), "email", "invalid"),
        (json!({"city": "Boston", "state": "ZZ"}), "state", "invalid"),
        (json!({"years_of_experience": 71}), "years_of_experience", "out_of_range"),
        (json!({"profile_picture_url": "javascript:alert(1)"}), "profile_picture_url", "invalid"),
        (
            json!({"skills": (0..31).map(|i| format!("s{i}")).collect::<Vec<_>>()}),
            "skills",
            "too_many",
        ),
        (json!({"date_of_birth": "2001-02-29"}), "date_of_birth", "invalid"),
        (json!({"phone_number": "555"}), "phone_number", "invalid"),
    ];
    for (patch, field, code) in cases {
        let a = s.api.patch("/v1/me", &alice.token, patch.clone()).await;
        assert_eq!(a.status, 422, "{patch}: {}", a.body);
        assert_eq!(a.code(), "validation_failed");
        assert_eq!(a.field(field), code, "{patch}: {}", a.body);
    }
    let a = s.api.patch("/v1/me", &alice.token, json!({"mentor_status": "yes"})).await;
    assert_eq!((a.status.as_u16(), a.code()), (400, "bad_request"), "{}", a.body);
    let a = s.api.patch("/v1/me", &alice.token, json!({"username": "BOB"})).await;
    assert_eq!((a.status.as_u16(), a.code()), (409, "conflict"), "{}", a.body);
    assert_eq!(a.field("username"), "taken");
    let a = s.api.patch("/v1/me", &alice.token, json!({"email": "Bob@Example.com"})).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert_eq!(a.field("email"), "taken");
    assert_eq!(
        s.api.get("/v1/me", &alice.token).await.expect(200),
        before,
        "no refused edit changed anything"
    );
    // Keeping one's own username (in another case) is not a conflict.
    let me = s.api.patch("/v1/me", &alice.token, json!({"username": "ALICE"})).await.expect(200);
    assert_eq!(me["username"], "alice");
    let me = s.api.patch("/v1/me", &alice.token, json!({"username": "alice2"})).await.expect(200);
    assert_eq!(me["username"], "alice2");
    s.server.stop().await;
}

async fn age_is_derived_from_the_date_of_birth(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let alice = s.api.register("alice").await;
    let today = Utc::now().date_naive();
    let twenty = today.checked_sub_months(Months::new(240)).unwrap();
    let me = s
        .api
        .patch("/v1/me", &alice.token, json!({"date_of_birth": twenty.to_string()}))
        .await
        .expect(200);
    assert_eq!(me["date_of_birth"], twenty.to_string());
    assert_eq!(me["age"].as_i64(), Some(age_on(twenty, today)));
    let tomorrow_birthday = twenty + Duration::days(1);
    let me = s
        .api
        .patch("/v1/me", &alice.token, json!({"date_of_birth": tomorrow_birthday.to_string()}))
        .await
        .expect(200);
    assert_eq!(me["age"].as_i64(), Some(age_on(tomorrow_birthday, today)));
    assert_eq!(me["age"].as_i64(), Some(age_on(twenty, today) - 1), "the birthday is tomorrow");
    let bob = s.api.register("bob").await;
    let seen = s.api.get(&format!("/v1/users/{}", alice.id), &bob.token).await.expect(200);
    assert_eq!(seen["age"], me["age"], "others see the age, not the date");
    // A client cannot write the age.
    let a = s.api.patch("/v1/me", &alice.token, json!({"age": 99})).await;
    assert!(a.status.is_client_error(), "{}", a.body);
    assert_eq!(s.api.get("/v1/me", &alice.token).await.expect(200)["age"], me["age"]);
    let too_young = today.checked_sub_months(Months::new(12 * 12)).unwrap();
    let a =
        s.api.patch("/v1/me", &alice.token, json!({"date_of_birth": too_young.to_string()})).await;
    assert_eq!(a.status, 422);
    assert_eq!(a.field("date_of_birth"), "too_young");
    s.server.stop().await;
}

async fn others_see_a_profile_without_private_fields(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let alice = s
        .api
        .register_with(
            "alice",
            json!({"phone_number": "+15550001111", "city": "Austin", "state": "TX", "skills": ["rust"]}),
        )
        .await;
    let bob = s.api.register("bob").await;
    let v = s.api.get(&format!("/v1/users/{}", alice.id), &bob.token).await.expect(200);
    assert_eq!(keys(&v), profile_keys(), "a Profile has exactly its fields: {v}");
    for private in ["email", "phone_number", "date_of_birth", "password_hash"] {
        assert!(v.get(private).is_none(), "{private} leaked: {v}");
    }
    assert_eq!(v["username"], "alice");
    assert_eq!(v["city"], "Austin");
    assert_eq!(v["state"], "TX");
    assert_eq!(v["skills"], json!(["rust"]));
    let text = v.to_string();
    assert!(!text.contains("+15550001111") && !text.contains("alice@example.com"));
    // Looking at oneself through the same route is a Profile too.
    let own = s.api.get(&format!("/v1/users/{}", alice.id), &alice.token).await.expect(200);
    assert_eq!(keys(&own), profile_keys());
    for bad in [
        Uuid::new_v4().to_string(),
        "not-a-uuid".to_owned(),
        "123".to_owned(),
        Uuid::nil().to_string(),
    ] {
        let a = s.api.get(&format!("/v1/users/{bad}"), &bob.token).await;
        assert_eq!((a.status.as_u16(), a.code()), (404, "not_found"), "{bad}: {}", a.body);
    }
    s.server.stop().await;
}

/// Seven users with varied profiles; answers them by name.
async fn directory(api: &Api) -> HashMap<&'static str, User> {
    let people: [(&str, Value); 7] = [
        (
            "ann",
            json!({"mentor_status": true, "skills": ["rust", "sql"], "industry": "Software", "state": "CA",
                       "years_of_experience": 12, "job_title": "Staff Engineer", "bio": "Loves compilers"}),
        ),
        (
            "ben",
            json!({"mentee_status": true, "skills": ["python"], "interests": ["rust"], "industry": "Finance",
                       "state": "NY", "years_of_experience": 1}),
        ),
        (
            "cat",
            json!({"mentor_status": true, "skills": ["sql", "excel"], "industry": "Finance", "state": "NY",
                       "years_of_experience": 8, "job_title": "Data Analyst"}),
        ),
        (
            "dan",
            json!({"mentee_status": true, "skills": ["rust"], "industry": "software", "state": "CA",
                       "years_of_experience": 3, "bio": "Wants to learn SQL"}),
        ),
        (
            "eve",
            json!({"mentor_status": true, "mentee_status": true, "skills": ["go"], "industry": "Healthcare",
                       "state": "TX", "years_of_experience": 20}),
        ),
        ("fay", json!({})),
        (
            "gus",
            json!({"mentor_status": true, "skills": ["rusty"], "state": "WA", "years_of_experience": 5}),
        ),
    ];
    let mut out = HashMap::new();
    for (name, extra) in people {
        out.insert(name, api.register_with(name, extra).await);
    }
    out
}

/// The usernames of one page, in order.
async fn names(api: &Api, user: &User, query: &str) -> Vec<String> {
    let v = api.get(&format!("/v1/users?{query}"), &user.token).await.expect(200);
    let users = v["users"].as_array().unwrap();
    for u in users {
        assert_eq!(keys(u), profile_keys(), "the directory shows Profiles: {u}");
    }
    users.iter().map(|u| u["username"].as_str().unwrap().to_owned()).collect()
}

async fn the_directory_filters(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let people = directory(&s.api).await;
    let me = &people["fay"];
    let cases: [(&str, &[&str]); 25] = [
        ("", &["ann", "ben", "cat", "dan", "eve", "fay", "gus"]),
        ("username=ben", &["ben"]),
        ("username=BEN", &["ben"]),
        ("username=be", &[]),
        ("q=rust", &["ann", "dan", "gus"]),
        ("q=sql", &["ann", "cat", "dan"]),
        ("q=ANALYST", &["cat"]),
        ("q=compilers", &["ann"]),
        ("q=nothing%20matches", &[]),
        ("mentor=true", &["ann", "cat", "eve", "gus"]),
        ("mentor=false", &["ben", "dan", "fay"]),
        ("mentee=true", &["ben", "dan", "eve"]),
        ("skill=rust", &["ann", "dan"]),
        ("skill=RUST", &["ann", "dan"]),
        ("skill=ru", &[]),
        ("q=%25", &[]),
        ("q=_", &[]),
        ("industry=finance", &["ben", "cat"]),
        ("industry=Software", &["ann", "dan"]),
        ("state=NY", &["ben", "cat"]),
        ("state=ca", &["ann", "dan"]),
        ("min_years=8", &["ann", "cat", "eve"]),
        ("mentor=true&state=NY", &["cat"]),
        ("mentor=true&skill=sql", &["ann", "cat"]),
        ("mentee=true&min_years=3&industry=software", &["dan"]),
    ];
    for (query, expected) in cases {
        let got = names(&s.api, me, query).await;
        assert_eq!(got, expected, "GET /v1/users?{query}");
    }
    for (query, field, code) in [
        ("limit=0", "limit", "out_of_range"),
        ("limit=101", "limit", "out_of_range"),
        ("limit=-5", "limit", "out_of_range"),
        ("state=ZZ", "state", "invalid"),
        ("min_years=71", "min_years", "out_of_range"),
    ] {
        let a = s.api.get(&format!("/v1/users?{query}"), &me.token).await;
        assert_eq!(
            (a.status.as_u16(), a.code()),
            (422, "validation_failed"),
            "{query}: {}",
            a.body
        );
        assert_eq!(a.field(field), code, "{query}: {}", a.body);
    }
    let a = s.api.get("/v1/users?mentor=maybe", &me.token).await;
    assert_eq!(a.status, 400, "{}", a.body);
    let a = s.api.get("/v1/users?limit=lots", &me.token).await;
    assert_eq!(a.status, 400, "{}", a.body);
    assert_eq!(names(&s.api, me, "limit=100").await.len(), 7);
    s.server.stop().await;
}

/// `q` matches skill tags as text, not the way the server happens to store them (a JSON array):
/// a quote or a comma is in no tag, so it matches nobody.
async fn q_matches_skill_tags_not_their_storage_format(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ann = s.api.register_with("ann", json!({"skills": ["rust", "sql"]})).await;
    for query in ["q=%22", "q=%2C", "q=%5B", "q=rust%22%2C%22sql"] {
        let got = names(&s.api, &ann, query).await;
        assert_eq!(
            got,
            Vec::<String>::new(),
            "GET /v1/users?{query} matched the JSON encoding of skills"
        );
    }
    assert_eq!(names(&s.api, &ann, "q=sql").await, ["ann"]);
    s.server.stop().await;
}

async fn cursor_paging_yields_everyone_once(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let people = directory(&s.api).await;
    let me = &people["ann"];
    for (filter, expected) in [("", 7usize), ("mentor=true&", 4)] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let path = match &cursor {
                Some(c) => format!("/v1/users?{filter}limit=3&cursor={}", enc(c)),
                None => format!("/v1/users?{filter}limit=3"),
            };
            let v = s.api.get(&path, &me.token).await.expect(200);
            pages += 1;
            let users = v["users"].as_array().unwrap();
            assert!(users.len() <= 3);
            seen.extend(users.iter().map(|u| u["user_id"].as_str().unwrap().to_owned()));
            match v["next_cursor"].as_str() {
                Some(c) => {
                    assert_eq!(users.len(), 3, "only the last page is short");
                    cursor = Some(c.to_owned());
                }
                None => {
                    assert_eq!(v["next_cursor"], Value::Null);
                    break;
                }
            }
            assert!(pages < 10, "paging does not end");
        }
        assert_eq!(pages, expected.div_ceil(3), "{filter}");
        let unique: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "someone came twice: {seen:?}");
        assert_eq!(seen.len(), expected, "{filter}");
    }
    // Exactly a page's worth: the one page is also the last.
    let v = s.api.get("/v1/users?mentor=true&limit=4", &me.token).await.expect(200);
    assert_eq!(v["users"].as_array().unwrap().len(), 4);
    assert_eq!(v["next_cursor"], Value::Null);
    let ids: BTreeSet<String> = people.values().map(|u| u.id.to_string()).collect();
    let all = s.api.get("/v1/users?limit=100", &me.token).await.expect(200);
    let listed: BTreeSet<String> = all["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["user_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, ids);
    s.server.stop().await;
}

async fn a_mentee_is_matched_with_mentors_best_first(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let mia = s
        .api
        .register_with(
            "mia",
            json!({"mentee_status": true, "skills": ["rust", "sql"], "interests": ["design"],
                   "industry": "Software", "state": "CA"}),
        )
        .await;
    let ann = s
        .api
        .register_with(
            "ann",
            json!({"mentor_status": true, "skills": ["rust", "sql", "go"], "industry": "Software",
                   "years_of_experience": 12, "state": "CA"}),
        )
        .await;
    s.api
        .register_with(
            "cat",
            json!({"mentor_status": true, "skills": ["sql"], "industry": "Finance", "years_of_experience": 3, "state": "NY"}),
        )
        .await;
    s.api.register_with("gus", json!({"mentor_status": true, "skills": ["cobol"]})).await;
    s.api
        .register_with(
            "ben",
            json!({"mentee_status": true, "skills": ["rust"], "interests": ["sql"]}),
        )
        .await;
    s.api.register_with("fay", json!({"skills": ["rust"]})).await;

    let v = s.api.get("/v1/matches", &mia.token).await.expect(200);
    let matches = v["matches"].as_array().unwrap();
    let names: Vec<&str> =
        matches.iter().map(|m| m["user"]["username"].as_str().unwrap()).collect();
    // Mentors only, and only those with something in common: gus (cobol, no industry, no
    // state) shares nothing with mia, and his experience alone is no reason to meet.
    assert_eq!(names.len(), 2, "mentors with something in common only: {names:?}");
    assert_eq!(names[0], "ann", "the strongest match first: {v}");
    assert_eq!(BTreeSet::from_iter(names.iter().copied()), BTreeSet::from(["ann", "cat"]));
    let scores: Vec<f64> = matches.iter().map(|m| m["score"].as_f64().unwrap()).collect();
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)), "{scores:?}");
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    assert!(scores[0] > scores[1]);
    for m in matches {
        assert_eq!(keys(&m["user"]), profile_keys(), "a match shows a Profile");
        assert_eq!(m["user"]["mentor_status"], true);
        assert!(m["reasons"].is_array());
    }
    let reasons: Vec<&str> =
        matches[0]["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(reasons.contains(&"2 shared skills: rust, sql"), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("Software")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("CA")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("12 years")), "{reasons:?}");
    let cat_reasons =
        matches.iter().find(|m| m["user"]["username"] == "cat").unwrap()["reasons"].clone();
    assert!(
        cat_reasons.as_array().unwrap().contains(&json!("1 shared skill: sql")),
        "{cat_reasons}"
    );

    let one = s.api.get("/v1/matches?limit=1", &mia.token).await.expect(200);
    assert_eq!(one["matches"].as_array().unwrap().len(), 1);
    assert_eq!(one["matches"][0]["user"]["username"], "ann");
    let a = s.api.get("/v1/matches?limit=0", &mia.token).await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.field("limit"), "out_of_range");

    // A mentor is shown mentees.
    let v = s.api.get("/v1/matches", &ann.token).await.expect(200);
    let matches = v["matches"].as_array().unwrap();
    let names: BTreeSet<&str> =
        matches.iter().map(|m| m["user"]["username"].as_str().unwrap()).collect();
    assert_eq!(names, BTreeSet::from(["ben", "mia"]), "mentees only: {v}");
    assert_eq!(matches[0]["user"]["username"], "mia", "mia shares more: {v}");
    assert!(matches.iter().all(|m| m["user"]["mentee_status"] == true));
    assert!(matches.iter().all(|m| (0.0..=1.0).contains(&m["score"].as_f64().unwrap())));
    let mia_reasons = &matches[0]["reasons"];
    assert!(
        mia_reasons.as_array().unwrap().contains(&json!("2 shared skills: rust, sql")),
        "{mia_reasons}"
    );
    assert!(matches.iter().all(|m| m["user"]["user_id"] != ann.id.to_string()));
    let a = s.api.call(Method::GET, "/v1/matches", None, None).await;
    assert_eq!(a.status, 401);
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    the_own_record_can_be_read_and_edited,
    bad_edits_are_refused_and_change_nothing,
    age_is_derived_from_the_date_of_birth,
    others_see_a_profile_without_private_fields,
    the_directory_filters,
    q_matches_skill_tags_not_their_storage_format,
    cursor_paging_yields_everyone_once,
    a_mentee_is_matched_with_mentors_best_first,
);
