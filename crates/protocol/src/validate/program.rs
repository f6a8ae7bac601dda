//! The rules of PROGRAM.md's safety bodies: a report's reason and details, a resolution's
//! action and note, a suspension's reason.

use super::mentorship::optional;
use super::rules::{details, reason};
use super::FieldErrors;
use crate::program::{
    ReportAction, ReportReason, ReportRequest, ReportStatus, ResolveRequest, SuspendRequest,
};

/// A report that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    /// Why.
    pub reason: ReportReason,
    /// What happened; blank is none.
    pub details: Option<String>,
}

/// Validates `POST /v1/reports`.
pub fn report(req: &ReportRequest) -> Result<NewReport, FieldErrors> {
    let mut e = FieldErrors::default();
    let why = e.check("reason", ReportReason::parse(req.reason.trim()).ok_or("invalid"));
    let details = optional(&mut e, "details", req.details.as_deref(), details);
    e.finish(|| NewReport { reason: why.unwrap_or(ReportReason::Other), details })
}

/// Validates `POST /v1/admin/reports/{id}/resolve`: a suspension needs a note (the reason the
/// member is told).
pub fn resolution(req: &ResolveRequest) -> Result<(ReportAction, Option<String>), FieldErrors> {
    let mut e = FieldErrors::default();
    let action = e.check("action", ReportAction::parse(req.action.trim()).ok_or("invalid"));
    let note = optional(&mut e, "note", req.note.as_deref(), reason);
    if action == Some(ReportAction::Suspend) && note.is_none() {
        e.add("note", "required");
    }
    e.finish(|| (action.unwrap_or(ReportAction::Dismiss), note))
}

/// Validates `POST /v1/admin/users/{id}/suspend`: a reason of 1 to 500 characters.
pub fn suspension(req: &SuspendRequest) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::default();
    let why = optional(&mut e, "reason", Some(&req.reason), reason);
    if why.is_none() {
        e.add("reason", "required");
    }
    e.finish(|| why.unwrap_or_default())
}

/// Validates the reports list's `status` (open by default).
pub fn report_status(value: Option<&str>) -> Result<ReportStatus, FieldErrors> {
    let mut e = FieldErrors::default();
    let status = value.and_then(|s| e.check("status", ReportStatus::parse(s).ok_or("invalid")));
    e.finish(|| status.unwrap_or(ReportStatus::Open))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_report_names_a_known_reason() {
        let req = |reason: &str, details: Option<&str>| ReportRequest {
            report_id: Uuid::nil(),
            user_id: Uuid::nil(),
            message_id: None,
            reason: reason.into(),
            details: details.map(Into::into),
        };
        assert_eq!(report(&req(" spam ", Some("  "))).unwrap().details, None);
        assert_eq!(report(&req("rude", None)).unwrap_err().0["reason"], "invalid");
        let long = "x".repeat(2_001);
        assert_eq!(report(&req("other", Some(&long))).unwrap_err().0["details"], "too_long");
    }

    #[test]
    fn a_suspension_says_why() {
        let r = |action: &str, note: Option<&str>| {
            resolution(&ResolveRequest { action: action.into(), note: note.map(Into::into) })
        };
        assert_eq!(r("dismiss", None).unwrap(), (ReportAction::Dismiss, None));
        assert_eq!(r("suspend", Some(" ")).unwrap_err().0["note"], "required");
        assert_eq!(r("ban", None).unwrap_err().0["action"], "invalid");
        assert_eq!(
            suspension(&SuspendRequest { reason: "  ".into() }).unwrap_err().0["reason"],
            "required"
        );
        assert_eq!(report_status(Some("closed")).unwrap_err().0["status"], "invalid");
        assert_eq!(report_status(None).unwrap(), ReportStatus::Open);
    }
}
