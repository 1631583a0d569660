//! What can print: the rule every text from a meeting file or a bilaga passes before it
//! reaches Typst (issue 13).
//!
//! A character prints when one of the embedded fonts has a glyph for it (see
//! [`crate::fonts::has_glyph`]: Liberation Sans, then the fallback chain for other scripts,
//! symbols and emoji) or when it is a formatting character the text shaper handles without a
//! glyph (zero-width joiners, bidi marks, variation selectors, soft hyphen). What cannot print
//! either has no meaning on paper — C0/C1 control characters, Unicode noncharacters, a byte
//! order mark inside text — and is removed, or has no glyph anywhere (private use, a script
//! no embedded font covers) and is replaced by U+FFFD (�). PDF/A refuses both in a
//! document's text (a `.notdef` glyph, a code point 0, U+FEFF, U+FFFE or from a private use
//! area), which used to stop the whole protocol at export with no place named.
//!
//! The readers report what they remove or replace, at its place, as a warning (the meeting
//! file, a Markdown bilaga, a DOCX bilaga); [`super::markup`] and [`super::string_literal`]
//! apply the rule, so nothing that cannot print reaches Typst by any path.

/// What becomes of a character on its way to Typst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// Printed as it is (also tab and line breaks, which the escaping turns into spaces or
    /// structure).
    Keep,
    /// Dropped: a control character, a noncharacter or a byte order mark.
    Remove,
    /// Printed as U+FFFD: no embedded font has a glyph for it.
    Replace,
}

/// The replacement for a character no font can show.
pub(crate) const REPLACEMENT: char = '\u{FFFD}';

/// The fate of `c` in text that may hold line breaks (Markdown, a bilaga).
pub(crate) fn fate(c: char) -> Fate {
    if c.is_ascii() {
        return match c {
            '\t' | '\n' | '\r' => Fate::Keep,
            c if c.is_ascii_control() => Fate::Remove,
            _ => Fate::Keep,
        };
    }
    if c.is_control() || is_noncharacter(c) || c == '\u{FEFF}' || is_hiding(c) {
        Fate::Remove
    } else if is_private_use(c) {
        // PDF/A forbids private-use code points in text, whatever the font has.
        Fate::Replace
    } else if is_default_ignorable(c) || crate::fonts::has_glyph(c) {
        Fate::Keep
    } else {
        Fate::Replace
    }
}

/// `text` with every character that cannot print removed or replaced (see [`fate`]), as
/// [`super::markup`] and [`super::string_literal`] do it while escaping. Borrows when
/// nothing changes, which is almost always.
#[cfg(test)]
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if text.chars().all(|c| fate(c) == Fate::Keep) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match fate(c) {
                Fate::Keep => Some(c),
                Fate::Remove => None,
                Fate::Replace => Some(REPLACEMENT),
            })
            .collect(),
    )
}

/// One kind of character that cannot print, found in a text: its first place (byte offset)
/// and how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub c: char,
    pub(crate) fate: Fate,
    pub first: usize,
    pub count: usize,
    /// For tag characters, counted as one kind: the ASCII text they spell.
    pub(crate) spelled: String,
}

impl Found {
    /// "removed the control character U+001B (3 times)": lowercase, for a warning.
    pub fn message(&self) -> String {
        let times = if self.count > 1 {
            format!(" ({} times)", self.count)
        } else {
            String::new()
        };
        match self.fate {
            Fate::Remove if is_tag(self.c) => format!(
                "removed {} invisible tag character{} (U+E0000–U+E007F){}: they print nothing, but search, copy and paste and screen readers would read them",
                self.count,
                if self.count == 1 { "" } else { "s" },
                if self.spelled.is_empty() {
                    String::new()
                } else {
                    format!(
                        " spelling “{}”",
                        crate::diag::window(&self.spelled, 0..0, 80)
                    )
                }
            ),
            Fate::Remove if is_hiding(self.c) => format!(
                "removed {}{times}: it prints nothing and would hide text from the paper's readers",
                name(self.c)
            ),
            Fate::Remove => format!("removed {}{times}: it cannot be printed", name(self.c)),
            Fate::Replace | Fate::Keep => format!(
                "{}{times} has no glyph in any embedded font: printed as \u{FFFD}",
                name(self.c)
            ),
        }
    }

    /// Where such characters come from, and what to do.
    pub fn hint(&self) -> &'static str {
        match self.fate {
            Fate::Remove => {
                "text pasted from e-mail, PDF or Word often carries such invisible characters; delete it from the source to silence this"
            }
            Fate::Replace | Fate::Keep => {
                "write it another way, or override the templates with a font that has it (see docs/characters-and-fonts.md)"
            }
        }
    }
}

