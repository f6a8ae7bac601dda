//! Every value rule of DESIGN.md, as one validator per input type.
//!
//! Each validator returns the normalised values or *all* bad fields at once, as field name to
//! rule code (`required`, `too_short`, `too_long`, `invalid`, `too_young`, `out_of_range`,
//! `too_many`, `same_as_login`). The codes are stable: clients switch on them.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::api::{
    CreateGroupRequest, ProfileFields, RegisterRequest, SendMessageRequest, UpdateGroupRequest,
    UpdateMeRequest,
};
use crate::model::Role;

/// Bad fields: field name to rule code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, String>);

/// The error of every validator.
pub type ValidationError = FieldErrors;

impl FieldErrors {
    /// Records `code` for `field`, keeping the first code a field got.
    pub fn add(&mut self, field: &str, code: &str) {
        self.0.entry(field.to_owned()).or_insert_with(|| code.to_owned());
    }

    /// Runs `check` and records its error under `field`, returning its value on success.
    pub fn check<T>(&mut self, field: &str, check: Result<T, &'static str>) -> Option<T> {
        match check {
            Ok(v) => Some(v),
            Err(code) => {
                self.add(field, code);
                None
            }
        }
    }

    /// No field is bad.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no field is bad.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }

    /// One sentence naming the bad fields, for people.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(|(f, c)| format!("{f}: {c}")).collect();
        format!("invalid fields ({})", parts.join(", "))
    }
}

/// The limits, in characters (or units where said).
pub mod limits {
    /// Username length.
    pub const USERNAME: (usize, usize) = (3, 16);
    /// Email length.
    pub const EMAIL_MAX: usize = 100;
    /// Phone length, the `+` included.
    pub const PHONE_MAX: usize = 15;
    /// Password length.
    pub const PASSWORD: (usize, usize) = (10, 128);
    /// Youngest age allowed.
    pub const MIN_AGE: i32 = 13;
    /// City length.
    pub const CITY_MAX: usize = 26;
    /// URL length.
    pub const URL_MAX: usize = 255;
    /// Bio length.
    pub const BIO_MAX: usize = 2_000;
    /// Job title and industry length.
    pub const TITLE_MAX: usize = 100;
    /// Years of experience.
    pub const YEARS: (i64, i64) = (0, 70);
    /// Number of skill or interest tags.
    pub const TAGS_MAX: usize = 30;
    /// Length of one tag.
    pub const TAG: (usize, usize) = (1, 40);
    /// Group name length.
    pub const GROUP_NAME: (usize, usize) = (1, 50);
    /// Group description length.
    pub const DESCRIPTION_MAX: usize = 2_000;
    /// Message content length.
    pub const CONTENT_MAX: usize = 10_000;
}

/// US states, DC and the inhabited territories.
pub const US_STATES: [&str; 56] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI",
];

type Rule<T> = Result<T, &'static str>;

fn len_between(s: &str, (min, max): (usize, usize)) -> Rule<()> {
    let n = s.chars().count();
    if n < min {
        Err(if n == 0 { "required" } else { "too_short" })
    } else if n > max {
        Err("too_long")
    } else {
        Ok(())
    }
}

fn at_most(s: &str, max: usize) -> Rule<()> {
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

/// A bio: up to 2,000 characters.
pub fn bio(s: &str) -> Rule<String> {
    at_most(s, limits::BIO_MAX)?;
    Ok(s.to_owned())
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
        let t = t.trim().to_lowercase();
        len_between(&t, limits::TAG).map_err(|c| if c == "required" { "invalid" } else { c })?;
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
    at_most(s, limits::DESCRIPTION_MAX)?;
    Ok(s.to_owned())
}

/// A role: `owner`, `admin` or `member`.
pub fn role(s: &str) -> Rule<Role> {
    Role::parse(s).ok_or("invalid")
}

/// Optional text fields treat an empty string as "no value".
fn optional<T>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    rule: impl Fn(&str) -> Rule<T>,
) -> Option<T> {
    match value.map(str::trim) {
        None | Some("") => None,
        Some(v) => errors.check(field, rule(v)),
    }
}

