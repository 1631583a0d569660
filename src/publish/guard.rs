//! The guard: before a web edition is written, every text that goes into it is scanned for
//! personnummer and samordningsnummer ([`super::personnummer`]). One that is not withheld is
//! an error at its place, and no web edition is written. The official protocol is not
//! checked: it is the full record.
//!
//! What is scanned: the meeting file's text (every field: names, titles, Markdown; comments
//! are not published and are skipped), Markdown bilagor at their own line and column, DOCX
//! bilagor (body and footnotes, as converted) by bilaga, and a PDF bilaga's text page by page
//! (a PDF with a page without text — a scan — must also be reviewed and marked `publiceras =
//! true`, or withheld). Text inside a
//! `{sekretess:…}` span, a withheld § or a withheld bilaga is not published and not scanned.

use std::ops::Range;

use crate::diag::{Diagnostic, SourceFile};
use crate::meeting::Protocol;
use crate::meeting::model::Bilaga;

use super::personnummer::{self, Context, Found};
use super::redact::Withholding;
use super::source::{BilagaSource, Source};
use super::{marks, markup_text};

const HINT: &str = "withhold it with {sekretess:personuppgift}…{/sekretess} (or mask it: \
                    YYMMDD-XXXX); a DOCX bilaga: give it the character style \"Sekretess\"";

/// Every unwithheld personnummer or samordningsnummer in what the web edition would carry,
/// and every PDF bilaga neither reviewed nor withheld. `meeting` is the meeting file as read,
/// `source` what it says about publication, `protocol` its official validated model.
pub fn check(
    meeting: &SourceFile,
    source: &Source,
    protocol: &Protocol,
    w: &Withholding,
    context: &Context,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let skip = withheld_regions(&meeting.text, source, w);
    let kept = kept_of_withheld(source, w);
    // The values as parsed, not the file as written: a TOML escape (`\u2011`, a
    // line-ending backslash) prints as its character. Comments are not values.
    for (span, value) in strings(&meeting.text) {
        let withheld = skip
            .iter()
            .any(|r| r.start <= span.start && span.end <= r.end);
        if withheld && !kept.contains(&span) {
            continue;
        }
        let content_start = span.start + opening_len(&meeting.text[span.clone()]);
        for f in scan(&value, context) {
            let start =
                crate::meeting::chars::source_offset(&meeting.text, content_start, f.range.start);
            let end =
                crate::meeting::chars::source_offset(&meeting.text, content_start, f.range.end);
            let range = if start < end && end <= span.end {
                start..end
            } else {
                span.clone()
            };
            let written = value[f.range.clone()].to_string();
            problems.push(found_error(meeting, &written, range, f.kind, None));
        }
    }
    for b in protocol.bilagor() {
        if !w.bilagor.contains_key(&b.id) {
            problems.extend(bilaga(meeting, b, source.bilaga(&b.id), w, context));
        }
    }
    problems
}

/// Every string value of a TOML text, with its span (quotes included); keys and comments are
/// not values. A text that does not parse gives none (the load reports it).
fn strings(toml: &str) -> Vec<(Range<usize>, String)> {
    use toml::de::{DeTable, DeValue};
    fn value(v: &toml::Spanned<DeValue<'_>>, out: &mut Vec<(Range<usize>, String)>) {
        match v.get_ref() {
            DeValue::String(s) => out.push((v.span(), s.to_string())),
            DeValue::Array(items) => items.iter().for_each(|i| value(i, out)),
            DeValue::Table(t) => table(t, out),
            _ => {}
        }
    }
    fn table(t: &DeTable<'_>, out: &mut Vec<(Range<usize>, String)>) {
        for (_, v) in t.iter() {
            value(v, out);
        }
    }
    let mut out = Vec::new();
    if let Ok(t) = DeTable::parse(toml) {
        table(t.get_ref(), &mut out);
    }
    out
}