/// Every kind of character in `text` that cannot print, in order of first occurrence. A byte
/// order mark at the very start of a file is its encoding mark, not text: pass
/// `skip_leading_bom` for whole files.
pub fn scan(text: &str, skip_leading_bom: bool) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut index: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    for (at, c) in text.char_indices() {
        if at == 0 && skip_leading_bom && c == '\u{FEFF}' {
            continue;
        }
        let fate = fate(c);
        if fate == Fate::Keep {
            continue;
        }
        // All tag characters are one kind: what they spell is told once.
        let kind = if is_tag(c) { '\u{E0000}' } else { c };
        let i = *index.entry(kind).or_insert_with(|| {
            found.push(Found {
                c,
                fate,
                first: at,
                count: 0,
                spelled: String::new(),
            });
            found.len() - 1
        });
        found[i].count += 1;
        if is_tag(c) {
            found[i].spelled.push(
                char::from_u32(c as u32 - 0xE0000)
                    .filter(char::is_ascii_graphic)
                    .unwrap_or(' '),
            );
        }
    }
    found
}

/// "the control character U+001B", "the noncharacter U+FFFE", "U+E000".
pub fn name(c: char) -> String {
    let code = format!("U+{:04X}", c as u32);
    if c == '\u{FEFF}' {
        format!("the byte order mark {code}")
    } else if c.is_control() {
        format!("the control character {code}")
    } else if is_noncharacter(c) {
        format!("the noncharacter {code}")
    } else if is_private_use(c) {
        format!("the private-use character {code}")
    } else {
        format!("the character {code} ({c})")
    }
}

/// Is `c` a line break other than `\n`: one that would start a new line inside a one-line
/// field (CR, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR, vertical tab, form feed).
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Invisible format characters with no use in a Swedish protocol, which only hide text from
/// its readers on paper (issue 29: "ASCII smuggling" with tag characters carried a hidden
/// "ABC" into the PDF's text layer and the record): the tag characters (each stands for an
/// ASCII letter that prints nothing), the Hangul fillers, the invisible mathematical
/// operators, the deprecated format characters and the unassigned default-ignorables. The
/// zero-width joiners, bidi marks, variation selectors and the soft hyphen shape real text
/// and stay.
fn is_hiding(c: char) -> bool {
    matches!(
        c as u32,
        0x115F..=0x1160
            | 0x3164
            | 0xFFA0
            | 0x2061..=0x2064
            | 0x206A..=0x206F
            | 0x2065
            | 0xFFF0..=0xFFF8
            | 0xE0000..=0xE00FF
            | 0xE01F0..=0xE0FFF
    )
}

/// The tag characters U+E0000–U+E007F: a hidden copy of ASCII text.
fn is_tag(c: char) -> bool {
    matches!(c as u32, 0xE0000..=0xE007F)
}

/// Unicode noncharacters: U+FDD0..U+FDEF and the last two code points of every plane.
fn is_noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt), less U+FEFF: shaped
/// without a glyph, so no font needs one.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    #[test]
    fn control_noncharacters_and_bom_are_removed_private_use_replaced() {
        assert_eq!(clean("a\u{0}b\u{1b}c\u{9f}d"), "abcd");
        assert_eq!(clean("x\u{FFFE}\u{FFFF}\u{FDD0}\u{1FFFF}y"), "xy");
        assert_eq!(clean("\u{FEFF}Rubrik"), "Rubrik");
        assert_eq!(clean("logo \u{E000}"), "logo \u{FFFD}");
        assert_eq!(clean("rad\tett\nrad två\r\n"), "rad\tett\nrad två\r\n");
    }

    #[test]
    fn what_the_fonts_cover_is_kept() {
        for text in [
            "😀 ☐☒✓→€",
            "Ωμέγα Жизнь",
            "مرحبا עברית",
            "zero\u{200B}width\u{200D}",
        ] {
            assert!(matches!(clean(text), Cow::Borrowed(_)), "{text:?}");
        }
    }

    #[test]
    fn scan_counts_each_kind_once_at_its_first_place() {
        let found = scan("\u{FEFF}a\u{1b}b\u{1b}c\u{FFFE}", true);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].c, found[0].first, found[0].count),
            ('\u{1b}', 4, 2)
        );
        assert!(found[0].message().contains("U+001B (2 times)"));
        assert_eq!(found[1].c, '\u{FFFE}');
    }

    /// Issue 29 (R19): tag characters print nothing but carry hidden ASCII text.
    #[test]
    fn tag_characters_are_removed_and_what_they_spell_is_told() {
        assert_eq!(clean("OK\u{E0041}\u{E0042}\u{E0043}"), "OK");
        assert_eq!(clean("a\u{3164}b"), "ab");
        let found = scan("OK\u{E0041}\u{E0042}\u{E0043}", false);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].first, 2);
        assert!(found[0].message().contains("3 invisible tag characters"));
        assert!(
            found[0].message().contains("“ABC”"),
            "{}",
            found[0].message()
        );
        // What shapes real text stays.
        assert_eq!(
            clean("zero\u{200B}width\u{200D}\u{00AD}\u{FE0F}"),
            "zero\u{200B}width\u{200D}\u{00AD}\u{FE0F}"
        );
    }
}
