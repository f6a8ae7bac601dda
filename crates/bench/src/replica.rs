//! Group "replica": reading a big replica, the way the app does.
//!
//! Builds a replica of 1,000,000 messages (`--quick`: 20,000) in ~200 direct conversations, one
//! of them holding 40% of the messages. The file is opened and migrated by `Replica::open` (so
//! the schema, indexes and FTS5 triggers are the app's own); the rows then go in through
//! rusqlite on the same file, a prepared statement in transactions of 10,000, the FTS triggers
//! firing as on a real sync. Rows look synced: a server seq, senders, `users`, `conversations`
//! and participants, English-ish text where one common word is in ~75% of the messages, a rare
//! word in a handful and a family of words sharing a prefix.
//!
//! Then, through the real `Replica` API (sqlx), on the big conversation and repeated (500 runs,
//! `--quick`: 50, after a warm-up): opening a conversation (the newest 50 messages; p50 and p99)
//! and full-text search for a common word, a rare word and a short prefix (p50 and p95).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::ensure;
use lodestar_client::Replica;
use uuid::Uuid;

use crate::report::{ms, quantile, Budget, Row};

/// The word most messages contain.
pub const COMMON: &str = "meeting";
/// The word only [`RARE_COUNT`] messages contain.
pub const RARE: &str = "zanzibar";
/// How many messages hold [`RARE`].
pub const RARE_COUNT: usize = 12;
/// A prefix many words of the vocabulary share (what a person has typed so far).
pub const PREFIX: &str = "pro";

/// The vocabulary, roughly most frequent first (the generator favours the head).
const WORDS: &str = "\
    the to and a you i it for is on we that this with can be about will your my have next week \
    do just thanks project call time good work team think review great code tomorrow progress \
    could would should question idea problem program interview career skills feedback learn \
    rust design process product proposal promotion professional prototype resume manager role \
    goal plan notes share send friday monday morning afternoon coffee help sure really maybe \
    later today before after release deadline database server client test tests bug fix deploy \
    book article conference talk slides mentor mentoring mentee advice networking salary offer \
    startup company experience portfolio github schedule calendar update draft document \
    chapter exercise practice habit confidence presentation architecture performance latency \
    query index pairing session weekend vacation remote office promise proud protocol profile \
    provide probably properly prompt produce profit";

/// A small deterministic generator (xorshift64*): the same text on every run.
pub struct Text(u64, Vec<&'static str>);

impl Text {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Text {
        Text(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1, WORDS.split_whitespace().collect())
    }

    /// The next pseudo-random number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A message of 4 to 18 words, [`COMMON`] in about three of four, and `extra` in it if given.
    pub fn message(&mut self, extra: Option<&str>) -> String {
        let len = 4 + self.below(15);
        let n = self.1.len();
        let mut words: Vec<&str> = Vec::with_capacity(len + 2);
        for _ in 0..len {
            // Skewed towards the head of the list, like real word frequencies.
            let (a, b) = (self.below(n), self.below(n));
            words.push(self.1[a * b / n]);
        }
        if self.below(4) != 0 {
            let at = self.below(words.len() + 1);
            words.insert(at, COMMON);
        }
        if let Some(extra) = extra {
            let at = self.below(words.len() + 1);
            words.insert(at, extra);
        }
        let mut text = words.join(" ");
        if let Some(first) = text.get(..1) {
            text.replace_range(..1, &first.to_uppercase());
        }
        text.push(if self.below(5) == 0 { '?' } else { '.' });
        text
    }
}

/// A timestamp the way the replica stores one (sqlx's RFC 3339 text).
pub fn stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

/// "1M", "100k", "20k": sizes in row names.
pub fn size(n: usize) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}M", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// What the seeded replica holds.
struct Seeded {
    me: Uuid,
    big: Uuid,
    big_count: usize,
}

