//! Typesetting and export problems placed at the § or bilaga they come from (issues 13, 21).
//!
//! Typst reports a broken image, an SVG it cannot read or a PDF rule a page breaks at the
//! generated source (or nowhere at all), where a secretary cannot act on it. The job knows
//! which ranges of the source each § and bilaga became ([`Part`], from the renderer's marks,
//! whatever the templates call things): a problem in a part's range is moved to where the
//! part is written in the meeting file — a bilaga's `file =` line, named by its id and file
//! and, where the source shows it, the page of a PDF bilaga or the image of a DOCX bilaga; a
//! §'s `title` — and its place in the generated source stays as a note. A problem with no
//! place at all (a limit of the PDF as a whole, such as nesting), in a protocol that draws
//! PDF pages, is placed at the page that nests deepest, as the likely cause, and says so.

use std::ops::Range;
use std::path::Path;

use crate::diag::{Diagnostic, line_col};
use crate::meeting::model::Asset;

use super::{Part, PartOf};

/// Whether `part` (a range) overlaps `range`, or holds it when it is empty.
fn overlaps(part: &Range<usize>, range: &Range<usize>) -> bool {
    if range.is_empty() {
        part.start <= range.start && range.start < part.end
    } else {
        part.start < range.end && range.start < part.end
    }
}

/// The part `range` of the generated source lies in: the one its ranges overlap, when they
/// are all of one § or bilaga (a call that spans several parts belongs to none); of those,
/// the innermost range that holds it all (a Markdown field of the §), else the first.
/// `parts` are in source order, outer ranges first.
pub(super) fn part_at<'a>(parts: &'a [Part], range: &Range<usize>) -> Option<&'a Part> {
    let hits: Vec<&Part> = parts.iter().filter(|p| overlaps(&p.range, range)).collect();
    let first = *hits.first()?;
    if !hits.iter().all(|p| p.of == first.of) {
        return None;
    }
    let holds = |p: &Part| p.range.start <= range.start && range.end <= p.range.end;
    // Of equal ranges the last: a field comes after the part's range it fills.
    hits.into_iter()
        .filter(|p| holds(p))
        .max_by_key(|p| std::cmp::Reverse(p.range.len()))
        .or(Some(first))
}

/// `d`, found at `range` of the generated source `source` (at `generated`), moved to
/// `part`'s place in the meeting file, its message naming the part (and `what` in it: ", page
/// 3"); its place in the generated source becomes a note.
pub(super) fn moved(
    d: Diagnostic,
    part: &Part,
    what: &str,
    source: &str,
    range: &Range<usize>,
    generated: &Path,
) -> Diagnostic {
    let (line, col) = line_col(source, range.start);
    let note = format!(
        "in the generated Typst source at {}:{line}:{col}",
        generated.display()
    );
    // In a Markdown field: at the line of it the markup at `range` comes from.
    let line = part
        .lines
        .iter()
        .take_while(|(m, _)| part.range.start + m <= range.start)
        .last()
        .map(|&(_, s)| s);
    at_part(d, part, what, note, line)
}

/// `d` at `part`'s place (at offset `line` of its file, where known), its message naming
/// the part and `what` in it, with `note`.
fn at_part(
    d: Diagnostic,
    part: &Part,
    what: &str,
    note: String,
    line: Option<usize>,
) -> Diagnostic {
    let message = match &part.of {
        PartOf::Paragraf(n) => format!("§ {n}{what}: {}", d.message),
        PartOf::Bilaga { id, file, .. } => {
            let file = file
                .as_ref()
                .map(|f| format!(" (`{f}`)"))
                .unwrap_or_default();
            format!("bilaga `{id}`{file}{what}: {}", d.message)
        }
    };
    let mut out = Diagnostic {
        message,
        location: None,
        ..d
    };
    if let Some(place) = &part.place {
        let span = match line {
            // From where the line's Markdown begins to the line's end.
            Some(start) if place.file.text.is_char_boundary(start) => {
                let end = place.file.text[start..]
                    .find('\n')
                    .map_or(place.file.text.len(), |e| start + e);
                start..end.min(place.span.end).max(start)
            }
            _ => place.span.clone(),
        };
        out = out.at(&place.file, span);
    }
    out.with_note(note)
}

/// The first range of the part that is `of`.
pub(super) fn part_of(parts: &[Part], of: impl Fn(&PartOf) -> bool) -> Option<&Part> {
    parts.iter().find(|p| of(&p.of))
}

/// An error with no place at all: in a document that draws PDF pages, placed at the page
/// that most likely broke the limit (Typst gives no place for limits of the PDF as a whole,
/// such as "too high q nesting": the nested clips of a page drawn from a PDF). Anything else
/// as it was.
pub(super) fn unplaced(d: Diagnostic, parts: &[Part], assets: &[Asset]) -> Diagnostic {
    if d.location.is_some() || !d.is_error() {
        return d;
    }
    // usvg's "nodes limit" is 1,000,000 elements or 1,024 levels of nesting.
    let by_size = d.message.contains("nodes limit");
    let Some((part, page, shape)) = likely_page(parts, assets, by_size) else {
        return d;
    };
    let PartOf::Bilaga { number, .. } = part.of else {
        return d;
    };
    let note = format!(
        "no place is known: of the pages drawn from PDF files, page {page} of bilaga {number} is the likely one ({} levels deep, {} elements)",
        shape.depth, shape.elements
    );
    at_part(d, part, &format!(", probably page {page}"), note, None).with_hint(
        "export or print that PDF anew (\"print to PDF\", or scan the paper), so that its pages are drawn more simply",
    )
}

/// How an SVG is built: its deepest nesting and its number of elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    depth: usize,
    elements: usize,
}

