//! The rows `make bench` prints and writes: `name, value, unit, budget, verdict`.

use std::time::Duration;

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
    fn verdicts_follow_the_budget_direction() {
        assert_eq!(Row::budgeted("a", 0.9, "ms", Budget::AtMost(1.0)).ok, Some(true));
        assert_eq!(Row::budgeted("a", 1.1, "ms", Budget::AtMost(1.0)).ok, Some(false));
        assert_eq!(Row::budgeted("b", 9_000.0, "msg/s", Budget::AtLeast(10_000.0)).ok, Some(false));
        assert_eq!(Row::info("c", 1.0, "ms").ok, None);
    }
}
