//! What every failed command of the window answers.

use serde::Serialize;

use crate::error::ClientError;

/// What every failed command answers: a code to switch on, a sentence, and the bad fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "IpcError"))]
#[error("{message}")]
pub struct AppError {
    /// Stable and machine-readable: what the UI switches on.
    pub code: lodestar_protocol::ErrorCode,
    /// For people.
    pub message: String,
    /// Field → rule code, for `validation_failed` and `conflict`.
    #[cfg_attr(feature = "ts", ts(type = "{ [field: string]: string }"))]
    pub fields: std::collections::BTreeMap<String, String>,
}

impl From<ClientError> for AppError {
    fn from(e: ClientError) -> Self {
        let fields = match &e {
            ClientError::Invalid(f) => f.0.clone(),
            ClientError::Server { fields, .. } => fields.clone(),
            _ => Default::default(),
        };
        AppError { code: e.code(), message: e.to_string(), fields }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use lodestar_protocol::{ErrorCode, FieldErrors};

    use super::*;

    #[test]
    fn errors_carry_code_message_and_fields() {
        let mut f = FieldErrors::default();
        f.add("username", "invalid");
        let e = AppError::from(ClientError::Invalid(f));
        assert_eq!(e.code, ErrorCode::ValidationFailed);
        assert!(e.message.contains("username: invalid"), "{}", e.message);
        assert_eq!(e.fields.get("username").map(String::as_str), Some("invalid"));
        let e = AppError::from(ClientError::Server {
            status: 409,
            code: ErrorCode::Conflict,
            message: "username is taken".into(),
            fields: [("username".to_owned(), "taken".to_owned())].into(),
        });
        assert_eq!((e.code, e.message.as_str()), (ErrorCode::Conflict, "username is taken"));
        assert_eq!(e.fields.get("username").map(String::as_str), Some("taken"));
        let e = AppError::from(ClientError::Offline("connection refused".into()));
        assert_eq!(e.code, ErrorCode::Offline);
        assert!(e.fields.is_empty());
    }
}
