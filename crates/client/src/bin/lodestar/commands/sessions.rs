//! PROGRAM.md's session commands: `session propose|confirm|cancel|move|notes|ics`, `sessions` and
//! `feedback`. Each works offline like `send` (queued, then sent when the server answers); a
//! refusal says why and exits 1, the entry kept failed. A session is named by its id or a
//! unique prefix of 8 characters or more; a mentorship also by `@username` of the other person.

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use lodestar_client::client::{own_time_zone, wall_clock_to_utc};
use lodestar_client::outbox::Step;
use lodestar_client::replica::mentorship::SessionChange;
use lodestar_client::{Client, ClientError};
use lodestar_protocol::{
    CreateSessionRequest, FeedbackRequest, Session, SessionStatus, UpdateSessionRequest,
};
use serde_json::json;
use uuid::Uuid;

use super::mentorship::delivered;
use crate::output::{print_json, Out};

/// The session commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Propose, move, confirm or cancel a session; show or add to its notes; print its
    /// calendar file.
    Session(SessionArgs),
    /// A mentorship's sessions (its id, or @username of the other person).
    Sessions { mentorship: String },
    /// Rate a held session: --rating 1-5 --fit good|unsure|poor [--comment C].
    Feedback {
        session: String,
        #[arg(long)]
        rating: i64,
        #[arg(long)]
        fit: String,
        #[arg(long)]
        comment: Option<String>,
    },
}

/// `session …`.
#[derive(Debug, Args)]
pub struct SessionArgs {
    #[command(subcommand)]
    action: SessionAction,
}

