//! The rows `make bench` prints and writes: `name, value, unit, budget, verdict`.

use std::future::Future;
use std::time::Duration;

use lodestar_tests::Backend;
use serde::Serialize;

/// A DESIGN.md budget.
#[derive(Debug, Clone, Copy)]
pub enum Budget {
    /// The value must not exceed this.
    AtMost(f64),
    /// The value must reach this.
    AtLeast(f64),
}

impl Budget {
    fn holds(self, value: f64) -> bool {
        match self {
            Budget::AtMost(b) => value <= b,
            Budget::AtLeast(b) => value >= b,
        }
    }

    fn text(self, unit: &str) -> String {
        match self {
            Budget::AtMost(b) => format!("<= {b} {unit}"),
            Budget::AtLeast(b) => format!(">= {b} {unit}"),
        }
    }
}

/// One measured figure.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// What was measured, with its size and conditions.
    pub name: String,
    /// The figure.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// The budget, as text; none for limits and context figures.
    pub budget: Option<String>,
    /// Whether the budget holds; none when there is no budget.
    pub ok: Option<bool>,
}

impl Row {
    /// A figure with no budget (a limit, or context).
    pub fn info(name: impl Into<String>, value: f64, unit: &str) -> Row {
        Row { name: name.into(), value, unit: unit.to_owned(), budget: None, ok: None }
    }

    /// A figure held to a budget.
    pub fn budgeted(name: impl Into<String>, value: f64, unit: &str, budget: Budget) -> Row {
        Row {
            name: name.into(),
            value,
            unit: unit.to_owned(),
            budget: Some(budget.text(unit)),
            ok: Some(budget.holds(value)),
        }
    }
}

/// `measure`'s rows on SQLite, then on PostgreSQL when `LODESTAR_TEST_DATABASE_URL` names one;
/// without it, a row saying that `what` was skipped there.
pub async fn on_backends<F, Fut>(what: &str, mut measure: F) -> anyhow::Result<Vec<Row>>
where
    F: FnMut(Backend) -> Fut,
    Fut: Future<Output = anyhow::Result<Vec<Row>>>,
{
    let mut rows = measure(Backend::Sqlite).await?;
    if std::env::var_os("LODESTAR_TEST_DATABASE_URL").is_some() {
        rows.extend(measure(Backend::Postgres).await?);
    } else {
        rows.push(Row::info(
            format!("{what} on PostgreSQL SKIPPED: LODESTAR_TEST_DATABASE_URL unset (run under scripts/with-postgres.sh)"),
            f64::NAN,
            "-",
        ));
    }
    Ok(rows)
}