/// The length of a string's opening quotes in the file, with the line break TOML drops right
/// after `"""` / `'''`.
fn opening_len(raw: &str) -> usize {
    if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3 + ["\r\n", "\n"]
            .iter()
            .find(|nl| raw[3..].starts_with(**nl))
            .map_or(0, |nl| nl.len())
    } else {
        1
    }
}

/// What stays published of a withheld § or bilaga, and so is scanned: a §'s `webbtitel` (or
/// its title when it has none), its diarienummer and reason; a bilaga's title and reason.
fn kept_of_withheld(source: &Source, w: &Withholding) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (i, p) in source.paragrafer.iter().enumerate() {
        if let Some(x) = w.paragrafer.get(&i) {
            out.extend(
                p.webbtitel
                    .clone()
                    .or_else(|| p.title.as_ref().map(|(_, span)| span.clone())),
            );
            out.push(x.span.clone());
            out.extend(p.diarienummer.iter().cloned());
        }
    }
    for b in &source.bilagor {
        if let Some(x) = w.bilagor.get(&b.id) {
            out.push(b.title_span.clone());
            out.push(x.span.clone());
        }
    }
    out
}

/// Numbers in `text` that are not inside a marked span.
fn scan(text: &str, context: &Context) -> Vec<Found> {
    let (spans, _) = marks::spans(text);
    personnummer::find_in(text, context)
        .into_iter()
        .filter(|f| !marks::is_withheld(&spans, &f.range))
        .collect()
}

fn found_error(
    file: &SourceFile,
    written: &str,
    range: Range<usize>,
    kind: personnummer::Kind,
    bilaga: Option<&Bilaga>,
) -> Diagnostic {
    let message = match bilaga {
        Some(b) => format!(
            "bilaga {} ({}) contains a {} ({}) that is not withheld: no web edition is written",
            b.number,
            b.title,
            kind.name(),
            masked(written)
        ),
        None => format!(
            "a {} ({}) that is not withheld: no web edition is written",
            kind.name(),
            masked(written)
        ),
    };
    Diagnostic::error(message).at(file, range).with_hint(HINT)
}

/// A PDF bilaga: every text its pages expose ([`crate::bilaga::pdf::text::exposed`]: the page
/// text, an OCR layer included, the values of form fields and the texts of annotations) is
/// scanned, whether or not the bilaga was reviewed (`publiceras = true`): a number found is an
/// error naming the page and the channel. A page without text (a scan) cannot be checked, so
/// such a bilaga — or one whose text cannot be read at all — is published only once
/// reviewed. Errors at the bilaga's `file =` line (its `id` line when it has none).
fn pdf_bilaga(
    meeting: &SourceFile,
    b: &Bilaga,
    file_span: Range<usize>,
    reviewed: bool,
    context: &Context,
) -> Vec<Diagnostic> {
    use crate::bilaga::pdf::text::Channel;
    let exposed = b
        .path
        .as_ref()
        .and_then(|path| std::fs::read(path).ok())
        .and_then(|bytes| crate::bilaga::pdf::text::exposed(&bytes));
    let mut problems = Vec::new();
    let mut unreadable = exposed.is_none();
    for e in exposed.iter().flatten() {
        if e.channel == Channel::PageText && e.text.trim().is_empty() {
            unreadable = true;
        }
        for f in scan(&e.text, context) {
            problems.push(
                Diagnostic::error(format!(
                    "bilaga {} ({}) contains on page {} a {} ({}) in {}: no web edition is written",
                    b.number,
                    b.title,
                    e.page,
                    f.kind.name(),
                    masked(&e.text[f.range.clone()]),
                    e.channel.name()
                ))
                .at(meeting, file_span.clone())
                .with_hint("withhold the bilaga with `sekretess = \"…\"`, or publish a copy with the number masked (cleared from the form field or comment)"),
            );
        }
    }
    if unreadable && !reviewed {
        problems.push(
            Diagnostic::error(format!(
                "bilaga {} ({}) is a PDF with pages whose text cannot be read (scanned): it is not published until it is reviewed",
                b.number, b.title
            ))
            .at(meeting, file_span)
            .with_hint("after reviewing it, add `publiceras = true` to the bilaga; or withhold it with `sekretess = \"OSL 26 kap. 1 §\"`"),
        );
    }
    problems
}

