//! DOCX bilagor: real documents made by pandoc (tests/fixtures/docx/source/make.sh) and
//! hand-built ones for what pandoc does not write; every check reads the produced PDF back.
//! Bad DOCX input: a clear error naming the bilaga and its file at its `file =` line, exit 1,
//! the previous PDF untouched.

use std::io::Write;
use std::path::Path;

use crate::common::*;

/// The pages of one bilaga, from its header to the next bilaga's (or the end).
fn bilaga_pages(pages: &[String], n: usize) -> Vec<String> {
    let header = |n: usize| format!("Bilaga {n} till protokoll FVG 2020-09-17");
    pages
        .iter()
        .filter(|p| p.contains(&header(n)))
        .cloned()
        .collect()
}

fn built_fixture() -> (tempfile::TempDir, Vec<String>) {
    let dir = fixture("docx");
    let pdf = build(dir.path());
    let pages = pages(&pdf);
    (dir, pages)
}

#[test]
fn every_docx_footnote_is_on_the_page_of_its_reference() {
    let (_dir, pages) = built_fixture();
    let yttrande = bilaga_pages(&pages, 1);
    assert!(
        yttrande.len() >= 2,
        "the yttrande spans pages: {yttrande:?}"
    );
    // (text just before the reference, its number, the footnote's text)
    let notes = [
        ("matchningsaktör.53”", 1, "SOU 2020:41. Sid 153."),
        ("särskilt för vissa grupper.”", 2, "Inid. Sid. 155."),
        ("arbetsmarknadspolitik.”", 3, "Ibid. Sid 49."),
        ("utbildningen.39”", 4, "Ibid. Sid 143."),
        ("1 juli 2021.", 5, "https://www.riksdagen.se/sv/"),
        ("LOU)”", 6, "Ibid. 182"),
        ("från Arbetsförmedlingen.”", 7, "Ibid. Sid 196"),
        ("arbetssökande.”", 8, "Ibid, sid 67-68."),
    ];
    for (before, n, text) in notes {
        let page = yttrande
            .iter()
            .position(|p| p.contains(text))
            .unwrap_or_else(|| panic!("footnote {n} `{text}` printed: {yttrande:?}"));
        // Text extraction may put a space before the raised number: compare without spaces.
        let reference = format!("{before}{n}").replace(' ', "");
        assert!(
            yttrande[page].replace(' ', "").contains(&reference),
            "footnote {n} is on page {} of the bilaga but its reference `{reference}` is not:\n{}",
            page + 1,
            yttrande[page]
        );
        assert!(
            yttrande[page].contains(&format!("{n} {text}")),
            "footnote {n} carries its number: {}",
            yttrande[page]
        );
    }
}

#[test]
fn docx_lists_keep_their_numbering_and_tables_their_row_order() {
    let (_dir, pages) = built_fixture();
    let svar = bilaga_pages(&pages, 2).join(" ");
    assert_in_order(
        &svar,
        &[
            "Förvaltningens svar",
            "1. Budget för skolan",
            "a) Lärartjänster",
            "b) Läromedel",
            "2. Lokaler",
            "• Livdjursgatan",
            "• Kista",
            "3. Arbetsmiljö",
            // A new list instance with startOverride restarts at 1.
            "1. Första punkten igen",
            "2. Andra punkten igen",
            "i. Inledning",
            "ii. Avslutning",
            "Organisation",
            "Ledamöter",
            "Närvarande",
            "SACO-rådet",
            "2",
            "Ja",
            "Vision",
            "3",
            "Nej",
            "Slut på bilagan.",
        ],
    );
}

