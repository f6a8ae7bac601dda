//! Full-text search over every message in the replica, queued ones included, newest first, as
//! the person types: every word must appear, the last one as a prefix of a word.
//!
//! FTS5 walks a word's (or an indexed prefix's) list of messages newest first and stops at the
//! limit, however common the word. A prefix the index does not keep (it keeps 3-letter ones) is
//! different: FTS5 first merges the lists of every word starting with it, ~17 ms for a word in
//! most of a million messages. So a longer last word is searched by its first three letters
//! (an indexed prefix, walked newest first) and each candidate checked for a word that really
//! starts with the whole of it; only when candidates keep failing the check (a rare word with a
//! common start) does the search fall back to FTS5's own prefix query. One- and two-letter
//! prefixes, typed on the way to a word, take FTS5's merge too.

use uuid::Uuid;

use super::Replica;
use crate::error::ClientResult;

/// A search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    /// The message found.
    pub message_id: Uuid,
    /// Where it is.
    pub conversation_id: Uuid,
    /// The content around the match, the match in `[` `]`.
    pub snippet: String,
}

/// The prefix length the FTS index keeps (migration `0004_search_prefix_three`).
const INDEXED_PREFIX: usize = 3;
/// Candidates read per query on the narrowed path.
const CHUNK: i64 = 200;
/// Candidates checked before the narrowed path gives way to FTS5's own prefix query.
const MAX_CANDIDATES: usize = 2_000;

/// What a person typed, cleaned into FTS5 terms.
struct Typed {
    words: Vec<String>,
}

impl Typed {
    fn parse(text: &str) -> Option<Typed> {
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '-')
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect();
        (!words.is_empty()).then_some(Typed { words })
    }

    /// The FTS5 query with the last word cut to `last` (as a prefix).
    fn query_with_last(&self, last: &str) -> String {
        let quote = |w: &str| format!("\"{}\"", w.replace('"', "\"\""));
        let mut terms: Vec<String> =
            self.words[..self.words.len() - 1].iter().map(|w| quote(w)).collect();
        terms.push(format!("{}*", quote(last)));
        terms.join(" ")
    }

    fn last(&self) -> &str {
        self.words.last().map_or("", String::as_str)
    }

    /// The query FTS5 answers exactly.
    fn query(&self) -> String {
        self.query_with_last(self.last())
    }

    /// For a last word longer than the indexed prefixes: the query on its indexed start, and
    /// the whole word (lower case) that candidates must have a word starting with. ASCII letters
    /// and digits only, so that the check in Rust splits words as FTS5's tokenizer does.
    fn narrowed(&self) -> Option<(String, String)> {
        let last = self.last();
        if last.len() <= INDEXED_PREFIX || !last.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        Some((self.query_with_last(&last[..INDEXED_PREFIX]), last.to_ascii_lowercase()))
    }
}

/// Whether `content` has a word starting with `prefix` (lower-case ASCII), splitting words as
/// FTS5's default tokenizer does.
fn has_word_starting(content: &str, prefix: &str) -> bool {
    content
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix)))
}

type Row = (i64, Uuid, Uuid, Option<String>, String);

impl Replica {
    /// Full-text search over every message in the replica, queued ones included, newest first.
    pub async fn search(&self, text: &str, limit: i64) -> ClientResult<Vec<SearchHit>> {
        let Some(typed) = Typed::parse(text) else { return Ok(Vec::new()) };
        if let Some((query, word)) = typed.narrowed() {
            if let Some(hits) = self.search_narrowed(&query, &word, limit).await? {
                return Ok(hits);
            }
        }
        let rows = self.fts_rows(&typed.query(), i64::MAX, limit).await?;
        Ok(rows.into_iter().map(hit).collect())
    }

    /// The narrowed path: candidates newest first, kept if they have a word starting with
    /// `word`. `None` when too many candidates failed the check.
    async fn search_narrowed(
        &self,
        query: &str,
        word: &str,
        limit: i64,
    ) -> ClientResult<Option<Vec<SearchHit>>> {
        let mut hits = Vec::new();
        let (mut before, mut checked) = (i64::MAX, 0);
        while checked < MAX_CANDIDATES {
            let rows = self.fts_rows(query, before, CHUNK).await?;
            let exhausted = (rows.len() as i64) < CHUNK;
            for row in rows {
                before = row.0;
                checked += 1;
                if row.3.as_deref().is_some_and(|c| has_word_starting(c, word)) {
                    hits.push(hit(row));
                    if hits.len() as i64 >= limit {
                        return Ok(Some(hits));
                    }
                }
            }
            if exhausted {
                return Ok(Some(hits));
            }
        }
        Ok(None)
    }

    /// Up to `limit` messages matching `query` with a rowid below `before`, newest first.
    async fn fts_rows(&self, query: &str, before: i64, limit: i64) -> ClientResult<Vec<Row>> {
        Ok(sqlx::query_as(
            "SELECT m.rowid, m.message_id, m.conversation_id, m.content, \
             snippet(messages_fts, 0, '[', ']', '…', 12) \
             FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid \
             WHERE messages_fts MATCH $1 AND messages_fts.rowid < $2 \
             ORDER BY messages_fts.rowid DESC LIMIT $3",
        )
        .bind(query)
        .bind(before)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }
}

fn hit((_, message_id, conversation_id, _, snippet): Row) -> SearchHit {
    SearchHit { message_id, conversation_id, snippet }
}

#[cfg(test)]
mod tests {
    use super::{has_word_starting, Typed};

    #[test]
    fn typed_text_becomes_a_safe_fts_query() {
        let q = |t: &str| Typed::parse(t).map(|t| t.query());
        assert_eq!(q("rust meetup").as_deref(), Some("\"rust\" \"meetup\"*"));
        assert_eq!(q("  \"quoted\" AND (x* ").as_deref(), Some("\"quoted\" \"AND\" \"x\"*"));
        assert_eq!(q(" \"* ( "), None);
    }

    #[test]
    fn a_long_last_word_is_narrowed_to_its_indexed_start() {
        let n = |t: &str| Typed::parse(t).and_then(|t| t.narrowed());
        assert_eq!(n("rust Meeting"), Some(("\"rust\" \"Mee\"*".to_owned(), "meeting".to_owned())));
        assert_eq!(n("pro"), None, "an indexed prefix needs no narrowing");
        assert_eq!(n("café"), None, "not ASCII: FTS5 folds accents, the check would not");
        assert_eq!(n("don't"), None, "FTS5 splits at the apostrophe");
    }

    #[test]
    fn the_check_wants_a_word_starting_with_the_whole_prefix() {
        assert!(has_word_starting("See you at the Meetings, ok?", "meeting"));
        assert!(has_word_starting("pre-meeting notes", "meeting"));
        assert!(!has_word_starting("we meet at noon", "meeting"));
        assert!(!has_word_starting("premeeting", "meeting"));
        assert!(!has_word_starting("", "meeting"));
        assert!(!has_word_starting("ééééééé meetin", "meeting"), "no panic inside a character");
    }
}
