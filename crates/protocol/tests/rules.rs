//! The value rules of DESIGN.md ("Rules for values"), checked through the crate's public API at
//! and just past every limit, and the composite validators built from JSON the way the server
//! receives them (so the `double_option` fields are exercised too).

use std::collections::BTreeMap;
use std::fmt::Debug;

use chrono::NaiveDate;
use lodestar_protocol::validate::{
    self, age_on, limits, FieldErrors, GroupPatch, NewGroup, ProfilePatch, ProfileValues, US_STATES,
};
use lodestar_protocol::{
    CreateGroupRequest, RegisterRequest, Role, SendMessageRequest, UpdateGroupRequest,
    UpdateMeRequest,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The fixed "today" of every date rule.
fn today() -> NaiveDate {
    date(2025, 6, 15)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => panic!("not a date: {y}-{m}-{d}"),
    }
}

/// `c` repeated `n` times.
fn rep(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

/// Owned copies of string slices.
fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// A URL of exactly `n` characters.
fn url_of_len(n: usize) -> String {
    let base = "https://example.com/";
    format!("{base}{}", rep('a', n - base.len()))
}

/// An email of exactly `n` characters (`n` between 70 and 127): a 64-character local part.
fn email_of_len(n: usize) -> String {
    let local = rep('a', 64);
    let domain_head = rep('b', n - 64 - 1 - ".com".len());
    format!("{local}@{domain_head}.com")
}

fn parse<T: DeserializeOwned>(v: Value) -> T {
    match serde_json::from_value(v.clone()) {
        Ok(t) => t,
        Err(e) => panic!("could not deserialize {v}: {e}"),
    }
}

fn ok<T, E: Debug>(r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("expected Ok, got Err({e:?})"),
    }
}

/// The field codes of a failed validation, panicking on success.
fn errors<T: Debug>(r: Result<T, FieldErrors>) -> BTreeMap<String, String> {
    match r {
        Ok(v) => panic!("expected field errors, got Ok({v:?})"),
        Err(e) => {
            assert!(!e.is_empty(), "an Err must name at least one field");
            e.0
        }
    }
}

fn codes(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect()
}

fn some(s: &str) -> Option<String> {
    Some(s.to_owned())
}

// ---------------------------------------------------------------------------------------------
// username: 3 to 16 of `a-z 0-9 _ .`, folded to lower case
// ---------------------------------------------------------------------------------------------

#[test]
fn username_length_limits() {
    assert_eq!(limits::USERNAME, (3, 16));
    assert_eq!(validate::username("abc"), Ok("abc".to_owned()));
    assert_eq!(validate::username(&rep('a', 16)), Ok(rep('a', 16)));
    assert_eq!(validate::username("ab"), Err("too_short"));
    assert_eq!(validate::username("a"), Err("too_short"));
    assert_eq!(validate::username(&rep('a', 17)), Err("too_long"));
    assert_eq!(validate::username(""), Err("required"));
    assert_eq!(validate::username("   "), Err("required"));
}

#[test]
fn username_allowed_characters() {
    assert_eq!(validate::username("abcdefghijklmnop"), Ok("abcdefghijklmnop".to_owned()));
    assert_eq!(validate::username("qrstuvwxyz"), Ok("qrstuvwxyz".to_owned()));
    assert_eq!(validate::username("0123456789"), Ok("0123456789".to_owned()));
    assert_eq!(validate::username("a_b.c"), Ok("a_b.c".to_owned()));
    assert_eq!(validate::username("___"), Ok("___".to_owned()));
    assert_eq!(validate::username("..."), Ok("...".to_owned()));
    assert_eq!(validate::username("j.doe_42"), Ok("j.doe_42".to_owned()));
}

#[test]
fn username_upper_case_is_folded() {
    assert_eq!(validate::username("Alice"), Ok("alice".to_owned()));
    assert_eq!(validate::username("ALICE.SMITH_99"), Ok("alice.smith_99".to_owned()));
    assert_eq!(validate::username(&rep('A', 16)), Ok(rep('a', 16)));
}

#[test]
fn username_surrounding_whitespace_is_trimmed() {
    assert_eq!(validate::username("  bob  "), Ok("bob".to_owned()));
    // Trimming happens before the length is counted.
    assert_eq!(validate::username(" ab "), Err("too_short"));
}

#[test]
fn username_bad_characters_are_invalid() {
    for bad in [
        "bob smith", // space
        "bob-smith", // hyphen
        "bob@home",
        "bob!",
        "bob+1",
        "bob/x",
        "bob\tx",
        "josé",            // non-ASCII lower case letter
        "JOSÉ",            // non-ASCII upper case letter
        "Ünal",            // non-ASCII first letter
        "алиса",           // Cyrillic
        "李小龙龙",        // CJK
        "bob😀",           // emoji
        "\u{212A}elvin",   // KELVIN SIGN, whose Unicode lower case is the ASCII `k`
        "\u{0130}stanbul", // LATIN CAPITAL I WITH DOT ABOVE
        "ｂｏｂ",          // full-width letters
    ] {
        assert_eq!(validate::username(bad), Err("invalid"), "{bad:?}");
    }
}

#[test]
fn username_length_is_checked_before_characters() {
    assert_eq!(validate::username("a-"), Err("too_short"));
    assert_eq!(validate::username(&rep('-', 17)), Err("too_long"));
    assert_eq!(validate::username(&rep('-', 3)), Err("invalid"));
}

// ---------------------------------------------------------------------------------------------
// email: a valid address up to 100
// ---------------------------------------------------------------------------------------------

#[test]
fn email_valid_forms() {
    for good in [
        "a@b.co",
        "alice@example.com",
        "Alice.Smith@Example.COM",
        "first.last+tag@sub.example.co.uk",
        "x_y-z@my-domain.org",
        "o'brien@example.ie",
        "123@456.io",
    ] {
        assert_eq!(validate::email(good), Ok(good.to_owned()), "{good:?}");
    }
}

