//! Accounts and sessions on both backends: a fresh store, creating users and the fields that
//! must be unique, finding logins, sessions and their revocation, login failures, and who is
//! in a conversation.

use lodestar_protocol::validate::{NewGroup, ProfileValues};
use lodestar_protocol::{Me, Profile, UsersQuery};
use lodestar_tests::Backend;
use uuid::Uuid;

use super::{
    assert_conflict, assert_not_found, create, date, direct, fx, names, new_user, t, today,
    try_create, user,
};

async fn a_fresh_store_is_empty(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    assert!(s.is_empty().await.unwrap());
    assert_eq!(s.latest_seq().await.unwrap(), 0);
    assert!(s.search_users(&UsersQuery::default(), 100, today()).await.unwrap().is_empty());
    user(s, "ann").await;
    assert!(!s.is_empty().await.unwrap());
    assert!(s.latest_seq().await.unwrap() > 0);
}

async fn create_user_round_trips_every_field(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut u = new_user("ann");
    u.email = "Ann.Lee@Example.com".into();
    u.profile = ProfileValues {
        phone_number: Some("+15551234567".into()),
        city: Some("Austin".into()),
        state: Some("TX".into()),
        profile_picture_url: Some("https://img.example.com/ann.png".into()),
        bio: Some("Backend engineer; I like databases.".into()),
        mentor_status: true,
        mentee_status: false,
        job_title: Some("Staff Engineer".into()),
        years_of_experience: Some(12),
        industry: Some("Software".into()),
        skills: vec!["rust".into(), "postgres".into(), "distributed systems".into()],
        interests: vec!["chess".into(), "climbing".into()],
        mentee_capacity: 5,
        accepting_requests: false,
    };
    let me = create(s, u, t(0)).await;
    let expected = Me {
        profile: Profile {
            user_id: me.profile.user_id,
            username: "ann".into(),
            city: Some("Austin".into()),
            state: Some("TX".into()),
            age: Some(35),
            profile_picture_url: Some("https://img.example.com/ann.png".into()),
            bio: Some("Backend engineer; I like databases.".into()),
            mentor_status: true,
            mentee_status: false,
            job_title: Some("Staff Engineer".into()),
            years_of_experience: Some(12),
            industry: Some("Software".into()),
            skills: vec!["rust".into(), "postgres".into(), "distributed systems".into()],
            interests: vec!["chess".into(), "climbing".into()],
            created_at: t(0),
            mentee_capacity: 5,
            accepting_requests: false,
            open_slots: 5,
        },
        email: "Ann.Lee@Example.com".into(),
        phone_number: Some("+15551234567".into()),
        date_of_birth: date(1990, 4, 12),
        is_coordinator: false,
    };
    assert_eq!(me, expected, "create_user answers the stored record");
    let id = me.profile.user_id;
    assert_eq!(s.me(id, today()).await.unwrap(), expected, "me() round trip");
    // The age is derived on the day asked, turning over on the birthday.
    assert_eq!(s.me(id, date(2026, 4, 11)).await.unwrap().profile.age, Some(35));
    assert_eq!(s.me(id, date(2026, 4, 12)).await.unwrap().profile.age, Some(36));
    assert_eq!(s.profile(id, date(2026, 4, 12)).await.unwrap().age, Some(36));
    // Others see the Profile: the same record without the private fields.
    assert_eq!(s.profile(me.profile.user_id, today()).await.unwrap(), Profile::from(expected));
    assert_eq!(s.password_hash(me.profile.user_id).await.unwrap(), "x");

    // A user with nothing optional comes back with nothing optional.
    let bare = create(s, new_user("ben"), t(1)).await;
    assert_eq!(s.me(bare.profile.user_id, today()).await.unwrap(), bare);
    assert_eq!(bare.phone_number, None);
    assert_eq!(bare.profile.city, None);
    assert_eq!(bare.profile.bio, None);
    assert_eq!(bare.profile.years_of_experience, None);
    assert!(bare.profile.skills.is_empty() && bare.profile.interests.is_empty());
    assert!(!bare.profile.mentor_status && !bare.profile.mentee_status);
    assert_eq!(bare.profile.created_at, t(1));

    let nobody = Uuid::new_v4();
    assert_not_found(s.me(nobody, today()).await, "me() of an unknown user");
    assert_not_found(s.profile(nobody, today()).await, "profile() of an unknown user");
    assert_not_found(s.password_hash(nobody).await, "password_hash() of an unknown user");
}