/// The validated optional profile fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileValues {
    /// E.164.
    pub phone_number: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State code.
    pub state: Option<String>,
    /// Avatar URL.
    pub profile_picture_url: Option<String>,
    /// Bio.
    pub bio: Option<String>,
    /// Offers mentoring.
    pub mentor_status: bool,
    /// Looks for a mentor.
    pub mentee_status: bool,
    /// Job title.
    pub job_title: Option<String>,
    /// Years of experience.
    pub years_of_experience: Option<i32>,
    /// Industry.
    pub industry: Option<String>,
    /// Skill tags.
    pub skills: Vec<String>,
    /// Interest tags.
    pub interests: Vec<String>,
}

fn profile_fields(errors: &mut FieldErrors, p: &ProfileFields) -> ProfileValues {
    ProfileValues {
        phone_number: optional(errors, "phone_number", p.phone_number.as_deref(), phone),
        city: optional(errors, "city", p.city.as_deref(), city),
        state: optional(errors, "state", p.state.as_deref(), state),
        profile_picture_url: optional(
            errors,
            "profile_picture_url",
            p.profile_picture_url.as_deref(),
            url,
        ),
        bio: optional(errors, "bio", p.bio.as_deref(), bio),
        mentor_status: p.mentor_status.unwrap_or(false),
        mentee_status: p.mentee_status.unwrap_or(false),
        job_title: optional(errors, "job_title", p.job_title.as_deref(), title),
        years_of_experience: p
            .years_of_experience
            .and_then(|v| errors.check("years_of_experience", years(v))),
        industry: optional(errors, "industry", p.industry.as_deref(), title),
        skills: p
            .skills
            .as_deref()
            .and_then(|v| errors.check("skills", tags(v)))
            .unwrap_or_default(),
        interests: p
            .interests
            .as_deref()
            .and_then(|v| errors.check("interests", tags(v)))
            .unwrap_or_default(),
    }
}

/// A registration that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    /// Lower case.
    pub username: String,
    /// As given, trimmed.
    pub email: String,
    /// The password, to be hashed.
    pub password: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// The optional fields.
    pub profile: ProfileValues,
}

/// Validates `POST /v1/auth/register` as of `today`.
pub fn register(req: &RegisterRequest, today: NaiveDate) -> Result<NewUser, FieldErrors> {
    let mut e = FieldErrors::default();
    let username = e.check("username", username(&req.username));
    let email = e.check("email", email(&req.email));
    e.check(
        "password",
        password(&req.password, &req.username.trim().to_lowercase(), req.email.trim()),
    );
    let dob = e.check("date_of_birth", date_of_birth(&req.date_of_birth, today));
    let profile = profile_fields(&mut e, &req.profile);
    match (username, email, dob) {
        (Some(username), Some(email), Some(date_of_birth)) if e.is_empty() => {
            Ok(NewUser { username, email, password: req.password.clone(), date_of_birth, profile })
        }
        _ => Err(e),
    }
}

/// A validated profile edit: the outer `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfilePatch {
    /// New username.
    pub username: Option<String>,
    /// New email.
    pub email: Option<String>,
    /// New date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Phone.
    pub phone_number: Option<Option<String>>,
    /// City.
    pub city: Option<Option<String>>,
    /// State.
    pub state: Option<Option<String>>,
    /// Avatar URL.
    pub profile_picture_url: Option<Option<String>>,
    /// Bio.
    pub bio: Option<Option<String>>,
    /// Mentor flag.
    pub mentor_status: Option<bool>,
    /// Mentee flag.
    pub mentee_status: Option<bool>,
    /// Job title.
    pub job_title: Option<Option<String>>,
    /// Years.
    pub years_of_experience: Option<Option<i32>>,
    /// Industry.
    pub industry: Option<Option<String>>,
    /// Skills.
    pub skills: Option<Vec<String>>,
    /// Interests.
    pub interests: Option<Vec<String>>,
}

fn patch_required<T>(
    e: &mut FieldErrors,
    field: &str,
    v: &Option<Option<String>>,
    rule: impl Fn(&str) -> Rule<T>,
) -> Option<T> {
    match v {
        None => None,
        Some(None) => {
            e.add(field, "required");
            None
        }
        Some(Some(s)) => e.check(field, rule(s)),
    }
}

fn patch_optional<T>(
    e: &mut FieldErrors,
    field: &str,
    v: &Option<Option<String>>,
    rule: impl Fn(&str) -> Rule<T>,
) -> Option<Option<T>> {
    match v {
        None => None,
        Some(inner) => {
            let value = optional(e, field, inner.as_deref(), rule);
            Some(value)
        }
    }
}

