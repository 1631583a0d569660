//! What one text may cost the typesetter: the caps of [`crate::bilaga::limits`] counted as
//! the converter writes, so a hostile Markdown or DOCX bilaga stops at the first cap it
//! meets, with an error at that place naming the cap, instead of costing gigabytes later.

use crate::bilaga::limits::{self, Cap};

/// Counts of what the converter has written so far; `stopped` once a cap is exceeded.
#[derive(Debug, Default)]
pub(super) struct Budget {
    text: u64,
    blocks: u64,
    footnotes: u64,
    cells: u64,
    /// Lists, quotes, tables and footnotes open around the current event.
    depth: u64,
    /// Characters since the last space or block boundary: the word being written.
    word: u64,
    /// The cap that stopped the converter, if one did.
    pub(super) stopped: Option<Cap>,
}

impl Budget {
    /// Table cells written so far (GFM's padded ones included).
    pub(super) fn cells(&self) -> u64 {
        self.cells
    }
}

/// What an event adds to the budget.
pub(super) enum Cost<'t> {
    /// Text, counted and its words measured.
    Text(&'t str),
    /// A paragraph, heading, list item or code block begins (and a word ends).
    Block,
    Footnote,
    Cell,
    /// A list, quote, table or footnote opens.
    Open,
    /// One closes.
    Close,
}

impl Budget {
    /// Adds `cost`; the cap it exceeds, the first time one is exceeded.
    pub(super) fn spend(&mut self, cost: Cost) -> Option<Cap> {
        if self.stopped.is_some() {
            return None;
        }
        if let Cost::Text(text) = cost {
            return self.text(text);
        }
        // A block, cell, list or note boundary ends a word.
        self.word = 0;
        let (count, cap) = match cost {
            Cost::Text(_) => unreachable!("counted above"),
            Cost::Block => (&mut self.blocks, limits::BLOCKS),
            Cost::Footnote => (&mut self.footnotes, limits::FOOTNOTES),
            Cost::Cell => (&mut self.cells, limits::TABLE_CELLS),
            Cost::Open => (&mut self.depth, limits::NESTING),
            Cost::Close => {
                self.depth = self.depth.saturating_sub(1);
                return None;
            }
        };
        *count += 1;
        let count = *count;
        self.check(count, cap)
    }

    fn text(&mut self, text: &str) -> Option<Cap> {
        for c in text.chars() {
            self.text += 1;
            self.word = if c.is_whitespace() { 0 } else { self.word + 1 };
            let cap = if limits::TEXT_CHARS.over(self.text) {
                limits::TEXT_CHARS
            } else if limits::WORD_CHARS.over(self.word) {
                limits::WORD_CHARS
            } else {
                continue;
            };
            self.stopped = Some(cap);
            return Some(cap);
        }
        None
    }

    fn check(&mut self, count: u64, cap: Cap) -> Option<Cap> {
        if cap.over(count) {
            self.stopped = Some(cap);
            return Some(cap);
        }
        None
    }
}

/// The hint for a text stopped at `cap`.
pub(super) fn hint(cap: Cap) -> &'static str {
    if cap == limits::NESTING {
        "put fewer lists, quotes or tables inside one another (see \"Limits\" in README.md)"
    } else if cap == limits::WORD_CHARS {
        "put spaces in it: no line can hold a word that long (see \"Limits\" in README.md)"
    } else {
        "split the document into several bilagor, or attach it as PDF (see \"Limits\" in README.md)"
    }
}
