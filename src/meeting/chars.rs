//! The characters of the meeting file's strings, checked once for the whole file (issue 13):
//!
//! - a one-line field (organ, names, titles, places, roles, parties, … — every string but
//!   the Markdown fields) holds no line break (LF, CR, U+2028, U+2029, NEL, VT, FF) and no
//!   other control character, and at most [`MAX_LINE_CHARS`] characters: an error at the
//!   value. A line break there would push the page footer off the page, or, in a file that
//!   `assemble new` copies, start a line of live TOML; a PDF string (the title, the
//!   outline) may not exceed 32,767 bytes.
//! - in any field, what cannot print (see [`crate::escape::printable`]) is named in a
//!   warning at the value: it is removed or replaced on the way to Typst. A letter that
//!   prints but that the PDF's text layer would repeat ([`crate::escape::text_layer`]) is
//!   named there too.
//!
//! The Markdown fields' unprintable characters are reported by the Markdown converter,
//! which knows their place in the text.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, SourceFile};
use crate::escape::printable::{self, Fate};
use crate::escape::text_layer;

/// The longest one-line field, in characters: room for any real title or name, far from
/// the 32,767-byte limit of a PDF string (a title is written in UTF-16, up to 4 bytes a
/// character).
pub(crate) const MAX_LINE_CHARS: usize = 2000;

/// The keys whose strings are Markdown, in both kinds of meeting file (see `raw.rs` and
/// `raw/namnd.rs`): these may span lines.
const MARKDOWN_KEYS: &[&str] = &[
    "text",
    "closing",
    "reasoning",
    "answer",
    "preceding",
    "anmalningar",
    "beslut",
    "arendet",
    "beslutsgang",
];

/// Every problem with the characters of `file`'s strings (`root`: the file as parsed, with
/// spans into its text): errors for one-line fields, warnings for what cannot print.
pub fn check(file: &SourceFile, root: &DeTable<'_>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    table(file, root, &mut found, &mut text_layer::Letters::default());
    found.sort_by_key(|d| d.location.as_ref().map(|(_, r)| r.start));
    found
}

/// `letters`: the letters with marks shaped so far in the file, each kind once.
fn table(
    file: &SourceFile,
    t: &DeTable<'_>,
    out: &mut Vec<Diagnostic>,
    letters: &mut text_layer::Letters,
) {
    for (key, value) in t.iter() {
        self::value(file, key.get_ref(), value, out, letters);
    }
}

fn value(
    file: &SourceFile,
    key: &str,
    v: &Spanned<DeValue<'_>>,
    out: &mut Vec<Diagnostic>,
    letters: &mut text_layer::Letters,
) {
    match v.get_ref() {
        DeValue::String(s) => string(file, key, s, v.span(), out, letters),
        DeValue::Array(items) => {
            for item in items.iter() {
                value(file, key, item, out, letters);
            }
        }
        DeValue::Table(t) => table(file, t, out, letters),
        _ => {}
    }
}

