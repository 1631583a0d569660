//! PDF export: archival and accessible (PDF/A-2a + PDF/UA-1; PDF/A-3a + PDF/UA-1 when the
//! protocol carries attached originals), with an identifier and timestamp derived from the
//! meeting, so the same input always gives the same bytes.

use typst::diag::SourceDiagnostic;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::Diagnostic;

/// What identifies a protocol across regenerations.
pub struct Identity {
    /// Stable id, e.g. `protokoll:FVG:2020-09-17`.
    pub ident: String,
    /// The timestamp written into the PDF: the run's (SOURCE_DATE_EPOCH, read by the
    /// commands) if it has one, else the meeting date.
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
        if bilagor
            .iter()
            .any(|b| b.pdf.as_ref().is_some_and(|p| p.original.is_some()))
        {
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

/// Exports the laid-out document to PDF bytes. `locate` turns an export error into ours at
/// its place (Typst gives one for most: the image, the text that breaks a rule).
pub fn pdf(
    document: &PagedDocument,
    identity: &Identity,
    locate: impl Fn(&SourceDiagnostic) -> Diagnostic,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
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
            .map(|e| Diagnostic {
                message: format!("pdf export: {}", e.message),
                ..locate(e)
            })
            .collect()
    })
}
