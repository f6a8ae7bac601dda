//! `--demo`: fills an empty database with a believable mentorship program.
//!
//! Every account goes through the same validator as `POST /v1/auth/register` and every message
//! through the message rule, so the demo obeys the value rules by construction. The data is a
//! fixed table rather than random, so every demo shows the same people and walkthroughs and
//! screenshots stay true; only dates move, so ages and "2 hours ago" stay right whenever it runs.

mod mentorship;
mod people;
mod richer;
mod safety;

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use lodestar_protocol::validate::{self, NewUser};
use lodestar_protocol::{CreateGroupRequest, ProfileFields, RegisterRequest, Role};
use uuid::Uuid;

use crate::auth::PasswordHasher;
use crate::error::ApiError;
use crate::store::{NewAccount, NewMessage, SendOutcome, Store};
use people::Kind::{Mentee, Mentor};
use people::{Person, PEOPLE};

/// The one password of every demo account; printed at start so anyone can sign in as anyone.
const DEMO_PASSWORD: &str = "lodestar-demo";
/// `.example` is reserved (RFC 2606), so no demo address can ever reach a real inbox.
const EMAIL_DOMAIN: &str = "demo.lodestar.example";

/// A direct conversation: who writes first, who answers, when it began (hours ago), minutes
/// between messages, whether the last message is still unread, and the messages, alternating
/// from the first writer.
struct Chat(&'static str, &'static str, i64, i64, bool, &'static [&'static str]);

#[rustfmt::skip]
const CHATS: &[Chat] = &[
    Chat("owen.fischer", "maya.chen", 96, 190, true, &[
        "Hi Maya! I saw you've run Rust in production for years. I'm a backend dev (mostly Go) and want to get serious about Rust and distributed systems. Would you be open to mentoring me?",
        "Happy to! What are you building right now, and what made you curious about Rust?",
        "Our job scheduler in Go keeps hitting data races under load. A teammate rewrote one piece in Rust and the bugs just... vanished. I want to understand why.",
        "That's the borrow checker earning its keep. Read the ownership chapters of the Rust book, then port one small worker of your scheduler. Bring me the compiler errors you can't make sense of.",
        "Deal. Could we also go over system design? I have a senior interview in three weeks.",
        "Yes, let's do a mock design session on Thursday. Pick a system you know well (your scheduler is perfect) and sketch it on one page beforehand.",
    ]),
    Chat("mia.johnson", "priya.nair", 150, 240, false, &[
        "Hi Priya, I'm a data analyst hoping to move into machine learning. There's so much to learn that I don't know where to start.",
        "Totally normal feeling! Your SQL and statistics are a bigger head start than you think. Which problem at work could use a prediction instead of a dashboard?",
        "Probably churn. We report it every month but nobody predicts it.",
        "Perfect first project. Build a simple logistic regression, measure it honestly against a baseline, and write one page for your manager. Fancier models can wait.",
        "Thank you! I'll draft it this week and send it over.",
    ]),
    Chat("sofia.rossi", "sam.whitfield", 30, 150, true, &[
        "Hello Sam! I'm a nursing student graduating in the spring. I keep hearing I should work a few years before an NP program. Is that still true?",
        "Mostly, yes. Two or three years at the bedside make you a much stronger NP, and many programs expect it. Which units did you like in clinicals?",
        "Pediatrics and the ED. I loved the pace of the ED, but peds felt like home.",
        "Then look at pediatric emergency departments for your first job: you get both. I'll send you the new-grad residency programs I trust.",
    ]),
    Chat("liam.obrien", "marcus.bell", 200, 300, false, &[
        "Hi Marcus, I'm studying for CFA Level I while working in FP&A. How did you balance the studying with a full-time job?",
        "Early mornings, honestly. Ninety minutes before work five days a week, and a full mock exam every other Saturday for the last two months.",
        "That's a lot of mornings. Did you use a prep provider or just the curriculum?",
        "Curriculum plus a question bank; the question bank matters more than the videos. Also ask whether your company reimburses the exam fee. Mine did, and I almost didn't ask.",
        "I'll ask tomorrow. Thanks, this is really helpful.",
    ]),
    Chat("ethan.park", "hana.sato", 50, 200, true, &[
        "Hi Hana! Would you have time to look at my portfolio? I'm applying for mid-level product design roles.",
        "Of course, send the link. One tip before I look: open each case study with the problem and the outcome, not the process.",
        "Here it is. The checkout redesign and the design system audit are the two I care most about.",
        "The design system audit is your strongest piece, so put it first. For checkout, add the usability findings that changed your mind: that's what hiring managers look for.",
        "Thank you! I've moved it up and added the findings. Could you take one more look before I apply on Friday?",
    ]),
    Chat("kwame.asante", "dev_okafor", 20, 120, true, &[
        "Hi Dev, your profile says you help career changers. I taught science for five years and I'm learning Python and SQL to become a data analyst.",
        "Welcome! Teachers make great analysts: you already explain complicated things to tough audiences. How far along are you?",
        "I finished an intro Python course and I'm halfway through a SQL one, but I haven't built anything real yet.",
        "Then that's the next step. Find a public data set you care about (school outcomes would be a great fit) and answer three questions with SQL. Publish it with a short write-up.",
        "I like that. I could use my state's school report card data.",
        "Exactly. And before interviews we'll practice telling your teaching story as a strength, not something to apologize for.",
    ]),
    Chat("ruby.evans", "aisha.bello", 260, 360, false, &[
        "Hi Aisha! I'm writing my first grant proposal, a small foundation grant for our after-school program. Any advice?",
        "Read the funder's priorities twice and echo their language. Then make your outcomes measurable: \"kids improved\" won't win, \"80% of participants raised their reading level\" will.",
        "That's so useful. Could I send you my draft next week?",
        "Please do. I'll mark it up the way my first director did for me.",
    ]),
    Chat("chloe.nguyen", "raj.patel", 8, 45, true, &[
        "Hi Raj! I'm a sophomore who plays CTFs. How do I turn that into a security internship?",
        "CTFs are a great signal. Write up your best solves on a blog: recruiters and engineers both read those. Which categories do you play?",
        "Mostly pwn and reversing. I'm starting to learn Rust too.",
        "Nice combination. Try auditing a small open-source Rust crate that uses unsafe and write up what you find. Our internship applications open in January; ping me then.",
    ]),
];

