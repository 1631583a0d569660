//! What one text may cost the typesetter: the caps the caller gives ([`super::Caps`]),
//! counted as the converter writes, so a hostile Markdown or DOCX bilaga stops at the first
//! cap it meets, with an error at that place naming the cap, instead of costing gigabytes
//! later.

use super::{Caps, Spent};
use crate::cap::Cap;

/// Counts of what the converter has written so far; `stopped` once a cap is exceeded.
#[derive(Debug)]
pub(super) struct Budget {
    /// The caps counted against.
    caps: Caps,
    text: u64,
    blocks: u64,
    footnotes: u64,
    cells: u64,
    /// Lists, quotes, tables and footnotes open around the current event.
    depth: u64,
    /// Characters since the last space or block boundary: the word being written.
    word: u64,
    /// Inline elements (emphasis, links, code, breaks, notes …) of the paragraph, heading,
    /// list item or table cell being written: Typst's cost grows with their square.
    inline: u64,
    /// What the meeting's texts converted before this one spent ([`super::Context::meeting`]),
    /// and what this whole text has so far.
    before: Spent,
    this: Spent,
    links: u64,
    /// Bytes of addresses and titles that reference links (`[text][ref]`) have copied.
    references: u64,
    code_lines: u64,
    /// The cap that stopped the converter, if one did.
    pub(super) stopped: Option<Cap>,
    /// Where in the last text charged a text cap stopped it: the byte offset of the word
    /// that crossed it (0 when the word began in an earlier text), so the error points at
    /// the word, not at the start of a line of many.
    pub(super) stopped_at: usize,
    /// The byte offset in the text being charged where the current word began.
    word_start: usize,
}

impl Budget {
    pub(super) fn new(caps: Caps, before: Spent) -> Self {
        Self {
            caps,
            before,
            this: Spent::default(),
            text: 0,
            blocks: 0,
            footnotes: 0,
            cells: 0,
            depth: 0,
            word: 0,
            inline: 0,
            links: 0,
            references: 0,
            code_lines: 0,
            stopped: None,
            stopped_at: 0,
            word_start: 0,
        }
    }

    /// Table cells written so far (GFM's padded ones included).
    pub(super) fn cells(&self) -> u64 {
        self.cells
    }

    /// What the whole text has spent of the caps counted over a meeting.
    pub(super) fn spent(&self) -> Spent {
        self.this
    }