/// Milliseconds, for rows.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `q`-quantile (0..=1) of some samples (nearest rank); zero when there are none.
pub fn quantile(samples: &[Duration], q: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// A figure read against a limit measured in the same run, by the start of their row names.
struct Against {
    figure: &'static str,
    limit: &'static str,
    /// Rates compare as rates (first-sync and server sizes differ in --quick): the figure's row
    /// is the one in msg/s.
    rate: bool,
    /// The budget on figure / limit: a share of the limit's rate, or a multiple of its latency.
    budget: Option<Budget>,
}

/// The ratio budgets (issue 18): the same code on a busier day of this machine is slower in
/// milliseconds but not against the floor measured beside it, so the verdict reads the ratio.
const AGAINST: &[Against] = &[
    Against {
        figure: "first sync: ",
        limit: "limit: raw SQLite insert rate",
        rate: true,
        budget: Some(Budget::AtLeast(0.8)),
    },
    Against {
        figure: "server: msgs accepted durably/s, SQLite, 256",
        limit: "limit: raw SQLite insert rate",
        rate: true,
        budget: Some(Budget::AtLeast(0.3)),
    },
    Against {
        figure: "server: msgs accepted durably/s, PostgreSQL, 256",
        limit: "limit: raw SQLite insert rate",
        rate: true,
        budget: Some(Budget::AtLeast(0.3)),
    },
    Against {
        figure: "live: seen in recipient's replica p50",
        limit: "limit: WebSocket echo round trip p50",
        rate: false,
        budget: Some(Budget::AtMost(150.0)),
    },
    Against {
        figure: "live: seen in recipient's replica p99",
        limit: "limit: WebSocket echo round trip p99",
        rate: false,
        budget: Some(Budget::AtMost(300.0)),
    },
    Against {
        figure: "app: cold start to the conversation list",
        limit: "limit: floor app cold start",
        rate: false,
        budget: Some(Budget::AtMost(1.5)),
    },
    Against {
        figure: "app: idle memory, whole process tree",
        limit: "limit: floor app idle memory",
        rate: false,
        budget: Some(Budget::AtMost(1.3)),
    },
    Against {
        figure: "live: WS frame arrival p50",
        limit: "limit: WebSocket echo round trip p50",
        rate: false,
        budget: None,
    },
];

/// The ratio rows: each figure of [`AGAINST`] present in `rows` over its limit, judged by its
/// ratio budget when it has one.
pub fn ratios(rows: &[Row]) -> Vec<Row> {
    let find = |start: &str, unit: Option<&str>| {
        rows.iter().find(|r| r.name.starts_with(start) && unit.is_none_or(|u| r.unit == u))
    };
    AGAINST
        .iter()
        .filter_map(|a| {
            let (f, l) = (find(a.figure, a.rate.then_some("msg/s"))?, find(a.limit, None)?);
            let ratio = f.value / l.value;
            let name = format!("ratio: {} / {}", f.name, l.name);
            ratio.is_finite().then(|| match a.budget {
                Some(budget) => Row::budgeted(name, ratio, "x", budget),
                None => Row::info(name, ratio, "x"),
            })
        })
        .collect()
}

/// Prints the table.
pub fn print(rows: &[Row]) {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    println!("{:<width$}  {:>12}  {:<6}  {:<16}  verdict", "name", "value", "unit", "budget");
    for r in rows {
        let verdict = match r.ok {
            Some(true) => "ok",
            Some(false) => "MISS",
            None => "-",
        };
        println!(
            "{:<width$}  {:>12}  {:<6}  {:<16}  {verdict}",
            r.name,
            format_value(r.value),
            r.unit,
            r.budget.as_deref().unwrap_or("-"),
        );
    }
}

fn format_value(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let s: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(quantile(&s, 0.5), Duration::from_millis(50));
        assert_eq!(quantile(&s, 0.99), Duration::from_millis(99));
        assert_eq!(quantile(&s, 1.0), Duration::from_millis(100));
        assert_eq!(quantile(&[], 0.5), Duration::ZERO);
    }

    #[test]
    fn ratios_read_rates_and_latencies_against_their_floors() {
        let rows = [
            Row::info("limit: raw SQLite insert rate (5k rows)", 50_000.0, "rows/s"),
            Row::info("first sync: 5k messages, rate", 25_000.0, "msg/s"),
            Row::info("first sync: seed server", 3.0, "s"),
            Row::info("limit: WebSocket echo round trip p50", 0.1, "ms"),
            Row::info("live: seen in recipient's replica p50, 50 clients", 4.0, "ms"),
            Row::info("limit: floor app idle memory, whole process tree", 200.0, "MB"),
            Row::info("app: idle memory, whole process tree, after syncing 2000", 270.0, "MB"),
        ];
        let r = ratios(&rows);
        assert_eq!(r.len(), 3, "{r:?}");
        assert!(r[0].name.contains("first sync: 5k messages, rate"));
        assert!((r[0].value - 0.5).abs() < 1e-9, "a rate half the limit's is 0.5x");
        assert_eq!(r[0].ok, Some(false), "first sync must reach 0.8x the raw insert rate");
        assert!((r[1].value - 40.0).abs() < 1e-9, "a latency 40 times the echo is 40x");
        assert_eq!(r[1].ok, Some(true), "delivery p50 may be 150x the echo");
        assert!(r[2].name.starts_with("ratio: app: idle memory"));
        assert_eq!(r[2].ok, Some(false), "1.35x the floor's memory is over 1.3x");
        assert!(r.iter().all(|r| r.unit == "x"));
    }

    #[test]
    fn verdicts_follow_the_budget_direction() {
        assert_eq!(Row::budgeted("a", 0.9, "ms", Budget::AtMost(1.0)).ok, Some(true));
        assert_eq!(Row::budgeted("a", 1.1, "ms", Budget::AtMost(1.0)).ok, Some(false));
        assert_eq!(Row::budgeted("b", 9_000.0, "msg/s", Budget::AtLeast(10_000.0)).ok, Some(false));
        assert_eq!(Row::info("c", 1.0, "ms").ok, None);
    }
}
