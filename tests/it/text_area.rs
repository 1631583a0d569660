//! No text outside the page (issue 12 kind 5, issue 13 item 5): every glyph of every sample
//! and fixture PDF lies within the text area's width — long file names, identifiers with
//! `_`, long numbers and 105-letter words break inside it, in running text, headings,
//! attendance rows, tables, footnotes and headers.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Every meeting file this suite has: the sample archive and each fixture folder's.
fn meetings() -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in ["data/fvg", "data/amn"] {
        for e in std::fs::read_dir(repo().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                found.push(p);
            }
        }
    }
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, found);
            } else if p.file_name().is_some_and(|n| n == "meeting.toml") {
                found.push(p);
            }
        }
    }
    walk(&repo().join("tests/fixtures"), &mut found);
    found.sort();
    found
}

#[test]
fn every_glyph_of_every_sample_and_fixture_is_inside_the_text_area() {
    let out = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for (i, meeting) in meetings().iter().enumerate() {
        let pdf = out.path().join(format!("{i}.pdf"));
        let dir = meeting.parent().unwrap();
        let name = meeting.file_name().unwrap().to_str().unwrap();
        let run = assemble(dir, &[name, "-o", pdf.to_str().unwrap()]);
        // Fixtures of refused input (an encrypted PDF) make no PDF: nothing to check.
        if !run.status.success() {
            continue;
        }
        // Nothing in the samples and fixtures is too wide for its page: the check that
        // names such text finds none (no false alarm).
        let err = stderr(&run);
        assert!(
            !err.contains("runs over other text") && !err.contains("is cut off"),
            "{}: {err}",
            meeting.display()
        );
        assert_glyphs_inside_text_area(&pdf);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} meetings rendered");
}

#[test]
fn long_tokens_break_inside_the_text_area_and_extract_whole_where_unbroken() {
    let dir = fixture("bilagor-kinds");
    let pdf = build(dir.path());
    assert_glyphs_inside_text_area(&pdf);
    let text = pages(&pdf).join(" ");
    // Broken over lines, the pieces follow each other; nothing is lost.
    let joined: String = text.split_whitespace().collect();
    for token in [
        "Bemanningsplanering_arbetssatt_Arbetsmarknadsforvaltningen_2020-09-17_slutversion_REV3_granskad.docx",
        "berakna_sysselsattningsgrad_for_samtliga_enheter_inom_forvaltningen_v2",
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
        "samordnare_för_arbetsmarknadsinsatser_och_kompetensförsörjning_2020_rev3",
        "Protokollsunderlag_arbetsmarknadsforvaltningen_2020-09-17_slutversion_REV3.docx",
    ] {
        assert!(
            joined.replace('\u{ad}', "").contains(token),
            "`{token}` is printed whole (across lines): {text}"
        );
    }
}

/// A table whose 60-letter word has no break point and overflows its narrow column.
const WIDE: &str = "| Nr | Benämning | Enhet | Status | Kommentar | Ansvarig | Datum |\n\
                    |---|---|---|---|---|---|---|\n\
                    | 1 | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | Jobbtorg | Klar | Inga | Stab | 2020 |\n";

