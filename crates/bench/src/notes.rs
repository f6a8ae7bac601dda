//! Session notes as a CRDT (lodestar-notes): two replicas that each made N edits offline merge
//! (the time, and the bytes their updates carry), and the stored document's size after many
//! edits. Pure computation: no server, no disk.

use std::time::Instant;

use crate::report::Row;

/// N edits of a replica's own copy, each adding a word at a place that moves through the text;
/// answers the updates and the final state.
fn offline_edits(base: &[u8], n: usize, word: &str) -> anyhow::Result<(Vec<Vec<u8>>, Vec<u8>)> {
    let mut state = base.to_vec();
    let mut updates = Vec::with_capacity(n);
    for i in 0..n {
        let text = lodestar_notes::text(&state)?;
        let chars: Vec<char> = text.chars().collect();
        let at = (i * 7919) % (chars.len() + 1);
        let wanted: String = chars[..at]
            .iter()
            .chain(format!(" {word}{i}").chars().collect::<Vec<_>>().iter())
            .chain(&chars[at..])
            .collect();
        let (update, next) = lodestar_notes::edit(&state, &wanted)?;
        updates.push(update);
        state = next;
    }
    Ok((updates, state))
}

/// The group.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    let edits = if quick { 100 } else { 1_000 };
    let (_, base) = lodestar_notes::edit(&[], "Session notes")?;
    let (ann, _) = offline_edits(&base, edits, "ann")?;
    let (ben, ben_state) = offline_edits(&base, edits, "ben")?;
    let bytes: usize = ann.iter().chain(&ben).map(Vec::len).sum();
    let started = Instant::now();
    let (merged, text) = lodestar_notes::merge(&ben_state, ann.iter().map(Vec::as_slice))?;
    let merge_ms = started.elapsed().as_secs_f64() * 1000.0;
    // Nothing deletes, so every inserted character is in the merged text.
    let inserted = |w: &str| (0..edits).map(|i| format!(" {w}{i}").chars().count()).sum::<usize>();
    let want = "Session notes".chars().count() + inserted("ann") + inserted("ben");
    let got = text.chars().count();
    anyhow::ensure!(got == want, "an edit was lost: {got} of {want} characters");

    let many = if quick { 1_000 } else { 10_000 };
    let (_, big) = offline_edits(&base, many, "w")?;
    Ok(vec![
        Row::info(
            format!("notes: merge two replicas of {edits} offline edits each"),
            merge_ms,
            "ms",
        ),
        Row::info(
            format!("notes: bytes on the wire for 2 × {edits} edits (v1 updates)"),
            bytes as f64,
            "bytes",
        ),
        Row::info(
            format!("notes: merged document after 2 × {edits} edits"),
            merged.len() as f64,
            "bytes",
        ),
        Row::info(format!("notes: stored document after {many} edits"), big.len() as f64, "bytes"),
    ])
}
