//! `profile` and `profile --set FIELD=VALUE…`: the signed-in user's profile. The pairs are the
//! command line's way of writing a `PATCH /v1/me` body, so turning them into one happens here.

use clap::Subcommand;
use lodestar_client::{Client, ClientError};
use lodestar_protocol::{Me, UpdateMeRequest};
use serde_json::json;

use crate::output::{print_json, Out};

/// The profile command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the profile, or edit it with `--set FIELD=VALUE` (an empty value clears).
    Profile {
        #[arg(long = "set", value_parser = parse_assignment)]
        set: Vec<(String, String)>,
    },
}

/// Shows the profile, or edits it and shows the result.
pub async fn run(command: Command, client: &Client, out: &Out) -> Result<(), ClientError> {
    let Command::Profile { set } = command;
    if set.is_empty() {
        show(out, &client.profile().await?);
        return Ok(());
    }
    // Signed out is said before anything about the fields, as it always was.
    if client.signed_in().is_none() {
        return Err(ClientError::NotSignedIn);
    }
    let patch = profile_patch(&set)?;
    show(out, &client.set_profile(&patch).await?);
    Ok(())
}

fn parse_assignment(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_owned(), v.to_owned()))
        .ok_or_else(|| format!("expected FIELD=VALUE, got `{s}`"))
}

/// Builds a `PATCH /v1/me` body from `FIELD=VALUE` pairs (an empty value clears the field).
fn profile_patch(fields: &[(String, String)]) -> Result<UpdateMeRequest, ClientError> {
    let mut object = serde_json::Map::new();
    let mut bad = lodestar_protocol::FieldErrors::default();
    for (field, value) in fields {
        let v = value.trim();
        let json = match field.as_str() {
            _ if v.is_empty() => serde_json::Value::Null,
            "mentor_status" | "mentee_status" | "accepting_requests" => match v {
                "true" | "yes" | "1" => true.into(),
                "false" | "no" | "0" => false.into(),
                _ => {
                    bad.add(field, "invalid");
                    continue;
                }
            },
            "years_of_experience" | "mentee_capacity" => match v.parse::<i64>() {
                Ok(n) => n.into(),
                Err(_) => {
                    bad.add(field, "invalid");
                    continue;
                }
            },
            "skills" | "interests" => v
                .split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .into(),
            _ => v.into(),
        };
        object.insert(field.clone(), json);
    }
    if !bad.is_empty() {
        return Err(ClientError::Invalid(bad));
    }
    serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| {
        let mut bad = lodestar_protocol::FieldErrors::default();
        let field = e.to_string().split('`').nth(1).unwrap_or("profile").to_owned();
        bad.add(&field, "unknown");
        ClientError::Invalid(bad)
    })
}

/// A profile.
fn show(out: &Out, me: &Me) {
    if out.json() {
        return print_json(&json!(me));
    }
    let p = &me.profile;
    println!("{} <{}>", p.username, me.email);
    for (k, v) in [
        ("job title", p.job_title.clone()),
        ("industry", p.industry.clone()),
        ("years", p.years_of_experience.map(|y| y.to_string())),
        ("city", p.city.clone()),
        ("state", p.state.clone()),
        ("skills", Some(p.skills.join(", "))),
        ("interests", Some(p.interests.join(", "))),
        ("bio", p.bio.clone()),
        ("mentees", p.mentor_status.then(|| mentee_slots(p))),
    ] {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            println!("  {k:<10} {v}");
        }
    }
}

/// "2 of 3 slots open, accepting requests".
fn mentee_slots(p: &lodestar_protocol::Profile) -> String {
    let accepting =
        if p.accepting_requests { "accepting requests" } else { "not accepting requests" };
    format!("{} of {} slots open, {accepting}", p.open_slots, p.mentee_capacity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_fields_become_a_patch() {
        let set = |pairs: &[(&str, &str)]| {
            profile_patch(
                &pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>(),
            )
        };
        let p = set(&[
            ("city", "Austin"),
            ("bio", ""),
            ("mentor_status", "yes"),
            ("skills", "rust, sql"),
        ])
        .unwrap();
        assert_eq!(p.city, Some(Some("Austin".into())));
        assert_eq!(p.bio, Some(None), "an empty value clears");
        assert_eq!(p.mentor_status, Some(Some(true)));
        assert_eq!(p.skills, Some(Some(vec!["rust".into(), "sql".into()])));
        assert_eq!(p.state, None, "absent stays");
        assert!(
            matches!(set(&[("nickname", "x")]), Err(ClientError::Invalid(e)) if e.0.contains_key("nickname"))
        );
        assert!(matches!(set(&[("years_of_experience", "many")]), Err(ClientError::Invalid(_))));
    }
}
