//! The rule for each single value, at the limits of DESIGN.md.

use chrono::{Datelike, NaiveDate};

use super::{limits, US_STATES};
use crate::model::Role;

/// A rule's answer: the normalised value, or the rule code it breaks.
pub type Rule<T> = Result<T, &'static str>;

/// Whether `c` is a control character no text field may hold: every C0 control but tab and
/// newline, and DEL. PostgreSQL refuses NUL in text outright (a 500, and a failed group commit
/// for every message beside it), and the others are invisible, break lines in logs and
/// notifications, or spoof what a reader sees.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_ascii_control() && c != '\t' && c != '\n') || c == '\u{7f}'
}

/// Text free of [`is_forbidden_control`] characters; `invalid` otherwise.
pub fn plain_text(s: &str) -> Rule<()> {
    if s.chars().any(is_forbidden_control) {
        Err("invalid")
    } else {
        Ok(())
    }
}

/// Multi-line text as typed on any platform: Windows line ends (`\r\n`) become `\n`, so the
/// carriage return left in them is not refused as a control character.
pub(super) fn lines(s: &str) -> String {
    s.replace("\r\n", "\n")
}

fn len_between(s: &str, (min, max): (usize, usize)) -> Rule<()> {
    plain_text(s)?;
    let n = s.chars().count();
    if n < min {
        Err(if n == 0 { "required" } else { "too_short" })
    } else if n > max {
        Err("too_long")
    } else {
        Ok(())
    }
}

pub(super) fn at_most(s: &str, max: usize) -> Rule<()> {
    plain_text(s)?;
    if s.chars().count() > max {
        Err("too_long")
    } else {
        Ok(())
    }
}

/// A username: folded to lower case, then 3 to 16 of `a-z 0-9 _ .`.
pub fn username(s: &str) -> Rule<String> {
    let s = s.trim().to_ascii_lowercase();
    len_between(&s, limits::USERNAME)?;
    if s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.') {
        Ok(s)
    } else {
        Err("invalid")
    }
}

/// An email address: `local@domain.tld`, up to 100 characters, no spaces.
pub fn email(s: &str) -> Rule<String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("required");
    }
    at_most(s, limits::EMAIL_MAX)?;
    let (local, domain) = s.split_once('@').ok_or("invalid")?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(s.to_owned())
    } else {
        Err("invalid")
    }
}

/// An E.164 phone number: `+`, a non-zero digit, then digits; 15 characters at most.
pub fn phone(s: &str) -> Rule<String> {
    let s = s.trim();
    at_most(s, limits::PHONE_MAX)?;
    let digits = s.strip_prefix('+').ok_or("invalid")?;
    let ok =
        digits.len() >= 2 && digits.chars().all(|c| c.is_ascii_digit()) && !digits.starts_with('0');
    if ok {
        Ok(s.to_owned())
    } else {
        Err("invalid")
    }
}

/// A password: 10 to 128 characters, equal to neither the username nor the email.
pub fn password(s: &str, username: &str, email: &str) -> Rule<()> {
    len_between(s, limits::PASSWORD)?;
    if s.eq_ignore_ascii_case(username) || s.eq_ignore_ascii_case(email) {
        return Err("same_as_login");
    }
    Ok(())
}

/// The age in whole years on `today` of someone born on `dob`.
pub fn age_on(dob: NaiveDate, today: NaiveDate) -> i32 {
    let mut age = today.year() - dob.year();
    if (today.month(), today.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

/// A date of birth: a real `YYYY-MM-DD` date, at least 13 years before `today`.
pub fn date_of_birth(s: &str, today: NaiveDate) -> Rule<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return Err("required");
    }
    if s.len() != 10 {
        return Err("invalid");
    }
    let dob = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| "invalid")?;
    if dob > today || age_on(dob, today) > 130 {
        return Err("invalid");
    }
    if age_on(dob, today) < limits::MIN_AGE {
        return Err("too_young");
    }
    Ok(dob)
}

/// A city: up to 26 characters.
pub fn city(s: &str) -> Rule<String> {
    let s = s.trim();
    at_most(s, limits::CITY_MAX)?;
    Ok(s.to_owned())
}

/// A state: a two-letter US state or territory code, folded to upper case.
pub fn state(s: &str) -> Rule<String> {
    let s = s.trim().to_ascii_uppercase();
    if US_STATES.contains(&s.as_str()) {
        Ok(s)
    } else {
        Err("invalid")
    }
}

/// A profile picture or media URL: `http` or `https` with a host, up to 255 characters.
pub fn url(s: &str) -> Rule<String> {
    let s = s.trim();
    at_most(s, limits::URL_MAX)?;
    // Schemes are case-insensitive (RFC 3986); compare on a lower-cased copy of the prefix.
    let scheme_len = s.find("://").map_or(0, |i| i + 3);
    let scheme = s[..scheme_len].to_ascii_lowercase();
    let rest =
        (scheme == "https://" || scheme == "http://").then(|| &s[scheme_len..]).ok_or("invalid")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let ok = !host.is_empty()
        && !host.starts_with(':')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(s.to_owned())
    } else {
        Err("invalid")
    }
}

