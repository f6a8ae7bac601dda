//! A seeded, reproducible simulation of several engine clients against one real server.
//!
//! Five users each run the client engine as a library (a `Replica` and `sync::{push, pull}`).
//! Step by step, a seeded PRNG picks a user and an action: go offline or online; open a direct
//! conversation (over HTTP, or offline in the replica); queue a message or a profile edit; mark
//! a conversation read; push; pull; create a group, add a member (or an admin), leave, remove a
//! member, delete a group (over HTTP, online only); restart the app; crash mid-push (the server
//! acts on the first request, the answer is lost on the way back, the app is killed and
//! restarted); everyone online pushing and pulling at the same moment. An offline client talks
//! to a port where nothing listens, so its pushes stop and its pulls fail and its outbox grows.
//!
//! At the end everyone comes online and pushes and pulls until a whole round moves nothing;
//! then, for every user:
//!
//! 1. the replica's conversation list has exactly the conversations `GET /v1/conversations`
//!    lists, with the same type, newest message and unread count, nothing pending;
//! 2. every conversation's messages in the replica equal the server's full history, in the same
//!    order, with the same ids, seqs, senders, times and content, none pending or failed;
//! 3. every message any client queued is on the server exactly once, unaltered, or (only when
//!    its sender was not a member of the group at some point after queueing it) failed in the
//!    sender's outbox with the server's reason: never silently dropped (messages of a deleted
//!    group may be gone with it). The server holds nothing else; each sender's messages in a
//!    conversation have seqs in the order they were typed;
//! 4. the outbox is empty but for those failed messages;
//! 5. the replica's own profile is the server's, which is the last edit typed.
//!
//! Seeds: `SEEDS` on both backends, or one seed with `LODESTAR_SIM_SEED=<n>` (and optionally
//! `LODESTAR_SIM_STEPS=<n>`); `LODESTAR_SIM_TRACE=1` prints every step as it happens. Every
//! choice depends only on the seed (conversations are picked in the order the simulation made
//! them, never by random ids or clocks; concurrent phases are followed by a plain pull), so a
//! seed replays the same actions on either backend; the summary line prints a fingerprint of
//! the trace to show it. A failing seed prints its problems and the tail of its trace.
//!
//! Two more tests at the end run two writers on *one* replica at once (a push with a push, a
//! push with a pull), as the app's background sync and a command do. Races are not seedable,
//! so they are kept out of the simulation and repeated until they would show.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use lodestar_client::replica::{MessageStatus, OutboxState};
use lodestar_client::sync::{pull, push, PushReport};
use lodestar_client::{Api as EngineApi, ClientError, Replica};
use lodestar_protocol::{direct_conversation_id, ConversationList, Message, MessagesPage, Role};
use lodestar_tests::proxy::{FaultProxy, Mode};
use lodestar_tests::{Backend, TestServer, User};
use serde_json::json;
use uuid::Uuid;

/// The seeds every run tries, on each backend.
const SEEDS: [u64; 3] = [0x5EED_0001, 20_261_124, 7_777_777];
/// Steps per seed unless `LODESTAR_SIM_STEPS` says otherwise.
const STEPS: usize = 250;
/// The simulated people.
const NAMES: [&str; 5] = ["ann", "ben", "cat", "dan", "eve"];
/// At most this many groups at once.
const MAX_GROUPS: usize = 4;
/// At most this many groups in all.
const MAX_GROUPS_MADE: usize = 8;
/// Marks a step that started and has not finished.
const UNFINISHED: &str = " ... (started, never finished)";
/// Rounds of push and pull everyone gets at the end to become quiet.
const QUIET_ROUNDS: usize = 10;

/// splitmix64: tiny, fast, and the same numbers on every machine.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "below(0)");
        (self.next_u64() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// What one step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Toggle,
    OpenDirect,
    Send,
    Read,
    Pull,
    Push,
    CreateGroup,
    AddMember,
    Leave,
    Remove,
    DeleteGroup,
    EditProfile,
    PullAll,
    SyncAllAtOnce,
    Restart,
    CrashMidPush,
}

/// One user's device.
struct Client {
    user: User,
    online: bool,
    api: EngineApi,
    /// The same client pointed at a port where nothing listens: the network is down.
    offline: EngineApi,
    replica: Replica,
    path: PathBuf,
}

impl Client {
    fn name(&self) -> &str {
        &self.user.username
    }

    fn net(&self) -> &EngineApi {
        if self.online {
            &self.api
        } else {
            &self.offline
        }
    }
}

/// A group as the server has it (the simulation's model, refreshed from the server after
/// every change the server may decide on, such as who inherits ownership).
struct GroupModel {
    group_id: Uuid,
    conversation_id: Uuid,
    label: String,
    members: BTreeMap<usize, Role>,
}

/// A message some client queued.
struct Queued {
    sender: usize,
    conversation_id: Uuid,
    message_id: Uuid,
    content: String,
    media_url: Option<String>,
    /// The sender was not a member of the group at some point after queueing it: the server
    /// may refuse it (then it must end failed in the outbox, never silently dropped).
    may_be_refused: bool,
    /// Its group was deleted, history and all: it may be nowhere at the end.
    gone_with_group: bool,
    step: usize,
}

#[derive(Default)]
struct Counts {
    disconnects: usize,
    messages: usize,
    reads: usize,
    pushes: usize,
    pulls: usize,
    offline_attempts: usize,
    group_changes: usize,
    directs: usize,
    restarts: usize,
    crashes: usize,
    lost_answers: usize,
    concurrent_syncs: usize,
}

type Trace = Arc<Mutex<Vec<String>>>;

struct Sim {
    seed: u64,
    rng: Rng,
    s: TestServer,
    /// Between the server and a client that is about to crash: the server acts on what it
    /// receives, every answer is swallowed.
    proxy: FaultProxy,
    clients: Vec<Client>,
    by_id: HashMap<Uuid, usize>,
    groups: Vec<GroupModel>,
    groups_made: usize,
    /// The conversations of deleted groups.
    deleted: HashSet<Uuid>,
    /// The last bio each user typed.
    bios: HashMap<usize, String>,
    directs: BTreeMap<(usize, usize), Uuid>,
    /// A readable name for every conversation the simulation made.
    labels: HashMap<Uuid, String>,
    /// Conversations in the order the simulation made them (the order choices are made in).
    made: Vec<Uuid>,
    queued: Vec<Queued>,
    queued_index: HashMap<Uuid, usize>,
    trace: Trace,
    verbose: bool,
    step: usize,
    counts: Counts,
    _dir: tempfile::TempDir,
}

