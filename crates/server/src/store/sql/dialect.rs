//! The few things SQLite and PostgreSQL spell differently, for the queries both backends share.

/// What the two SQL dialects spell differently.
pub(crate) trait Dialect {
    /// Hours from `earlier` to `later` (columns or placeholders of timestamps), as a double.
    fn hours_between(later: &str, earlier: &str) -> String;
    /// A non-negative double rounded down to an integer.
    fn whole(expr: &str) -> String;
}

impl Dialect for sqlx::Sqlite {
    fn hours_between(later: &str, earlier: &str) -> String {
        format!("((julianday({later}) - julianday({earlier})) * 24.0)")
    }

    fn whole(expr: &str) -> String {
        format!("CAST({expr} AS INTEGER)")
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
}
