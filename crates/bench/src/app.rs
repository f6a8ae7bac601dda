//! The desktop app's budgets: cold start to the conversation list painted, and idle memory of
//! the whole process tree after the first sync and closed to the tray; and the same figures of the
//! floor app (`crates/floor`), which the ratio rows divide by; and the window's longest frame
//! during a first sync (animation frames recorded by the page, under WebDriver). The measuring is done by
//! `ui/tests/e2e/measure.mjs`, which starts the real release binary in a real window (the
//! display and session bus come from scripts/bench.sh): spawn → the UI's `ui_ready` (sent after
//! the first screen is painted) for the cold start, PSS from `/proc/*/smaps_rollup` over the
//! app and its WebKit processes for memory. This group runs it and turns its figures into rows.

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;

use crate::report::{Budget, Row};

#[derive(Deserialize)]
struct Figures {
    messages: u64,
    first_sync_s: f64,
    idle_pss_mib: f64,
    cold_start_ms: Vec<f64>,
    open_conversation_ms: f64,
    scroll_frame_median_ms: f64,
    dom_rows: u64,
    tray_pss_mib: f64,
    floor_cold_start_ms: Vec<f64>,
    floor_idle_pss_mib: f64,
    sync_frame_max_ms: f64,
    sync_frame_p99_ms: f64,
    sync_frames: u64,
    sync_answer_max_ms: f64,
    sync_left_at_start: u64,
}

/// The median of five runs.
fn median(runs: &[f64]) -> f64 {
    let mut sorted = runs.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

/// The workspace root (this crate lives in crates/bench).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the app measurements; an info row explains a skip when there is no display.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    if std::env::var_os("DISPLAY").is_none() {
        return Ok(vec![Row::info("app: skipped, no display (make bench provides one)", 0.0, "-")]);
    }
    let bin =
        std::env::current_exe()?.parent().context("no folder for the bench binary")?.to_owned();
    let out = tempfile::NamedTempFile::new()?;
    let messages = if quick { 2_000 } else { 100_000 };
    let status = tokio::process::Command::new("node")
        .arg(root().join("ui/tests/e2e/measure.mjs"))
        .env("MESSAGES", messages.to_string())
        .env("LODESTAR_MEASURE_OUT", out.path())
        .env("LODESTAR_BIN_DIR", &bin)
        .env("LODESTAR_APP_BIN", bin.join("lodestar-app"))
        .stdout(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::null())
        .status()
        .await
        .context("node (ui/tests/e2e/measure.mjs)")?;
    anyhow::ensure!(status.success(), "measure.mjs failed: {status}");
    let f: Figures = serde_json::from_slice(&std::fs::read(out.path())?)?;
    let mib = 1.048_576; // MB per MiB
    Ok(vec![
        Row::info(
            "limit: floor app cold start to its page painted (a bare Tauri window, same WebKitGTK; median of 5)",
            median(&f.floor_cold_start_ms),
            "ms",
        ),
        Row::info(
            "limit: floor app idle memory, whole process tree",
            f.floor_idle_pss_mib * mib,
            "MB",
        ),
        Row::budgeted(
            "app: cold start to the conversation list (median of 5)",
            median(&f.cold_start_ms),
            "ms",
            Budget::AtMost(400.0),
        ),
        Row::budgeted(
            format!("app: idle memory, whole process tree, after syncing {}", f.messages),
            f.idle_pss_mib * mib,
            "MB",
            Budget::AtMost(200.0),
        ),
        Row::budgeted(
            "app: idle memory, window closed to the tray (webview gone), whole process tree",
            f.tray_pss_mib * mib,
            "MB",
            Budget::AtMost(60.0),
        ),
        Row::info(
            format!("app: first sync of {} messages in the app", f.messages),
            f.first_sync_s,
            "s",
        ),
        Row::budgeted(
            format!("app: longest frame during a first sync of {} messages in the window", f.messages),
            f.sync_frame_max_ms,
            "ms",
            Budget::AtMost(50.0),
        ),
        Row::info("app: frame gap during that first sync, p99", f.sync_frame_p99_ms, "ms"),
        Row::info("app: frames recorded during that first sync", f.sync_frames as f64, "frames"),
        Row::info(
            "app: messages still to come when the recording began",
            f.sync_left_at_start as f64,
            "msgs",
        ),
        Row::info(
            "app: a WebDriver script's answer during that first sync, slowest",
            f.sync_answer_max_ms,
            "ms",
        ),
        Row::info(
            format!("app: open the {}-message conversation (through WebDriver)", f.messages),
            f.open_conversation_ms,
            "ms",
        ),
        Row::info(
            "app: frame after jumping to the top (older history loads)",
            f.scroll_frame_median_ms,
            "ms",
        ),
        Row::info("app: message rows in the DOM after 20 jumps", f.dom_rows as f64, "rows"),
    ])
}
