//! Letters written with combining marks that no font has as one character (`e` + U+0301 +
//! U+0302, a dot below and a grave on `o`, Zalgo text, Arabic harakat), joined again into
//! one text item before export, so that the PDF's text layer holds each letter once
//! (issue 29).
//!
//! Why: Typst 0.15 (`typst-layout`, `ShapedText::build`) sets a run's glyphs as one text
//! item per font, size *and vertical offset*, writes every glyph with no vertical offset of
//! its own, and gives each item the text of all the clusters its glyphs belong to. A mark
//! the font draws raised above a capital or stacked on another mark has an offset its letter
//! has not, so one cluster (a letter and its marks) is split over two or more consecutive
//! items, and each carries the cluster's whole text into the PDF: readers copied and
//! searched "é̂é̂" for "é̂" (poppler's `pdftotext`, which honours `/ActualText`, measured).
//! `typst-pdf` and krilla do honour a glyph's own vertical offset (`Glyph::y_offset`), and
//! krilla wraps the glyphs of one cluster in one `/ActualText`; so the items of a split
//! cluster are joined back into one, each glyph raised or lowered by its item's offset:
//! every glyph is drawn where it was (to the precision the PDF writes positions in), the
//! text is there once.
//!
//! This undoes a split of `typst-layout` 0.15.1 and is to go when Typst groups a run's
//! glyphs by font and size only and keeps their vertical offsets. Only what is certainly one
//! split cluster is joined: consecutive text items (with nothing between them but the
//! underline or strike-through lines Typst draws after each) in the same font, size,
//! colour, stroke and language, the second starting where the first ends, whose glyphs at
//! the seam have the same source place and cluster text, and where the glyph on the
//! cluster's far side of the seam is a mark. Anything else is left as Typst laid it out.

use typst::ecow::EcoVec;
use typst::layout::{Em, Frame, FrameItem, GroupItem, Point};
use typst::text::{Glyph, TextItem};
use typst_layout::{Page, PagedDocument};
use unicode_normalization::char::is_combining_mark;

/// `document` with every split cluster joined; the same document when there is none (almost
/// always: the pages are then neither copied nor looked at again).
pub(crate) fn join(document: PagedDocument) -> PagedDocument {
    let joined: Vec<Option<Frame>> = document.pages().iter().map(|p| frame(&p.frame)).collect();
    if joined.iter().all(Option::is_none) {
        return document;
    }
    let pages: EcoVec<Page> = document
        .pages()
        .iter()
        .zip(joined)
        .map(|(page, frame)| {
            let mut page = page.clone();
            if let Some(frame) = frame {
                page.frame = frame;
            }
            page
        })
        .collect();
    // The introspector is rebuilt from the pages: their tags and positions are unchanged.
    PagedDocument::new(pages, typst::model::Document::info(&document).clone())
}

/// `frame` with its split clusters joined, in it and in the groups it holds; `None` when it
/// has none.
fn frame(frame: &Frame) -> Option<Frame> {
    let items = frame.items().as_slice();
    // The items so far, once one has changed.
    let mut out: Option<Vec<(Point, FrameItem)>> = None;
    for (i, (pos, item)) in items.iter().enumerate() {
        if let FrameItem::Text(next) = item {
            let done: &[(Point, FrameItem)] = match &out {
                Some(done) => done,
                None => &items[..i],
            };
            let joined = previous_text(done).and_then(|at| match &done[at] {
                (first_pos, FrameItem::Text(first)) => {
                    join_two(*first_pos, first, *pos, next).map(|joined| (at, joined))
                }
                _ => None,
            });
            if let Some((at, joined)) = joined {
                let done = out.get_or_insert_with(|| items[..i].to_vec());
                done[at].1 = FrameItem::Text(joined);
                continue;
            }
        }
        let group = match item {
            FrameItem::Group(group) => self::frame(&group.frame).map(|frame| {
                FrameItem::Group(GroupItem {
                    frame,
                    ..group.clone()
                })
            }),
            _ => None,
        };
        match (group, &mut out) {
            (Some(group), _) => out
                .get_or_insert_with(|| items[..i].to_vec())
                .push((*pos, group)),
            (None, Some(done)) => done.push((*pos, item.clone())),
            (None, None) => {}
        }
    }
    out.map(|items| {
        let mut joined = frame.clone();
        joined.clear();
        joined.push_multiple(items);
        joined
    })
}

