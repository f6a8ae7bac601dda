//! The rules of sessions and feedback (PROGRAM.md): a time in the future, a length of 15 to 240
//! minutes, a real IANA time zone, bounded texts; a rating of 1 to 5 and a fit.

use chrono::{DateTime, SubsecRound, Utc};
use uuid::Uuid;

use super::mentorship::optional;
use super::rules::{at_most, lines};
use super::{limits, FieldErrors, Rule};
use crate::sessions::{CreateSessionRequest, FeedbackRequest, Fit, UpdateSessionRequest};

/// A session that passed the rules.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSession {
    /// The client's id.
    pub session_id: Uuid,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// Minutes.
    pub duration_minutes: i32,
    /// IANA zone.
    pub time_zone: String,
    /// Where.
    pub location: Option<String>,
    /// What about.
    pub agenda: Option<String>,
}

/// A session edit that passed the rules: the outer `None` leaves a field, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionPatch {
    /// A new time (the session is proposed again).
    pub starts_at: Option<DateTime<Utc>>,
    /// A new length.
    pub duration_minutes: Option<i32>,
    /// A new zone.
    pub time_zone: Option<String>,
    /// A new place.
    pub location: Option<Option<String>>,
    /// A new agenda.
    pub agenda: Option<Option<String>>,
}

impl SessionPatch {
    /// Whether it moves the session (a new start or length): the other person confirms again.
    pub fn moves(&self) -> bool {
        self.starts_at.is_some() || self.duration_minutes.is_some()
    }
}

/// Feedback that passed the rules.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFeedback {
    /// 1 to 5.
    pub rating: i32,
    /// The fit.
    pub fit: Fit,
    /// A comment, if any.
    pub comment: Option<String>,
}

/// A start: RFC 3339, after `now`, kept to the second (what calendar files carry).
pub fn session_start(s: &str, now: DateTime<Utc>) -> Rule<DateTime<Utc>> {
    let at = DateTime::parse_from_rfc3339(s.trim()).map_err(|_| "invalid")?.with_timezone(&Utc);
    let at = at.trunc_subsecs(0);
    if at <= now {
        return Err("in_the_past");
    }
    Ok(at)
}

/// A length in minutes.
pub fn session_minutes(n: i64) -> Rule<i32> {
    let (min, max) = limits::SESSION_MINUTES;
    if (min..=max).contains(&n) {
        i32::try_from(n).map_err(|_| "out_of_range")
    } else {
        Err("out_of_range")
    }
}

/// An IANA time zone name (`America/Chicago`, `UTC`).
pub fn time_zone(s: &str) -> Rule<String> {
    let s = s.trim();
    s.parse::<chrono_tz::Tz>().map_err(|_| "invalid")?;
    Ok(s.to_owned())
}

fn bounded(max: usize) -> impl Fn(&str) -> Rule<String> {
    move |s| {
        let s = lines(s);
        at_most(&s, max)?;
        Ok(s)
    }
}

/// Validates `POST /v1/mentorships/{id}/sessions` at `now`.
pub fn new_session(
    req: &CreateSessionRequest,
    now: DateTime<Utc>,
) -> Result<NewSession, FieldErrors> {
    let mut e = FieldErrors::default();
    let starts_at = e.check("starts_at", session_start(&req.starts_at, now));
    let duration = e.check("duration_minutes", session_minutes(req.duration_minutes));
    let zone = e.check("time_zone", time_zone(&req.time_zone));
    let location =
        optional(&mut e, "location", req.location.as_deref(), bounded(limits::LOCATION_MAX));
    let agenda = optional(&mut e, "agenda", req.agenda.as_deref(), bounded(limits::AGENDA_MAX));
    e.finish(|| NewSession {
        session_id: req.session_id,
        starts_at: starts_at.unwrap_or(now),
        duration_minutes: duration.unwrap_or_default(),
        time_zone: zone.unwrap_or_default(),
        location,
        agenda,
    })
}

/// Validates `PATCH /v1/sessions/{id}` at `now`.
pub fn session_patch(
    req: &UpdateSessionRequest,
    now: DateTime<Utc>,
) -> Result<SessionPatch, FieldErrors> {
    let mut e = FieldErrors::default();
    let patch = SessionPatch {
        starts_at: req
            .starts_at
            .as_deref()
            .and_then(|s| e.check("starts_at", session_start(s, now))),
        duration_minutes: req
            .duration_minutes
            .and_then(|n| e.check("duration_minutes", session_minutes(n))),
        time_zone: req.time_zone.as_deref().and_then(|z| e.check("time_zone", time_zone(z))),
        location: req
            .location
            .as_ref()
            .map(|v| optional(&mut e, "location", v.as_deref(), bounded(limits::LOCATION_MAX))),
        agenda: req
            .agenda
            .as_ref()
            .map(|v| optional(&mut e, "agenda", v.as_deref(), bounded(limits::AGENDA_MAX))),
    };
    e.finish(|| patch)
}