/// Builds `dir/meeting.toml` to `out.pdf`, which must succeed; returns the warnings.
fn warnings_of(dir: &Path) -> String {
    let out = assemble(dir, &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    err
}

/// The line (from 1) of `text` that is `line`.
fn line_of(text: &str, line: &str) -> usize {
    text.lines().position(|l| l == line).unwrap() + 1
}

/// Text a page cannot hold — a word longer than its column, a table wider than the page — is
/// printed as Typst lays it out, and named in a warning at the bilaga's `file =` line with its
/// pages (found in the laid-out pages: text covering text on a line, or past the page edge).
#[test]
fn text_too_wide_for_its_column_or_page_is_named_at_its_bilaga() {
    let dir = fixture("markdown-table");
    std::fs::write(dir.path().join("bilagor/tabell.md"), WIDE).unwrap();
    let err = warnings_of(dir.path());
    let toml = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let line = line_of(&toml, "file = \"bilagor/tabell.md\"");
    assert!(
        err.contains("bilaga `tabell` (`bilagor/tabell.md`): text on page 3 (bilaga 1, page 1) runs over other text"),
        "{err}"
    );
    assert!(err.contains(&format!("meeting.toml:{line}:")), "{err}");
    let text = pages(&dir.path().join("out.pdf")).join(" ");
    assert!(text.contains("Jobbtorg"), "{text}");

    // Thirty columns of fifteen-digit numbers run past the right edge of the page.
    let cells = |s: &str| format!("|{}\n", format!("{s}|").repeat(30));
    let numbers = format!(
        "{}{}{}",
        cells("Kolumn"),
        cells("---"),
        cells("123456789012345")
    );
    std::fs::write(dir.path().join("bilagor/tabell.md"), numbers).unwrap();
    let err = warnings_of(dir.path());
    assert!(
        err.contains("runs past the edge of the page and is cut off"),
        "{err}"
    );
}

/// Overlaps are found whatever the baselines (a cell's number over the next cell's code,
/// set smaller and lower), and text past the top or bottom edge too (a nämnd's top margin
/// of 1 cm, which the house style allows, leaves a draft's header no room).
#[test]
fn text_over_code_and_a_header_above_the_page_are_named() {
    let dir = fixture("markdown-table");
    let code = "| Belopp | Konto | Belopp | Konto | Belopp | Konto |\n\
                |---|---|---|---|---|---|\n\
                | 123456789012345 | `123456789012345` | 123456789012345 | `123456789012345` | 123456789012345 | `123456789012345` |\n";
    std::fs::write(dir.path().join("bilagor/tabell.md"), code).unwrap();
    let err = warnings_of(dir.path());
    assert!(
        err.contains("(bilaga 1, page 1) runs over other text"),
        "{err}"
    );

    let dir = fixture("namnd");
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // A draft: its header has the line "UTKAST – ej justerat" as well.
    let text = text.replace("justerad = 2020-04-24\n", "");
    std::fs::write(&path, format!("{text}\n[husstil.margins]\ntop = 1.0\n")).unwrap();
    let err = warnings_of(dir.path());
    // Every page of the protocol: 3 since the signatures stay with the end of the text.
    assert!(
        err.contains("text on pages 1, 2, 3 (the page header or footer) runs past the edge"),
        "{err}"
    );
}

/// In a § text, the warning stands at that § in the meeting file.
#[test]
fn text_too_wide_in_a_paragraf_is_named_at_its_paragraf() {
    let dir = fixture("markdown-table");
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "text = \"Ordförande tackade för deltagandet.\"",
        &format!("text = \"\"\"\n{WIDE}\"\"\""),
        1,
    );
    std::fs::write(&path, &text).unwrap();
    let err = warnings_of(dir.path());
    let line = line_of(&text, "title = \"Mötet avslutades\"");
    assert!(err.contains("§ 3: text on page"), "{err}");
    assert!(err.contains(&format!("meeting.toml:{line}:")), "{err}");
}

/// In a nämnd § whose text has a heading that begins with a § number of its own ("§ 31 i
/// reglementet"), the warning still names the § it is in, at that § in the meeting file.
#[test]
fn a_heading_in_a_paragraf_text_does_not_move_the_warning_to_another_paragraf() {
    let dir = fixture("namnd");
    let path = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let arendet = "arendet = \"Förvaltningen har tagit fram ett förfrågningsunderlag för vägledningstjänster.\"";
    assert!(text.contains(arendet), "the fixture's § 34 changed");
    let text = text.replacen(
        arendet,
        &format!("arendet = \"\"\"\n## § 31 i reglementet\n\nText.\n\n{WIDE}\"\"\""),
        1,
    );
    std::fs::write(&path, &text).unwrap();
    let err = warnings_of(dir.path());
    let line = line_of(&text, "title = \"Upphandling av vägledningstjänster\"");
    assert!(err.contains("§ 34: text on page"), "{err}");
    assert!(err.contains(&format!("meeting.toml:{line}:")), "{err}");
    assert!(!err.contains("§ 31: text on page"), "{err}");
}
