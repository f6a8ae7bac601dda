//! Image sizes and thumbnails, by the `image` crate, with limits so a small file that
//! decodes to a huge picture (a decompression bomb) is refused rather than obeyed.

use std::io::Cursor;

use bytes::Bytes;
use image::{ImageFormat, ImageReader, Limits};

use super::MediaError;

/// Thumbnails fit in this square.
pub const SIZE: u32 = 320;
/// The largest picture decoded, per side.
const MAX_SIDE: u32 = 12_000;

/// Width and height from an image's header, when it holds them.
pub fn dimensions(head: &[u8]) -> Option<(u32, u32)> {
    ImageReader::new(Cursor::new(head)).with_guessed_format().ok()?.into_dimensions().ok()
}

/// A thumbnail of `image` fitting [`SIZE`]×[`SIZE`]: PNG when it has transparency, else JPEG.
pub fn make(image: &[u8]) -> Result<Bytes, MediaError> {
    let no = |e: image::ImageError| MediaError::NoThumbnail(e.to_string());
    let mut reader = ImageReader::new(Cursor::new(image))
        .with_guessed_format()
        .map_err(|e| MediaError::NoThumbnail(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader.decode().map_err(no)?;
    let small = picture.thumbnail(SIZE, SIZE);
    let mut out = Cursor::new(Vec::new());
    if small.color().has_alpha() {
        small.write_to(&mut out, ImageFormat::Png).map_err(no)?;
    } else {
        small.to_rgb8().write_to(&mut out, ImageFormat::Jpeg).map_err(no)?;
    }
    Ok(Bytes::from(out.into_inner()))
}
