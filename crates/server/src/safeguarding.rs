//! Contact details in a message between a minor and an adult (PROGRAM.md, "Minors"): an email
//! address, a phone number or a link holds the message for a coordinator. Links and emails are
//! found by `linkify` (with or without a scheme: `www.example.com`, `example.com/x`); phone
//! numbers by `phonenumber` (libphonenumber's metadata) on every run of phone-like characters,
//! so `+1 (415) 555-0100`, `415.555.0100` and `415 555 0100` are all caught while dates, times
//! and amounts are not.

use linkify::{LinkFinder, LinkKind};

/// What a held message contains; stored as `held_reason` and shown to its sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactDetail {
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A link.
    Link,
}

impl ContactDetail {
    /// The stored and wire code.
    pub fn code(self) -> &'static str {
        match self {
            ContactDetail::Email => "email",
            ContactDetail::Phone => "phone",
            ContactDetail::Link => "link",
        }
    }
}

/// The first kind of contact detail in `text`, if any.
pub fn contact_detail(text: &str) -> Option<ContactDetail> {
    let mut finder = LinkFinder::new();
    finder.url_must_have_scheme(false);
    if let Some(link) = finder.links(text).next() {
        return Some(match link.kind() {
            LinkKind::Email => ContactDetail::Email,
            _ => ContactDetail::Link,
        });
    }
    phone_like_runs(text).any(is_phone_number).then_some(ContactDetail::Phone)
}

/// Runs of digits and the characters people write between them (`+ ( ) - . /` and spaces)
/// holding at least seven digits: the candidates libphonenumber is asked about.
fn phone_like_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_digit() || " +()-./\u{a0}".contains(c)))
        .map(|run| run.trim_matches(|c: char| !(c.is_ascii_digit() || c == '+' || c == '(')))
        .filter(|run| run.chars().filter(char::is_ascii_digit).count() >= 7)
}

/// Whether `run` is a phone number of some country (a US one when it has no `+`).
fn is_phone_number(run: &str) -> bool {
    let digits = run.chars().filter(char::is_ascii_digit).count();
    // Longer than any number plan allows: two numbers written together, or not a number.
    if digits > 15 {
        return run.split("  ").any(|part| part != run && is_phone_number(part));
    }
    phonenumber::parse(Some(phonenumber::country::Id::US), run)
        .is_ok_and(|n| phonenumber::is_valid(&n) || (digits >= 10 && phonenumber::is_viable(run)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_written_the_usual_ways_are_found() {
        let cases = [
            ("call me on +1 (415) 555-0100 tonight", Some(ContactDetail::Phone)),
            ("my number is 415.555.0100.", Some(ContactDetail::Phone)),
            ("415 555 0100", Some(ContactDetail::Phone)),
            ("text 4155550100", Some(ContactDetail::Phone)),
            ("+44 20 7946 0958 is my London line", Some(ContactDetail::Phone)),
            ("see www.example.com", Some(ContactDetail::Link)),
            ("it is at example.com/x", Some(ContactDetail::Link)),
            ("https://example.org/join?id=4", Some(ContactDetail::Link)),
            ("write to maya.j@example.com", Some(ContactDetail::Email)),
        ];
        for (text, want) in cases {
            assert_eq!(contact_detail(text), want, "{text}");
        }
    }

    #[test]
    fn ordinary_mentoring_talk_is_not_held() {
        for text in [
            "see you on 2026-12-07 at 17:00",
            "I scored 98.5 out of 100",
            "chapter 3.2, pages 120-135",
            "we raised $1,250,000 in 2025",
            "the meeting is in room 4",
            "me at gmail dot com",
            "ok. thanks!",
        ] {
            assert_eq!(contact_detail(text), None, "{text}");
        }
    }
}
