//! How long a heading may be (issue 13). Typst writes each heading's text into the PDF's
//! structure tree as a string, and PDF/A allows no string over 32,767 bytes: a longer
//! heading used to stop the export with no place named. A heading is one line, so the cap
//! is that of a one-line field of the meeting file.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Problem, Writer};
use crate::diag::Severity;

/// The longest heading, in characters (as `meeting::chars::MAX_LINE_CHARS`).
pub(crate) const MAX_HEADING_CHARS: usize = 2000;

/// The heading being read: its characters so far and where it starts.
#[derive(Debug, Default)]
pub(super) struct Open {
    heading: Option<(usize, Range<usize>)>,
}

impl Writer<'_> {
    /// Counts a heading's characters; at its end, an error at the heading if it is over
    /// [`MAX_HEADING_CHARS`].
    pub(super) fn measure_heading(&mut self, event: &Event<'_>, range: &Range<usize>) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                self.open_heading.heading = Some((0, range.clone()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((chars, _)) = &mut self.open_heading.heading {
                    *chars += t.chars().count();
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((chars, at)) = self.open_heading.heading.take()
                    && chars > MAX_HEADING_CHARS
                {
                    let start = at.start;
                    self.problems.push(Problem {
                        severity: Severity::Error,
                        range: start..start + 1.min(at.len()),
                        message: format!(
                            "a heading of {chars} characters; a heading may have at most {MAX_HEADING_CHARS}"
                        ),
                        hint: Some("make it shorter, or make it a paragraph".to_owned()),
                    });
                }
            }
            _ => {}
        }
    }
}
