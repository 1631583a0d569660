//! PDF bilagor: every page of the original shown on a protocol page of its own, under the
//! bilaga header with its own "Sida x (y)"; the original attached unchanged; PDF/A-3 claimed
//! exactly when something is attached; bad PDFs refused with the bilaga and file named.

use std::path::Path;

use lopdf::{Document, Object};

use crate::common::*;

const BILAGOR: [(usize, &str, &str); 2] = [
    (
        1,
        "skrivelse.pdf",
        "Skrivelse om bemanningen vid Jobbtorg Kista",
    ),
    (2, "yttrande.pdf", "Särskilt yttrande budget 2021"),
];

fn edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "fixture contains `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn dict<'a>(doc: &'a Document, object: &'a Object) -> &'a lopdf::Dictionary {
    doc.dereference(object).unwrap().1.as_dict().unwrap()
}

/// The embedded files of a PDF: (name, AFRelationship, bytes), from the EmbeddedFiles tree.
fn attachments(doc: &Document) -> Vec<(String, String, Vec<u8>)> {
    let Ok(names) = doc.catalog().unwrap().get(b"Names") else {
        return Vec::new();
    };
    let Ok(files) = dict(doc, names).get(b"EmbeddedFiles") else {
        return Vec::new();
    };
    let leaf = dict(doc, files).get(b"Names").unwrap().as_array().unwrap();
    leaf.chunks(2)
        .map(|pair| {
            let name = lopdf::decode_text_string(&pair[0]).unwrap();
            let spec = dict(doc, &pair[1]);
            let relationship = spec.get(b"AFRelationship").unwrap().as_name().unwrap();
            let ef = dict(doc, spec.get(b"EF").unwrap());
            let stream = doc
                .dereference(ef.get(b"F").unwrap())
                .unwrap()
                .1
                .as_stream()
                .unwrap();
            let bytes = stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone());
            (
                name,
                String::from_utf8_lossy(relationship).into_owned(),
                bytes,
            )
        })
        .collect()
}

/// Every /Alt text in the document (the structure tree's figures).
fn alt_texts(doc: &Document) -> Vec<String> {
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"Alt").ok())
        .filter_map(|alt| lopdf::decode_text_string(alt).ok())
        .collect()
}

#[test]
fn each_pdf_page_is_one_protocol_page_with_the_bilaga_header_and_its_own_sida() {
    let dir = fixture("pdf-bilaga");
    let pdf = build(dir.path());
    let pages = pages(&pdf);
    let protocol = pages.iter().filter(|p| p.contains("Protokoll FVG")).count();
    assert!(protocol >= 1);
    let numbers = sida(&pages);
    let mut at = protocol;
    for (n, file, title) in BILAGOR {
        let source = page_count(&dir.path().join("bilagor").join(file));
        // No page of ours is added: the heading shares the first page with page 1.
        let part = &pages[at..at + source];
        for (k, page) in part.iter().enumerate() {
            assert!(
                page.contains(&format!("Bilaga {n} till protokoll FVG 2020-09-17")),
                "page {} of bilaga {n}: {page}",
                k + 1
            );
            assert_eq!(numbers[at + k], Some((k + 1, source)), "{page}");
        }
        assert_in_order(
            &part[0],
            &[
                &format!("Bilaga {n}: {title}"),
                &format!("Originalet ({source} sid"),
                &format!("bilaga-{n}-{file}"),
            ],
        );
        at += source;
    }
    assert_eq!(
        at,
        pages.len(),
        "no page besides the protocol and the bilagor"
    );
    assert_eq!(page_count(&pdf), pages.len());
}

#[test]
fn every_page_of_the_original_is_shown_with_alt_text_naming_bilaga_and_page() {
    let dir = fixture("pdf-bilaga");
    let pdf = build(dir.path());
    let doc = Document::load(&pdf).unwrap();
    let alts = alt_texts(&doc);
    for (n, file, title) in BILAGOR {
        let total = page_count(&dir.path().join("bilagor").join(file));
        for k in 1..=total {
            let expected = format!("Bilaga {n}, sida {k} av {total}: {title}");
            assert!(alts.contains(&expected), "no `{expected}` in {alts:?}");
        }
    }
    // Each bilaga page draws the original's page (an image, or the glyphs as outlines), not
    // just our header text.
    let page_ids: Vec<_> = doc.get_pages().into_values().collect();
    let protocol = page_ids.len() - 4;
    for (k, &id) in page_ids.iter().enumerate() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(id).unwrap()).unwrap();
        let draws = |op: &str| {
            content
                .operations
                .iter()
                .filter(|o| o.operator == op)
                .count()
        };
        let shows_original = draws("Do") > 0 || draws("c") + draws("l") > 100;
        assert_eq!(shows_original, k >= protocol, "page {}", k + 1);
    }
}

