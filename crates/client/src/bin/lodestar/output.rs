//! Printing: friendly text by default, one JSON document with `--json`; errors on stderr. What
//! each command prints lives beside it in `commands/<domain>.rs`; this is what they share.

use lodestar_client::sync::PullProgress;
use lodestar_client::ClientError;
use serde_json::{json, Value};

/// Where answers go.
pub struct Out {
    json: bool,
}

/// Prints one JSON document on stdout.
pub fn print_json(v: &Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string()));
}

impl Out {
    /// Text or JSON.
    pub fn new(json: bool) -> Out {
        Out { json }
    }

    /// Whether answers are one JSON document (`--json`) rather than text.
    pub fn json(&self) -> bool {
        self.json
    }

    /// A one-line result.
    pub fn done(&self, text: &str, json: Value) {
        if self.json {
            print_json(&json);
        } else {
            println!("{text}");
        }
    }

    /// An error: on stderr as text, and as the JSON document with `--json`.
    pub fn error(&self, e: &ClientError) {
        if self.json {
            let fields = match e {
                ClientError::Invalid(f) => json!(f.0),
                ClientError::Server { fields, .. } => json!(fields),
                _ => json!({}),
            };
            print_json(
                &json!({"error": {"code": e.code(), "message": e.to_string(), "fields": fields}}),
            );
        }
        let hint = match e {
            ClientError::NotSignedIn => " (run `lodestar login USERNAME` first)",
            ClientError::Offline(_) => " (the command needs the server; try again when online)",
            _ => "",
        };
        eprintln!("error: {e}{hint}");
    }

    /// Pull progress, on stderr so stdout stays one document.
    pub fn progress(&self, p: PullProgress) {
        if !self.json && p.more {
            eprintln!("syncing… {} of about {} changes", p.applied, p.estimated_total);
        }
    }
}
