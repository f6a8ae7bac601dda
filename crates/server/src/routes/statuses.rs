//! The error statuses a route answers because of what it takes in and the layers around it,
//! added to every operation of the OpenAPI document from the operation's own shape.
//!
//! A route that reads a JSON body answers 400, 413 and 422 from [`crate::extract::Body`]
//! whatever its handler does; one behind a bearer token answers 401 from
//! [`crate::extract::Caller`]; one with a path id answers 404 from [`crate::extract::Id`]; one
//! with a query answers 400 from [`crate::extract::QueryOf`] and 422 when a value is out of range;
//! and every route answers 408, 413 and 503 from the layers of `lib.rs` and `serve.rs`. Each
//! route's `#[utoipa::path]` lists only what its handler adds (403, 404 for a missing thing,
//! 409, 429, ...), so no route can forget a status its extractors answer, and a new extractor is
//! documented here once. Every 429 and 503, listed here or by a route, says that it carries
//! `Retry-After`.

use utoipa::openapi::header::Header;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, Object, OpenApi, Ref, RefOr, ResponseBuilder, Type};

/// Adds to every operation of `doc` the error statuses its shape implies, unless it lists them.
pub(crate) fn complete(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            for (status, description) in implied(operation) {
                let response = ResponseBuilder::new()
                    .description(description)
                    .content("application/json", error_body())
                    .build();
                operation.responses.responses.entry(status.to_string()).or_insert(response.into());
            }
            for (status, response) in operation.responses.responses.iter_mut() {
                if let ("429" | "503", RefOr::T(response)) = (status.as_str(), response) {
                    response.headers.entry("Retry-After".to_owned()).or_insert_with(retry_after);
                }
            }
        }
    }
}

/// The statuses `operation` can answer before (or around) its handler, with why.
fn implied(operation: &Operation) -> Vec<(u16, &'static str)> {
    let mut statuses = vec![
        (408, "The request, its body included, took longer than the server waits"),
        (413, "The request body is over 64 KiB"),
        (503, "Too many requests in flight; nothing was done; see Retry-After"),
    ];
    if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
        statuses.push((401, "The bearer token is missing, unknown, revoked or expired"));
    }
    if operation.request_body.is_some() {
        statuses.push((400, "The body is not a JSON object, or a field has the wrong type"));
        statuses.push((422, "A value breaks a rule, or a field is missing or unknown"));
    }
    let parameters = operation.parameters.iter().flatten();
    let mut places = parameters.map(|p| &p.parameter_in);
    if places.clone().any(|p| matches!(p, ParameterIn::Query)) {
        statuses.push((400, "A query parameter has the wrong type"));
        statuses.push((422, "A query parameter breaks a rule (out of range, not a cursor)"));
    }
    if places.any(|p| matches!(p, ParameterIn::Path)) {
        statuses.push((404, "No such thing, or not the caller's to see"));
    }
    statuses
}

/// The error body of API.md, by reference.
fn error_body() -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build()
}

/// `Retry-After`: seconds until a retry may succeed.
fn retry_after() -> Header {
    let mut header = Header::new(Object::with_type(Type::Integer));
    header.description = Some("Seconds until a retry may succeed".to_owned());
    header
}