fn string(
    file: &SourceFile,
    key: &str,
    s: &str,
    span: Range<usize>,
    out: &mut Vec<Diagnostic>,
    letters: &mut text_layer::Letters,
) {
    let markdown = MARKDOWN_KEYS.contains(&key);
    if !markdown {
        if let Some(c) = s.chars().find(|&c| printable::is_line_break(c)) {
            out.push(
                Diagnostic::error(format!(
                    "`{key}` is one line, but holds a line break ({})",
                    code(c)
                ))
                .at(file, place(file, &span, c))
                .with_hint(
                    "write it on one line; text of several lines belongs in a Markdown field such as `text`",
                ),
            );
        } else if let Some(c) = s.chars().find(|&c| c.is_control() && c != '\t') {
            out.push(
                Diagnostic::error(format!(
                    "`{key}` holds {}, which cannot be printed",
                    printable::name(c)
                ))
                .at(file, place(file, &span, c))
                .with_hint("delete it: such invisible characters come with text pasted from e-mail, PDF or Word"),
            );
        }
        let chars = s.chars().count();
        if chars > MAX_LINE_CHARS {
            out.push(
                Diagnostic::error(format!(
                    "`{key}` is {chars} characters long; a one-line field may have at most {MAX_LINE_CHARS}"
                ))
                .at(file, span.clone())
                .with_hint("shorten it; a long text belongs in a Markdown field such as `text`"),
            );
        }
    }
    if markdown {
        // The converter reports these at their place in the Markdown.
        return;
    }
    for f in printable::scan(s, false) {
        if f.c.is_control() {
            continue; // refused above
        }
        out.push(
            Diagnostic::warning(format!("`{key}`: {}", f.message()))
                .at(file, place(file, &span, f.c))
                .with_hint(f.hint()),
        );
        debug_assert!(f.fate != Fate::Keep);
    }
    if let Some(r) = letters.scan(s) {
        let mark = s[r.mark..].chars().next().unwrap_or(' ');
        out.push(
            Diagnostic::warning(format!("`{key}`: {}", r.message()))
                .at(file, place(file, &span, mark))
                .with_hint(text_layer::Repeated::HINT),
        );
    }
}

