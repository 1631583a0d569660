//! Letters whose copy in the PDF's text layer repeats them (issue 29): a letter written with
//! combining marks (`e` + U+0301 + U+0302, `и` + U+0301, Zalgo text, Arabic harakat) that
//! no font has as one character prints right, but PDF readers copy and search it with the
//! letter repeated ("é̂é̂").
//!
//! Why: Typst 0.15 (`typst-layout`, `ShapedText::build`) sets the glyphs of a run as one
//! text item per font and *vertical offset*; a mark the font draws raised above a capital or
//! stacked on another mark has an offset its letter has not, so one cluster of characters
//! is split over two or more text items, and each item carries the cluster's whole text
//! into the PDF (krilla gives every glyph of a cluster its text, as PDF/UA requires, and the
//! `/ActualText` it wraps around a cluster covers one item only), so the PDF holds the
//! letter's text once per item and a reader copies it so (poppler's `pdftotext`, which
//! honours `/ActualText`, measured). Nothing in how the text is given to Typst
//! avoids it: the shaper already composes every letter a font has whole (`A` + U+030A is
//! the glyph Å, and falls back to a font that has `Ǩ` when the text font has not), so
//! normalising to NFC changes nothing, and what remains has no precomposed form.
//!
//! So such letters are found before Typst, by shaping each one as Typst will (the same
//! fonts in the same order, [`crate::fonts::faces`]), and named in a warning at their place.

use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;

/// Letters repeated in the text layer found in one text: the first, where it is, how often
/// such letters occur, and how a reader copies the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Repeated {
    /// The letter with its marks, as written.
    pub letter: String,
    /// Byte offset of the letter in the text.
    pub first: usize,
    /// Byte offset of its first combining mark (where a warning points).
    pub mark: usize,
    pub count: usize,
    /// Whether more letters with marks were left unchecked ([`MAX_SHAPED`]): `count` is
    /// then a least.
    pub capped: bool,
    /// How often a PDF reader reads the first letter.
    pub times: usize,
}

