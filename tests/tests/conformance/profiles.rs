//! Profiles on both backends: editing one's own profile, the directory's search with each
//! filter, and the candidates matching ranks (who may be suggested, and that they follow every
//! edit, suspension and deletion).

use lodestar_protocol::validate::{ProfilePatch, ProfileValues};
use lodestar_protocol::{Me, Profile, UsersQuery};
use lodestar_server::matching::{Candidate, CommonGround};
use lodestar_server::store::Store;
use lodestar_tests::Backend;
use uuid::Uuid;

use super::{assert_conflict, assert_not_found, create, date, fx, names, new_user, t, today, user};

async fn update_me_patches_clears_and_leaves(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut u = new_user("ann");
    u.profile = ProfileValues {
        phone_number: Some("+15551234567".into()),
        city: Some("Austin".into()),
        state: Some("TX".into()),
        profile_picture_url: Some("https://img.example.com/a.png".into()),
        bio: Some("old bio".into()),
        mentor_status: true,
        mentee_status: false,
        job_title: Some("Engineer".into()),
        years_of_experience: Some(5),
        industry: Some("Software".into()),
        skills: vec!["rust".into()],
        interests: vec!["chess".into()],
        ..ProfileValues::default()
    };
    let before = create(s, u, t(0)).await;
    let id = before.profile.user_id;

    // An empty patch changes nothing.
    let same = s.update_me(id, ProfilePatch::default(), today()).await.unwrap();
    assert_eq!(same, before);

    let patch = ProfilePatch {
        bio: Some(Some("new bio".into())),
        city: Some(None),
        phone_number: Some(None),
        years_of_experience: Some(None),
        state: Some(Some("CA".into())),
        mentor_status: Some(false),
        mentee_status: Some(true),
        date_of_birth: Some(date(2000, 1, 1)),
        skills: Some(vec!["go".into(), "sql".into()]),
        interests: Some(vec![]),
        // job_title, industry, profile_picture_url, username, email: left as they are.
        ..ProfilePatch::default()
    };
    let after = s.update_me(id, patch, today()).await.unwrap();
    let expected = Me {
        profile: Profile {
            bio: Some("new bio".into()),
            city: None,
            years_of_experience: None,
            state: Some("CA".into()),
            mentor_status: false,
            mentee_status: true,
            age: Some(25),
            skills: vec!["go".into(), "sql".into()],
            interests: vec![],
            ..before.profile.clone()
        },
        phone_number: None,
        date_of_birth: date(2000, 1, 1),
        ..before.clone()
    };
    assert_eq!(after, expected);
    assert_eq!(s.me(id, today()).await.unwrap(), expected, "the edit is stored");
    assert_eq!(s.profile(id, today()).await.unwrap(), Profile::from(expected.clone()));

    // The cleared phone is free again for someone else.
    let mut other = new_user("ben");
    other.profile.phone_number = Some("+15551234567".into());
    create(s, other, t(1)).await;

    // Username and email changes move the login.
    let patch = ProfilePatch {
        username: Some("anna".into()),
        email: Some("anna@example.org".into()),
        job_title: Some(None),
        profile_picture_url: Some(Some("https://img.example.com/b.png".into())),
        ..ProfilePatch::default()
    };
    let renamed = s.update_me(id, patch, today()).await.unwrap();
    assert_eq!(renamed.profile.username, "anna");
    assert_eq!(renamed.email, "anna@example.org");
    assert_eq!(renamed.profile.job_title, None);
    assert_eq!(renamed.profile.industry, Some("Software".into()), "untouched field kept");
    assert_eq!(
        renamed.profile.profile_picture_url.as_deref(),
        Some("https://img.example.com/b.png")
    );
    assert_eq!(s.find_login("ANNA").await.unwrap().unwrap().user_id, id);
    assert_eq!(s.find_login("anna@example.org").await.unwrap().unwrap().user_id, id);
    assert!(s.find_login("ann").await.unwrap().is_none());
    assert!(s.find_login("ann@example.com").await.unwrap().is_none());

    assert_not_found(
        s.update_me(Uuid::new_v4(), ProfilePatch::default(), today()).await,
        "update_me of an unknown user",
    );
}