async fn create_user_names_each_taken_field(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut ann = new_user("ann");
    ann.profile.phone_number = Some("+15550001111".into());
    create(s, ann, t(0)).await;
    let seq = s.latest_seq().await.unwrap();

    let mut u = new_user("ANN");
    u.email = "other@example.com".into();
    assert_conflict(try_create(s, u, t(1)).await, &["username"], "case-variant username");

    let mut u = new_user("zed");
    u.email = "ANN@EXAMPLE.COM".into();
    assert_conflict(try_create(s, u, t(1)).await, &["email"], "case-variant email");

    let mut u = new_user("zed");
    u.profile.phone_number = Some("+15550001111".into());
    assert_conflict(try_create(s, u, t(1)).await, &["phone_number"], "same phone");

    let mut u = new_user("Ann");
    u.email = "ann@Example.COM".into();
    u.profile.phone_number = Some("+15550001111".into());
    assert_conflict(
        try_create(s, u, t(1)).await,
        &["username", "email", "phone_number"],
        "everything taken",
    );

    // Nothing was written by the refusals.
    assert_eq!(s.latest_seq().await.unwrap(), seq, "a refused registration logged a change");
    let all = s.search_users(&UsersQuery::default(), 100, today()).await.unwrap();
    assert_eq!(names(&all), ["ann"]);

    // Different values are fine, and two users without a phone do not collide.
    create(s, new_user("zed"), t(2)).await;
    create(s, new_user("amy"), t(3)).await;
}

async fn find_login_by_username_or_email_in_any_case(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut u = new_user("ann");
    u.email = "Ann.Lee@Example.com".into();
    let ann = create(s, u, t(0)).await.profile.user_id;
    let ben = user(s, "ben").await;
    for login in ["ann", "ANN", "Ann", "ann.lee@example.com", "ANN.LEE@EXAMPLE.COM", " ann "] {
        let found = s.find_login(login).await.unwrap().unwrap_or_else(|| panic!("{login:?}"));
        assert_eq!(found.user_id, ann, "{login:?}");
        assert_eq!(found.password_hash, "x");
    }
    assert_eq!(s.find_login("BEN@example.com").await.unwrap().unwrap().user_id, ben);
    assert!(s.find_login("nobody").await.unwrap().is_none());
    assert!(s.find_login("an").await.unwrap().is_none(), "a prefix is not a login");
    assert!(s.find_login("%").await.unwrap().is_none());
}

async fn sessions_expire_and_can_be_revoked(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let ann = user(s, "ann").await;
    let ben = user(s, "ben").await;
    s.create_session(ann, "h-ann", t(0), t(3600)).await.unwrap();
    s.create_session(ben, "h-ben", t(0), t(3600)).await.unwrap();
    assert_eq!(s.session_user("h-ann", t(10)).await.unwrap(), Some(ann));
    assert_eq!(s.session_user("h-ben", t(10)).await.unwrap(), Some(ben));
    assert_eq!(s.session_user("h-ann", t(3599)).await.unwrap(), Some(ann));
    assert_eq!(s.session_user("h-ann", t(3600)).await.unwrap(), None, "expired at expires_at");
    assert_eq!(s.session_user("h-ann", t(9000)).await.unwrap(), None);
    assert_eq!(s.session_user("unknown", t(10)).await.unwrap(), None);

    // A session whose expiry is already past never works.
    s.create_session(ann, "h-old", t(0), t(-1)).await.unwrap();
    assert_eq!(s.session_user("h-old", t(0)).await.unwrap(), None);

    s.delete_session("h-ann").await.unwrap();
    assert_eq!(s.session_user("h-ann", t(10)).await.unwrap(), None, "revoked");
    assert_eq!(s.session_user("h-ben", t(10)).await.unwrap(), Some(ben), "others stay");
    s.delete_session("never-existed").await.unwrap();
}

async fn set_password_hash_revokes_every_other_session(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let ann = user(s, "ann").await;
    let ben = user(s, "ben").await;
    for h in ["a1", "a2", "a3"] {
        s.create_session(ann, h, t(0), t(3600)).await.unwrap();
    }
    s.create_session(ben, "b1", t(0), t(3600)).await.unwrap();
    s.set_password_hash(ann, "new-hash", "a2").await.unwrap();
    assert_eq!(s.password_hash(ann).await.unwrap(), "new-hash");
    assert_eq!(s.find_login("ann").await.unwrap().unwrap().password_hash, "new-hash");
    assert_eq!(s.password_hash(ben).await.unwrap(), "x", "another user's hash is untouched");
    assert_eq!(s.session_user("a1", t(1)).await.unwrap(), None);
    assert_eq!(s.session_user("a3", t(1)).await.unwrap(), None);
    assert_eq!(s.session_user("a2", t(1)).await.unwrap(), Some(ann), "the named one is kept");
    assert_eq!(s.session_user("b1", t(1)).await.unwrap(), Some(ben), "others' sessions stay");
}