#[test]
fn the_original_is_attached_unchanged_and_the_protocol_claims_pdf_a3() {
    let dir = fixture("pdf-bilaga");
    let pdf = build(dir.path());
    let bytes = std::fs::read(&pdf).unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    let attached = attachments(&doc);
    let names: Vec<&str> = attached.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(names, ["bilaga-1-skrivelse.pdf", "bilaga-2-yttrande.pdf"]);
    for ((_, relationship, content), (_, file, _)) in attached.iter().zip(BILAGOR) {
        assert_eq!(relationship, "Source");
        let original = std::fs::read(dir.path().join("bilagor").join(file)).unwrap();
        assert!(*content == original, "{file} attached byte for byte");
    }
    // PDF/A-3 requires the attachments to be associated files of the document too.
    let af = doc.catalog().unwrap().get(b"AF").unwrap();
    assert_eq!(doc.dereference(af).unwrap().1.as_array().unwrap().len(), 2);

    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("<pdfaid:part>3</pdfaid:part>"));
    assert!(text.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
    assert!(text.contains("<pdfuaid:part>1</pdfuaid:part>"));
    assert!(!text.contains("<pdfaid:part>2</pdfaid:part>"));
}

#[test]
fn a_protocol_without_a_pdf_bilaga_stays_pdf_a2_without_attachments() {
    let dir = fixture("minimal");
    let pdf = build(dir.path());
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("<pdfaid:part>2</pdfaid:part>"));
    assert!(!text.contains("<pdfaid:part>3</pdfaid:part>"));
    assert!(attachments(&Document::load_mem(&bytes).unwrap()).is_empty());
}

#[test]
fn a_protocol_with_pdf_bilagor_is_byte_identical_over_two_runs() {
    let dir = fixture("pdf-bilaga");
    let first = std::fs::read(build(dir.path())).unwrap();
    let second = std::fs::read(build(dir.path())).unwrap();
    assert!(first == second, "same input, same bytes");
}

/// Replaces the statement with `bytes` and expects the run to fail naming bilaga and file.
fn refused(bytes: &[u8], expected: &str) -> String {
    let dir = fixture("pdf-bilaga");
    std::fs::write(dir.path().join("bilagor/yttrande.pdf"), bytes).unwrap();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "exit 1; stderr:\n{err}");
    assert!(!dir.path().join("out.pdf").exists(), "no PDF written");
    assert!(
        err.contains(&format!(
            "bilaga `yttrande` (`bilagor/yttrande.pdf`): {expected}"
        )),
        "{err}"
    );
    // Placed at the bilaga's `file` key.
    assert!(err.contains("meeting.toml:"), "{err}");
    err
}

#[test]
fn an_encrypted_pdf_is_refused_with_or_without_a_password_to_open_it() {
    for file in ["med-losenord.pdf", "utan-losenord.pdf"] {
        let bytes = std::fs::read(repo().join("tests/fixtures/pdf-encrypted").join(file)).unwrap();
        let err = refused(&bytes, "the PDF is encrypted (password-protected)");
        assert!(
            err.contains("hint: ask the sender for an unprotected copy"),
            "{err}"
        );
    }
}

#[test]
fn a_file_named_pdf_that_is_not_one_is_refused() {
    refused(
        b"Hej! Detta \xc3\xa4r ett brev, inte en PDF.\n",
        "the file is named `.pdf` but its content is text",
    );
    // Named .pdf, starting like one, but not parseable.
    refused(
        b"%PDF-1.7\nnothing of a PDF follows\n",
        "the file is not a readable PDF",
    );
    // A PDF cut off (a failed download): what can be read is not shown with pages missing.
    let whole =
        std::fs::read(repo().join("tests/fixtures/pdf-bilaga/bilagor/yttrande.pdf")).unwrap();
    refused(
        &whole[..whole.len() / 3],
        "the PDF declares 3 pages but only 0 can be read",
    );
}

#[test]
fn an_empty_pdf_file_is_refused() {
    refused(b"", "the file is empty (0 bytes)");
}

/// A PDF of `n` empty A4 pages.
fn blank_pdf(n: usize) -> Vec<u8> {
    use lopdf::{Stream, dictionary};
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let content = doc.add_object(Stream::new(dictionary! {}, Vec::new()));
    let kids: Vec<Object> = (0..n)
        .map(|_| {
            doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Contents" => content,
            })
            .into()
        })
        .collect();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => n as i64 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_pdf_without_pages_or_with_too_many_is_refused() {
    refused(&blank_pdf(0), "the PDF has no pages");
    refused(
        &blank_pdf(201),
        "the PDF has 201 pages, more than the 200 a bilaga may have",
    );
}