async fn update_me_refuses_taken_values(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let ann = create(s, new_user("ann"), t(0)).await;
    let mut b = new_user("ben");
    b.profile.phone_number = Some("+15559998888".into());
    create(s, b, t(1)).await;
    let seq = s.latest_seq().await.unwrap();

    let patch = ProfilePatch { username: Some("BEN".into()), ..ProfilePatch::default() };
    assert_conflict(
        s.update_me(ann.profile.user_id, patch, today()).await,
        &["username"],
        "username",
    );
    let patch = ProfilePatch { email: Some("Ben@Example.COM".into()), ..ProfilePatch::default() };
    assert_conflict(s.update_me(ann.profile.user_id, patch, today()).await, &["email"], "email");
    let patch =
        ProfilePatch { phone_number: Some(Some("+15559998888".into())), ..ProfilePatch::default() };
    assert_conflict(
        s.update_me(ann.profile.user_id, patch, today()).await,
        &["phone_number"],
        "phone",
    );
    let patch = ProfilePatch {
        username: Some("ben".into()),
        email: Some("ben@example.com".into()),
        bio: Some(Some("must not be written".into())),
        ..ProfilePatch::default()
    };
    assert_conflict(
        s.update_me(ann.profile.user_id, patch, today()).await,
        &["username", "email"],
        "both",
    );
    assert_eq!(
        s.me(ann.profile.user_id, today()).await.unwrap(),
        ann,
        "a refused edit wrote nothing"
    );
    assert_eq!(s.latest_seq().await.unwrap(), seq, "a refused edit logged a change");

    // One's own values are not "taken".
    let patch = ProfilePatch {
        username: Some("ann".into()),
        email: Some("ANN@example.com".into()),
        ..ProfilePatch::default()
    };
    let kept = s.update_me(ann.profile.user_id, patch, today()).await.unwrap();
    assert_eq!(kept.profile.username, "ann");
    assert_eq!(kept.email, "ANN@example.com");
}

/// Five users with varied profiles, made at t(1)..t(5) in alphabetical order.
async fn directory(s: &dyn Store) -> [Uuid; 5] {
    let mut alice = new_user("alice");
    alice.profile = ProfileValues {
        mentor_status: true,
        skills: vec!["rust".into(), "postgres".into()],
        industry: Some("Software".into()),
        state: Some("TX".into()),
        years_of_experience: Some(10),
        job_title: Some("Staff Engineer".into()),
        bio: Some("I love systems work".into()),
        ..ProfileValues::default()
    };
    let mut bob = new_user("bob");
    bob.profile = ProfileValues {
        mentee_status: true,
        skills: vec!["python".into()],
        industry: Some("Finance".into()),
        state: Some("CA".into()),
        years_of_experience: Some(2),
        job_title: Some("Analyst".into()),
        bio: Some("Learning Rust slowly".into()),
        ..ProfileValues::default()
    };
    let mut carol = new_user("carol");
    carol.profile = ProfileValues {
        mentor_status: true,
        mentee_status: true,
        skills: vec!["rust-lang".into(), "go".into()],
        industry: Some("SOFTWARE".into()),
        state: Some("TX".into()),
        years_of_experience: Some(6),
        job_title: Some("Developer".into()),
        ..ProfileValues::default()
    };
    let dave = new_user("dave");
    let mut eve = new_user("eve_1");
    eve.profile = ProfileValues {
        bio: Some("100% committed".into()),
        years_of_experience: Some(0),
        ..ProfileValues::default()
    };
    let mut ids = [Uuid::nil(); 5];
    for (i, u) in [alice, bob, carol, dave, eve].into_iter().enumerate() {
        ids[i] = create(s, u, t(i as i64 + 1)).await.profile.user_id;
    }
    ids
}

async fn search(s: &dyn Store, q: UsersQuery) -> Vec<String> {
    let found = s.search_users(&q, 100, today()).await.unwrap();
    for p in &found {
        assert_eq!(&s.profile(p.user_id, today()).await.unwrap(), p, "search answers profiles");
    }
    found.into_iter().map(|p| p.username).collect()
}

fn q(text: &str) -> UsersQuery {
    UsersQuery { q: Some(text.to_owned()), ..UsersQuery::default() }
}

