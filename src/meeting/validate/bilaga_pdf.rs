//! A PDF bilaga in the model: its file read and converted by [`crate::bilaga::pdf`] (only
//! inspected, for `check` and for handlingar), its problems reported at the bilaga's `file`
//! key; and [`draw_pages`], the pages of an inspected one drawn for a document that prints
//! them (the meeting pack).

use std::path::PathBuf;
use std::sync::Arc;

use toml::Spanned;

use super::Validator;
use crate::bilaga::pdf::{self, Naming};
use crate::diag::Diagnostic;
use crate::meeting::model::namnd::NamndMeeting;
use crate::meeting::model::{Bilaga, Place};
use crate::meeting::raw::RawBilaga;

/// The hint of a warning about what the renderer could not draw on a page.
const INCOMPLETE: &str = "the page may be shown incomplete; the attached original is complete";

/// "bilaga `id` (`file`): what" — how every problem of a PDF bilaga begins.
fn said(id: &str, rel: &str, what: &str) -> String {
    format!("bilaga `{id}` (`{rel}`): {what}")
}

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
                        said(id, rel, &problem.message()),
                        problem.hint(),
                    );
                    return None;
                }
            };
        for w in &converted.warnings {
            self.warning(file.span(), said(id, rel, w), Some(INCOMPLETE));
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

/// Draws the pages of the PDF bilagor and handlingar of `m` named in `ids` that validation
/// only inspected, through `pages` (the run's page cache): for the meeting pack, the one
/// document that prints a handling's pages (issue 28). What is drawn is what a validation
/// that converts would have made, and its problems are reported where that one reports
/// them, at the file's `file =`: what the renderer could not draw as warnings, a page it
/// cannot draw (or drawings over the meeting's cap) as errors, every file's together.
pub fn draw_pages(
    m: &mut NamndMeeting,
    ids: &[String],
    pages: &pdf::PageOptions,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let cap = crate::bilaga::limits::MEETING_TYPESET_BYTES;
    let mut drawings = 0u64;
    let printed = m
        .handlingar
        .iter_mut()
        .chain(m.bilagor.iter_mut())
        .filter(|b| ids.contains(&b.id));
    for b in printed {
        let Some(place) = b.place.clone() else {
            continue;
        };
        let rel = written(&place);
        let at = |d: Diagnostic| d.at(&place.file, place.span.clone());
        match draw(b, pages) {
            Ok(warnings) => problems.extend(
                warnings
                    .iter()
                    .map(|w| at(Diagnostic::warning(said(&b.id, &rel, w)).with_hint(INCOMPLETE))),
            ),
            Err(problem) => {
                let mut d = at(Diagnostic::error(said(&b.id, &rel, &problem.message())));
                if let Some(hint) = problem.hint() {
                    d = d.with_hint(hint);
                }
                problems.push(d);
                continue;
            }
        }
        // The meeting's cap on what Typst is given, as validation counts drawings.
        let before = drawings;
        drawings += crate::bilaga::limits::page_drawings(&b.assets);
        if cap.over(drawings) && !cap.over(before) {
            let (message, hint) = crate::bilaga::limits::meeting_size_exceeded(&b.id, &rel);
            problems.push(at(Diagnostic::error(message).with_hint(hint)));
        }
    }
    if problems.iter().any(Diagnostic::is_error) {
        Err(problems)
    } else {
        Ok(problems)
    }
}

/// Draws the pages of `b` if it is a PDF whose pages are not drawn yet (its original in its
/// assets): what the renderer could not draw, page by page.
fn draw(b: &mut Bilaga, pages: &pdf::PageOptions) -> Result<Vec<String>, pdf::Problem> {
    let Some(shown) = &b.pdf else {
        return Ok(Vec::new());
    };
    let drawn = |path: &str| b.assets.iter().any(|a| a.virtual_path() == path);
    if shown.pages.iter().all(|p| drawn(&p.path)) {
        return Ok(Vec::new());
    }
    let Some(original) = shown
        .original
        .as_ref()
        .and_then(|o| b.assets.iter().find(|a| a.virtual_path() == o.path))
    else {
        // A public edition's copy, without its original: never drawn from there (the pack
        // draws before the redaction).
        return Err(pdf::Problem::Invalid);
    };
    let file_name = b
        .path
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let naming = Naming {
        number: b.number,
        title: &b.title,
        file_name: &file_name,
    };
    let converted = pdf::prepare(original.bytes.clone(), &naming, pdf::Work::Convert, pages)?;
    b.pdf = Some(converted.pdf);
    b.assets = converted.assets;
    Ok(converted.warnings)
}

/// The file as the meeting file writes it (`file = "…"`): the TOML string at `place`.
fn written(place: &Place) -> String {
    let literal = place.file.text.get(place.span.clone()).unwrap_or_default();
    toml::from_str::<toml::Table>(&format!("f = {literal}"))
        .ok()
        .and_then(|t| t.get("f").and_then(|f| f.as_str()).map(str::to_owned))
        .unwrap_or_else(|| literal.to_owned())
}
