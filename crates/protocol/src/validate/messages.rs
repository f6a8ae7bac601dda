//! The rules of a message's edit and of a reaction.

use super::rules::{content, Rule};
use super::FieldErrors;
use crate::messages::EditMessageRequest;

/// Validates `PATCH /v1/messages/{id}`: new text, 1 to 10,000 characters.
pub fn edit(req: &EditMessageRequest) -> Result<String, FieldErrors> {
    let mut e = FieldErrors::default();
    let text = if req.content.trim().is_empty() {
        e.add("content", "required");
        None
    } else {
        e.check("content", content(&req.content))
    };
    e.finish(|| text.unwrap_or_default())
}

/// One emoji (a single grapheme of Unicode's emoji list, with its skin tone if any).
pub fn emoji(s: &str) -> Rule<String> {
    match emojis::get(s) {
        Some(_) => Ok(s.to_owned()),
        None => Err("not_an_emoji"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_emoji_passes_and_anything_else_is_refused() {
        for ok in ["👍", "❤️", "🎉", "👍🏽", "👩‍💻"] {
            assert_eq!(emoji(ok).as_deref(), Ok(ok), "{ok}");
        }
        for bad in ["", "a", "👍👍", ":+1:", "👍 ", "<script>"] {
            assert_eq!(emoji(bad), Err("not_an_emoji"), "{bad:?}");
        }
    }

    #[test]
    fn an_edit_needs_text() {
        let req = |c: &str| EditMessageRequest { content: c.to_owned() };
        assert_eq!(edit(&req("fixed")).unwrap_or_default(), "fixed");
        assert!(edit(&req("   ")).is_err());
        assert!(edit(&req(&"x".repeat(10_001))).is_err());
    }
}
