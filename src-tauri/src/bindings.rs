//! `ui/src/lib/ipc/bindings.ts`, written from the Rust types, commands and events. A test
//! fails when the UI's copy is stale; `make bindings` rewrites it.

use crate::commands::FieldErrors;
use crate::events::{names, Changed, TypingNotice};
use crate::ipc::{camel, ts_name, Declarations};
use crate::update::UpdateState;
use lodestar_client::app::views::Opening;
use lodestar_client::app::views::{
    AppError, DirectoryPage, DirectoryQuery, FeedbackEdit, GoalEdit, GoalView, GroupView,
    MeetingView, MemberView, MentorshipDetailView, MentorshipView, OutboxView, PersonRef,
    ProfileEdit, RegisterForm, ReportForm, RequestView, SessionEdit, SessionView, Settings,
    TaskEdit, TaskView,
};
use lodestar_client::app::LastView;
use lodestar_client::client::Blocked;
use lodestar_client::engine::{SyncState, Topic};
use lodestar_client::replica::{
    AttachmentView, ConversationItem, Draft, MessageItem, MessageStatus, OutboxState,
    ReactionCount, ReplyPreview, SearchHit,
};
use lodestar_client::transport::Transport;
use lodestar_protocol::links::Target;
use lodestar_protocol::validate::{FieldLimit, LimitUnit, FIELD_LIMITS};
use lodestar_protocol::{
    AuditAction, AuditEntry, AuditList, ConversationType, DeliveryStatus, ErrorCode, Feedback,
    FeedbackStats, Fit, GoalStatus, HeldList, Match, Me, MentorshipStats, MentorshipStatus,
    Message, Profile, ProgramStats, Report, ReportAction, ReportList, ReportReason, ReportStatus,
    RequestBox, RequestStats, RequestStatus, Resolution, ResponseBucket, Role, SessionStats,
    SessionStatus, Suspension, SuspensionList, UserStats, WeekCount,
};

/// The whole file.
pub fn typescript() -> Result<String, String> {
    let mut d = Declarations::default();
    // protocol
    d.add::<Profile>().add::<Me>().add::<ConversationType>().add::<Role>().add::<Message>();
    d.add::<DeliveryStatus>();
    d.add::<Match>().add::<ErrorCode>().add::<FieldLimit>().add::<LimitUnit>();
    // replica and engine
    d.add::<ConversationItem>().add::<MessageStatus>().add::<MessageItem>().add::<SearchHit>();
    d.add::<ReplyPreview>().add::<ReactionCount>().add::<TypingNotice>().add::<AttachmentView>();
    d.add::<Draft>().add::<OutboxState>().add::<OutboxView>();
    d.add::<SyncState>().add::<Topic>().add::<Transport>();
    // the app's views
    d.add::<SessionView>().add::<RegisterForm>().add::<ProfileEdit>().add::<DirectoryQuery>();
    d.add::<DirectoryPage>().add::<MemberView>().add::<GroupView>().add::<Settings>();
    d.add::<AppError>().add::<FieldErrors>().add::<Changed>();
    // the desktop
    d.add::<Target>().add::<Opening>().add::<UpdateState>().add::<LastView>();
    // mentorship
    d.add::<RequestStatus>().add::<MentorshipStatus>().add::<GoalStatus>().add::<RequestBox>();
    d.add::<PersonRef>().add::<RequestView>().add::<MentorshipView>().add::<GoalView>();
    d.add::<SessionStatus>().add::<Fit>().add::<Feedback>().add::<MeetingView>();
    d.add::<SessionEdit>().add::<FeedbackEdit>();
    d.add::<TaskView>().add::<MentorshipDetailView>().add::<GoalEdit>().add::<TaskEdit>();
    // safety and the program
    d.add::<Blocked>().add::<ReportForm>().add::<ReportReason>().add::<ReportStatus>();
    d.add::<ReportAction>().add::<Resolution>().add::<Report>().add::<ReportList>();
    d.add::<Suspension>().add::<SuspensionList>().add::<AuditAction>().add::<AuditEntry>();
    d.add::<AuditList>().add::<HeldList>().add::<UserStats>().add::<RequestStats>();
    d.add::<MentorshipStats>().add::<WeekCount>().add::<SessionStats>().add::<FeedbackStats>();
    d.add::<ResponseBucket>().add::<ProgramStats>();

    let events: [(&str, String); 5] = [
        (names::SYNC, ts_name::<SyncState>()),
        (names::CHANGED, ts_name::<Changed>()),
        (names::OPEN, ts_name::<()>()),
        (names::UPDATE, ts_name::<UpdateState>()),
        (names::TYPING, ts_name::<TypingNotice>()),
    ];
    d.mention::<SyncState>("events");

    let mut out = String::from(
        "// Generated from Rust by `make bindings` (src-tauri/src/bindings.rs): do not edit.\n\
         // A test fails when this file and the Rust commands, events or types disagree.\n\n\
         import { invoke } from \"@tauri-apps/api/core\";\n\n",
    );
    let commands = crate::commands::signatures();
    let decls = d.finish()?;
    out.push_str(&decls);
    out.push_str(&constants()?);

    out.push_str("/** Every event the app emits, by name, with its payload. */\nexport type EventPayloads = {\n");
    for (name, payload) in &events {
        out.push_str(&format!("  \"{name}\": {payload};\n"));
    }
    out.push_str("};\n\n");

    out.push_str(
        "/** Every command; each rejects with an `IpcError`. */\nexport const commands = {\n",
    );
    for c in &commands {
        for line in c.doc.lines().filter(|l| !l.trim().is_empty()) {
            out.push_str(&format!("  /**{line} */\n"));
        }
        let params: Vec<String> =
            c.args.iter().map(|(n, t)| format!("{}: {t}", camel(n))).collect();
        let payload = if c.args.is_empty() {
            String::new()
        } else {
            let keys: Vec<String> = c.args.iter().map(|(n, _)| camel(n)).collect();
            format!(", {{ {} }}", keys.join(", "))
        };
        out.push_str(&format!(
            "  {}: ({}) => invoke<{}>(\"{}\"{payload}),\n",
            camel(c.name),
            params.join(", "),
            c.ret,
            c.name
        ));
    }
    out.push_str("};\n");
    Ok(out)
}

