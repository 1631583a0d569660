//! Imported chunks (`w:altChunk`, ECMA-376 §17.17.2.1): a part in another format that Word
//! converts when it opens the document. HTML and plain-text chunks keep their text, one
//! paragraph per block; any other format (RTF, MHT, a nested DOCX) is named in a warning, so
//! nothing Word would show goes silently (issue 12 kind 3).

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Error;
use super::body::Walker;
use super::runs::Format;
use super::xml::Element;

/// The most text kept from one chunk; more is named in a warning (a chunk is a part of
/// the archive, already capped by its size limits; this keeps one chunk from dominating).
const MAX_CHARS: usize = 1_000_000;

impl Walker<'_, '_> {
    pub(super) fn alt_chunk(&mut self, e: &Element) -> Result<(), Error> {
        self.close_lists(0);
        let para = self.state.paragraph;
        let rel = e
            .attr("r:id")
            .and_then(|id| self.rels.get(id))
            .filter(|r| !r.external);
        let Some(rel) = rel else {
            self.warnings.push(format!(
                "after paragraph {para}: an imported chunk (altChunk) refers to no part of the document and is left out"
            ));
            return Ok(());
        };
        let part = rel.part.clone();
        let Some(bytes) = self.zip.read(&part)? else {
            self.warnings.push(format!(
                "after paragraph {para}: imported chunk `{part}` is missing and is left out"
            ));
            return Ok(());
        };
        let lower = part.to_ascii_lowercase();
        let text = decode(&bytes);
        let head: String = text.chars().take(512).collect::<String>().to_lowercase();
        let paragraphs = if lower.ends_with(".txt") {
            plain_paragraphs(&text)
        } else if lower.ends_with(".htm")
            || lower.ends_with(".html")
            || lower.ends_with(".xhtml")
            || head.contains("<html")
            || head.contains("<!doctype html")
        {
            html_paragraphs(&text)
        } else {
            self.warnings.push(format!(
                "after paragraph {para}: imported chunk `{part}` is in a format that is not read (only HTML and plain text are) and is left out; open the document in Word and save it again to merge it"
            ));
            return Ok(());
        };
        let total: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
        if total > MAX_CHARS {
            self.warnings.push(format!(
                "after paragraph {para}: imported chunk `{part}` has {total} characters, more than the {MAX_CHARS} read; it is left out"
            ));
            return Ok(());
        }
        for p in paragraphs {
            self.driver.event(Event::Start(Tag::Paragraph));
            self.text(&p, Format::default());
            self.driver.event(Event::End(TagEnd::Paragraph));
        }
        // Its formatting, tables and images are not carried: say so.
        self.warnings.push(format!(
            "after paragraph {para}: imported chunk `{part}` is shown as plain text"
        ));
        Ok(())
    }
}

/// UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 as Latin-1.
fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let utf16 = |le: bool, rest: &[u8]| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(true, rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(false, rest);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

fn plain_paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The text of an HTML document, one string per block (`p`, `div`, `li`, headings, table
/// rows, `br`): tags dropped, `script`/`style` and comments left out, entities decoded.
pub(super) fn html_paragraphs(html: &str) -> Vec<String> {
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "hr",
        "body",
        "title",
        "dt",
        "dd",
    ];
    let mut out = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    let flush = |current: &mut String, out: &mut Vec<String>| {
        let p = current
            .split_ascii_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !p.is_empty() {
            out.push(p);
        }
        current.clear();
    };
    while let Some(lt) = rest.find('<') {
        current.push_str(&entities(&rest[..lt]));
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !tag.starts_with('/') && (name == "script" || name == "style" || name == "head") {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&close) {
                Some(i) => &rest[i..],
                None => "",
            };
            // (A `head`'s title is not shown by Word either.)
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            flush(&mut current, &mut out);
        } else if name == "td" || name == "th" {
            current.push(' ');
        }
    }
    current.push_str(&entities(rest));
    flush(&mut current, &mut out);
    out
}

/// Decodes the HTML entities a word processor writes: the XML five, `&nbsp;`, numeric ones,
/// and Swedish letters; an unknown one stays as written.
fn entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            "aring" => Some('å'),
            "Aring" => Some('Å'),
            "auml" => Some('ä'),
            "Auml" => Some('Ä'),
            "ouml" => Some('ö'),
            "Ouml" => Some('Ö'),
            "eacute" => Some('é'),
            "ndash" => Some('–'),
            "mdash" => Some('—'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32)
                .filter(|c| !c.is_control() || c.is_whitespace()),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_chunk_text_by_block_without_script_and_comments() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body><p>Ett &amp; <b>två</b></p><!-- dold --><script>x()</script><div>Tre&nbsp;fyra&#229;</div>fem</body></html>";
        assert_eq!(
            html_paragraphs(html),
            vec!["Ett & två", "Tre\u{a0}fyraå", "fem"]
        );
    }

    #[test]
    fn plain_text_paragraphs() {
        assert_eq!(plain_paragraphs("a\nb\n\n\nc"), vec!["a b", "c"]);
    }
}
