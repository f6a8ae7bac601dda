//! The store against a hostile or careless world, over real HTTP on SQLite and PostgreSQL
//! (issue 11): search keys sized for their folded form (item 6), a sender's clock kept out of
//! the server's order (item 7), group deletes racing sends without a deadlock (item 8). The
//! columns SCHEMA.md leaves nullable (item 18) are in `store_nullable.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use lodestar_tests::{Api, Backend, TestServer, User};
use serde_json::{json, Value};
use uuid::Uuid;

/// "İ" (U+0130) lower-cases to two characters, "i" and U+0307: the longest fold there is.
const DOTTED: &str = "İ";

fn dotted(n: usize) -> String {
    DOTTED.repeat(n)
}

/// Every character lower-cases to at most two, and only U+0130 to two: a value of n
/// characters folds to at most 2n, which is what the search keys are sized for.
#[test]
fn the_longest_fold_doubles_and_only_dotted_i_does_it() {
    let longer: Vec<char> = (0..=char::MAX as u32)
        .filter_map(char::from_u32)
        .filter(|c| c.to_lowercase().count() > 1)
        .collect();
    assert_eq!(longer, ['\u{130}']);
    assert_eq!(dotted(100).to_lowercase().chars().count(), 200);
}

fn usernames(page: &Value) -> Vec<String> {
    let mut names: Vec<String> = page["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

/// A directory search for `query` (already URL-safe or encoded here).
async fn directory(api: &Api, user: &User, query: &[(&str, &str)]) -> Vec<String> {
    let url = reqwest::Url::parse_with_params(&format!("{}/v1/users", api.base), query).unwrap();
    let path = &url.as_str()[api.base.len()..];
    usernames(&api.get(path, &user.token).await.expect(200))
}

/// The longest fold of every field the directory keys on (industry, job title, bio and skills
/// in the search text, the tags) is stored through registration and through a profile edit, and
/// found again; usernames and emails are ASCII by rule, their longest values fold in place.
async fn longest_folds_of_every_keyed_field_are_stored_and_found(backend: Backend) {
    let server = TestServer::spawn(backend).await;
    let api = &server.api;
    // Tags are counted after folding (protocol rules), so 20 × "İ" is the longest fold a tag
    // takes: 40 characters.
    let tags: Vec<String> = ('a'..='z').take(26).map(|c| format!("{}{c}", dotted(19))).collect();
    let longest = json!({
        "industry": dotted(100),
        "job_title": dotted(100),
        "bio": dotted(2_000),
        "city": dotted(26),
        "skills": tags,
        "interests": tags,
    });
    let registered = api.register_with("dotted_reg", longest.clone()).await;
    let edited = api.register("dotted_edit").await;
    let me = api.patch("/v1/me", &edited.token, longest.clone()).await.expect(200);
    assert_eq!(me["industry"], dotted(100), "the industry is kept as typed");
    assert_eq!(me["job_title"], dotted(100));
    let folded_tags: Vec<String> = tags.iter().map(|t| t.to_lowercase()).collect();
    assert_eq!(me["skills"], json!(folded_tags));

    // 16 letters and 100 characters of upper-case ASCII fold to as many.
    let long_email = format!("{}@{}.com", "A".repeat(64), "B".repeat(31));
    assert_eq!(long_email.len(), 100);
    let shouty = api
        .call(
            reqwest::Method::POST,
            "/v1/auth/register",
            None,
            Some(json!({"username": "ABCDEFGHIJKLMNOP", "email": long_email,
                "password": lodestar_tests::PASSWORD, "date_of_birth": lodestar_tests::DOB,
                "industry": dotted(100)})),
        )
        .await
        .expect(201);
    assert_eq!(shouty["user"]["username"], "abcdefghijklmnop");
    let login = json!({"login": long_email.to_lowercase(), "password": lodestar_tests::PASSWORD});
    api.call(reqwest::Method::POST, "/v1/auth/login", None, Some(login)).await.expect(200);

    let all = ["abcdefghijklmnop", "dotted_edit", "dotted_reg"];
    let by_industry = directory(api, &registered, &[("industry", &dotted(100))]).await;
    assert_eq!(by_industry, all, "the industry as typed finds every holder");
    let folded = dotted(100).to_lowercase();
    assert_eq!(directory(api, &registered, &[("industry", &folded)]).await, all);
    let by_title = directory(api, &registered, &[("q", &dotted(100))]).await;
    assert_eq!(by_title, ["dotted_edit", "dotted_reg"], "the job title and bio are searched");
    let by_skill = directory(api, &registered, &[("skill", &tags[25])]).await;
    assert_eq!(by_skill, ["dotted_edit", "dotted_reg"]);
    let by_name = directory(api, &registered, &[("q", "ABCDEFGHIJKLMNOP")]).await;
    assert_eq!(by_name, ["abcdefghijklmnop"]);
}

fn send_body(conversation: Uuid, text: &str, sent_at: &str) -> Value {
    json!({"message_id": Uuid::new_v4(), "conversation_id": conversation, "content": text,
        "sent_at": sent_at})
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

fn conversation_order(list: &Value) -> Vec<Uuid> {
    list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["conversation_id"].as_str().unwrap().parse().unwrap())
        .collect()
}

/// A `sent_at` beyond the clock skew is dated at acceptance, a past one stays, and the list of
/// conversations follows the server's acceptance order, never `sent_at`.
async fn a_senders_clock_never_orders_the_server(backend: Backend) {
    let server = TestServer::spawn(backend).await;
    let api = &server.api;
    let (ann, ben, cat, dan) = (
        api.register("ann").await,
        api.register("ben").await,
        api.register("cat").await,
        api.register("dan").await,
    );
    let ab = api.direct(&ben, &ann).await;
    let ac = api.direct(&cat, &ann).await;

    let before = Utc::now();
    let far = send_body(ab, "from the year 9999", "9999-01-01T00:00:00Z");
    let pinned = api.post("/v1/messages", &ben.token, far.clone()).await.expect(201);
    let after = Utc::now();
    let stamped = time(&pinned["sent_at"]);
    assert!(
        stamped >= before - TimeDelta::seconds(1) && stamped <= after + TimeDelta::seconds(1),
        "a year-9999 sent_at is dated at acceptance, got {stamped}"
    );
    let again = api.post("/v1/messages", &ben.token, far).await.expect(200);
    assert_eq!(again, pinned, "a retry answers the stored (clamped) message");

    // Whole seconds: the server keeps microseconds.
    let skewed_at = (Utc::now() + TimeDelta::minutes(2)).trunc_subsecs(0);
    let skewed = send_body(ab, "a fast clock", &skewed_at.to_rfc3339());
    let skewed = api.post("/v1/messages", &ben.token, skewed).await.expect(201);
    assert_eq!(time(&skewed["sent_at"]), skewed_at, "a few minutes of clock skew stay");

    let offline = send_body(ac, "written offline", "2020-01-01T00:00:00Z");
    let offline = api.post("/v1/messages", &cat.token, offline).await.expect(201);
    assert_eq!(offline["sent_at"], "2020-01-01T00:00:00Z", "a past sent_at stays");
    let list = api.get("/v1/conversations", &ann.token).await.expect(200);
    assert_eq!(conversation_order(&list), [ac, ab], "accepted last, listed first");
    // The earliest times the wire format can carry are kept too (PostgreSQL's range is wider).
    for earliest in ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z"] {
        let ancient = send_body(ab, "ancient", earliest);
        let ancient = api.post("/v1/messages", &ben.token, ancient).await.expect(201);
        assert_eq!(ancient["sent_at"], earliest);
    }
    let offline = send_body(ac, "written offline, again", "2020-01-01T00:00:01Z");
    api.post("/v1/messages", &cat.token, offline).await.expect(201);

    // A newer conversation without messages, then a message in the oldest one.
    let ad = api.direct(&dan, &ann).await;
    let list = api.get("/v1/conversations", &ann.token).await.expect(200);
    assert_eq!(conversation_order(&list), [ad, ac, ab]);
    let old = send_body(ab, "back in the old one", "2021-06-01T00:00:00Z");
    api.post("/v1/messages", &ann.token, old).await.expect(201);
    let list = api.get("/v1/conversations", &ann.token).await.expect(200);
    assert_eq!(conversation_order(&list), [ab, ad, ac]);

    // What sync hands the other members is the stored time, not the sender's.
    let (changes, _) = api.sync_all(&ann, None, 500).await;
    let synced = changes
        .iter()
        .find(|c| c["kind"] == "message" && c["data"]["message_id"] == pinned["message_id"])
        .unwrap();
    assert_eq!(synced["data"]["sent_at"], pinned["sent_at"]);
}

/// How long one round of the delete race may take before it counts as a deadlock.
const ROUND_LIMIT: Duration = Duration::from_secs(30);

/// Senders keep posting into a group (and reading and editing it) while its owner deletes it:
/// locks taken in one order everywhere mean no request fails (no 500 from a deadlock abort)
/// and every round finishes well within its time.
async fn deleting_a_group_while_its_members_post_never_deadlocks(backend: Backend) {
    let server = TestServer::spawn(backend).await;
    let api = &server.api;
    let owner = api.register("owner").await;
    let mut members = Vec::new();
    for i in 0..4 {
        members.push(api.register(&format!("member{i}")).await);
    }
    let ids: Vec<Uuid> = members.iter().map(|m| m.id).collect();
    let rounds = 25;
    for round in 0..rounds {
        let group = api
            .post("/v1/groups", &owner.token, json!({"group_name": "race", "member_ids": ids}))
            .await
            .expect(201);
        let gid = group["group_id"].as_str().unwrap().to_owned();
        let conv: Uuid = group["conversation_id"].as_str().unwrap().parse().unwrap();
        let mut tasks = tokio::task::JoinSet::new();
        for (i, member) in members.iter().cloned().enumerate() {
            let api = api.clone();
            let gid = gid.clone();
            tasks.spawn(async move { post_until_gone(&api, &member, &gid, conv, i).await });
        }
        let (api2, owner2, gid2) = (api.clone(), owner.clone(), gid.clone());
        tasks.spawn(async move {
            // Let the senders get going, by a different margin each round.
            tokio::time::sleep(Duration::from_millis(5 + (round * 7 % 40) as u64)).await;
            let renamed = json!({"group_name": format!("race {round}")});
            let patched = api2.patch(&format!("/v1/groups/{gid2}"), &owner2.token, renamed).await;
            assert!(matches!(patched.status.as_u16(), 200 | 404), "{}", patched.body);
            api2.delete(&format!("/v1/groups/{gid2}"), &owner2.token).await.expect(204);
        });
        let finished = tokio::time::timeout(ROUND_LIMIT, async {
            while let Some(done) = tasks.join_next().await {
                done.expect("a racer panicked");
            }
        })
        .await;
        assert!(finished.is_ok(), "round {round} did not finish within {ROUND_LIMIT:?}");
        api.get(&format!("/v1/groups/{gid}"), &owner.token).await.expect(404);
    }
}

/// Posts, reads what the others posted, and (the last member) leaves, until the group is gone.
async fn post_until_gone(api: &Api, member: &User, gid: &str, conv: Uuid, i: usize) {
    let mut mine = Vec::new();
    for n in 0..400 {
        if i == 3 && n == 8 {
            let path = format!("/v1/groups/{gid}/members/{}", member.id);
            let left = api.delete(&path, &member.token).await;
            assert!(matches!(left.status.as_u16(), 204 | 404), "{}", left.body);
            return;
        }
        let body = json!({"message_id": Uuid::new_v4(), "conversation_id": conv,
            "content": format!("{i}:{n}")});
        let sent = api.post("/v1/messages", &member.token, body).await;
        match sent.status.as_u16() {
            201 => mine.push(sent.body["message_id"].clone()),
            404 => return,
            other => panic!("a send during the delete answered {other}: {}", sent.body),
        }
        if n % 5 == 4 {
            let page = api.get(&format!("/v1/conversations/{conv}/messages"), &member.token).await;
            if page.status == 404 {
                return;
            }
            let others: Vec<Value> = page.body["messages"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["sender_id"] != json!(member.id))
                .map(|m| m["message_id"].clone())
                .collect();
            let read = api.post("/v1/read", &member.token, json!({"message_ids": others})).await;
            assert!(matches!(read.status.as_u16(), 204 | 404), "{}", read.body);
        }
    }
    panic!("the group was never deleted ({} messages sent)", mine.len());
}

lodestar_tests::on_both_backends!(
    longest_folds_of_every_keyed_field_are_stored_and_found,
    a_senders_clock_never_orders_the_server,
    deleting_a_group_while_its_members_post_never_deadlocks,
);