/// The page drawn from a PDF bilaga (an asset `b2/page-3.svg` of a bilaga among `parts`)
/// most likely to break a limit: the one that nests deepest, or (`by_size`) the one nested
/// past usvg's 1,024 levels, else the one with most elements.
fn likely_page<'a>(
    parts: &'a [Part],
    assets: &[Asset],
    by_size: bool,
) -> Option<(&'a Part, usize, Shape)> {
    assets
        .iter()
        .filter_map(|a| {
            let (bilaga, page) = a.name.strip_prefix('b')?.split_once("/page-")?;
            let number: usize = bilaga.parse().ok()?;
            let page: usize = page.strip_suffix(".svg")?.parse().ok()?;
            let part = part_of(
                parts,
                |of| matches!(of, PartOf::Bilaga { number: n, .. } if *n == number),
            )?;
            Some((part, number, page, shape(&a.bytes)))
        })
        .max_by_key(|&(_, number, page, s)| {
            let key = if by_size {
                (s.depth > 1024, s.elements, s.depth)
            } else {
                (true, s.depth, s.elements)
            };
            (key, std::cmp::Reverse((number, page)))
        })
        .map(|(part, _, page, s)| (part, page, s))
}

/// The shape of an SVG (XML) text, from a scan of its tags (no parse).
fn shape(svg: &[u8]) -> Shape {
    let (mut depth, mut deepest, mut elements) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while let Some(at) = svg[i..].iter().position(|&b| b == b'<') {
        let start = i + at;
        let Some(len) = svg[start..].iter().position(|&b| b == b'>') else {
            break;
        };
        let tag = &svg[start + 1..start + len];
        match tag.first() {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b'?' | b'!') => {}
            _ if tag.last() == Some(&b'/') => elements += 1,
            _ => {
                elements += 1;
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
        i = start + len + 1;
    }
    Shape {
        depth: deepest,
        elements,
    }
}

/// ", page 3" or ", image 2": the page of PDF bilaga `number` or the image of a DOCX one
/// named in the source at the error (the asset paths the tool gives them, `b2/page-3.svg`,
/// `b2/image2.png`), else nothing.
pub(super) fn what(source: &str, range: &Range<usize>, number: usize) -> String {
    let line_end = source[range.end.min(source.len())..]
        .find('\n')
        .map_or(source.len(), |i| range.end + i);
    let Some(text) = source.get(range.start..line_end) else {
        return String::new();
    };
    let prefix = format!("b{number}/");
    let Some(at) = text.find(&prefix) else {
        return String::new();
    };
    let name = &text[at + prefix.len()..];
    let number_after = |p: &str| -> Option<String> {
        let digits: String = name
            .strip_prefix(p)?
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        (!digits.is_empty()).then_some(digits)
    };
    if let Some(n) = number_after("page-") {
        format!(", page {n}")
    } else if let Some(n) = number_after("image") {
        format!(", image {n}")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(range: Range<usize>, of: PartOf) -> Part {
        Part {
            range,
            of,
            place: None,
            lines: Vec::new(),
        }
    }

    #[test]
    fn a_range_belongs_to_the_one_part_it_overlaps() {
        let b = PartOf::Bilaga {
            number: 2,
            id: "x".into(),
            file: None,
        };
        let parts = [
            part(10..20, PartOf::Paragraf(3)),
            part(30..40, PartOf::Paragraf(3)),
            part(50..60, b.clone()),
        ];
        assert_eq!(
            part_at(&parts, &(12..12)).map(|p| &p.of),
            Some(&PartOf::Paragraf(3))
        );
        // A call around both ranges of § 3 is § 3's; one around § 3 and the bilaga, no one's.
        assert_eq!(
            part_at(&parts, &(5..45)).map(|p| &p.of),
            Some(&PartOf::Paragraf(3))
        );
        assert_eq!(part_at(&parts, &(5..55)).map(|p| &p.of), None);
        assert_eq!(part_at(&parts, &(20..30)).map(|p| &p.of), None);
        assert_eq!(part_at(&parts, &(45..51)).map(|p| &p.of), Some(&b));
    }

    #[test]
    fn a_range_in_a_markdown_field_belongs_to_the_field() {
        let field = |range, line| Part {
            lines: vec![(0, line)],
            ..part(range, PartOf::Paragraf(3))
        };
        // The § value that is one field (its range twice: the part's, then the field's), a
        // field of an item inside it.
        let parts = [
            part(10..20, PartOf::Paragraf(3)),
            field(10..20, 1),
            field(12..15, 2),
        ];
        let line = |r: Range<usize>| part_at(&parts, &r).map(|p| p.lines.clone());
        assert_eq!(line(13..14), Some(vec![(0, 2)]));
        assert_eq!(line(11..11), Some(vec![(0, 1)]));
        assert_eq!(line(11..14), Some(vec![(0, 1)]));
        // The part's own range stays first, for what is placed at the part as a whole.
        assert!(
            part_of(&parts, |of| *of == PartOf::Paragraf(3)).is_some_and(|p| p.lines.is_empty())
        );
    }

    #[test]
    fn the_page_or_image_is_read_from_the_asset_path() {
        let source = "#bilaga-pdf(\n  pages: (\"/.protokoll/assets/b2/page-3.svg\",),\n)\n";
        let at = source.find("pages").unwrap();
        assert_eq!(what(source, &(at..at + 5), 2), ", page 3");
        assert_eq!(what(source, &(0..5), 2), "");
    }

    #[test]
    fn shape_counts_elements_and_nesting() {
        let s = shape(b"<?xml?><svg><g><g><path d=\"\"/></g><g/></g></svg>");
        assert_eq!((s.depth, s.elements), (3, 5));
    }
}
