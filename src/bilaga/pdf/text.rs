//! Every text a PDF bilaga exposes on its pages, by page and channel, for the publication
//! guard (issue 22 item 3): the page's text as a reader's copy gives it — invisible text
//! included, so an OCR layer over a scan is read too — and what a viewer shows besides it:
//! the values of form fields and the text of annotations (a comment, a free text typed onto a
//! form that is not fillable). What the author hid (a NoView field, an annotation whose
//! optional content is off) is not shown, not published, and not returned.

use std::sync::Arc;

use hayro_svg::hayro_syntax::Pdf;
use hayro_svg::hayro_syntax::object::{Array, Dict, Name};

use super::shown::{OptionalContent, annotation_shown, text_string};

/// Where on a page a text is exposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Channel {
    /// The page's text (content stream), visible or not (an OCR layer).
    PageText,
    /// The value (`/V`) of the form field of this name.
    FormField(String),
    /// An annotation's text (`/Contents`) of this kind ("free text", "text (note)").
    Annotation(String),
}

impl Channel {
    /// How a message names it: "the page's text", "form field `personnummer`", "a free text
    /// annotation".
    pub fn name(&self) -> String {
        match self {
            Channel::PageText => "the page's text".into(),
            Channel::FormField(name) => format!("the value of form field `{name}`"),
            Channel::Annotation(kind) => format!("the text of a {kind} annotation"),
        }
    }
}

/// One text a page exposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Exposed {
    /// 1-based.
    pub page: usize,
    pub channel: Channel,
    pub text: String,
}

/// Every text the PDF `bytes` exposes, page by page: the page's text first (one for every
/// page, empty when the page has none), then its fields' values and annotations' texts.
/// `None` when the page text cannot be read at all.
pub(crate) fn exposed(bytes: &[u8]) -> Option<Vec<Exposed>> {
    // pdf-extract is not written for hostile input: a panic is a PDF it cannot read.
    let pages =
        std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes).ok())
            .ok()
            .flatten()?;
    let mut out: Vec<Exposed> = pages
        .into_iter()
        .enumerate()
        .map(|(i, text)| Exposed {
            page: i + 1,
            channel: Channel::PageText,
            text,
        })
        .collect();
    let shown = std::panic::catch_unwind(|| shown_texts(bytes)).unwrap_or_default();
    out.extend(shown);
    out.sort_by_key(|e| e.page);
    Some(out)
}

/// The field values and annotation texts a viewer shows, by page.
fn shown_texts(bytes: &[u8]) -> Vec<Exposed> {
    let Ok(pdf) = Pdf::new(Arc::new(bytes.to_vec())) else {
        return Vec::new();
    };
    let oc = OptionalContent::of(&pdf);
    let mut out = Vec::new();
    for (i, page) in pdf.pages().iter().enumerate() {
        let Some(annots) = page.raw().get::<Array<'_>>(b"Annots") else {
            continue;
        };
        for annot in annots.iter::<Dict<'_>>() {
            if !annotation_shown(&annot, &oc) {
                continue;
            }
            let kind = annot.get::<Name<'_>>(b"Subtype");
            let kind = kind.as_deref().unwrap_or(b"");
            let mut push = |channel, text: String| {
                if !text.trim().is_empty() {
                    out.push(Exposed {
                        page: i + 1,
                        channel,
                        text,
                    });
                }
            };
            if kind == b"Widget" {
                let parent = annot.get::<Dict<'_>>(b"Parent");
                let value = field_value(&annot).or_else(|| parent.as_ref().and_then(field_value));
                if let Some(value) = value {
                    push(Channel::FormField(field_name(&annot)), value);
                }
            }
            if let Some(contents) =
                annot.get::<hayro_svg::hayro_syntax::object::String<'_>>(b"Contents")
            {
                push(
                    Channel::Annotation(kind_name(kind)),
                    text_string(contents.as_bytes()),
                );
            }
        }
    }
    out
}

/// A field's value as text: a string, a name (a chosen state), or the strings of a list.
fn field_value(field: &Dict<'_>) -> Option<String> {
    use hayro_svg::hayro_syntax::object::String as PdfString;
    if let Some(s) = field.get::<PdfString<'_>>(b"V") {
        return Some(text_string(s.as_bytes()));
    }
    if let Some(list) = field.get::<Array<'_>>(b"V") {
        let items: Vec<String> = list
            .iter::<PdfString<'_>>()
            .map(|s| text_string(s.as_bytes()))
            .collect();
        return Some(items.join("\n"));
    }
    None
}

/// The field's full name's last part (`/T`, else its parent's), for messages.
fn field_name(annot: &Dict<'_>) -> String {
    use hayro_svg::hayro_syntax::object::String as PdfString;
    let own = annot.get::<PdfString<'_>>(b"T");
    let parent = || {
        annot
            .get::<Dict<'_>>(b"Parent")
            .and_then(|p| p.get::<PdfString<'_>>(b"T"))
    };
    match own.or_else(parent) {
        Some(t) => text_string(t.as_bytes())
            .chars()
            .filter(|c| !c.is_control())
            .take(60)
            .collect(),
        None => "utan namn".to_owned(),
    }
}

fn kind_name(kind: &[u8]) -> String {
    match kind {
        b"FreeText" => "free text".into(),
        b"Text" => "comment (note)".into(),
        b"" => "unnamed".into(),
        k => String::from_utf8_lossy(k).to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_values_and_annotation_texts_are_exposed_hidden_ones_are_not() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Annots [4 0 R 5 0 R 6 0 R] >> endobj\n\
4 0 obj << /Type /Annot /Subtype /Widget /FT /Tx /T (pnr) /V (850709-1232) /Rect [0 0 10 10] >> endobj\n\
5 0 obj << /Type /Annot /Subtype /FreeText /Contents <FEFF0041> /Rect [0 0 10 10] >> endobj\n\
6 0 obj << /Type /Annot /Subtype /Widget /T (dold) /V (hemlig) /F 32 /Rect [0 0 10 10] >> endobj\n\
trailer << /Root 1 0 R >>\n%%EOF\n";
        let shown = shown_texts(pdf);
        assert_eq!(
            shown
                .iter()
                .map(|e| (e.channel.name(), e.text.as_str()))
                .collect::<Vec<_>>(),
            [
                ("the value of form field `pnr`".to_owned(), "850709-1232"),
                ("the text of a free text annotation".to_owned(), "A"),
            ]
        );
    }
}
