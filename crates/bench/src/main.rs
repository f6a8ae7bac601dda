//! `make bench`: measures every budget of DESIGN.md the same way each time, beside what this
//! machine can physically do, prints a table and writes the rows as JSON (`BENCH_OUT`, default
//! `$CARGO_TARGET_DIR/bench-results.json`). `--quick` (`make bench QUICK=1`) runs every
//! measurement at a small size so that the harness never rots; it asserts no timing.
//!
//! Each group lives in its own module and answers rows; a group that cannot run here (no
//! PostgreSQL, no display) answers a row saying so rather than failing the whole run.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool: a broken setup should stop loudly

mod app;
mod chaos;
mod directory;
mod group;
mod limits;
mod live;
mod media;
mod mentorship;
mod notes;
mod replica;
mod report;
mod server;
mod stats;
mod sync;

use std::path::PathBuf;

use clap::Parser;
use report::Row;

/// What to run.
#[derive(Parser, Debug)]
#[command(name = "lodestar-bench")]
pub struct Args {
    /// Every measurement at a small size (CI runs this).
    #[arg(long, env = "QUICK", value_parser = clap::builder::BoolishValueParser::new(), default_value_t = false)]
    pub quick: bool,
    /// Where to write the JSON rows.
    #[arg(long, env = "BENCH_OUT")]
    pub out: Option<PathBuf>,
    /// Only the groups whose name contains this.
    #[arg(long)]
    pub only: Option<String>,
}

/// A group of measurements: given `quick`, its rows.
type Group =
    fn(bool) -> std::pin::Pin<Box<dyn std::future::Future<Output = anyhow::Result<Vec<Row>>>>>;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    // Each module: `pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>>`.
    let groups: Vec<(&str, Group)> = vec![
        ("replica", |q| Box::pin(replica::run(q))),
        ("first-sync", |q| Box::pin(sync::run(q))),
        ("group", |q| Box::pin(group::run(q))),
        ("limits", |q| Box::pin(limits::run(q))),
        ("app", |q| Box::pin(app::run(q))),
        ("server", |q| Box::pin(server::run(q))),
        ("live", |q| Box::pin(live::run(q))),
        ("chaos", |q| Box::pin(chaos::run(q))),
        ("mentorship", |q| Box::pin(mentorship::run(q))),
        ("directory", |q| Box::pin(directory::run(q))),
        ("notes", |q| Box::pin(notes::run(q))),
        ("stats", |q| Box::pin(stats::run(q))),
        ("media", |q| Box::pin(media::run(q))),
    ];
    let mut rows = Vec::new();
    for (name, group) in groups {
        if args.only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        eprintln!("bench: {name}{}", if args.quick { " (quick)" } else { "" });
        match group(args.quick).await {
            Ok(r) => rows.extend(r),
            Err(e) => {
                eprintln!("bench: {name} failed: {e:#}");
                return Err(e);
            }
        }
    }
    let against_limits = report::ratios(&rows);
    rows.extend(against_limits);
    report::print(&rows);
    let out = args.out.clone().unwrap_or_else(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| PathBuf::from("target"), PathBuf::from);
        target.join("bench-results.json")
    });
    std::fs::write(&out, serde_json::to_string_pretty(&rows)?)?;
    eprintln!("bench: {} rows written to {}", rows.len(), out.display());
    let missed = rows.iter().filter(|r| r.ok == Some(false)).count();
    if missed > 0 {
        eprintln!("bench: {missed} budget(s) missed (see the table); BENCHMARKS.md says why");
    }
    Ok(())
}