/// "811218-XXXX": the number as a message may show it, its last four digits hidden however
/// they are written ("811218-98 76" is "811218-XX XX", not "811218-9XXXX").
fn masked(written: &str) -> String {
    // The digits as read: a number written with full-width digits or a soft hyphen is
    // shown plainly, and a multi-byte character is never cut.
    let read = super::normalise::normalise(written).text;
    let mut hide = 4;
    let mut out: Vec<char> = read
        .chars()
        .rev()
        .map(|c| {
            if hide > 0 && c.is_ascii_digit() {
                hide -= 1;
                'X'
            } else {
                c
            }
        })
        .collect();
    out.reverse();
    out.into_iter().collect()
}

/// The checks of the handlingar a public meeting pack carries (issue 26), each as a
/// published bilaga's: those withheld (`sekretess`) are not in it.
pub(crate) fn handlingar(
    meeting: &SourceFile,
    official: &crate::meeting::Protocol,
    w: &Withholding,
    context: &Context,
) -> Vec<Diagnostic> {
    let crate::meeting::Protocol::Namnd(m) = official else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for h in m
        .handlingar
        .iter()
        .filter(|h| !w.handlingar.contains_key(&h.id))
    {
        let span = h.place.as_ref().map_or(0..0, |p| p.span.clone());
        if h.pdf.is_some() {
            out.extend(pdf_bilaga(
                meeting,
                h,
                span,
                w.publiceras.contains(&h.id),
                context,
            ));
        } else {
            out.extend(bilaga(meeting, h, None, w, context));
        }
    }
    out
}

/// The checks of one published bilaga.
fn bilaga(
    meeting: &SourceFile,
    b: &Bilaga,
    source: Option<&BilagaSource>,
    w: &Withholding,
    context: &Context,
) -> Vec<Diagnostic> {
    let id_span = source.map_or(0..0, |r| r.id_span.clone());
    if b.pdf.is_some() {
        let file_span = source.and_then(|r| r.file_span.clone()).unwrap_or(id_span);
        return pdf_bilaga(meeting, b, file_span, w.publiceras.contains(&b.id), context);
    }
    let Some(path) = &b.path else {
        // Yrkanden given as structure: their text is in the meeting file, scanned there.
        return Vec::new();
    };
    let is_markdown = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    if is_markdown {
        let Ok(text) = std::fs::read_to_string(path) else {
            return vec![
                Diagnostic::error(format!(
                    "bilaga {} could not be read again for the check",
                    b.number
                ))
                .at(meeting, id_span),
            ];
        };
        let file = SourceFile::new(path.clone(), text);
        let mut out: Vec<Diagnostic> = scan(&file.text, context)
            .into_iter()
            .map(|f| {
                let written = file.text[f.range.clone()].to_string();
                found_error(&file, &written, f.range, f.kind, Some(b))
            })
            .collect();
        out.extend(markdown_images(meeting, &file, b, context));
        return out;
    }
    // DOCX (and any other converted format): the converted text, body and footnotes, with the
    // spans styled "Sekretess" left out. Its place is the bilaga.
    let text = markup_text(&b.body.0, false);
    let mut finds: Vec<(&str, Found)> = personnummer::find_in(&text, context)
        .into_iter()
        .map(|f| (text.as_str(), f))
        .collect();
    // What the converted markup carries besides its text — an image's alt text, a link's
    // target — is published too (the PDF's tags and links): the markup itself, its withheld
    // spans emptied, is scanned as well, each number once.
    let shown = super::redact::markup::withhold_spans(&b.body.0).unwrap_or_default();
    let digits = |t: &str, r: &Range<usize>| -> String {
        t[r.clone()].chars().filter(char::is_ascii_digit).collect()
    };
    for f in personnummer::find_in(&shown, context) {
        let d = digits(&shown, &f.range);
        if !finds.iter().any(|(t, g)| digits(t, &g.range) == d) {
            finds.push((shown.as_str(), f));
        }
    }
    let file_span = source
        .and_then(|r| r.file_span.clone())
        .unwrap_or(id_span.clone());
    let mut out = docx_images(meeting, b, path, file_span.clone(), context);
    out.extend(finds.into_iter().map(|(text, f)| {
            Diagnostic::error(format!(
                "bilaga {} ({}, `{}`) contains a {} ({}) that is not withheld: no web edition is written",
                b.number,
                b.title,
                path.display(),
                f.kind.name(),
                masked(&text[f.range.clone()])
            ))
            .at(meeting, file_span.clone())
            .with_hint(format!(
                "{HINT}; the text around it: “{}”",
                around(text, &f.range)
            ))
    }));
    out
}

