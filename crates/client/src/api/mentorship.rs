//! PROGRAM.md's mentorship routes: requests, mentorships, goals, tasks, sessions, their
//! feedback and notes.

use lodestar_protocol::{
    AcceptResponse, CreateGoalRequest, CreateMentorshipRequest, CreateTaskRequest, Goal,
    Mentorship, MentorshipDetail, MentorshipRequest, ReasonRequest, RequestList, Task,
    UpdateGoalRequest, UpdateTaskRequest,
};
use lodestar_protocol::{
    CreateSessionRequest, Feedback, FeedbackRequest, NotesUpdateRequest, Session, SessionNotes,
    UpdateSessionRequest,
};
use reqwest::Method;
use uuid::Uuid;

use super::Api;
use crate::error::ClientResult;

impl Api {
    /// `POST /v1/mentorship-requests` (the same request again answers the same object).
    pub async fn create_request(
        &self,
        req: &CreateMentorshipRequest,
    ) -> ClientResult<MentorshipRequest> {
        self.json(Method::POST, "/v1/mentorship-requests", Some(req)).await
    }

    /// `GET /v1/mentorship-requests`: both boxes, newest first.
    pub async fn requests(&self) -> ClientResult<RequestList> {
        self.json::<_, ()>(Method::GET, "/v1/mentorship-requests", None).await
    }

    /// `POST /v1/mentorship-requests/{id}/accept`.
    pub async fn accept_request(&self, request_id: Uuid) -> ClientResult<AcceptResponse> {
        let path = format!("/v1/mentorship-requests/{request_id}/accept");
        self.json::<_, ()>(Method::POST, &path, None).await
    }

    /// `POST /v1/mentorship-requests/{id}/decline`.
    pub async fn decline_request(
        &self,
        request_id: Uuid,
        reason: Option<&str>,
    ) -> ClientResult<MentorshipRequest> {
        let path = format!("/v1/mentorship-requests/{request_id}/decline");
        let body = ReasonRequest { reason: reason.map(str::to_owned) };
        self.json(Method::POST, &path, Some(&body)).await
    }

    /// `POST /v1/mentorship-requests/{id}/withdraw`.
    pub async fn withdraw_request(&self, request_id: Uuid) -> ClientResult<MentorshipRequest> {
        let path = format!("/v1/mentorship-requests/{request_id}/withdraw");
        self.json::<_, ()>(Method::POST, &path, None).await
    }

    /// `GET /v1/mentorships/{id}`: the mentorship with its goals and tasks.
    pub async fn mentorship(&self, mentorship_id: Uuid) -> ClientResult<MentorshipDetail> {
        self.json::<_, ()>(Method::GET, &format!("/v1/mentorships/{mentorship_id}"), None).await
    }

    /// `POST /v1/mentorships/{id}/end`.
    pub async fn end_mentorship(
        &self,
        mentorship_id: Uuid,
        reason: Option<&str>,
    ) -> ClientResult<Mentorship> {
        let body = ReasonRequest { reason: reason.map(str::to_owned) };
        self.json(Method::POST, &format!("/v1/mentorships/{mentorship_id}/end"), Some(&body)).await
    }

    /// `POST /v1/mentorships/{id}/goals`.
    pub async fn create_goal(
        &self,
        mentorship_id: Uuid,
        req: &CreateGoalRequest,
    ) -> ClientResult<Goal> {
        self.json(Method::POST, &format!("/v1/mentorships/{mentorship_id}/goals"), Some(req)).await
    }

    /// `PATCH /v1/goals/{id}`.
    pub async fn update_goal(&self, goal_id: Uuid, req: &UpdateGoalRequest) -> ClientResult<Goal> {
        self.json(Method::PATCH, &format!("/v1/goals/{goal_id}"), Some(req)).await
    }

    /// `POST /v1/mentorships/{id}/tasks`.
    pub async fn create_task(
        &self,
        mentorship_id: Uuid,
        req: &CreateTaskRequest,
    ) -> ClientResult<Task> {
        self.json(Method::POST, &format!("/v1/mentorships/{mentorship_id}/tasks"), Some(req)).await
    }

    /// `PATCH /v1/tasks/{id}`.
    pub async fn update_task(&self, task_id: Uuid, req: &UpdateTaskRequest) -> ClientResult<Task> {
        self.json(Method::PATCH, &format!("/v1/tasks/{task_id}"), Some(req)).await
    }

    /// `POST /v1/mentorships/{id}/sessions` (the same session again answers the same object).
    pub async fn propose_session(
        &self,
        mentorship_id: Uuid,
        req: &CreateSessionRequest,
    ) -> ClientResult<Session> {
        let path = format!("/v1/mentorships/{mentorship_id}/sessions");
        self.json(Method::POST, &path, Some(req)).await
    }

    /// `PATCH /v1/sessions/{id}`.
    pub async fn edit_session(
        &self,
        session_id: Uuid,
        req: &UpdateSessionRequest,
    ) -> ClientResult<Session> {
        self.json(Method::PATCH, &format!("/v1/sessions/{session_id}"), Some(req)).await
    }

    /// `POST /v1/sessions/{id}/confirm`.
    pub async fn confirm_session(&self, session_id: Uuid) -> ClientResult<Session> {
        self.json::<_, ()>(Method::POST, &format!("/v1/sessions/{session_id}/confirm"), None).await
    }

    /// `POST /v1/sessions/{id}/cancel`.
    pub async fn cancel_session(
        &self,
        session_id: Uuid,
        reason: Option<&str>,
    ) -> ClientResult<Session> {
        let body = ReasonRequest { reason: reason.map(str::to_owned) };
        self.json(Method::POST, &format!("/v1/sessions/{session_id}/cancel"), Some(&body)).await
    }

    /// `POST /v1/sessions/{id}/feedback` (a second one replaces the first).
    pub async fn give_feedback(
        &self,
        session_id: Uuid,
        req: &FeedbackRequest,
    ) -> ClientResult<Feedback> {
        self.json(Method::POST, &format!("/v1/sessions/{session_id}/feedback"), Some(req)).await
    }

    /// `GET /v1/sessions/{id}/notes`: the merged notes.
    pub async fn session_notes(&self, session_id: Uuid) -> ClientResult<SessionNotes> {
        self.json::<_, ()>(Method::GET, &format!("/v1/sessions/{session_id}/notes"), None).await
    }

    /// `POST /v1/sessions/{id}/notes`: merges an update; answers the merged notes.
    pub async fn merge_notes(
        &self,
        session_id: Uuid,
        req: &NotesUpdateRequest,
    ) -> ClientResult<SessionNotes> {
        self.json(Method::POST, &format!("/v1/sessions/{session_id}/notes"), Some(req)).await
    }
}
