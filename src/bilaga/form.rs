//! The common form every bilaga reader produces besides its markup: in-memory files for the
//! Typst world ([`Asset`]), a PDF bilaga's converted pages ([`PdfPages`]) and the original it
//! attaches ([`Attachment`]). The meeting model carries these; the readers make them.

use std::sync::Arc;

use serde::Serialize;

/// The pages of a PDF bilaga, converted for display, and the original kept beside them.
#[derive(Debug, Clone, Serialize)]
pub struct PdfPages {
    pub pages: Vec<PdfPage>,
    /// `None` in a public edition: the original may carry what its pages do not show (form
    /// values, comments, metadata, attachments, earlier revisions), so only the pages as
    /// drawn are published ([`PdfPages::without_original`]).
    pub original: Option<Attachment>,
}

impl PdfPages {
    /// The pages as drawn, without the original: for a public edition (issue 22). The
    /// original's bytes go from `assets` too, so nothing of it reaches the Typst world.
    pub(crate) fn without_original(&mut self, assets: &mut Vec<Asset>) {
        if let Some(original) = self.original.take() {
            assets.retain(|a| a.virtual_path() != original.path);
        }
    }
}

/// One page of a PDF bilaga: an SVG asset and the page's size in points.
#[derive(Debug, Clone, Serialize)]
pub struct PdfPage {
    /// The asset's Typst path, `/.protokoll/assets/b3/page-1.svg`.
    pub path: String,
    pub width: f64,
    pub height: f64,
    /// "Bilaga 3, sida 2 av 4: Särskilt yttrande" (PDF/UA requires alt text on every image).
    pub alt: String,
}

/// A file attached unchanged to the protocol (PDF/A-3 associated file, relationship "source").
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    /// The name it has in the protocol, `bilaga-3-yttrande.pdf`.
    pub name: String,
    /// The asset holding its bytes.
    pub path: String,
    pub(crate) description: String,
}

/// Bytes served to Typst at [`Asset::virtual_path`], never written to disk.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Unique in the meeting, e.g. `b2/image1.png`; letters, digits, `-`, `_`, `.` and `/`.
    pub name: String,
    pub bytes: Arc<[u8]>,
}

impl Asset {
    /// The root under which assets live in the Typst world; reserved, like the library.
    pub(crate) const ROOT: &'static str = "/.protokoll/assets/";

    /// The absolute Typst path the converted markup uses to load it.
    pub(crate) fn virtual_path(&self) -> String {
        format!("{}{}", Self::ROOT, self.name)
    }
}
