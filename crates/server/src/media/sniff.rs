//! What an upload is, read from its first bytes by `infer` (the declared `Content-Type` is
//! only a hint for plain text), and whether the program takes it: images, PDF, common office
//! documents, plain text, audio and video; never a program, a script page or an archive.

/// How many bytes of the start decide.
pub const HEAD: usize = 16 * 1024;

/// The types taken, by exact MIME type or by `type/` prefix.
const ALLOWED: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/rtf",
    "text/plain",
    "audio/",
    "video/mp4",
    "video/webm",
    "video/quicktime",
];

/// The type of a file starting with `head`: what `infer` recognises, else plain text when the
/// bytes read as text without NULs; `Err` names what was refused (for the error message).
pub fn content_type(head: &[u8]) -> Result<&'static str, String> {
    let kind = match infer::get(head) {
        Some(k) => k.mime_type(),
        None if looks_like_text(head) => "text/plain",
        None => return Err("a file of unknown type".into()),
    };
    if ALLOWED.iter().any(|a| if a.ends_with('/') { kind.starts_with(a) } else { kind == *a }) {
        Ok(kind)
    } else {
        Err(kind.to_owned())
    }
}

/// Valid UTF-8 (a character cut at the end of the head is fine) without NUL bytes.
fn looks_like_text(head: &[u8]) -> bool {
    if head.is_empty() || head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > head.len(),
    }
}

/// Whether a type is shown in place (an image, a PDF, audio, video) rather than saved.
pub fn inline(content_type: &str) -> bool {
    content_type.starts_with("image/")
        || content_type.starts_with("audio/")
        || content_type.starts_with("video/")
        || content_type == "application/pdf"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_documents_and_text_pass_and_programs_are_refused() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(content_type(png), Ok("image/png"));
        assert_eq!(content_type(b"%PDF-1.7\n"), Ok("application/pdf"));
        assert_eq!(content_type("notes: café ☕\n".as_bytes()), Ok("text/plain"));
        // A Windows program renamed to .png, an ELF binary, a shell script's cousin: refused.
        let exe = [b"MZ".as_slice(), &[0x90; 62]].concat();
        assert!(content_type(&exe).is_err());
        assert!(content_type(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0").is_err());
        assert!(content_type(b"PK\x03\x04\x14\0\0\0").is_err(), "a bare zip");
        assert!(content_type(&[0, 1, 2, 3]).is_err(), "binary of no known type");
        assert!(content_type(b"").is_err());
    }
}
