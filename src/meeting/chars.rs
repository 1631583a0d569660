//! The characters of the meeting file's strings, checked once for the whole file (issue 13):
//!
//! - a one-line field (organ, names, titles, places, roles, parties, … — every string but
//!   the Markdown fields) holds no line break (LF, CR, U+2028, U+2029, NEL, VT, FF) and no
//!   other control character, and at most [`MAX_LINE_CHARS`] characters: an error at the
//!   value. A line break there would push the page footer off the page, or, in a file that
//!   `assemble new` copies, start a line of live TOML; a PDF string (the title, the
//!   outline) may not exceed 32,767 bytes.
//! - in any field, what cannot print (see [`crate::escape::printable`]) is named in a
//!   warning at the value: it is removed or replaced on the way to Typst.
//!
//! The Markdown fields' unprintable characters are reported by the Markdown converter,
//! which knows their place in the text.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, SourceFile};
use crate::escape::printable::{self, Fate};

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
    table(file, root, &mut found);
    found.sort_by_key(|d| d.location.as_ref().map(|(_, r)| r.start));
    found
}

fn table(file: &SourceFile, t: &DeTable<'_>, out: &mut Vec<Diagnostic>) {
    for (key, value) in t.iter() {
        self::value(file, key.get_ref(), value, out);
    }
}

fn value(file: &SourceFile, key: &str, v: &Spanned<DeValue<'_>>, out: &mut Vec<Diagnostic>) {
    match v.get_ref() {
        DeValue::String(s) => string(file, key, s, v.span(), out),
        DeValue::Array(items) => {
            for item in items.iter() {
                value(file, key, item, out);
            }
        }
        DeValue::Table(t) => table(file, t, out),
        _ => {}
    }
}

fn string(file: &SourceFile, key: &str, s: &str, span: Range<usize>, out: &mut Vec<Diagnostic>) {
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
        // A composed character may be written decomposed (`compose`).
        unicode_normalization::UnicodeNormalization::nfd(c.to_string().as_str()).collect(),
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

/// Where the bytes of a composed string's value stand in the file (the value the meeting
/// is read with, [`crate::meeting::compose`]): the escapes of a basic string are longer in
/// the file than in the value, and a letter written decomposed is longer than composed.
/// Asked for offsets in increasing order, it walks the string once.
pub(crate) struct ValueOffsets<'a> {
    /// The file from where the string's content starts (after the opening quotes).
    raw: &'a str,
    content_start: usize,
    basic: bool,
    /// Where the walk stands: a byte of `raw`, the composed bytes before it.
    at: usize,
    walk: crate::meeting::compose::Composed,
}

impl<'a> ValueOffsets<'a> {
    /// For the string of `toml` whose content starts at `content_start`.
    pub fn new(toml: &'a str, content_start: usize) -> Self {
        let basic = toml
            .get(..content_start)
            .is_some_and(|before| before.trim_end_matches(['\n', '\r']).ends_with('"'));
        ValueOffsets {
            raw: toml.get(content_start..).unwrap_or_default(),
            content_start,
            basic,
            at: 0,
            walk: Default::default(),
        }
    }

    /// The byte of the file where byte `composed` of the composed value stands (inside a
    /// letter that composed from several characters: where the letter is written).
    pub fn at(&mut self, composed: usize) -> usize {
        if composed < self.walk.done {
            (self.at, self.walk) = (0, Default::default());
        }
        let mut chars = Decoded {
            raw: self.raw,
            at: self.at,
            basic: self.basic,
        }
        .peekable();
        match self.walk.find(&mut chars, composed) {
            Some(at) => {
                self.at = at;
                self.content_start + at
            }
            None => self.content_start + self.raw.len(),
        }
    }
}

/// The characters of a TOML string's value from byte `at` of `raw` (its content and what
/// follows), each with the byte of `raw` where it is written: an escape stands for one
/// character, a line-ending backslash and the blanks after it for none.
struct Decoded<'a> {
    raw: &'a str,
    at: usize,
    basic: bool,
}

impl Iterator for Decoded<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        loop {
            let start = self.at;
            let rest = self.raw.get(start..)?;
            let c = rest.chars().next()?;
            if !self.basic || c != '\\' {
                self.at += c.len_utf8();
                return Some((start, c));
            }
            let bytes = rest.as_bytes();
            let hex = |n: usize| {
                rest.get(2..2 + n)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                    .unwrap_or(char::REPLACEMENT_CHARACTER)
            };
            let (len, c) = match bytes.get(1) {
                Some(b'u') => (6, hex(4)),
                Some(b'U') => (10, hex(8)),
                Some(b'x') => (4, hex(2)),
                Some(b' ' | b'\t' | b'\n' | b'\r') => {
                    // A line-ending backslash: the line break and the blanks after it vanish.
                    let blanks = bytes[1..].iter().take_while(|b| b.is_ascii_whitespace());
                    self.at += 1 + blanks.count();
                    continue;
                }
                Some(b'n') => (2, '\n'),
                Some(b't') => (2, '\t'),
                Some(b'r') => (2, '\r'),
                Some(b'b') => (2, '\u{8}'),
                Some(b'f') => (2, '\u{C}'),
                Some(b'e') => (2, '\u{1B}'),
                Some(&b) => (2, char::from(b)),
                None => (1, '\\'),
            };
            self.at += len;
            return Some((start, c));
        }
    }
}

/// The byte in `toml` where the character at byte `decoded` of a string's value stands, for
/// a string whose content starts at `content_start` (after the opening quotes): escapes
/// (`\n`, `\u00E5`, `\U0001F600`, `\x1B`, a line-ending backslash) are longer in the file
/// than in the value. A literal string (`'…'`, `'''…'''`) is the same in both. For the value
/// as parsed, not composed (the publication guard reads the file itself); the meeting's
/// composed values are placed with [`ValueOffsets`].
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
    fn composed_offsets_map_past_escapes_and_decomposed_letters() {
        let toml = "text = \"Bjo\u{308}rn A\\u030Asa\\n\\U0001F600 \\\n   slut\"";
        let composed = "Björn Åsa\n😀 slut";
        let start = toml.find('B').unwrap();
        let mut offsets = ValueOffsets::new(toml, start);
        for (needle, written) in [("rn", "rn"), ("Åsa", "A\\u030Asa"), ("😀", "\\U0001F600")] {
            let at = offsets.at(composed.find(needle).unwrap());
            assert!(toml[at..].starts_with(written), "{needle}: {}", &toml[at..]);
        }
        // Asked again from the start, and past the line-ending backslash.
        assert_eq!(offsets.at(0), start);
        assert_eq!(
            &toml[offsets.at(composed.find("slut").unwrap())..],
            "slut\""
        );
        assert_eq!(&toml[offsets.at(composed.len())..], "\"");
        // A literal string has no escapes, but may be decomposed.
        let literal = "text = 'o\u{308}\\n'";
        let mut offsets = ValueOffsets::new(literal, 8);
        assert_eq!(&literal[offsets.at("ö".len())..], "\\n'");
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
