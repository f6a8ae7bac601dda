//! The typed HTTP client of the wire contract (API.md); PROGRAM.md's routes in `mentorship.rs`.

mod media;
mod mentorship;
mod safety;

use lodestar_protocol::{
    AddMemberRequest, AuthResponse, Conversation, CreateGroupRequest, Group, GroupMember,
    LoginRequest, MatchesResponse, Me, Message, OpenDirectRequest, Profile, ReadRequest,
    RegisterRequest, SendMessageRequest, SyncPage, UpdateGroupRequest, UpdateMeRequest,
    UpdateMemberRequest, UsersPage, UsersQuery,
};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::error::{ClientError, ClientResult};

/// A connection to one server, signed in or not.
#[derive(Clone)]
pub struct Api {
    base: String,
    http: reqwest::Client,
    token: Option<String>,
}

impl Api {
    /// A client of the server at `base` (`http://host:port`).
    pub fn new(base: &str) -> ClientResult<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| ClientError::Offline(e.to_string()))?;
        Ok(Api { base: base.trim_end_matches('/').to_owned(), http, token: None })
    }

    /// The same client, signed in with `token`.
    pub fn with_token(mut self, token: &str) -> Self {
        self.token = Some(token.to_owned());
        self
    }

    /// The token this client signs in with, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The server's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// A request to `path` on the server, signed in when there is a token.
    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let req = self.http.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => req.bearer_auth(token),
            None => req,
        }
    }

    async fn send<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> ClientResult<(StatusCode, Vec<u8>)> {
        let mut req = self.request(method, path);
        if let Some(body) = body {
            req = req.json(body);
        }
        self.answer(req).await
    }

    /// Sends a raw body (an upload) of `content_type`, allowed `timeout` in all.
    async fn send_body(
        &self,
        method: Method,
        path: &str,
        body: reqwest::Body,
        content_type: &str,
        timeout: std::time::Duration,
    ) -> ClientResult<(StatusCode, Vec<u8>)> {
        let req = self.request(method, path).header(reqwest::header::CONTENT_TYPE, content_type);
        self.answer(req.body(body).timeout(timeout)).await
    }

    /// Sends `req`: its status and body when it succeeded; offline for no answer or a 5xx, the
    /// contract's refusal otherwise.
    async fn answer(&self, req: reqwest::RequestBuilder) -> ClientResult<(StatusCode, Vec<u8>)> {
        let res = req.send().await.map_err(|e| ClientError::Offline(e.to_string()))?;
        let status = res.status();
        let bytes = res.bytes().await.map_err(|e| ClientError::Offline(e.to_string()))?.to_vec();
        if status.is_server_error() {
            return Err(ClientError::Offline(format!("the server answered {status}")));
        }
        if !status.is_success() {
            return Err(ClientError::refused(status.as_u16(), &bytes));
        }
        Ok((status, bytes))
    }

    async fn json<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> ClientResult<T> {
        let (_, bytes) = self.send(method, path, body).await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Corrupt(format!("{path}: {e}")))
    }

    /// `POST /v1/auth/register`.
    pub async fn register(&self, req: &RegisterRequest) -> ClientResult<AuthResponse> {
        self.json(Method::POST, "/v1/auth/register", Some(req)).await
    }

    /// `POST /v1/auth/login`.
    pub async fn login(&self, login: &str, password: &str) -> ClientResult<AuthResponse> {
        let req = LoginRequest { login: login.to_owned(), password: password.to_owned() };
        self.json(Method::POST, "/v1/auth/login", Some(&req)).await
    }

    /// `GET /v1/sync`.
    pub async fn sync(&self, since: Option<&str>, limit: u32) -> ClientResult<SyncPage> {
        let path = match since {
            Some(c) => format!("/v1/sync?since={c}&limit={limit}"),
            None => format!("/v1/sync?limit={limit}"),
        };
        self.json::<_, ()>(Method::GET, &path, None).await
    }

    /// `POST /v1/messages`: the server's copy (the same for a retried request).
    pub async fn send_message(&self, req: &SendMessageRequest) -> ClientResult<Message> {
        self.json(Method::POST, "/v1/messages", Some(req)).await
    }

    /// `PATCH /v1/messages/{id}`: the server's copy, edited.
    pub async fn edit_message(&self, id: Uuid, content: &str) -> ClientResult<Message> {
        let req = lodestar_protocol::EditMessageRequest { content: content.to_owned() };
        self.json(Method::PATCH, &format!("/v1/messages/{id}"), Some(&req)).await
    }

    /// `DELETE /v1/messages/{id}`.
    pub async fn delete_message(&self, id: Uuid) -> ClientResult<()> {
        self.send::<()>(Method::DELETE, &format!("/v1/messages/{id}"), None).await.map(|_| ())
    }

    /// `PUT` (`on`) or `DELETE /v1/messages/{id}/reactions/{emoji}`.
    pub async fn react(&self, id: Uuid, emoji: &str, on: bool) -> ClientResult<()> {
        let method = if on { Method::PUT } else { Method::DELETE };
        let emoji = utf8_percent_encode(emoji, NON_ALPHANUMERIC);
        self.send::<()>(method, &format!("/v1/messages/{id}/reactions/{emoji}"), None)
            .await
            .map(|_| ())
    }

    /// `POST /v1/read`.
    pub async fn read(&self, message_ids: &[Uuid]) -> ClientResult<()> {
        let req = ReadRequest { message_ids: message_ids.to_vec() };
        self.send(Method::POST, "/v1/read", Some(&req)).await.map(|_| ())
    }

    /// `POST /v1/conversations/direct`.
    pub async fn open_direct(&self, user_id: Uuid) -> ClientResult<Conversation> {
        self.json(Method::POST, "/v1/conversations/direct", Some(&OpenDirectRequest { user_id }))
            .await
    }

    /// The profile with exactly this username, if any.
    pub async fn user_by_username(&self, username: &str) -> ClientResult<Option<Profile>> {
        let path = format!("/v1/users?username={}&limit=1", encode(username.trim()));
        let page: UsersPage = self.json::<_, ()>(Method::GET, &path, None).await?;
        Ok(page.users.into_iter().next())
    }

    /// `GET /v1/health`.
    pub async fn health(&self) -> ClientResult<lodestar_protocol::Health> {
        self.json::<_, ()>(Method::GET, "/v1/health", None).await
    }

    /// `GET /v1/conversations/{id}/messages`: the newest `limit` older than `before`.
    pub async fn history(
        &self,
        conversation_id: Uuid,
        before: Option<i64>,
        limit: u32,
    ) -> ClientResult<lodestar_protocol::MessagesPage> {
        let path = match before {
            Some(b) => {
                format!("/v1/conversations/{conversation_id}/messages?before={b}&limit={limit}")
            }
            None => format!("/v1/conversations/{conversation_id}/messages?limit={limit}"),
        };
        self.json::<_, ()>(Method::GET, &path, None).await
    }

    /// `POST /v1/auth/logout`: the token stops working.
    pub async fn logout(&self) -> ClientResult<()> {
        self.send::<()>(Method::POST, "/v1/auth/logout", None).await.map(|_| ())
    }

    /// `GET /v1/me`.
    pub async fn me(&self) -> ClientResult<Me> {
        self.json::<_, ()>(Method::GET, "/v1/me", None).await
    }

    /// `PATCH /v1/me`.
    pub async fn update_me(&self, patch: &UpdateMeRequest) -> ClientResult<Me> {
        self.json(Method::PATCH, "/v1/me", Some(patch)).await
    }

    /// `GET /v1/users`: one page of the directory.
    pub async fn directory(&self, query: &UsersQuery) -> ClientResult<UsersPage> {
        let mut params = Vec::new();
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                params.push(format!("{k}={}", encode(&v)));
            }
        };
        add("username", query.username.clone());
        add("q", query.q.clone());
        add("mentor", query.mentor.map(|b| b.to_string()));
        add("mentee", query.mentee.map(|b| b.to_string()));
        add("skill", query.skill.clone());
        add("industry", query.industry.clone());
        add("state", query.state.clone());
        add("min_years", query.min_years.map(|y| y.to_string()));
        add("accepting", query.accepting.map(|b| b.to_string()));
        add("limit", query.limit.map(|l| l.to_string()));
        add("cursor", query.cursor.clone());
        let path = format!("/v1/users?{}", params.join("&"));
        self.json::<_, ()>(Method::GET, &path, None).await
    }

    /// `GET /v1/matches`.
    pub async fn matches(&self, limit: u32) -> ClientResult<MatchesResponse> {
        self.json::<_, ()>(Method::GET, &format!("/v1/matches?limit={limit}"), None).await
    }

    /// `POST /v1/groups`.
    pub async fn create_group(&self, req: &CreateGroupRequest) -> ClientResult<Group> {
        self.json(Method::POST, "/v1/groups", Some(req)).await
    }

    /// `POST /v1/groups/{id}/members`.
    pub async fn add_member(
        &self,
        group_id: Uuid,
        req: &AddMemberRequest,
    ) -> ClientResult<GroupMember> {
        self.json(Method::POST, &format!("/v1/groups/{group_id}/members"), Some(req)).await
    }

    /// `PATCH /v1/groups/{id}`.
    pub async fn update_group(
        &self,
        group_id: Uuid,
        req: &UpdateGroupRequest,
    ) -> ClientResult<Group> {
        self.json(Method::PATCH, &format!("/v1/groups/{group_id}"), Some(req)).await
    }

    /// `PATCH /v1/groups/{id}/members/{user_id}`.
    pub async fn update_member(
        &self,
        group_id: Uuid,
        user_id: Uuid,
        req: &UpdateMemberRequest,
    ) -> ClientResult<GroupMember> {
        self.json(Method::PATCH, &format!("/v1/groups/{group_id}/members/{user_id}"), Some(req))
            .await
    }

    /// `DELETE /v1/groups/{id}/members/{user_id}`.
    pub async fn remove_member(&self, group_id: Uuid, user_id: Uuid) -> ClientResult<()> {
        self.send::<()>(Method::DELETE, &format!("/v1/groups/{group_id}/members/{user_id}"), None)
            .await
            .map(|_| ())
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass as they are).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(super::encode("ux research & more"), "ux%20research%20%26%20more");
        assert_eq!(super::encode("École"), "%C3%89cole");
        assert_eq!(super::encode("a-b_c.d~"), "a-b_c.d~");
    }
}