const IMAGE_HINT: &str = "the image's metadata is published with it: save the picture again \
                          without the comment or the EXIF text (e.g. `exiftool -Comment= \
                          -UserComment= -ImageDescription= FILE`), or withhold the bilaga";

/// Every JPEG a Markdown bilaga shows: what it carries besides its pixels
/// ([`super::image_meta`]) is published with it, and a number there is an error at the
/// image's place in the bilaga. Images resolve as the bilaga's converter resolves them
/// (beside the bilaga, inside the meeting's folder); one that does not is the converter's
/// error, not this check's.
fn markdown_images(
    meeting: &SourceFile,
    file: &SourceFile,
    b: &Bilaga,
    context: &Context,
) -> Vec<Diagnostic> {
    use pulldown_cmark::{Event, Parser, Tag};
    let folder = meeting
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let Ok(sandbox) = crate::sandbox::Sandbox::new(folder) else {
        return Vec::new();
    };
    let base = file.path.parent().unwrap_or(sandbox.root()).to_path_buf();
    // An image inside a marked span is withheld with it: not published, not read.
    let (spans, _) = marks::spans(&file.text);
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(&file.text, crate::markdown::options()).into_offset_iter()
    {
        let Event::Start(Tag::Image { dest_url, .. }) = event else {
            continue;
        };
        if marks::is_withheld(&spans, &range) {
            continue;
        }
        // The bilaga's path is as shown (below the folder as named), not canonical.
        let joined = base.join(dest_url.as_ref());
        let real = sandbox
            .below(&joined)
            .and_then(|rel| sandbox.resolve(&rel.to_string_lossy()).ok());
        let Some(bytes) = real.and_then(|r| crate::sandbox::read_file(&r).ok()) else {
            continue;
        };
        for carried in super::image_meta::jpeg_texts(&bytes) {
            for f in personnummer::find_in(&carried.text, context) {
                out.push(
                    Diagnostic::error(format!(
                        "bilaga {} ({}) shows image `{dest_url}`, which carries a {} ({}) in {}: no web edition is written",
                        b.number,
                        b.title,
                        f.kind.name(),
                        masked(&carried.text[f.range.clone()]),
                        carried.channel
                    ))
                    .at(file, range.clone())
                    .with_hint(IMAGE_HINT),
                );
            }
        }
    }
    dedup_messages(out)
}

