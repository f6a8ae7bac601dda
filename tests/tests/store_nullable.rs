//! The ten columns SCHEMA.md leaves nullable are nullable on both backends (issue 11, item 18),
//! and a NULL written straight into the database (an import, a hand edit) is read as the
//! column's neutral value by every route: false, [], `member`, the epoch for a time.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use lodestar_protocol::{direct_conversation_id, group_conversation_id};
use lodestar_tests::{Backend, Database, TestServer};
use serde_json::{json, Value};
use sqlx::Connection;
use uuid::Uuid;

/// A direct connection to a test server's database, beside the server.
enum Db {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Db {
    async fn open(server: &TestServer) -> Db {
        Db::connect(&server.db.url).await
    }

    /// How many rows `table` holds.
    async fn count(&mut self, table: &str) -> i64 {
        let sql = format!("SELECT count(*) FROM {table}");
        match self {
            Db::Sqlite(c) => sqlx::query_scalar(&sql).fetch_one(&mut *c).await.unwrap(),
            Db::Postgres(c) => sqlx::query_scalar(&sql).fetch_one(&mut *c).await.unwrap(),
        }
    }

    /// Connects to `url`, creating a SQLite file that is not there yet.
    async fn connect(url: &str) -> Db {
        if url.starts_with("sqlite:") {
            let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                .unwrap()
                .create_if_missing(true)
                .foreign_keys(true);
            Db::Sqlite(sqlx::SqliteConnection::connect_with(&options).await.unwrap())
        } else {
            Db::Postgres(sqlx::PgConnection::connect(url).await.unwrap())
        }
    }
}

/// Runs one statement with its binds on either backend; answers the rows it touched.
macro_rules! exec {
    ($db:expr, $sql:expr $(, $bind:expr)* $(,)?) => {
        match &mut $db {
            Db::Sqlite(c) => sqlx::query($sql)$(.bind($bind))*.execute(&mut *c).await.map(|r| r.rows_affected()),
            Db::Postgres(c) => sqlx::query($sql)$(.bind($bind))*.execute(&mut *c).await.map(|r| r.rows_affected()),
        }
        .unwrap_or_else(|e| panic!("{}: {e}", $sql))
    };
}

const EPOCH: &str = "1970-01-01T00:00:00Z";

async fn nulls_in_every_nullable_column_read_back_on_every_route(backend: Backend) {
    let server = TestServer::spawn(backend).await;
    let api = &server.api;
    let extra = json!({"mentor_status": true, "skills": ["rust"], "interests": ["chess"]});
    let ann = api.register_with("ann", extra).await;
    let ben = api.register("ben").await;
    let cat = api.register("cat").await;
    let ab = api.direct(&ann, &ben).await;
    let group = api
        .post("/v1/groups", &ann.token, json!({"group_name": "circle", "member_ids": [ben.id]}))
        .await
        .expect(201);
    let gid: Uuid = group["group_id"].as_str().unwrap().parse().unwrap();
    let gc: Uuid = group["conversation_id"].as_str().unwrap().parse().unwrap();
    let member = json!({"role": "admin"});
    api.patch(&format!("/v1/groups/{gid}/members/{}", ben.id), &ann.token, member)
        .await
        .expect(200);
    let m1 = api.send(&ann, ab, "hello ben").await;
    let m2 = api.send(&ann, gc, "hello circle").await;
    let m1_id: Uuid = m1["message_id"].as_str().unwrap().parse().unwrap();
    let m2_id: Uuid = m2["message_id"].as_str().unwrap().parse().unwrap();
    api.post("/v1/read", &ben.token, json!({"message_ids": [m1_id, m2_id]})).await.expect(204);

    // NULL into each of the ten columns, by UPDATE of what the server wrote and by INSERT.
    let mut db = Db::open(&server).await;
    let all_users = "UPDATE users SET mentor_status = NULL, mentee_status = NULL, skills = NULL, \
                     interests = NULL, created_at = NULL";
    assert_eq!(exec!(db, all_users), 3);
    assert_eq!(exec!(db, "UPDATE groups SET members = NULL"), 1);
    let ben_role = "UPDATE group_members SET role = NULL WHERE user_id = $1";
    assert_eq!(exec!(db, ben_role, ben.id), 1);
    assert_eq!(exec!(db, "UPDATE group_members SET joined_at = NULL"), 2);
    assert_eq!(exec!(db, "UPDATE conversations SET created_at = NULL"), 2);
    assert_eq!(exec!(db, "UPDATE message_read_status SET read_at = NULL"), 2);
    let nul = Uuid::new_v4();
    let dob = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    exec!(
        db,
        "INSERT INTO users (user_id, username, email, password_hash, date_of_birth, mentor_status, \
         mentee_status, skills, interests, created_at, search_text) \
         VALUES ($1, 'nul', 'nul@example.com', 'x', $2, NULL, NULL, NULL, NULL, NULL, 'nul')",
        nul,
        dob,
    );
    let an = direct_conversation_id(ann.id, nul);
    let conv = "INSERT INTO conversations (conversation_id, type, group_id, created_at) \
                VALUES ($1, 'DIRECT', NULL, NULL)";
    exec!(db, conv, an);
    for user in [ann.id, nul] {
        let p = "INSERT INTO direct_conversation_participants (conversation_id, user_id) VALUES ($1, $2)";
        exec!(db, p, an, user);
    }
    let joined = "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ($1, $2, NULL, NULL)";
    exec!(db, joined, gid, nul);
    let read =
        "INSERT INTO message_read_status (message_id, user_id, read_at) VALUES ($1, $2, NULL)";
    exec!(db, read, m2_id, nul);

    // Every route that reads them.
    let me = api.get("/v1/me", &ann.token).await.expect(200);
    assert_eq!(
        (&me["mentor_status"], &me["mentee_status"], &me["skills"], &me["interests"]),
        (&json!(false), &json!(false), &json!([]), &json!([]))
    );
    assert_eq!(me["created_at"], EPOCH);
    let profile = api.get(&format!("/v1/users/{nul}"), &ann.token).await.expect(200);
    assert_eq!((&profile["username"], &profile["created_at"]), (&json!("nul"), &json!(EPOCH)));
    let names = |v: &Value| -> Vec<String> {
        v["users"].as_array().unwrap().iter().map(|u| u["username"].to_string()).collect()
    };
    let directory = api.get("/v1/users", &ann.token).await.expect(200);
    assert_eq!(names(&directory).len(), 4);
    let not_mentors = api.get("/v1/users?mentor=false", &ann.token).await.expect(200);
    assert_eq!(names(&not_mentors).len(), 4, "a NULL status is false, in the filter too");
    api.get("/v1/matches", &ann.token).await.expect(200);
    api.get("/v1/matches", &ben.token).await.expect(200);

    let list = api.get("/v1/conversations", &ann.token).await.expect(200);
    let listed = list["conversations"].as_array().unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|c| c["created_at"] == EPOCH));
    for id in [ab, gc, an] {
        api.get(&format!("/v1/conversations/{id}"), &ann.token).await.expect(200);
        api.get(&format!("/v1/conversations/{id}/messages"), &ann.token).await.expect(200);
    }
    let g = api.get(&format!("/v1/groups/{gid}"), &ben.token).await.expect(200);
    let roles: Vec<(String, String, String)> = g["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let s = |k: &str| m[k].as_str().unwrap().to_owned();
            (s("user_id"), s("role"), s("joined_at"))
        })
        .collect();
    assert!(roles.contains(&(ben.id.to_string(), "member".into(), EPOCH.into())), "{roles:?}");
    assert!(roles.contains(&(nul.to_string(), "member".into(), EPOCH.into())), "{roles:?}");
    let reads = api.get(&format!("/v1/messages/{m2_id}/reads"), &ann.token).await.expect(200);
    let read_at: Vec<&Value> =
        reads["reads"].as_array().unwrap().iter().map(|r| &r["read_at"]).collect();
    assert_eq!(read_at, [&json!(EPOCH), &json!(EPOCH)]);
    for user in [&ann, &ben] {
        api.sync_all(user, None, 100).await;
    }

    // And the writes that read them back first.
    api.post("/v1/read", &ben.token, json!({"message_ids": [m1_id, m2_id]})).await.expect(204);
    api.post("/v1/read", &ann.token, json!({"message_ids": [m2_id]})).await.expect(204);
    api.patch("/v1/me", &ann.token, json!({"bio": "still here"})).await.expect(200);
    let opened = api.post("/v1/conversations/direct", &ann.token, json!({"user_id": nul})).await;
    assert_eq!(opened.expect(200)["conversation_id"], json!(an));
    api.direct(&cat, &ben).await;
    let rename = json!({"group_name": "circle two"});
    api.patch(&format!("/v1/groups/{gid}"), &ann.token, rename).await.expect(200);
    let add = json!({"user_id": cat.id, "role": "member"});
    api.post(&format!("/v1/groups/{gid}/members"), &ann.token, add).await.expect(201);
    api.sync_all(&cat, None, 100).await;
    api.delete(&format!("/v1/groups/{gid}/members/{nul}"), &ann.token).await.expect(204);
    api.send(&ben, gc, "and back to normal").await;
    api.get("/v1/conversations", &ben.token).await.expect(200);
    api.delete(&format!("/v1/groups/{gid}"), &ann.token).await.expect(204);
}