/// Validates `POST /v1/sessions/{id}/feedback`.
pub fn feedback(req: &FeedbackRequest) -> Result<NewFeedback, FieldErrors> {
    let mut e = FieldErrors::default();
    let (min, max) = limits::RATING;
    let rating = e.check(
        "rating",
        if (min..=max).contains(&req.rating) { Ok(req.rating as i32) } else { Err("out_of_range") },
    );
    let fit = e.check("fit", Fit::parse(req.fit.trim()).ok_or("invalid"));
    let comment = optional(&mut e, "comment", req.comment.as_deref(), bounded(limits::COMMENT_MAX));
    e.finish(|| NewFeedback {
        rating: rating.unwrap_or(min as i32),
        fit: fit.unwrap_or(Fit::Unsure),
        comment,
    })
}

/// Session notes as typed (checked before they become an update): Windows line ends made
/// `\n`, at most [`limits::NOTES_MAX`] characters.
pub fn notes_text(text: &str) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::default();
    let text = e.check("notes", bounded(limits::NOTES_MAX)(text));
    e.finish(|| text.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn req(starts_at: &str, minutes: i64, zone: &str) -> CreateSessionRequest {
        CreateSessionRequest {
            session_id: Uuid::nil(),
            starts_at: starts_at.into(),
            duration_minutes: minutes,
            time_zone: zone.into(),
            location: Some("  https://meet.example/abc  ".into()),
            agenda: Some(String::new()),
        }
    }

    #[test]
    fn a_session_is_in_the_future_of_a_sane_length_in_a_real_zone() {
        let now = "2026-12-03T12:00:00Z".parse().unwrap();
        let ok =
            new_session(&req("2026-12-04T09:30:00-06:00", 60, "America/Chicago"), now).unwrap();
        assert_eq!(ok.starts_at.to_rfc3339(), "2026-12-04T15:30:00+00:00");
        assert_eq!((ok.location.as_deref(), ok.agenda), (Some("https://meet.example/abc"), None));
        let bad = new_session(&req("2026-12-03T11:59:00Z", 10, "Mars/Olympus"), now).unwrap_err();
        assert_eq!(bad.0["starts_at"], "in_the_past");
        assert_eq!(bad.0["duration_minutes"], "out_of_range");
        assert_eq!(bad.0["time_zone"], "invalid");
        let bad = new_session(&req("tomorrow", 241, "UTC"), now).unwrap_err();
        assert_eq!(
            (bad.0["starts_at"].as_str(), bad.0["duration_minutes"].as_str()),
            ("invalid", "out_of_range")
        );
        assert!(new_session(&req("2026-12-03T12:15:00Z", 15, "UTC"), now).is_ok());
        assert!(new_session(&req("2026-12-03T12:15:00Z", 240, "Europe/Berlin"), now).is_ok());
    }

    #[test]
    fn an_edit_that_moves_the_session_says_so() {
        let now = "2026-12-03T12:00:00Z".parse().unwrap();
        let agenda = UpdateSessionRequest { agenda: Some(None), ..Default::default() };
        assert!(!session_patch(&agenda, now).unwrap().moves());
        let later = UpdateSessionRequest {
            starts_at: Some("2026-12-05T10:00:00Z".into()),
            ..Default::default()
        };
        assert!(session_patch(&later, now).unwrap().moves());
        let long =
            UpdateSessionRequest { location: Some(Some("x".repeat(256))), ..Default::default() };
        assert_eq!(session_patch(&long, now).unwrap_err().0["location"], "too_long");
    }

    #[test]
    fn feedback_has_a_rating_and_a_fit() {
        let f = |rating, fit: &str| {
            feedback(&FeedbackRequest { rating, fit: fit.into(), comment: None })
        };
        assert_eq!(f(5, "good").unwrap().fit, Fit::Good);
        let bad = f(0, "great").unwrap_err();
        assert_eq!((bad.0["rating"].as_str(), bad.0["fit"].as_str()), ("out_of_range", "invalid"));
        assert_eq!(f(6, "poor").unwrap_err().0["rating"], "out_of_range");
    }
}