async fn search_users_applies_each_filter(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    directory(s).await;
    let none = Vec::<String>::new();
    let all = ["alice", "bob", "carol", "dave", "eve_1"];
    assert_eq!(search(s, UsersQuery::default()).await, all, "ordered by username");

    // username: exact, any case.
    let by_name = |u: &str| UsersQuery { username: Some(u.to_owned()), ..UsersQuery::default() };
    assert_eq!(search(s, by_name("BOB")).await, ["bob"]);
    assert_eq!(search(s, by_name("bob")).await, ["bob"]);
    assert_eq!(search(s, by_name("bo")).await, none, "username is exact");

    // q: username, job title, bio and skills, any case.
    assert_eq!(search(s, q("rust")).await, ["alice", "bob", "carol"]);
    assert_eq!(search(s, q("RUST")).await, ["alice", "bob", "carol"]);
    assert_eq!(search(s, q("ENGINEER")).await, ["alice"], "job title");
    assert_eq!(search(s, q("ali")).await, ["alice"], "username");
    assert_eq!(search(s, q("slowly")).await, ["bob"], "bio");
    assert_eq!(search(s, q("python")).await, ["bob"], "skills");
    assert_eq!(search(s, q("  ")).await, all, "a blank q is no filter");
    // LIKE metacharacters match literally.
    assert_eq!(search(s, q("%")).await, ["eve_1"], "% is literal");
    assert_eq!(search(s, q("0% c")).await, ["eve_1"]);
    assert_eq!(search(s, q("_")).await, ["eve_1"], "_ is literal");
    assert_eq!(search(s, q("e_1")).await, ["eve_1"]);
    assert_eq!(search(s, q("a_i")).await, none, "_ is not a wildcard");
    assert_eq!(search(s, q("\\")).await, none, "a backslash is literal");

    // mentor / mentee.
    let mentor = |v: bool| UsersQuery { mentor: Some(v), ..UsersQuery::default() };
    let mentee = |v: bool| UsersQuery { mentee: Some(v), ..UsersQuery::default() };
    assert_eq!(search(s, mentor(true)).await, ["alice", "carol"]);
    assert_eq!(search(s, mentor(false)).await, ["bob", "dave", "eve_1"]);
    assert_eq!(search(s, mentee(true)).await, ["bob", "carol"]);
    assert_eq!(search(s, mentee(false)).await, ["alice", "dave", "eve_1"]);

    // skill: one whole tag, any case.
    let skill = |v: &str| UsersQuery { skill: Some(v.to_owned()), ..UsersQuery::default() };
    assert_eq!(search(s, skill("rust")).await, ["alice"], "not rust-lang");
    assert_eq!(search(s, skill("RUST")).await, ["alice"]);
    assert_eq!(search(s, skill("rust-lang")).await, ["carol"]);
    assert_eq!(search(s, skill("go")).await, ["carol"]);
    assert_eq!(search(s, skill("lang")).await, none, "a skill is a whole tag");
    assert_eq!(search(s, skill("%")).await, none);

    // industry: any case, whole value.
    let industry = |v: &str| UsersQuery { industry: Some(v.to_owned()), ..UsersQuery::default() };
    assert_eq!(search(s, industry("software")).await, ["alice", "carol"]);
    assert_eq!(search(s, industry("FINANCE")).await, ["bob"]);
    assert_eq!(search(s, industry("soft")).await, none);

    // state.
    let state = |v: &str| UsersQuery { state: Some(v.to_owned()), ..UsersQuery::default() };
    assert_eq!(search(s, state("TX")).await, ["alice", "carol"]);
    assert_eq!(search(s, state("tx")).await, ["alice", "carol"]);
    assert_eq!(search(s, state("NY")).await, none);

    // min_years: users without a value never match.
    let years = |v: i64| UsersQuery { min_years: Some(v), ..UsersQuery::default() };
    assert_eq!(search(s, years(6)).await, ["alice", "carol"]);
    assert_eq!(search(s, years(0)).await, ["alice", "bob", "carol", "eve_1"]);
    assert_eq!(search(s, years(11)).await, none);

    // Filters combine.
    let combo =
        UsersQuery { mentor: Some(true), skill: Some("rust".into()), ..UsersQuery::default() };
    assert_eq!(search(s, combo).await, ["alice"]);
    let combo =
        UsersQuery { mentee: Some(true), state: Some("TX".into()), ..UsersQuery::default() };
    assert_eq!(search(s, combo).await, ["carol"]);
    let combo = UsersQuery { q: Some("rust".into()), mentor: Some(true), ..UsersQuery::default() };
    assert_eq!(search(s, combo).await, ["alice", "carol"]);

    // limit and cursor page by username.
    let page = |cursor: Option<&str>| UsersQuery {
        cursor: cursor.map(str::to_owned),
        ..UsersQuery::default()
    };
    let first = s.search_users(&page(None), 2, today()).await.unwrap();
    assert_eq!(names(&first), ["alice", "bob"]);
    let second = s.search_users(&page(Some("bob")), 2, today()).await.unwrap();
    assert_eq!(names(&second), ["carol", "dave"]);
    let third = s.search_users(&page(Some("dave")), 2, today()).await.unwrap();
    assert_eq!(names(&third), ["eve_1"]);
    assert!(s.search_users(&page(Some("eve_1")), 2, today()).await.unwrap().is_empty());
    // Paging through every user by one yields each exactly once, in order.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let got = s.search_users(&page(cursor.as_deref()), 1, today()).await.unwrap();
        let Some(p) = got.last() else { break };
        cursor = Some(p.username.clone());
        seen.extend(names(&got).into_iter().map(str::to_owned));
        assert!(seen.len() <= all.len(), "paging does not end");
    }
    assert_eq!(seen, all);
    // The cursor combines with filters.
    let combo = UsersQuery { cursor: Some("alice".into()), ..q("rust") };
    assert_eq!(search(s, combo).await, ["bob", "carol"]);
}

