//! `directory` and `matches`: finding people in the program (both need the server).

use clap::Subcommand;
use lodestar_client::{Client, ClientError};
use lodestar_protocol::{Match, Profile, UsersQuery};
use serde_json::json;

use crate::output::{print_json, Out};

/// The directory commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The program's directory.
    Directory {
        #[arg(long)]
        mentor: bool,
        #[arg(long)]
        mentee: bool,
        #[arg(long)]
        skill: Option<String>,
        #[arg(long)]
        industry: Option<String>,
        #[arg(long)]
        state: Option<String>,
        query: Option<String>,
    },
    /// Suggested mentors (or mentees, for a mentor).
    Matches,
}

/// Runs one directory command.
pub async fn run(command: Command, client: &Client, out: &Out) -> Result<(), ClientError> {
    match command {
        Command::Directory { mentor, mentee, skill, industry, state, query } => {
            let q = UsersQuery {
                q: query,
                mentor: mentor.then_some(true),
                mentee: mentee.then_some(true),
                skill,
                industry,
                state,
                limit: Some(100),
                ..UsersQuery::default()
            };
            profiles(out, &client.directory(&q).await?);
        }
        Command::Matches => matches(out, &client.matches().await?),
    }
    Ok(())
}

/// Directory results.
fn profiles(out: &Out, users: &[Profile]) {
    if out.json() {
        return print_json(&json!({"users": users}));
    }
    for u in users {
        let role = match (u.mentor_status, u.mentee_status) {
            (true, true) => "mentor & mentee",
            (true, false) => "mentor",
            (false, true) => "mentee",
            _ => "",
        };
        println!(
            "{:<16} {:<15} {:<30} {:<12} {}  {}",
            u.username,
            role,
            u.job_title.as_deref().unwrap_or(""),
            u.industry.as_deref().unwrap_or(""),
            u.state.as_deref().unwrap_or(""),
            u.skills.join(", ")
        );
    }
}

/// Matches.
fn matches(out: &Out, matches: &[Match]) {
    if out.json() {
        return print_json(&json!({"matches": matches}));
    }
    for m in matches {
        println!("{:<16} {:>4.0}%  {}", m.user.username, m.score * 100.0, m.reasons.join("; "));
    }
}
