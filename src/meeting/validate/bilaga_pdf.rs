//! A PDF bilaga in the model: its file read and converted by [`crate::bilaga::pdf`] (only
//! inspected, for `check`), its problems reported at the bilaga's `file` key.

use std::path::PathBuf;
use std::sync::Arc;

use toml::Spanned;

use super::Validator;
use crate::bilaga::pdf::{self, Naming};
use crate::meeting::model::Bilaga;
use crate::meeting::raw::RawBilaga;

impl Validator {
    /// The bilaga for a `.pdf` file, or `None` after reporting why it cannot be used.
    pub(super) fn pdf_bilaga(
        &mut self,
        raw: &RawBilaga,
        file: &Spanned<String>,
        number: usize,
        title: String,
        path: PathBuf,
        bytes: Vec<u8>,
    ) -> Option<Bilaga> {
        let rel = file.get_ref();
        let id = raw.id.get_ref();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let naming = Naming {
            number,
            title: &title,
            file_name: &file_name,
        };
        let converted =
            match pdf::prepare(Arc::from(bytes), &naming, self.pdf_work, &self.pdf_pages) {
                Ok(c) => c,
                Err(problem) => {
                    self.error(
                        file.span(),
                        format!("bilaga `{id}` (`{rel}`): {}", problem.message()),
                        problem.hint(),
                    );
                    return None;
                }
            };
        for w in &converted.warnings {
            self.warning(
                file.span(),
                format!("bilaga `{id}` (`{rel}`): {w}"),
                Some("the page may be shown incomplete; the attached original is complete"),
            );
        }
        if raw.signature.is_some() {
            // The signature of a PDF is on its own pages; printing ours as well would put
            // text on a page that is the original's.
            self.warning(
                raw.signature.as_ref().map_or(file.span(), |s| s.span()),
                format!("bilaga `{id}` is a PDF: its `signature` is not printed"),
                Some("the PDF's own pages carry its signature; remove the key"),
            );
        }
        Some(Bilaga {
            id: id.clone(),
            number,
            title,
            from: raw.from.clone().filter(|f| !f.trim().is_empty()),
            path: Some(path),
            body: Default::default(),
            yrkanden: None,
            signature: None,
            assets: converted.assets,
            pdf: Some(converted.pdf),
            place: self.place(file.span()),
        })
    }
}
