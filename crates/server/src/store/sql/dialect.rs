//! The few things SQLite and PostgreSQL spell differently, for the queries both backends share.

/// What the two SQL dialects spell differently.
pub(crate) trait Dialect {
    /// Hours from `earlier` to `later` (columns or placeholders of timestamps), as a double.
    fn hours_between(later: &str, earlier: &str) -> String;
    /// A non-negative double rounded down to an integer.
    fn whole(expr: &str) -> String;
    /// The condition "this text column of `users` matches a bound LIKE pattern (without
    /// ESCAPE)", answered by the trigram index (migration 0016), as the text before and after
    /// the bound pattern.
    fn users_text_like(column: &str) -> (String, &'static str);
    /// A query counting, up to `limit`, the users whose `column` matches the bound LIKE pattern
    /// through that index, when the index is worth asking only for a rare pattern (SQLite: a
    /// common one makes it return thousands of rows to sort, where walking users in username
    /// order finds a page at once). `None`: the planner weighs it itself (PostgreSQL).
    fn users_text_probe(column: &str, limit: i64) -> Option<String>;
    /// The condition "the text column `haystack` contains the bound text", literally (no
    /// pattern, no case folding: far cheaper than LIKE over many rows), as the text before and
    /// after the bound text.
    fn holds(haystack: &str) -> (String, &'static str);
}

impl Dialect for sqlx::Sqlite {
    fn hours_between(later: &str, earlier: &str) -> String {
        format!("((julianday({later}) - julianday({earlier})) * 24.0)")
    }

    fn whole(expr: &str) -> String {
        format!("CAST({expr} AS INTEGER)")
    }

    fn users_text_like(column: &str) -> (String, &'static str) {
        // The FTS5 trigram table takes LIKE on its own column; it returns the users' rowids.
        (format!("rowid IN (SELECT rowid FROM users_text WHERE users_text.{column} LIKE "), ")")
    }

    fn users_text_probe(column: &str, limit: i64) -> Option<String> {
        Some(format!(
            "SELECT count(*) FROM (SELECT 1 FROM users_text WHERE users_text.{column} LIKE $1 LIMIT {limit})"
        ))
    }

    fn holds(haystack: &str) -> (String, &'static str) {
        (format!("instr({haystack}, "), ") > 0")
    }
}

impl Dialect for sqlx::Postgres {
    fn hours_between(later: &str, earlier: &str) -> String {
        format!(
            "(CAST(EXTRACT(EPOCH FROM (CAST({later} AS TIMESTAMPTZ) - CAST({earlier} AS TIMESTAMPTZ))) \
             AS DOUBLE PRECISION) / 3600.0)"
        )
    }

    fn whole(expr: &str) -> String {
        format!("CAST(FLOOR({expr}) AS BIGINT)")
    }

    fn users_text_like(column: &str) -> (String, &'static str) {
        // A GIN index with gin_trgm_ops on the column itself.
        (format!("{column} LIKE "), "")
    }

    fn users_text_probe(_column: &str, _limit: i64) -> Option<String> {
        None
    }

    fn holds(haystack: &str) -> (String, &'static str) {
        (format!("strpos({haystack}, "), ") > 0")
    }
}