/// A server address where nothing listens.
fn unreachable_base() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    format!("http://127.0.0.1:{port}")
}

fn short(id: Uuid) -> String {
    id.simple().to_string()[..8].to_owned()
}

impl Sim {
    async fn new(backend: Backend, seed: u64, trace: Trace) -> Sim {
        let s = TestServer::spawn(backend).await;
        let proxy = FaultProxy::start(s.server.addr).await;
        proxy.set_mode(Mode::SwallowResponses);
        let dir = tempfile::tempdir().unwrap();
        let offline_base = unreachable_base();
        let mut clients = Vec::new();
        let mut by_id = HashMap::new();
        for (i, name) in NAMES.iter().enumerate() {
            let user = s.api.register(name).await;
            let api = EngineApi::new(&s.api.base).unwrap().with_token(&user.token);
            let offline = EngineApi::new(&offline_base).unwrap().with_token(&user.token);
            let path = dir.path().join(format!("{name}.db"));
            let replica = Replica::open(&path).await.unwrap();
            replica.set_me(user.id).await.unwrap();
            by_id.insert(user.id, i);
            clients.push(Client { user, online: true, api, offline, replica, path });
        }
        Sim {
            seed,
            rng: Rng(seed),
            s,
            proxy,
            clients,
            by_id,
            groups: Vec::new(),
            groups_made: 0,
            deleted: HashSet::new(),
            bios: HashMap::new(),
            directs: BTreeMap::new(),
            labels: HashMap::new(),
            made: Vec::new(),
            queued: Vec::new(),
            queued_index: HashMap::new(),
            trace,
            verbose: std::env::var("LODESTAR_SIM_TRACE").is_ok_and(|v| !v.is_empty() && v != "0"),
            step: 0,
            counts: Counts::default(),
            _dir: dir,
        }
    }

    /// Records what a step did (replacing the note that it started).
    fn log(&self, line: String) {
        let line = format!("[{:>3}] {line}", self.step);
        if self.verbose {
            println!("seed {}: {line}", self.seed);
        }
        let mut trace = self.trace.lock().unwrap();
        if trace.last().is_some_and(|l| l.ends_with(UNFINISHED)) {
            trace.pop();
        }
        trace.push(line);
    }

    fn label(&self, conversation_id: Uuid) -> String {
        self.labels
            .get(&conversation_id)
            .cloned()
            .unwrap_or_else(|| format!("?{}", short(conversation_id)))
    }

    fn remember(&mut self, conversation_id: Uuid, label: String) {
        if let std::collections::hash_map::Entry::Vacant(e) = self.labels.entry(conversation_id) {
            e.insert(label);
            self.made.push(conversation_id);
        }
    }

    fn group_of(&self, conversation_id: Uuid) -> Option<&GroupModel> {
        self.groups.iter().find(|g| g.conversation_id == conversation_id)
    }

    /// The conversations `u`'s replica shows, in the order the simulation made them.
    async fn local_conversations(&self, u: usize) -> Vec<Uuid> {
        let c = &self.clients[u];
        let items = c.replica.conversations(c.user.id).await.unwrap();
        let shown: HashSet<Uuid> = items.iter().map(|i| i.conversation_id).collect();
        let mut out: Vec<Uuid> =
            self.made.iter().copied().filter(|id| shown.contains(id)).collect();
        let mut unknown: Vec<Uuid> =
            shown.into_iter().filter(|id| !self.labels.contains_key(id)).collect();
        unknown.sort();
        out.extend(unknown);
        out
    }

    /// The groups `u` may act on for `action`, as the server sees them.
    fn group_choices(&self, u: usize, action: Action) -> Vec<usize> {
        let everyone = self.clients.len();
        (0..self.groups.len())
            .filter(|&g| {
                let group = &self.groups[g];
                let Some(&role) = group.members.get(&u) else { return false };
                match action {
                    Action::AddMember => role >= Role::Admin && group.members.len() < everyone,
                    Action::Leave => group.members.len() >= 2,
                    Action::Remove => !self.removable(g, u).is_empty(),
                    Action::DeleteGroup => role == Role::Owner,
                    _ => false,
                }
            })
            .collect()
    }

    /// Whom `u` may remove from group `g`: an owner anyone else, an admin plain members.
    fn removable(&self, g: usize, u: usize) -> Vec<usize> {
        let group = &self.groups[g];
        let Some(&role) = group.members.get(&u) else { return Vec::new() };
        group
            .members
            .iter()
            .filter(|(&m, &r)| {
                m != u
                    && match role {
                        Role::Owner => true,
                        Role::Admin => r == Role::Member,
                        Role::Member => false,
                    }
            })
            .map(|(&m, _)| m)
            .collect()
    }

    async fn choose(&mut self, u: usize) -> Action {
        let online = self.clients[u].online;
        let has_conversation = !self.local_conversations(u).await.is_empty();
        let mut weighted: Vec<(Action, u32)> = vec![
            (Action::Toggle, 10),
            (Action::OpenDirect, 6),
            (Action::PullAll, 3),
            (Action::SyncAllAtOnce, 3),
            (Action::Restart, 2),
            (Action::Pull, 10),
            (Action::EditProfile, 3),
        ];
        if has_conversation {
            weighted.push((Action::Send, 36));
            weighted.push((Action::Read, 12));
        }
        if online {
            weighted.push((Action::Push, 6));
            let (waiting, _) = self.clients[u].replica.outbox_counts().await.unwrap();
            if waiting > 0 {
                weighted.push((Action::CrashMidPush, 8));
            }
            if self.groups.len() < MAX_GROUPS && self.groups_made < MAX_GROUPS_MADE {
                weighted.push((Action::CreateGroup, 6));
            }
            for (action, weight) in [
                (Action::AddMember, 14),
                (Action::Leave, 5),
                (Action::Remove, 5),
                (Action::DeleteGroup, 1),
            ] {
                if !self.group_choices(u, action).is_empty() {
                    weighted.push((action, weight));
                }
            }
        }
        let total: u32 = weighted.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.below(total as usize) as u32;
        for (action, weight) in weighted {
            if roll < weight {
                return action;
            }
            roll -= weight;
        }
        unreachable!("the roll is below the total")
    }

