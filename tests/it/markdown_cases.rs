//! Markdown bilagor, round three (issue 23) and the Markdown budgets (issue 29 item 5): the
//! cases of `../shared/cases/bilagor-3/md-*` (copied to `tests/fixtures/cases/`, their README
//! the right result), raw HTML and comments never printed, and every Markdown construct
//! beyond its budget refused at its Markdown line instead of printed as written or set on
//! thousands of pages.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Builds a fixture folder with no error printed; returns it, the PDF and the warnings.
fn built(name: &str) -> (tempfile::TempDir, PathBuf, String) {
    let (dir, pdf, err) = built_fixture(name);
    assert!(!err.contains("error"), "{name}:\n{err}");
    (dir, pdf, err)
}

/// The PDF's text as poppler reads it (pdf_extract puts a space wherever the font changes).
fn pdftotext(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// --- The cases of ../shared/cases/bilagor-3/md-* ---------------------------------------

#[test]
fn case_emphasis_or_strong_followed_by_a_parenthesis_or_bracket_prints_as_written() {
    let (_d, pdf, _) = built("cases/md-inline-then-paren");
    let text = pdftotext(&pdf);
    assert!(text.contains("omvandling, 41(11–12), 3325–3338."), "{text}");
    assert!(text.contains("Fetstil[1] följt av hakparentes."), "{text}");
}

#[test]
fn case_html_comments_are_not_printed_and_each_is_named_at_its_line() {
    let (dir, pdf, err) = built("cases/md-html-comment");
    let text = bilaga_text(&pdf);
    assert!(
        !text.contains("INTERN") && !text.contains("dold kommentar"),
        "{text}"
    );
    assert!(text.contains("Text före kommentaren."), "{text}");
    assert!(
        text.contains("Text efter. Inline fortsätter här."),
        "{text}"
    );
    for at in ["m/b.md:3:1", "m/b.md:5:20"] {
        assert!(err.contains(at), "a warning at {at}:\n{err}");
    }
    assert!(err.contains("HTML comment"), "{err}");
    // Nor in the web edition.
    let out = assemble(dir.path(), &["publish", "meeting.toml", "-o", "webb.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let web = pages(&dir.path().join("webb.pdf")).join(" ");
    assert!(web.contains("Text efter."), "{web}");
    assert!(
        !web.contains("INTERN") && !web.contains("dold kommentar"),
        "{web}"
    );
}

#[test]
fn case_link_holding_text_and_an_image_is_a_link_with_the_logo_inside() {
    let (_d, pdf, _) = built("cases/md-link-text-image");
    let text = pdftotext(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Besök vår webbplats här för mer."), "{text}");
    let doc = lopdf::Document::load(&pdf).unwrap();
    let uris: Vec<Vec<u8>> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| {
            d.get(b"A")
                .ok()?
                .as_dict()
                .ok()?
                .get(b"URI")
                .ok()?
                .as_str()
                .ok()
        })
        .map(<[u8]>::to_vec)
        .collect();
    assert!(
        uris.iter().any(|u| u == b"https://stockholm.se"),
        "{uris:?}"
    );
    let alts: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"Alt").ok())
        .filter_map(|a| lopdf::decode_text_string(a).ok())
        .collect();
    assert!(alts.iter().any(|a| a == "Logotyp"), "{alts:?}");
}

#[test]
fn case_links_in_narrow_table_cells_hyphenate_and_the_table_is_set() {
    let (_d, pdf, _) = built("cases/md-link-hyphen-in-table");
    // Hyphenated as it may be, and the word joiner that keeps a hyphen off a link's end.
    let text: String = pdftotext(&pdf)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{ad}' | '‐' | '\u{2060}'))
        .collect();
    assert_eq!(
        text.matches("Arbetsmarknadsförvaltningens").count(),
        3,
        "{text}"
    );
    assert_eq!(
        text.matches("Kompetensförsörjningsbehov").count(),
        3,
        "{text}"
    );
}

// --- Raw HTML ---------------------------------------------------------------------------

/// A meeting whose one bilaga is the Markdown `text` (`bilagor/b.md`).
fn with_markdown(text: &str) -> tempfile::TempDir {
    let dir = fixture("cases/md-inline-then-paren");
    std::fs::write(dir.path().join("m/b.md"), text).unwrap();
    dir
}

#[test]
fn raw_html_blocks_and_tags_are_not_printed_and_br_breaks_the_line() {
    let dir = with_markdown(
        "Före <b>fet</b> rad ett<br>rad två<br/>rad tre.\n\n<div class=\"intern\">\nDold text i HTML.\n</div>\n\nEfter.\n",
    );
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let pdf = dir.path().join("out.pdf");
    let text = bilaga_text(&pdf);
    assert!(!text.contains("<b>") && !text.contains("<br"), "{text}");
    assert!(
        !text.contains("Dold text") && !text.contains("div"),
        "{text}"
    );
    assert!(text.contains("Före fet rad ett"), "{text}");
    assert!(text.contains("Efter."), "{text}");
    // `<br>` is a line break: the three lines start lines of their own.
    let raw = pdftotext(&pdf);
    let starts = |w: &str| raw.lines().any(|l| l.trim_start().starts_with(w));
    assert!(starts("rad två") && starts("rad tre."), "{raw}");
    assert!(
        err.contains("m/b.md:1:6"),
        "the tag is named at its place:\n{err}"
    );
    assert!(
        err.contains("m/b.md:3:1"),
        "the block is named at its line:\n{err}"
    );
    assert!(
        err.contains("Dold text i HTML"),
        "the block's text is quoted:\n{err}"
    );
}

// --- Budgets (issue 29 item 5) -----------------------------------------------------------

/// Runs `check` on a meeting whose Markdown bilaga is `text`: its exit code and stderr.
fn check(text: &str) -> (Option<i32>, String) {
    let dir = with_markdown(text);
    let out = assemble(dir.path(), &["check", "meeting.toml"]);
    (out.status.code(), stderr(&out))
}

/// The text at the cap passes `check`; one more is refused at `at` naming `cap`.
fn refused_over_the_cap(at_cap: &str, over: &str, at: &str, cap: &str) {
    let (code, err) = check(at_cap);
    assert_eq!(code, Some(0), "at the cap:\n{err}");
    let (code, err) = check(over);
    assert_eq!(code, Some(1), "over the cap:\n{err}");
    assert!(err.contains(&format!("(cap: {cap})")), "{err}");
    assert!(err.contains(at), "refused at {at}:\n{err}");
}

/// Case hostile-3/R10-one-paragraph-120000-emphases: one paragraph of 120,000 emphases
/// (94 s, 829 MB) is refused at the element that goes over the cap.
#[test]
fn a_paragraph_of_more_inline_elements_than_the_cap_is_refused_at_its_line() {
    let cap = 5_000;
    let paragraph = |n: usize| "*a* ".repeat(n);
    refused_over_the_cap(
        &format!("Inledning.\n\n{}\n", paragraph(cap)),
        &format!("Inledning.\n\n{}\n", paragraph(cap + 1)),
        // The element that goes over: the 5,001st, 4 bytes each.
        &format!("m/b.md:3:{}", cap * 4 + 1),
        "inline elements",
    );
    // Split into paragraphs, the same elements pass.
    let split: String = (0..3).map(|_| format!("{}\n\n", paragraph(cap))).collect();
    assert_eq!(check(&split).0, Some(0));
    // Characters Typst sets apart count too: 50,000 lines of `]([` in one paragraph took
    // minutes (issue 29).
    let (code, err) = check(&"]([\n".repeat(50_000));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("(cap: inline elements)"), "{err}");
}

