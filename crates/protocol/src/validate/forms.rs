//! The validators of whole request bodies: each applies the single-value rules to every field
//! and reports every bad field at once.

use chrono::NaiveDate;

use super::rules::{self, *};
use super::{limits, FieldErrors};
use crate::api::{
    CreateGroupRequest, LoginRequest, ProfileFields, RegisterRequest, SendMessageRequest,
    UpdateGroupRequest, UpdateMeRequest, UsersQuery,
};

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
#[derive(Debug, Clone, PartialEq)]
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
    /// How many mentees at once (PROGRAM.md, "Mentors' capacity").
    pub mentee_capacity: i32,
    /// Whether new mentorship requests are welcome.
    pub accepting_requests: bool,
}

impl Default for ProfileValues {
    fn default() -> Self {
        ProfileValues {
            phone_number: None,
            city: None,
            state: None,
            profile_picture_url: None,
            bio: None,
            mentor_status: false,
            mentee_status: false,
            job_title: None,
            years_of_experience: None,
            industry: None,
            skills: Vec::new(),
            interests: Vec::new(),
            mentee_capacity: limits::DEFAULT_CAPACITY,
            accepting_requests: true,
        }
    }
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
        mentee_capacity: p
            .mentee_capacity
            .and_then(|v| errors.check("mentee_capacity", mentee_capacity(v)))
            .unwrap_or(limits::DEFAULT_CAPACITY),
        accepting_requests: p.accepting_requests.unwrap_or(true),
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

/// Checks a registration's username, email and date of birth alone: what a form (or the CLI,
/// before it asks for the password) can say is wrong before the password is typed.
pub fn register_identity(
    username_value: &str,
    email_value: &str,
    date_of_birth_value: &str,
    today: NaiveDate,
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    e.check("username", username(username_value));
    e.check("email", email(email_value));
    e.check("date_of_birth", date_of_birth(date_of_birth_value, today));
    e.finish(|| ())
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
    /// Mentee capacity.
    pub mentee_capacity: Option<i32>,
    /// Accepting requests.
    pub accepting_requests: Option<bool>,
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
        mentee_capacity: req.mentee_capacity.and_then(|v| {
            e.check(
                "mentee_capacity",
                mentee_capacity(v.unwrap_or(limits::DEFAULT_CAPACITY.into())),
            )
        }),
        accepting_requests: req.accepting_requests.map(|v| v.unwrap_or(false)),
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
        Some(c) if !c.trim().is_empty() => e.check("content", rules::content(c)),
        _ => None,
    };
    let media_url = optional(&mut e, "media_url", media_url, super::rules::media_url);
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

/// Validates `POST /v1/auth/login` before any lookup: a login no account can have (control
/// characters, longer than an email may be) is refused, never sent to the database.
pub fn login(req: &LoginRequest) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    let login = req.login.trim();
    if login.chars().count() > limits::EMAIL_MAX {
        e.add("login", "too_long");
    } else {
        e.check("login", plain_text(login));
    }
    e.finish(|| ())
}

/// Validates the directory's query (`GET /v1/users`): free text without control characters,
/// a real state code, years in range.
pub fn users_query(q: &UsersQuery) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    for (field, value) in [
        ("username", &q.username),
        ("q", &q.q),
        ("skill", &q.skill),
        ("industry", &q.industry),
        ("cursor", &q.cursor),
    ] {
        if let Some(v) = value {
            e.check(field, plain_text(v));
        }
    }
    if let Some(v) = q.state.as_deref() {
        e.check("state", state(v));
    }
    if q.min_years.is_some_and(|y| !(limits::YEARS.0..=limits::YEARS.1).contains(&y)) {
        e.add("min_years", "out_of_range");
    }
    e.finish(|| ())
}
