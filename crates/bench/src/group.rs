//! Group "group": a cohort group whose history runs to a million messages (`--quick`: 20,000).
//!
//! A real server (`TestServer` on SQLite, loopback HTTP) holds a group of three whose
//! conversation is seeded through the store ([`seed_messages`], as the first-sync group's is).
//! Then, over HTTP:
//! - the add: `POST /v1/groups/{id}/members` of a newcomer by the owner, from the request to its
//!   answer, for five newcomers (the slowest is held to the budget);
//! - a newcomer's first sync into an empty replica, as the engine pulls it (`sync::pull`), timed
//!   to the moment the group's newest message is in the replica (what they open the group to
//!   see) and to the end of the pull;
//! - the replica answering meanwhile: the group's newest page read from it every 20 ms during the
//!   pull, as the window asks for it (the app's UI frames are not measured here; these reads are
//!   what a frame would wait for).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::ensure;
use lodestar_client::Replica;
use lodestar_tests::{Backend, TestServer};
use serde_json::json;
use uuid::Uuid;

use crate::replica::Text;
use crate::report::{ms, quantile, Budget, Row};
use crate::sync::seed_messages;

/// Newcomers added, each timed.
const NEWCOMERS: usize = 5;

/// The group.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    let total = if quick { 20_000 } else { 1_000_000 };
    let s = TestServer::spawn(Backend::Sqlite).await;
    let owner = s.api.register("owner").await;
    let (a, b) = (s.api.register("ada").await, s.api.register("bodhi").await);
    let made = s
        .api
        .post(
            "/v1/groups",
            &owner.token,
            json!({"group_name": "Cohort 2026", "member_ids": [a.id, b.id]}),
        )
        .await;
    ensure!(made.status == 201, "POST /v1/groups answered {}: {}", made.status, made.body);
    let group: Uuid = serde_json::from_value(made.body["group_id"].clone())?;
    let conversation: Uuid = serde_json::from_value(made.body["conversation_id"].clone())?;

    let mut text = Text::new(0x6e0_0c0d);
    let seeded = Instant::now();
    let senders = [owner.id, a.id, b.id];
    let newest = seed_messages(&*s.store(), &mut text, total, |text| {
        (senders[text.below(senders.len())], conversation)
    })
    .await?;
    let seeding = seeded.elapsed();

    let mut adds = Vec::with_capacity(NEWCOMERS);
    let mut newcomers = Vec::with_capacity(NEWCOMERS);
    for i in 0..NEWCOMERS {
        let newcomer = s.api.register(&format!("newcomer{i}")).await;
        let path = format!("/v1/groups/{group}/members");
        let started = Instant::now();
        let added = s
            .api
            .post(&path, &owner.token, json!({"user_id": newcomer.id, "role": "member"}))
            .await;
        adds.push(started.elapsed());
        ensure!(added.status == 201, "adding a member answered {}: {}", added.status, added.body);
        newcomers.push(newcomer);
    }

    // The first newcomer's first sync, with the window's question asked every 20 ms.
    let me = &newcomers[0];
    let api = lodestar_client::Api::new(&s.api.base)?.with_token(&me.token);
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    let replica = Replica::open(&dir.path().join("newcomer.db")).await?;
    let done = AtomicBool::new(false);
    let pull = async {
        let r = lodestar_client::sync::pull(&api, &replica, |_| {}).await;
        done.store(true, Ordering::SeqCst);
        r
    };
    let watch = async {
        let (mut reads, mut newest_at) = (Vec::new(), None);
        while !done.load(Ordering::SeqCst) {
            let asked = Instant::now();
            let page = replica.messages(me.id, conversation, None, 50).await?;
            reads.push(asked.elapsed());
            if newest_at.is_none() && page.iter().any(|m| m.message.message_id == newest) {
                newest_at = Some(started.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        anyhow::Ok((reads, newest_at))
    };
    let (pulled, watched) = tokio::join!(pull, watch);
    let pulled = pulled?;
    let whole = started.elapsed();
    let (reads, newest_at) = watched?;
    ensure!(
        pulled.applied >= total as u64,
        "the newcomer's first sync applied {} changes, not the group's {total} messages",
        pulled.applied
    );
    let newest_at = newest_at.unwrap_or(whole);
    let held = replica.messages(me.id, conversation, None, 1).await?;
    ensure!(
        held.first().map(|m| m.message.message_id) == Some(newest),
        "after the first sync the newest message is not the group's newest"
    );

    let what = format!("a group of {total} messages");
    Ok(vec![
        Row::info(
            format!("group: seed {what} (store, 256 per commit)"),
            seeding.as_secs_f64(),
            "s",
        ),
        Row::budgeted(
            format!("group: a member added to {what}, slowest of {NEWCOMERS}"),
            ms(quantile(&adds, 1.0)),
            "ms",
            Budget::AtMost(50.0),
        ),
        Row::info(
            format!("group: a member added to {what}, median"),
            ms(quantile(&adds, 0.5)),
            "ms",
        ),
        Row::budgeted(
            format!("group: the newcomer's first sync to the newest page, {what}"),
            newest_at.as_secs_f64(),
            "s",
            Budget::AtMost(1.0),
        ),
        Row::budgeted(
            format!("group: the newcomer's whole first sync, {what}"),
            whole.as_secs_f64(),
            "s",
            Budget::AtMost(20.0),
        ),
        Row::info(
            "group: the newest page read from the replica during the first sync, p99",
            ms(quantile(&reads, 0.99)),
            "ms",
        ),
        Row::info(
            "group: the newest page read from the replica during the first sync, max",
            ms(quantile(&reads, 1.0)),
            "ms",
        ),
    ])
}