const GROUP_NAME: &str = "Rust Mentorship Circle";
const GROUP_DESCRIPTION: &str = "A weekly circle for people learning Rust: bring a question, a \
    compiler error or a crate you love. We meet Thursdays at 6pm Pacific.";
const GROUP_OWNER: &str = "maya.chen";
const GROUP_ADMIN: &str = "alex.tran";
const GROUP_MEMBERS: &[&str] =
    &["raj.patel", "alex.tran", "owen.fischer", "leo.martin", "chloe.nguyen", "zoe.adams"];
#[rustfmt::skip]
const GROUP_CHAT: &[(&str, &str)] = &[
    ("maya.chen", "Welcome to the Rust Mentorship Circle! Introduce yourself and share what you're working on."),
    ("leo.martin", "Hi all, I'm Leo, a CS senior in Austin. I'm writing a toy key-value store in Rust for my capstone."),
    ("zoe.adams", "Zoe here, frontend dev in New York. I'm trying Rust through WebAssembly, and the borrow checker and I are still negotiating."),
    ("alex.tran", "Welcome Zoe! WebAssembly is how I got in too. Happy to pair on wasm-bindgen whenever you're stuck."),
    ("raj.patel", "For Thursday: bring one compiler error that confused you this week. We'll walk through them together."),
    ("chloe.nguyen", "I'll bring a lifetime error I've been fighting for two days."),
    ("owen.fischer", "Count me in. I'm porting one of our Go workers this week, so I'll have plenty."),
];