#[test]
fn a_changed_pdf_bilaga_rebuilds_its_meeting_and_the_bundle_holds_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&repo().join("tests/fixtures/pdf-bilaga"), &d.join("data/m"));
    copy_dir(&repo().join("tests/fixtures/minimal"), &d.join("data/n"));
    let out = assemble(d, &["bundle", "data/"]);
    assert!(stdout(&out).contains("2 built"), "{}", stderr(&out));

    let zip = std::fs::File::open(d.join("out/m/meeting.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(zip).unwrap();
    let mut inside = Vec::new();
    std::io::Read::read_to_end(
        &mut archive
            .by_name("bilagor/bilaga-2-yttrande.pdf")
            .expect("the PDF bilaga is in the bundle"),
        &mut inside,
    )
    .unwrap();
    assert!(inside == std::fs::read(d.join("data/m/bilagor/yttrande.pdf")).unwrap());

    let out = assemble(d, &["bundle", "data/"]);
    assert!(
        stdout(&out).contains("0 built, 2 unchanged"),
        "{}",
        stdout(&out)
    );
    // Another version of the statement: a page fewer. Only its meeting is rebuilt.
    std::fs::write(d.join("data/m/bilagor/yttrande.pdf"), blank_pdf(2)).unwrap();
    let out = assemble(d, &["bundle", "data/"]);
    let text = stdout(&out);
    assert!(text.contains("1 built, 1 unchanged"), "{text}");
    assert!(text.contains("built out/m/meeting.pdf"), "{text}");
    let pages = pages(&d.join("out/m/meeting.pdf"));
    assert_eq!(sida(&pages).last().unwrap(), &Some((2, 2)));
}

#[test]
fn a_signature_on_a_pdf_bilaga_is_a_warning_not_printed_over_the_original() {
    let dir = fixture("pdf-bilaga");
    edit(
        dir.path(),
        "file = \"bilagor/yttrande.pdf\"",
        "file = \"bilagor/yttrande.pdf\"\nsignature = { name = \"Carl Korch\" }",
    );
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: bilaga `yttrande` is a PDF: its `signature` is not printed"),
        "{err}"
    );
    let pages = pages(&dir.path().join("out.pdf"));
    assert!(!pages.last().unwrap().contains("Carl Korch"));
}

#[test]
fn a_page_the_renderer_cannot_show_fully_is_a_warning_naming_the_page() {
    let dir = fixture("pdf-bilaga");
    let scan = dir.path().join("bilagor/skrivelse.pdf");
    let bytes = std::fs::read(&scan).unwrap();
    // The scan's image declared as JPEG (same length, so the file stays well-formed): its
    // data cannot be decoded.
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("/Filter /FlateDecode /Length"));
    let from = b"/Filter /FlateDecode /Length";
    let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
    let mut broken = bytes.clone();
    broken[at..at + from.len()].copy_from_slice(b"/Filter /DCTDecode   /Length");
    std::fs::write(&scan, broken).unwrap();
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "warning: bilaga `skrivelse` (`bilagor/skrivelse.pdf`): page 1: an image could not be decoded"
        ),
        "{err}"
    );
    // The page is still there, and the original attached as it is.
    assert_eq!(page_count(&dir.path().join("out.pdf")), 6);
}

#[test]
fn a_pdf_over_the_size_cap_is_refused_before_it_is_read() {
    let dir = fixture("pdf-bilaga");
    // Sparse: 101 MB long without writing them, so the test stays quick.
    let file = std::fs::File::options()
        .write(true)
        .open(dir.path().join("bilagor/yttrande.pdf"))
        .unwrap();
    file.set_len(101 * 1024 * 1024).unwrap();
    drop(file);
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "bilaga `yttrande` (`bilagor/yttrande.pdf`): the file is 101 MB, more than the 100 MB a bilaga may have"
        ),
        "{err}"
    );
    assert!(!dir.path().join("out.pdf").exists());
}

/// Issue 14: `check` converted every page of a PDF bilaga (1.2 s for 12 pages) only to
/// throw the pages away. Now it opens the PDF, counts its pages and refuses what must be
/// refused, and never draws a page: a scan whose image cannot be decoded — a warning in a
/// build, found only by drawing the page — passes `check` without it.
#[test]
fn check_does_not_convert_the_pages_of_a_pdf_bilaga() {
    let dir = fixture("pdf-bilaga");
    let scan = dir.path().join("bilagor/skrivelse.pdf");
    let bytes = std::fs::read(&scan).unwrap();
    let from = b"/Filter /FlateDecode /Length";
    let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
    let mut broken = bytes.clone();
    broken[at..at + from.len()].copy_from_slice(b"/Filter /DCTDecode   /Length");
    std::fs::write(&scan, broken).unwrap();
    let out = assemble(dir.path(), &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(stdout(&out).contains("ok meeting.toml"), "{}", stdout(&out));
    assert!(!err.contains("could not be decoded"), "{err}");

    // What must be refused still is, at the bilaga's line.
    let encrypted =
        std::fs::read(repo().join("tests/fixtures/pdf-encrypted/med-losenord.pdf")).unwrap();
    std::fs::write(dir.path().join("bilagor/yttrande.pdf"), encrypted).unwrap();
    std::fs::write(&scan, blank_pdf(201)).unwrap();
    let out = assemble(dir.path(), &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bilaga `yttrande` (`bilagor/yttrande.pdf`): the PDF is encrypted"),
        "{err}"
    );
    assert!(
        err.contains("bilaga `skrivelse` (`bilagor/skrivelse.pdf`): the PDF has 201 pages"),
        "{err}"
    );
}