    async fn run_step(&mut self) {
        let u = self.rng.below(self.clients.len());
        let action = self.choose(u).await;
        // Kept only if the step never finishes (a panic): the trace then says what it was doing.
        let note = format!("[{:>3}] {}: {action:?}{UNFINISHED}", self.step, self.clients[u].name());
        self.trace.lock().unwrap().push(note);
        match action {
            Action::Toggle => self.toggle(u),
            Action::OpenDirect => self.open_direct(u).await,
            Action::Send => self.send(u).await,
            Action::Read => self.read(u).await,
            Action::Pull => {
                let what = self.pull_one(u).await;
                self.log(format!("{} pulls: {what}", self.clients[u].name()));
            }
            Action::Push => {
                let what = self.push_one(u).await;
                self.log(format!("{} pushes: {what}", self.clients[u].name()));
            }
            Action::CreateGroup => self.create_group(u).await,
            Action::AddMember => self.add_member(u).await,
            Action::Leave => self.leave(u).await,
            Action::Remove => self.remove(u).await,
            Action::DeleteGroup => self.delete_group(u).await,
            Action::EditProfile => self.edit_profile(u).await,
            Action::PullAll => {
                let mut parts = Vec::new();
                for v in 0..self.clients.len() {
                    if self.clients[v].online {
                        let what = self.pull_one(v).await;
                        parts.push(format!("{} {what}", self.clients[v].name()));
                    }
                }
                self.log(format!("everyone online pulls: {}", parts.join(", ")));
            }
            Action::SyncAllAtOnce => self.sync_all_at_once().await,
            Action::Restart => {
                self.restart(u).await;
                self.log(format!("{} restarts the app", self.clients[u].name()));
            }
            Action::CrashMidPush => {
                let what = self.crash_mid_push(u).await;
                self.log(format!(
                    "{} crashes mid-push ({what}) and restarts",
                    self.clients[u].name()
                ));
            }
        }
    }

    /// Drops the replica and opens it again, as after quitting the app.
    async fn restart(&mut self, u: usize) {
        let c = &mut self.clients[u];
        c.replica = Replica::open(&c.path).await.unwrap();
        self.counts.restarts += 1;
    }

