//! Naming what cannot print in the converter's input (see [`crate::escape::printable`]):
//! a warning at its place in Markdown, a count per character for other readers. The
//! escaping removes or replaces it either way. Letters that print but that the PDF's text
//! layer repeats ([`crate::escape::text_layer`]) are named the same way.

use std::collections::BTreeMap;

use super::Problem;
use crate::diag::Severity;
use crate::escape::printable::{self, Fate, Found};
use crate::escape::text_layer::{self, Repeated};

/// One warning per kind of character that cannot print in `markdown`, at its first place;
/// and one for the letters the PDF's text layer would repeat, at the first.
pub(super) fn problems(markdown: &str) -> Vec<Problem> {
    let mut found: Vec<Problem> = printable::scan(markdown, true)
        .into_iter()
        .map(|f| problem(&f, f.first..f.first + f.c.len_utf8()))
        .collect();
    if let Some(r) = text_layer::scan(markdown) {
        found.push(repeated(&r, r.first..r.first + r.letter.len()));
    }
    found
}

fn repeated(r: &Repeated, range: std::ops::Range<usize>) -> Problem {
    Problem {
        severity: Severity::Warning,
        range,
        message: r.message(),
        hint: Some(Repeated::HINT.to_owned()),
    }
}

fn problem(f: &Found, range: std::ops::Range<usize>) -> Problem {
    Problem {
        severity: Severity::Warning,
        range,
        message: f.message(),
        hint: Some(f.hint().to_owned()),
    }
}

/// What cannot print in text that arrives in pieces (a DOCX's runs): each character once,
/// with its count, in code point order.
#[derive(Debug, Default)]
pub(super) struct Tally {
    seen: BTreeMap<char, (Fate, usize)>,
    /// The first letter the PDF's text layer would repeat, counting all.
    repeated: Option<Repeated>,
    letters: text_layer::Letters,
}

impl Tally {
    pub(super) fn add(&mut self, text: &str) {
        for f in printable::scan(text, false) {
            self.seen.entry(f.c).or_insert((f.fate, 0)).1 += f.count;
        }
        if let Some(r) = self.letters.scan(text) {
            match &mut self.repeated {
                Some(first) => {
                    first.count += r.count;
                    first.capped |= r.capped;
                }
                None => self.repeated = Some(r),
            }
        }
    }

    pub(super) fn problems(&self) -> Vec<Problem> {
        self.seen
            .iter()
            .map(|(&c, &(fate, count))| {
                let f = Found {
                    c,
                    fate,
                    first: 0,
                    count,
                    spelled: String::new(),
                };
                problem(&f, 0..0)
            })
            .chain(self.repeated.iter().map(|r| repeated(r, 0..0)))
            .collect()
    }
}
