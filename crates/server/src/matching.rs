//! Mentor–mentee matching: a transparent score a person can check by reading its reasons.
//!
//! The score is a weighted sum, each part capped at 1:
//! - shared skills (what the mentor offers ∩ what the mentee has or wants), 3 or more count
//!   fully: weight 0.45;
//! - shared interests, 2 or more count fully: 0.15;
//! - the same industry: 0.20;
//! - the mentor's experience, 10 years or more count fully: 0.10;
//! - the same state: 0.10.
//!
//! A mentee is never shown a mentor who takes no requests now (no open slot, or not accepting:
//! PROGRAM.md), and each mentor's reasons say how many of their slots are open.

use std::collections::BTreeSet;

use lodestar_protocol::{Match, Profile};

/// Whether `me` is looking for mentors (true) or for mentees (false). Someone who is neither
/// is shown mentors: that is what a newcomer usually wants.
pub fn seeks_mentors(me: &Profile) -> bool {
    me.mentee_status || !me.mentor_status
}

fn set(tags: &[String]) -> BTreeSet<&str> {
    tags.iter().map(String::as_str).collect()
}

fn listed(what: &str, items: &[&str]) -> String {
    let noun = if items.len() == 1 { what.to_owned() } else { format!("{what}s") };
    format!("{} shared {noun}: {}", items.len(), items.join(", "))
}

/// Scores `candidate` for `me`, with the reasons behind the score.
pub fn score(me: &Profile, candidate: &Profile) -> (f64, Vec<String>) {
    let mentee_view = seeks_mentors(me);
    let (offered, wanted): (BTreeSet<&str>, BTreeSet<&str>) = if mentee_view {
        (set(&candidate.skills), set(&me.skills).union(&set(&me.interests)).copied().collect())
    } else {
        (
            set(&me.skills),
            set(&candidate.skills).union(&set(&candidate.interests)).copied().collect(),
        )
    };
    let skills: Vec<&str> = offered.intersection(&wanted).copied().collect();
    let interests: Vec<&str> =
        set(&me.interests).intersection(&set(&candidate.interests)).copied().collect();
    let mut score = 0.0;
    let mut reasons = Vec::new();
    if !skills.is_empty() {
        score += 0.45 * (skills.len() as f64 / 3.0).min(1.0);
        reasons.push(listed("skill", &skills));
    }
    if !interests.is_empty() {
        score += 0.15 * (interests.len() as f64 / 2.0).min(1.0);
        reasons.push(listed("interest", &interests));
    }
    if let (Some(a), Some(b)) = (me.industry.as_deref(), candidate.industry.as_deref()) {
        if a.eq_ignore_ascii_case(b) {
            score += 0.20;
            reasons.push(format!("same industry: {b}"));
        }
    }
    let mentor_years =
        if mentee_view { candidate.years_of_experience } else { me.years_of_experience };
    if let Some(years) = mentor_years.filter(|y| *y > 0) {
        score += 0.10 * (f64::from(years) / 10.0).min(1.0);
        if mentee_view {
            reasons.push(format!("{years} years of experience"));
        }
    }
    if let (Some(a), Some(b)) = (me.state.as_deref(), candidate.state.as_deref()) {
        if a == b {
            score += 0.10;
            reasons.push(format!("also in {b}"));
        }
    }
    if mentee_view && candidate.mentor_status {
        let slot = if candidate.mentee_capacity == 1 { "slot" } else { "slots" };
        reasons.push(format!(
            "{} of {} mentee {slot} open",
            candidate.open_slots, candidate.mentee_capacity
        ));
    }
    ((score * 1000.0).round() / 1000.0, reasons)
}

/// The best `limit` candidates for `me`, best first (ties by username).
pub fn rank(me: &Profile, candidates: Vec<Profile>, limit: usize) -> Vec<Match> {
    let mentee_view = seeks_mentors(me);
    let mut scored: Vec<Match> = candidates
        .into_iter()
        .filter(|c| c.user_id != me.user_id)
        .filter(|c| !mentee_view || c.takes_requests())
        .map(|user| {
            let (score, reasons) = score(me, &user);
            Match { user, score, reasons }
        })
        .collect();
    scored.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then_with(|| a.user.username.cmp(&b.user.username))
    });
    scored.truncate(limit);
    scored
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use uuid::Uuid;

    fn me(mentee: bool, skills: &[&str], interests: &[&str]) -> Profile {
        Profile {
            user_id: Uuid::new_v4(),
            username: "sam".into(),
            city: None,
            state: Some("CA".into()),
            age: Some(26),
            profile_picture_url: None,
            bio: None,
            mentor_status: !mentee,
            mentee_status: mentee,
            job_title: None,
            years_of_experience: Some(1),
            industry: Some("Software".into()),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            interests: interests.iter().map(|s| s.to_string()).collect(),
            created_at: Utc::now(),
            mentee_capacity: 3,
            accepting_requests: true,
            open_slots: 3,
        }
    }

    fn mentor(name: &str, skills: &[&str], industry: &str, years: i32, state: &str) -> Profile {
        let mut m = me(false, skills, &[]);
        m.username = name.into();
        m.industry = Some(industry.into());
        m.years_of_experience = Some(years);
        m.state = Some(state.into());
        m
    }

    #[test]
    fn reasons_name_what_is_shared_and_the_best_match_comes_first() {
        let seeker = me(true, &["rust"], &["sql", "go"]);
        let strong = mentor("ada", &["rust", "sql", "go"], "Software", 12, "CA");
        let weak = mentor("bob", &["cobol"], "Finance", 3, "NY");
        let (s, reasons) = score(&seeker, &strong);
        assert_eq!(s, 0.85, "everything but shared interests: {reasons:?}");
        assert_eq!(reasons[0], "3 shared skills: go, rust, sql");
        assert!(reasons.contains(&"same industry: Software".to_owned()));
        assert!(reasons.contains(&"12 years of experience".to_owned()));
        assert!(reasons.contains(&"also in CA".to_owned()));
        let ranked = rank(&seeker, vec![weak, strong], 10);
        assert_eq!(ranked[0].user.username, "ada");
        assert!(ranked[0].score > ranked[1].score);
        assert!(ranked.iter().all(|m| (0.0..=1.0).contains(&m.score)));
    }

    #[test]
    fn a_mentor_is_matched_against_what_mentees_want() {
        let seeker = me(false, &["python", "ml"], &[]);
        assert!(!seeks_mentors(&seeker));
        let mut mentee = me(true, &[], &["python"]);
        mentee.industry = None;
        mentee.state = None;
        let (_, reasons) = score(&seeker, &mentee);
        assert_eq!(reasons, vec!["1 shared skill: python".to_owned()]);
    }

    #[test]
    fn a_mentee_never_sees_a_full_or_closed_mentor_and_sees_the_open_slots() {
        let seeker = me(true, &["rust"], &[]);
        let mut open = mentor("ada", &["rust"], "Software", 5, "CA");
        open.open_slots = 2;
        let mut full = mentor("bob", &["rust"], "Software", 5, "CA");
        full.open_slots = 0;
        let mut closed = mentor("cy", &["rust"], "Software", 5, "CA");
        closed.accepting_requests = false;
        let ranked = rank(&seeker, vec![full, closed, open], 10);
        let names: Vec<&str> = ranked.iter().map(|m| m.user.username.as_str()).collect();
        assert_eq!(names, ["ada"]);
        assert!(ranked[0].reasons.contains(&"2 of 3 mentee slots open".to_owned()));
    }
}
