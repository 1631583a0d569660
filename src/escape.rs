//! The only two ways text from a meeting file or a bilaga reaches Typst source: as escaped
//! markup, or as a string literal. Nothing else may splice input into generated Typst, and
//! both let through only what can print ([`printable`]).

pub(crate) mod printable;
pub(crate) mod text_layer;

use printable::Fate;

/// Characters that start Typst markup syntax somewhere: a backslash before each makes it
/// literal. `/` because `//` starts a comment, `:` and `/` also stop automatic URL links,
/// `.` `-` `+` `=` cover list, enum and heading markers and `...`/`--` shorthands, `~` is a
/// non-breaking space shorthand, `;` because right after a call (`#link(…)[bilaga 1];`) it
/// would end the call and vanish, `'` and `"` are left alone so quotes become Swedish smart
/// quotes.
pub(crate) const MARKUP_SPECIAL: &[char] = &[
    '\\', '#', '*', '_', '`', '$', '<', '>', '@', '[', ']', '~', '/', '=', '-', '+', '.', ':', ';',
];

/// Escapes text so that Typst prints it literally in markup. Line breaks become spaces:
/// a value from a single-line field must not start a new paragraph or list item. What
/// cannot print is removed or replaced ([`printable::fate`]).
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match printable::fate(c) {
            Fate::Keep => {}
            Fate::Remove => continue,
            Fate::Replace => {
                out.push(printable::REPLACEMENT);
                continue;
            }
        }
        match c {
            '\r' => {}
            // Typst's markup takes LINE and PARAGRAPH SEPARATOR as line breaks too.
            '\n' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if MARKUP_SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            // Other control characters have no place in a protocol; Typst would reject some.
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A Typst string literal (with quotes) holding exactly `text`, less what cannot print
/// ([`printable::fate`]).
pub(crate) fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        let c = match printable::fate(c) {
            Fate::Keep => c,
            Fate::Remove => continue,
            Fate::Replace => printable::REPLACEMENT,
        };
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_every_code_and_markup_start() {
        let escaped = markup("#import \"x.typ\": * $x$ <z> @w // c");
        assert_eq!(
            escaped,
            "\\#import \"x\\.typ\"\\: \\* \\$x\\$ \\<z\\> \\@w \\/\\/ c"
        );
    }

    #[test]
    fn markup_turns_newlines_into_spaces() {
        assert_eq!(markup("a\n= b\r\n- c"), "a \\= b \\- c");
    }

    #[test]
    fn string_literal_escapes_quotes_and_backslashes() {
        assert_eq!(string_literal("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(string_literal("rad\nny"), "\"rad\\nny\"");
    }
}