#[test]
fn more_links_than_the_cap_are_refused_at_the_link_that_goes_over() {
    let cap = 5_000;
    // Paragraphs of 100 links: under the inline cap, over the links cap.
    let links = |n: usize| -> String {
        (0..n)
            .map(|i| {
                let end = if i % 100 == 99 { "\n\n" } else { " " };
                format!("[l](https://x.se){end}")
            })
            .collect()
    };
    let over_line = 1 + 2 * (cap / 100);
    refused_over_the_cap(
        &links(cap),
        &links(cap + 1),
        &format!("m/b.md:{over_line}:1"),
        "links",
    );
}

#[test]
fn reference_links_beyond_the_budget_are_refused_never_printed_as_brackets() {
    // A definition of 900 bytes used 100 times is 90,000 bytes copied: the cap.
    let url = format!("https://x.se/{}", "a".repeat(887));
    let uses = |n: usize| -> String {
        let refs: String = (0..n)
            .map(|i| {
                let end = if i % 50 == 49 { "\n\n" } else { " " };
                format!("[x]{end}")
            })
            .collect();
        format!("{refs}\n\n[x]: {url}\n")
    };
    assert_eq!(url.len(), 900);
    refused_over_the_cap(&uses(100), &uses(101), "m/b.md:5:1", "reference links");
}

#[test]
fn code_blocks_of_more_lines_than_the_cap_are_refused_at_the_block() {
    let cap = 5_000;
    let code = |n: usize| format!("Text.\n\n```\n{}```\n", "rad\n".repeat(n));
    // At the block's first line: its text arrives whole.
    refused_over_the_cap(&code(cap), &code(cap + 1), "m/b.md:4:1", "code lines");
}
