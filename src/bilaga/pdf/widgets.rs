//! Filled forms in PDF bilagor: a widget annotation whose normal appearance depends on its
//! state (a checkbox or radio button: `/AP /N << /Yes … /Off … >>`, the state in `/AS`) is
//! drawn as viewers draw it (issue 12 kind 9). hayro draws only an appearance that is a
//! stream; so, for the copy hayro renders (never the attached original), each such widget
//! gets a new version whose `/AP /N` is the stream of its state, written as a PDF
//! incremental update (ISO 32000-1 §7.5.6: new object versions and an xref section that
//! points back to the previous one). A field with no appearance to draw is named in a
//! warning with its page, since a viewer would show it and the page here does not.

use std::collections::HashSet;

use hayro_svg::hayro_syntax::Pdf;
use hayro_svg::hayro_syntax::object::{Array, Dict, Name, ObjectIdentifier, Rect, Stream};

use super::shown::Update;

/// The most widgets rewritten in one file (a form has tens; the update is linear in them).
const MAX_WIDGETS: usize = 10_000;

/// The bytes hayro should render (`None`: the original as it is) and what cannot be drawn.
#[cfg(test)]
pub(crate) fn with_state_appearances(pdf: &Pdf, original: &[u8]) -> (Option<Vec<u8>>, Vec<String>) {
    let (updates, mut warnings) = state_updates(pdf, &HashSet::new());
    if updates.is_empty() {
        return (None, warnings);
    }
    match incremental_update(pdf, original, &updates) {
        Some(bytes) => (Some(bytes), warnings),
        None => {
            warnings.push(format!(
                "{} ticked or chosen form field(s) cannot be drawn in this file's structure (the attached original shows them)",
                updates.len()
            ));
            (None, warnings)
        }
    }
}

/// The new versions of the widgets whose state has an appearance, and what of the form cannot
/// be drawn. Widgets in `hidden` (left out by [`super::shown`]) are not touched.
pub(crate) fn state_updates(
    pdf: &Pdf,
    hidden: &HashSet<ObjectIdentifier>,
) -> (Vec<Update>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut updates: Vec<Update> = Vec::new();
    for (i, page) in pdf.pages().iter().enumerate() {
        let Some(annots) = page.raw().get::<Array<'_>>(b"Annots") else {
            continue;
        };
        for (id, annot) in super::shown::annotations(pdf, &annots) {
            if annot.get::<Name<'_>>(b"Subtype").as_deref() != Some(b"Widget".as_slice()) {
                continue;
            }
            // Hidden (flag 2) or NoView (flag 32): a viewer does not show it either.
            let flags = annot.get::<u32>(b"F").unwrap_or(0);
            if flags & (2 | 32) != 0 || id.is_some_and(|id| hidden.contains(&id)) {
                continue;
            }
            let name = field_name(&annot);
            let ap = annot.get::<Dict<'_>>(b"AP");
            let normal = ap.as_ref().and_then(|ap| ap.get::<Stream<'_>>(b"N"));
            if let Some(normal) = normal {
                if !drawable(&normal) && field_has_value(&annot) {
                    warnings.push(format!(
                        "page {}: the appearance of form field `{name}` is broken (no /BBox, or not decodable) and is not drawn (the attached original keeps its value)",
                        i + 1
                    ));
                }
                continue;
            }
            let states = ap.as_ref().and_then(|ap| ap.get::<Dict<'_>>(b"N"));
            let Some(states) = states else {
                if field_has_value(&annot) {
                    warnings.push(format!(
                        "page {}: form field `{name}` has no appearance of its own and is not drawn (the attached original keeps its value)",
                        i + 1
                    ));
                }
                continue;
            };
            let state = annot.get::<Name<'_>>(b"AS");
            let chosen = state.as_ref().and_then(|s| states.get_ref(s.as_ref()));
            let Some(chosen) = chosen else {
                // No appearance for its state (usually Off without one): viewers show nothing.
                continue;
            };
            // hayro draws no form without a `/BBox` (pdf.js corpus: a ticked checkbox whose
            // states are bare content streams); poppler and Acrobat do. Named, not lost.
            let broken = state
                .as_ref()
                .and_then(|s| states.get::<Stream<'_>>(s.as_ref()))
                .is_none_or(|s| !drawable(&s));
            if broken {
                warnings.push(format!(
                    "page {}: the state of form field `{name}` cannot be drawn (the attached original shows it)",
                    i + 1
                ));
                continue;
            }
            let (Some(id), Some(rect)) = (id, annot.get::<Rect>(b"Rect")) else {
                warnings.push(format!(
                    "page {}: the state of form field `{name}` cannot be drawn (the attached original shows it)",
                    i + 1
                ));
                continue;
            };
            if updates.len() >= MAX_WIDGETS {
                warnings.push(format!(
                    "page {}: more than {MAX_WIDGETS} form fields; the rest are drawn without their state",
                    i + 1
                ));
                break;
            }
            let dict = format!(
                "<< /Type /Annot /Subtype /Widget /F {flags} /Rect [{} {} {} {}] /AP << /N {} {} R >> >>",
                num(rect.x0),
                num(rect.y0),
                num(rect.x1),
                num(rect.y1),
                chosen.obj_number,
                chosen.gen_number
            );
            updates.push((id.obj_number, id.gen_number, dict));
        }
    }
    (updates, warnings)
}

/// Whether hayro can draw the appearance stream: it has a `/BBox` and its data decodes.
fn drawable(stream: &Stream<'_>) -> bool {
    stream.dict().get::<[f32; 4]>(b"BBox").is_some() && stream.decoded().is_ok()
}

fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.3}")
    } else {
        "0".into()
    }
}

