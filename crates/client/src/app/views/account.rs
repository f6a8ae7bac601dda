//! The sign-up form.

use chrono::NaiveDate;
use lodestar_protocol::{FieldErrors, ProfileFields, RegisterRequest};
use serde::{Deserialize, Serialize};

use super::given;

/// The sign-up form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RegisterForm {
    /// 3 to 16 of `a-z 0-9 _ .`.
    pub username: String,
    /// An address.
    pub email: String,
    /// 10 to 128 characters.
    pub password: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// E.164.
    pub phone_number: Option<String>,
    /// Up to 26.
    pub city: Option<String>,
    /// A two-letter US state or territory code.
    pub state: Option<String>,
    /// Up to 2,000.
    pub bio: Option<String>,
    /// Offers mentoring.
    pub mentor_status: bool,
    /// Looks for a mentor.
    pub mentee_status: bool,
    /// Up to 100.
    pub job_title: Option<String>,
    /// 0 to 70.
    pub years_of_experience: Option<i64>,
    /// Up to 100.
    pub industry: Option<String>,
    /// Tags.
    pub skills: Vec<String>,
    /// Tags.
    pub interests: Vec<String>,
}

impl RegisterForm {
    /// The request this form sends.
    pub fn request(&self) -> RegisterRequest {
        RegisterRequest {
            username: self.username.trim().to_owned(),
            email: self.email.trim().to_owned(),
            password: self.password.clone(),
            date_of_birth: self.date_of_birth.trim().to_owned(),
            profile: ProfileFields {
                phone_number: given(&self.phone_number),
                city: given(&self.city),
                state: given(&self.state),
                profile_picture_url: None,
                bio: given(&self.bio),
                mentor_status: Some(self.mentor_status),
                mentee_status: Some(self.mentee_status),
                job_title: given(&self.job_title),
                years_of_experience: self.years_of_experience,
                industry: given(&self.industry),
                skills: Some(self.skills.clone()),
                interests: Some(self.interests.clone()),
                mentee_capacity: None,
                accepting_requests: None,
            },
        }
    }

    /// Every rule the server applies, checked here (empty when the form is fine).
    pub fn check(&self, today: NaiveDate) -> FieldErrors {
        lodestar_protocol::validate::register(&self.request(), today).err().unwrap_or_default()
    }
}