/// Seeds an empty database with the demo program; a database that has users is left as it is.
pub async fn seed(
    store: &dyn Store,
    hasher: &PasswordHasher,
    media: &crate::media::Media,
) -> Result<(), ApiError> {
    if !store.is_empty().await? {
        tracing::info!("the database already has users; the demo program is left as it is");
        println!("Demo accounts, where this database has them, use the password {DEMO_PASSWORD}");
        return Ok(());
    }
    let now = Utc::now();
    let today = now.date_naive();
    // One hash for all: argon2 costs tens of milliseconds each, and the salt buys nothing when
    // every account shares a published password anyway.
    let password_hash = hasher.hash(DEMO_PASSWORD).await?;
    let mut ids = HashMap::new();
    for (i, person) in PEOPLE.iter().enumerate() {
        let user = register(person, i, today)?;
        // Accounts joined over a week, a month before the conversations, like a real cohort.
        let joined = now - Duration::days(40) + Duration::hours(5 * i as i64);
        let account = NewAccount { user, password_hash: password_hash.clone() };
        ids.insert(person.0, store.create_user(account, joined).await?.profile.user_id);
    }
    let mut chats = HashMap::new();
    for chat in CHATS {
        chats.insert(chat.0, seed_chat(store, &ids, chat, now).await?);
    }
    seed_group(store, &ids, now).await?;
    mentorship::seed(store, &ids, &chats, now).await?;
    safety::seed(store, &ids, now).await?;
    richer::seed(store, media, &ids, now).await?;

    println!("Demo program ready: {} accounts, all with password {DEMO_PASSWORD}", PEOPLE.len());
    println!(
        "  Coordinator: {} (the Program section; one open report and one held message wait)",
        safety::COORDINATOR
    );
    let cells: Vec<String> =
        PEOPLE.iter().map(|p| format!("{} ({}) — {}, {}", p.0, p.1.label(), p.5, p.4)).collect();
    let width = cells.iter().map(|c| c.chars().count()).max().unwrap_or(0) + 3;
    for pair in cells.chunks(2) {
        let line: String = pair.iter().map(|c| format!("{c:<width$}")).collect();
        println!("  {}", line.trim_end());
    }
    tracing::info!(
        accounts = PEOPLE.len(),
        conversations = CHATS.len(),
        group = GROUP_NAME,
        "demo program seeded"
    );
    Ok(())
}

/// Runs `person` through the registration validator as of `today`.
fn register(person: &Person, index: usize, today: NaiveDate) -> Result<NewUser, ApiError> {
    let Person(username, kind, age, city, state, title, industry, years, skills, interests, bio) =
        *person;
    // Birthdays spread over the year; day 28 at most so every month has it.
    let month = (index % 12) as u32 + 1;
    let day = (index * 7 % 28) as u32 + 1;
    let dob = NaiveDate::from_ymd_opt(today.year() - age, month, day)
        .ok_or_else(|| ApiError::Internal(format!("demo date of birth of {username}")))?;
    let tags = |list: &str| list.split(',').map(str::to_owned).collect::<Vec<_>>();
    let req = RegisterRequest {
        username: username.to_owned(),
        email: format!("{username}@{EMAIL_DOMAIN}"),
        password: DEMO_PASSWORD.to_owned(),
        date_of_birth: dob.format("%Y-%m-%d").to_string(),
        profile: ProfileFields {
            city: Some(city.to_owned()),
            state: Some(state.to_owned()),
            bio: Some(bio.to_owned()),
            mentor_status: Some(kind != Mentee),
            mentee_status: Some(kind != Mentor),
            job_title: Some(title.to_owned()),
            years_of_experience: Some(years),
            industry: Some(industry.to_owned()),
            skills: Some(tags(skills)),
            interests: Some(tags(interests)),
            ..ProfileFields::default()
        },
    };
    validate::register(&req, today).map_err(|e| {
        tracing::error!(username, "a demo account breaks a value rule");
        ApiError::from(e)
    })
}

