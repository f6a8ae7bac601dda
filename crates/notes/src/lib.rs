//! Session notes (PROGRAM.md): one text per session that both people edit at the same time,
//! online or offline, merged character by character with nothing lost and no conflict to
//! resolve. The text is a yrs (the Rust port of Yjs) document; what travels and what is stored
//! are its v1 updates, base64 on the wire. Updates are idempotent and commutative: applying
//! them in any order, any number of times, gives every replica the same text.
//!
//! The server keeps the merged document of each session ([`merge`]); a client keeps its own,
//! turns what is typed into an update ([`edit`]) and queues that update like a message.

mod wire;

use std::panic::{catch_unwind, AssertUnwindSafe};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use yrs::updates::decoder::Decode;
use yrs::{Doc, GetString, ReadTxn, StateVector, Text, Transact, Update};

/// The name of the text inside every notes document.
const TEXT: &str = "notes";

/// Why an update cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum NotesError {
    /// Not base64.
    #[error("the update is not base64")]
    Base64,
    /// Not a yrs v1 update of a notes document.
    #[error("the update cannot be read: {0}")]
    Update(String),
    /// The merged notes would pass [`MAX_STATE_BYTES`].
    #[error("the notes are too long to keep")]
    TooLarge,
}

/// The most a session's stored notes document may take (a 10,000-edit document is about 370 KB).
pub const MAX_STATE_BYTES: usize = 4 * 1024 * 1024;

impl NotesError {
    /// A machine-readable code (the field error's code on the wire).
    pub fn code(&self) -> &'static str {
        match self {
            NotesError::TooLarge => "too_long",
            _ => "invalid",
        }
    }
}

/// Decodes an update as it travels (base64 of a yrs v1 update).
pub fn decode(update: &str) -> Result<Vec<u8>, NotesError> {
    STANDARD.decode(update.trim()).map_err(|_| NotesError::Base64)
}

/// Encodes an update to travel.
pub fn encode(update: &[u8]) -> String {
    STANDARD.encode(update)
}

/// Applies an update to `doc`, once [`wire::check`] has found it to be a notes update: yrs 0.24
/// reads its input unchecked (see `wire.rs`), so nothing else reaches it.
fn apply(doc: &Doc, bytes: &[u8]) -> Result<(), NotesError> {
    wire::check(bytes, TEXT).map_err(|fault| NotesError::Update(fault.to_owned()))?;
    let update = Update::decode_v1(bytes).map_err(|e| NotesError::Update(e.to_string()))?;
    doc.transact_mut().apply_update(update).map_err(|e| NotesError::Update(e.to_string()))
}

/// Runs `f` over a document made for it alone; yrs panicking on a well-formed but impossible
/// update (a parent that is not a type, say) is that update's error, not the process's end.
fn guarded<T>(f: impl FnOnce() -> Result<T, NotesError>) -> Result<T, NotesError> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(NotesError::Update("an update yrs cannot apply".to_owned())))
}

fn load(state: &[u8]) -> Result<Doc, NotesError> {
    let doc = Doc::new();
    if !state.is_empty() {
        apply(&doc, state)?;
    }
    Ok(doc)
}

fn snapshot(doc: &Doc) -> (Vec<u8>, String) {
    let text = doc.get_or_insert_text(TEXT);
    let txn = doc.transact();
    (txn.encode_state_as_update_v1(&StateVector::default()), text.get_string(&txn))
}

/// Merges `updates` into the stored `state` (empty: a new document); answers the new state and
/// its text. Merging an update already merged changes nothing.
pub fn merge<'a>(
    state: &[u8],
    updates: impl IntoIterator<Item = &'a [u8]>,
) -> Result<(Vec<u8>, String), NotesError> {
    guarded(|| {
        let doc = load(state)?;
        for bytes in updates {
            apply(&doc, bytes)?;
        }
        let (state, text) = snapshot(&doc);
        if state.len() > MAX_STATE_BYTES {
            return Err(NotesError::TooLarge);
        }
        Ok((state, text))
    })
}

/// Two updates as one (what the outbox sends when edits pile up offline).
pub fn combine(older: &[u8], newer: &[u8]) -> Result<Vec<u8>, NotesError> {
    for u in [older, newer] {
        wire::check(u, TEXT).map_err(|fault| NotesError::Update(fault.to_owned()))?;
    }
    guarded(|| yrs::merge_updates_v1([older, newer]).map_err(|e| NotesError::Update(e.to_string())))
}

/// The text of a stored state.
pub fn text(state: &[u8]) -> Result<String, NotesError> {
    guarded(|| Ok(snapshot(&load(state)?).1))
}