/// The values the UI needs beside the types: every error code (to tell a known code from
/// anything else a command rejects with) and each field's limits, from the validators' consts.
fn constants() -> Result<String, String> {
    let mut out = String::from("/** Every `ErrorCode`, in the order Rust declares them. */\n");
    let codes: Vec<String> = ErrorCode::ALL.iter().map(|c| format!("\"{c}\"")).collect();
    out.push_str(&format!(
        "export const ERROR_CODES = [{}] as const satisfies readonly ErrorCode[];\n\n",
        codes.join(", ")
    ));
    out.push_str(
        "/** Each field's limits, as the validators apply them (`tag` is one skill or interest \
         tag; `date_of_birth` counts years of age). */\nexport const FIELD_LIMITS = {\n",
    );
    for (field, limit) in FIELD_LIMITS {
        out.push_str(&format!(
            "  {field}: {},\n",
            serde_json::to_string(&limit).map_err(|e| e.to_string())?
        ));
    }
    out.push_str("} as const satisfies Record<string, FieldLimit>;\n\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    /// Where the UI keeps the generated file, from the workspace root.
    const PATH: &str = "ui/src/lib/ipc/bindings.ts";

    #[test]
    fn error_codes_lists_every_variant_of_the_union() {
        use lodestar_protocol::ErrorCode;
        use ts_rs::TS;
        let union = ErrorCode::inline(&crate::ipc::config());
        let mut declared: Vec<&str> = union.split(" | ").map(|s| s.trim_matches('"')).collect();
        let mut listed: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        declared.sort_unstable();
        listed.sort_unstable();
        assert_eq!(declared, listed, "ErrorCode::ALL misses a variant");
    }

    #[test]
    fn the_ui_bindings_match_the_rust_commands() {
        let want = super::typescript().unwrap();
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(PATH);
        if let Some(to) = std::env::var_os("LODESTAR_WRITE_BINDINGS") {
            let to = if to == "1" { path.clone() } else { PathBuf::from(to) };
            std::fs::write(&to, &want).unwrap();
            return;
        }
        if false {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(have == want, "{} is stale: run `make bindings` and commit it", path.display());
    }
}