fn patch_tags(
    e: &mut FieldErrors,
    field: &str,
    v: &Option<Option<Vec<String>>>,
) -> Option<Vec<String>> {
    match v {
        None => None,
        Some(None) => Some(Vec::new()),
        Some(Some(t)) => e.check(field, tags(t)).or(Some(Vec::new())),
    }
}

/// Validates `PATCH /v1/me` as of `today`.
pub fn profile_patch(req: &UpdateMeRequest, today: NaiveDate) -> Result<ProfilePatch, FieldErrors> {
    let mut e = FieldErrors::default();
    let patch = ProfilePatch {
        username: patch_required(&mut e, "username", &req.username, username),
        email: patch_required(&mut e, "email", &req.email, email),
        date_of_birth: patch_required(&mut e, "date_of_birth", &req.date_of_birth, |s| {
            date_of_birth(s, today)
        }),
        phone_number: patch_optional(&mut e, "phone_number", &req.phone_number, phone),
        city: patch_optional(&mut e, "city", &req.city, city),
        state: patch_optional(&mut e, "state", &req.state, state),
        profile_picture_url: patch_optional(
            &mut e,
            "profile_picture_url",
            &req.profile_picture_url,
            url,
        ),
        bio: patch_optional(&mut e, "bio", &req.bio, bio),
        mentor_status: req.mentor_status.map(|v| v.unwrap_or(false)),
        mentee_status: req.mentee_status.map(|v| v.unwrap_or(false)),
        job_title: patch_optional(&mut e, "job_title", &req.job_title, title),
        years_of_experience: req
            .years_of_experience
            .map(|v| v.and_then(|y| e.check("years_of_experience", years(y)))),
        industry: patch_optional(&mut e, "industry", &req.industry, title),
        skills: patch_tags(&mut e, "skills", &req.skills),
        interests: patch_tags(&mut e, "interests", &req.interests),
    };
    e.finish(|| patch)
}

/// The content and media URL of a message that passed the rules.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageBody {
    /// Text, if any (an empty string counts as none).
    pub content: Option<String>,
    /// Media URL, if any.
    pub media_url: Option<String>,
}

/// Validates `POST /v1/messages`: content up to 10,000 characters or a media URL, or both.
pub fn message(req: &SendMessageRequest) -> Result<MessageBody, FieldErrors> {
    message_body(req.content.as_deref(), req.media_url.as_deref())
}

/// The message rule on its own, for clients that queue before they build a request.
pub fn message_body(
    content: Option<&str>,
    media_url: Option<&str>,
) -> Result<MessageBody, FieldErrors> {
    let mut e = FieldErrors::default();
    let content = match content {
        Some(c) if !c.trim().is_empty() => {
            e.check("content", at_most(c, limits::CONTENT_MAX).map(|_| c.to_owned()))
        }
        _ => None,
    };
    let media_url = optional(&mut e, "media_url", media_url, url);
    if content.is_none() && media_url.is_none() && e.is_empty() {
        e.add("content", "required");
    }
    e.finish(|| MessageBody { content, media_url })
}

/// A validated new group.
#[derive(Debug, Clone, PartialEq)]
pub struct NewGroup {
    /// Trimmed name.
    pub group_name: String,
    /// Description, if any.
    pub description: Option<String>,
}

/// Validates `POST /v1/groups`.
pub fn new_group(req: &CreateGroupRequest) -> Result<NewGroup, FieldErrors> {
    let mut e = FieldErrors::default();
    let group_name = e.check("group_name", group_name(&req.group_name));
    let description = optional(&mut e, "description", req.description.as_deref(), description);
    if req.member_ids.len() > 1_000 {
        e.add("member_ids", "too_many");
    }
    match group_name {
        Some(group_name) if e.is_empty() => Ok(NewGroup { group_name, description }),
        _ => Err(e),
    }
}

/// A validated group edit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupPatch {
    /// New name.
    pub group_name: Option<String>,
    /// New description; `Some(None)` clears it.
    pub description: Option<Option<String>>,
}

/// Validates `PATCH /v1/groups/{id}`.
pub fn group_patch(req: &UpdateGroupRequest) -> Result<GroupPatch, FieldErrors> {
    let mut e = FieldErrors::default();
    let patch = GroupPatch {
        group_name: patch_required(&mut e, "group_name", &req.group_name, group_name),
        description: patch_optional(&mut e, "description", &req.description, description),
    };
    e.finish(|| patch)
}
