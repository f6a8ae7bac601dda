//! What the OpenAPI fuzzer (`scripts/fuzz.sh`, schemathesis) found, kept as tests that run
//! without it: statuses the document did not list, a request schema no value satisfies, and
//! the server behaviour behind them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use lodestar_tests::{Backend, TestServer, DOB, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

/// Every operation of the document: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            if ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
                .contains(&method.as_str())
            {
                out.push((method.clone(), path.clone(), operation.clone()));
            }
        }
    }
    out
}

fn parameters_in<'a>(operation: &'a Value, place: &'a str) -> impl Iterator<Item = &'a Value> {
    operation["parameters"].as_array().into_iter().flatten().filter(move |p| p["in"] == place)
}

fn documented(operation: &Value, status: u16) -> bool {
    operation["responses"].get(status.to_string()).is_some()
}

async fn document(s: &TestServer) -> Value {
    s.api.call(Method::GET, "/v1/openapi.json", None, None).await.expect(200)
}

/// The first fuzzer run found 20 routes answering 400, 401, 413 or 422 that their entry did not
/// list: each status an operation's inputs can cause must be there, with the error body.
async fn every_operation_lists_the_statuses_its_inputs_answer(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let doc = document(&s).await;
    for (method, path, op) in operations(&doc) {
        let mut expected = vec![408, 413, 503];
        if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
            expected.push(401);
        }
        if op.get("requestBody").is_some() {
            expected.extend([400, 422]);
        }
        if parameters_in(&op, "query").next().is_some() {
            expected.extend([400, 422]);
        }
        if parameters_in(&op, "path").next().is_some() {
            expected.push(404);
        }
        for status in expected {
            assert!(documented(&op, status), "{method} {path} does not list {status}");
        }
        for (status, response) in op["responses"].as_object().unwrap() {
            if status.starts_with('4') || status.starts_with('5') {
                let schema = &response["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(schema, "#/components/schemas/ErrorBody", "{method} {path} {status}");
            }
            if status == "429" || status == "503" {
                assert!(
                    response["headers"].get("Retry-After").is_some(),
                    "{method} {path} {status} does not say it carries Retry-After"
                );
            }
        }
    }
    s.server.stop().await;
}

/// `RegisterRequest` was `allOf: [ProfileFields (no other property allowed), {username, ...
/// required}]`: no object satisfies both. No schema may forbid a property that another part of
/// the same `allOf` requires or defines.
async fn no_schema_forbids_what_its_own_parts_define(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let doc = document(&s).await;
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let resolve = |v: &Value| -> Value {
        match v["$ref"].as_str() {
            Some(r) => schemas[r.trim_start_matches("#/components/schemas/")].clone(),
            None => v.clone(),
        }
    };
    for (name, schema) in schemas {
        let Some(parts) = schema["allOf"].as_array() else { continue };
        let parts: Vec<Value> = parts.iter().map(resolve).collect();
        let defined: Vec<&String> = parts
            .iter()
            .filter_map(|p| p["properties"].as_object())
            .flat_map(|p| p.keys())
            .collect();
        for part in parts.iter().filter(|p| p["additionalProperties"] == false) {
            let own = part["properties"].as_object().cloned().unwrap_or_default();
            for property in &defined {
                assert!(
                    own.contains_key(*property),
                    "{name}: a part of its allOf forbids `{property}`, which another part defines"
                );
            }
        }
    }
    s.server.stop().await;
}

/// Registration dropped unknown fields silently (a misspelled `phone_numbr` vanished) while
/// every other body refuses them: it now answers 422 naming the field, like the others.
async fn registration_refuses_unknown_fields(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let body = json!({
        "username": "ann", "email": "ann@example.com", "password": PASSWORD,
        "date_of_birth": DOB, "city": "Austin", "phone_numbr": "+15550100",
    });
    let a = s.api.call(Method::POST, "/v1/auth/register", None, Some(body.clone())).await;
    assert_eq!((a.status.as_u16(), a.field("phone_numbr")), (422, "unknown"), "{}", a.body);
    let mut good = body;
    good.as_object_mut().unwrap().remove("phone_numbr");
    let me = s.api.call(Method::POST, "/v1/auth/register", None, Some(good)).await.expect(201);
    assert_eq!(me["user"]["city"], "Austin", "the flattened profile fields still arrive");
    s.server.stop().await;
}