impl Repeated {
    /// The warning, lowercase: "“é̂” (e U+0301 U+0302) …".
    pub(crate) fn message(&self) -> String {
        let spelled: Vec<String> = self
            .letter
            .chars()
            .map(|c| {
                if is_combining_mark(c) {
                    format!("U+{:04X}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect();
        let more = if self.capped {
            format!(
                " (and {} more like it among the first {} kinds of letter with marks; the others were not checked)",
                self.count - 1,
                crate::cap::thousands(MAX_SHAPED as u64)
            )
        } else if self.count > 1 {
            format!(" (and {} more like it)", self.count - 1)
        } else {
            String::new()
        };
        let shown: String = self.letter.chars().take(40).collect();
        let copied = shown.repeat(self.times.min(5));
        format!(
            "“{shown}” ({}){more} is printed as written, but PDF readers can copy and search it as “{copied}”: no font has it as one character, and Typst writes the marks it draws above or below the letter's line as text of their own",
            crate::diag::window(&spelled.join(" "), 0..0, 120)
        )
    }

    pub(crate) const HINT: &'static str = "leave it if the text need not be copied or searched exactly; otherwise write the letter with fewer combining marks (see docs/characters-and-fonts.md)";
}

/// The most different letters with marks shaped for one text, or one file read in pieces
/// (a meeting file's strings, a DOCX's runs): a text of nothing but distinct ones (a
/// megabyte of Zalgo) is checked this far, in a fraction of a second.
const MAX_SHAPED: usize = 2_000;

/// The letters with combining marks in `text` that the PDF's text layer repeats; `None`
/// when there are none (almost always: a letter the shaper composes, such as `A` + U+030A,
/// is one glyph and copies right).
pub(crate) fn scan(text: &str) -> Option<Repeated> {
    Letters::default().scan(text)
}

/// The letters with marks shaped so far, for a text read in pieces: each kind is shaped
/// once, and at most [`MAX_SHAPED`] kinds in all.
#[derive(Debug, Default)]
pub(crate) struct Letters {
    /// Each letter shaped, and how many text items Typst makes of it.
    known: HashMap<String, usize>,
}

impl Letters {
    /// As [`scan`], remembering what was shaped.
    pub(crate) fn scan(&mut self, text: &str) -> Option<Repeated> {
        let mut found: Option<Repeated> = None;
        let mut capped = false;
        for (start, end) in clusters(text) {
            let letter = &text[start..end];
            let times = match self.known.get(letter) {
                Some(&times) => times,
                None if self.known.len() < MAX_SHAPED => {
                    let times = items(letter);
                    self.known.insert(letter.to_owned(), times);
                    times
                }
                None => {
                    capped = true;
                    continue;
                }
            };
            if times < 2 {
                continue;
            }
            match &mut found {
                Some(f) => f.count += 1,
                None => {
                    let mark = letter
                        .char_indices()
                        .find(|&(_, c)| is_mark(c))
                        .map_or(start, |(i, _)| start + i);
                    found = Some(Repeated {
                        letter: letter.to_owned(),
                        first: start,
                        mark,
                        count: 1,
                        capped: false,
                        times,
                    });
                }
            }
        }
        if let Some(f) = &mut found {
            f.capped = capped;
        }
        found
    }
}

/// A combining mark that draws: variation selectors and the grapheme joiner, also marks,
/// choose or join glyphs and are never drawn on their own.
fn is_mark(c: char) -> bool {
    is_combining_mark(c)
        && !matches!(
            c as u32,
            0x034F | 0x180B..=0x180F | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF
        )
}

/// The byte ranges of the letters in `text` that carry a combining mark that draws: a
/// character and the marks after it.
fn clusters(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if is_combining_mark(c) {
            continue; // a mark with no letter before it in this text
        }
        let mut end = start + c.len_utf8();
        let mut marked = false;
        while let Some(&(at, m)) = chars.peek() {
            if !is_combining_mark(m) {
                break;
            }
            marked |= is_mark(m);
            end = at + m.len_utf8();
            chars.next();
        }
        if marked {
            out.push((start, end));
        }
    }
    out
}

/// How many text items Typst makes of `letter` (one glyph cluster): its glyphs, shaped in
/// the first font family that draws them all, in runs of one vertical offset. The most over
/// the family's faces (regular, bold, italic), since the style is not known here.
fn items(letter: &str) -> usize {
    for family in families() {
        let mut most = None;
        for face in family {
            let mut buffer = rustybuzz::UnicodeBuffer::new();
            buffer.push_str(letter);
            buffer.guess_segment_properties();
            let shaped = rustybuzz::shape(face, &[], buffer);
            if shaped.glyph_infos().iter().any(|g| g.glyph_id == 0) {
                most = None;
                break; // Typst falls back to the next family for it
            }
            let offsets = shaped.glyph_positions().iter().map(|p| p.y_offset);
            let runs = runs(offsets);
            most = Some(most.map_or(runs, |m: usize| m.max(runs)));
        }
        if let Some(most) = most {
            return most;
        }
    }
    1
}

/// The embedded fonts as the shaper reads them, grouped by family in Typst's order (the
/// text font, then the fallback chain), parsed once a process.
fn families() -> &'static [Vec<rustybuzz::Face<'static>>] {
    static FAMILIES: std::sync::OnceLock<Vec<Vec<rustybuzz::Face<'static>>>> =
        std::sync::OnceLock::new();
    FAMILIES.get_or_init(|| {
        let mut names: Vec<&str> = Vec::new();
        let mut families: Vec<Vec<rustybuzz::Face<'static>>> = Vec::new();
        for font in crate::fonts::faces() {
            let Some(face) = rustybuzz::Face::from_slice(font.data().as_slice(), font.index())
            else {
                continue;
            };
            let name = font.info().family.as_str();
            match names.iter().position(|n| *n == name) {
                Some(i) => families[i].push(face),
                None => {
                    names.push(name);
                    families.push(vec![face]);
                }
            }
        }
        families
    })
}

/// The number of runs of equal values.
fn runs(values: impl Iterator<Item = i32>) -> usize {
    let mut count = 0;
    let mut last = None;
    for v in values {
        if last != Some(v) {
            count += 1;
            last = Some(v);
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_the_shaper_composes_are_not_named() {
        for text in [
            "Mårten Åsa Öberg",
            "Ma\u{301}rten A\u{30A}sa O\u{308}berg",
            "Čáhcegierdi C\u{30C}a\u{301}hcegierdi",
            "Vie\u{323}\u{302}t Nam",
            "❤\u{FE0F} 1\u{FE0F}\u{20E3}",
            "",
        ] {
            assert_eq!(scan(text), None, "{text:?}");
        }
    }

    #[test]
    fn stacked_and_raised_marks_are_named_at_their_first_place() {
        let found = scan("Dubbel e\u{301}\u{302} och x\u{304} och e\u{301}\u{302}.").unwrap();
        assert_eq!(found.letter, "e\u{301}\u{302}");
        assert_eq!((found.first, found.mark), (7, 8));
        assert_eq!(found.count, 3);
        assert_eq!(found.times, 2);
        assert!(
            found
                .message()
                .starts_with("“e\u{301}\u{302}” (e U+0301 U+0302) (and 2 more like it) is printed as written, but PDF readers can copy and search it as “e\u{301}\u{302}e\u{301}\u{302}”"),
            "{}",
            found.message()
        );
        // Regular `q̃` copies right; bold and italic repeat it (seen with pdftotext): named,
        // since the style is not known here.
        assert_eq!(scan("q\u{303}").map(|r| r.times), Some(2));
        let zalgo = scan("Z\u{351}\u{352}\u{353}\u{354}a").unwrap();
        assert!(zalgo.times >= 2, "{zalgo:?}");
    }
}
