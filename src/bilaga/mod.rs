//! Bilagor as files: which format a file is — by its content, checked against its
//! extension — and the reader for each: [`docx`] and [`pdf`], each turned into what the
//! validated model carries (markup, in-memory assets); Markdown goes straight to
//! [`crate::markdown`]. [`pdf::cache`] keeps converted PDF pages between runs; [`pdf::route`]
//! chooses how a page is converted.

pub mod docx;
pub mod form;
pub mod image;
pub mod limits;
pub mod pdf;
mod svg_compact;
pub(crate) mod svg_cost;

/// The largest bilaga file read, in any format: checked before reading, so a hostile or
/// mistaken file (a video, a disk image) never fills the memory.
pub(crate) const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// Refuses a file of `size` bytes over [`MAX_FILE_BYTES`].
pub(crate) fn check_size(size: u64) -> Result<(), Error> {
    if size <= MAX_FILE_BYTES {
        return Ok(());
    }
    let mb = |b: u64| b.div_ceil(1024 * 1024);
    Err(Error::new(format!(
        "the file is {} MB, more than the {} MB a bilaga may have",
        mb(size),
        mb(MAX_FILE_BYTES)
    ))
    .hint(
        "make the file smaller (e.g. scan at a lower resolution), or split it into several bilagor",
    ))
}

/// A bilaga file's format, as its bytes show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Docx,
    Pdf,
}

/// Why a bilaga file cannot be read; lowercase, for "bilaga `id` (`file`): …".
pub type Error = docx::Error;

/// What the bytes are: zip, PDF, OLE2 (an encrypted Office file or an old .doc) or text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Zip,
    Pdf,
    Ole2,
    Text,
    Binary,
}

fn content(bytes: &[u8]) -> Content {
    if bytes.starts_with(b"PK\x03\x04") {
        Content::Zip
    } else if bytes.starts_with(b"%PDF-") {
        Content::Pdf
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Content::Ole2
    } else if std::str::from_utf8(bytes).is_ok() {
        Content::Text
    } else {
        Content::Binary
    }
}

fn describe(c: Content) -> &'static str {
    match c {
        Content::Zip => "a zip archive",
        Content::Pdf => "a PDF",
        Content::Ole2 => "an encrypted Office file or an old Word (.doc) file",
        Content::Text => "text",
        Content::Binary => "neither text, DOCX nor PDF",
    }
}

/// The format of a file with `extension` (lowercase, without dot) and content `bytes`, or
/// why it cannot be a bilaga.
pub(crate) fn detect(extension: &str, bytes: &[u8]) -> Result<Format, Error> {
    if bytes.is_empty() {
        return Err(Error::new("the file is empty (0 bytes)")
            .hint("save the document again, or check that it was copied completely"));
    }
    let wanted = match extension {
        "md" | "markdown" => Format::Markdown,
        "docx" => Format::Docx,
        "pdf" => Format::Pdf,
        other => {
            return Err(Error::new(format!(
                "`.{other}` files cannot be bilagor; Markdown (.md), Word (.docx) and PDF (.pdf) can"
            ))
            .hint("save the document as .docx or .pdf"));
        }
    };
    let found = content(bytes);
    let ok = matches!(
        (wanted, found),
        (Format::Markdown, Content::Text)
            | (Format::Docx, Content::Zip)
            | (Format::Pdf, Content::Pdf)
    );
    if ok {
        return Ok(wanted);
    }
    if wanted == Format::Docx && found == Content::Ole2 {
        return Err(Error::new(
            "the DOCX is password-protected (encrypted) or an old Word (.doc) file",
        )
        .hint("remove the password, or save it as .docx, in Word or LibreOffice"));
    }
    if wanted == Format::Markdown && found != Content::Text {
        // Most often text in another encoding (Windows-1252): name where it stops being
        // UTF-8, so the line can be found (issue 13).
        let place = match (found, std::str::from_utf8(bytes)) {
            (Content::Binary, Err(e)) => {
                let before = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
                let (line, col) = crate::diag::line_col(&before, before.len());
                format!(
                    " (byte 0x{:02X} on line {line}, column {col} is no UTF-8)",
                    bytes[e.valid_up_to()]
                )
            }
            _ => String::new(),
        };
        return Err(Error::new(format!(
            "a Markdown bilaga must be UTF-8 text, but this file is {}{place}",
            describe(found)
        ))
        .hint("save it as UTF-8 text, or give the file the extension of what it is"));
    }
    Err(Error::new(format!(
        "the file is named `.{extension}` but its content is {}",
        describe(found)
    ))
    .hint("give the file the extension of what it is, or export it again"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_and_must_match_the_extension() {
        assert_eq!(detect("docx", b"PK\x03\x04rest"), Ok(Format::Docx));
        assert_eq!(detect("md", "# Rubrik".as_bytes()), Ok(Format::Markdown));
        assert_eq!(detect("pdf", b"%PDF-1.7"), Ok(Format::Pdf));
        assert!(
            detect("docx", b"%PDF-1.7")
                .unwrap_err()
                .message
                .contains("a PDF")
        );
        assert!(detect("docx", b"hej").unwrap_err().message.contains("text"));
        assert!(
            detect("docx", &[0xD0, 0xCF, 0x11, 0xE0, 0])
                .unwrap_err()
                .message
                .contains("password")
        );
        assert!(detect("md", b"").unwrap_err().message.contains("empty"));
        assert!(detect("txt", b"x").unwrap_err().message.contains("`.txt`"));
    }
}
