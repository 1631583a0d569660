//! Text the page cannot hold, found in the laid-out pages: Typst lets a word longer than its
//! column, or a table with more columns than the page has room for, run over the next
//! column's text or past the edge of the page. Such text is printed but cannot be read, so it
//! is named in a warning (the rule: what a bilaga holds is shown, or named where it is).
//!
//! A page is looked at as a reader would: text runs (Typst's text items) that leave the page,
//! and text runs on one line that cover each other. Rotated text (the draft's "UTKAST") is
//! left out; the pages of a PDF bilaga are drawings, not text, and are not looked at.

use typst::foundations::{Dict, Value};
use typst::introspection::{MetadataElem, Tag};
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;

/// What is wrong on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text runs over other text on the same line.
    Overlap,
    /// Text runs past the edge of the page.
    OffPage,
}

/// The part of the document a page belongs to, from the template's `part-start` markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The protocol itself (its § texts).
    Protocol,
    /// Bilaga `n`.
    Bilaga(usize),
}

/// One page that holds text it cannot show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow {
    /// The page, from 1.
    pub page: usize,
    /// Its page within its part, from 1 (the "Sida X" of its header).
    pub page_in_part: usize,
    pub part: Part,
    pub kind: Kind,
}

/// The pages of one part with one kind of finding: `pages` as (page, page in the part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub part: Part,
    pub kind: Kind,
    pub pages: Vec<(usize, usize)>,
}

/// `found` gathered by part and kind, in the order each first occurs.
pub fn group(found: Vec<Overflow>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for o in found {
        let at = (o.page, o.page_in_part);
        match groups
            .iter_mut()
            .find(|g| g.part == o.part && g.kind == o.kind)
        {
            Some(g) => g.pages.push(at),
            None => groups.push(Group {
                part: o.part,
                kind: o.kind,
                pages: vec![at],
            }),
        }
    }
    groups
}

/// How far (points) text may reach past another run or the page edge before it counts:
/// kerning and italic overhang stay well below it.
const TOLERANCE: f64 = 1.0;

/// The pages of `document` whose text overlaps or leaves the page, one finding a page
/// (leaving the page before overlapping), in page order.
pub fn find(document: &PagedDocument) -> Vec<Overflow> {
    let mut part = Part::Protocol;
    let mut part_first_page = 1;
    let mut found = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        let mut runs = Vec::new();
        let mut starts = Vec::new();
        walk(&page.frame, Transform::identity(), &mut runs, &mut starts);
        // A part that starts on this page is this page's part (a bilaga begins on a page of
        // its own; the protocol's marker is on page 1).
        if let Some(&last) = starts.last() {
            part = last;
            part_first_page = i + 1;
        }
        let width = page.frame.width().to_pt();
        let kind = if runs
            .iter()
            .any(|r| r.x0 < -TOLERANCE || r.x1 > width + TOLERANCE)
        {
            Some(Kind::OffPage)
        } else if overlapping(&mut runs) {
            Some(Kind::Overlap)
        } else {
            None
        };
        if let Some(kind) = kind {
            found.push(Overflow {
                page: i + 1,
                page_in_part: i + 2 - part_first_page,
                part,
                kind,
            });
        }
    }
    found
}

/// A run of text on the page: its left and right edge in points, and its baseline in
/// tenths of a point (runs on one line share it).
struct Run {
    x0: f64,
    x1: f64,
    y: i64,
}

/// Collects the text runs of `frame` placed by `ts`, and the parts that start in it.
fn walk(frame: &Frame, ts: Transform, runs: &mut Vec<Run>, starts: &mut Vec<Part>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let ts = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                walk(&group.frame, ts, runs, starts);
            }
            FrameItem::Text(text) => {
                // Rotated or skewed text (the draft's background) has no line to share.
                if ts.kx.get() != 0.0 || ts.ky.get() != 0.0 {
                    continue;
                }
                let start = pos.transform(ts);
                let end = Point::new(pos.x + text.width(), pos.y).transform(ts);
                let (x0, x1) = (start.x.to_pt(), end.x.to_pt());
                runs.push(Run {
                    x0: x0.min(x1),
                    x1: x0.max(x1),
                    y: (start.y.to_pt() * 10.0).round() as i64,
                });
            }
            FrameItem::Tag(Tag::Start(content, _)) => {
                if content
                    .label()
                    .is_some_and(|l| l.resolve().as_str() == "part-start")
                    && let Some(meta) = content.to_packed::<MetadataElem>()
                    && let Value::Dict(dict) = &meta.value
                {
                    starts.push(part_of(dict));
                }
            }
            _ => {}
        }
    }
}

/// The part a `part-start` marker opens: `(kind: "bilaga", number: 2)` or the protocol.
fn part_of(dict: &Dict) -> Part {
    let kind = dict
        .get("kind")
        .ok()
        .and_then(|v| v.clone().cast::<String>().ok());
    let number = dict
        .get("number")
        .ok()
        .and_then(|v| v.clone().cast::<i64>().ok());
    match (kind.as_deref(), number) {
        (Some("bilaga"), Some(n)) if n > 0 => Part::Bilaga(n as usize),
        _ => Part::Protocol,
    }
}

/// Whether two runs on one baseline cover each other by more than [`TOLERANCE`].
fn overlapping(runs: &mut [Run]) -> bool {
    // Sorted by start on each line, a run that covers any later one covers the next.
    runs.sort_by(|a, b| a.y.cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    runs.windows(2)
        .any(|w| w[0].y == w[1].y && w[0].x1 - w[1].x0 > TOLERANCE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_on_one_line_overlap_only_past_the_tolerance() {
        let mut apart = vec![
            Run {
                x0: 0.0,
                x1: 50.0,
                y: 1000,
            },
            Run {
                x0: 50.5,
                x1: 80.0,
                y: 1000,
            },
            Run {
                x0: 10.0,
                x1: 90.0,
                y: 1120,
            },
        ];
        assert!(!overlapping(&mut apart));
        let mut over = vec![
            Run {
                x0: 0.0,
                x1: 60.0,
                y: 1000,
            },
            Run {
                x0: 20.0,
                x1: 30.0,
                y: 1000,
            },
            Run {
                x0: 55.0,
                x1: 80.0,
                y: 1000,
            },
        ];
        assert!(overlapping(&mut over));
    }
}