/// Every JPEG a DOCX bilaga's converted markup shows as it is (its assets): a number in
/// what it carries besides its pixels is an error at the bilaga's `file =` line, naming the
/// image's part in the document's package (`word/media/image1.jpeg`).
fn docx_images(
    meeting: &SourceFile,
    b: &Bilaga,
    path: &std::path::Path,
    file_span: Range<usize>,
    context: &Context,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Only the images the web edition shows: one in a run styled Sekretess is withheld.
    let shown = super::redact::markup::withhold_spans(&b.body.0).unwrap_or_default();
    for asset in b
        .assets
        .iter()
        .filter(|a| shown.contains(&a.virtual_path()))
    {
        for carried in super::image_meta::jpeg_texts(&asset.bytes) {
            for f in personnummer::find_in(&carried.text, context) {
                let part = crate::sandbox::read_file(path)
                    .ok()
                    .and_then(|docx| crate::bilaga::docx::media_part(&docx, &asset.bytes))
                    .map_or_else(|| "an image".to_string(), |p| format!("image `{p}`"));
                out.push(
                    Diagnostic::error(format!(
                        "bilaga {} ({}, `{}`) shows {part}, which carries a {} ({}) in {}: no web edition is written",
                        b.number,
                        b.title,
                        path.display(),
                        f.kind.name(),
                        masked(&carried.text[f.range.clone()]),
                        carried.channel
                    ))
                    .at(meeting, file_span.clone())
                    .with_hint(IMAGE_HINT),
                );
            }
        }
    }
    dedup_messages(out)
}

/// The same message once (a number read in more than one way of decoding a segment).
fn dedup_messages(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in found {
        if !out.iter().any(|o| o.message == d.message) {
            out.push(d);
        }
    }
    out
}

/// A few words either side of a range, for finding the place in Word; the number masked.
fn around(text: &str, range: &Range<usize>) -> String {
    let mut start = range.start.saturating_sub(40);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (range.end + 40).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!(
        "{}{}{}",
        text[start..range.start].trim_start(),
        masked(&text[range.clone()]),
        text[range.end..end].trim_end()
    )
    .replace('\n', " ")
}