#[derive(Debug, Subcommand)]
enum SessionAction {
    /// Propose a session: the other person confirms it.
    Propose {
        mentorship: String,
        /// "YYYY-MM-DD HH:MM", in --tz.
        #[arg(long)]
        at: String,
        /// An IANA zone (America/Chicago); yours when absent.
        #[arg(long)]
        tz: Option<String>,
        /// Its length, 15 to 240.
        #[arg(long, default_value_t = 60)]
        minutes: i64,
        /// A video link or a place.
        #[arg(long = "where")]
        location: Option<String>,
        #[arg(long)]
        agenda: Option<String>,
    },
    /// Move a session to a new time (the other person confirms again).
    Move {
        session: String,
        /// "YYYY-MM-DD HH:MM", in --tz.
        #[arg(long)]
        at: String,
        #[arg(long)]
        tz: Option<String>,
        #[arg(long)]
        minutes: Option<i64>,
    },
    /// Confirm a session the other person proposed.
    Confirm { session: String },
    /// Cancel a session.
    Cancel {
        session: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Show a session's shared notes, or add a line to them.
    Notes {
        session: String,
        #[arg(long)]
        append: Option<String>,
    },
    /// Print a session's calendar file (RFC 5545).
    Ics { session: String },
}

/// Runs one session command.
pub async fn run(command: Command, client: &Client, out: &Out) -> Result<(), ClientError> {
    if client.signed_in().is_none() {
        return Err(ClientError::NotSignedIn);
    }
    match command {
        Command::Session(SessionArgs { action }) => session(action, client, out).await,
        Command::Sessions { mentorship } => {
            let id = client.resolve_mentorship(&mentorship).await?;
            let list = client.sessions(id).await?;
            if out.json() {
                print_json(&json!({"sessions": list}));
                return Ok(());
            }
            if list.is_empty() {
                println!("no sessions");
            }
            let zone = own_time_zone();
            for s in &list {
                println!("{}", line(s, &zone, Utc::now()));
            }
            Ok(())
        }
        Command::Feedback { session, rating, fit, comment } => {
            let req = FeedbackRequest { rating, fit, comment };
            let (f, d) = client.give_feedback(&session, req).await?;
            delivered(out, "feedback", "feedback given", json!(f), d)
        }
    }
}

async fn session(action: SessionAction, client: &Client, out: &Out) -> Result<(), ClientError> {
    match action {
        SessionAction::Propose { mentorship, at, tz, minutes, location, agenda } => {
            let id = client.resolve_mentorship(&mentorship).await?;
            let time_zone = tz.unwrap_or_else(own_time_zone);
            let req = CreateSessionRequest {
                session_id: Uuid::new_v4(),
                starts_at: wall_clock_to_utc(&at, &time_zone)?,
                duration_minutes: minutes,
                time_zone,
                location,
                agenda,
            };
            let (s, d) = client.save_session(id, SessionChange::New(req)).await?;
            let text = format!("session proposed ({})", s.session_id);
            delivered(out, "session", &text, json!(s), d)
        }
        SessionAction::Move { session, at, tz, minutes } => {
            let s = client.session(&session).await?;
            let time_zone = tz.unwrap_or_else(|| s.time_zone.clone());
            let patch = UpdateSessionRequest {
                starts_at: Some(wall_clock_to_utc(&at, &time_zone)?),
                duration_minutes: minutes,
                time_zone: Some(time_zone),
                ..Default::default()
            };
            let change = SessionChange::Edit(s.session_id, patch);
            let (s, d) = client.save_session(s.mentorship_id, change).await?;
            let text = format!("session moved, to be confirmed again ({})", s.session_id);
            delivered(out, "session", &text, json!(s), d)
        }
        SessionAction::Confirm { session } => {
            let (s, d) = client.session_step(&session, Step::Confirm).await?;
            delivered(out, "session", &format!("session confirmed ({})", s.session_id), json!(s), d)
        }
        SessionAction::Cancel { session, reason } => {
            let (s, d) = client.session_step(&session, Step::Cancel { reason }).await?;
            delivered(out, "session", &format!("session cancelled ({})", s.session_id), json!(s), d)
        }
        SessionAction::Notes { session, append: None } => {
            let (s, text) = client.session_notes(&session).await?;
            match out.json() {
                true => print_json(&json!({"session_id": s.session_id, "text": text})),
                false if text.is_empty() => println!("no notes yet"),
                false if text.ends_with('\n') => print!("{text}"),
                false => println!("{text}"),
            }
            Ok(())
        }
        SessionAction::Notes { session, append: Some(line) } => {
            let (text, d) = client.append_notes(&session, &line).await?;
            delivered(out, "notes", "notes saved", json!({"text": text}), d)
        }
        SessionAction::Ics { session } => {
            let calendar = client.session_calendar(&session).await?;
            match out.json() {
                true => print_json(&json!({"calendar": calendar})),
                false => print!("{calendar}"),
            }
            Ok(())
        }
    }
}

/// A session on one line: its short id, status, its time in `zone` (and the proposer's zone's
/// when it differs), length and place.
pub fn line(s: &Session, zone: &str, now: DateTime<Utc>) -> String {
    let status = if s.held(now) { "held" } else { s.status.as_str() };
    let mut text = format!(
        "{}  {:<9} {}  {} min",
        &s.session_id.simple().to_string()[..8],
        status,
        when(s, zone),
        s.duration_minutes
    );
    if let Some(place) = &s.location {
        text.push_str(&format!("  at {place}"));
    }
    if s.status == SessionStatus::Cancelled {
        if let Some(reason) = &s.cancel_reason {
            text.push_str(&format!("  (reason: {reason})"));
        }
    }
    text
}

/// "2026-12-10 17:00 Europe/London" (and " · 11:00 America/Chicago" for the proposer's zone).
pub fn when(s: &Session, zone: &str) -> String {
    let show = |z: &str| -> Option<String> {
        let tz: chrono_tz::Tz = z.parse().ok()?;
        Some(s.starts_at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
    };
    let own = show(zone).map_or_else(
        || format!("{} UTC", s.starts_at.format("%Y-%m-%d %H:%M")),
        |t| format!("{t} {zone}"),
    );
    match (s.time_zone != zone).then(|| show(&s.time_zone)).flatten() {
        Some(theirs) => format!("{own} · {} {}", &theirs[11..], s.time_zone),
        None => own,
    }
}