#[test]
fn email_is_trimmed_and_case_kept() {
    assert_eq!(validate::email("  Bob@Example.com \n"), Ok("Bob@Example.com".to_owned()));
}

#[test]
fn email_length_limit() {
    assert_eq!(limits::EMAIL_MAX, 100);
    let at_limit = email_of_len(100);
    assert_eq!(at_limit.chars().count(), 100);
    assert_eq!(validate::email(&at_limit), Ok(at_limit.clone()));
    let past = email_of_len(101);
    assert_eq!(past.chars().count(), 101);
    assert_eq!(validate::email(&past), Err("too_long"));
}

#[test]
fn email_required_when_empty() {
    assert_eq!(validate::email(""), Err("required"));
    assert_eq!(validate::email("   "), Err("required"));
}

#[test]
fn email_malformed_is_invalid() {
    for bad in [
        "alice.example.com",       // no @
        "alice@",                  // no domain
        "@example.com",            // no local part
        "alice@example",           // no dot in the domain
        "alice@localhost",         // no dot in the domain
        "alice@example.",          // empty last label
        "alice@.example.com",      // empty first label
        "alice@example..com",      // empty label
        "alice@example.c",         // one-letter top-level domain
        "alice@example.c0m",       // digit in the top-level domain
        "alice smith@example.com", // space in the local part
        "alice@exa mple.com",      // space in the domain
        "alice@example .com",
        "alice@@example.com",
        "alice@bob@example.com",
        ".alice@example.com",
        "alice.@example.com",
        "al..ice@example.com",
        "alice@-example.com",
        "alice@example-.com",
        "alice@exa_mple.com",
        "al(ice)@example.com",
        "alicé@example.com",
    ] {
        assert_eq!(validate::email(bad), Err("invalid"), "{bad:?}");
    }
}

#[test]
fn email_local_part_over_64_is_invalid() {
    let bad = format!("{}@example.com", rep('a', 65));
    assert!(bad.chars().count() <= 100);
    assert_eq!(validate::email(&bad), Err("invalid"));
}

// ---------------------------------------------------------------------------------------------
// phone: E.164, up to 15
// ---------------------------------------------------------------------------------------------

#[test]
fn phone_e164_ok() {
    assert_eq!(validate::phone("+14155550123"), Ok("+14155550123".to_owned()));
    assert_eq!(validate::phone(" +442071838750 "), Ok("+442071838750".to_owned()));
    assert_eq!(validate::phone("+12"), Ok("+12".to_owned()));
}

#[test]
fn phone_length_limit() {
    assert_eq!(limits::PHONE_MAX, 15);
    let at_limit = format!("+{}", rep('1', 14));
    assert_eq!(at_limit.len(), 15);
    assert_eq!(validate::phone(&at_limit), Ok(at_limit.clone()));
    let past = format!("+{}", rep('1', 15));
    assert_eq!(past.len(), 16);
    assert_eq!(validate::phone(&past), Err("too_long"));
}

