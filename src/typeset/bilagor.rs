//! Typesetting and export errors that come from a bilaga, placed at that bilaga (issue 13).
//!
//! Typst reports a broken image, an SVG it cannot read or a PDF rule a page breaks at the
//! generated source (or nowhere at all), where a secretary cannot act on it. A problem that
//! lies in a bilaga's part of the generated source is moved to the bilaga's `file =` line in
//! the meeting file, named by its id and file and, where the source shows it, the page of a
//! PDF bilaga or the image of a DOCX bilaga; the place in the generated source stays as a
//! note. A problem with no place at all (a limit of the PDF as a whole, such as nesting), in
//! a protocol that draws PDF pages, is placed at the page that nests deepest, as the likely
//! cause, and says so.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, SourceFile, display_path, line_col};
use crate::meeting::model::Bilaga;

/// `errors` with those of a bilaga placed at it, and those of a § text at its `[[paragraf]]`.
/// `meeting` is the meeting file; `generated` the generated source's path (the files
/// Typst's places are in); `paragrafer` the § numbers in the order of the file's
/// `[[paragraf]]` tables.
pub fn place(
    errors: Vec<Diagnostic>,
    meeting: &Path,
    generated: &Path,
    bilagor: &[Bilaga],
    paragrafer: &[u32],
) -> Vec<Diagnostic> {
    if bilagor.is_empty() && paragrafer.is_empty() {
        return errors;
    }
    let Ok(text) = crate::sandbox::read_text(meeting) else {
        return errors;
    };
    let file = SourceFile::new(meeting, text);
    errors
        .into_iter()
        .map(|d| one(d, &file, generated, bilagor, paragrafer))
        .collect()
}

fn one(
    d: Diagnostic,
    meeting: &SourceFile,
    generated: &Path,
    bilagor: &[Bilaga],
    paragrafer: &[u32],
) -> Diagnostic {
    match &d.location {
        Some((source, range)) if source.path == generated => {
            let Some(number) = bilaga_at(&source.text, range.start) else {
                let (line, col) = line_col(&source.text, range.start);
                let generated_at = format!(
                    "in the generated Typst source at {}:{line}:{col}",
                    display_path(generated)
                );
                return match paragraf_at(&source.text, range.start) {
                    Some(n) => at_paragraf(d, meeting, paragrafer, n, generated_at),
                    None => d,
                };
            };
            let Some(b) = bilagor.iter().find(|b| b.number == number) else {
                return d;
            };
            let what = part(&source.text, range, number);
            let (line, col) = line_col(&source.text, range.start);
            let generated_at = format!(
                "in the generated Typst source at {}:{line}:{col}",
                display_path(generated)
            );
            moved(d, meeting, b, &what, generated_at)
        }
        None if d.is_error() => {
            // Typst gives no place for limits of the PDF as a whole ("too high q nesting": the
            // nested clips of a page drawn from a PDF). The page that nests deepest is the
            // likely one.
            // usvg's "nodes limit" is 1,000,000 elements or 1,024 levels of nesting.
            let by_size = d.message.contains("nodes limit");
            let Some((b, page, shape)) = likely_page(bilagor, by_size) else {
                return d;
            };
            let generated_at = format!(
                "no place is known: of the pages drawn from PDF files, page {page} of bilaga {} is the likely one ({} levels deep, {} elements)",
                b.number, shape.depth, shape.elements
            );
            moved(d, meeting, b, &format!(", probably page {page}"), generated_at).with_hint(
                "export or print that PDF anew (\"print to PDF\", or scan the paper), so that its pages are drawn more simply",
            )
        }
        _ => d,
    }
}

/// How an SVG is built: its deepest nesting and its number of elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    depth: usize,
    elements: usize,
}