/// The migrations before 0004, from this repository, in a folder of their own.
async fn migrations_before_0004(backend: Backend) -> (tempfile::TempDir, sqlx::migrate::Migrator) {
    let name = match backend {
        Backend::Sqlite => "server-sqlite",
        Backend::Postgres => "server-postgres",
    };
    let all = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(name);
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(all).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_owned();
        if file.as_str() < "0004" {
            std::fs::copy(&path, dir.path().join(file)).unwrap();
        }
    }
    let migrator = sqlx::migrate::Migrator::new(dir.path()).await.unwrap();
    assert_eq!(migrator.iter().count(), 3);
    (dir, migrator)
}

/// A database written before migration 0004 (every table holding rows that refer to each
/// other) comes through it with every row, foreign key and cascade: rebuilding the tables under
/// SQLite's enforced foreign keys would have deleted them.
async fn a_database_from_before_0004_keeps_its_rows_and_keys(backend: Backend) {
    let db = Database::fresh(backend).await;
    let (_dir, before) = migrations_before_0004(backend).await;
    let mut conn = Db::connect(&db.url).await;
    match &mut conn {
        Db::Sqlite(c) => before.run(&mut *c).await.unwrap(),
        Db::Postgres(c) => before.run(&mut *c).await.unwrap(),
    }
    let at = Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).unwrap();
    let dob = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let (ann, ben, gid, m1, m2) =
        (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let (ab, gc) = (direct_conversation_id(ann, ben), group_conversation_id(gid));
    for (id, name) in [(ann, "ann"), (ben, "ben")] {
        let user = "INSERT INTO users (user_id, username, email, password_hash, date_of_birth, \
                    mentor_status, skills, created_at, search_text) \
                    VALUES ($1, $2, $3, 'x', $4, TRUE, '[\"rust\"]', $5, $2)";
        exec!(conn, user, id, name, format!("{name}@example.com"), dob, at);
    }
    let group = "INSERT INTO groups (group_id, group_name, created_by, created_at, members) \
                 VALUES ($1, 'circle', $2, $3, '[]')";
    exec!(conn, group, gid, ann, at);
    let member =
        "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)";
    exec!(conn, member, gid, ann, "owner", at);
    exec!(conn, member, gid, ben, "member", at);
    let conv = "INSERT INTO conversations (conversation_id, type, group_id, created_at) VALUES ($1, $2, $3, $4)";
    exec!(conn, conv, ab, "DIRECT", None::<Uuid>, at);
    exec!(conn, conv, gc, "GROUP", Some(gid), at);
    let part =
        "INSERT INTO direct_conversation_participants (conversation_id, user_id) VALUES ($1, $2)";
    exec!(conn, part, ab, ann);
    exec!(conn, part, ab, ben);
    let message =
        "INSERT INTO messages (message_id, conversation_id, sender_id, content, sent_at, seq) \
                   VALUES ($1, $2, $3, 'hello', $4, $5)";
    exec!(conn, message, m1, ab, ben, at, 1_i64);
    exec!(conn, message, m2, gc, ann, at, 2_i64);
    exec!(conn, "UPDATE seq_counter SET value = 2");
    let read = "INSERT INTO message_read_status (message_id, user_id, read_at) VALUES ($1, $2, $3)";
    exec!(conn, read, m1, ann, at);
    exec!(conn, read, m2, ben, at);
    let token = "a token from before the upgrade";
    let session = "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
    let expires = Utc::now() + chrono::TimeDelta::days(1);
    exec!(conn, session, lodestar_server::auth::token_hash(token), ann, at, expires);
    drop(conn);

    // The server runs 0004 and the rest.
    let server = TestServer::spawn_on(Arc::new(db)).await;
    let mut conn = Db::open(&server).await;
    for (table, rows) in [
        ("users", 2),
        ("groups", 1),
        ("group_members", 2),
        ("conversations", 2),
        ("direct_conversation_participants", 2),
        ("messages", 2),
        ("message_read_status", 2),
        ("sessions", 1),
    ] {
        assert_eq!(conn.count(table).await, rows, "{table} after the upgrade");
    }
    let api = &server.api;
    let me = api.get("/v1/me", token).await.expect(200);
    assert_eq!(
        (&me["username"], &me["mentor_status"], &me["skills"]),
        (&json!("ann"), &json!(true), &json!(["rust"]))
    );
    let list = api.get("/v1/conversations", token).await.expect(200);
    assert_eq!(list["conversations"].as_array().unwrap().len(), 2);
    let g = api.get(&format!("/v1/groups/{gid}"), token).await.expect(200);
    assert_eq!(g["members"].as_array().unwrap().len(), 2);
    let reads = api.get(&format!("/v1/messages/{m2}/reads"), token).await.expect(200);
    assert_eq!(reads["reads"][0]["read_at"], json!(at));

    // The cascades still hold: a group's delete takes its conversation, messages, reads and
    // members with it, and nothing else.
    api.delete(&format!("/v1/groups/{gid}"), token).await.expect(204);
    let mut after = Vec::new();
    for table in ["messages", "message_read_status", "group_members", "conversations", "sessions"] {
        after.push(conn.count(table).await);
    }
    assert_eq!(after, [1, 1, 0, 1, 1], "messages, reads, members, conversations, sessions");
    if let Db::Sqlite(c) = &mut conn {
        let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut *c).await.unwrap();
        assert!(broken.is_empty(), "{} rows break a foreign key", broken.len());
    }
}

lodestar_tests::on_both_backends!(
    nulls_in_every_nullable_column_read_back_on_every_route,
    a_database_from_before_0004_keeps_its_rows_and_keys,
);
