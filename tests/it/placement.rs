//! A Typst problem in a § text or a bilaga is placed where the § or bilaga is written in the
//! meeting file — in a § text, at the line of the Markdown it comes from — from the ranges of
//! the generated source each part and each Markdown field became, also with a `--templates`
//! copy whose calls have other names than the built-in ones (issue 21: the place used to be
//! found by searching the source for `#paragraf(` and `#bilaga(`, and then only the §'s title).

use std::path::Path;

use crate::common::*;

/// The built-in templates copied to `dir/mall`: emphasis in a § text fails (in the library,
/// while the § — FVG's `paragraf`, or with `namnd` the nämnd's `namnd-paragraf` — is shown);
/// with `rename`, the library's § and `bilaga` have other names, and the templates call
/// those.
fn copy_templates(dir: &Path, rename: bool, namnd: bool) {
    let mall = dir.join("mall");
    std::fs::create_dir(&mall).unwrap();
    let read = |name: &str| std::fs::read_to_string(repo().join("templates").join(name)).unwrap();
    let (call, template) = if namnd {
        ("namnd-paragraf", "namnd.typ.j2")
    } else {
        ("paragraf", "fvg.typ.j2")
    };
    let library = read("protokoll.typ");
    let opening = library
        .lines()
        .find(|l| l.starts_with(&format!("#let {call}(")) && l.ends_with(" = {"))
        .expect("the library's § changed")
        .to_string();
    let mut library = library.replacen(
        &opening,
        &format!("{opening}\n  show emph: it => panic(\"kursiv stil\")"),
        1,
    );
    let mut meeting = read(template);
    let mut bilagor = read("bilagor.typ.j2");
    if rename {
        library = library
            .replacen(&format!("#let {call}("), "#let arende-paragraf(", 1)
            .replacen("#let bilaga(", "#let egen-bilaga(", 1);
        meeting = meeting.replace(&format!("#{call}("), "#arende-paragraf(");
        bilagor = bilagor.replace("#bilaga(", "#egen-bilaga(");
        assert!(!meeting.contains(&format!("#{call}(")) && !bilagor.contains("#bilaga("));
    }
    std::fs::write(mall.join("protokoll.typ"), library).unwrap();
    std::fs::write(mall.join(template), meeting).unwrap();
    std::fs::write(mall.join("bilagor.typ.j2"), bilagor).unwrap();
}

/// The line (from 1) of `dir/meeting.toml` that is `line`.
fn line_of(dir: &Path, line: &str) -> usize {
    let text = std::fs::read_to_string(dir.join("meeting.toml")).unwrap();
    text.lines()
        .position(|l| l == line)
        .expect("the fixture has the line")
        + 1
}

fn build(dir: &Path) -> String {
    let out = assemble(
        dir,
        &["meeting.toml", "-o", "out.pdf", "--templates", "mall"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!dir.join("out.pdf").exists(), "no output on an error");
    err
}

/// `dir/meeting.toml` with `said` written as `instead`.
fn rewrite(dir: &Path, said: &str, instead: &str) {
    let path = dir.join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(said), "the fixture changed: {said}");
    std::fs::write(&path, text.replace(said, instead)).unwrap();
}

#[test]
fn a_typst_error_in_a_paragraf_text_is_placed_at_its_text_line_whatever_the_calls_are_named() {
    for rename in [false, true] {
        let dir = fixture("minimal");
        let d = dir.path();
        copy_templates(d, rename, false);
        rewrite(
            d,
            "Ordförande tackade för deltagandet",
            "Ordförande tackade *varmt* för deltagandet",
        );
        let err = build(d);
        assert!(err.contains("§ 3: typst: panicked with"), "{rename}: {err}");
        assert!(err.contains("kursiv stil"), "{err}");
        // At the `text = "…"` line, where the Markdown begins (past `text = "`), not at the
        // § title above it.
        let line = line_of(
            d,
            "text = \"Ordförande tackade *varmt* för deltagandet, se även {bilaga:lista}.\"",
        );
        assert!(
            err.contains(&format!("meeting.toml:{line}:9\n")),
            "{rename}: at the § text:\n{err}"
        );
        assert!(
            err.contains("in the generated Typst source at out.typ:"),
            "{err}"
        );
    }
}

#[test]
fn a_typst_error_in_a_multi_line_paragraf_text_is_placed_at_its_markdown_line() {
    for rename in [false, true] {
        let dir = fixture("placement-text");
        let d = dir.path();
        copy_templates(d, rename, false);
        let err = build(d);
        assert!(err.contains("§ 3: typst: panicked with"), "{rename}: {err}");
        // The second line of the text's second paragraph, where the emphasis is.
        let line = line_of(d, "och då är alla *varmt* välkomna.");
        assert!(
            err.contains(&format!("meeting.toml:{line}:1\n")),
            "{rename}: at the Markdown line:\n{err}"
        );
        assert!(
            err.contains(&format!("{line} │ och då är alla *varmt* välkomna.")),
            "{rename}: the line is shown:\n{err}"
        );
    }
}

#[test]
fn a_typst_error_in_a_namnd_arendet_is_placed_at_its_markdown_line_whatever_the_calls_are_named() {
    for rename in [false, true] {
        let dir = fixture("namnd");
        let d = dir.path();
        copy_templates(d, rename, true);
        rewrite(d, "och ett i västerort.", "och ett i *västerort*.");
        let err = build(d);
        assert!(
            err.contains("§ 33: typst: panicked with"),
            "{rename}: {err}"
        );
        // The arendet's second line (one Markdown paragraph of two lines), not its first
        // nor the § title.
        let line = line_of(d, "och ett i *västerort*.");
        assert!(
            err.contains(&format!("meeting.toml:{line}:1\n")),
            "{rename}: at the Markdown line:\n{err}"
        );
    }
}

#[test]
fn a_typst_error_in_a_bilaga_is_placed_at_its_file_line_whatever_the_calls_are_named() {
    // A PNG whose header is sound (it passes the size check) and whose data is broken.
    let png = std::fs::read(repo().join("tests/fixtures/docx/source/karta.png")).unwrap();
    let broken = [&png[..40], &[0u8; 200][..]].concat();
    for rename in [false, true] {
        let dir = fixture("minimal");
        let d = dir.path();
        copy_templates(d, rename, false);
        std::fs::write(d.join("bilagor/trasig.png"), &broken).unwrap();
        let lista = d.join("bilagor/lista.md");
        let text = std::fs::read_to_string(&lista).unwrap();
        std::fs::write(&lista, format!("{text}\n![Trasig bild](trasig.png)\n")).unwrap();
        let err = build(d);
        assert!(
            err.contains("bilaga `lista` (`bilagor/lista.md`): typst: failed to decode image"),
            "{rename}: {err}"
        );
        let line = line_of(d, "file = \"bilagor/lista.md\"");
        assert!(
            err.contains(&format!("meeting.toml:{line}:8")),
            "{rename}: at the bilaga's file:\n{err}"
        );
    }
}
