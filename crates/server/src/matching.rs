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
//!
//! Every member of the other role is considered, however many there are: the store ranks them
//! all in SQL by the same points ([`common_ground`], [`SKILL_POINTS`] and the rest), keeping
//! those with something in common (a tag, the industry or the state; experience alone is no
//! reason to meet); Rust scores the best of them again and writes their reasons.

use lodestar_protocol::Profile;
use uuid::Uuid;

/// What matching reads of a person: a few columns, so that scoring every member of a large
/// program stays cheap (the full profiles are loaded for the best few only).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Who.
    pub user_id: Uuid,
    /// For ties.
    pub username: String,
    /// Offered or had (lower-case tags).
    pub skills: Vec<String>,
    /// Lower-case tags.
    pub interests: Vec<String>,
    /// As written.
    pub industry: Option<String>,
    /// Years of experience.
    pub years_of_experience: Option<i32>,
    /// Two-letter state.
    pub state: Option<String>,
    /// Offers mentoring.
    pub mentor_status: bool,
    /// Seeks mentoring.
    pub mentee_status: bool,
    /// Mentees at once.
    pub mentee_capacity: i32,
    /// Slots not taken.
    pub open_slots: i32,
    /// Takes requests now.
    pub accepting_requests: bool,
}

impl From<&Profile> for Candidate {
    fn from(p: &Profile) -> Self {
        Candidate {
            user_id: p.user_id,
            username: p.username.clone(),
            skills: p.skills.clone(),
            interests: p.interests.clone(),
            industry: p.industry.clone(),
            years_of_experience: p.years_of_experience,
            state: p.state.clone(),
            mentor_status: p.mentor_status,
            mentee_status: p.mentee_status,
            mentee_capacity: p.mentee_capacity,
            open_slots: p.open_slots,
            accepting_requests: p.accepting_requests,
        }
    }
}

impl Candidate {
    /// Whether a mentee may ask this person now (PROGRAM.md).
    fn takes_requests(&self) -> bool {
        self.mentor_status && self.accepting_requests && self.open_slots > 0
    }
}

/// Whether `me` is looking for mentors (true) or for mentees (false). Someone who is neither
/// is shown mentors: that is what a newcomer usually wants.
pub fn seeks_mentors(me: &Candidate) -> bool {
    me.mentee_status || !me.mentor_status
}

/// The tags in both lists, sorted, once each (profiles hold a handful of tags: a scan beats a
/// set).
fn both<'a>(a: &'a [String], b: &[&str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = a.iter().map(String::as_str).filter(|t| b.contains(t)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn listed(what: &str, items: &[&str]) -> String {
    let noun = if items.len() == 1 { what.to_owned() } else { format!("{what}s") };
    format!("{} shared {noun}: {}", items.len(), items.join(", "))
}

/// The score's parts, in thousandths of the score so that Rust and SQL (which ranks every
/// candidate before Rust scores the best) add the same exact integers: (points when full, the
/// count at which it is full).
pub const SKILL_POINTS: (i64, i64) = (450, 3);
/// Shared interests.
pub const INTEREST_POINTS: (i64, i64) = (150, 2);
/// The same industry.
pub const INDUSTRY_POINTS: i64 = 200;
/// The mentor's years of experience.
pub const YEAR_POINTS: (i64, i64) = (100, 10);
/// The same state.
pub const STATE_POINTS: i64 = 100;

/// The points of a part counted `n` times.
fn part((points, full): (i64, i64), n: i64) -> i64 {
    points * n.clamp(0, full) / full
}

/// What `me` and a candidate share: what the score counts and the reasons name.
struct Shared<'a> {
    skills: Vec<&'a str>,
    interests: Vec<&'a str>,
    industry: Option<&'a str>,
    /// The mentor's years, when positive.
    years: Option<i32>,
    state: Option<&'a str>,
}

/// `me`'s side of every comparison, worked out once for all candidates.
struct Seeker<'a> {
    me: &'a Candidate,
    mentee_view: bool,
    /// Mentee view: what I have or want, against the mentor's skills.
    wanted: Vec<&'a str>,
    /// Mentor view: my skills, against what the mentee has or wants.
    offered: Vec<&'a str>,
    interests: Vec<&'a str>,
}