/// `q` is matched against the text of skills, not against how they are stored: punctuation that
/// appears in nobody's username, job title, bio or skills matches nobody.
async fn search_q_matches_skill_text_not_its_storage(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    directory(s).await;
    let mut wrong = Vec::new();
    for text in ["[", "]", ",", "\"", "[]", "\",\""] {
        let found = search(s, q(text)).await;
        if !found.is_empty() {
            wrong.push(format!("q={text:?} matched {found:?}"));
        }
    }
    assert!(wrong.is_empty(), "q matched the stored JSON of skills:\n{}", wrong.join("\n"));
}

/// "Any case" holds beyond ASCII, and both backends agree.
async fn search_ignores_case_beyond_ascii(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut zoe = new_user("zoe");
    zoe.profile.bio = Some("Éducation et santé".into());
    zoe.profile.industry = Some("Énergie Solaire".into());
    create(s, zoe, t(0)).await;
    user(s, "max").await;
    let industry = |v: &str| UsersQuery { industry: Some(v.to_owned()), ..UsersQuery::default() };
    let mut wrong = Vec::new();
    let cases = [
        ("q, as stored", q("Éducation")),
        ("q, lower case", q("éducation")),
        ("q, upper case", q("ÉDUCATION")),
        ("industry, as stored", industry("Énergie Solaire")),
        ("industry, lower case", industry("énergie solaire")),
        ("industry, upper case", industry("ÉNERGIE SOLAIRE")),
    ];
    for (what, query) in cases {
        let found = search(s, query).await;
        if found != ["zoe"] {
            wrong.push(format!("{what}: found {found:?}"));
        }
    }
    assert!(wrong.is_empty(), "non-ASCII case is not ignored:\n{}", wrong.join("\n"));
}

