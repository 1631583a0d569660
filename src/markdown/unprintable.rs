//! Naming what cannot print in the converter's input (see [`crate::escape::printable`]):
//! a warning at its place in Markdown, a count per character for other readers. The
//! escaping removes or replaces it either way.

use std::collections::BTreeMap;

use super::Problem;
use crate::diag::Severity;
use crate::escape::printable::{self, Fate, Found};

/// One warning per kind of character that cannot print in `markdown`, at its first place.
pub(super) fn problems(markdown: &str) -> Vec<Problem> {
    printable::scan(markdown, true)
        .into_iter()
        .map(|f| problem(&f, f.first..f.first + f.c.len_utf8()))
        .collect()
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
}

impl Tally {
    pub(super) fn add(&mut self, text: &str) {
        for f in printable::scan(text, false) {
            self.seen.entry(f.c).or_insert((f.fate, 0)).1 += f.count;
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
            .collect()
    }
}