impl<'a> Seeker<'a> {
    fn new(me: &'a Candidate) -> Self {
        let strs = |l: &'a [String]| l.iter().map(String::as_str).collect::<Vec<_>>();
        let mut wanted = strs(&me.skills);
        wanted.extend(strs(&me.interests));
        Seeker {
            me,
            mentee_view: seeks_mentors(me),
            wanted,
            offered: strs(&me.skills),
            interests: strs(&me.interests),
        }
    }

    fn shared<'c>(&self, candidate: &'c Candidate) -> Shared<'c>
    where
        'a: 'c,
    {
        let skills = if self.mentee_view {
            both(&candidate.skills, &self.wanted)
        } else {
            let mut theirs = both(&candidate.skills, &self.offered);
            theirs.extend(both(&candidate.interests, &self.offered));
            theirs.sort_unstable();
            theirs.dedup();
            theirs
        };
        let me = self.me;
        let mentor_years =
            if self.mentee_view { candidate.years_of_experience } else { me.years_of_experience };
        Shared {
            skills,
            interests: both(&candidate.interests, &self.interests),
            industry: match (me.industry.as_deref(), candidate.industry.as_deref()) {
                (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => Some(b),
                _ => None,
            },
            years: mentor_years.filter(|y| *y > 0),
            state: match (me.state.as_deref(), candidate.state.as_deref()) {
                (Some(a), Some(b)) if a == b => Some(b),
                _ => None,
            },
        }
    }
}

impl Shared<'_> {
    fn value(&self) -> f64 {
        let points = part(SKILL_POINTS, self.skills.len() as i64)
            + part(INTEREST_POINTS, self.interests.len() as i64)
            + if self.industry.is_some() { INDUSTRY_POINTS } else { 0 }
            + self.years.map_or(0, |y| part(YEAR_POINTS, i64::from(y)))
            + if self.state.is_some() { STATE_POINTS } else { 0 };
        points as f64 / 1000.0
    }

    fn reasons(&self, mentee_view: bool, candidate: &Candidate) -> Vec<String> {
        let mut reasons = Vec::new();
        if !self.skills.is_empty() {
            reasons.push(listed("skill", &self.skills));
        }
        if !self.interests.is_empty() {
            reasons.push(listed("interest", &self.interests));
        }
        if let Some(industry) = self.industry {
            reasons.push(format!("same industry: {industry}"));
        }
        if let (Some(years), true) = (self.years, mentee_view) {
            reasons.push(format!("{years} years of experience"));
        }
        if let Some(state) = self.state {
            reasons.push(format!("also in {state}"));
        }
        if mentee_view && candidate.mentor_status {
            let slot = if candidate.mentee_capacity == 1 { "slot" } else { "slots" };
            reasons.push(format!(
                "{} of {} mentee {slot} open",
                candidate.open_slots, candidate.mentee_capacity
            ));
        }
        reasons
    }
}

/// What `me` offers to share, as the store reads it to rank every candidate in SQL (the same
/// sets and points as [`score`]): a candidate with none of it in common is not considered.
pub struct CommonGround {
    /// My tags that count as shared skills when the candidate holds them in one of
    /// `skill_columns`.
    pub skills: Vec<String>,
    /// `skills` (a mentee: the mentor's skills against what I have or want), or `skills` and
    /// `interests` (a mentor: my skills against what the mentee has or wants).
    pub skill_columns: &'static [&'static str],
    /// My interests, against the candidate's.
    pub interests: Vec<String>,
    /// My industry, as written.
    pub industry: Option<String>,
    /// My state.
    pub state: Option<String>,
    /// Whether the candidate's years count (they would be the mentor).
    pub their_years: bool,
}

impl CommonGround {
    /// Whether nobody can share anything with `me` (an empty profile).
    pub fn is_empty(&self) -> bool {
        self.skills.is_empty()
            && self.interests.is_empty()
            && self.industry.is_none()
            && self.state.is_none()
    }
}