/// The TOML text with every comment (from a `#` outside a string to the end of its line)
/// turned into spaces, so byte offsets stay those of the file. Linear in the text.
pub(crate) fn blank_comments(toml: &str) -> String {
    const BASIC: &str = "\"\"\"";
    const LITERAL: &str = "'''";
    let mut out = String::with_capacity(toml.len());
    // Inside a multi-line string that runs over lines: its closing delimiter.
    let mut multiline: Option<&str> = None;
    for line in toml.split_inclusive('\n') {
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut quote: Option<u8> = None;
        let mut comment_at = None;
        while i < bytes.len() {
            if let Some(delim) = multiline {
                if bytes[i..].starts_with(delim.as_bytes()) {
                    multiline = None;
                    i += 3;
                } else {
                    i += if bytes[i] == b'\\' && delim == BASIC {
                        2
                    } else {
                        1
                    };
                }
                continue;
            }
            match (quote, bytes[i]) {
                (None, b'#') => {
                    comment_at = Some(i);
                    break;
                }
                (None, b'"' | b'\'') => {
                    let delim = if bytes[i] == b'"' { BASIC } else { LITERAL };
                    if bytes[i..].starts_with(delim.as_bytes()) {
                        multiline = Some(delim);
                        i += 3;
                        continue;
                    }
                    quote = Some(bytes[i]);
                }
                (Some(b'"'), b'\\') => i += 1,
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            i += 1;
        }
        match comment_at {
            Some(at) => {
                let end = line.trim_end_matches(['\n', '\r']).len();
                out.push_str(&line[..at]);
                out.extend(std::iter::repeat_n(' ', end - at));
                out.push_str(&line[end..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Whether a line starting at `line_start` lies inside a `"""`/`'''` string (an odd number
/// of triple quotes before it).
fn inside_multiline_string(toml: &str, line_start: usize) -> bool {
    let before = &toml[..line_start];
    (before.matches("\"\"\"").count() + before.matches("'''").count()) % 2 == 1
}

/// The parts of the meeting file a withheld § or bilaga covers: from its `[[paragraf]]` /
/// `[[bilaga]]` header to the next such header. When the headers cannot be matched to the
/// entries (another way of writing the tables), nothing is skipped: the guard errs on the
/// side of reporting.
pub(crate) fn withheld_regions(toml: &str, source: &Source, w: &Withholding) -> Vec<Range<usize>> {
    let headers = table_headers(toml);
    let paragrafer: Vec<&Range<usize>> = headers
        .iter()
        .filter(|(k, _)| *k == "paragraf")
        .map(|(_, r)| r)
        .collect();
    let bilagor: Vec<&Range<usize>> = headers
        .iter()
        .filter(|(k, _)| *k == "bilaga")
        .map(|(_, r)| r)
        .collect();
    let n_paragrafer = source.paragrafer.len();
    let bilaga_ids: Vec<&str> = source.bilagor.iter().map(|b| b.id.as_str()).collect();
    let mut out = Vec::new();
    if paragrafer.len() == n_paragrafer {
        for (i, x) in &w.paragrafer {
            let r = paragrafer[*i];
            if r.contains(&x.span.start) {
                out.push(r.clone());
            }
        }
    }
    if bilagor.len() == bilaga_ids.len() {
        for (i, id) in bilaga_ids.iter().enumerate() {
            if let Some(x) = w.bilagor.get(*id)
                && bilagor[i].contains(&x.span.start)
            {
                out.push(bilagor[i].clone());
            }
        }
    }
    out
}

/// The top-level array-of-tables entries `[[paragraf]]` and `[[bilaga]]`, each with the
/// byte range to the next top-level `[[paragraf]]`/`[[bilaga]]` or plain `[table]` header.
fn table_headers(toml: &str) -> Vec<(&'static str, Range<usize>)> {
    let mut starts: Vec<(Option<&'static str>, usize)> = Vec::new();
    let mut offset = 0;
    for line in toml.split_inclusive('\n') {
        let t = line.trim();
        if !inside_multiline_string(toml, offset) {
            let kind = match t {
                "[[paragraf]]" => Some(Some("paragraf")),
                "[[bilaga]]" => Some(Some("bilaga")),
                _ if t.starts_with('[')
                    && !t.starts_with("[[paragraf.")
                    && !t.starts_with("[paragraf.")
                    && !t.starts_with("[[bilaga.")
                    && !t.starts_with("[bilaga.") =>
                {
                    Some(None)
                }
                _ => None,
            };
            if let Some(k) = kind {
                starts.push((k, offset));
            }
        }
        offset += line.len();
    }
    let mut out = Vec::new();
    for (i, (k, start)) in starts.iter().enumerate() {
        if let Some(k) = k {
            let end = starts.get(i + 1).map_or(toml.len(), |(_, s)| *s);
            out.push((*k, *start..end));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_number_hides_its_last_four_digits_however_spaced() {
        assert_eq!(masked("811218-9876"), "811218-XXXX");
        assert_eq!(masked("811218-98 76"), "811218-XX XX");
        assert_eq!(masked("8112 18-9876"), "8112 18-XXXX");
        assert_eq!(masked("198112189876"), "19811218XXXX");
    }

    #[test]
    fn comments_are_blanked_and_strings_kept() {
        let t = "a = \"x\" # 811218-9876\n# {sekretess:x}\nb = \"# 811218-9876\"\nc = \"\"\"\nrad # 811218-9876\n\"\"\" # k\n";
        let b = blank_comments(t);
        assert_eq!(b.len(), t.len());
        let hits = personnummer::find(&b).len();
        assert_eq!(hits, 2, "{b}");
        assert!(!b.contains("sekretess") && !b.contains("# k"), "{b}");
        assert!(b.contains("b = \"# 811218-9876\"") && b.contains("rad # 811218-9876"));
    }

    #[test]
    fn table_regions_run_to_the_next_entry() {
        let t = "[meeting]\nx=1\n[[paragraf]]\na=1\n[[paragraf.forslag]]\nb=2\n[[paragraf]]\nc=3\n[[bilaga]]\nd=4\n";
        let h = table_headers(t);
        let kinds: Vec<&str> = h.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, ["paragraf", "paragraf", "bilaga"]);
        assert!(t[h[0].1.clone()].contains("b=2"));
        assert!(!t[h[0].1.clone()].contains("c=3"));
    }
}