/// Fills the replica at `path` (already opened and migrated) with `total` messages.
fn seed(path: &Path, total: usize) -> anyhow::Result<Seeded> {
    const PEERS: usize = 200;
    let mut db = rusqlite::Connection::open(path)?;
    db.busy_timeout(Duration::from_secs(10))?;
    db.pragma_update(None, "synchronous", "NORMAL")?;
    let mut text = Text::new(7);
    let me = Uuid::new_v4();
    let start = chrono::Utc::now() - chrono::Duration::days(400);
    let peers: Vec<(Uuid, Uuid)> = (0..PEERS).map(|_| (Uuid::new_v4(), Uuid::new_v4())).collect();
    let tx = db.transaction()?;
    {
        let mut user =
            tx.prepare("INSERT INTO users (user_id, username, created_at) VALUES (?1, ?2, ?3)")?;
        let mut conv = tx.prepare(
            "INSERT INTO conversations (conversation_id, type, group_id, created_at) VALUES (?1, 'DIRECT', NULL, ?2)",
        )?;
        let mut part = tx.prepare(
            "INSERT INTO direct_conversation_participants (conversation_id, user_id) VALUES (?1, ?2)",
        )?;
        user.execute(rusqlite::params![me.as_bytes().as_slice(), "me", stamp(start)])?;
        for (i, (peer, c)) in peers.iter().enumerate() {
            user.execute(rusqlite::params![
                peer.as_bytes().as_slice(),
                format!("peer{i}"),
                stamp(start)
            ])?;
            conv.execute(rusqlite::params![c.as_bytes().as_slice(), stamp(start)])?;
            part.execute(rusqlite::params![c.as_bytes().as_slice(), me.as_bytes().as_slice()])?;
            part.execute(rusqlite::params![c.as_bytes().as_slice(), peer.as_bytes().as_slice()])?;
        }
        tx.execute(
            "UPDATE sync_state SET me = ?1, cursor = ?2 WHERE id = 1",
            rusqlite::params![me.as_bytes().as_slice(), total.to_string()],
        )?;
    }
    tx.commit()?;
    let mut big_count = 0;
    let mut seq = 0;
    while seq < total {
        let tx = db.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO messages (message_id, conversation_id, sender_id, content, media_url, sent_at, seq) \
                 VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6)",
            )?;
            for _ in 0..10_000.min(total - seq) {
                seq += 1;
                // 40% in the big conversation, the rest spread over the others.
                let (peer, conv) = if text.below(10) < 4 {
                    big_count += 1;
                    peers[0]
                } else {
                    peers[1 + text.below(PEERS - 1)]
                };
                let sender = if text.below(2) == 0 { me } else { peer };
                let rare = (seq.is_multiple_of(total / RARE_COUNT)).then_some(RARE);
                let at = start + chrono::Duration::milliseconds(seq as i64 * 30_000);
                insert.execute(rusqlite::params![
                    Uuid::now_v7().as_bytes().as_slice(),
                    conv.as_bytes().as_slice(),
                    sender.as_bytes().as_slice(),
                    text.message(rare),
                    stamp(at),
                    seq as i64,
                ])?;
            }
        }
        tx.commit()?;
    }
    Ok(Seeded { me, big: peers[0].1, big_count })
}

/// Runs `op` `warm` times unmeasured, then `runs` times measured.
async fn timed<F, Fut>(runs: usize, mut op: F) -> anyhow::Result<Vec<Duration>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    for _ in 0..(runs / 10).max(5) {
        op().await?;
    }
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        op().await?;
        samples.push(t.elapsed());
    }
    Ok(samples)
}

/// The group.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    let total = if quick { 20_000 } else { 1_000_000 };
    let runs = if quick { 50 } else { 500 };
    let n = size(total);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("replica.db");
    let mut rows = Vec::new();

    let started = Instant::now();
    let replica = Replica::open(&path).await?;
    let seeded = tokio::task::spawn_blocking({
        let path = path.clone();
        move || seed(&path, total)
    })
    .await??;
    let seeding = started.elapsed();
    let bytes = std::fs::metadata(&path)?.len()
        + std::fs::metadata(dir.path().join("replica.db-wal")).map_or(0, |m| m.len());
    rows.push(Row::info(
        format!("replica: seed {n} messages (rusqlite, FTS triggers)"),
        seeding.as_secs_f64(),
        "s",
    ));
    rows.push(Row::info(format!("replica: {n}-message file size"), bytes as f64 / 1e6, "MB"));

    let Seeded { me, big, big_count } = seeded;
    let open = timed(runs, || async {
        let page = replica.messages(me, big, None, 50).await?;
        ensure!(page.len() == 50, "opened a conversation with {} messages", page.len());
        Ok(())
    })
    .await?;
    let what = format!(
        "open a conversation: newest 50 of {n}-message replica ({} in it)",
        size_round(big_count)
    );
    rows.push(Row::info(format!("{what} p50"), ms(quantile(&open, 0.5)), "ms"));
    rows.push(Row::budgeted(
        format!("{what} p99"),
        ms(quantile(&open, 0.99)),
        "ms",
        Budget::AtMost(1.0),
    ));

    // What the window asks first at every start (its conversation list, with unread counts), and
    // what the cold start waits for: nothing here is read, so half the messages count as unread.
    let list = timed(if quick { 5 } else { 10 }, || async {
        let items = replica.conversations(me).await?;
        ensure!(items.len() == 200, "the list has {} conversations", items.len());
        Ok(())
    })
    .await?;
    let what =
        format!("the conversation list (200, unread counts) of {n}-message replica, none read");
    rows.push(Row::info(format!("{what} p50"), ms(quantile(&list, 0.5)), "ms"));
    rows.push(Row::info(format!("{what} max"), ms(quantile(&list, 1.0)), "ms"));

    for (label, query, hits) in
        [("common word", COMMON, 50), ("rare word", RARE, RARE_COUNT), ("prefix", PREFIX, 50)]
    {
        let samples = timed(runs, || async {
            let found = replica.search(query, 50).await?.len();
            ensure!(found == hits, "search {query:?}: {found} hits, expected {hits}");
            Ok(())
        })
        .await?;
        let what = format!("search over {n}: {label} ({query:?}, {hits} hits)");
        rows.push(Row::info(format!("{what} p50"), ms(quantile(&samples, 0.5)), "ms"));
        rows.push(Row::budgeted(
            format!("{what} p95"),
            ms(quantile(&samples, 0.95)),
            "ms",
            Budget::AtMost(10.0),
        ));
    }
    Ok(rows)
}

/// A count rounded to thousands, for names ("~400k").
fn size_round(n: usize) -> String {
    if n >= 10_000 {
        format!("~{}k", (n + 500) / 1_000)
    } else {
        n.to_string()
    }
}