async fn match_candidates_profiles_of_and_missing_users(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let [alice, bob, carol, dave, eve] = directory(s).await;
    let ground = |skills: &[&str],
                  interests: &[&str],
                  industry: Option<&str>,
                  state: Option<&str>| CommonGround {
        skills: skills.iter().map(|t| (*t).to_owned()).collect(),
        skill_columns: &["skills"],
        interests: interests.iter().map(|t| (*t).to_owned()).collect(),
        industry: industry.map(str::to_owned),
        state: state.map(str::to_owned),
        their_years: true,
    };
    let who = |c: Vec<Candidate>| c.into_iter().map(|c| c.username).collect::<Vec<_>>();
    // Mentors sharing the industry, ignoring case; each as matching reads the profile; the
    // better first (alice's ten years against carol's six).
    let found =
        s.match_candidates(bob, true, &ground(&[], &[], Some("software"), None), 10).await.unwrap();
    assert_eq!(who(found.clone()), ["alice", "carol"]);
    assert_eq!(found[0], Candidate::from(&s.profile(alice, today()).await.unwrap()));
    // Ranked by the points of matching::score, all of them, then cut at `take`.
    let rich = ground(&["rust", "postgres"], &[], Some("Software"), Some("TX"));
    assert_eq!(who(s.match_candidates(bob, true, &rich, 10).await.unwrap()), ["alice", "carol"]);
    assert_eq!(who(s.match_candidates(bob, true, &rich, 1).await.unwrap()), ["alice"]);
    // A whole tag, not a part of one ("rust" is not "rust-lang"), in the columns named.
    let found = s.match_candidates(bob, true, &ground(&["rust"], &[], None, None), 10).await;
    assert_eq!(who(found.unwrap()), ["alice"]);
    let found = s.match_candidates(bob, true, &ground(&[], &["rust"], None, None), 10).await;
    assert!(found.unwrap().is_empty(), "alice's rust is a skill, not an interest");
    // Mentees; the asker is left out.
    let found =
        s.match_candidates(alice, false, &ground(&[], &[], None, Some("TX")), 10).await.unwrap();
    assert_eq!(who(found), ["carol"]);
    let found =
        s.match_candidates(alice, true, &ground(&[], &[], None, Some("TX")), 10).await.unwrap();
    assert_eq!(who(found), ["carol"], "the asker is excluded");
    // Nothing in common, or nothing to share: nobody.
    let apart = ground(&["python"], &[], Some("Finance"), Some("CA"));
    assert!(s.match_candidates(bob, true, &apart, 10).await.unwrap().is_empty());
    assert!(s
        .match_candidates(dave, true, &ground(&[], &[], None, None), 10)
        .await
        .unwrap()
        .is_empty());
    // A mentor who takes no requests is no candidate for a mentee.
    let closed = ProfilePatch { accepting_requests: Some(false), ..ProfilePatch::default() };
    s.update_me(alice, closed, today()).await.unwrap();
    let found =
        s.match_candidates(bob, true, &ground(&[], &[], Some("software"), None), 10).await.unwrap();
    assert_eq!(who(found), ["carol"]);
    // What a member may share follows each edit of their profile: what they added is matched at
    // once, what they took out no longer is.
    let edit = ProfilePatch {
        skills: Some(vec!["python".into()]),
        state: Some(None),
        ..ProfilePatch::default()
    };
    s.update_me(carol, edit, today()).await.unwrap();
    let by = |skills: &[&str], state: Option<&str>| ground(skills, &[], None, state);
    assert_eq!(
        who(s.match_candidates(bob, true, &by(&["python"], None), 10).await.unwrap()),
        ["carol"]
    );
    assert!(s.match_candidates(bob, true, &by(&["go"], None), 10).await.unwrap().is_empty());
    assert!(s.match_candidates(bob, true, &by(&[], Some("TX")), 10).await.unwrap().is_empty());
    // A suspended member is nobody's candidate, and is again once the suspension is lifted.
    assert!(s.suspend(eve, carol, "conduct", t(1)).await.unwrap());
    assert!(s.match_candidates(bob, true, &by(&["python"], None), 10).await.unwrap().is_empty());
    s.unsuspend(eve, carol, t(2)).await.unwrap();
    assert_eq!(
        who(s.match_candidates(bob, true, &by(&["python"], None), 10).await.unwrap()),
        ["carol"]
    );
    // A member deleted is gone from the candidates with the rest of their data.
    s.delete_account(carol, t(3)).await.unwrap();
    assert!(s.match_candidates(bob, true, &by(&["python"], None), 10).await.unwrap().is_empty());

    let mut profiles = s.profiles_of(&[bob, Uuid::new_v4(), alice], today()).await.unwrap();
    profiles.sort_by(|a, b| a.username.cmp(&b.username));
    assert_eq!(
        profiles,
        [s.profile(alice, today()).await.unwrap(), s.profile(bob, today()).await.unwrap()]
    );
    assert!(s.profiles_of(&[], today()).await.unwrap().is_empty());

    let ghost = Uuid::new_v4();
    let other = Uuid::new_v4();
    assert_eq!(s.missing_users(&[alice, ghost, dave, other, eve]).await.unwrap(), [ghost, other]);
    assert_eq!(s.missing_users(&[alice, bob, carol]).await.unwrap(), [carol], "carol was deleted");
    assert!(s.missing_users(&[]).await.unwrap().is_empty());
}

lodestar_tests::on_both_backends!(
    update_me_patches_clears_and_leaves,
    update_me_refuses_taken_values,
    search_users_applies_each_filter,
    search_q_matches_skill_text_not_its_storage,
    search_ignores_case_beyond_ascii,
    match_candidates_profiles_of_and_missing_users,
);