    /// A push whose first request reaches the server, which acts on it, but whose answer never
    /// comes back; the app is killed while it waits, and started again.
    async fn crash_mid_push(&mut self, u: usize) -> &'static str {
        let c = &self.clients[u];
        let api = EngineApi::new(&self.proxy.url()).unwrap().with_token(&c.user.token);
        let replica = c.replica.clone();
        let swallowed = self.proxy.swallowed_bytes();
        let task = tokio::spawn(async move { push(&api, &replica).await });
        let deadline = Instant::now() + Duration::from_secs(20);
        let what = loop {
            if task.is_finished() {
                break "nothing to send";
            }
            if self.proxy.swallowed_bytes() > swallowed {
                self.counts.lost_answers += 1;
                break "the server acted on the first request, its answer was lost";
            }
            assert!(Instant::now() < deadline, "the server never answered the crashing push");
            tokio::time::sleep(Duration::from_millis(2)).await;
        };
        task.abort();
        if let Ok(report) = task.await {
            let report = report.unwrap();
            assert_eq!((report.sent, report.failed), (0, 0), "a push with nothing to send");
        }
        self.counts.crashes += 1;
        self.restart(u).await;
        what
    }

    /// What follows queueing something: a push (which sometimes crashes, when online).
    async fn push_after_queue(&mut self, u: usize) -> String {
        if self.clients[u].online && self.rng.chance(12) {
            format!("crash ({}) and restart", self.crash_mid_push(u).await)
        } else {
            self.push_one(u).await
        }
    }

    /// Every online client pushes and pulls at the same moment (concurrent writers and readers
    /// on the server), then everyone online pulls once more, one by one, so what each replica
    /// holds afterwards does not depend on how the two overlapped.
    async fn sync_all_at_once(&mut self) {
        let online: Vec<usize> =
            (0..self.clients.len()).filter(|&u| self.clients[u].online).collect();
        let mut tasks = Vec::new();
        for &u in &online {
            let (api, replica) = (self.clients[u].api.clone(), self.clients[u].replica.clone());
            tasks.push(tokio::spawn(async move {
                let pushed = push(&api, &replica).await;
                let pulled = pull(&api, &replica, |_| {}).await;
                (pushed, pulled)
            }));
        }
        for (task, &u) in tasks.into_iter().zip(&online) {
            let (pushed, pulled) = task.await.unwrap();
            let name = self.clients[u].name();
            let report = pushed.unwrap_or_else(|e| panic!("{name} could not push: {e}"));
            assert!(report.stopped.is_none(), "{name}'s push stopped while online: {report:?}");
            pulled.unwrap_or_else(|e| panic!("{name} could not pull: {e}"));
        }
        for &u in &online {
            self.pull_one(u).await;
        }
        self.counts.concurrent_syncs += 1;
        let names: Vec<&str> = online.iter().map(|&u| NAMES[u]).collect();
        self.log(format!("{} push and pull at once, then pull again", names.join(", ")));
    }

    fn toggle(&mut self, u: usize) {
        let c = &mut self.clients[u];
        c.online = !c.online;
        if !c.online {
            self.counts.disconnects += 1;
        }
        let state = if c.online { "comes online" } else { "goes offline" };
        self.log(format!("{} {state}", self.clients[u].name()));
    }

    /// Pulls; offline, checks the pull fails as offline and changes nothing.
    async fn pull_one(&mut self, u: usize) -> String {
        let c = &self.clients[u];
        if c.online {
            self.counts.pulls += 1;
            let done = pull(&c.api, &c.replica, |_| {})
                .await
                .unwrap_or_else(|e| panic!("{} could not pull while online: {e}", c.name()));
            format!("{} changes", done.applied)
        } else {
            self.counts.offline_attempts += 1;
            let before = c.replica.cursor().await.unwrap().0;
            match pull(&c.offline, &c.replica, |_| {}).await {
                Err(ClientError::Offline(_)) => {}
                other => panic!("{} pulled offline and got {other:?}", c.name()),
            }
            assert_eq!(
                c.replica.cursor().await.unwrap().0,
                before,
                "an offline pull moved the cursor"
            );
            "offline".into()
        }
    }

    /// Pushes; offline, checks the push stops without losing or sending anything.
    async fn push_one(&mut self, u: usize) -> String {
        let c = &self.clients[u];
        let report: PushReport = push(c.net(), &c.replica)
            .await
            .unwrap_or_else(|e| panic!("{} could not push: {e}", c.name()));
        if c.online {
            self.counts.pushes += 1;
            assert!(
                report.stopped.is_none(),
                "{}'s push stopped while online: {report:?}",
                c.name()
            );
            format!("sent {} failed {}", report.sent, report.failed)
        } else {
            self.counts.offline_attempts += 1;
            assert_eq!((report.sent, report.failed), (0, 0), "{} pushed while offline", c.name());
            let waiting = c.replica.outbox().await.unwrap();
            let pending = waiting.iter().filter(|e| e.state != OutboxState::Failed).count();
            if pending > 0 {
                assert!(
                    report.stopped.is_some(),
                    "an offline push with {pending} waiting must stop"
                );
                assert!(
                    waiting.iter().all(|e| e.state != OutboxState::Sending),
                    "a stopped push leaves nothing marked sending: {waiting:?}"
                );
            }
            format!("offline, {pending} waiting")
        }
    }

    async fn open_direct(&mut self, u: usize) {
        let others: Vec<usize> = (0..self.clients.len()).filter(|&v| v != u).collect();
        let v = self.rng.pick(&others);
        let (me, other) = (self.clients[u].user.id, self.clients[v].user.id);
        let expected = direct_conversation_id(me, other);
        let over_http = self.clients[u].online && self.rng.chance(50);
        let id = if over_http {
            self.s.api.direct(&self.clients[u].user, &self.clients[v].user).await
        } else {
            self.clients[u].replica.open_direct_locally(me, other, Utc::now()).await.unwrap()
        };
        assert_eq!(id, expected, "a direct conversation's id is derived from the pair");
        let pair = (u.min(v), u.max(v));
        self.directs.insert(pair, id);
        let label = format!("{}+{}", NAMES[pair.0], NAMES[pair.1]);
        self.remember(id, label);
        self.counts.directs += 1;
        let how = if over_http {
            "over HTTP".to_owned()
        } else {
            format!("locally, then push: {}", self.push_after_queue(u).await)
        };
        self.log(format!("{} opens {} {how}", self.clients[u].name(), self.label(id)));
    }

    async fn send(&mut self, u: usize) {
        let convs = self.local_conversations(u).await;
        let conversation_id = self.rng.pick(&convs);
        let n = self.queued.len() + 1;
        let content = format!("{} says #{n}", self.clients[u].name());
        let media_url = self.rng.chance(10).then(|| format!("https://media.example.com/{n}.png"));
        let outsider = self.deleted.contains(&conversation_id)
            || self.group_of(conversation_id).is_some_and(|g| !g.members.contains_key(&u));
        let c = &self.clients[u];
        let m = c
            .replica
            .queue_message(
                c.user.id,
                conversation_id,
                Some(&content),
                media_url.as_deref(),
                None,
                Utc::now(),
            )
            .await
            .unwrap();
        self.queued_index.insert(m.message_id, self.queued.len());
        self.queued.push(Queued {
            sender: u,
            conversation_id,
            message_id: m.message_id,
            content: content.clone(),
            media_url,
            may_be_refused: outsider,
            gone_with_group: false,
            step: self.step,
        });
        self.counts.messages += 1;
        let pushed = self.push_after_queue(u).await;
        let note = if outsider { " (no longer a member)" } else { "" };
        self.log(format!(
            "{} queues #{n} into {}{note}, then push: {pushed}",
            self.clients[u].name(),
            self.label(conversation_id)
        ));
    }

    async fn read(&mut self, u: usize) {
        let convs = self.local_conversations(u).await;
        let conversation_id = self.rng.pick(&convs);
        let c = &self.clients[u];
        let n = c.replica.queue_read(c.user.id, conversation_id, Utc::now()).await.unwrap();
        self.counts.reads += 1;
        let pushed = self.push_after_queue(u).await;
        self.log(format!(
            "{} reads {} ({n} newly read), then push: {pushed}",
            self.clients[u].name(),
            self.label(conversation_id)
        ));
    }

    async fn create_group(&mut self, u: usize) {
        self.groups_made += 1;
        let k = self.groups_made;
        // At most one first member: members added later join one by one, so who inherits a
        // group (the longest-standing member) never depends on a tie between random ids.
        let first = self.rng.chance(60).then(|| {
            let others: Vec<usize> = (0..self.clients.len()).filter(|&v| v != u).collect();
            self.rng.pick(&others)
        });
        let member_ids: Vec<Uuid> = first.iter().map(|&v| self.clients[v].user.id).collect();
        let body = json!({"group_name": format!("circle {k}"), "member_ids": member_ids});
        let group =
            self.s.api.post("/v1/groups", &self.clients[u].user.token, body).await.expect(201);
        let group_id: Uuid = group["group_id"].as_str().unwrap().parse().unwrap();
        let conversation_id: Uuid = group["conversation_id"].as_str().unwrap().parse().unwrap();
        let label = format!("g{k}");
        let mut members = BTreeMap::from([(u, Role::Owner)]);
        if let Some(v) = first {
            members.insert(v, Role::Member);
        }
        self.groups.push(GroupModel { group_id, conversation_id, label: label.clone(), members });
        self.remember(conversation_id, label.clone());
        self.counts.group_changes += 1;
        let with = first.map_or(String::new(), |v| format!(" with {}", NAMES[v]));
        self.log(format!("{} creates {label}{with}", self.clients[u].name()));
    }

    async fn add_member(&mut self, u: usize) {
        let g = self.rng.pick(&self.group_choices(u, Action::AddMember));
        let outside: Vec<usize> =
            (0..self.clients.len()).filter(|v| !self.groups[g].members.contains_key(v)).collect();
        let v = self.rng.pick(&outside);
        let owner = self.groups[g].members[&u] == Role::Owner;
        let role = if owner && self.rng.chance(25) { Role::Admin } else { Role::Member };
        let mut body = json!({"user_id": self.clients[v].user.id});
        if role == Role::Admin {
            body["role"] = json!("admin");
        }
        let path = format!("/v1/groups/{}/members", self.groups[g].group_id);
        self.s.api.post(&path, &self.clients[u].user.token, body).await.expect(201);
        self.groups[g].members.insert(v, role);
        self.counts.group_changes += 1;
        self.log(format!(
            "{} adds {} to {} as {}",
            self.clients[u].name(),
            NAMES[v],
            self.groups[g].label,
            role.as_str()
        ));
    }

    /// The owner deletes a group with its conversation and history.
    async fn delete_group(&mut self, u: usize) {
        let g = self.rng.pick(&self.group_choices(u, Action::DeleteGroup));
        let group = self.groups.remove(g);
        let path = format!("/v1/groups/{}", group.group_id);
        self.s.api.delete(&path, &self.clients[u].user.token).await.expect(204);
        self.deleted.insert(group.conversation_id);
        for q in self.queued.iter_mut().filter(|q| q.conversation_id == group.conversation_id) {
            q.may_be_refused = true;
            q.gone_with_group = true;
        }
        self.counts.group_changes += 1;
        self.log(format!("{} deletes {}", self.clients[u].name(), group.label));
    }

    /// A profile edit, queued like a message.
    async fn edit_profile(&mut self, u: usize) {
        let bio = format!("bio {} of {}", self.step, self.clients[u].name());
        let patch: lodestar_protocol::UpdateMeRequest =
            serde_json::from_value(json!({"bio": bio})).unwrap();
        let c = &self.clients[u];
        c.replica.queue_profile(c.user.id, &patch, Utc::now()).await.unwrap();
        let shown = c.replica.my_profile(c.user.id).await.map(|me| me.profile.bio);
        if let Ok(shown) = shown {
            assert_eq!(shown.as_deref(), Some(bio.as_str()), "a profile edit shows at once");
        }
        self.bios.insert(u, bio);
        let pushed = self.push_after_queue(u).await;
        self.log(format!("{} edits their bio, then push: {pushed}", self.clients[u].name()));
    }

    async fn leave(&mut self, u: usize) {
        let g = self.rng.pick(&self.group_choices(u, Action::Leave));
        self.drop_member(g, u, u).await;
        self.log(format!("{} leaves {}", self.clients[u].name(), self.groups[g].label));
    }

    async fn remove(&mut self, u: usize) {
        let g = self.rng.pick(&self.group_choices(u, Action::Remove));
        let v = self.rng.pick(&self.removable(g, u));
        self.drop_member(g, u, v).await;
        self.log(format!(
            "{} removes {} from {}",
            self.clients[u].name(),
            NAMES[v],
            self.groups[g].label
        ));
    }

    /// `by` takes `who` out of group `g`. Whatever `who` still has queued for the group may now
    /// be refused; the model learns the server's new roles (an heir may have become owner).
    async fn drop_member(&mut self, g: usize, by: usize, who: usize) {
        let (group_id, conversation_id) = (self.groups[g].group_id, self.groups[g].conversation_id);
        let path = format!("/v1/groups/{group_id}/members/{}", self.clients[who].user.id);
        self.s.api.delete(&path, &self.clients[by].user.token).await.expect(204);
        self.counts.group_changes += 1;
        for entry in self.clients[who].replica.outbox().await.unwrap() {
            if entry.kind == "message" && entry.conversation_id() == Some(conversation_id) {
                if let Some(&i) =
                    entry.message_id().as_ref().and_then(|id| self.queued_index.get(id))
                {
                    self.queued[i].may_be_refused = true;
                }
            }
        }
        self.groups[g].members.remove(&who);
        let viewer = *self.groups[g].members.keys().next().expect("a group never empties");
        let path = format!("/v1/groups/{group_id}");
        let now = self.s.api.get(&path, &self.clients[viewer].user.token).await.expect(200);
        let mut members = BTreeMap::new();
        for m in now["members"].as_array().unwrap() {
            let id: Uuid = m["user_id"].as_str().unwrap().parse().unwrap();
            let role: Role = serde_json::from_value(m["role"].clone()).unwrap();
            members.insert(self.by_id[&id], role);
        }
        assert_eq!(
            members.keys().collect::<Vec<_>>(),
            self.groups[g].members.keys().collect::<Vec<_>>(),
            "the server's members of {} differ from the model",
            self.groups[g].label
        );
        self.groups[g].members = members;
    }

    /// Everyone online; push and pull everyone until a whole round moves nothing.
    async fn settle(&mut self) -> usize {
        for c in &mut self.clients {
            c.online = true;
        }
        self.log("everyone comes online".into());
        for round in 1..=QUIET_ROUNDS {
            let mut busy = Vec::new();
            for u in 0..self.clients.len() {
                let c = &self.clients[u];
                let report = push(&c.api, &c.replica).await.unwrap();
                let done = pull(&c.api, &c.replica, |_| {}).await.unwrap();
                if report.sent + report.failed > 0 || report.stopped.is_some() || done.applied > 0 {
                    busy.push(format!(
                        "{} sent {} failed {} stopped {:?}, pulled {}",
                        c.name(),
                        report.sent,
                        report.failed,
                        report.stopped,
                        done.applied
                    ));
                }
            }
            self.log(format!("settling, round {round}: {}", busy.join("; ")));
            if busy.is_empty() {
                return round;
            }
        }
        panic!("not quiet after {QUIET_ROUNDS} rounds of push and pull");
    }

    /// The checks; answers every violation found, and how many messages ended refused.
    async fn check(&self) -> (Vec<String>, usize) {
        let mut bad = Vec::new();
        let api = &self.s.api;
        // Every message the server has, as whoever can see each conversation reads it.
        let mut on_server: HashMap<Uuid, Vec<Message>> = HashMap::new();
        for &conversation_id in self.made.iter().filter(|id| !self.deleted.contains(id)) {
            let viewer = match self.group_of(conversation_id) {
                Some(g) => g.members.keys().next().copied(),
                None => self
                    .directs
                    .iter()
                    .find(|(_, id)| **id == conversation_id)
                    .map(|((a, _), _)| *a),
            };
            let Some(viewer) = viewer else {
                bad.push(format!("nobody can see {}", self.label(conversation_id)));
                continue;
            };
            match history(api, &self.clients[viewer].user.token, conversation_id).await {
                Ok(messages) => {
                    for m in messages {
                        on_server.entry(m.message_id).or_default().push(m);
                    }
                }
                Err(e) => bad.push(format!("{} on the server: {e}", self.label(conversation_id))),
            }
        }
        for u in 0..self.clients.len() {
            self.check_user(u, &mut bad).await;
        }
        let refused = self.check_queued(&on_server, &mut bad).await;
        for (id, copies) in &on_server {
            if !self.queued_index.contains_key(id) {
                bad.push(format!("the server has a message nobody queued: {:?}", copies[0]));
            }
        }
        (bad, refused)
    }

    async fn check_user(&self, u: usize, bad: &mut Vec<String>) {
        let c = &self.clients[u];
        let me = c.user.id;
        let who = c.name();
        let server: ConversationList = serde_json::from_value(
            self.s.api.get("/v1/conversations", &c.user.token).await.expect(200),
        )
        .unwrap();
        let local = c.replica.conversations(me).await.unwrap();
        let server_ids: HashSet<Uuid> =
            server.conversations.iter().map(|s| s.conversation.conversation_id).collect();
        let local_ids: HashSet<Uuid> = local.iter().map(|l| l.conversation_id).collect();
        let names = |ids: &mut dyn Iterator<Item = &Uuid>| {
            let mut v: Vec<String> = ids.map(|id| self.label(*id)).collect();
            v.sort();
            v
        };
        let missing = names(&mut server_ids.difference(&local_ids));
        let extra = names(&mut local_ids.difference(&server_ids));
        if !missing.is_empty() || !extra.is_empty() {
            bad.push(format!(
                "{who}'s conversation list: missing in the replica {missing:?}, only in the \
                 replica {extra:?}"
            ));
        }
        for s in &server.conversations {
            let id = s.conversation.conversation_id;
            let label = self.label(id);
            let Some(l) = local.iter().find(|l| l.conversation_id == id) else { continue };
            if l.kind != s.conversation.kind {
                bad.push(format!(
                    "{who}'s {label}: type {:?} here, {:?} on the server",
                    l.kind, s.conversation.kind
                ));
            }
            if l.unread_count != s.unread_count {
                bad.push(format!(
                    "{who}'s {label}: unread {} in the replica, {} on the server",
                    l.unread_count, s.unread_count
                ));
            }
            let last = |m: &Option<Message>| m.as_ref().map(|m| m.message_id);
            if last(&l.last_message) != last(&s.last_message) {
                bad.push(format!(
                    "{who}'s {label}: newest message {:?} in the replica, {:?} on the server",
                    l.last_message.as_ref().map(show),
                    s.last_message.as_ref().map(show)
                ));
            }
            if l.pending_count != 0 {
                bad.push(format!("{who}'s {label}: {} messages still pending", l.pending_count));
            }
            let theirs = match history(&self.s.api, &c.user.token, id).await {
                Ok(m) => m,
                Err(e) => {
                    bad.push(format!("{who}'s {label} on the server: {e}"));
                    continue;
                }
            };
            let mine = c.replica.messages(me, id, None, 10_000).await.unwrap();
            compare_messages(&format!("{who}'s {label}"), &mine, &theirs, bad);
        }
        // The profile: the replica shows what the server has, which is the last edit typed.
        let server_me = self.s.api.get("/v1/me", &c.user.token).await.expect(200);
        let server_bio = server_me["bio"].as_str().map(str::to_owned);
        match c.replica.my_profile(me).await {
            Ok(local) if local.profile.bio == server_bio => {}
            Ok(local) => bad.push(format!(
                "{who}'s bio is {:?} in the replica, {server_bio:?} on the server",
                local.profile.bio
            )),
            Err(e) => bad.push(format!("{who}'s own profile is not in the replica: {e}")),
        }
        if let Some(typed) = self.bios.get(&u) {
            if server_bio.as_deref() != Some(typed.as_str()) {
                bad.push(format!(
                    "{who} last typed the bio {typed:?}, the server has {server_bio:?}"
                ));
            }
        }
    }

    /// Answers how many messages ended refused (legitimately).
    async fn check_queued(
        &self,
        on_server: &HashMap<Uuid, Vec<Message>>,
        bad: &mut Vec<String>,
    ) -> usize {
        let mut refused = 0;
        let mut outboxes = Vec::new();
        for c in &self.clients {
            outboxes.push(c.replica.outbox().await.unwrap());
        }
        for q in &self.queued {
            let sender = &self.clients[q.sender];
            let what = format!(
                "{:?} ({} into {} at step {})",
                q.content,
                sender.name(),
                self.label(q.conversation_id),
                q.step
            );
            let failed = outboxes[q.sender].iter().find(|e| e.message_id() == Some(q.message_id));
            match on_server.get(&q.message_id).map(Vec::as_slice) {
                Some([m]) => {
                    let same = m.conversation_id == q.conversation_id
                        && m.sender_id == Some(sender.user.id)
                        && m.content.as_deref() == Some(q.content.as_str())
                        && m.media_url == q.media_url;
                    if !same {
                        bad.push(format!("{what} is on the server altered: {m:?}"));
                    }
                    if let Some(e) = failed {
                        bad.push(format!("{what} is on the server yet still in the outbox: {e:?}"));
                    }
                }
                Some(copies) => bad.push(format!("{what} is on the server {} times", copies.len())),
                None if q.gone_with_group && failed.is_none() => {}
                None => match failed {
                    Some(e) if q.may_be_refused && e.state == OutboxState::Failed => {
                        let reason = e.last_error.as_deref().unwrap_or_default();
                        refused += 1;
                        if !reason.starts_with("not_found") {
                            bad.push(format!("{what} failed for an unexpected reason: {reason:?}"));
                        }
                    }
                    Some(e) => bad.push(format!(
                        "{what} never reached the server (it was sendable); outbox entry {:?} {:?}",
                        e.state, e.last_error
                    )),
                    None => {
                        bad.push(format!("{what} was lost: not on the server, not in the outbox"))
                    }
                },
            }
        }
        // The outbox is sent in order per conversation: each sender's messages in a conversation
        // have seqs in the order they were typed.
        let mut last_seq: HashMap<(usize, Uuid), (i64, &Queued)> = HashMap::new();
        for q in &self.queued {
            let Some([m]) = on_server.get(&q.message_id).map(Vec::as_slice) else { continue };
            let key = (q.sender, q.conversation_id);
            if let Some((seq, earlier)) = last_seq.get(&key) {
                if m.seq < *seq {
                    bad.push(format!(
                        "{} typed {:?} (step {}) before {:?} (step {}) into {}, but the server \
                         has them the other way round (seq {} after {})",
                        self.clients[q.sender].name(),
                        earlier.content,
                        earlier.step,
                        q.content,
                        q.step,
                        self.label(q.conversation_id),
                        seq,
                        m.seq
                    ));
                }
            }
            last_seq.insert(key, (m.seq, q));
        }
        for (u, outbox) in outboxes.iter().enumerate() {
            for e in outbox {
                let legit = e.kind == "message"
                    && e.state == OutboxState::Failed
                    && e.message_id()
                        .and_then(|id| self.queued_index.get(&id))
                        .is_some_and(|&i| self.queued[i].may_be_refused);
                if !legit {
                    bad.push(format!(
                        "{}'s outbox still holds {:?} {:?} for {} ({:?}): {:?}",
                        self.clients[u].name(),
                        e.kind,
                        e.state,
                        e.conversation_id().map_or("-".into(), |id| self.label(id)),
                        e.last_error,
                        e.action
                    ));
                }
            }
        }
        refused
    }
}