/// A small fuzzer of its own: every operation, sent a missing token, a body that is not JSON,
/// a JSON body that is not an object, an id that is not one and query values of the wrong type
/// or range, answers only statuses its entry lists (and never 5xx, which the harness checks).
async fn malformed_requests_answer_only_documented_statuses(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ann = s.api.register("ann").await;
    let doc = document(&s).await;
    let bad_ids = ["not-an-id", "00000000-0000-0000-0000-000000000000"];
    for (method, path, op) in operations(&doc) {
        if path == "/v1/auth/logout" {
            continue; // it would revoke the token the other cases use; http_auth covers it
        }
        let method: Method = method.to_uppercase().parse().unwrap();
        let mut cases: Vec<(String, Option<&str>, Vec<u8>)> = Vec::new();
        for id in bad_ids {
            let mut filled = path.clone();
            for p in parameters_in(&op, "path") {
                filled = filled.replace(&format!("{{{}}}", p["name"].as_str().unwrap()), id);
            }
            cases.push((filled.clone(), None, Vec::new()));
            cases.push((filled.clone(), Some(&ann.token), b"{\"a\": ".to_vec()));
            cases.push((filled.clone(), Some(&ann.token), b"[1, 2]".to_vec()));
            cases.push((filled.clone(), Some(&ann.token), b"{}".to_vec()));
            for q in parameters_in(&op, "query") {
                let name = q["name"].as_str().unwrap();
                for value in ["x", "-1", "0", "99999999999999999999", "%FF"] {
                    cases.push((format!("{filled}?{name}={value}"), Some(&ann.token), Vec::new()));
                }
            }
        }
        for (url, token, body) in cases {
            let a = s.api.raw(method.clone(), &url, token, body.clone()).await;
            assert!(
                documented(&op, a.status.as_u16()),
                "{method} {url} with body {:?} answered {}, which {path} does not list: {}",
                String::from_utf8_lossy(&body),
                a.status,
                a.body
            );
        }
    }
    s.server.stop().await;
}

/// The fuzzer's first run on PostgreSQL (before control characters were refused in the
/// protocol's rules): `GET /v1/users?q=<a NUL>` answered 500 (PostgreSQL refuses 0x00 in text),
/// and so did `username`, `industry` and `cursor`, and a login naming one. Every text a query
/// or a body carries to the database answers 422 for it on both backends.
async fn nul_characters_in_queries_and_logins_are_refused_not_500(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ann = s.api.register("ann").await;
    for param in ["q", "username", "skill", "industry", "state", "cursor"] {
        for value in ["%00", "a%00b"] {
            let a = s.api.get(&format!("/v1/users?{param}={value}"), &ann.token).await;
            assert_eq!(a.status, 422, "{param}={value}: {}", a.body);
        }
    }
    let body = json!({"login": "a\u{0}b", "password": PASSWORD});
    let a = s.api.call(Method::POST, "/v1/auth/login", None, Some(body)).await;
    assert_eq!(a.status, 422, "{}", a.body);
    s.server.stop().await;
}

/// The fuzzer mostly sent `limit`s the server refuses: the document did not say the bounds.
/// Every integer query parameter with bounds in the document is accepted at them and refused
/// (422 naming it) just past them, so the document and the server say the same.
async fn documented_query_bounds_are_the_servers(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ann = s.api.register("ann").await;
    let bob = s.api.register("bob").await;
    let conversation = s.api.direct(&ann, &bob).await;
    let doc = document(&s).await;
    let mut bounded = 0;
    for (method, path, op) in operations(&doc) {
        if method != "get" || path == "/v1/events" {
            continue;
        }
        let path = path.replace("{id}", &conversation.to_string());
        for q in parameters_in(&op, "query") {
            let name = q["name"].as_str().unwrap();
            let schema = &q["schema"];
            for (bound, step) in [("minimum", -1), ("maximum", 1)] {
                let Some(edge) = schema[bound].as_i64() else { continue };
                bounded += 1;
                let a = s.api.get(&format!("{path}?{name}={edge}"), &ann.token).await;
                assert_eq!(a.status, 200, "{path}?{name}={edge} ({bound}): {}", a.body);
                let past = edge + step;
                let a = s.api.get(&format!("{path}?{name}={past}"), &ann.token).await;
                assert_eq!(
                    (a.status.as_u16(), a.field(name)),
                    (422, "out_of_range"),
                    "{path}?{name}={past}"
                );
            }
        }
    }
    assert!(bounded >= 9, "only {bounded} documented bounds");
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    documented_query_bounds_are_the_servers,
    nul_characters_in_queries_and_logins_are_refused_not_500,
    every_operation_lists_the_statuses_its_inputs_answer,
    no_schema_forbids_what_its_own_parts_define,
    registration_refuses_unknown_fields,
    malformed_requests_answer_only_documented_statuses,
);
