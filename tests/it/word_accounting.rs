//! Word accounting for DOCX bilagor (issue 12): an independent, deliberately simple walker of
//! `word/document.xml` and `word/footnotes.xml` lists the words Word would show — without
//! hidden runs (`w:vanish`, `w:specVanish`, a hidden character style), deleted or moved-away
//! text, deleted table rows and cells, and field instructions — and the test asserts that
//! each appears in the PDF's text in order, or is named in a warning. It shares no code with
//! the reader, so a construct the reader loses silently fails here.

use std::io::Read;
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::common::*;

/// The words Word shows in one XML part, in order (letters and digits; the rest separates).
fn shown_words(xml: &str, hidden_styles: &[String]) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut words = Vec::new();
    // Depth counters of containers whose text is not shown.
    let (mut deleted, mut instruction_fields, mut skip_row, mut skip_cell) = (0, 0, false, false);
    let mut fields: Vec<bool> = Vec::new();
    let mut in_rpr = false;
    let mut run_hidden = false;
    let mut in_t = false;
    let mut in_tr_pr = false;
    let mut in_tc_pr = false;
    // Text boxes are set after the paragraph they are anchored in: their words wait here.
    let (mut boxes, mut boxed) = (0, Vec::new());
    loop {
        let event = reader.read_event().expect("well-formed XML");
        let (name, start, end) = match &event {
            Event::Start(e) => (
                String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                Some(e.clone()),
                false,
            ),
            Event::Empty(e) => (
                String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                Some(e.clone()),
                true,
            ),
            Event::End(e) => (
                String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                None,
                true,
            ),
            Event::Text(t) => {
                if in_t
                    && deleted == 0
                    && instruction_fields == 0
                    && !run_hidden
                    && !skip_row
                    && !skip_cell
                {
                    let text = t.xml_content().unwrap_or_default();
                    let to = if boxes > 0 { &mut boxed } else { &mut words };
                    to.extend(split_words(&text));
                }
                continue;
            }
            Event::GeneralRef(r) => {
                if in_t
                    && deleted == 0
                    && instruction_fields == 0
                    && !run_hidden
                    && !skip_row
                    && !skip_cell
                {
                    let name = r.decode().unwrap_or_default();
                    let ch = quick_xml::escape::resolve_predefined_entity(&name).unwrap_or(" ");
                    let to = if boxes > 0 { &mut boxed } else { &mut words };
                    to.extend(split_words(ch));
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let val = |e: &quick_xml::events::BytesStart| {
            e.attributes()
                .flatten()
                .find(|a| a.key.as_ref() == b"w:val")
                .map(|a| String::from_utf8_lossy(&a.value).into_owned())
        };
        let on = |e: &quick_xml::events::BytesStart| {
            !matches!(val(e).as_deref(), Some("0" | "false" | "off"))
        };
        match (name.as_str(), start) {
            // Word shows an alternate content's choice; the fallback is a copy of it.
            ("w:del" | "w:moveFrom" | "mc:Fallback", Some(_)) if !end => deleted += 1,
            ("w:del" | "w:moveFrom" | "mc:Fallback", None) => deleted -= 1,
            ("w:txbxContent", Some(_)) if !end => boxes += 1,
            ("w:txbxContent", None) => boxes -= 1,
            ("w:p", None) if boxes == 0 => words.append(&mut boxed),
            ("w:del", Some(_)) if in_tr_pr => skip_row = true,
            ("w:cellDel", Some(_)) if in_tc_pr => skip_cell = true,
            ("w:trPr", Some(_)) if !end => in_tr_pr = true,
            ("w:trPr", None) => in_tr_pr = false,
            ("w:tcPr", Some(_)) if !end => in_tc_pr = true,
            ("w:tcPr", None) => in_tc_pr = false,
            ("w:tr", None) => skip_row = false,
            ("w:tc", None) => skip_cell = false,
            ("w:r", Some(_)) if !end => run_hidden = false,
            ("w:rPr", Some(_)) if !end => in_rpr = true,
            ("w:rPr", None) => in_rpr = false,
            ("w:vanish" | "w:specVanish", Some(e)) if in_rpr && on(&e) => run_hidden = true,
            ("w:rStyle", Some(e))
                if in_rpr && val(&e).is_some_and(|v| hidden_styles.contains(&v)) =>
            {
                run_hidden = true;
            }
            ("w:fldChar", Some(e)) => {
                let kind = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == b"w:fldCharType")
                    .map(|a| a.value.into_owned());
                match kind.as_deref() {
                    Some(b"begin") => {
                        fields.push(true);
                        instruction_fields += 1;
                    }
                    Some(b"separate") if fields.last() == Some(&true) => {
                        fields.pop();
                        fields.push(false);
                        instruction_fields -= 1;
                    }
                    Some(b"end") => {
                        let was_instruction = fields.pop() == Some(true);
                        instruction_fields -= i32::from(was_instruction);
                    }
                    _ => {}
                }
            }
            ("w:t", Some(_)) if !end => in_t = true,
            ("w:t", None) => in_t = false,
            // A paragraph ends a word, as does a tab or break.
            ("w:p" | "w:tab" | "w:br", _) => {}
            _ => {}
        }
    }
    words
}

fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Character styles that hide their text (`w:vanish` in the style's run properties).
fn hidden_styles(styles: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in styles.split("<w:style ").skip(1) {
        let body = chunk.split("</w:style>").next().unwrap_or("");
        if (body.contains("<w:vanish/>") || body.contains("<w:specVanish/>"))
            && let Some(id) = body
                .split("w:styleId=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
        {
            out.push(id.to_owned());
        }
    }
    out
}

fn part(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Option<String> {
    let mut f = zip.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).ok()?;
    Some(s)
}

/// The words of the PDF's text, letters and digits only, as one string to search in order:
/// line-end hyphens and breaks inside long tokens vanish with the punctuation.
fn pdf_stream(pdf: &Path) -> String {
    pages(pdf)
        .join(" ")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of one DOCX that Word shows but are neither in the PDF's text (in order) nor
/// named in `warnings`, with the part they are in.
pub fn missing_words(docx: &Path, pdf: &Path, warnings: &str) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let hidden = part(&mut zip, "word/styles.xml")
        .map(|s| hidden_styles(&s))
        .unwrap_or_default();
    let text = pdf_stream(pdf);
    let glyphless = glyphless(warnings);
    let warnings = warnings.to_lowercase();
    let mut missing = Vec::new();
    for name in ["word/document.xml", "word/footnotes.xml"] {
        let Some(xml) = part(&mut zip, name) else {
            continue;
        };
        let mut from = 0;
        for w in shown_words(&xml, &hidden) {
            // A character no embedded font has is printed as U+FFFD and named in a warning
            // of its own: the rest of its word must still be there.
            let w: String = w.chars().filter(|c| !glyphless.contains(c)).collect();
            if w.is_empty() {
                continue;
            }
            match text[from..].find(&w) {
                Some(at) => from += at + w.len(),
                None if warnings.contains(&w) => {}
                None => missing.push((name.to_owned(), w)),
            }
        }
    }
    missing
}

/// The characters the warnings name as having no glyph in any embedded font
/// ("the character U+3002 (。) has no glyph …"): printed as U+FFFD, each named.
pub fn glyphless(warnings: &str) -> Vec<char> {
    warnings
        .lines()
        .filter(|l| l.contains("has no glyph in any embedded font"))
        .filter_map(|l| {
            let hex = l.split("U+").nth(1)?.get(..6)?;
            let hex = hex.split(|c: char| !c.is_ascii_hexdigit()).next()?;
            char::from_u32(u32::from_str_radix(hex, 16).ok()?)
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Asserts the accounting for one DOCX rendered into `pdf` with `warnings` printed.
fn account(docx: &Path, pdf: &Path, warnings: &str) {
    let missing = missing_words(docx, pdf, warnings);
    assert!(
        missing.is_empty(),
        "{}: {} word(s) Word shows are neither in the PDF (in order) nor named in a warning: {:?}",
        docx.display(),
        missing.len(),
        missing.iter().take(20).collect::<Vec<_>>()
    );
}

/// Every DOCX bilaga of a meeting folder, rendered once, accounted.
fn account_meeting(dir: &Path, meeting: &str) -> usize {
    let out = assemble(dir, &[meeting, "-o", "out.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warnings = stderr(&out);
    let mut docx: Vec<PathBuf> = Vec::new();
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "docx") {
                out.push(p);
            }
        }
    }
    walk(dir, &mut docx);
    for d in &docx {
        account(d, &dir.join("out.pdf"), &warnings);
    }
    docx.len()
}

#[test]
fn every_word_of_every_docx_fixture_is_in_the_pdf_or_a_warning() {
    let mut counted = 0;
    for name in [
        "docx",
        "bilagor-kinds",
        // The sample archive's Markdown bilagor made into DOCX by pandoc and by LibreOffice.
        "converted",
        "cases/docx-cmyk-jpeg",
        "cases/docx-form-checkboxes",
        "cases/docx-hidden-text",
        "cases/docx-sdt-table-rows",
        "cases/docx-style-list-numbering",
        "cases/docx-table-header-row",
        "cases/empty-heading-pdfua",
    ] {
        let dir = fixture(name);
        counted += account_meeting(dir.path(), "meeting.toml");
    }
    assert!(counted >= 23, "{counted} DOCX files accounted");
}

#[test]
fn every_word_of_the_sample_archives_docx_is_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/fvg"), dir.path());
    assert_eq!(account_meeting(dir.path(), "2020-09-17.toml"), 1);
}

#[test]
fn the_walker_sees_what_word_hides() {
    let xml = r#"<w:document><w:body><w:p><w:r><w:t>ett</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>dold</w:t></w:r><w:del><w:r><w:delText>bort</w:delText></w:r></w:del><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>två</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p><w:tbl><w:tr><w:trPr><w:del/></w:trPr><w:tc><w:p><w:r><w:t>rad</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;
    assert_eq!(shown_words(xml, &[]), vec!["ett", "två"]);
}