/// A conversation's whole history as `token`'s user sees it on the server, oldest first.
async fn history(
    api: &lodestar_tests::Api,
    token: &str,
    conversation_id: Uuid,
) -> Result<Vec<Message>, String> {
    let mut out: Vec<Message> = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let path = match before {
            Some(b) => format!("/v1/conversations/{conversation_id}/messages?limit=200&before={b}"),
            None => format!("/v1/conversations/{conversation_id}/messages?limit=200"),
        };
        let answer = api.get(&path, token).await;
        if answer.status != 200 {
            return Err(format!("GET {path} answered {}: {}", answer.status, answer.body));
        }
        let page: MessagesPage = serde_json::from_value(answer.body).unwrap();
        let Some(oldest) = page.messages.first() else { return Ok(out) };
        before = Some(oldest.seq);
        let mut older = page.messages;
        older.append(&mut out);
        out = older;
        if !page.has_more {
            return Ok(out);
        }
    }
}

/// One message, readably.
fn show(m: &Message) -> String {
    format!("{}:{}", m.seq, m.content.as_deref().unwrap_or("-"))
}

/// The replica's view of a conversation against the server's: same messages, same order, same
/// fields, nothing pending or failed, nothing twice.
fn compare_messages(
    what: &str,
    mine: &[lodestar_client::replica::MessageItem],
    theirs: &[Message],
    bad: &mut Vec<String>,
) {
    let mine_ids: Vec<Uuid> = mine.iter().map(|m| m.message.message_id).collect();
    let their_ids: Vec<Uuid> = theirs.iter().map(|m| m.message_id).collect();
    let distinct: HashSet<Uuid> = mine_ids.iter().copied().collect();
    if distinct.len() != mine_ids.len() {
        bad.push(format!("{what}: the replica holds a message twice"));
    }
    if mine_ids != their_ids {
        let theirs_set: HashSet<Uuid> = their_ids.iter().copied().collect();
        let missing: Vec<String> =
            theirs.iter().filter(|m| !distinct.contains(&m.message_id)).map(show).collect();
        let extra: Vec<String> = mine
            .iter()
            .filter(|m| !theirs_set.contains(&m.message.message_id))
            .map(|m| format!("{} ({:?})", show(&m.message), m.status))
            .collect();
        let mut diff = format!(
            "{what}: the replica's {} messages differ from the server's {}",
            mine.len(),
            theirs.len()
        );
        if !missing.is_empty() {
            let _ = write!(diff, "; missing in the replica {missing:?}");
        }
        if !extra.is_empty() {
            let _ = write!(diff, "; only in the replica {extra:?}");
        }
        if missing.is_empty() && extra.is_empty() {
            let order = |v: Vec<String>| v.join(", ");
            let _ = write!(
                diff,
                "; in another order: replica [{}], server [{}]",
                order(mine.iter().map(|m| show(&m.message)).collect()),
                order(theirs.iter().map(show).collect())
            );
        }
        bad.push(diff);
        return;
    }
    for (l, s) in mine.iter().zip(theirs) {
        if l.message != *s {
            bad.push(format!("{what}: the replica has {:?}, the server {s:?}", l.message));
        }
        if matches!(
            l.status,
            MessageStatus::Pending | MessageStatus::Sending | MessageStatus::Failed { .. }
        ) {
            bad.push(format!("{what}: {} is still {:?}", show(s), l.status));
        }
    }
}