/// Where in `done` the text item is that the next one may continue: the last item, or the
/// last text item before the lines Typst draws after it when the text is underlined or
/// struck through (a link, `~~text~~`), which are shapes with no place in the source.
/// Those lines then stay after the joined item: the marks of the next item are drawn before
/// them, not after, which changes nothing visible (they are the text's colour and do not
/// cross).
fn previous_text(done: &[(Point, FrameItem)]) -> Option<usize> {
    done.iter()
        .enumerate()
        .rev()
        .take(MAX_LINES + 1)
        .find(|(_, (_, item))| !matches!(item, FrameItem::Shape(_, span) if span.is_detached()))
        .and_then(|(at, (_, item))| matches!(item, FrameItem::Text(_)).then_some(at))
}

/// The most decoration lines looked past: a run underlined and struck through has two
/// lines after each piece, and an underline that skips the letters' descenders one more
/// for each gap.
const MAX_LINES: usize = 8;

/// `first` (at `at`) and `next` (at `pos`, right after it in its frame) as one item at `at`,
/// when they are the pieces of one split cluster run (see the module's doc).
fn join_two(at: Point, first: &TextItem, pos: Point, next: &TextItem) -> Option<TextItem> {
    if first.font != next.font
        || first.size != next.size
        || first.fill != next.fill
        || first.stroke != next.stroke
        || first.lang != next.lang
        || first.region != next.region
    {
        return None;
    }
    let (last, head) = (first.glyphs.last()?, next.glyphs.first()?);
    // One cluster: Typst gives each glyph the source place of its cluster's first
    // character, so glyphs of two clusters share one only where the same text is set twice
    // from one place (or from places Typst does not know), which the mark test below tells.
    if last.span != head.span || !(at.x + first.width()).approx_eq(pos.x) {
        return None;
    }
    let cluster = first.text.get(last.range())?;
    if cluster.is_empty() || next.text.get(head.range()) != Some(cluster) {
        return None;
    }
    let shared = cluster.len();
    // Left to right the cluster ends the first item's text and begins the next's; right to
    // left (Arabic, Hebrew) the glyphs run against the text, and it begins the first's text
    // and ends the next's. Where both items hold only the cluster, its letter's direction
    // tells.
    let ltr_seam = last.range().end == first.text.len() && head.range().start == 0;
    let rtl_seam = last.range().start == 0 && head.range().end == next.text.len();
    let right_to_left = match (ltr_seam, rtl_seam) {
        (true, false) => false,
        (false, true) => true,
        (true, true) => right_to_left(cluster)?,
        (false, false) => return None,
    };
    // A cluster's glyphs are its letter and then its marks, in the order they are drawn:
    // so left to right the next item begins with a mark, right to left the first ends with
    // one. Where the glyph there is a letter, these are two clusters with the same text and
    // place (`o̊o̊` set from one string twice), which stay apart.
    let (text, shift_first, shift_next) = if !right_to_left && is_mark(next, head) {
        let mut text = first.text.clone();
        text.push_str(&next.text[shared..]);
        (text, 0, first.text.len() - shared)
    } else if right_to_left && is_mark(first, last) {
        let mut text = next.text.clone();
        text.push_str(&first.text[shared..]);
        (text, next.text.len() - shared, 0)
    } else {
        return None;
    };
    // Glyph ranges are 16-bit.
    let shift_first = u16::try_from(shift_first).ok()?;
    let shift_next = u16::try_from(shift_next).ok()?;
    u16::try_from(text.len()).ok()?;
    // Typst places an item at `top + shift - y_offset` (y down) and a glyph's offset is y up.
    let raise = Em::from_abs(at.y - pos.y, next.size);
    let shifted = |range: &std::ops::Range<u16>, by: u16| range.start + by..range.end + by;
    let glyphs = first
        .glyphs
        .iter()
        .map(|g| Glyph {
            range: shifted(&g.range, shift_first),
            ..g.clone()
        })
        .chain(next.glyphs.iter().map(|g| Glyph {
            range: shifted(&g.range, shift_next),
            y_offset: g.y_offset + raise,
            ..g.clone()
        }))
        .collect();
    Some(TextItem {
        font: first.font.clone(),
        size: first.size,
        fill: first.fill.clone(),
        stroke: first.stroke.clone(),
        lang: first.lang,
        region: first.region,
        text,
        glyphs,
    })
}