/// The id of a demo account by username.
fn id(ids: &HashMap<&'static str, Uuid>, username: &str) -> Result<Uuid, ApiError> {
    ids.get(username)
        .copied()
        .ok_or_else(|| ApiError::Internal(format!("demo data names no account {username}")))
}

/// Sends one validated text message and answers its id.
async fn send(
    store: &dyn Store,
    sender: Uuid,
    conversation_id: Uuid,
    text: &str,
    sent_at: DateTime<Utc>,
) -> Result<Uuid, ApiError> {
    let body = validate::message_body(Some(text), None)?;
    let message_id = Uuid::now_v7();
    let message = NewMessage { message_id, conversation_id, body, sent_at, reply_to: None };
    match store.send_message(sender, message).await? {
        SendOutcome::Created(_) => Ok(message_id),
        other => Err(ApiError::Internal(format!("demo message not stored: {other:?}"))),
    }
}

/// Opens one direct conversation and plays its messages back in order; answers their ids.
async fn seed_chat(
    store: &dyn Store,
    ids: &HashMap<&'static str, Uuid>,
    chat: &Chat,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, ApiError> {
    let &Chat(first, second, hours_ago, step_minutes, last_unread, lines) = chat;
    let (a, b) = (id(ids, first)?, id(ids, second)?);
    let start = now - Duration::hours(hours_ago);
    // Opened just before the first message, so the conversation's age matches its history.
    let opened = store.open_direct(a, b, start - Duration::minutes(2)).await?;
    let conversation_id = opened.conversation.conversation_id;
    let mut sent = Vec::with_capacity(lines.len());
    for (i, text) in lines.iter().enumerate() {
        let (from, to) = if i % 2 == 0 { (a, b) } else { (b, a) };
        let at = start + Duration::minutes(step_minutes * i as i64);
        sent.push((send(store, from, conversation_id, text, at).await?, to, at));
    }
    // Leaving the newest message unread gives the recipient a badge to find on first sign-in.
    let read = if last_unread { sent.len().saturating_sub(1) } else { sent.len() };
    for (i, &(message, reader, at)) in sent.iter().take(read).enumerate() {
        // A message was read by the time it was answered.
        let read_at = sent.get(i + 1).map_or(at + Duration::minutes(25), |next| next.2).min(now);
        store.mark_read(reader, &[message], read_at).await?;
    }
    Ok(sent.into_iter().map(|(message, _, _)| message).collect())
}

/// Creates the group, promotes an admin and plays back its conversation.
async fn seed_group(
    store: &dyn Store,
    ids: &HashMap<&'static str, Uuid>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let owner = id(ids, GROUP_OWNER)?;
    let members = GROUP_MEMBERS.iter().map(|m| id(ids, m)).collect::<Result<Vec<_>, _>>()?;
    let group = validate::new_group(&CreateGroupRequest {
        group_name: GROUP_NAME.to_owned(),
        description: Some(GROUP_DESCRIPTION.to_owned()),
        member_ids: members.clone(),
    })?;
    let group = store.create_group(owner, group, &members, now - Duration::days(12)).await?;
    store.set_role(group.group_id, id(ids, GROUP_ADMIN)?, Role::Admin).await?;
    let everyone: Vec<Uuid> = std::iter::once(owner).chain(members.iter().copied()).collect();
    let start = now - Duration::hours(70);
    // The last two stay unread for everyone, so the group shows a badge too.
    let read = GROUP_CHAT.len().saturating_sub(2);
    for (i, (who, text)) in GROUP_CHAT.iter().enumerate() {
        let sender = id(ids, who)?;
        let at = start + Duration::minutes(200 * i as i64);
        let message = send(store, sender, group.conversation_id, text, at).await?;
        if i < read {
            for &reader in everyone.iter().filter(|&&r| r != sender) {
                store.mark_read(reader, &[message], (at + Duration::minutes(30)).min(now)).await?;
            }
        }
    }
    Ok(())
}