/// A stable fingerprint of a trace (FNV-1a): the same seed gives the same number.
fn fingerprint(lines: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in lines.iter().flat_map(|l| l.bytes().chain(std::iter::once(b'\n'))) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// One seed from start to checks. Answers the summary line, or the violations.
async fn simulate(
    backend: Backend,
    seed: u64,
    steps: usize,
    trace: Trace,
) -> Result<String, Vec<String>> {
    let started = Instant::now();
    let mut sim = Sim::new(backend, seed, trace.clone()).await;
    for step in 1..=steps {
        sim.step = step;
        sim.run_step().await;
    }
    sim.step = steps + 1;
    let rounds = sim.settle().await;
    let (bad, refused) = sim.check().await;
    let elapsed = started.elapsed();
    let c = &sim.counts;
    let summary = format!(
        "seed {seed} on {backend:?}: {steps} steps, {} messages queued ({refused} refused and \
         kept failed: the sender was no longer in the group), {} reads, {} pushes and {} pulls \
         online, {} offline attempts, {} disconnects, {} direct opens, {} group changes, {} \
         restarts, {} crashes mid-push ({} answers lost), {} concurrent syncs; quiet after \
         {rounds} rounds; {:.1} s; trace {:016x}",
        c.messages,
        c.reads,
        c.pushes,
        c.pulls,
        c.offline_attempts,
        c.disconnects,
        c.directs,
        c.group_changes,
        c.restarts,
        c.crashes,
        c.lost_answers,
        c.concurrent_syncs,
        elapsed.as_secs_f64(),
        fingerprint(&trace.lock().unwrap())
    );
    sim.s.server.stop().await;
    if bad.is_empty() {
        Ok(summary)
    } else {
        Err(bad)
    }
}

fn seeds() -> Vec<u64> {
    match std::env::var("LODESTAR_SIM_SEED") {
        Ok(v) if !v.trim().is_empty() => {
            let v = v.trim();
            let seed = match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => v.parse(),
            };
            vec![seed.unwrap_or_else(|_| panic!("LODESTAR_SIM_SEED={v} is not a u64"))]
        }
        _ => SEEDS.to_vec(),
    }
}

