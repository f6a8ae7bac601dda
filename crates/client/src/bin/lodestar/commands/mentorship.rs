//! PROGRAM.md's mentorship commands: `request`, `requests`, `accept`, `decline`, `withdraw`,
//! `mentorships` (with each one's next session), `end`, `goal`, `goals` and `task`. Each works offline like `send` (queued,
//! then sent when the server answers); a refusal says why and exits 1, the entry kept failed.
//! A request, goal or task is named by its id or a unique prefix of 8 characters or more; a
//! mentorship also by `@username` of the other person.

use clap::{Args, Subcommand};
use lodestar_client::client::Delivery;
use lodestar_client::outbox::Answer;
use lodestar_client::replica::mentorship::{GoalChange, Named, TaskChange};
use lodestar_client::{Client, ClientError};
use lodestar_protocol::{
    CreateGoalRequest, CreateTaskRequest, ErrorCode, Goal, Mentorship, MentorshipRequest,
    RequestBox, RequestStatus, Task, UpdateGoalRequest, UpdateTaskRequest,
};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::output::{print_json, Out};

/// The mentorship commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ask a mentor (@username or id) for mentorship.
    Request { mentor: String, text: String },
    /// Your requests: to you as mentor, from you as mentee.
    Requests {
        #[arg(long, conflicts_with = "outgoing")]
        incoming: bool,
        #[arg(long)]
        outgoing: bool,
        /// pending, accepted, declined, withdrawn or expired.
        #[arg(long)]
        status: Option<String>,
    },
    /// Accept a request (you are its mentor): the mentorship starts.
    Accept { request: String },
    /// Decline a request (you are its mentor).
    Decline {
        request: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Take back a request you made.
    Withdraw { request: String },
    /// Your mentorships, with each one's open and overdue tasks.
    Mentorships,
    /// End a mentorship (its id, or @username of the other person).
    End {
        mentorship: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Add a goal, or mark one achieved.
    Goal(GoalArgs),
    /// A mentorship's goals and tasks.
    Goals { mentorship: String },
    /// Add an action item, or tick one.
    Task(TaskArgs),
}

/// `goal add MENTORSHIP TITLE [--due D]` | `goal done GOAL`.
#[derive(Debug, Args)]
pub struct GoalArgs {
    #[command(subcommand)]
    action: GoalAction,
}

#[derive(Debug, Subcommand)]
enum GoalAction {
    /// Add a goal to a mentorship.
    Add {
        mentorship: String,
        title: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        due: Option<String>,
    },
    /// Mark a goal achieved.
    Done { goal: String },
}

/// `task add MENTORSHIP TITLE [--for U] [--due D] [--from MESSAGE]` | `task done TASK`.
#[derive(Debug, Args)]
pub struct TaskArgs {
    #[command(subcommand)]
    action: TaskAction,
}

#[derive(Debug, Subcommand)]
enum TaskAction {
    /// Add an action item to a mentorship.
    Add {
        mentorship: String,
        title: String,
        /// Who owes it (the other person's username); you when absent.
        #[arg(long = "for")]
        assignee: Option<String>,
        /// YYYY-MM-DD.
        #[arg(long)]
        due: Option<String>,
        /// The id of the message of the pair's conversation it comes from.
        #[arg(long = "from")]
        message: Option<Uuid>,
    },
    /// Tick an action item.
    Done { task: String },
}

/// Runs one mentorship command.
pub async fn run(command: Command, client: &Client, out: &Out) -> Result<(), ClientError> {
    if client.signed_in().is_none() {
        return Err(ClientError::NotSignedIn);
    }
    match command {
        Command::Request { mentor, text } => {
            let (r, d) = client.request_mentorship(&mentor, &text).await?;
            delivered(out, "request", &format!("asked ({})", r.request_id), json!(r), d)
        }
        Command::Requests { incoming, outgoing, status } => {
            let mailbox = match (incoming, outgoing) {
                (true, _) => Some(RequestBox::Incoming),
                (_, true) => Some(RequestBox::Outgoing),
                _ => None,
            };
            let status = match status.as_deref().map(str::trim) {
                None => None,
                Some(s) => Some(RequestStatus::parse(s).ok_or_else(|| invalid("status"))?),
            };
            let list: Vec<MentorshipRequest> = client
                .requests(mailbox)
                .await?
                .into_iter()
                .filter(|r| status.is_none_or(|s| r.status == s))
                .collect();
            requests(out, client, &list).await
        }
        Command::Accept { request } => answer(out, client, &request, Answer::Accept).await,
        Command::Decline { request, reason } => {
            answer(out, client, &request, Answer::Decline { reason }).await
        }
        Command::Withdraw { request } => answer(out, client, &request, Answer::Withdraw).await,
        Command::Mentorships => mentorships(out, client).await,
        Command::End { mentorship, reason } => {
            let id = client.resolve_mentorship(&mentorship).await?;
            let (m, d) = client.end_mentorship(id, reason.as_deref()).await?;
            delivered(out, "mentorship", &format!("ended ({})", m.mentorship_id), json!(m), d)
        }
        Command::Goal(GoalArgs { action: GoalAction::Add { mentorship, title, due } }) => {
            let id = client.resolve_mentorship(&mentorship).await?;
            let req =
                CreateGoalRequest { goal_id: Uuid::new_v4(), title, details: None, due_date: due };
            let (g, d) = client.save_goal(id, GoalChange::New(req)).await?;
            delivered(out, "goal", &format!("goal added ({})", g.goal_id), json!(g), d)
        }
        Command::Goal(GoalArgs { action: GoalAction::Done { goal } }) => {
            let (m, id) = client.resolve_item(Named::Goal, &goal).await?;
            let patch =
                UpdateGoalRequest { status: Some(Some("achieved".into())), ..Default::default() };
            let (g, d) = client.save_goal(m, GoalChange::Edit(id, patch)).await?;
            delivered(out, "goal", &format!("goal achieved ({})", g.goal_id), json!(g), d)
        }
        Command::Goals { mentorship } => {
            let id = client.resolve_mentorship(&mentorship).await?;
            let (m, goals, tasks) = client.mentorship(id).await?;
            plan(out, &m, &goals, &tasks)
        }
        Command::Task(TaskArgs {
            action: TaskAction::Add { mentorship, title, assignee, due, message },
        }) => {
            let id = client.resolve_mentorship(&mentorship).await?;
            let assignee_id = match assignee {
                Some(name) => Some(client.user_id(&name).await?),
                None => None,
            };
            let req = CreateTaskRequest {
                task_id: Uuid::new_v4(),
                title,
                assignee_id,
                goal_id: None,
                due_date: due,
                source_message_id: message,
            };
            let (t, d) = client.save_task(id, TaskChange::New(req)).await?;
            delivered(out, "task", &format!("action item added ({})", t.task_id), json!(t), d)
        }
        Command::Task(TaskArgs { action: TaskAction::Done { task } }) => {
            let (m, id) = client.resolve_item(Named::Task, &task).await?;
            let patch = UpdateTaskRequest { done: Some(true), ..Default::default() };
            let (t, d) = client.save_task(m, TaskChange::Edit(id, patch)).await?;
            delivered(out, "task", &format!("action item done ({})", t.task_id), json!(t), d)
        }
    }
}

fn invalid(field: &str) -> ClientError {
    let mut e = lodestar_protocol::FieldErrors::default();
    e.add(field, "invalid");
    ClientError::Invalid(e)
}

async fn answer(out: &Out, client: &Client, request: &str, a: Answer) -> Result<(), ClientError> {
    let verb = match a {
        Answer::Accept => "accepted",
        Answer::Decline { .. } => "declined",
        Answer::Withdraw => "withdrawn",
    };
    let (r, d) = client.answer_request(request, a).await?;
    delivered(out, "request", &format!("{verb} ({})", r.request_id), json!(r), d)
}

/// What an action changed and how delivery went; a refusal is an error (exit 1) naming the
/// server's reason, the entry kept in the outbox as failed.
pub fn delivered(
    out: &Out,
    key: &str,
    text: &str,
    object: Value,
    delivery: Delivery,
) -> Result<(), ClientError> {
    match delivery {
        Delivery::Sent => out.done(text, json!({key: object, "delivered": true})),
        Delivery::Queued => out.done(
            &format!("{text}; queued, it will be sent when the server can be reached"),
            json!({key: object, "delivered": false}),
        ),
        Delivery::Refused(reason) => {
            let (code, message) = reason.split_once(": ").unwrap_or(("unknown", &reason));
            let code = serde_json::from_value(json!(code)).unwrap_or(ErrorCode::Unknown);
            return Err(ClientError::Rule {
                code,
                message: format!(
                    "the server refused it: {message} (kept in the outbox as failed; see `lodestar outbox`)"
                ),
            });
        }
    }
    Ok(())
}

async fn requests(
    out: &Out,
    client: &Client,
    list: &[MentorshipRequest],
) -> Result<(), ClientError> {
    if out.json() {
        print_json(&json!({"requests": list}));
        return Ok(());
    }
    if list.is_empty() {
        println!("no requests");
    }
    let me = client.signed_in().map(|s| s.0);
    for r in list {
        let (arrow, other) =
            if Some(r.mentor_id) == me { ("from", r.mentee_id) } else { ("to", r.mentor_id) };
        let name = client.username(other).await?;
        let mut line = format!(
            "{}  {:<9} {arrow} {name}  {}",
            &r.request_id.simple().to_string()[..8],
            r.status.as_str(),
            lodestar_client::engine::notify::preview_text(&r.message)
        );
        if r.status == RequestStatus::Pending {
            line.push_str(&format!("  (expires {})", r.expires_at.format("%Y-%m-%d")));
        }
        if let Some(reason) = &r.decline_reason {
            line.push_str(&format!("  (reason: {reason})"));
        }
        println!("{line}");
    }
    Ok(())
}

async fn mentorships(out: &Out, client: &Client) -> Result<(), ClientError> {
    let list = client.mentorships().await?;
    let me = client.signed_in().map(|s| s.0);
    let now = chrono::Utc::now();
    let today = now.date_naive();
    let next = client.next_sessions(now).await?;
    let zone = lodestar_client::client::own_time_zone();
    let mut rows = Vec::new();
    for m in &list {
        let (_, _, tasks) = client.mentorship(m.mentorship_id).await?;
        let open = tasks.iter().filter(|t| t.done_at.is_none()).count();
        let overdue = tasks.iter().filter(|t| t.overdue_on(today)).count();
        let other = if Some(m.mentor_id) == me { m.mentee_id } else { m.mentor_id };
        let role = if Some(m.mentor_id) == me { "mentee" } else { "mentor" };
        let next = next.iter().find(|s| s.mentorship_id == m.mentorship_id);
        rows.push((m, client.username(other).await?, role, open, overdue, next));
    }
    if out.json() {
        let items: Vec<Value> = rows
            .iter()
            .map(|(m, name, _, open, overdue, next)| {
                let mut v = json!(m);
                v["next_session"] = json!(next);
                v["other_username"] = json!(name);
                v["open_tasks"] = json!(open);
                v["overdue_tasks"] = json!(overdue);
                v
            })
            .collect();
        print_json(&json!({"mentorships": items}));
        return Ok(());
    }
    if rows.is_empty() {
        println!("no mentorships");
    }
    for (m, name, role, open, overdue, next) in rows {
        let short = &m.mentorship_id.simple().to_string()[..8];
        let next = next.map(|s| {
            format!("; next session {} ({})", super::sessions::when(s, &zone), s.status.as_str())
        });
        println!(
            "{short}  {:<6} your {role} {name}  {open} open tasks{}{}",
            m.status.as_str(),
            if overdue > 0 { format!(", {overdue} overdue") } else { String::new() },
            next.unwrap_or_default()
        );
    }
    Ok(())
}

fn plan(out: &Out, m: &Mentorship, goals: &[Goal], tasks: &[Task]) -> Result<(), ClientError> {
    if out.json() {
        print_json(&json!({"mentorship": m, "goals": goals, "tasks": tasks}));
        return Ok(());
    }
    let today = chrono::Utc::now().date_naive();
    let due = |d: Option<chrono::NaiveDate>| d.map(|d| format!("  due {d}")).unwrap_or_default();
    println!("goals:");
    for g in goals {
        let short = &g.goal_id.simple().to_string()[..8];
        println!("  {short}  [{}] {}{}", g.status.as_str(), g.title, due(g.due_date));
    }
    println!("action items:");
    for t in tasks {
        let short = &t.task_id.simple().to_string()[..8];
        let mark = if t.done_at.is_some() {
            "x"
        } else if t.overdue_on(today) {
            "!"
        } else {
            " "
        };
        println!("  {short}  [{mark}] {}{}", t.title, due(t.due_date));
    }
    Ok(())
}