/// "U+000A": how a character is named in a message.
fn code(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Where `c` is written in the string at `span`: the character itself, or the escape that
/// stands for it (`\n`, `\u001B`, `\U0001F600`, `\e`, `\x1B`); the whole string if neither
/// is found.
pub fn place(file: &SourceFile, span: &Range<usize>, c: char) -> Range<usize> {
    let Some(raw) = file.text.get(span.clone()) else {
        return span.clone();
    };
    let u = c as u32;
    let short = match c {
        '\n' => Some("\\n"),
        '\r' => Some("\\r"),
        '\t' => Some("\\t"),
        '\u{8}' => Some("\\b"),
        '\u{C}' => Some("\\f"),
        '\u{1B}' => Some("\\e"),
        _ => None,
    };
    let mut candidates = vec![
        c.to_string(),
        format!("\\u{u:04X}"),
        format!("\\u{u:04x}"),
        format!("\\U{u:08X}"),
        format!("\\U{u:08x}"),
    ];
    if u < 0x100 {
        candidates.push(format!("\\x{u:02X}"));
        candidates.push(format!("\\x{u:02x}"));
    }
    candidates.extend(short.map(str::to_owned));
    // A line break written as itself may not be in the value: TOML drops the one right after
    // the opening quotes of a multi-line string, and in a basic one a backslash ending a line
    // drops that line's break.
    let multi_basic = raw.starts_with("\"\"\"");
    let opening = if multi_basic || raw.starts_with("'''") {
        3 + ["\r\n", "\n"]
            .iter()
            .find(|nl| raw[3..].starts_with(**nl))
            .map_or(0, |nl| nl.len())
    } else {
        0
    };
    let line_ending_backslash = |at: usize| {
        let before = raw[..at].trim_end_matches([' ', '\t', '\r']);
        // An odd number: the last one escapes the line break (`\\` is a backslash).
        (before.len() - before.trim_end_matches('\\').len()) % 2 == 1
    };
    let in_value = |at: usize| at >= opening && !(multi_basic && line_ending_backslash(at));
    candidates
        .iter()
        .filter_map(|needle| {
            raw.match_indices(needle.as_str())
                .map(|(at, _)| at)
                .find(|&at| needle.chars().count() > 1 || in_value(at))
                .map(|at| (at, needle.len()))
        })
        .min()
        .map_or(span.clone(), |(at, len)| {
            span.start + at..span.start + at + len
        })
}

/// The byte in `toml` where the character at byte `decoded` of a string's value stands, for
/// a string whose content starts at `content_start` (after the opening quotes): escapes
/// (`\n`, `\u00E5`, `\U0001F600`, `\x1B`, a line-ending backslash) are longer in the file
/// than in the value. A literal string (`'…'`, `'''…'''`) is the same in both.
pub(crate) fn source_offset(toml: &str, content_start: usize, decoded: usize) -> usize {
    let basic = toml
        .get(..content_start)
        .map(|before| before.trim_end_matches(['\n', '\r']).ends_with('"'))
        .unwrap_or(false);
    let Some(raw) = toml.get(content_start..) else {
        return content_start + decoded;
    };
    if !basic {
        return content_start + decoded;
    }
    let (mut at, mut value) = (0, 0);
    let bytes = raw.as_bytes();
    while value < decoded && at < bytes.len() {
        if bytes[at] != b'\\' {
            let len = raw[at..].chars().next().map_or(1, char::len_utf8);
            at += len;
            value += len;
            continue;
        }
        let hex = |n: usize| {
            raw.get(at + 2..at + 2 + n)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
                .map_or(1, char::len_utf8)
        };
        match bytes.get(at + 1) {
            Some(b'u') => (at, value) = (at + 6, value + hex(4)),
            Some(b'U') => (at, value) = (at + 10, value + hex(8)),
            Some(b'x') => (at, value) = (at + 4, value + hex(2)),
            Some(b' ' | b'\t' | b'\n' | b'\r') => {
                // A line-ending backslash: the line break and the blanks after it vanish.
                at += 1;
                while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
                    at += 1;
                }
            }
            _ => (at, value) = (at + 2, value + 1),
        }
    }
    content_start + at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let file = SourceFile::new("m.toml", text);
        let root = DeTable::parse(text).expect("TOML");
        check(&file, root.get_ref())
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn a_line_break_in_a_one_line_field_is_refused_at_its_escape() {
        let p = problems("organ = \"FVG\\njusterad = 2020-01-01\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("m.toml:1:13: error: `organ` is one line"),
            "{p:?}"
        );
        let p = problems("[meeting]\nplace = \"Rum\u{2028}2\"\n");
        assert!(
            p[0].contains("m.toml:2:13") && p[0].contains("U+2028"),
            "{p:?}"
        );
    }

    #[test]
    fn a_line_break_in_a_multi_line_string_is_placed_where_it_is_kept() {
        // TOML drops the break right after the opening quotes; the one after "FVG" is kept.
        let p = problems("organ = \"\"\"\nFVG\n\"\"\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("m.toml:2:4: error: `organ` is one line"),
            "{p:?}"
        );
        // A backslash ending a line drops that break too; a literal string keeps its own.
        let p = problems("organ = \"\"\"FVG \\\n  och AMN\n\"\"\"\n");
        assert!(
            p[0].starts_with("m.toml:2:10: error: `organ` is one line"),
            "{p:?}"
        );
        let p = problems("organ = '''\nFVG\nAMN'''\n");
        assert!(
            p[0].starts_with("m.toml:2:4: error: `organ` is one line"),
            "{p:?}"
        );
    }

    #[test]
    fn markdown_fields_may_span_lines_and_controls_elsewhere_are_refused() {
        assert!(problems("text = \"\"\"rad\nrad\"\"\"\n").is_empty());
        let p = problems("[[x]]\nname = \"A\\u001bB\"\n");
        assert!(
            p[0].contains("U+001B") && p[0].contains("m.toml:2:10"),
            "{p:?}"
        );
    }

    #[test]
    fn value_offsets_map_past_escapes() {
        let toml = "text = \"a\\u00e5\\n\\U0001F600b\"";
        let start = toml.find('a').unwrap();
        let b = "aå\n😀".len();
        assert_eq!(&toml[source_offset(toml, start, b)..][..1], "b");
        let literal = "text = 'a\\nb'";
        assert_eq!(source_offset(literal, 8, 3), 11);
    }

    #[test]
    fn a_title_over_the_cap_is_refused_and_noncharacters_warned() {
        let long = "x".repeat(MAX_LINE_CHARS + 1);
        let p = problems(&format!("title = \"{long}\"\n"));
        assert!(p[0].contains("at most 2000"), "{p:?}");
        let p = problems("title = \"a\u{FFFE}b\"\n");
        assert!(p[0].contains("warning") && p[0].contains("U+FFFE"), "{p:?}");
    }
}