fn steps() -> usize {
    std::env::var("LODESTAR_SIM_STEPS").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(STEPS)
}

/// Every seed runs to the end (a panic in one is caught), then the failures are reported
/// together, each with its seed and the tail of its trace.
async fn random_clients_converge_on_the_server(backend: Backend) {
    let mut failures = Vec::new();
    for seed in seeds() {
        println!("simulation: seed {seed} on {backend:?} (LODESTAR_SIM_SEED={seed} reproduces it)");
        let trace: Trace = Arc::default();
        let run = tokio::spawn(simulate(backend, seed, steps(), trace.clone())).await;
        let problems = match run {
            Ok(Ok(summary)) => {
                println!("{summary}");
                continue;
            }
            Ok(Err(bad)) => bad,
            Err(e) => {
                let why = match e.try_into_panic() {
                    Ok(p) => p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                        .unwrap_or_else(|| "a panic".into()),
                    Err(e) => e.to_string(),
                };
                vec![format!("the run stopped: {why}")]
            }
        };
        let lines = trace.lock().unwrap();
        let tail = &lines[lines.len().saturating_sub(60)..];
        println!(
            "seed {seed} on {backend:?} FAILED:\n  {}\nlast steps:\n  {}",
            problems.join("\n  "),
            tail.join("\n  ")
        );
        failures.push(format!(
            "seed {seed}: {} problem(s), first: {}",
            problems.len(),
            problems[0]
        ));
    }
    assert!(
        failures.is_empty(),
        "the simulation found problems on {backend:?} (rerun one with LODESTAR_SIM_SEED=<seed> \
         LODESTAR_SIM_TRACE=1):\n{}",
        failures.join("\n")
    );
}