#[test]
fn docx_image_is_embedded_with_alt_text_under_pdf_ua() {
    let dir = fixture("docx");
    let pdf = build(dir.path());
    let doc = lopdf::Document::load(&pdf).unwrap();
    let images = doc
        .objects
        .values()
        .filter(|o| {
            o.as_stream().is_ok_and(|s| {
                s.dict
                    .get(b"Subtype")
                    .and_then(|v| v.as_name())
                    .is_ok_and(|n| n == b"Image")
            })
        })
        .count();
    assert!(images >= 1, "an image XObject in the PDF");
    // The export demands alt text under PDF/UA-1; it is the document's own (wp:docPr descr),
    // stored as the figure's /Alt in the structure tree.
    let alts: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"Alt").ok())
        .filter_map(|a| lopdf::decode_text_string(a).ok())
        .collect();
    assert!(
        alts.iter()
            .any(|a| a == "Karta över lokalerna på Livdjursgatan"),
        "the document's alt text is in the PDF: {alts:?}"
    );
}

#[test]
fn tracked_changes_show_the_accepted_state_and_comments_are_left_out() {
    let (_dir, pages) = built_fixture();
    let spar = bilaga_pages(&pages, 3).join(" ");
    assert!(
        spar.contains("Förvaltningen har beslutat att svara."),
        "{spar}"
    );
    assert!(
        !spar.contains("ska ha funderat"),
        "deleted text out: {spar}"
    );
    assert!(!spar.contains("HEMLIG KOMMENTAR"), "comment out: {spar}");
    assert!(spar.contains("Texten kommenteras här men"), "{spar}");
    assert_in_order(
        &spar,
        &[
            "Text med",
            "fetstil",
            "kursiv",
            "understruken",
            "Stockholms stad",
        ],
    );
}

#[test]
fn docx_text_that_looks_like_typst_code_prints_literally() {
    let (_dir, pages) = built_fixture();
    let spar = bilaga_pages(&pages, 3).join(" ");
    assert!(spar.contains("#read(“/etc/passwd”)"), "{spar}");
    assert!(spar.contains("#set page(fill: red)"), "{spar}");
    assert!(spar.contains("<etikett> och @ref."), "{spar}");
    assert!(!spar.contains("root:"), "nothing was read: {spar}");
}

// ---- hand-built documents -------------------------------------------------------------

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A zip with these entries (stored uncompressed unless large).
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

/// A DOCX whose body is `body` (paragraph XML), with optional footnotes.
fn docx(body: &str, footnotes: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    );
    let notes = footnotes.map(|f| {
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}>{f}</w:footnotes>"#)
    });
    let mut entries: Vec<(&str, &[u8])> = vec![("word/document.xml", document.as_bytes())];
    if let Some(n) = &notes {
        entries.push(("word/footnotes.xml", n.as_bytes()));
    }
    zip(&entries)
}

/// The docx fixture with bilaga `spar` replaced by `bytes`, and a previous PDF in place.
fn with_spar(bytes: &[u8]) -> tempfile::TempDir {
    let dir = fixture("docx");
    std::fs::write(dir.path().join("bilagor/spar.docx"), bytes).unwrap();
    std::fs::write(dir.path().join("out.pdf"), b"previous").unwrap();
    dir
}