/// What a candidate may share with `me`.
pub fn common_ground(me: &Candidate) -> CommonGround {
    let seeker = Seeker::new(me);
    let owned = |tags: &[&str]| {
        let mut v: Vec<String> = tags.iter().map(|t| (*t).to_owned()).collect();
        v.sort();
        v.dedup();
        v
    };
    CommonGround {
        skills: owned(if seeker.mentee_view { &seeker.wanted } else { &seeker.offered }),
        skill_columns: if seeker.mentee_view { &["skills"] } else { &["skills", "interests"] },
        interests: owned(&seeker.interests),
        industry: me.industry.clone(),
        state: me.state.clone(),
        their_years: seeker.mentee_view,
    }
}

/// Scores `candidate` for `me`, with the reasons behind the score.
pub fn score(me: &Candidate, candidate: &Candidate) -> (f64, Vec<String>) {
    let seeker = Seeker::new(me);
    let shared = seeker.shared(candidate);
    (shared.value(), shared.reasons(seeker.mentee_view, candidate))
}

/// A scored candidate.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// Who.
    pub candidate: Candidate,
    /// 0 to 1.
    pub score: f64,
    /// Why, in words.
    pub reasons: Vec<String>,
}

/// The best `limit` candidates for `me`, best first (ties by username). Every candidate gets a
/// number; only the best `limit` get their reasons written.
pub fn rank(me: &Candidate, candidates: Vec<Candidate>, limit: usize) -> Vec<Ranked> {
    let seeker = Seeker::new(me);
    let mut scored: Vec<(f64, Candidate)> = candidates
        .into_iter()
        .filter(|c| c.user_id != me.user_id)
        .filter(|c| !seeker.mentee_view || c.takes_requests())
        .map(|c| (seeker.shared(&c).value(), c))
        .collect();
    let order = |a: &(f64, Candidate), b: &(f64, Candidate)| {
        b.0.total_cmp(&a.0).then_with(|| a.1.username.cmp(&b.1.username))
    };
    if scored.len() > limit && limit > 0 {
        scored.select_nth_unstable_by(limit - 1, order);
    }
    scored.truncate(limit);
    scored.sort_by(order);
    scored
        .into_iter()
        .map(|(score, candidate)| {
            let reasons = seeker.shared(&candidate).reasons(seeker.mentee_view, &candidate);
            Ranked { candidate, score, reasons }
        })
        .collect()
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
        let (s, reasons) = score(&(&seeker).into(), &(&strong).into());
        assert_eq!(s, 0.85, "everything but shared interests: {reasons:?}");
        assert_eq!(reasons[0], "3 shared skills: go, rust, sql");
        assert!(reasons.contains(&"same industry: Software".to_owned()));
        assert!(reasons.contains(&"12 years of experience".to_owned()));
        assert!(reasons.contains(&"also in CA".to_owned()));
        let ranked = rank(&(&seeker).into(), vec![(&weak).into(), (&strong).into()], 10);
        assert_eq!(ranked[0].candidate.username, "ada");
        assert!(ranked[0].score > ranked[1].score);
        assert!(ranked.iter().all(|m| (0.0..=1.0).contains(&m.score)));
    }

    #[test]
    fn a_mentor_is_matched_against_what_mentees_want() {
        let seeker = me(false, &["python", "ml"], &[]);
        assert!(!seeks_mentors(&(&seeker).into()));
        let mut mentee = me(true, &[], &["python"]);
        mentee.industry = None;
        mentee.state = None;
        let (_, reasons) = score(&(&seeker).into(), &(&mentee).into());
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
        let ranked =
            rank(&(&seeker).into(), [full, closed, open].iter().map(Candidate::from).collect(), 10);
        let names: Vec<&str> = ranked.iter().map(|m| m.candidate.username.as_str()).collect();
        assert_eq!(names, ["ada"]);
        assert!(ranked[0].reasons.contains(&"2 of 3 mentee slots open".to_owned()));
    }
}