async fn login_failures_count_the_window_and_clear(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let both = ["user:ann".to_owned(), "ip:10.0.0.1".to_owned()];
    s.record_attempt(&both, Uuid::new_v4(), t(-600)).await.unwrap();
    s.record_attempt(&both[..1], Uuid::new_v4(), t(-300)).await.unwrap();
    let last = Uuid::new_v4();
    s.record_attempt(&both, last, t(-60)).await.unwrap();

    assert_eq!(s.login_failures("user:ann", t(-900)).await.unwrap(), (3, Some(t(-600))));
    assert_eq!(s.login_failures("user:ann", t(-400)).await.unwrap(), (2, Some(t(-300))));
    assert_eq!(
        s.login_failures("user:ann", t(-60)).await.unwrap(),
        (0, None),
        "since is exclusive"
    );
    assert_eq!(s.login_failures("ip:10.0.0.1", t(-900)).await.unwrap(), (2, Some(t(-600))));
    assert_eq!(s.login_failures("user:ben", t(-900)).await.unwrap(), (0, None));

    s.clear_login_failures("user:ann").await.unwrap();
    assert_eq!(s.login_failures("user:ann", t(-900)).await.unwrap(), (0, None));
    assert_eq!(
        s.login_failures("ip:10.0.0.1", t(-900)).await.unwrap(),
        (2, Some(t(-600))),
        "clearing one key keeps the others"
    );
    s.clear_login_failures("never-failed").await.unwrap();
    // Forgetting an attempt removes its rows under every key, and nothing else.
    s.forget_attempt(last).await.unwrap();
    assert_eq!(s.login_failures("ip:10.0.0.1", t(-900)).await.unwrap(), (1, Some(t(-600))));
    s.forget_attempt(Uuid::new_v4()).await.unwrap();
    assert_eq!(s.login_failures("ip:10.0.0.1", t(-900)).await.unwrap(), (1, Some(t(-600))));
}

async fn taken_names_each_taken_field_before_any_write(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut with_phone = new_user("ann");
    with_phone.profile.phone_number = Some("+15550100".into());
    let ann = create(s, with_phone, t(0)).await;
    assert_eq!(s.taken("ANN", "other@example.com", None).await.unwrap(), vec!["username"]);
    assert_eq!(s.taken("other", "Ann@Example.com", None).await.unwrap(), vec!["email"]);
    assert_eq!(
        s.taken("other", "other@example.com", Some("+15550100")).await.unwrap(),
        vec!["phone_number"]
    );
    assert!(s.taken("other", "other@example.com", Some("+15550199")).await.unwrap().is_empty());
    assert_eq!(s.me(ann.profile.user_id, today()).await.unwrap().profile.username, "ann");
}

async fn valid_sessions_are_the_unexpired_unrevoked_ones(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let ann = user(s, "ann").await;
    s.create_session(ann, "live", t(0), t(100)).await.unwrap();
    s.create_session(ann, "expired", t(0), t(5)).await.unwrap();
    s.create_session(ann, "revoked", t(0), t(100)).await.unwrap();
    s.delete_session("revoked").await.unwrap();
    let asked: Vec<String> = ["live", "expired", "revoked", "never"].map(String::from).into();
    assert_eq!(s.valid_sessions(&asked, t(10)).await.unwrap(), vec!["live".to_owned()]);
    assert!(s.valid_sessions(&[], t(10)).await.unwrap().is_empty());
    // More than one query's worth of hashes.
    let many: Vec<String> =
        (0..2_500).map(|i| format!("h{i}")).chain(["live".to_owned()]).collect();
    assert_eq!(s.valid_sessions(&many, t(10)).await.unwrap(), vec!["live".to_owned()]);
}

async fn conversation_members_lists_direct_and_group_members(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let (a, b, c) = (user(s, "ann").await, user(s, "ben").await, user(s, "cat").await);
    let ab = direct(s, a, b, t(1)).await;
    let group = s
        .create_group(a, NewGroup { group_name: "cohort".into(), description: None }, &[c], t(2))
        .await
        .unwrap();
    let mut members =
        s.conversation_members(&[ab, group.conversation_id, Uuid::new_v4()]).await.unwrap();
    members.sort();
    let mut expected =
        vec![(ab, a), (ab, b), (group.conversation_id, a), (group.conversation_id, c)];
    expected.sort();
    assert_eq!(members, expected);
    assert!(s.conversation_members(&[]).await.unwrap().is_empty());
}

lodestar_tests::on_both_backends!(
    a_fresh_store_is_empty,
    create_user_round_trips_every_field,
    create_user_names_each_taken_field,
    find_login_by_username_or_email_in_any_case,
    sessions_expire_and_can_be_revoked,
    set_password_hash_revokes_every_other_session,
    login_failures_count_the_window_and_clear,
    taken_names_each_taken_field_before_any_write,
    valid_sessions_are_the_unexpired_unrevoked_ones,
    conversation_members_lists_direct_and_group_members,
);
