//! A profile edit: applied to the replica at once, sent as `PATCH /v1/me`.

use chrono::{DateTime, Utc};
use lodestar_protocol::{validate, Me, UpdateMeRequest};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Action, Lane, OutboxAction, Subject, Summary, Tx};
use crate::api::Api;
use crate::error::ClientResult;
use crate::replica::Replica;

/// Fields of the user's own profile changed here.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EditProfile {
    /// Whose profile (the signed-in user's).
    pub user_id: Uuid,
    /// The change, as `PATCH /v1/me` takes it.
    pub patch: UpdateMeRequest,
}

impl EditProfile {
    fn fields(&self) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(&self.patch) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        }
    }
}

impl Action for EditProfile {
    type Sent = Me;

    fn lane(&self) -> Lane {
        Lane::Me
    }

    fn subject(&self) -> Subject {
        Subject { kind: "profile", id: self.user_id }
    }

    fn summary(&self) -> Summary {
        let fields: Vec<String> = self.fields().into_iter().map(|(k, _)| k).collect();
        Summary { title: "Profile change".to_owned(), detail: fields.join(", ") }
    }

    /// Ten edits made offline send one patch: later values win, field by field.
    fn fold(&mut self, newer: &Self) -> bool {
        match super::merge_patch(&self.patch, &newer.patch) {
            Some(patch) => {
                self.patch = patch;
                true
            }
            None => false,
        }
    }

    async fn send(&self, api: &Api, _: Option<&serde_json::Value>) -> ClientResult<Me> {
        api.update_me(&self.patch).await
    }

    /// The server's record replaces the local row.
    async fn acked(&self, tx: &mut Tx, sent: &Me) -> ClientResult<()> {
        crate::replica::store_me(tx, sent).await
    }

    /// The edit was shown at once; show the server's record again.
    async fn refused(&self, api: &Api, replica: &Replica) -> ClientResult<()> {
        if let Ok(me) = api.me().await {
            replica.restore_me(&me).await?;
        }
        Ok(())
    }
}

impl Replica {
    /// Edits the user's profile: checked against the rules, applied to the replica at once and
    /// queued as a `PATCH /v1/me`, in one transaction.
    pub async fn queue_profile(
        &self,
        me: Uuid,
        patch: &UpdateMeRequest,
        now: DateTime<Utc>,
    ) -> ClientResult<()> {
        let valid = validate::profile_patch(patch, now.date_naive())?;
        let mut tx = self.write().await?;
        let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new("UPDATE users SET user_id = user_id");
        let mut set = |col: &str, v: Option<Option<String>>| {
            if let Some(v) = v {
                qb.push(format!(", {col} = ")).push_bind(v);
            }
        };
        set("username", valid.username.clone().map(Some));
        set("email", valid.email.clone().map(Some));
        set("phone_number", valid.phone_number.clone());
        set("city", valid.city.clone());
        set("state", valid.state.clone());
        set("profile_picture_url", valid.profile_picture_url.clone());
        set("bio", valid.bio.clone());
        set("job_title", valid.job_title.clone());
        set("industry", valid.industry.clone());
        set("skills", valid.skills.as_ref().map(|t| serde_json::to_string(t).ok()));
        set("interests", valid.interests.as_ref().map(|t| serde_json::to_string(t).ok()));
        if let Some(dob) = valid.date_of_birth {
            qb.push(", date_of_birth = ").push_bind(dob);
            qb.push(", age = ").push_bind(validate::age_on(dob, now.date_naive()));
        }
        if let Some(v) = valid.mentor_status {
            qb.push(", mentor_status = ").push_bind(v);
        }
        if let Some(v) = valid.mentee_status {
            qb.push(", mentee_status = ").push_bind(v);
        }
        if let Some(v) = valid.years_of_experience {
            qb.push(", years_of_experience = ").push_bind(v);
        }
        if let Some(v) = valid.accepting_requests {
            qb.push(", accepting_requests = ").push_bind(v);
        }
        if let Some(v) = valid.mentee_capacity {
            // Open slots follow at once, counted from the mentorships the replica holds.
            qb.push(", mentee_capacity = ").push_bind(v);
            qb.push(", open_slots = max(0, ").push_bind(v).push(
                " - (SELECT count(*) FROM mentorships m WHERE m.mentor_id = users.user_id \
                 AND m.status = 'active'))",
            );
        }
        qb.push(" WHERE user_id = ").push_bind(me);
        qb.build().execute(&mut *tx).await?;
        let action = EditProfile { user_id: me, patch: patch.clone() };
        crate::replica::enqueue(&mut tx, OutboxAction::from(action), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Shows the server's record of the user again (after a refused edit, or its answer).
    pub(crate) async fn restore_me(&self, me: &Me) -> ClientResult<()> {
        let mut tx = self.write().await?;
        crate::replica::store_me(&mut tx, me).await?;
        tx.commit().await?;
        Ok(())
    }
}