/// ann's replica, signed in and synced, with a direct conversation to ben.
async fn ann_and_ben(
    s: &TestServer,
    dir: &std::path::Path,
) -> (User, User, Uuid, EngineApi, Replica) {
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let api = EngineApi::new(&s.api.base).unwrap().with_token(&ann.token);
    let replica = Replica::open(&dir.join("ann.db")).await.unwrap();
    replica.set_me(ann.id).await.unwrap();
    pull(&api, &replica, |_| {}).await.unwrap();
    (ann, ben, conv, api, replica)
}

/// Two pushes from one replica at the same moment, as when the app's background sync and a
/// command (or `lodestar sync --watch` and `lodestar send` on one data folder) both push: the
/// messages must still reach the server in the order they were typed (DESIGN.md: "the outbox
/// is sent in order per conversation"). Found by a concurrent variant of the simulation.
async fn two_pushes_at_once_from_one_replica_keep_the_typing_order(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ann, _ben, conv, api, replica) = ann_and_ben(&s, dir.path()).await;
    let mut typed = Vec::new();
    let mut stopped = Vec::new();
    // A race: several rounds make it near certain to show when the engine allows it.
    for round in 0..5 {
        for i in 0..30 {
            let text = format!("m{round}.{i}");
            let m = replica
                .queue_message(ann.id, conv, Some(&text), None, None, Utc::now())
                .await
                .unwrap();
            typed.push(m.message_id);
        }
        let mut tasks = Vec::new();
        for _ in 0..2 {
            let (api, replica) = (api.clone(), replica.clone());
            tasks.push(tokio::spawn(async move { push(&api, &replica).await }));
        }
        for task in tasks {
            match task.await.unwrap() {
                Ok(report) if report.stopped.is_none() => {}
                other => stopped.push(format!("round {round}: {other:?}")),
            }
        }
    }
    push(&api, &replica).await.unwrap();
    assert!(replica.outbox().await.unwrap().is_empty());
    let theirs = history(&s.api, &ann.token, conv).await.unwrap();
    assert_eq!(theirs.len(), typed.len(), "every message once");
    let place: HashMap<Uuid, usize> = typed.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let swapped: Vec<String> = theirs
        .windows(2)
        .filter(|w| place[&w[0].message_id] > place[&w[1].message_id])
        .map(|w| format!("{} before {}", show(&w[0]), show(&w[1])))
        .collect();
    assert!(
        swapped.is_empty(),
        "the server's order (seq:text) is not the typing order m0.0, m0.1, ...: {swapped:?}"
    );
    assert!(stopped.is_empty(), "{stopped:#?}");
    s.server.stop().await;
}

/// A pull while a push runs on the same replica (the background sync pulling while a command
/// sends): neither may fail, and the replica ends equal to the server. Found by a concurrent
/// variant of the simulation.
async fn a_pull_during_a_push_on_one_replica_does_not_fail(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let (ann, ben, conv, api, replica) = ann_and_ben(&s, dir.path()).await;
    let mut errors = Vec::new();
    // A race: enough rounds to make it near certain to show when the engine allows it.
    for round in 0..10 {
        for i in 0..20 {
            let text = format!("ann {round}.{i}");
            replica.queue_message(ann.id, conv, Some(&text), None, None, Utc::now()).await.unwrap();
            s.api.send(&ben, conv, &format!("ben {round}.{i}")).await;
        }
        let (a, r) = (api.clone(), replica.clone());
        let pushing = tokio::spawn(async move { push(&a, &r).await.map(|_| ()) });
        let (a, r) = (api.clone(), replica.clone());
        let pulling = tokio::spawn(async move { pull(&a, &r, |_| {}).await.map(|_| ()) });
        for (what, task) in [("push", pushing), ("pull", pulling)] {
            if let Err(e) = task.await.unwrap() {
                errors.push(format!("round {round}, the {what}: {e}"));
            }
        }
    }
    // Whatever happened, a quiet push and pull afterwards must bring the replica level.
    push(&api, &replica).await.unwrap();
    pull(&api, &replica, |_| {}).await.unwrap();
    let mut bad = Vec::new();
    let theirs = history(&s.api, &ann.token, conv).await.unwrap();
    let mine = replica.messages(ann.id, conv, None, 10_000).await.unwrap();
    compare_messages("ann's ann+ben", &mine, &theirs, &mut bad);
    assert!(bad.is_empty(), "{bad:#?}");
    assert!(
        errors.is_empty(),
        "a push and a pull on one replica got in each other's way: {errors:#?}"
    );
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    random_clients_converge_on_the_server,
    two_pushes_at_once_from_one_replica_keep_the_typing_order,
    a_pull_during_a_push_on_one_replica_does_not_fail,
);
