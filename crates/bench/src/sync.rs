//! Group "first-sync": a new device's first sync, end to end.
//!
//! A real server (`TestServer` on SQLite, loopback HTTP) is seeded once with 100,000 messages
//! (`--quick`: 5,000) in 10 direct conversations of one user, through the store (not HTTP, to be
//! quick: batches of 256, as the group commit writes them; the server's rows, seqs and change
//! log are the real ones). Then `sync::pull` brings them into an empty replica on disk, timed
//! from `Replica::open` to the last page applied: the median of 3 runs (`--quick`: 1), each
//! into a fresh replica.
//!
//! To say where the time goes, the same pages once more, split: fetched with `Api::sync`
//! without applying (server query + HTTP + JSON), then applied with `Replica::apply_page` into
//! another fresh replica. `pull` overlaps the two (it fetches the next page while applying),
//! so the end-to-end time can be below their sum.

use std::time::{Duration, Instant};

use anyhow::ensure;
use lodestar_client::Replica;
use lodestar_server::store::Store;
use lodestar_tests::{Backend, TestServer};
use uuid::Uuid;

use crate::replica::{size, Text};
use crate::report::{quantile, Budget, Row};

/// Messages per seeding transaction (the server's own group commit at its largest).
const SEED_BATCH: usize = 256;

/// Conversations the syncing user has.
pub const CONVERSATIONS: usize = 10;

/// Writes `total` messages through `store`, [`SEED_BATCH`] per commit as the group commit writes
/// them (`lodestar_tests::seed_messages`); `pick` names each one's sender and conversation, then
/// `text` its words. Answers the last one's id.
pub async fn seed_messages(
    store: &dyn Store,
    text: &mut Text,
    total: usize,
    mut pick: impl FnMut(&mut Text) -> (Uuid, Uuid),
) -> anyhow::Result<Uuid> {
    let ids = lodestar_tests::seed_messages(store, total, SEED_BATCH, |_| {
        let (sender, conversation) = pick(text);
        (sender, conversation, text.message(None))
    })
    .await?;
    Ok(ids.last().copied().unwrap_or_default())
}

/// The group.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    let total = if quick { 5_000 } else { 100_000 };
    let runs = if quick { 1 } else { 3 };
    let n = size(total);
    let s = TestServer::spawn(Backend::Sqlite).await;
    let me = s.api.register("syncer").await;
    let mut convs = Vec::new();
    for i in 0..CONVERSATIONS {
        let peer = s.api.register(&format!("peer{i}")).await;
        convs.push((peer.id, s.api.direct(&me, &peer).await));
    }

    let mut text = Text::new(11);
    let seeded = Instant::now();
    seed_messages(&*s.store(), &mut text, total, |text| {
        let (peer, conversation_id) = convs[text.below(CONVERSATIONS)];
        let sender = if text.below(2) == 0 { me.id } else { peer };
        (sender, conversation_id)
    })
    .await?;
    let seeding = seeded.elapsed();

    let api = lodestar_client::Api::new(&s.api.base)?.with_token(&me.token);
    let dir = tempfile::tempdir()?;
    let mut times = Vec::new();
    for run in 0..runs {
        let path = dir.path().join(format!("pull{run}.db"));
        let started = Instant::now();
        let replica = Replica::open(&path).await?;
        let done = lodestar_client::sync::pull(&api, &replica, |_| {}).await?;
        times.push(started.elapsed());
        ensure!(
            done.applied >= total as u64,
            "first sync applied {} changes of {total}+",
            done.applied
        );
        let opened = replica.messages(me.id, convs[0].1, None, 1).await?;
        ensure!(opened.len() == 1, "the synced replica has no messages");
    }
    let median = quantile(&times, 0.5);

    // The split: every page fetched (not applied), then every page applied.
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    let fetched = Instant::now();
    loop {
        let page = api.sync(cursor.as_deref(), 1_000).await?;
        cursor = Some(page.cursor.clone());
        let more = page.has_more;
        pages.push(page);
        if !more {
            break;
        }
    }
    let fetch = fetched.elapsed();
    let replica = Replica::open(&dir.path().join("split.db")).await?;
    let mut apply = Duration::ZERO;
    for page in &pages {
        let t = Instant::now();
        replica.apply_page(&page.changes, &page.cursor).await?;
        apply += t.elapsed();
    }
    let changes: usize = pages.iter().map(|p| p.changes.len()).sum();
    s.server.stop().await;

    let secs = median.as_secs_f64();
    Ok(vec![
        Row::info(
            format!("first sync: seed server with {n} messages (store, 256 per commit)"),
            seeding.as_secs_f64(),
            "s",
        ),
        Row::budgeted(
            format!("first sync of {n} messages into an empty replica (median of {runs})"),
            secs,
            "s",
            Budget::AtMost(2.0),
        ),
        Row::info(format!("first sync: {n} messages, rate"), total as f64 / secs, "msg/s"),
        Row::info(
            format!("first sync: server fetch only ({} pages, {changes} changes)", pages.len()),
            fetch.as_secs_f64(),
            "s",
        ),
        Row::info(
            format!("first sync: apply only ({n} messages into the replica)"),
            apply.as_secs_f64(),
            "s",
        ),
    ])
}
