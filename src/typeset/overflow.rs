//! Text the page cannot hold, found in the laid-out pages: Typst lets a word longer than its
//! column, or a table with more columns than the page has room for, run over the next
//! column's text or past the edge of the page. Such text is printed but cannot be read, so it
//! is named in a warning (the rule: what a bilaga holds is shown, or named where it is).
//!
//! A page is looked at as a reader would: text runs (Typst's text items) that leave the page
//! (at any edge), and text runs that cover each other (side by side, whatever their
//! baselines: a cell's text over the next cell's smaller code font). A run's box is its
//! advance width by its font size's usual ascent and descent. Rotated text (the draft's
//! "UTKAST") is left out; the pages of a PDF bilaga are drawings, not text, and are not
//! looked at; nor are images.

use typst::foundations::{Dict, Value};
use typst::introspection::Location;
use typst::introspection::{MetadataElem, Tag};
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::model::HeadingElem;
use typst::pdf::{ArtifactElem, ArtifactKind};
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
    /// A page's header or footer (Typst marks them as artifacts), whatever part it is of.
    Margin,
}

/// One page that holds text it cannot show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow {
    /// The page, from 1.
    pub page: usize,
    /// Its page within its part, from 1 (the "Sida X" of its header).
    pub(crate) page_in_part: usize,
    pub part: Part,
    pub kind: Kind,
    /// The § whose text it is, in the protocol's part (from the § headings before it).
    pub paragraf: Option<u32>,
}

/// The pages of one part (and §) with one kind of finding: `pages` as (page, page in the
/// part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub part: Part,
    pub kind: Kind,
    pub paragraf: Option<u32>,
    pub pages: Vec<(usize, usize)>,
}

