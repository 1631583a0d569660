//! Issue 21: page breaks as the nämnd's paper protocol has them, so that cited page numbers
//! ("protokollet sida 12") hold: a page break before any single § (its `page_break`, which
//! the house style's `new_page` rule does not override), page 1 limited to the attendance,
//! and the signatures on a page of their own or not. Each test runs the binary on its own
//! fixture (`tests/fixtures/house-style-pages/`), reads the PDF back page by page with
//! pdftotext and asserts which § or the signatures begin which page — with the key and
//! without it.

use std::path::Path;

use crate::common::*;

/// The fixture `name` with `edit` applied to its meeting file, built: the PDF's path (in
/// the returned folder, which must be kept while the PDF is read).
fn built(name: &str, edit: impl Fn(String) -> String) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = fixture(&format!("house-style-pages/{name}"));
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(text)).unwrap();
    let pdf = build(dir.path());
    (dir, pdf)
}

/// `text` without the line `line` (which must occur).
fn without(text: String, line: &str) -> String {
    assert!(
        text.lines().any(|l| l == line),
        "`{line}` is in the fixture"
    );
    text.lines()
        .filter(|l| *l != line)
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The text of page `n` (from 1), as pdftotext reads it.
fn page_text(pdf: &Path, n: usize) -> String {
    let n = n.to_string();
    let out = std::process::Command::new("pdftotext")
        .args(["-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext -f {n} -l {n}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Each page's text, in order.
fn page_texts(pdf: &Path) -> Vec<String> {
    (1..=page_count(pdf)).map(|n| page_text(pdf, n)).collect()
}

/// The § headings ("§ 3") that each page holds, in order: the first is the § that begins
/// the page (the page header names no §).
fn paragrafer_by_page(pdf: &Path) -> Vec<Vec<String>> {
    page_texts(pdf)
        .iter()
        .map(|page| {
            page.lines()
                .filter_map(|l| {
                    let number = l.strip_prefix("§ ")?.split_whitespace().next()?;
                    number
                        .chars()
                        .all(|c| c.is_ascii_digit())
                        .then(|| format!("§ {number}"))
                })
                .collect()
        })
        .collect()
}

/// The page (from 1) whose text contains `needle`.
fn page_of(pdf: &Path, needle: &str) -> usize {
    page_texts(pdf)
        .iter()
        .position(|p| p.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is on no page"))
        + 1
}

fn pages_of(paragrafer: &[&[&str]]) -> Vec<Vec<String>> {
    paragrafer
        .iter()
        .map(|page| page.iter().map(|p| p.to_string()).collect())
        .collect()
}

#[test]
fn a_paragrafs_own_page_break_wins_over_the_house_style_rule_either_way() {
    // The house style starts each ärende on a new page. § 2 (a fixed item) asks for a new
    // page; § 4 (an ärende) asks to stay on the page of § 3.
    let (_dir, pdf) = built("paragraf-page-break", |t| t);
    assert_eq!(
        paragrafer_by_page(&pdf),
        pages_of(&[&["§ 1"], &["§ 2"], &["§ 3", "§ 4"], &["§ 5"]]),
    );

    // Without the § keys, the rule alone: § 2 follows § 1, § 4 begins a page.
    let (_dir, pdf) = built("paragraf-page-break", |t| {
        without(without(t, "page_break = true"), "page_break = false")
    });
    assert_eq!(
        paragrafer_by_page(&pdf),
        pages_of(&[&["§ 1", "§ 2"], &["§ 3"], &["§ 4"], &["§ 5"]]),
    );
}

#[test]
fn the_signatures_begin_a_page_of_their_own_when_the_house_style_says_so() {
    let (_dir, pdf) = built("signatures-alone", |t| t);
    let signatures = page_of(&pdf, "Vid protokollet");
    assert_eq!(signatures, 2);
    assert_eq!(
        paragrafer_by_page(&pdf),
        pages_of(&[&["§ 1", "§ 2", "§ 3"], &[]])
    );
    // The whole block moved: "Justeras" and the justerare's line with it.
    let page = page_text(&pdf, signatures);
    assert!(page.contains("Justeras"), "{page}");
    assert!(page.contains("Per Holm (M), justerare"), "{page}");

    // By default they follow the last § on its page, where they fit.
    let (_dir, pdf) = built("signatures-alone", |t| {
        without(t, "signatures_alone = true")
    });
    assert_eq!(page_of(&pdf, "Vid protokollet"), 1);
    assert_eq!(page_count(&pdf), 1);
}

#[test]
fn page_one_holds_the_attendance_alone_when_the_house_style_says_so() {
    let (_dir, pdf) = built("attendance-alone", |t| t);
    let first = page_text(&pdf, 1);
    for attendance in ["Närvarande", "Erik Falk (L)", "Justerare", "Justering"] {
        assert!(first.contains(attendance), "{attendance}: {first}");
    }
    assert_eq!(
        paragrafer_by_page(&pdf),
        pages_of(&[&[], &["§ 1", "§ 2", "§ 3"]])
    );

    // By default § 1 follows the attendance on page 1.
    let (_dir, pdf) = built("attendance-alone", |t| {
        without(t, "attendance_alone = true")
    });
    assert_eq!(paragrafer_by_page(&pdf)[0], ["§ 1", "§ 2", "§ 3"]);
}

/// The new keys are in the schema the shape check reads: a misspelt one names them.
#[test]
fn a_misspelt_page_break_key_names_the_key_it_is_close_to() {
    let dir = fixture("house-style-pages/paragraf-page-break");
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("page_break = false", "page_brake = false")
        .replace(
            "new_page = \"arenden\"",
            "new_page = \"arenden\"\nsignatures_alon = true",
        );
    std::fs::write(&path, text).unwrap();
    let out = assemble(dir.path(), &["check", "meeting.toml"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("unknown key `page_brake` in `paragraf`"),
        "{err}"
    );
    assert!(err.contains("did you mean `page_break`?"), "{err}");
    assert!(
        err.contains("unknown key `signatures_alon` in `husstil`"),
        "{err}"
    );
    assert!(err.contains("did you mean `signatures_alone`?"), "{err}");
}

/// `assemble new --from` carries the meeting's `[husstil]`, the signatures key with it.
#[test]
fn new_from_carries_signatures_alone_in_the_meetings_house_style() {
    let dir = fixture("house-style-pages/signatures-alone");
    let text = new_next(dir.path(), "2021-04-20");
    let husstil = &text[text.find("[husstil]").expect("[husstil] carried")..];
    assert!(husstil.contains("signatures_alone = true"), "{text}");
}