/// Turns the text as typed (`wanted`) into an update of `state`: the inserts and deletes of a
/// semantically cleaned diff (`dissimilar`), so that what stayed keeps its identity, what was
/// typed goes in as whole runs, and a concurrent edit anywhere else keeps its place. Answers
/// the update (empty when nothing changed) and the new state.
pub fn edit(state: &[u8], wanted: &str) -> Result<(Vec<u8>, Vec<u8>), NotesError> {
    guarded(|| edit_unguarded(state, wanted))
}

fn edit_unguarded(state: &[u8], wanted: &str) -> Result<(Vec<u8>, Vec<u8>), NotesError> {
    let doc = load(state)?;
    let text = doc.get_or_insert_text(TEXT);
    let before = doc.transact().state_vector();
    {
        let mut txn = doc.transact_mut();
        let current = text.get_string(&txn);
        // A `Doc::new()` counts `Text` offsets in UTF-8 bytes, as `str::len` does.
        let mut at = 0u32;
        for chunk in dissimilar::diff(&current, wanted) {
            match chunk {
                dissimilar::Chunk::Equal(s) => at += s.len() as u32,
                dissimilar::Chunk::Delete(s) => text.remove_range(&mut txn, at, s.len() as u32),
                dissimilar::Chunk::Insert(s) => {
                    text.insert(&mut txn, at, s);
                    at += s.len() as u32;
                }
            }
        }
    }
    // Encoded once the transaction has committed: everything since `before`, and the deletions.
    let update = doc.transact().encode_state_as_update_v1(&before);
    Ok((update, snapshot(&doc).0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn two_offline_edits_of_one_text_merge_without_loss_in_either_order() {
        let (_, base) = edit(&[], "Agenda: SQL").unwrap();
        let (ann, _) = edit(&base, "Agenda: SQL, joins").unwrap();
        let (ben, _) = edit(&base, "Big agenda: SQL").unwrap();
        let (one, t1) = merge(&base, [ann.as_slice(), ben.as_slice()]).unwrap();
        let (_, t2) = merge(&base, [ben.as_slice(), ann.as_slice(), ann.as_slice()]).unwrap();
        assert_eq!(t1, t2, "order and repeats do not matter");
        assert_eq!(t1, "Big agenda: SQL, joins");
        assert_eq!(text(&one).unwrap(), t1);
    }

    #[test]
    fn inserts_at_the_same_place_keep_every_character() {
        let (_, base) = edit(&[], "ab").unwrap();
        let (x, _) = edit(&base, "a12b").unwrap();
        let (y, _) = edit(&base, "aXYb").unwrap();
        let (_, t) = merge(&base, [x.as_slice(), y.as_slice()]).unwrap();
        assert_eq!(t.len(), 6);
        for c in "ab12XY".chars() {
            assert!(t.contains(c), "{t} lost {c}");
        }
    }

    #[test]
    fn a_delete_overlapping_an_insert_keeps_the_insert() {
        let (_, base) = edit(&[], "hello world").unwrap();
        let (del, _) = edit(&base, "hello").unwrap();
        let (ins, _) = edit(&base, "hello brave world").unwrap();
        let (_, t) = merge(&base, [del.as_slice(), ins.as_slice()]).unwrap();
        assert!(t.contains("brave"), "{t}");
        assert!(!t.contains("world"), "{t}");
    }

    #[test]
    fn bad_updates_are_refused() {
        assert!(matches!(decode("not base64!"), Err(NotesError::Base64)));
        assert!(matches!(merge(&[], [&[1u8, 2, 3][..]]), Err(NotesError::Update(_))));
        let unicode = edit(&[], "naïve — ünïcödé ✓").unwrap();
        assert_eq!(text(&unicode.1).unwrap(), "naïve — ünïcödé ✓");
        let (_, s2) = edit(&unicode.1, "naïve ✓").unwrap();
        assert_eq!(text(&s2).unwrap(), "naïve ✓");
    }
}

#[cfg(test)]
mod hostile {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A small deterministic generator: random but repeatable.
    fn bytes(seed: &mut u64, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| {
                *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (*seed >> 56) as u8
            })
            .collect()
    }

    #[test]
    fn random_and_mangled_updates_are_refused_never_a_crash() {
        let (_, base) = edit(&[], "Agenda: SQL joins").unwrap();
        let (good, _) = edit(&base, "Agenda: SQL joins, window functions ✓").unwrap();
        let mut seed = 1;
        let mut taken = 0;
        for i in 0..20_000 {
            let input = match i % 4 {
                // Pure noise, of any length.
                0 => bytes(&mut seed, i % 97),
                // A real update with a few bytes changed.
                1 | 2 => {
                    let mut u = good.clone();
                    for b in bytes(&mut seed, 1 + i % 3) {
                        let at = usize::from(b) % u.len();
                        u[at] = bytes(&mut seed, 1)[0];
                    }
                    u
                }
                // A real update cut short, or with bytes after it.
                _ => {
                    let mut u = good.clone();
                    match i % 8 {
                        3 => u.truncate(i % good.len()),
                        _ => u.extend(bytes(&mut seed, 1 + i % 5)),
                    }
                    u
                }
            };
            // Whatever it is, the answer is a value: merged, or an error saying why.
            if merge(&base, [input.as_slice()]).is_ok() {
                taken += 1;
            }
        }
        assert!(taken < 20_000, "mangled updates are refused");
        // Counts that claim more than the bytes hold, and strings that are not UTF-8.
        for evil in [
            vec![0xff, 0xff, 0xff, 0xff, 0x0f],
            vec![1, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 0],
            vec![1, 1, 7, 0, 4, 1, 5, b'n', b'o', b't', b'e', b's', 2, 0xc3, 0x28, 0],
            vec![0, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f],
        ] {
            assert!(
                matches!(merge(&base, [evil.as_slice()]), Err(NotesError::Update(_))),
                "{evil:?}"
            );
        }
        // Another shared type than the notes text.
        let other = yrs::Doc::new();
        let map = other.get_or_insert_map("m");
        yrs::Map::insert(&map, &mut other.transact_mut(), "k", "v");
        let u = other.transact().encode_state_as_update_v1(&StateVector::default());
        assert!(merge(&base, [u.as_slice()]).is_err());
    }
}

#[cfg(test)]
mod convergence {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A small deterministic generator: the test is random but repeatable.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, below: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % below.max(1)
        }
    }

    /// One random edit of `text`: an insert, a delete or a replacement somewhere in it.
    fn mutate(rng: &mut Lcg, text: &str, tag: char) -> String {
        let chars: Vec<char> = text.chars().collect();
        let at = rng.next(chars.len() + 1);
        let mut out: Vec<char> = chars[..at].to_vec();
        let rest = &chars[at..];
        match rng.next(3) {
            0 => {
                out.extend(std::iter::repeat_n(tag, 1 + rng.next(3)));
                out.extend(rest);
            }
            1 => out.extend(rest.iter().skip(1 + rng.next(2))),
            _ => {
                out.push(tag);
                out.extend(rest.iter().skip(1));
            }
        }
        out.into_iter().collect()
    }

    #[test]
    fn a_thousand_concurrent_edits_across_three_replicas_converge() {
        let mut rng = Lcg(7);
        let (_, base) = edit(&[], "shared notes").unwrap();
        let mut replicas = vec![(base.clone(), Vec::new()); 3];
        // Each edits its own copy, offline, never hearing of the others' edits.
        for i in 0..1_000 {
            let which = i % 3;
            let (state, updates): &mut (Vec<u8>, Vec<Vec<u8>>) = &mut replicas[which];
            let wanted = mutate(&mut rng, &text(state).unwrap(), ['x', 'y', 'z'][which]);
            let (update, next) = edit(state, &wanted).unwrap();
            *state = next;
            updates.push(update);
        }
        // Then each hears everyone's updates, the three streams interleaved in its own random
        // order, and some of them twice. Each stream keeps the order it was made in, as delivery
        // does here (an outbox lane sends one client's edits in order; a client merges the
        // server's whole document): yrs 0.24 applying one client's updates out of their order,
        // one transaction each, was seen to diverge.
        let mut texts = Vec::new();
        for (state, _) in &replicas {
            let mut cursors = [0usize; 3];
            let mut order: Vec<&[u8]> = Vec::new();
            while cursors.iter().zip(&replicas).any(|(c, (_, u))| *c < u.len()) {
                let r = rng.next(3);
                if let Some(u) = replicas[r].1.get(cursors[r]) {
                    order.push(u);
                    cursors[r] += 1;
                }
            }
            let again: Vec<&[u8]> = order.iter().take(50).copied().collect();
            order.extend(again);
            texts.push(merge(state, order).unwrap().1);
        }
        assert_eq!(texts[0], texts[1]);
        assert_eq!(texts[1], texts[2]);
        let own: Vec<String> = replicas.iter().map(|(s, _)| text(s).unwrap()).collect();
        for (i, tag) in ['x', 'y', 'z'].iter().enumerate() {
            // Every character a replica still had of its own survives the others' edits, unless
            // it deleted it itself: its own text's tags are all in the merged text.
            let kept = own[i].chars().filter(|c| c == tag).count();
            let merged = texts[0].chars().filter(|c| c == tag).count();
            assert_eq!(kept, merged, "replica {i}'s characters");
        }
    }
}
