//! PDF export: archival and accessible (PDF/A-2a + PDF/UA-1; PDF/A-3a + PDF/UA-1 when the
//! protocol carries attached originals), with an identifier and timestamp derived from the
//! meeting, so the same input always gives the same bytes.

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::Diagnostic;

/// What identifies a protocol across regenerations.
pub struct Identity {
    /// Stable id, e.g. `protokoll:FVG:2020-09-17`.
    pub ident: String,
    /// The timestamp written into the PDF: SOURCE_DATE_EPOCH if set, else the meeting date.
    pub timestamp: time::Date,
    /// The standards the PDF is exported under (and claims in its XMP).
    pub conformance: Conformance,
}

/// Which archival standard a protocol is exported under. Typst checks the document against
/// it at export, so the PDF claims exactly what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conformance {
    /// PDF/A-2a + PDF/UA-1: no attachments (PDF/A-2 refuses them).
    A2,
    /// PDF/A-3a + PDF/UA-1: the same, plus attached originals (PDF bilagor) as associated
    /// files. Only used when needed: PDF/A-2 is the more widely accepted archival format.
    A3,
}

impl Conformance {
    /// The conformance a protocol with these bilagor needs: A-3 only if it attaches files
    /// (the originals of PDF bilagor).
    pub fn for_bilagor(bilagor: &[crate::meeting::model::Bilaga]) -> Self {
        if bilagor.iter().any(|b| b.pdf.is_some()) {
            Conformance::A3
        } else {
            Conformance::A2
        }
    }

    fn standards(self) -> &'static [PdfStandard] {
        match self {
            Conformance::A2 => &[PdfStandard::A_2a, PdfStandard::Ua_1],
            Conformance::A3 => &[PdfStandard::A_3a, PdfStandard::Ua_1],
        }
    }
}

/// Exports the laid-out document to PDF bytes.
pub fn pdf(document: &PagedDocument, identity: &Identity) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let standards = PdfStandards::new(identity.conformance.standards())
        .map_err(|e| vec![Diagnostic::error(format!("pdf standards: {}", e.message()))])?;
    let d = identity.timestamp;
    let datetime =
        Datetime::from_ymd(d.year(), u8::from(d.month()), d.day()).expect("a valid date");
    let options = PdfOptions {
        ident: Smart::Custom(identity.ident.clone()),
        creator: Smart::Custom(Some(format!("protokoll {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(datetime)),
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|errors| {
        errors
            .iter()
            .map(|e| {
                let vpath = e
                    .span
                    .id()
                    .map(|id| id.get().vpath().get_with_slash().to_owned());
                let place = vpath.as_deref().and_then(asset_place).unwrap_or_default();
                let mut d = Diagnostic::error(format!("pdf export: {place}{}", e.message));
                for h in &e.hints {
                    d = d.with_hint(h.v.to_string());
                }
                d
            })
            .collect()
    })
}

/// Where an export error's span lies, when it is a file a bilaga brought (an image of a
/// DOCX, a page of a PDF): "bilaga 2 (`image1.jpg`): ", so the message names the bilaga
/// (issue 12: no export error without a location). Such files are served under
/// [`crate::meeting::model::Asset::ROOT`] as `bN/…`.
fn asset_place(vpath: &str) -> Option<String> {
    let rest = vpath.strip_prefix(crate::meeting::model::Asset::ROOT)?;
    let (dir, file) = rest.split_once('/')?;
    let number: usize = dir.strip_prefix('b')?.parse().ok()?;
    Some(format!("bilaga {number} (`{file}`): "))
}

/// The clock for a meeting: SOURCE_DATE_EPOCH when the build sets one, else the given date.
pub fn clock(fallback: time::Date) -> time::Date {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .map(|t| t.date())
        .unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_error_in_a_bilaga_asset_names_the_bilaga() {
        let root = crate::meeting::model::Asset::ROOT;
        assert_eq!(
            asset_place(&format!("{root}b2/image1.jpg")).as_deref(),
            Some("bilaga 2 (`image1.jpg`): ")
        );
        assert_eq!(asset_place("/main.typ"), None);
    }
}