/// Whether the glyphs of `cluster` run right to left: its letter's direction (a number's
/// digits run left to right in right-to-left text too); `None` for a letter with none of
/// its own (punctuation, a space), whose direction is its neighbours'.
fn right_to_left(cluster: &str) -> Option<bool> {
    use unicode_bidi::BidiClass::{AL, AN, EN, L, R};
    match unicode_bidi::bidi_class(cluster.chars().next()?) {
        R | AL => Some(true),
        L | EN | AN => Some(false),
        _ => None,
    }
}

/// Whether `glyph` of `item` is a mark set on its cluster's letter, never a glyph that
/// begins a cluster: its font classes it so (GDEF); or, since some fonts class their
/// combining marks as letters (Liberation Sans), it is not the glyph of the cluster's first
/// character and is either the glyph of one of its combining marks or one that takes no
/// room of its own (a mark the font substituted, such as a flatter accent for a capital).
fn is_mark(item: &TextItem, glyph: &Glyph) -> bool {
    let ttf = item.font.ttf();
    let id = ttf_parser::GlyphId(glyph.id);
    let class = ttf.tables().gdef.and_then(|gdef| gdef.glyph_class(id));
    if class == Some(ttf_parser::gdef::GlyphClass::Mark) {
        return true;
    }
    let Some(cluster) = item.text.get(glyph.range()) else {
        return false;
    };
    let mut chars = cluster.chars();
    if chars.next().and_then(|c| ttf.glyph_index(c)) == Some(id) {
        return false;
    }
    ttf.glyph_hor_advance(id) == Some(0)
        || chars.any(|c| is_combining_mark(c) && ttf.glyph_index(c) == Some(id))
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use typst::layout::Abs;
    use typst::syntax::Span;
    use typst::text::{FontInstance, FontVariations, Lang};
    use typst::visualize::{Color, Paint};

    use super::*;

    fn font(family: &str) -> FontInstance {
        let font = crate::fonts::faces()
            .iter()
            .find(|f| f.info().family == family && f.info().variant == Default::default())
            .unwrap()
            .clone();
        let variant = font.info().variant;
        font.instantiate(variant, Abs::pt(11.0), &FontVariations::default())
    }

    /// The glyph the font maps `c` to, at `range` of its item's text, all from one place.
    fn glyph(font: &FontInstance, c: char, range: Range<u16>, x_advance: f64) -> Glyph {
        Glyph {
            id: font.ttf().glyph_index(c).unwrap().0,
            x_advance: Em::new(x_advance),
            x_offset: Em::zero(),
            y_advance: Em::zero(),
            y_offset: Em::zero(),
            range,
            span: (Span::detached(), 0),
        }
    }

    fn item(font: &FontInstance, text: &str, glyphs: Vec<Glyph>) -> TextItem {
        TextItem {
            font: font.clone(),
            size: Abs::pt(11.0),
            fill: Paint::Solid(Color::BLACK),
            stroke: None,
            lang: Lang::SWEDISH,
            region: None,
            text: text.into(),
            glyphs,
        }
    }

    #[test]
    fn a_raised_mark_split_off_its_letter_is_joined_at_its_height() {
        let f = font("Liberation Sans");
        let first = item(
            &f,
            "xo\u{30A}",
            vec![glyph(&f, 'x', 0..1, 0.5), glyph(&f, 'o', 1..4, 0.556)],
        );
        let ring = item(&f, "o\u{30A}", vec![glyph(&f, '\u{30A}', 0..3, 0.0)]);
        let at = Point::new(Abs::pt(20.0), Abs::pt(100.0));
        let pos = Point::new(at.x + first.width(), Abs::pt(97.8));
        let joined = join_two(at, &first, pos, &ring).unwrap();
        assert_eq!(joined.text, "xo\u{30A}");
        let ranges: Vec<_> = joined.glyphs.iter().map(|g| g.range.clone()).collect();
        assert_eq!(ranges, [0..1, 1..4, 1..4]);
        // 2.2 pt higher at 11 pt: 0.2 em up.
        assert!((joined.glyphs[2].y_offset.get() - 0.2).abs() < 1e-9);
        assert_eq!(joined.glyphs[1].y_offset, Em::zero());
        // Not where the next item does not start at the first's end, nor in another colour.
        let apart = Point::new(pos.x + Abs::pt(1.0), pos.y);
        assert!(join_two(at, &first, apart, &ring).is_none());
        let red = TextItem {
            fill: Paint::Solid(Color::from_u8(255, 0, 0, 255)),
            ..ring.clone()
        };
        assert!(join_two(at, &first, pos, &red).is_none());
    }

    #[test]
    fn two_letters_with_the_same_text_and_place_stay_apart() {
        // `o̊o̊` set from one place twice (a repeated string): the seam is between the first
        // letter's ring and the second's `o`, a letter.
        let f = font("Liberation Sans");
        let one = || {
            item(
                &f,
                "o\u{30A}",
                vec![glyph(&f, 'o', 0..3, 0.556), glyph(&f, '\u{30A}', 0..3, 0.0)],
            )
        };
        let (first, next) = (one(), one());
        let at = Point::new(Abs::pt(20.0), Abs::pt(97.8));
        let pos = Point::new(at.x + first.width(), Abs::pt(100.0));
        assert!(join_two(at, &first, pos, &next).is_none());
    }

    #[test]
    fn two_arabic_letters_with_the_same_text_and_place_stay_apart() {
        // Right to left a cluster's marks come before its letter: the seam is between the
        // first letter's beh and the second's fatha.
        let f = font("Noto Sans Arabic");
        let one = || {
            item(
                &f,
                "\u{628}\u{64E}",
                vec![
                    glyph(&f, '\u{64E}', 0..4, 0.0),
                    glyph(&f, '\u{628}', 0..4, 0.3),
                ],
            )
        };
        let (first, next) = (one(), one());
        let at = Point::new(Abs::pt(20.0), Abs::pt(97.8));
        let pos = Point::new(at.x + first.width(), Abs::pt(100.0));
        assert!(join_two(at, &first, pos, &next).is_none());
    }

    #[test]
    fn right_to_left_the_marks_piece_comes_first() {
        // "اب" + fatha on the beh, set right to left: the fatha (raised) is drawn leftmost,
        // then the beh and the alef; the text runs the other way.
        let f = font("Noto Sans Arabic");
        let fatha = item(&f, "\u{628}\u{64E}", vec![glyph(&f, '\u{64E}', 0..4, 0.0)]);
        let letters = item(
            &f,
            "\u{627}\u{628}\u{64E}",
            vec![
                glyph(&f, '\u{628}', 2..6, 0.3),
                glyph(&f, '\u{627}', 0..2, 0.25),
            ],
        );
        let at = Point::new(Abs::pt(20.0), Abs::pt(97.8));
        let pos = Point::new(at.x, Abs::pt(100.0));
        let joined = join_two(at, &fatha, pos, &letters).unwrap();
        assert_eq!(joined.text, "\u{627}\u{628}\u{64E}");
        let ranges: Vec<_> = joined.glyphs.iter().map(|g| g.range.clone()).collect();
        assert_eq!(ranges, [2..6, 2..6, 0..2]);
        // The letters sit 2.2 pt below the fatha's item.
        assert!((joined.glyphs[1].y_offset.get() + 0.2).abs() < 1e-9);
    }
}
