//! Images from bilagor made fit for PDF/A: a CMYK (or YCCK, Adobe-inverted) JPEG, a 16-bit
//! PNG or an image with an embedded ICC profile is decoded and stored again as an 8-bit sRGB
//! PNG at import, so Typst's PDF/A export never meets it ("the PDF is missing a CMYK
//! profile", issue 12 kind 8). The `image` crate (zune-jpeg inside) undoes the Adobe
//! inversion and converts CMYK to RGB. Other images pass unchanged, byte for byte.

use image::{ImageFormat, ImageReader, Limits};

/// The most pixels an image is decoded to for conversion (a page shows far fewer: 8,000 ×
/// 6,000 is a 600 dpi scan of a full page).
pub(crate) const MAX_PIXELS: u64 = 48_000_000;

/// Why an image needs converting, or `None` when Typst can embed it as it is.
pub(crate) fn needs_conversion(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let (components, icc) = jpeg_facts(bytes);
        if components == Some(4) {
            return Some("a CMYK JPEG");
        }
        if icc {
            return Some("a JPEG with an embedded colour profile");
        }
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        // IHDR is the first chunk: bit depth at byte 24.
        if bytes.get(24).is_some_and(|&d| d == 16) {
            return Some("a 16-bit PNG");
        }
        if png_has_chunk(bytes, b"iCCP") {
            return Some("a PNG with an embedded colour profile");
        }
    }
    None
}

/// The image as an 8-bit sRGB (or grey) PNG, or why it cannot be decoded.
pub(crate) fn to_srgb_png(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 8);
    reader.limits(limits);
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| format!("cannot be read: {e}"))?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "has {w} × {h} pixels, more than the {MAX_PIXELS} converted"
        ));
    }
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 8);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| format!("cannot be decoded: {e}"))?;
    let image = if image.color().has_alpha() {
        image::DynamicImage::ImageRgba8(image.to_rgba8())
    } else if image.color().channel_count() == 1 {
        image::DynamicImage::ImageLuma8(image.to_luma8())
    } else {
        image::DynamicImage::ImageRgb8(image.to_rgb8())
    };
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|e| format!("cannot be converted: {e}"))?;
    Ok(out.into_inner())
}

/// The JPEG's component count (from its frame header) and whether it embeds an ICC profile.
fn jpeg_facts(bytes: &[u8]) -> (Option<u8>, bool) {
    let mut i = 2;
    let mut icc = false;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return (None, icc);
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let body = bytes.get(i + 4..i + 2 + len).unwrap_or(&[]);
        match marker {
            0xE2 if body.starts_with(b"ICC_PROFILE\0") => icc = true,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                return (body.get(5).copied(), icc);
            }
            0xD9 | 0xDA => return (None, icc),
            _ => {}
        }
        i += 2 + len;
    }
    (None, icc)
}

fn png_has_chunk(bytes: &[u8], name: &[u8; 4]) -> bool {
    let mut i = 8;
    while i + 8 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize;
        let kind = &bytes[i + 4..i + 8];
        if kind == name {
            return true;
        }
        if kind == b"IDAT" || kind == b"IEND" {
            return false;
        }
        i = i.saturating_add(12).saturating_add(len);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmyk_jpeg() -> Vec<u8> {
        // A 1×1 CMYK JPEG: SOI, SOF0 with 4 components, EOI is enough for the check.
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x14, 8, 0, 1, 0, 1, 4];
        j.extend_from_slice(&[1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        j
    }

    #[test]
    fn cmyk_jpeg_and_16_bit_png_are_found() {
        assert_eq!(needs_conversion(&cmyk_jpeg()), Some("a CMYK JPEG"));
        let mut rgb16 = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb16(image::ImageBuffer::new(2, 2))
            .write_to(&mut rgb16, ImageFormat::Png)
            .unwrap();
        let png16 = rgb16.into_inner();
        assert_eq!(needs_conversion(&png16), Some("a 16-bit PNG"));
        let png8 = to_srgb_png(&png16).unwrap();
        assert_eq!(needs_conversion(&png8), None);
        assert_eq!(png8[24], 8);
    }
}