/// Runs a meeting that must fail on bilaga `spar`: exit 1, the previous PDF untouched, the
/// message naming the bilaga and its file at the `file =` line. Returns stderr.
fn fails_on_spar(dir: &Path) -> String {
    let out = assemble(dir, &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "exit 1:\n{err}");
    assert_eq!(
        std::fs::read(dir.join("out.pdf")).unwrap(),
        b"previous",
        "previous PDF untouched"
    );
    let toml = std::fs::read_to_string(dir.join("meeting.toml")).unwrap();
    let line = toml
        .lines()
        .position(|l| l.starts_with("file = \"bilagor/spar."))
        .unwrap()
        + 1;
    assert!(err.contains("bilaga `spar`"), "names the bilaga:\n{err}");
    assert!(err.contains("bilagor/spar."), "names the file:\n{err}");
    assert!(
        err.contains(&format!("meeting.toml:{line}:")),
        "points at the file line {line}:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn field_codes_show_their_result_and_moves_and_page_breaks_work() {
    let body = r#"<w:p><w:r><w:t>Datum: </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DATE \@ "yyyy" HEMLIG-INSTRUKTION</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>17 september</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> slut.</w:t></w:r></w:p>
<w:p><w:moveFrom w:id="1"><w:r><w:t>FLYTTAD-FRÅN</w:t></w:r></w:moveFrom><w:r><w:t>Före brytning</w:t></w:r><w:r><w:br w:type="page"/></w:r><w:r><w:t>Efter brytning</w:t></w:r><w:moveTo w:id="2"><w:r><w:t xml:space="preserve"> flyttad hit</w:t></w:r></w:moveTo><w:del w:id="3"><w:r><w:delText>BORTTAGEN</w:delText></w:r></w:del></w:p>"#;
    let dir = with_spar(&docx(body, None));
    std::fs::remove_file(dir.path().join("out.pdf")).unwrap();
    let pdf = build(dir.path());
    let spar = bilaga_pages(&pages(&pdf), 3);
    let all = spar.join(" ");
    assert!(all.contains("Datum: 17 september slut."), "{all}");
    assert!(!all.contains("HEMLIG-INSTRUKTION"), "{all}");
    assert!(
        !all.contains("FLYTTAD-FRÅN") && !all.contains("BORTTAGEN"),
        "{all}"
    );
    assert_eq!(spar.len(), 2, "the page break starts a new page: {spar:?}");
    assert!(spar[1].contains("Efter brytning flyttad hit"), "{spar:?}");
}

#[test]
fn a_docx_that_is_not_a_zip_is_refused() {
    let dir = with_spar(b"PK\x03\x04 this is no zip at all");
    let err = fails_on_spar(dir.path());
    assert!(err.contains("not a readable DOCX"), "{err}");
}

#[test]
fn a_zip_without_word_document_xml_is_refused() {
    let dir = with_spar(&zip(&[("hello.txt", b"hej")]));
    let err = fails_on_spar(dir.path());
    assert!(err.contains("no `word/document.xml`"), "{err}");
}

#[test]
fn a_password_protected_docx_is_refused() {
    // Word encrypts a DOCX into an OLE2 compound file (magic D0 CF 11 E0 A1 B1 1A E1).
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend([0u8; 504]);
    let dir = with_spar(&bytes);
    let err = fails_on_spar(dir.path());
    assert!(err.contains("password-protected"), "{err}");
}

#[test]
fn a_zip_bomb_stops_at_the_size_cap() {
    // 201 MB of spaces compress to a few hundred KB; the reader stops at 200 MB.
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("word/document.xml", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..201 {
        z.write_all(&chunk).unwrap();
    }
    z.finish().unwrap();
    let bytes = out.into_inner();
    assert!(bytes.len() < 2 << 20, "the bomb is small: {}", bytes.len());
    let dir = with_spar(&bytes);
    let err = fails_on_spar(dir.path());
    assert!(err.contains("more than 200 MB"), "{err}");
}

#[test]
fn a_zip_with_too_many_entries_is_refused() {
    let names: Vec<String> = (0..10_001).map(|i| format!("x/{i}")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let dir = with_spar(&zip(&entries));
    let err = fails_on_spar(dir.path());
    assert!(err.contains("10001 entries"), "{err}");
}

#[test]
fn xml_with_a_doctype_is_refused_and_never_expanded() {
    let document = format!(
        r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document {W}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let dir = with_spar(&zip(&[("word/document.xml", document.as_bytes())]));
    let err = fails_on_spar(dir.path());
    assert!(err.contains("DOCTYPE"), "{err}");
}

#[test]
fn a_bilaga_file_over_the_size_cap_is_refused_before_it_is_read() {
    let dir = with_spar(b"");
    // Sparse: 101 MB long without writing them, so the test stays quick.
    let file = std::fs::File::options()
        .write(true)
        .open(dir.path().join("bilagor/spar.docx"))
        .unwrap();
    file.set_len(101 * 1024 * 1024).unwrap();
    drop(file);
    let err = fails_on_spar(dir.path());
    assert!(
        err.contains("the file is 101 MB, more than the 100 MB a bilaga may have"),
        "{err}"
    );
}

#[test]
fn an_empty_bilaga_file_is_refused() {
    let dir = with_spar(b"");
    let err = fails_on_spar(dir.path());
    assert!(err.contains("empty (0 bytes)"), "{err}");
}

#[test]
fn a_docx_that_is_really_a_pdf_or_text_is_refused() {
    let dir = with_spar(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    let err = fails_on_spar(dir.path());
    assert!(
        err.contains("named `.docx` but its content is a PDF"),
        "{err}"
    );
    let dir = with_spar("Bara text.".as_bytes());
    let err = fails_on_spar(dir.path());
    assert!(
        err.contains("named `.docx` but its content is text"),
        "{err}"
    );
}

#[test]
fn an_unknown_extension_is_refused() {
    let dir = with_spar(b"");
    std::fs::write(dir.path().join("bilagor/spar.rtf"), b"{\\rtf1 hej}").unwrap();
    let toml = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("bilagor/spar.docx", "bilagor/spar.rtf")).unwrap();
    let err = fails_on_spar(dir.path());
    assert!(err.contains("`.rtf` files cannot be bilagor"), "{err}");
}

#[test]
fn a_reference_to_a_missing_footnote_names_the_paragraph() {
    let body = r#"<w:p><w:r><w:t>Första.</w:t></w:r></w:p><w:p><w:r><w:t>Andra</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r></w:p>"#;
    let notes =
        r#"<w:footnote w:id="1"><w:p><w:r><w:t>En annan not.</w:t></w:r></w:p></w:footnote>"#;
    let dir = with_spar(&docx(body, Some(notes)));
    let err = fails_on_spar(dir.path());
    assert!(
        err.contains("paragraph 2 refers to footnote id `7`"),
        "{err}"
    );
}

/// A 1×1 PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82";

fn drawing(descr: &str, blip: &str) -> String {
    format!(
        r#"<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="Bild" descr="{descr}"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip {blip}/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    )
}

/// A DOCX of one embedded PNG with the alt text `descr`, then a paragraph.
fn with_image(descr: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0"?><w:document {W}><w:body>{}<w:p><w:r><w:t>Efter bilden.</w:t></w:r></w:p></w:body></w:document>"#,
        drawing(descr, r#"r:embed="rId1""#)
    );
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/bild.png"/></Relationships>"#;
    zip(&[
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/media/bild.png", PNG),
    ])
}

#[test]
fn an_image_without_alt_text_gets_one_naming_the_bilaga_and_a_warning() {
    let dir = with_spar(&with_image(""));
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(
        out.status.success(),
        "PDF/UA export passes with the generic alt text:\n{err}"
    );
    assert!(err.contains("an image has no alt text"), "{err}");
    assert!(err.contains("Bild i bilaga 3"), "{err}");
    let doc = lopdf::Document::load(dir.path().join("out.pdf")).unwrap();
    let alts: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"Alt").ok())
        .filter_map(|a| lopdf::decode_text_string(a).ok())
        .collect();
    assert!(alts.iter().any(|a| a == "Bild i bilaga 3"), "{alts:?}");
}

#[test]
fn a_remote_image_is_never_fetched_and_shows_its_alt_text() {
    let document = format!(
        r#"<?xml version="1.0"?><w:document {W}><w:body>{}</w:body></w:document>"#,
        drawing("Logotyp från webben", r#"r:link="rId1""#)
    );
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://127.0.0.1:9/logo.png" TargetMode="External"/></Relationships>"#;
    let bytes = zip(&[
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
    ]);
    let dir = with_spar(&bytes);
    std::fs::remove_file(dir.path().join("out.pdf")).unwrap();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("never fetched"), "{err}");
    let all = pages(&dir.path().join("out.pdf")).join(" ");
    assert!(all.contains("[Logotyp från webben]"), "{all}");
}

#[test]
fn docx_bilagor_give_the_same_bytes_every_run() {
    let dir = fixture("docx");
    let first = std::fs::read(build(dir.path())).unwrap();
    let second = std::fs::read(build(dir.path())).unwrap();
    assert!(first == second, "two runs, identical PDFs");
}

/// Regression: a drawing without a picture was dropped without a word — the text of a text
/// box (as Word writes it: mc:AlternateContent → wps:txbx → w:txbxContent) was lost.
#[test]
fn a_text_box_keeps_its_words_and_a_chart_is_named_as_left_out() {
    let text_box = r#"<w:p><w:r><w:t xml:space="preserve">Före rutan. </w:t></w:r><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:docPr id="2" name="Textruta 1"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx><w:txbxContent><w:p><w:r><w:t>Ruta rad ett.</w:t></w:r></w:p><w:p><w:r><w:t>Ruta rad två.</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><w:t>VML-KOPIA</w:t></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
    let chart = r#"<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:docPr id="3" name="Diagram 1"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r><w:r><w:t>Efter diagrammet.</w:t></w:r></w:p>"#;
    let dir = with_spar(&docx(&format!("{text_box}{chart}"), None));
    std::fs::remove_file(dir.path().join("out.pdf")).unwrap();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let all = bilaga_pages(&pages(&dir.path().join("out.pdf")), 3).join(" ");
    assert_in_order(
        &all,
        &[
            "Före rutan.",
            "Ruta rad ett.",
            "Ruta rad två.",
            "Efter diagrammet.",
        ],
    );
    assert!(
        !all.contains("VML-KOPIA"),
        "the fallback copy is not printed twice: {all}"
    );
    assert!(
        err.contains("paragraph 1: the text of a text box is set as paragraphs of its own"),
        "{err}"
    );
    assert!(
        err.contains(
            "paragraph 2: a drawing that is not a picture (a chart or a shape) is left out"
        ),
        "{err}"
    );
}

/// The document's own page header and footer are not printed (the protocol's pages carry
/// theirs), but what they say is named in a warning instead of vanishing.
#[test]
fn the_documents_page_header_is_named_in_a_warning() {
    let document = format!(
        r#"<?xml version="1.0"?><w:document {W}><w:body><w:p><w:r><w:t>Brödtext.</w:t></w:r></w:p><w:sectPr><w:headerReference w:type="default" r:id="rIdH"/><w:footerReference w:type="default" r:id="rIdF"/></w:sectPr></w:body></w:document>"#
    );
    let header = format!(
        r#"<?xml version="1.0"?><w:hdr {W}><w:p><w:r><w:t>Kommunal sektion 5 – brevhuvud</w:t></w:r></w:p></w:hdr>"#
    );
    let footer = format!(r#"<?xml version="1.0"?><w:ftr {W}><w:p/></w:ftr>"#);
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;
    let bytes = zip(&[
        ("word/document.xml", document.as_bytes()),
        ("word/header1.xml", header.as_bytes()),
        ("word/footer1.xml", footer.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
    ]);
    let dir = with_spar(&bytes);
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("the document's page header is left out (the protocol's pages have their own): \"Kommunal sektion 5 – brevhuvud\""),
        "{err}"
    );
    // An empty footer is nothing to warn about.
    assert!(!err.contains("page footer"), "{err}");
    let all = bilaga_pages(&pages(&dir.path().join("out.pdf")), 3).join(" ");
    assert!(all.contains("Brödtext."), "{all}");
    assert!(!all.contains("brevhuvud"), "{all}");
}

/// A personnummer in a DOCX image's alt text is published in the web edition's tags: the
/// guard refused it only at the last gate, with no place in the meeting file. It is refused
/// at the bilaga's `file =` line, as one in the text is.
#[test]
fn a_personnummer_in_an_images_alt_text_is_refused_at_the_bilaga() {
    let dir = with_spar(&with_image("Foto av sökande 811218-9876"));
    let out = assemble(dir.path(), &["publish", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let toml = std::fs::read_to_string(dir.path().join("meeting.toml")).unwrap();
    let line = toml
        .lines()
        .position(|l| l.starts_with("file = \"bilagor/spar."))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "error: bilaga 3 (Spårade ändringar, `bilagor/spar.docx`) contains a personnummer (811218-XXXX) that is not withheld: no web edition is written\n   ┌─ meeting.toml:{line}:8"
        )),
        "{err}"
    );
    assert!(err.contains("Foto av sökande 811218-XXXX"), "{err}");
}