/// `found` gathered by part and kind, in the order each first occurs.
pub fn group(found: Vec<Overflow>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for o in found {
        let at = (o.page, o.page_in_part);
        match groups
            .iter_mut()
            .find(|g| g.part == o.part && g.kind == o.kind && g.paragraf == o.paragraf)
        {
            Some(g) => g.pages.push(at),
            None => groups.push(Group {
                part: o.part,
                kind: o.kind,
                paragraf: o.paragraf,
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
    let mut paragraf = None;
    let mut found = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        let mut runs = Vec::new();
        let mut starts = Vec::new();
        let mut walker = Walker {
            runs: &mut runs,
            starts: &mut starts,
            paragraf: &mut paragraf,
            margin: None,
        };
        walker.walk(&page.frame, Transform::identity());
        // A part that starts on this page is this page's part (a bilaga begins on a page of
        // its own; the protocol's marker is on page 1).
        if let Some(&last) = starts.last() {
            part = last;
            part_first_page = i + 1;
        }
        let (width, height) = (page.frame.width().to_pt(), page.frame.height().to_pt());
        // Every place on the page (§, or header and footer) with each kind, once.
        let mut findings: Vec<(Kind, Option<u32>, bool)> = runs
            .iter()
            .filter(|r| {
                r.x0 < -TOLERANCE
                    || r.x1 > width + TOLERANCE
                    || r.top < -TOLERANCE
                    || r.bottom > height + TOLERANCE
            })
            .map(|r| (Kind::OffPage, r.paragraf, r.margin))
            .collect();
        findings.extend(
            overlapping(&mut runs)
                .into_iter()
                .map(|(p, m)| (Kind::Overlap, p, m)),
        );
        let mut once = Vec::new();
        for f in findings {
            if !once.contains(&f) {
                once.push(f);
            }
        }
        for (kind, paragraf, margin) in once {
            found.push(Overflow {
                page: i + 1,
                page_in_part: i + 2 - part_first_page,
                part: if margin { Part::Margin } else { part },
                kind,
                paragraf: if part == Part::Protocol && !margin {
                    paragraf
                } else {
                    None
                },
            });
        }
    }
    found
}

/// A run of text on the page: its box in points (y downwards), and the § it is in (none in
/// a page's header or footer: `margin`).
struct Run {
    x0: f64,
    x1: f64,
    top: f64,
    bottom: f64,
    paragraf: Option<u32>,
    margin: bool,
}

/// A run's box above and below its baseline, as parts of its font size: the usual ascent of
/// a capital and descent of a `g` (a box, not the glyphs' outlines).
const ASCENT: f64 = 0.8;
const DESCENT: f64 = 0.25;

/// Two runs whose boxes share less than this part of the lower one's height are on
/// different lines (tight leading brings lines close, never this far into each other).
const SAME_LINE: f64 = 0.3;

/// Collects a page's text runs and the parts that start on it, keeping the § in force
/// (document order: a frame's items are in the order they were laid out).
struct Walker<'a> {
    runs: &'a mut Vec<Run>,
    starts: &'a mut Vec<Part>,
    paragraf: &'a mut Option<u32>,
    /// Inside a page's header or footer: the artifact that holds it, until its end tag.
    margin: Option<Location>,
}

impl Walker<'_> {
    fn walk(&mut self, frame: &Frame, ts: Transform) {
        for (pos, item) in frame.items() {
            match item {
                FrameItem::Group(group) => {
                    let ts = ts
                        .pre_concat(Transform::translate(pos.x, pos.y))
                        .pre_concat(group.transform);
                    self.walk(&group.frame, ts);
                }
                FrameItem::Text(text) => {
                    // Rotated or skewed text (the draft's background) has no line to share.
                    if ts.kx.get() != 0.0 || ts.ky.get() != 0.0 {
                        continue;
                    }
                    let size = text.size;
                    let a = Point::new(pos.x, pos.y - size * ASCENT).transform(ts);
                    let b = Point::new(pos.x + text.width(), pos.y + size * DESCENT).transform(ts);
                    self.runs.push(Run {
                        x0: a.x.to_pt().min(b.x.to_pt()),
                        x1: a.x.to_pt().max(b.x.to_pt()),
                        top: a.y.to_pt().min(b.y.to_pt()),
                        bottom: a.y.to_pt().max(b.y.to_pt()),
                        paragraf: if self.margin.is_some() {
                            None
                        } else {
                            *self.paragraf
                        },
                        margin: self.margin.is_some(),
                    });
                }
                FrameItem::Tag(Tag::End(location, ..)) if self.margin == Some(*location) => {
                    self.margin = None;
                }
                FrameItem::Tag(Tag::Start(content, _)) => {
                    // Typst marks a page's header and footer as artifacts.
                    if let Some(artifact) = content.to_packed::<ArtifactElem>()
                        && matches!(
                            artifact.kind.get(Default::default()),
                            ArtifactKind::Header | ArtifactKind::Footer
                        )
                        && self.margin.is_none()
                    {
                        self.margin = content.location();
                    } else if content
                        .label()
                        .is_some_and(|l| l.resolve().as_str() == "part-start")
                        && let Some(meta) = content.to_packed::<MetadataElem>()
                        && let Value::Dict(dict) = &meta.value
                    {
                        self.starts.push(part_of(dict));
                    } else if let Some(heading) = content.to_packed::<HeadingElem>()
                        // The template sets each § heading at level 2; a heading in a § text
                        // ("## § 31 i reglementet") is set below it.
                        && heading.level.get(Default::default())
                            == typst::foundations::Smart::Custom(std::num::NonZeroUsize::MIN.saturating_add(1))
                        && let Some(n) = paragraf_number(&heading.body.plain_text())
                    {
                        *self.paragraf = Some(n);
                    }
                }
                _ => {}
            }
        }
    }
}

/// The number of a § heading ("§ 3. Val av justerare", "§ 34 Upphandling"), else `None`.
fn paragraf_number(text: &str) -> Option<u32> {
    let rest = text.strip_prefix('§')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
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

/// The runs that cover another on their line by more than [`TOLERANCE`] across: the § of
/// each such pair's first run and whether either is in the page's header or footer.
fn overlapping(runs: &mut [Run]) -> Vec<(Option<u32>, bool)> {
    let mut found = Vec::new();
    // Sorted by top, each run is compared only with those starting above its bottom: the
    // runs of its own line and the next, not the whole page.
    runs.sort_by(|a, b| a.top.total_cmp(&b.top));
    for (i, a) in runs.iter().enumerate() {
        for b in &runs[i + 1..] {
            if b.top >= a.bottom {
                break;
            }
            let shared = a.bottom.min(b.bottom) - b.top;
            let lower = (b.bottom - b.top).min(a.bottom - a.top);
            let across = a.x1.min(b.x1) - a.x0.max(b.x0);
            if shared > SAME_LINE * lower && across > TOLERANCE {
                found.push((a.paragraf, a.margin || b.margin));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(x0: f64, x1: f64, baseline: f64, size: f64) -> Run {
        Run {
            x0,
            x1,
            top: baseline - size * ASCENT,
            bottom: baseline + size * DESCENT,
            paragraf: Some(3),
            margin: false,
        }
    }

    #[test]
    fn runs_cover_each_other_only_on_one_line_and_past_the_tolerance() {
        // Side by side, the next line (leading 0.6 em), a superscript after its word.
        let mut apart = vec![
            run(0.0, 50.0, 100.0, 11.0),
            run(50.5, 80.0, 100.0, 11.0),
            run(0.0, 90.0, 114.3, 11.0),
            run(80.0, 84.0, 96.0, 7.0),
        ];
        assert!(overlapping(&mut apart).is_empty());
        let mut over = vec![
            run(0.0, 60.0, 100.0, 11.0),
            run(20.0, 30.0, 100.0, 11.0),
            run(55.0, 80.0, 100.0, 11.0),
        ];
        assert_eq!(overlapping(&mut over)[0], (Some(3), false));
        // A cell's text over the next cell's code, a point lower and smaller.
        let mut code = vec![run(0.0, 120.0, 100.0, 11.0), run(90.0, 150.0, 101.0, 9.0)];
        assert!(!overlapping(&mut code).is_empty());
        assert_eq!(paragraf_number("§ 34 Upphandling"), Some(34));
        assert_eq!(paragraf_number("§ 3. Val av justerare"), Some(3));
        assert_eq!(paragraf_number("Bilaga 1: §-lista"), None);
    }
}
