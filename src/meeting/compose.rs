//! The meeting file's text read composed (Unicode NFC, UAX #15), once, as it is loaded.
//!
//! A letter can be written whole (`ö`, U+00F6) or as its base and a combining mark (`o` +
//! U+0308), as macOS, some PDFs and copy-pastes give it. The two are canonically
//! equivalent: the same text, drawn the same, and a secretary cannot see which one a line
//! holds. Read as written, a name typed one way in the attendance and the other at a
//! justerare, a jäv or a vote was an unknown person, and the outputs (the PDF's text layer,
//! the record, the site's person pages and search index) held two spellings of one name.
//! So every string of the meeting file and of `husstil.toml` is composed to NFC between
//! the parse and the shape the file is read into: every comparison, every output and the
//! hyphenation then see one spelling.
//!
//! A `file = "…"` is a path, and is kept byte for byte: a file system that keeps both forms
//! apart (Linux) names the file only as written.
//!
//! The spans stay the file's: a composed string keeps the span of the string as written,
//! and a place inside it is mapped back to the file through [`Composed`]
//! (`meeting::chars::ValueOffsets`).

use std::borrow::Cow;

use toml::de::{DeTable, DeValue};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The keys whose strings name a file on disk (a bilaga's, a handling's): not composed.
const PATH_KEYS: &[&str] = &["file"];

/// Composes every string value of `t`, in its tables and arrays, to NFC; paths
/// ([`PATH_KEYS`]) excepted. Spans and keys are left as they are (every key of a meeting
/// file is ASCII: a key written otherwise is unknown either way).
pub(crate) fn table(t: &mut DeTable<'_>) {
    for (key, value) in t.iter_mut() {
        if !PATH_KEYS.contains(&key.get_ref().as_ref()) {
            self::value(value.get_mut());
        }
    }
}

fn value(v: &mut DeValue<'_>) {
    match v {
        DeValue::String(s) => {
            if let Some(c) = composed(s) {
                *s = Cow::Owned(c);
            }
        }
        DeValue::Array(items) => items.iter_mut().for_each(|i| value(i.get_mut())),
        DeValue::Table(t) => table(t),
        _ => {}
    }
}

/// `s` in NFC, when that differs from `s` (nothing is allocated for text already composed,
/// which is almost all), [`KEPT`] excepted.
pub(crate) fn composed(s: &str) -> Option<String> {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return None;
    }
    let c = nfc(s);
    (c != s).then_some(c)
}

/// The characters composing leaves as they are: canonical singletons (a character NFC
/// replaces by another one, UAX #15) that print in the embedded fonts while the one NFC
/// gives does not. U+2329 and U+232A, the angle brackets 〈 〉, become U+3008 and U+3009,
/// which no embedded font has: composed, a text that printed would print U+FFFD. (Of every
/// code point, these two are the only ones: `fonts::tests` checks it.)
pub(crate) const KEPT: &[char] = &['\u{2329}', '\u{232A}'];

