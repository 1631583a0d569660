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
    /// The cap that stopped the converter, if one did.
    pub(super) stopped: Option<Cap>,
}

/// What an event adds to the budget.
pub(super) enum Cost {
    Text(u64),
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
        let (count, cap) = match cost {
            Cost::Text(_) => (&mut self.text, limits::TEXT_CHARS),
            Cost::Block => (&mut self.blocks, limits::BLOCKS),
            Cost::Footnote => (&mut self.footnotes, limits::FOOTNOTES),
            Cost::Cell => (&mut self.cells, limits::TABLE_CELLS),
            Cost::Open => (&mut self.depth, limits::NESTING),
            Cost::Close => {
                self.depth = self.depth.saturating_sub(1);
                return None;
            }
        };
        *count += match cost {
            Cost::Text(n) => n,
            _ => 1,
        };
        if cap.over(*count) {
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
    } else {
        "split the document into several bilagor, or attach it as PDF (see \"Limits\" in README.md)"
    }
}
