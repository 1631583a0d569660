//! A Typst problem in a § text or a bilaga is placed where the § or bilaga is written in the
//! meeting file, from the ranges of the generated source each part became — also with a
//! `--templates` copy whose calls have other names than the built-in ones (issue 21: the
//! place used to be found by searching the source for `#paragraf(` and `#bilaga(`).

use std::path::Path;

use crate::common::*;

/// The built-in templates copied to `dir/mall`: emphasis in a § text fails (in the library,
/// while the § is shown); with `rename`, the library's `paragraf` and `bilaga` have other
/// names, and the templates call those.
fn copy_templates(dir: &Path, rename: bool) {
    let mall = dir.join("mall");
    std::fs::create_dir(&mall).unwrap();
    let read = |name: &str| std::fs::read_to_string(repo().join("templates").join(name)).unwrap();
    let opening = "#let paragraf(number: 1, title: \"\", body) = {\n";
    let library = read("protokoll.typ");
    assert!(library.contains(opening), "the library's § changed");
    let mut library = library.replacen(
        opening,
        &format!("{opening}  show emph: it => panic(\"kursiv stil\")\n"),
        1,
    );
    let mut fvg = read("fvg.typ.j2");
    let mut bilagor = read("bilagor.typ.j2");
    if rename {
        library = library
            .replacen("#let paragraf(", "#let arende-paragraf(", 1)
            .replacen("#let bilaga(", "#let egen-bilaga(", 1);
        fvg = fvg.replace("#paragraf(", "#arende-paragraf(");
        bilagor = bilagor.replace("#bilaga(", "#egen-bilaga(");
        assert!(!fvg.contains("#paragraf(") && !bilagor.contains("#bilaga("));
    }
    std::fs::write(mall.join("protokoll.typ"), library).unwrap();
    std::fs::write(mall.join("fvg.typ.j2"), fvg).unwrap();
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

#[test]
fn a_typst_error_in_a_paragraf_text_is_placed_at_its_paragraf_whatever_the_calls_are_named() {
    for rename in [false, true] {
        let dir = fixture("minimal");
        let d = dir.path();
        copy_templates(d, rename);
        let path = d.join("meeting.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let said = "Ordförande tackade för deltagandet";
        assert!(text.contains(said), "the fixture's § 3 changed");
        std::fs::write(
            &path,
            text.replace(said, "Ordförande tackade *varmt* för deltagandet"),
        )
        .unwrap();
        let err = build(d);
        assert!(err.contains("§ 3: typst: panicked with"), "{rename}: {err}");
        assert!(err.contains("kursiv stil"), "{err}");
        let line = line_of(d, "title = \"Mötet avslutades\"");
        assert!(
            err.contains(&format!("meeting.toml:{line}:")),
            "{rename}: at the § title:\n{err}"
        );
        assert!(
            err.contains("in the generated Typst source at out.typ:"),
            "{err}"
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
        copy_templates(d, rename);
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