    /// For a cap counted over a meeting: what the texts before this one counted, what this
    /// one has so far, and what is counted (`inline elements`).
    pub(super) fn meeting_count(&self, cap: Cap) -> Option<(u64, u64, &'static str)> {
        if cap == self.caps.meeting_inline_elements {
            Some((self.before.inline, self.this.inline, "inline elements"))
        } else if cap == self.caps.meeting_long_words {
            Some((
                self.before.long_words,
                self.this.long_words,
                "characters in long words",
            ))
        } else {
            None
        }
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
    /// An inline element: emphasis, code, a line break, a note reference, an image, HTML.
    Inline,
    /// A link: an inline element, and one more link of the text.
    Link,
    /// A reference link (`[text][ref]`) copying its definition's address and title, this
    /// many bytes: an inline element and a link too.
    Reference(u64),
    /// Lines of a code block.
    CodeLines(u64),
    /// Text set as markup: each character Typst must have escaped (`.`, `-`, `:`, `/` …) is
    /// an element of its own, as costly in one paragraph as an emphasis.
    Escapes(&'t str),
    /// One closes.
    Close,
}

impl Budget {
    /// Adds `cost`; the cap it exceeds, the first time one is exceeded.
    pub(super) fn spend(&mut self, cost: Cost) -> Option<Cap> {
        if self.stopped.is_some() {
            return None;
        }
        match cost {
            Cost::Text(text) => return self.text(text),
            Cost::Inline => return self.inline(),
            Cost::Link => return self.link(),
            Cost::Reference(bytes) => {
                self.references += bytes;
                let references = self.references;
                return self
                    .check(references, self.caps.reference_bytes)
                    .or_else(|| self.link());
            }
            Cost::Escapes(text) => {
                let escapes = text
                    .chars()
                    .filter(|c| crate::escape::MARKUP_SPECIAL.contains(c))
                    .count() as u64;
                return self.add_inline(escapes);
            }
            Cost::CodeLines(lines) => {
                self.code_lines += lines;
                let lines = self.code_lines;
                return self.check(lines, self.caps.code_lines);
            }
            _ => {}
        }
        // A block, cell, list or note boundary ends a word; all but a note reference end the
        // paragraph whose inline elements are counted.
        self.word = 0;
        if !matches!(cost, Cost::Footnote) {
            self.inline = 0;
        }
        let (count, cap) = match cost {
            Cost::Text(_)
            | Cost::Inline
            | Cost::Link
            | Cost::Reference(_)
            | Cost::CodeLines(_)
            | Cost::Escapes(_) => {
                unreachable!("counted above")
            }
            Cost::Block => (&mut self.blocks, self.caps.blocks),
            Cost::Footnote => (&mut self.footnotes, self.caps.footnotes),
            Cost::Cell => (&mut self.cells, self.caps.table_cells),
            Cost::Open => (&mut self.depth, self.caps.nesting),
            Cost::Close => {
                self.depth = self.depth.saturating_sub(1);
                return None;
            }
        };
        *count += 1;
        let count = *count;
        self.check(count, cap)
    }

    fn inline(&mut self) -> Option<Cap> {
        self.add_inline(1)
    }

    /// `n` more inline elements in the paragraph, the text and the meeting: the paragraph's
    /// cap first (its cost is the square), then the meeting's.
    fn add_inline(&mut self, n: u64) -> Option<Cap> {
        self.inline += n;
        self.this.inline += n;
        let inline = self.inline;
        let (before, this) = (self.before.inline, self.this.inline);
        self.check(inline, self.caps.inline_elements)
            .or_else(|| self.crossed(before, this, self.caps.meeting_inline_elements))
    }

    /// Checks a cap counted over a meeting: exceeded by this text, with `before` from the
    /// texts before it. A meeting already over it was refused at the text that crossed it,
    /// and the texts after that one are not refused again for it.
    fn crossed(&mut self, before: u64, this: u64, cap: Cap) -> Option<Cap> {
        if cap.over(before) {
            return None;
        }
        self.check(before.saturating_add(this), cap)
    }

    fn link(&mut self) -> Option<Cap> {
        self.links += 1;
        let links = self.links;
        self.check(links, self.caps.links).or_else(|| self.inline())
    }

    fn text(&mut self, text: &str) -> Option<Cap> {
        let long = self.caps.long_word;
        // A word carried over from the text before begins, as far as this text shows, at 0.
        self.word_start = 0;
        for (i, c) in text.char_indices() {
            self.text += 1;
            if c.is_whitespace() {
                self.word = 0;
            } else {
                if self.word == 0 {
                    self.word_start = i;
                }
                self.word += 1;
            }
            // A word becomes long at its `long`th character: all of it counts from then on.
            if self.word == long {
                self.this.long_words += long;
            } else if self.word > long {
                self.this.long_words += 1;
            }
            let (before, this) = (self.before.long_words, self.this.long_words);
            let cap = if self.caps.text_chars.over(self.text) {
                self.caps.text_chars
            } else if self.caps.word_chars.over(self.word) {
                self.caps.word_chars
            } else if let Some(cap) = self.crossed(before, this, self.caps.meeting_long_words) {
                self.stopped_at = self.word_start;
                return Some(cap);
            } else {
                continue;
            };
            self.stopped = Some(cap);
            self.stopped_at = if cap == self.caps.word_chars {
                self.word_start
            } else {
                i
            };
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

impl Budget {
    /// The hint for a text stopped at `cap`.
    pub(super) fn hint(&self, cap: Cap) -> &'static str {
        if cap == self.caps.nesting {
            "put fewer lists, quotes or tables inside one another (see \"Limits\" in README.md)"
        } else if cap == self.caps.inline_elements {
            "split the paragraph into several, or write it with less formatting (see \"Limits\" in README.md)"
        } else if cap == self.caps.meeting_inline_elements {
            "write the texts with less formatting, or split the meeting's bilagor over several protocols or attach one as PDF (see \"Limits\" in README.md)"
        } else if cap == self.caps.code_lines {
            "shorten the code block, or attach the listing as a file of its own (see \"Limits\" in README.md)"
        } else if cap == self.caps.word_chars || cap == self.caps.meeting_long_words {
            "put spaces in it: no line can hold a word that long (see \"Limits\" in README.md)"
        } else {
            "split the document into several bilagor, or attach it as PDF (see \"Limits\" in README.md)"
        }
    }
}