/// A message's media: an `http`/`https` URL, or an attachment on the program's server
/// (`/v1/media/{id}`, as `POST /v1/media` answers it).
pub fn media_url(s: &str) -> Rule<String> {
    let s = s.trim();
    match s.strip_prefix("/v1/media/") {
        Some(id) => uuid::Uuid::parse_str(id)
            .ok()
            .filter(|u| u.hyphenated().to_string() == id)
            .map(|_| s.to_owned())
            .ok_or("invalid"),
        None => url(s),
    }
}

/// The attachment a message's media names, if it is one on the program's server.
pub fn attachment_id(media_url: &str) -> Option<uuid::Uuid> {
    media_url.strip_prefix("/v1/media/").and_then(|id| uuid::Uuid::parse_str(id).ok())
}

/// The `media_url` a message names attachment `id` by (what [`attachment_id`] reads back).
pub fn attachment_url(id: uuid::Uuid) -> String {
    format!("/v1/media/{id}")
}

/// A bio: up to 2,000 characters.
pub fn bio(s: &str) -> Rule<String> {
    let s = lines(s);
    at_most(&s, limits::BIO_MAX)?;
    Ok(s)
}

/// A job title or industry: up to 100 characters.
pub fn title(s: &str) -> Rule<String> {
    let s = s.trim();
    at_most(s, limits::TITLE_MAX)?;
    Ok(s.to_owned())
}

/// Years of experience: 0 to 70.
pub fn years(v: i64) -> Rule<i32> {
    if (limits::YEARS.0..=limits::YEARS.1).contains(&v) {
        i32::try_from(v).map_err(|_| "out_of_range")
    } else {
        Err("out_of_range")
    }
}

/// Skill or interest tags: up to 30, each 1 to 40 characters; trimmed, folded to lower case,
/// duplicates dropped (keeping the first).
pub fn tags(v: &[String]) -> Rule<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(v.len());
    for t in v {
        // Counted as typed: folding lengthens some letters ("İ" is two characters lower-cased),
        // and a tag must not break the limit for being folded.
        let t = t.trim();
        len_between(t, limits::TAG).map_err(|c| if c == "required" { "invalid" } else { c })?;
        let t = t.to_lowercase();
        if !out.contains(&t) {
            out.push(t);
            // Stop early: a huge list must not cost quadratic time before it is refused.
            if out.len() > limits::TAGS_MAX {
                return Err("too_many");
            }
        }
    }
    if out.len() > limits::TAGS_MAX {
        return Err("too_many");
    }
    Ok(out)
}

/// A group name: 1 to 50 characters after trimming.
pub fn group_name(s: &str) -> Rule<String> {
    let s = s.trim();
    len_between(s, limits::GROUP_NAME)?;
    Ok(s.to_owned())
}

/// A group description: up to 2,000 characters.
pub fn description(s: &str) -> Rule<String> {
    let s = lines(s);
    at_most(&s, limits::DESCRIPTION_MAX)?;
    Ok(s)
}

/// A message's text: up to 10,000 characters.
pub fn content(s: &str) -> Rule<String> {
    let s = lines(s);
    at_most(&s, limits::CONTENT_MAX)?;
    Ok(s)
}

/// A mentor's mentee capacity: 0 to 20.
pub fn mentee_capacity(v: i64) -> Rule<i32> {
    if (limits::CAPACITY.0..=limits::CAPACITY.1).contains(&v) {
        i32::try_from(v).map_err(|_| "out_of_range")
    } else {
        Err("out_of_range")
    }
}

/// A mentorship request's message: 1 to 1,000 characters after trimming.
pub fn request_message(s: &str) -> Rule<String> {
    let s = lines(s.trim());
    len_between(&s, limits::REQUEST_MESSAGE)?;
    Ok(s)
}

/// Why a request was declined or a mentorship ended: up to 500 characters.
pub fn reason(s: &str) -> Rule<String> {
    let s = lines(s.trim());
    at_most(&s, limits::REASON_MAX)?;
    Ok(s)
}

/// A goal's or a task's title: 1 to 200 characters after trimming.
pub fn item_title(s: &str) -> Rule<String> {
    let s = s.trim();
    len_between(s, limits::ITEM_TITLE)?;
    Ok(s.to_owned())
}

/// A goal's details: up to 2,000 characters.
pub fn details(s: &str) -> Rule<String> {
    let s = lines(s);
    at_most(&s, limits::DETAILS_MAX)?;
    Ok(s)
}

/// A due date: `YYYY-MM-DD`, a real day.
pub fn due_date(s: &str) -> Rule<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| "invalid")
}

/// A role: `owner`, `admin` or `member`.
pub fn role(s: &str) -> Rule<Role> {
    Role::parse(s).ok_or("invalid")
}