/// `s` in NFC, but for the characters of [`KEPT`], which stay: every piece between them is
/// composed on its own. They are starters that nothing composes with (nothing before them
/// joins them, and a mark after one has nothing to join with in NFC either), so the pieces
/// compose as the whole would, and each is as long in UTF-8 as its image (three bytes), so
/// places map as through NFC ([`Composed`]).
pub(crate) fn nfc(s: &str) -> String {
    if !s.contains(KEPT) {
        return s.nfc().collect();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(KEPT) {
        out.extend(rest[..at].nfc());
        let kept = rest[at..].chars().next().unwrap_or_default();
        out.push(kept);
        rest = &rest[at + kept.len_utf8()..];
    }
    out.extend(rest.nfc());
    out
}

/// Whether NFC never joins `c` to what stands before it: a starter that no composition
/// takes as its second part (UAX #15, "Detecting Normalization Forms": NFC_Quick_Check=Yes
/// and canonical combining class 0). Text splits before such a character into pieces that
/// compose each on their own.
fn boundary_before(c: char) -> bool {
    canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

/// Walks a text as written and its NFC form side by side, piece by piece (each piece ends
/// before a [`boundary_before`] character), to find where a byte of the composed text
/// stands in the written one. The written characters come with their places, so the same
/// walk serves a TOML string whose escapes are longer in the file than in the value.
#[derive(Clone, Debug, Default)]
pub(crate) struct Composed {
    /// Bytes of the composed text walked so far (all whole pieces).
    pub done: usize,
    /// A piece's characters, reused from piece to piece.
    piece: String,
}

impl Composed {
    /// The place of the piece of `chars` (the written characters from the current piece's
    /// start, each with its place) that holds byte `composed` of the composed text, or the
    /// place of the first character after it when it is the end of a piece; `None` when
    /// `chars` ends before. `self.done` is then the composed bytes before that place:
    /// calling again with the rest of the characters from that place goes on from there.
    pub fn find<P: Copy>(
        &mut self,
        chars: &mut std::iter::Peekable<impl Iterator<Item = (P, char)>>,
        composed: usize,
    ) -> Option<P> {
        loop {
            let &(start, first) = chars.peek()?;
            if self.done >= composed {
                return Some(start);
            }
            chars.next();
            self.piece.clear();
            self.piece.push(first);
            while let Some(&(_, c)) = chars.peek() {
                if boundary_before(c) {
                    break;
                }
                self.piece.push(c);
                chars.next();
            }
            let len = if self.piece.len() == first.len_utf8() && boundary_before(first) {
                first.len_utf8() // one character that is its own NFC
            } else {
                self.piece.nfc().map(char::len_utf8).sum()
            };
            if self.done + len > composed {
                // Inside a piece that composed into fewer characters: its start.
                return Some(start);
            }
            self.done += len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Byte `composed` of the NFC of `written`, as a byte of `written`.
    fn written_at(written: &str, composed: usize) -> usize {
        let mut chars = written.char_indices().peekable();
        Composed::default()
            .find(&mut chars, composed)
            .unwrap_or(written.len())
    }

    /// [`KEPT`] is exactly the characters that print in the embedded fonts while their NFC
    /// does not: a font added or changed that prints U+3008 (or stops printing another
    /// singleton's image) shows here.
    #[test]
    fn kept_are_the_singletons_whose_composed_form_cannot_print() {
        let losing: Vec<char> = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes)
            .filter(|&c| {
                let n: String = std::iter::once(c).nfc().collect();
                crate::fonts::has_glyph(c) && !n.chars().all(crate::fonts::has_glyph)
            })
            .collect();
        assert_eq!(losing, KEPT);
        assert_eq!(
            nfc("\u{2329}o\u{308}\u{232A}A\u{30A}"),
            "\u{2329}ö\u{232A}Å"
        );
        assert_eq!(composed("\u{2329}x\u{232A}"), None);
    }

    #[test]
    fn strings_are_composed_but_paths_kept_and_spans_unchanged() {
        let text = "name = \"Bjo\u{308}rn\"\nlist = [\"A\\u030Asa\"]\n\
                    [[bilaga]]\nfile = \"bilagor/o\u{308}versikt.md\"\ntitle = \"O\u{308}versikt\"\n";
        let mut t = DeTable::parse(text).unwrap();
        let before = t.get_ref().get("name").unwrap().span();
        table(t.get_mut());
        let t = t.get_ref();
        assert_eq!(t.get("name").unwrap().get_ref().as_str(), Some("Björn"));
        assert_eq!(t.get("name").unwrap().span(), before);
        let DeValue::Array(list) = t.get("list").unwrap().get_ref() else {
            panic!()
        };
        assert_eq!(list[0].get_ref().as_str(), Some("Åsa"));
        let DeValue::Array(bilagor) = t.get("bilaga").unwrap().get_ref() else {
            panic!()
        };
        let DeValue::Table(b) = bilagor[0].get_ref() else {
            panic!()
        };
        assert_eq!(
            b.get("file").unwrap().get_ref().as_str(),
            Some("bilagor/o\u{308}versikt.md")
        );
        assert_eq!(b.get("title").unwrap().get_ref().as_str(), Some("Översikt"));
    }

    #[test]
    fn a_place_in_the_composed_text_is_found_in_the_written_one() {
        let written = "Bjo\u{308}rn och A\u{30A}sa e\u{301}\u{302}!";
        let composed: String = written.nfc().collect();
        assert_eq!(composed, "Björn och Åsa \u{E9}\u{302}!");
        for (needle, expected) in [("rn", "rn"), ("Åsa", "A\u{30A}sa"), ("!", "!")] {
            let at = composed.find(needle).unwrap();
            assert!(written[written_at(written, at)..].starts_with(expected));
        }
        assert_eq!(written_at(written, composed.len()), written.len());
        // Inside what composed into one piece: the piece's start.
        let e = composed.find('\u{302}').unwrap();
        assert_eq!(&written[written_at(written, e)..], "e\u{301}\u{302}!");
        // Hangul jamo compose with the starter before them: one piece.
        let hangul = "\u{1100}\u{1161}x";
        assert_eq!(
            written_at(hangul, "\u{AC00}".len()),
            hangul.find('x').unwrap()
        );
    }
}
