//! What drawing a PDF bilaga costs is counted where it arises (issue 29): an annotation's
//! appearance, a soft mask's group, a tiling pattern's cell and a Type 3 glyph count like page
//! content, each time drawn; nesting is bounded by a counter (a glyph that draws itself is
//! refused, not a stack overflow); an image counts its pixels each time it is drawn. Each
//! input is a few kilobytes under every per-object cap, and is refused by `check` and by a
//! build at the bilaga's `file =` line, before any page is drawn.

use crate::common::*;

/// `check` and a build of `meeting` in the fixture `pdf-cost` both refuse it at the bilaga's
/// `file =` line with `expected` in the message; nothing is written.
fn refused_at_file_line(meeting: &str, expected: &str) {
    let dir = fixture("pdf-cost");
    let d = dir.path();
    let text = std::fs::read_to_string(d.join(meeting)).unwrap();
    let line = text.lines().position(|l| l.starts_with("file = ")).unwrap() + 1;
    for args in [vec!["check", meeting], vec![meeting, "-o", "out.pdf"]] {
        let out = assemble(d, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("overflow"),
            "{err}"
        );
        assert!(
            err.contains(&format!("{meeting}:{line}:")),
            "{args:?}: {err}"
        );
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!d.join("out.pdf").exists());
    }
}

/// Case hostile-3/R06-pdf-annotation-appearance-fanout: a Square annotation whose appearance draws a form 10 times, 7 levels deep.
#[test]
fn case_r06_an_annotation_appearance_fanning_out_is_refused_at_the_file_line() {
    refused_at_file_line(
        "fanout-appearance.toml",
        "page 1 of the PDF has more than the 100,000 drawing operations on one page allowed (cap: PDF operations per page)",
    );
}

#[test]
fn a_type3_glyph_that_draws_itself_is_refused_not_a_stack_overflow() {
    refused_at_file_line(
        "type3-self.toml",
        "page 1 of the PDF has more than the 16 levels of forms, appearances, masks, patterns and Type 3 glyphs inside one another allowed (cap: PDF nesting depth)",
    );
}

#[test]
fn a_soft_mask_fanning_out_is_counted_like_page_content() {
    refused_at_file_line("mask.toml", "(cap: PDF operations per page)");
}

#[test]
fn a_tiling_pattern_fanning_out_is_counted_like_page_content() {
    refused_at_file_line("monster.toml", "(cap: PDF operations per page)");
}

/// 100 pages that share one 25-megapixel image: 2.5 billion pixels drawn from 38 kB.
#[test]
fn an_image_shared_by_100_pages_counts_its_pixels_each_time_drawn() {
    refused_at_file_line("delad-bild.toml", "(cap: PDF image pixels drawn)");
}
