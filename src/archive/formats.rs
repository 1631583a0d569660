//! Each file's format as an archive records it: MIME type, a name, and the PRONOM unique
//! identifier (PUID) where PRONOM has one. The PDF/A part is the one the document was
//! exported under, not guessed from its bytes; the version of an original PDF is read from
//! its header. The PUIDs are those `fido` (PRONOM's signatures) gives for the same files:
//! the package tests check that they agree.

use crate::export::Conformance;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    pub(crate) mime: &'static str,
    pub name: String,
    pub puid: Option<&'static str>,
}

fn format(mime: &'static str, name: &str, puid: Option<&'static str>) -> Format {
    Format {
        mime,
        name: name.to_string(),
        puid,
    }
}

/// A document the tool exported: PDF/A-2a (fmt/476) or PDF/A-3a (fmt/479), both also PDF/UA-1.
pub(crate) fn pdfa(conformance: Conformance) -> Format {
    match conformance {
        Conformance::A2 => format("application/pdf", "PDF/A-2a", Some("fmt/476")),
        Conformance::A3 => format("application/pdf", "PDF/A-3a", Some("fmt/479")),
    }
}

/// A source file, by its name and, for a PDF, its header.
pub(crate) fn source(name: &str, bytes: &[u8]) -> Format {
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "toml" => format("application/toml", "TOML", None),
        "md" | "markdown" => format("text/markdown", "Markdown", Some("fmt/1149")),
        "docx" => format(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Microsoft Word for Windows (OOXML)",
            Some("fmt/412"),
        ),
        "json" => format("application/json", "JSON", Some("fmt/817")),
        "xml" => format("application/xml", "XML", Some("fmt/101")),
        "pdf" => pdf_version(bytes),
        _ => format("application/octet-stream", "unknown", None),
    }
}

/// An original PDF by the version in its header (`%PDF-1.4`): PRONOM's PDF 1.0–2.0.
fn pdf_version(bytes: &[u8]) -> Format {
    let header = bytes.get(..8).unwrap_or_default();
    let (name, puid) = match header {
        b"%PDF-1.0" => ("PDF 1.0", "fmt/14"),
        b"%PDF-1.1" => ("PDF 1.1", "fmt/15"),
        b"%PDF-1.2" => ("PDF 1.2", "fmt/16"),
        b"%PDF-1.3" => ("PDF 1.3", "fmt/17"),
        b"%PDF-1.4" => ("PDF 1.4", "fmt/18"),
        b"%PDF-1.5" => ("PDF 1.5", "fmt/19"),
        b"%PDF-1.6" => ("PDF 1.6", "fmt/20"),
        b"%PDF-1.7" => ("PDF 1.7", "fmt/276"),
        b"%PDF-2.0" => ("PDF 2.0", "fmt/1129"),
        _ => return format("application/pdf", "PDF", None),
    };
    format("application/pdf", name, Some(puid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_original_pdf_is_named_by_its_header_version() {
        assert_eq!(source("x.pdf", b"%PDF-1.4\n").puid, Some("fmt/18"));
        assert_eq!(source("x.pdf", b"not a pdf").puid, None);
        assert_eq!(source("x.PDF", b"%PDF-1.7\n").name, "PDF 1.7");
    }
}
