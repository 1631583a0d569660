//! DOCX structure as Word sets it (issue 23, kinds 3, 4 and 6): each case of
//! `../shared/cases/bilagor-3/docx-*` copied to `tests/fixtures/cases/` (its README the right
//! result), the hostile element with 300,000 attributes (issue 29, R13), and the public test
//! corpora of DOCX readers (`tests/corpora/docx/`) through the word accounting.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::*;
use crate::word_accounting::missing_words;

/// The text of the bilaga pages, joined, without spaces: the extraction puts one where the
/// font changes (a μ or π from the fallback font), which the reader does not see.
fn bilaga_text_unspaced(pdf: &Path) -> String {
    bilaga_text(pdf).replace(' ', "")
}

/// `needles` in order in `text`, spaces ignored.
fn in_order_unspaced(text: &str, needles: &[&str]) {
    let needles: Vec<String> = needles.iter().map(|n| n.replace(' ', "")).collect();
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    assert_in_order(text, &needles);
}

/// The text of the bilaga pages, joined.
fn bilaga_text(pdf: &Path) -> String {
    pages(pdf)
        .into_iter()
        .filter(|p| p.contains("Bilaga 1 till"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The line of `meeting.toml` in `dir` that starts with `prefix` (1-based).
fn line_of(dir: &Path, prefix: &str) -> usize {
    std::fs::read_to_string(dir.join("meeting.toml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with(prefix))
        .unwrap()
        + 1
}

#[test]
fn case_docx_grid_before_and_after_keep_cells_under_their_columns() {
    let (_d, pdf, _) = built_fixture("cases/docx-grid-before-after");
    let text = bilaga_text(&pdf);
    // Row 2 starts one column in: an empty cell, then B2 under Kolumn B, C2 under Kolumn C.
    // Read by position: each value's x equals its column heading's.
    assert_in_order(
        &text,
        &[
            "Kolumn A",
            "Kolumn B",
            "Kolumn C",
            "Värde B2",
            "Värde C2",
            "Värde A3",
            "Värde B3",
            "Värde A4",
            "Värde B4",
            "Värde C4",
        ],
    );
    let xs = x_of(&pdf, &["Kolumn B", "Värde B2", "Kolumn C", "Värde C2"]);
    assert!(
        (xs[0] - xs[1]).abs() < 1.0,
        "Värde B2 under Kolumn B: {xs:?}"
    );
    assert!(
        (xs[2] - xs[3]).abs() < 1.0,
        "Värde C2 under Kolumn C: {xs:?}"
    );
}

/// The x position (pt) where each of `needles` starts on the page it is on, from
/// `pdftotext -bbox`.
fn x_of(pdf: &Path, needles: &[&str]) -> Vec<f64> {
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    // Words in order: (xMin, text).
    let words: Vec<(f64, String)> = html
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let x = l
                .strip_prefix("<word xMin=\"")?
                .split('"')
                .next()?
                .parse()
                .ok()?;
            let text = l.split('>').nth(1)?.split('<').next()?.to_owned();
            Some((x, text))
        })
        .collect();
    needles
        .iter()
        .map(|n| {
            let first: Vec<&str> = n.split(' ').collect();
            words
                .windows(first.len())
                .find(|w| w.iter().map(|(_, t)| t.as_str()).eq(first.iter().copied()))
                .map(|w| w[0].0)
                .unwrap_or_else(|| panic!("`{n}` in the PDF"))
        })
        .collect()
}

#[test]
fn case_docx_main_part_named_document2_is_read() {
    let (_d, pdf, _) = built_fixture("cases/docx-main-part-document2");
    assert_in_order(
        &bilaga_text(&pdf),
        &[
            "Yttrande skrivet i Word för webben.",
            "Andra stycket: vi tillstyrker förslaget.",
        ],
    );
}

#[test]
fn case_docx_numbering_through_a_numbering_style_link_counts() {
    let (_d, pdf, _) = built_fixture("cases/docx-numbering-style-link");
    assert_in_order(
        &bilaga_text(&pdf),
        &[
            "1. Första yrkandet",
            "2. Andra yrkandet",
            "a) Underpunkt",
            "3. Tredje yrkandet",
        ],
    );
}

#[test]
fn case_docx_equations_are_readable_and_named() {
    let (_d, pdf, err) = built_fixture("cases/docx-omml-equations");
    in_order_unspaced(
        &bilaga_text_unspaced(&pdf),
        &[
            "Sjukfrånvaron beräknas som antal sjukdagar/antal arbetsdagar per månad.",
            "Ytan är A=r²·π kvadratmeter.",
            "Årets kostnad är ∑_(i=1)^12 k_i kronor.",
        ],
    );
    assert_eq!(
        err.matches("an equation is shown as linear text").count(),
        3,
        "{err}"
    );
}

#[test]
fn case_docx_symbol_font_characters_are_what_they_show() {
    let (_d, pdf, err) = built_fixture("cases/docx-symbol-font");
    in_order_unspaced(
        &bilaga_text_unspaced(&pdf),
        &[
            "Partikelhalten var 12 μg per kubikmeter.",
            "Koefficienten α är 0,5 och β är 2.",
            "Åldern ska vara ≥ 18 år.",
        ],
    );
    assert!(!err.contains("no known meaning"), "{err}");
}

#[test]
fn case_docx_text_boxes_are_paragraphs_of_their_own() {
    let (_d, pdf, err) = built_fixture("cases/docx-textbox-paragraphs");
    let raw = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let raw = String::from_utf8_lossy(&raw.stdout).into_owned();
    let lines: Vec<&str> = raw.lines().map(str::trim).collect();
    for line in [
        "Senast uppdaterad: 1 maj 2017",
        "Riktlinjer för 2020/2021",
        "för arbetsplatsträffar",
        "Brödtext efter rutorna.",
    ] {
        assert!(
            lines.contains(&line),
            "`{line}` is a line of its own:\n{raw}"
        );
    }
    assert!(
        err.contains("the text of a text box is set as paragraphs of its own"),
        "{err}"
    );
}

/// A table of 19,980 cells (54 kB) took 1.5–1.8 GB and up to 47 s: the cap is now below it
/// (refused at the `file =` line, naming the cap), and a table just under the cap builds.
#[test]
fn case_docx_long_table_is_refused_at_the_cap_and_a_shorter_one_builds() {
    let dir = fixture("cases/docx-long-table-near-cap");
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let line = line_of(dir.path(), "file = ");
    assert!(err.contains(&format!("meeting.toml:{line}:")), "{err}");
    assert!(err.contains("(cap: table cells)"), "{err}");
    assert!(!dir.path().join("out.pdf").exists());
    // The same table cut to just under the cap builds.
    let cap = cap_table_cells();
    let rows = cap / 6;
    let docx = table_docx(rows, 6);
    std::fs::write(dir.path().join("m/b.docx"), docx).unwrap();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pages(&dir.path().join("out.pdf")).join(" ");
    assert!(
        text.contains(&format!("Rad {rows} kolumn 6")),
        "the last row is printed"
    );
    // One row more is refused.
    std::fs::write(dir.path().join("m/b.docx"), table_docx(rows + 1, 6)).unwrap();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

/// The table-cell cap, as the README's limits table states it.
fn cap_table_cells() -> usize {
    let limits = std::fs::read_to_string(repo().join("docs/limits.md")).unwrap();
    let row = limits
        .lines()
        .find(|l| l.starts_with("| table cells |"))
        .unwrap();
    row.split('|')
        .nth(2)
        .unwrap()
        .trim()
        .replace(',', "")
        .parse()
        .unwrap()
}

/// A DOCX with zip entries `entries`.
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in entries {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn docx_of(body: &str) -> Vec<u8> {
    let doc =
        format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>"#);
    zip(&[("word/document.xml", doc.as_bytes())])
}

/// A table of `rows` × `cols` cells with short text.
fn table_docx(rows: usize, cols: usize) -> Vec<u8> {
    let mut body = String::from("<w:tbl>");
    for r in 1..=rows {
        body.push_str("<w:tr>");
        for c in 1..=cols {
            body.push_str(&format!(
                "<w:tc><w:p><w:r><w:t>Rad {r} kolumn {c}</w:t></w:r></w:p></w:tc>"
            ));
        }
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    docx_of(&body)
}

/// Case hostile-3/R13-docx-attributes-quadratic (issue 29): one element with 300,000 attributes made `check` quadratic (94 s). It is
/// refused at the `file =` line, naming the cap, by `check` and by a build.
#[test]
fn a_docx_element_with_300000_attributes_is_refused_at_its_file_line() {
    let dir = fixture("cases/docx-main-part-document2");
    let attrs: String = (0..300_000).map(|i| format!(" a{i}=\"1\"")).collect();
    let body = format!("<w:p{attrs}><w:r><w:t>Text</w:t></w:r></w:p>");
    std::fs::write(dir.path().join("m/b.docx"), docx_of(&body)).unwrap();
    let line = line_of(dir.path(), "file = ");
    for args in [
        &["check", "meeting.toml"][..],
        &["meeting.toml", "-o", "out.pdf"],
    ] {
        let out = assemble(dir.path(), args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("(cap: XML attributes)"), "{err}");
        assert!(err.contains(&format!("meeting.toml:{line}:")), "{err}");
    }
}

/// Namespaces by URI: a document rewritten by a script (`ns0:` for WordprocessingML) and
/// one in UTF-16 read as Word reads them.
#[test]
fn a_docx_with_another_prefix_or_in_utf16_is_read() {
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let doc = format!(
        r#"<?xml version="1.0"?><ns0:document xmlns:ns0="{w}"><ns0:body><ns0:p><ns0:r><ns0:t>Prefixet ns0 läses.</ns0:t></ns0:r></ns0:p></ns0:body></ns0:document>"#
    );
    let dir = fixture("cases/docx-main-part-document2");
    std::fs::write(
        dir.path().join("m/b.docx"),
        zip(&[("word/document.xml", doc.as_bytes())]),
    )
    .unwrap();
    let (_, pdf) = (build(dir.path()), dir.path().join("out.pdf"));
    assert!(bilaga_text(&pdf).contains("Prefixet ns0 läses."));
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-16"?><w:document {W}><w:body><w:p><w:r><w:t>Sparad som UTF-16.</w:t></w:r></w:p></w:body></w:document>"#
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(doc.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(
        dir.path().join("m/b.docx"),
        zip(&[("word/document.xml", &utf16)]),
    )
    .unwrap();
    let pdf = build(dir.path());
    assert!(bilaga_text(&pdf).contains("Sparad som UTF-16."));
}

/// Word's "legal" numbering (`w:isLgl`) shows the parent's Roman number as Arabic, and a
/// VML text box (no DrawingML choice) is set as its own paragraph too.
#[test]
fn legal_numbering_and_a_vml_text_box_are_shown() {
    let num = format!(
        r#"<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:isLgl/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    );
    let item = |lvl: u32, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let vml = r#"<w:p><w:r><w:t>Före.</w:t></w:r><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p><w:r><w:t>I rutan.</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r><w:r><w:t> Efter.</w:t></w:r></w:p>"#;
    let body = [
        item(0, "Ett"),
        item(0, "Två"),
        item(1, "Del"),
        vml.to_owned(),
    ]
    .concat();
    let doc =
        format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>"#);
    let dir = fixture("cases/docx-main-part-document2");
    std::fs::write(
        dir.path().join("m/b.docx"),
        zip(&[
            ("word/document.xml", doc.as_bytes()),
            ("word/numbering.xml", num.as_bytes()),
        ]),
    )
    .unwrap();
    let pdf = build(dir.path());
    let text = bilaga_text(&pdf);
    assert_in_order(
        &text,
        &["I. Ett", "II. Två", "2.1 Del", "Före. Efter.", "I rutan."],
    );
}

/// The vendored corpora of DOCX readers whose licence fits (`tests/corpora/docx/*`, licence
/// beside the files): every file builds as a bilaga, and every word Word shows is in the
/// protocol or named in a warning. One meeting per corpus.
#[test]
fn every_word_of_the_docx_corpora_is_in_the_protocol_or_a_warning() {
    for corpus in ["mammoth", "python-docx"] {
        let files = corpus_files(&repo().join("tests/corpora/docx").join(corpus));
        assert!(files.len() >= 15, "{corpus}: {} files", files.len());
        let (dir, out) = build_with_bilagor(&files);
        let err = stderr(&out);
        assert!(out.status.success(), "{corpus}: not built:\n{err}");
        let pdf = dir.path().join("out.pdf");
        let different: Vec<_> = files
            .iter()
            .map(|f| (f, missing_words(f, &pdf, &err)))
            .filter(|(_, m)| !m.is_empty())
            .collect();
        assert!(
            different.is_empty(),
            "{corpus}: words neither in the PDF nor in a warning: {:#?}",
            different
                .iter()
                .map(|(f, m)| (f.file_name().unwrap(), m.iter().take(8).collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        );
    }
}

/// The `.docx` files of a folder and its subfolders (pandoc's `test/docx/golden/`), sorted.
fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files.extend(corpus_files(&p));
        } else if p.extension().is_some_and(|x| x == "docx") {
            files.push(p);
        }
    }
    files.sort();
    files
}

/// A meeting (the cases' minimal FVG meeting) with `files` as its bilagor, built.
fn build_with_bilagor(files: &[PathBuf]) -> (tempfile::TempDir, std::process::Output) {
    build_with_bilagor_by(files, None)
}

/// As [`build_with_bilagor`], by the binary `bin` when given (an earlier build, to compare).
/// Each file keeps its own extension (`c0.docx`, `c1.pdf`…): the PDF corpus builds with it too.
pub(crate) fn build_with_bilagor_by(
    files: &[PathBuf],
    bin: Option<&Path>,
) -> (tempfile::TempDir, std::process::Output) {
    let dir = fixture("cases/docx-main-part-document2");
    let toml = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let mut toml = toml[..toml.find("[[bilaga]]").unwrap()].to_owned();
    toml = toml.replace("{bilaga:b1}", "bilagorna");
    for (i, f) in files.iter().enumerate() {
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("docx");
        let name = format!("c{i}.{ext}");
        std::fs::copy(f, dir.path().join("m").join(&name)).unwrap();
        toml.push_str(&format!(
            "[[bilaga]]\nid = \"c{i}\"\ntitle = \"Korpus {i}\"\nfile = \"m/{name}\"\n\n"
        ));
    }
    std::fs::write(dir.path().join("meeting.toml"), toml).unwrap();
    let args = ["meeting.toml", "-o", "out.pdf"];
    let out = match bin {
        None => assemble(dir.path(), &args),
        Some(bin) => std::process::Command::new(bin)
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
    };
    (dir, out)
}

/// The corpus figures (run by a maintainer, `tests/corpora/docx/README.md`): each file of
/// each corpus built alone — built and every word accounted, built with words missing, not
/// built. `PANDOC_DOCX` names a local checkout's `test/docx` folder to add pandoc's corpus,
/// which is GPL and so not vendored; `ASSEMBLE_BIN` another build of `assemble` to measure
/// (the figures before a change).
#[test]
#[ignore = "a maintainer's report: builds every corpus file alone"]
fn docx_corpora_report() {
    let mut corpora: Vec<(String, PathBuf)> = ["mammoth", "python-docx"]
        .iter()
        .map(|c| (c.to_string(), repo().join("tests/corpora/docx").join(c)))
        .collect();
    if let Ok(p) = std::env::var("PANDOC_DOCX") {
        corpora.push(("pandoc".into(), PathBuf::from(p)));
    }
    let bin = std::env::var("ASSEMBLE_BIN").ok().map(PathBuf::from);
    for (name, dir) in corpora {
        let (mut faithful, mut different, mut failed) = (0, Vec::new(), Vec::new());
        let files = corpus_files(&dir);
        for f in &files {
            let (d, out) = build_with_bilagor_by(std::slice::from_ref(f), bin.as_deref());
            let err = stderr(&out);
            let base = f.strip_prefix(&dir).unwrap_or(f).display().to_string();
            if !out.status.success() {
                let why = err
                    .lines()
                    .find(|l| l.starts_with("error"))
                    .unwrap_or("")
                    .to_owned();
                failed.push(format!("{base}: {why}"));
                continue;
            }
            let missing = missing_words(f, &d.path().join("out.pdf"), &err);
            if missing.is_empty() {
                faithful += 1;
            } else {
                different.push(format!(
                    "{base}: {:?}",
                    missing.iter().take(6).collect::<Vec<_>>()
                ));
            }
        }
        println!(
            "{name}: {} files, {faithful} built with every word accounted, {} built with words missing, {} not built",
            files.len(),
            different.len(),
            failed.len()
        );
        for d in different.iter().chain(&failed) {
            println!("  {d}");
        }
    }
}

/// Wingdings, Wingdings 3 and Webdings glyphs beyond the forms' check boxes (issue 23 kind 3):
/// each is the character Unicode encoded for it (`src/bilaga/docx/dingbats.rs`), as `w:sym`
/// or as a run set in the font; one no embedded font draws is named in a warning with its
/// font and code, never printed as an empty box or a wrong letter.
#[test]
fn dingbat_symbols_are_the_characters_they_show_or_named() {
    let sym =
        |font: &str, code: &str| format!(r#"<w:r><w:sym w:font="{font}" w:char="{code}"/></w:r>"#);
    let run = |font: &str, text: &str| {
        format!(
            r#"<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr><w:t>{text}</w:t></w:r>"#
        )
    };
    let body = format!(
        r#"<w:p><w:r><w:t xml:space="preserve">Ring </w:t></w:r>{}<w:r><w:t xml:space="preserve"> eller skriv </w:t></w:r>{}<w:r><w:t xml:space="preserve"> och se </w:t></w:r>{}<w:r><w:t xml:space="preserve"> pil </w:t></w:r>{}<w:r><w:t xml:space="preserve"> slut</w:t></w:r>{}<w:r><w:t>.</w:t></w:r></w:p>"#,
        sym("Wingdings", "F029"),
        run("Wingdings", "J"),
        sym("Webdings", "F04C"),
        sym("Wingdings 3", "F0C6"),
        // Wingdings 2's circled reverse solidus (U+29B8): no embedded font has it.
        sym("Wingdings 2", "F058"),
    );
    let dir = fixture("cases/docx-main-part-document2");
    std::fs::write(dir.path().join("m/b.docx"), docx_of(&body)).unwrap();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let text = bilaga_text(&dir.path().join("out.pdf"));
    assert!(
        text.contains("Ring ✆ eller skriv ☺ och se 🔍 pil 🡆 slut."),
        "{text}"
    );
    assert!(
        err.contains("paragraph 1: a symbol of the font `Wingdings 2` (code F058) shows the character U+29B8 (⦸), which no embedded font can draw; it is left out"),
        "{err}"
    );
    assert!(!err.contains("no known meaning"), "{err}");
}
