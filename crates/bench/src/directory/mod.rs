//! Group "directory": the program's directory and matches at the size of a large program
//! (issue 18): 100,000 members (2,000 with `--quick`), generated deterministically and written
//! straight into the server's database in a few transactions (signing up 100,000 people through
//! argon2 would take the bench an hour and measure nothing of the directory). Then, over real
//! HTTP against a real server, the directory with the filters people use (p95 over a mix of
//! common and selective ones) and matches for a mentee and for a mentor (p95), on SQLite and on
//! PostgreSQL when `LODESTAR_TEST_DATABASE_URL` names one.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use lodestar_tests::{Api, Backend, Database, TestServer, User};
use serde_json::json;

use crate::report::{ms, on_backends, quantile, Budget, Row};

mod members;

use members::{seed, Dice, INDUSTRIES, SKILLS, STATES, TITLES};

/// Members in the full run.
const MEMBERS: usize = 100_000;
/// Members in the quick run.
const QUICK_MEMBERS: usize = 2_000;

/// The directory searches people make, common and selective: (what, query string).
fn searches(dice: &mut Dice) -> Vec<(&'static str, String)> {
    let skill = dice.pick(SKILLS).replace(' ', "%20");
    let industry = dice.pick(INDUSTRIES);
    let state = dice.pick(STATES);
    let title = dice.pick(TITLES).split(' ').next().unwrap_or("engineer").to_lowercase();
    vec![
        ("everyone, first page", String::new()),
        ("mentors accepting requests", "mentor=true&accepting=true".into()),
        ("a skill", format!("skill={skill}")),
        ("an industry and a state", format!("industry={industry}&state={state}")),
        ("text in titles and bios", format!("q={title}")),
        ("one person's name", format!("q=m{:06}", dice.below(MEMBERS))),
        ("text nobody has", "q=zzyzx".into()),
        (
            "mentors with a skill, a state and 15+ years",
            format!("mentor=true&skill={skill}&state={state}&min_years=15"),
        ),
    ]
}

async fn timed(api: &Api, path: &str, token: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let answer = api.get(path, token).await;
    let took = started.elapsed();
    if answer.status != 200 {
        bail!("GET {path} answered {}: {}", answer.status, answer.body);
    }
    Ok(took)
}

async fn measure(backend: Backend, quick: bool) -> anyhow::Result<Vec<Row>> {
    let label = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let count = if quick { QUICK_MEMBERS } else { MEMBERS };
    let rounds = if quick { 3 } else { 20 };
    let db = std::sync::Arc::new(Database::fresh(backend).await);
    let server = TestServer::spawn_on(db.clone()).await;
    let api = &server.api;
    // Two people who search: a mentee and a mentor, signed up as anyone is.
    let mentee: User = api
        .register_from(
            "seeker",
            json!({"mentee_status": true, "skills": ["rust", "sql", "leadership"],
                   "interests": ["chess"], "industry": "Software", "state": "CA"}),
            None,
        )
        .await;
    let mentor: User = api
        .register_from(
            "guide",
            json!({"mentor_status": true, "skills": ["python", "data", "statistics"],
                   "industry": "Healthcare", "state": "NY", "years_of_experience": 12}),
            None,
        )
        .await;
    let seeded = seed(&db, backend, count).await.context("seeding the members")?;

    let mut dice = Dice(7);
    let mut samples = Vec::new();
    let mut worst: Vec<(&str, Duration)> = Vec::new();
    for _ in 0..rounds {
        for (what, query) in searches(&mut dice) {
            let took = timed(api, &format!("/v1/users?{query}"), &mentee.token).await?;
            samples.push(took);
            match worst.iter_mut().find(|(w, _)| *w == what) {
                Some((_, d)) => *d = (*d).max(took),
                None => worst.push((what, took)),
            }
        }
    }
    let mut matched = Vec::new();
    for _ in 0..rounds {
        for who in [&mentee, &mentor] {
            matched.push(timed(api, "/v1/matches", &who.token).await?);
        }
    }
    // Matches consider everyone: the best mentor for this mentee is found among all of them.
    let best = api.get("/v1/matches?limit=1", &mentee.token).await.expect(200);
    let best_score = best["matches"][0]["score"].as_f64().unwrap_or(0.0);
    server.server.stop().await;

    let size = if quick { "2,000" } else { "100,000" };
    let mut rows = vec![
        Row::info(format!("directory: {size} members written, {label}"), ms(seeded), "ms"),
        Row::budgeted(
            format!("directory: search with filters over {size} members, {label}, p95"),
            ms(quantile(&samples, 0.95)),
            "ms",
            Budget::AtMost(20.0),
        ),
        Row::budgeted(
            format!("directory: matches over {size} members, {label}, p95"),
            ms(quantile(&matched, 0.95)),
            "ms",
            Budget::AtMost(50.0),
        ),
        Row::info(format!("directory: the best match's score, {label}"), best_score, "score"),
    ];
    for (what, d) in worst {
        rows.push(Row::info(format!("directory: {label}, slowest '{what}'"), ms(d), "ms"));
    }
    Ok(rows)
}

/// Runs the group.
pub async fn run(quick: bool) -> anyhow::Result<Vec<Row>> {
    on_backends("directory", |backend| measure(backend, quick)).await
}