#[test]
fn phone_malformed_is_invalid() {
    for bad in [
        "14155550123",  // no plus
        "004155550123", // international prefix instead of plus
        "+04155550123", // leading 0 after the plus
        "+0",
        "+1", // too few digits
        "+",
        "",
        "+1415555O123", // letter O
        "+1415abc0123",
        "+1 415 555 0123", // spaces
        "+1-415-555-0123", // hyphens
        "+(415)5550123",
        "++14155550123",
        "+1415555012٣", // Arabic-Indic digit
    ] {
        assert_eq!(validate::phone(bad), Err("invalid"), "{bad:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// password: 10 to 128 characters, not the username or email
// ---------------------------------------------------------------------------------------------

#[test]
fn password_length_limits() {
    assert_eq!(limits::PASSWORD, (10, 128));
    let (u, e) = ("alice", "alice@example.com");
    assert_eq!(validate::password(&rep('x', 10), u, e), Ok(()));
    assert_eq!(validate::password(&rep('x', 128), u, e), Ok(()));
    assert_eq!(validate::password(&rep('x', 9), u, e), Err("too_short"));
    assert_eq!(validate::password(&rep('x', 129), u, e), Err("too_long"));
    assert_eq!(validate::password("", u, e), Err("required"));
}

#[test]
fn password_counts_characters_not_bytes() {
    let (u, e) = ("alice", "alice@example.com");
    // 10 characters of 2, 3 and 4 bytes each.
    for c in ['é', '密', '🔑'] {
        let ten = rep(c, 10);
        assert!(ten.len() > 10);
        assert_eq!(validate::password(&ten, u, e), Ok(()), "{c:?}");
        assert_eq!(validate::password(&rep(c, 9), u, e), Err("too_short"), "{c:?}");
        assert_eq!(validate::password(&rep(c, 128), u, e), Ok(()), "{c:?}");
        assert_eq!(validate::password(&rep(c, 129), u, e), Err("too_long"), "{c:?}");
    }
}

#[test]
fn password_same_as_login_in_any_case() {
    let (u, e) = ("alice.smith", "bob@example.com");
    for bad in ["alice.smith", "ALICE.SMITH", "Alice.Smith", "bob@example.com", "BOB@EXAMPLE.COM"] {
        assert_eq!(validate::password(bad, u, e), Err("same_as_login"), "{bad:?}");
    }
    assert_eq!(validate::password("alice.smith1", u, e), Ok(()));
    assert_eq!(validate::password("bob@example.co", u, e), Ok(()));
}

#[test]
fn password_length_is_checked_first() {
    // A login shorter than the minimum can never be a valid password anyway.
    assert_eq!(validate::password("bob", "bob", "b@x.io"), Err("too_short"));
}

// ---------------------------------------------------------------------------------------------
// date of birth: a real date, age at least 13
// ---------------------------------------------------------------------------------------------

#[test]
fn dob_exactly_thirteen_today_is_ok() {
    assert_eq!(limits::MIN_AGE, 13);
    assert_eq!(validate::date_of_birth("2012-06-15", today()), Ok(date(2012, 6, 15)));
    assert_eq!(validate::date_of_birth("1980-01-31", today()), Ok(date(1980, 1, 31)));
    assert_eq!(validate::date_of_birth(" 2012-06-14 ", today()), Ok(date(2012, 6, 14)));
}

#[test]
fn dob_one_day_short_of_thirteen_is_too_young() {
    assert_eq!(validate::date_of_birth("2012-06-16", today()), Err("too_young"));
    assert_eq!(validate::date_of_birth("2020-01-01", today()), Err("too_young"));
    // Born today: age 0, not in the future.
    assert_eq!(validate::date_of_birth("2025-06-15", today()), Err("too_young"));
}

#[test]
fn dob_born_on_leap_day() {
    // Born 29 February: 13 once 1 March comes in a common year.
    let dob = "2012-02-29";
    assert_eq!(validate::date_of_birth(dob, date(2025, 2, 28)), Err("too_young"));
    assert_eq!(validate::date_of_birth(dob, date(2025, 3, 1)), Ok(date(2012, 2, 29)));
    assert_eq!(age_on(date(2012, 2, 29), date(2024, 2, 29)), 12);
    assert_eq!(age_on(date(2012, 2, 29), date(2025, 3, 1)), 13);
}

#[test]
fn age_on_counts_whole_years() {
    assert_eq!(age_on(date(2012, 6, 15), today()), 13);
    assert_eq!(age_on(date(2012, 6, 16), today()), 12);
    assert_eq!(age_on(date(1990, 12, 31), today()), 34);
    assert_eq!(age_on(date(1990, 1, 1), today()), 35);
}

#[test]
fn dob_not_a_real_date_is_invalid() {
    for bad in [
        "2023-02-30",
        "2011-02-29", // 2011 is not a leap year
        "2010-13-01",
        "2010-00-10",
        "2010-04-31",
        "2023-2-3",
        "2010-1-01",
        "10-01-2010",
        "2010/01/01",
        "20100101",
        "2010-01-01T00:00:00",
        "garbage",
        "yyyy-mm-dd",
    ] {
        assert_eq!(validate::date_of_birth(bad, today()), Err("invalid"), "{bad:?}");
    }
}

#[test]
fn dob_in_the_future_is_invalid() {
    assert_eq!(validate::date_of_birth("2025-06-16", today()), Err("invalid"));
    assert_eq!(validate::date_of_birth("2030-01-01", today()), Err("invalid"));
}

#[test]
fn dob_implausibly_old_is_invalid() {
    assert_eq!(validate::date_of_birth("1895-06-15", today()), Ok(date(1895, 6, 15)));
    assert_eq!(validate::date_of_birth("1800-01-01", today()), Err("invalid"));
}

#[test]
fn dob_empty_is_required() {
    assert_eq!(validate::date_of_birth("", today()), Err("required"));
    assert_eq!(validate::date_of_birth("  ", today()), Err("required"));
}

// ---------------------------------------------------------------------------------------------
// city, state
// ---------------------------------------------------------------------------------------------

#[test]
fn city_length_limit() {
    assert_eq!(limits::CITY_MAX, 26);
    assert_eq!(validate::city(&rep('a', 26)), Ok(rep('a', 26)));
    assert_eq!(validate::city(&rep('a', 27)), Err("too_long"));
    assert_eq!(validate::city("São Paulo"), Ok("São Paulo".to_owned()));
    // Characters, not bytes.
    assert_eq!(validate::city(&rep('ü', 26)), Ok(rep('ü', 26)));
    assert_eq!(validate::city(&rep('ü', 27)), Err("too_long"));
    // Trimmed before counting.
    assert_eq!(validate::city(&format!("  {}  ", rep('a', 26))), Ok(rep('a', 26)));
}

#[test]
fn state_every_code_is_ok() {
    assert_eq!(US_STATES.len(), 56);
    let unique: std::collections::BTreeSet<&str> = US_STATES.iter().copied().collect();
    assert_eq!(unique.len(), US_STATES.len(), "no code twice");
    for code in US_STATES {
        assert_eq!(code.len(), 2);
        assert_eq!(validate::state(code), Ok(code.to_owned()), "{code}");
        assert_eq!(validate::state(&code.to_lowercase()), Ok(code.to_owned()), "{code}");
    }
    for code in ["CA", "NY", "TX", "DC", "PR", "GU", "VI", "AS", "MP"] {
        assert!(US_STATES.contains(&code), "{code}");
    }
}

#[test]
fn state_is_folded_and_trimmed() {
    assert_eq!(validate::state("ca"), Ok("CA".to_owned()));
    assert_eq!(validate::state("Ny"), Ok("NY".to_owned()));
    assert_eq!(validate::state(" tx "), Ok("TX".to_owned()));
}

#[test]
fn state_unknown_is_invalid() {
    for bad in ["XX", "CAL", "C", "", "California", "ZZ", "UK", "C A", "1A"] {
        assert_eq!(validate::state(bad), Err("invalid"), "{bad:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// URL: http/https up to 255
// ---------------------------------------------------------------------------------------------

#[test]
fn url_http_and_https_ok() {
    for good in [
        "http://example.com",
        "https://example.com",
        "https://example.com/",
        "https://cdn.example.com/a/b.png?size=64#top",
        "https://user@example.com/x",
        "http://localhost:8080/avatar.png",
        "https://127.0.0.1/a",
        "https://[::1]:443/a",
        "HTTPS://example.com/Case",
        "Http://example.com",
    ] {
        assert_eq!(validate::url(good), Ok(good.to_owned()), "{good:?}");
    }
    assert_eq!(validate::url("  https://example.com/a  "), Ok("https://example.com/a".to_owned()));
}

#[test]
fn url_other_schemes_or_no_host_are_invalid() {
    for bad in [
        "ftp://example.com/a.png",
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "file:///etc/passwd",
        "mailto:a@b.co",
        "example.com/a.png",
        "//example.com/a.png",
        "http:/example.com",
        "https:example.com",
        "http://",
        "https://",
        "https:///path",
        "https://?q=1",
        "https://#frag",
        "https://user@",
        "https://user@/x",
        "https://:8080/x",
        "https://exa mple.com",
        "https://example.com/a b",
        "https://example.com/\u{0}",
        "",
    ] {
        assert_eq!(validate::url(bad), Err("invalid"), "{bad:?}");
    }
}

#[test]
fn url_length_limit() {
    assert_eq!(limits::URL_MAX, 255);
    let at_limit = url_of_len(255);
    assert_eq!(at_limit.chars().count(), 255);
    assert_eq!(validate::url(&at_limit), Ok(at_limit.clone()));
    let past = url_of_len(256);
    assert_eq!(validate::url(&past), Err("too_long"));
}

// ---------------------------------------------------------------------------------------------
// bio, job title, industry, years of experience
// ---------------------------------------------------------------------------------------------

#[test]
fn bio_length_limit() {
    assert_eq!(limits::BIO_MAX, 2_000);
    assert_eq!(validate::bio(&rep('b', 2_000)), Ok(rep('b', 2_000)));
    assert_eq!(validate::bio(&rep('b', 2_001)), Err("too_long"));
    assert_eq!(validate::bio(&rep('ß', 2_000)), Ok(rep('ß', 2_000)));
    assert_eq!(validate::bio(&rep('ß', 2_001)), Err("too_long"));
    assert_eq!(validate::bio(""), Ok(String::new()));
}

#[test]
fn title_length_limit() {
    // Job title and industry share the rule.
    assert_eq!(limits::TITLE_MAX, 100);
    assert_eq!(validate::title(&rep('t', 100)), Ok(rep('t', 100)));
    assert_eq!(validate::title(&rep('t', 101)), Err("too_long"));
    assert_eq!(validate::title(&rep('é', 100)), Ok(rep('é', 100)));
    assert_eq!(validate::title(&rep('é', 101)), Err("too_long"));
    assert_eq!(validate::title("  Staff Engineer "), Ok("Staff Engineer".to_owned()));
}

#[test]
fn years_range() {
    assert_eq!(limits::YEARS, (0, 70));
    assert_eq!(validate::years(0), Ok(0));
    assert_eq!(validate::years(1), Ok(1));
    assert_eq!(validate::years(70), Ok(70));
    assert_eq!(validate::years(-1), Err("out_of_range"));
    assert_eq!(validate::years(71), Err("out_of_range"));
    assert_eq!(validate::years(i64::MIN), Err("out_of_range"));
    assert_eq!(validate::years(i64::MAX), Err("out_of_range"));
    assert_eq!(validate::years(i64::from(i32::MAX) + 1), Err("out_of_range"));
}

// ---------------------------------------------------------------------------------------------
// tags: up to 30 of 1 to 40 characters
// ---------------------------------------------------------------------------------------------

fn numbered_tags(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("tag{i}")).collect()
}

#[test]
fn tags_count_limit() {
    assert_eq!(limits::TAGS_MAX, 30);
    assert_eq!(validate::tags(&[]), Ok(vec![]));
    assert_eq!(validate::tags(&numbered_tags(30)), Ok(numbered_tags(30)));
    assert_eq!(validate::tags(&numbered_tags(31)), Err("too_many"));
}

#[test]
fn tags_length_limit() {
    assert_eq!(limits::TAG, (1, 40));
    assert_eq!(validate::tags(&[rep('r', 40)]), Ok(vec![rep('r', 40)]));
    assert_eq!(validate::tags(&[rep('r', 41)]), Err("too_long"));
    assert_eq!(validate::tags(&[rep('ж', 40)]), Ok(vec![rep('ж', 40)]));
    assert_eq!(validate::tags(&[rep('ж', 41)]), Err("too_long"));
    assert_eq!(validate::tags(&strings(&["a"])), Ok(strings(&["a"])));
}

#[test]
fn tags_empty_tag_is_invalid() {
    assert_eq!(validate::tags(&strings(&[""])), Err("invalid"));
    assert_eq!(validate::tags(&strings(&["rust", "   "])), Err("invalid"));
}

#[test]
fn tags_are_trimmed_folded_and_deduplicated() {
    assert_eq!(
        validate::tags(&strings(&[" Rust ", "rust", "RUST", "Go", "go ", "SQL"])),
        Ok(strings(&["rust", "go", "sql"]))
    );
}

#[test]
fn tags_duplicates_do_not_count_toward_the_limit() {
    let mut v = numbered_tags(30);
    v.push("TAG0".to_owned());
    v.push(" tag29 ".to_owned());
    assert_eq!(v.len(), 32);
    assert_eq!(validate::tags(&v), Ok(numbered_tags(30)));
}

// ---------------------------------------------------------------------------------------------
// group name, description, role
// ---------------------------------------------------------------------------------------------

#[test]
fn group_name_length_limits() {
    assert_eq!(limits::GROUP_NAME, (1, 50));
    assert_eq!(validate::group_name("a"), Ok("a".to_owned()));
    assert_eq!(validate::group_name(&rep('g', 50)), Ok(rep('g', 50)));
    assert_eq!(validate::group_name(&rep('g', 51)), Err("too_long"));
    assert_eq!(validate::group_name(&rep('д', 50)), Ok(rep('д', 50)));
    assert_eq!(validate::group_name(&rep('д', 51)), Err("too_long"));
    assert_eq!(validate::group_name(""), Err("required"));
    assert_eq!(validate::group_name("   \t\n"), Err("required"));
    assert_eq!(validate::group_name("  Rustaceans  "), Ok("Rustaceans".to_owned()));
}

#[test]
fn description_length_limit() {
    assert_eq!(limits::DESCRIPTION_MAX, 2_000);
    assert_eq!(validate::description(&rep('d', 2_000)), Ok(rep('d', 2_000)));
    assert_eq!(validate::description(&rep('d', 2_001)), Err("too_long"));
}

#[test]
fn role_values() {
    assert_eq!(validate::role("owner"), Ok(Role::Owner));
    assert_eq!(validate::role("admin"), Ok(Role::Admin));
    assert_eq!(validate::role("member"), Ok(Role::Member));
    for bad in ["", "Owner", "ADMIN", " member", "moderator", "guest", "root"] {
        assert_eq!(validate::role(bad), Err("invalid"), "{bad:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// message: content (up to 10,000) or a media URL, or both
// ---------------------------------------------------------------------------------------------

fn send(content: Option<&str>, media_url: Option<&str>) -> SendMessageRequest {
    parse(json!({
        "message_id": "00000000-0000-4000-8000-000000000001",
        "conversation_id": "00000000-0000-4000-8000-000000000002",
        "content": content,
        "media_url": media_url,
    }))
}

#[test]
fn message_content_only_media_only_or_both() {
    let m = ok(validate::message(&send(Some("hello"), None)));
    assert_eq!((m.content, m.media_url), (some("hello"), None));

    let m = ok(validate::message(&send(None, Some("https://example.com/a.png"))));
    assert_eq!((m.content, m.media_url), (None, some("https://example.com/a.png")));

    let m = ok(validate::message(&send(Some("look"), Some("https://example.com/a.png"))));
    assert_eq!((m.content, m.media_url), (some("look"), some("https://example.com/a.png")));
}

#[test]
fn message_absent_fields_deserialize_as_none() {
    let req: SendMessageRequest = parse(json!({
        "message_id": "00000000-0000-4000-8000-000000000001",
        "conversation_id": "00000000-0000-4000-8000-000000000002",
        "content": "hi",
    }));
    assert_eq!(req.media_url, None);
    let m = ok(validate::message(&req));
    assert_eq!((m.content, m.media_url), (some("hi"), None));
}

#[test]
fn message_neither_content_nor_media_requires_content() {
    let want = codes(&[("content", "required")]);
    assert_eq!(errors(validate::message(&send(None, None))), want);
    assert_eq!(errors(validate::message(&send(Some(""), None))), want);
    assert_eq!(errors(validate::message(&send(Some("  \n "), Some("")))), want);
    assert_eq!(errors(validate::message_body(None, Some("   "))), want);
}

#[test]
fn message_blank_content_with_media_counts_as_no_content() {
    let m = ok(validate::message_body(Some("   "), Some("https://example.com/v.mp4")));
    assert_eq!((m.content, m.media_url), (None, some("https://example.com/v.mp4")));
}

#[test]
fn message_content_length_limit() {
    assert_eq!(limits::CONTENT_MAX, 10_000);
    let at_limit = rep('m', 10_000);
    let m = ok(validate::message(&send(Some(&at_limit), None)));
    assert_eq!(m.content, Some(at_limit));
    assert_eq!(
        errors(validate::message(&send(Some(&rep('m', 10_001)), None))),
        codes(&[("content", "too_long")])
    );
    // Characters, not bytes.
    assert!(validate::message_body(Some(&rep('語', 10_000)), None).is_ok());
    assert_eq!(
        errors(validate::message_body(Some(&rep('語', 10_001)), None)),
        codes(&[("content", "too_long")])
    );
}

#[test]
fn message_bad_media_url_is_invalid() {
    for bad in ["ftp://example.com/a.png", "javascript:alert(1)", "https://", "not a url"] {
        assert_eq!(
            errors(validate::message(&send(None, Some(bad)))),
            codes(&[("media_url", "invalid")]),
            "{bad:?}"
        );
        assert_eq!(
            errors(validate::message(&send(Some("hi"), Some(bad)))),
            codes(&[("media_url", "invalid")]),
            "{bad:?}"
        );
    }
    assert_eq!(
        errors(validate::message(&send(None, Some(&url_of_len(256))))),
        codes(&[("media_url", "too_long")])
    );
    assert!(validate::message(&send(None, Some(&url_of_len(255)))).is_ok());
}

#[test]
fn message_reports_content_and_media_url_together() {
    assert_eq!(
        errors(validate::message(&send(Some(&rep('m', 10_001)), Some("ftp://x.io")))),
        codes(&[("content", "too_long"), ("media_url", "invalid")])
    );
}

// ---------------------------------------------------------------------------------------------
// register
// ---------------------------------------------------------------------------------------------

fn registration(extra: Value) -> RegisterRequest {
    let mut body = json!({
        "username": "Alice.Smith",
        "email": " alice@example.com ",
        "password": "correct horse battery",
        "date_of_birth": "1990-04-01",
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            body.insert(k.clone(), v.clone());
        }
    }
    parse(body)
}

#[test]
fn register_minimal_ok_and_normalised() {
    let u = ok(validate::register(&registration(json!({})), today()));
    assert_eq!(u.username, "alice.smith");
    assert_eq!(u.email, "alice@example.com");
    assert_eq!(u.password, "correct horse battery");
    assert_eq!(u.date_of_birth, date(1990, 4, 1));
    assert_eq!(u.profile, ProfileValues::default());
}

#[test]
fn register_with_every_profile_field() {
    let req = registration(json!({
        "phone_number": "+14155550123",
        "city": " Oakland ",
        "state": "ca",
        "profile_picture_url": "https://example.com/me.png",
        "bio": "I like mentoring.",
        "mentor_status": true,
        "mentee_status": false,
        "job_title": "Staff Engineer",
        "years_of_experience": 12,
        "industry": "Software",
        "skills": ["Rust", "rust", "SQL"],
        "interests": ["Climbing"],
        "mentee_capacity": 5,
    }));
    let u = ok(validate::register(&req, today()));
    assert_eq!(
        u.profile,
        ProfileValues {
            phone_number: some("+14155550123"),
            city: some("Oakland"),
            state: some("CA"),
            profile_picture_url: some("https://example.com/me.png"),
            bio: some("I like mentoring."),
            mentor_status: true,
            mentee_status: false,
            job_title: some("Staff Engineer"),
            years_of_experience: Some(12),
            industry: some("Software"),
            skills: strings(&["rust", "sql"]),
            interests: strings(&["climbing"]),
            mentee_capacity: 5,
            accepting_requests: true,
        }
    );
}

#[test]
fn register_empty_optional_strings_are_no_value() {
    let req = registration(json!({
        "phone_number": "",
        "city": "  ",
        "state": "",
        "profile_picture_url": "",
        "bio": "",
        "job_title": "",
        "industry": "",
        "skills": [],
    }));
    let u = ok(validate::register(&req, today()));
    assert_eq!(u.profile, ProfileValues::default());
}

#[test]
fn register_reports_all_four_bad_fields_at_once() {
    let req: RegisterRequest = parse(json!({
        "username": "a b",
        "email": "not-an-email",
        "password": "short",
        "date_of_birth": "2023-02-30",
    }));
    assert_eq!(
        errors(validate::register(&req, today())),
        codes(&[
            ("username", "invalid"),
            ("email", "invalid"),
            ("password", "too_short"),
            ("date_of_birth", "invalid"),
        ])
    );
}

#[test]
fn register_reports_empty_required_fields() {
    let req: RegisterRequest = parse(json!({
        "username": "",
        "email": "",
        "password": "",
        "date_of_birth": "",
    }));
    assert_eq!(
        errors(validate::register(&req, today())),
        codes(&[
            ("username", "required"),
            ("email", "required"),
            ("password", "required"),
            ("date_of_birth", "required"),
        ])
    );
}

#[test]
fn register_reports_core_and_profile_fields_together() {
    let req: RegisterRequest = parse(json!({
        "username": rep('u', 17),
        "email": email_of_len(101),
        "password": rep('p', 129),
        "date_of_birth": "2012-06-16",
        "phone_number": "4155550123",
        "city": rep('c', 27),
        "state": "XX",
        "profile_picture_url": "ftp://example.com/me.png",
        "bio": rep('b', 2_001),
        "job_title": rep('j', 101),
        "years_of_experience": 71,
        "industry": rep('i', 101),
        "skills": numbered_tags(31),
        "interests": [""],
    }));
    assert_eq!(
        errors(validate::register(&req, today())),
        codes(&[
            ("username", "too_long"),
            ("email", "too_long"),
            ("password", "too_long"),
            ("date_of_birth", "too_young"),
            ("phone_number", "invalid"),
            ("city", "too_long"),
            ("state", "invalid"),
            ("profile_picture_url", "invalid"),
            ("bio", "too_long"),
            ("job_title", "too_long"),
            ("years_of_experience", "out_of_range"),
            ("industry", "too_long"),
            ("skills", "too_many"),
            ("interests", "invalid"),
        ])
    );
}

#[test]
fn register_one_bad_profile_field_fails_the_whole_registration() {
    let req = registration(json!({ "years_of_experience": -1 }));
    assert_eq!(
        errors(validate::register(&req, today())),
        codes(&[("years_of_experience", "out_of_range")])
    );
}

#[test]
fn register_password_same_as_login() {
    let req = registration(json!({ "password": "ALICE.SMITH" }));
    assert_eq!(errors(validate::register(&req, today())), codes(&[("password", "same_as_login")]));
    let req = registration(json!({ "password": "Alice@Example.com" }));
    assert_eq!(errors(validate::register(&req, today())), codes(&[("password", "same_as_login")]));
}

#[test]
fn register_dob_limits_use_the_given_today() {
    let req = registration(json!({ "date_of_birth": "2012-06-15" }));
    assert!(validate::register(&req, today()).is_ok());
    assert_eq!(
        errors(validate::register(&req, date(2025, 6, 14))),
        codes(&[("date_of_birth", "too_young")])
    );
}

// ---------------------------------------------------------------------------------------------
// profile_patch (PATCH /v1/me)
// ---------------------------------------------------------------------------------------------

fn patch(body: Value) -> Result<ProfilePatch, FieldErrors> {
    validate::profile_patch(&parse::<UpdateMeRequest>(body), today())
}

#[test]
fn patch_empty_body_changes_nothing() {
    assert_eq!(ok(patch(json!({}))), ProfilePatch::default());
}

#[test]
fn patch_double_option_deserialization() {
    let absent: UpdateMeRequest = parse(json!({}));
    assert_eq!(absent.city, None);
    let null: UpdateMeRequest = parse(json!({ "city": null }));
    assert_eq!(null.city, Some(None));
    let value: UpdateMeRequest = parse(json!({ "city": "Boston" }));
    assert_eq!(value.city, Some(some("Boston")));
}

#[test]
fn patch_null_clears_an_optional_field_and_absent_leaves_it() {
    let p = ok(patch(json!({ "city": null })));
    assert_eq!(p, ProfilePatch { city: Some(None), ..ProfilePatch::default() });

    let p = ok(patch(json!({ "city": "Boston" })));
    assert_eq!(p, ProfilePatch { city: Some(some("Boston")), ..ProfilePatch::default() });

    // An empty string clears too.
    let p = ok(patch(json!({ "city": "" })));
    assert_eq!(p.city, Some(None));
}

#[test]
fn patch_null_clears_every_optional_field() {
    let p = ok(patch(json!({
        "phone_number": null,
        "city": null,
        "state": null,
        "profile_picture_url": null,
        "bio": null,
        "mentor_status": null,
        "mentee_status": null,
        "job_title": null,
        "years_of_experience": null,
        "industry": null,
        "skills": null,
        "interests": null,
    })));
    assert_eq!(
        p,
        ProfilePatch {
            username: None,
            email: None,
            date_of_birth: None,
            phone_number: Some(None),
            city: Some(None),
            state: Some(None),
            profile_picture_url: Some(None),
            bio: Some(None),
            mentor_status: Some(false),
            mentee_status: Some(false),
            job_title: Some(None),
            years_of_experience: Some(None),
            industry: Some(None),
            skills: Some(vec![]),
            interests: Some(vec![]),
            mentee_capacity: None,
            accepting_requests: None,
        }
    );
}

#[test]
fn patch_sets_and_normalises_values() {
    let p = ok(patch(json!({
        "username": "New.Name",
        "email": " new@example.com ",
        "date_of_birth": "2000-02-29",
        "phone_number": "+14155550123",
        "state": "ny",
        "profile_picture_url": "https://example.com/p.png",
        "bio": "hi",
        "mentor_status": true,
        "job_title": " CTO ",
        "years_of_experience": 70,
        "industry": "Finance",
        "skills": ["Go", "GO"],
        "interests": [],
        "mentee_capacity": 20,
        "accepting_requests": false,
    })));
    assert_eq!(
        p,
        ProfilePatch {
            username: some("new.name"),
            email: some("new@example.com"),
            date_of_birth: Some(date(2000, 2, 29)),
            phone_number: Some(some("+14155550123")),
            city: None,
            state: Some(some("NY")),
            profile_picture_url: Some(some("https://example.com/p.png")),
            bio: Some(some("hi")),
            mentor_status: Some(true),
            mentee_status: None,
            job_title: Some(some("CTO")),
            years_of_experience: Some(Some(70)),
            industry: Some(some("Finance")),
            skills: Some(strings(&["go"])),
            interests: Some(vec![]),
            mentee_capacity: Some(20),
            accepting_requests: Some(false),
        }
    );
}

#[test]
fn patch_null_on_a_required_field_is_required() {
    assert_eq!(errors(patch(json!({ "username": null }))), codes(&[("username", "required")]));
    assert_eq!(errors(patch(json!({ "email": null }))), codes(&[("email", "required")]));
    assert_eq!(
        errors(patch(json!({ "date_of_birth": null }))),
        codes(&[("date_of_birth", "required")])
    );
    assert_eq!(errors(patch(json!({ "username": "" }))), codes(&[("username", "required")]));
}

#[test]
fn patch_reports_all_bad_fields_at_once() {
    assert_eq!(
        errors(patch(json!({
            "username": "ab",
            "email": null,
            "date_of_birth": "2030-01-01",
            "phone_number": "+0123",
            "city": rep('c', 27),
            "state": "CAL",
            "profile_picture_url": "javascript:alert(1)",
            "bio": rep('b', 2_001),
            "job_title": rep('j', 101),
            "years_of_experience": -1,
            "industry": rep('i', 101),
            "skills": [rep('s', 41)],
            "interests": numbered_tags(31),
        }))),
        codes(&[
            ("username", "too_short"),
            ("email", "required"),
            ("date_of_birth", "invalid"),
            ("phone_number", "invalid"),
            ("city", "too_long"),
            ("state", "invalid"),
            ("profile_picture_url", "invalid"),
            ("bio", "too_long"),
            ("job_title", "too_long"),
            ("years_of_experience", "out_of_range"),
            ("industry", "too_long"),
            ("skills", "too_long"),
            ("interests", "too_many"),
        ])
    );
}

#[test]
fn patch_limits_at_the_edge() {
    let p = ok(patch(json!({
        "username": rep('u', 16),
        "city": rep('c', 26),
        "profile_picture_url": url_of_len(255),
        "bio": rep('b', 2_000),
        "job_title": rep('j', 100),
        "years_of_experience": 0,
        "industry": rep('i', 100),
        "skills": numbered_tags(30),
        "interests": [rep('t', 40)],
    })));
    assert_eq!(p.username, Some(rep('u', 16)));
    assert_eq!(p.city, Some(Some(rep('c', 26))));
    assert_eq!(p.years_of_experience, Some(Some(0)));
    assert_eq!(p.skills, Some(numbered_tags(30)));
    assert_eq!(p.interests, Some(vec![rep('t', 40)]));
}

#[test]
fn patch_rejects_unknown_fields_when_decoding() {
    assert!(serde_json::from_value::<UpdateMeRequest>(json!({ "nickname": "x" })).is_err());
}

// ---------------------------------------------------------------------------------------------
// new_group and group_patch
// ---------------------------------------------------------------------------------------------

#[test]
fn new_group_ok() {
    let req: CreateGroupRequest = parse(json!({ "group_name": "  Rust mentors " }));
    assert_eq!(
        ok(validate::new_group(&req)),
        NewGroup { group_name: "Rust mentors".to_owned(), description: None }
    );
    let req: CreateGroupRequest =
        parse(json!({ "group_name": "g", "description": rep('d', 2_000), "member_ids": [] }));
    assert_eq!(
        ok(validate::new_group(&req)),
        NewGroup { group_name: "g".to_owned(), description: Some(rep('d', 2_000)) }
    );
    let req: CreateGroupRequest = parse(json!({ "group_name": rep('g', 50), "description": "" }));
    assert_eq!(
        ok(validate::new_group(&req)),
        NewGroup { group_name: rep('g', 50), description: None }
    );
}

#[test]
fn new_group_name_rules() {
    for (name, code) in [("", "required"), ("   ", "required")] {
        let req: CreateGroupRequest = parse(json!({ "group_name": name }));
        assert_eq!(errors(validate::new_group(&req)), codes(&[("group_name", code)]), "{name:?}");
    }
    let req: CreateGroupRequest = parse(json!({ "group_name": rep('g', 51) }));
    assert_eq!(errors(validate::new_group(&req)), codes(&[("group_name", "too_long")]));
}

#[test]
fn new_group_reports_all_bad_fields_at_once() {
    let req: CreateGroupRequest =
        parse(json!({ "group_name": rep('g', 51), "description": rep('d', 2_001) }));
    assert_eq!(
        errors(validate::new_group(&req)),
        codes(&[("group_name", "too_long"), ("description", "too_long")])
    );
}

#[test]
fn new_group_member_count_limit() {
    let ids = |n: u128| -> Vec<String> {
        (1..=n).map(|i| uuid::Uuid::from_u128(i).to_string()).collect()
    };
    let req: CreateGroupRequest = parse(json!({ "group_name": "g", "member_ids": ids(1_000) }));
    assert!(validate::new_group(&req).is_ok());
    let req: CreateGroupRequest = parse(json!({ "group_name": "", "member_ids": ids(1_001) }));
    assert_eq!(
        errors(validate::new_group(&req)),
        codes(&[("group_name", "required"), ("member_ids", "too_many")])
    );
}

fn gpatch(body: Value) -> Result<GroupPatch, FieldErrors> {
    validate::group_patch(&parse::<UpdateGroupRequest>(body))
}

#[test]
fn group_patch_absent_null_and_values() {
    assert_eq!(ok(gpatch(json!({}))), GroupPatch::default());
    assert_eq!(
        ok(gpatch(json!({ "description": null }))),
        GroupPatch { group_name: None, description: Some(None) }
    );
    assert_eq!(
        ok(gpatch(json!({ "group_name": " New name ", "description": "About" }))),
        GroupPatch { group_name: some("New name"), description: Some(some("About")) }
    );
    assert_eq!(
        ok(gpatch(json!({ "group_name": rep('g', 50), "description": rep('d', 2_000) }))),
        GroupPatch { group_name: Some(rep('g', 50)), description: Some(Some(rep('d', 2_000))) }
    );
}

#[test]
fn group_patch_null_or_blank_name_is_required() {
    for body in
        [json!({ "group_name": null }), json!({ "group_name": "" }), json!({ "group_name": "  " })]
    {
        assert_eq!(errors(gpatch(body.clone())), codes(&[("group_name", "required")]), "{body}");
    }
}

#[test]
fn group_patch_reports_all_bad_fields_at_once() {
    assert_eq!(
        errors(gpatch(json!({ "group_name": rep('g', 51), "description": rep('d', 2_001) }))),
        codes(&[("group_name", "too_long"), ("description", "too_long")])
    );
}

// ---------------------------------------------------------------------------------------------
// FieldErrors
// ---------------------------------------------------------------------------------------------

#[test]
fn field_errors_keep_the_first_code_and_summarise() {
    let mut e = FieldErrors::default();
    assert!(e.is_empty());
    e.add("email", "invalid");
    e.add("email", "too_long");
    e.add("city", "too_long");
    assert_eq!(e.0, codes(&[("city", "too_long"), ("email", "invalid")]));
    assert_eq!(e.summary(), "invalid fields (city: too_long, email: invalid)");
    assert_eq!(e.clone().finish(|| ()), Err(e));
    assert_eq!(FieldErrors::default().finish(|| 7), Ok(7));
}

#[test]
fn control_characters_are_refused_in_every_text_rule_but_tab_and_newline() {
    use lodestar_protocol::validate::{bio, city, content, description, group_name, tags, title};
    for c in (0u8..0x20).chain([0x7f]).map(char::from).filter(|c| *c != '\t' && *c != '\n') {
        let bad = format!("a{c}b");
        assert_eq!(content(&bad), Err("invalid"), "U+{:04X}", c as u32);
        assert_eq!(bio(&bad), Err("invalid"));
        assert_eq!(city(&bad), Err("invalid"));
        assert_eq!(title(&bad), Err("invalid"));
        assert_eq!(group_name(&bad), Err("invalid"));
        assert_eq!(description(&bad), Err("invalid"));
        assert_eq!(tags(std::slice::from_ref(&bad)), Err("invalid"));
    }
    assert_eq!(content("a\tb\nc"), Ok("a\tb\nc".to_owned()));
    assert_eq!(
        content("line\r\nnext"),
        Ok("line\nnext".to_owned()),
        "Windows line ends are line ends"
    );
    assert_eq!(bio("one\r\ntwo"), Ok("one\ntwo".to_owned()));
    assert_eq!(content("a\rb"), Err("invalid"), "a lone carriage return is a control character");
}

#[test]
fn a_tag_at_the_limit_stays_within_it_however_it_folds() {
    let dotted = "İ".repeat(limits::TAG.1);
    let folded = validate::tags(std::slice::from_ref(&dotted)).expect("40 letters is a valid tag");
    assert_eq!(folded, vec![dotted.to_lowercase()]);
    assert_eq!(validate::tags(&["İ".repeat(limits::TAG.1 + 1)]), Err("too_long"));
}

#[test]
fn mentee_capacity_is_zero_to_twenty_and_null_restores_the_default() {
    for (value, code) in [(json!(21), "out_of_range"), (json!(-1), "out_of_range")] {
        let e = patch(json!({ "mentee_capacity": value })).unwrap_err();
        assert_eq!(e.0["mentee_capacity"], code);
    }
    assert_eq!(ok(patch(json!({ "mentee_capacity": 0 }))).mentee_capacity, Some(0));
    assert_eq!(ok(patch(json!({ "mentee_capacity": null }))).mentee_capacity, Some(3));
}
