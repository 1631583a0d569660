//! What a JPEG carries besides its pixels, for the guard: a JPEG is embedded in the PDF as
//! it is (Typst passes its bytes through), so its comment (`COM`), EXIF, XMP and IPTC
//! segments and anything after its end are published with it, readable by anyone who opens
//! the PDF's objects. The last gate reads them there too, but cannot say where the image came
//! from; the guard reads them at the image's source (a Markdown line, a DOCX part) first.
//!
//! Other images are not read: Typst decodes a PNG and writes its pixels again (its text
//! chunks are not carried), and a JPEG converted for PDF/A ([`crate::bilaga::image`]) is a
//! PNG by then. Nothing is removed from the image: its EXIF orientation is honoured by Typst.

/// One text a JPEG carries: where (for a message) and the text, as its bytes read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Carried {
    pub channel: &'static str,
    pub text: String,
}

/// The texts of a JPEG's metadata segments and of any bytes after its end; nothing for
/// another image or a JPEG the PDF will not hold as it is.
pub(crate) fn jpeg_texts(bytes: &[u8]) -> Vec<Carried> {
    if !bytes.starts_with(&[0xFF, 0xD8]) || crate::bilaga::image::needs_conversion(bytes).is_some()
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        // Markers without a length: the image data starts at the scan (SOS) or ends (EOI).
        if matches!(marker, 0xD0..=0xDA) {
            break;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let body = bytes
            .get(i + 4..(i + 2 + len).min(bytes.len()))
            .unwrap_or(&[]);
        let channel = match marker {
            0xFE => Some("its JPEG comment"),
            0xE1 if body.starts_with(b"Exif\0") => Some("its EXIF metadata"),
            0xE1 => Some("its XMP metadata"),
            0xED => Some("its IPTC metadata"),
            0xE2..=0xEF => Some("an application segment"),
            _ => None,
        };
        if let Some(channel) = channel {
            for text in readings(body) {
                out.push(Carried { channel, text });
            }
        }
        i += 2 + len;
    }
    // Bytes after the image's end are embedded too.
    if let Some(end) = bytes.windows(2).rposition(|w| w == [0xFF, 0xD9])
        && end + 2 < bytes.len()
    {
        for text in readings(&bytes[end + 2..]) {
            out.push(Carried {
                channel: "the data after the image",
                text,
            });
        }
    }
    out
}

/// A segment's bytes as the texts they may hold: one byte a character (ASCII, Latin-1: EXIF
/// and COM), UTF-8 (XMP), and both UTF-16 orders when the bytes hold NULs (EXIF's
/// `UserComment` in Unicode, Windows' `XPComment`).
fn readings(body: &[u8]) -> Vec<String> {
    let mut out = vec![match std::str::from_utf8(body) {
        Ok(s) => s.to_string(),
        Err(_) => body.iter().map(|&b| char::from(b)).collect(),
    }];
    if body.contains(&0) {
        for big in [false, true] {
            for skew in 0..2 {
                let units: Vec<u16> = body[skew..]
                    .chunks_exact(2)
                    .map(|c| {
                        if big {
                            u16::from_be_bytes([c[0], c[1]])
                        } else {
                            u16::from_le_bytes([c[0], c[1]])
                        }
                    })
                    .collect();
                out.push(String::from_utf16_lossy(&units));
            }
        }
    }
    // A NUL between two strings of a segment is a boundary, as a space is.
    out.into_iter().map(|t| t.replace('\0', " ")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG's first bytes (SOI, a COM with `comment`, an APP1 EXIF holding `exif` in
    /// UTF-16LE), a scan marker and EOI: enough for the segment walk.
    fn jpeg(comment: &str, exif: &str) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        let mut segment = |marker: u8, body: &[u8]| {
            b.extend([0xFF, marker]);
            b.extend(u16::try_from(body.len() + 2).unwrap().to_be_bytes());
            b.extend(body);
        };
        segment(0xFE, comment.as_bytes());
        let mut e = b"Exif\0\0II*\0".to_vec();
        e.extend(exif.encode_utf16().flat_map(u16::to_le_bytes));
        segment(0xE1, &e);
        b.extend([0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0xD9]);
        b
    }

    #[test]
    fn comment_and_exif_in_unicode_are_read_and_the_pixels_are_not() {
        let texts = jpeg_texts(&jpeg("Sökande 811218-9876", "pnr 811218-9876"));
        let mut channels: Vec<&str> = texts
            .iter()
            .filter(|t| !crate::publish::personnummer::find(&t.text).is_empty())
            .map(|t| t.channel)
            .collect();
        // (UTF-16 read in both byte orders, each from an even and an odd byte: found twice.)
        channels.dedup();
        assert_eq!(channels, ["its JPEG comment", "its EXIF metadata"]);
        let mut trailing = jpeg("", "");
        trailing.extend(b"811218-9876");
        assert!(
            jpeg_texts(&trailing)
                .iter()
                .any(|t| t.channel == "the data after the image" && t.text.contains("811218"))
        );
    }

    #[test]
    fn a_png_is_not_read() {
        assert!(jpeg_texts(b"\x89PNG\r\n\x1a\n811218-9876").is_empty());
    }
}