/// The field's name (`/T`, else its parent's), for warnings.
fn field_name(annot: &Dict<'_>) -> String {
    let own = annot.get::<hayro_svg::hayro_syntax::object::String<'_>>(b"T");
    let parent = || {
        annot
            .get::<Dict<'_>>(b"Parent")
            .and_then(|p| p.get::<hayro_svg::hayro_syntax::object::String<'_>>(b"T"))
    };
    match own.or_else(parent) {
        Some(t) => String::from_utf8_lossy(t.as_bytes())
            .chars()
            .filter(|c| !c.is_control())
            .take(60)
            .collect(),
        None => "utan namn".to_owned(),
    }
}

/// Whether the field (or its parent) holds a value a viewer would show.
fn field_has_value(annot: &Dict<'_>) -> bool {
    annot.contains_key(b"V")
        || annot
            .get::<Dict<'_>>(b"Parent")
            .is_some_and(|p| p.contains_key(b"V"))
}

/// A stream object's body for an update (every update is text): the dictionary entries
/// `entries` (any `/Filter` or `/Length` among them is overridden: the last of two equal keys
/// is the one read) and `data`, hex-encoded.
pub(crate) fn hex_stream(entries: &str, data: &[u8]) -> String {
    let mut hex = String::with_capacity(data.len() * 2 + data.len() / 32 + 2);
    for (i, b) in data.iter().enumerate() {
        if i > 0 && i % 64 == 0 {
            hex.push('\n');
        }
        hex.push_str(&format!("{b:02x}"));
    }
    hex.push('>');
    format!(
        "<< {entries} /Filter /ASCIIHexDecode /Length {} >>\nstream\n{hex}\nendstream",
        hex.len() + 1
    )
}

/// `original` with the new object versions appended and an xref section pointing back to
/// the last one; `None` when the file has no usable trailer to chain to, or is encrypted
/// (new objects would need its key).
pub(crate) fn incremental_update(
    pdf: &Pdf,
    original: &[u8],
    updates: &[Update],
) -> Option<Vec<u8>> {
    let prev = last_startxref(original)?;
    if prev >= original.len() || contains(original, b"/Encrypt") {
        return None;
    }
    let root = pdf.xref().root_id();
    let size = updates
        .iter()
        .map(|(n, ..)| *n)
        .max()
        .unwrap_or(0)
        .max(declared_size(original).unwrap_or(0) - 1)
        + 1;
    let mut out = original.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets = Vec::with_capacity(updates.len());
    for (n, g, dict) in updates {
        offsets.push((*n, *g, out.len()));
        out.extend_from_slice(format!("{n} {g} obj\n{dict}\nendobj\n").as_bytes());
    }
    let xref = out.len();
    let mut table = String::from("xref\n");
    let mut sorted = offsets.clone();
    sorted.sort();
    sorted.dedup_by_key(|(n, ..)| *n);
    for (n, g, off) in sorted {
        table.push_str(&format!("{n} 1\n{off:010} {g:05} n \n"));
    }
    table.push_str(&format!(
        "trailer\n<< /Size {size} /Root {} {} R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n",
        root.obj_number, root.gen_number
    ));
    out.extend_from_slice(table.as_bytes());
    Some(out)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The offset after the last `startxref`.
fn last_startxref(data: &[u8]) -> Option<usize> {
    let needle = b"startxref";
    let at = data.windows(needle.len()).rposition(|w| w == needle)?;
    let rest =
        std::str::from_utf8(&data[at + needle.len()..(at + needle.len() + 24).min(data.len())])
            .ok()?;
    rest.split_whitespace().next()?.parse().ok()
}

/// The first object number no object of `data` uses: past the largest `/Size` a trailer or
/// xref stream declares and past every `N G obj` written in the bytes.
pub(crate) fn free_object_number(data: &[u8]) -> i32 {
    let mut max = declared_size(data).unwrap_or(1) - 1;
    let mut from = 0;
    while let Some(p) = data[from..].windows(4).position(|w| w == b" obj") {
        let at = from + p;
        from = at + 4;
        // `N G obj`: back over the generation and the number.
        let before = &data[at.saturating_sub(24)..at];
        let text = String::from_utf8_lossy(before);
        let mut parts = text.rsplit(|c: char| c.is_whitespace());
        let (Some(g), Some(n)) = (parts.next(), parts.next()) else {
            continue;
        };
        if g.bytes().all(|b| b.is_ascii_digit())
            && let Ok(n) = n
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .parse::<i32>()
        {
            max = max.max(n);
        }
    }
    max.saturating_add(1).max(1)
}

/// The largest `/Size` a trailer or xref stream declares.
fn declared_size(data: &[u8]) -> Option<i32> {
    let needle = b"/Size";
    let mut best = None;
    let mut from = 0;
    while let Some(p) = data[from..].windows(needle.len()).position(|w| w == needle) {
        let at = from + p + needle.len();
        let digits: String = data[at..(at + 16).min(data.len())]
            .iter()
            .map(|&b| b as char)
            .skip_while(|c| c.is_whitespace())
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(n) = digits.parse::<i32>() {
            best = Some(best.map_or(n, |b: i32| b.max(n)));
        }
        from = at;
    }
    best
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use hayro_svg::hayro_interpret::InterpreterSettings;
    use hayro_svg::{RenderCache, SvgRenderSettings};

    use super::*;

    /// The case of ../shared/cases/bilagor/pdf-form-checkbox: a ticked checkbox (`/AS /Yes`).
    const TICKED: &[u8] = include_bytes!("../../../tests/fixtures/cases/pdf-form-checkbox/m/b.pdf");

    fn svg(bytes: Vec<u8>) -> String {
        let pdf = Pdf::new(Arc::new(bytes)).unwrap();
        hayro_svg::convert(
            &pdf.pages()[0],
            &RenderCache::new(),
            &InterpreterSettings::default(),
            &SvgRenderSettings::default(),
        )
    }

    #[test]
    fn a_ticked_checkbox_gets_the_appearance_of_its_state() {
        let pdf = Pdf::new(Arc::new(TICKED.to_vec())).unwrap();
        let (updated, warnings) = with_state_appearances(&pdf, TICKED);
        assert!(warnings.is_empty(), "{warnings:?}");
        let updated = updated.expect("the widget is rewritten");
        assert!(
            updated.starts_with(TICKED),
            "an incremental update: the original is kept"
        );
        let (before, after) = (svg(TICKED.to_vec()), svg(updated));
        assert!(
            after.matches("<path").count() > before.matches("<path").count(),
            "the box and its cross are drawn: {} paths before, {} after",
            before.matches("<path").count(),
            after.matches("<path").count()
        );
    }

    #[test]
    fn a_pdf_without_state_appearances_is_left_as_it_is() {
        let plain = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
        let pdf = Pdf::new(Arc::new(plain.to_vec())).unwrap();
        let (updated, warnings) = with_state_appearances(&pdf, plain);
        assert!(updated.is_none() && warnings.is_empty());
    }
}