/// The page of a PDF bilaga most likely to break a limit: the one that nests deepest, or
/// (`by_size`) the one nested past usvg's 1,024 levels, else the one with most elements.
fn likely_page(bilagor: &[Bilaga], by_size: bool) -> Option<(&Bilaga, usize, Shape)> {
    bilagor
        .iter()
        .filter(|b| b.pdf.is_some())
        .flat_map(|b| {
            let prefix = format!("b{}/page-", b.number);
            b.assets.iter().filter_map(move |a| {
                let page = a.name.strip_prefix(&prefix)?.strip_suffix(".svg")?;
                Some((b, page.parse().ok()?, shape(&a.bytes)))
            })
        })
        .max_by_key(|&(b, page, s)| {
            let key = if by_size {
                (s.depth > 1024, s.elements, s.depth)
            } else {
                (true, s.depth, s.elements)
            };
            (key, std::cmp::Reverse((b.number, page)))
        })
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

/// The diagnostic at bilaga `b`'s `file =` (or its `id =`) in the meeting file, its message
/// naming the bilaga and `what` in it.
fn moved(
    d: Diagnostic,
    meeting: &SourceFile,
    b: &Bilaga,
    what: &str,
    generated_at: String,
) -> Diagnostic {
    let (span, file) = bilaga_span(meeting, &b.id).unzip();
    let file = file
        .flatten()
        .map(|f| format!(" (`{f}`)"))
        .unwrap_or_default();
    let message = format!("bilaga `{}`{file}{what}: {}", b.id, d.message);
    let mut out = Diagnostic {
        message,
        location: None,
        ..d
    };
    if let Some(span) = span {
        out = out.at(meeting, span);
    }
    out.with_note(generated_at)
}

/// `d`, a problem of § `number`'s text, moved to its `[[paragraf]]` in the meeting file (its
/// `title`, else the table's first key), when the file's tables are the protocol's §
/// (`paragrafer`, in order); else as it was.
fn at_paragraf(
    d: Diagnostic,
    meeting: &SourceFile,
    paragrafer: &[u32],
    number: u32,
    generated_at: String,
) -> Diagnostic {
    let Some(index) = paragrafer.iter().position(|&n| n == number) else {
        return d;
    };
    let Some(span) = paragraf_span(meeting, index, paragrafer.len()) else {
        return d;
    };
    Diagnostic {
        message: format!("§ {number}: {}", d.message),
        location: None,
        ..d
    }
    .at(meeting, span)
    .with_note(generated_at)
}

/// The span of the `index`-th `[[paragraf]]` table's `title` (else its `typ`, its `number`,
/// its first key's value), when the file has `count` of them.
fn paragraf_span(meeting: &SourceFile, index: usize, count: usize) -> Option<Range<usize>> {
    let root = DeTable::parse(&meeting.text).ok()?;
    let DeValue::Array(list) = root.get_ref().get("paragraf")?.get_ref() else {
        return None;
    };
    if list.len() != count {
        return None;
    }
    let DeValue::Table(t) = list.get(index)?.get_ref() else {
        return None;
    };
    // What names the §: its title, its kind (`typ = "oppnande"`), its number.
    let value = ["title", "typ", "number"]
        .iter()
        .find_map(|k| t.get(*k))
        .or_else(|| t.iter().next().map(|(_, v)| v))?;
    Some(value.span())
}

/// The calls that open a §'s part of the generated source.
const PARAGRAF_CALLS: [&str; 2] = ["\n#paragraf(", "\n#namnd-paragraf("];

/// The calls that open a bilaga's part; bilagor come last (see `templates/bilagor.typ.j2`).
const BILAGA_CALLS: [&str; 2] = ["\n#bilaga(", "\n#bilaga-pdf("];

/// The `number:` of the last of `calls` that opens before `offset` of the generated source:
/// the § or bilaga whose part holds it. At the start of a line: text from the input is
/// escaped (`\#bilaga(`), never there.
fn number_at(source: &str, offset: usize, calls: &[&str]) -> Option<usize> {
    let before = source.get(..offset)?;
    let (at, open) = calls
        .iter()
        .filter_map(|open| before.rfind(open).map(|at| (at, open.len())))
        .max()?;
    let n = source[at + open..].trim_start().strip_prefix("number:")?;
    let digits: String = n
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Where the call of `calls` with `number` opens: the rest of its line (inside its part, as
/// [`place`] reads places).
fn number_opening(source: &str, number: usize, calls: &[&str]) -> Option<Range<usize>> {
    calls.iter().find_map(|open| {
        source.match_indices(open).find_map(|(at, _)| {
            let start = at + open.len();
            let end = source[start..]
                .find('\n')
                .map_or(source.len(), |n| start + n);
            (number_at(source, start, calls) == Some(number)).then_some(start..end)
        })
    })
}

/// The number of the § whose part of the generated source holds `offset`.
fn paragraf_at(source: &str, offset: usize) -> Option<u32> {
    number_at(source, offset, &PARAGRAF_CALLS).and_then(|n| u32::try_from(n).ok())
}

/// Where § `number`'s call opens in the generated source.
pub fn paragraf_opening(source: &str, number: u32) -> Option<Range<usize>> {
    number_opening(source, number as usize, &PARAGRAF_CALLS)
}

/// Whether `offset` of the generated source lies in a bilaga's part of it.
pub fn is_in_a_bilaga(source: &str, offset: usize) -> bool {
    bilaga_at(source, offset).is_some()
}

/// Where bilaga `number`'s part of the generated source opens.
pub fn opening(source: &str, number: usize) -> Option<Range<usize>> {
    number_opening(source, number, &BILAGA_CALLS)
}

/// The number of the bilaga whose part of the generated source holds `offset`.
fn bilaga_at(source: &str, offset: usize) -> Option<usize> {
    number_at(source, offset, &BILAGA_CALLS)
}

/// ", page 3" or ", image 2": the page of a PDF bilaga or the image of a DOCX one named in
/// the source at the error (`b2/page-3.svg`, `b2/image2.png`), else nothing.
fn part(source: &str, range: &Range<usize>, number: usize) -> String {
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

/// The span of the `file` (else the `id`) value of the `[[bilaga]]` with `id`, and its file
/// as written.
fn bilaga_span(meeting: &SourceFile, id: &str) -> Option<(Range<usize>, Option<String>)> {
    let root = DeTable::parse(&meeting.text).ok()?;
    let DeValue::Array(list) = root.get_ref().get("bilaga")?.get_ref() else {
        return None;
    };
    list.iter().find_map(|entry| {
        let DeValue::Table(t) = entry.get_ref() else {
            return None;
        };
        let own = t.get("id")?;
        match own.get_ref() {
            DeValue::String(s) if s.as_ref() == id => {}
            _ => return None,
        }
        let file = t.get("file").and_then(|f| match f.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => None,
        });
        Some((t.get("file").unwrap_or(own).span(), file))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bilaga_and_its_page_are_read_from_the_generated_source() {
        let source = "#paragraf()[x]\n#bilaga(number: 1, title: \"A\")[\ntext\n]\n#bilaga-pdf(\n  number: 2,\n  pages: (\"/.protokoll/assets/b2/page-1.svg\",),\n)\n#image(\"/.protokoll/assets/b2/page-3.svg\")\n";
        assert_eq!(bilaga_at(source, 3), None);
        assert_eq!(bilaga_at(source, source.find("text").unwrap()), Some(1));
        let image = source.find("#image").unwrap();
        assert_eq!(bilaga_at(source, image), Some(2));
        assert_eq!(part(source, &(image..image + 6), 2), ", page 3");
        let one = opening(source, 1).unwrap();
        assert_eq!(&source[one.clone()], "number: 1, title: \"A\")[");
        assert_eq!(bilaga_at(source, one.start), Some(1));
        let two = opening(source, 2).unwrap();
        assert_eq!(bilaga_at(source, two.start), Some(2));
        assert_eq!(opening(source, 3), None);
        // A § part ends where the bilagor begin; a nämnd § writes its number on a line of
        // its own.
        assert_eq!(paragraf_at(source, 3), None);
        let fvg = "#show: x\n#paragraf(number: 4, title: \"A\")[\ntext\n]\n";
        assert_eq!(paragraf_at(fvg, fvg.find("text").unwrap()), Some(4));
        let namnd = "\n#namnd-paragraf(\n  number: 31,\n  title: \"B\",\n)[x]\n";
        assert_eq!(paragraf_at(namnd, namnd.find("title").unwrap()), Some(31));
        let at = paragraf_opening(namnd, 31).unwrap();
        assert_eq!(paragraf_at(namnd, at.start), Some(31));
        assert_eq!(paragraf_opening(namnd, 32), None);
    }

    #[test]
    fn shape_counts_elements_and_nesting() {
        let s = shape(b"<?xml?><svg><g><g><path d=\"\"/></g><g/></g></svg>");
        assert_eq!((s.depth, s.elements), (3, 5));
    }
}
