//! PDF bilagor in the web edition (issue 22 item 3): the original is never attached to a
//! public edition (it may hold filled form fields, comments, metadata, attachments, earlier
//! revisions); its pages are published as drawn; and every text a page exposes — the page
//! text, form field values, annotation texts — is scanned for personnummer, a hit refused at
//! the bilaga's `file =` line naming the page and the channel. The official protocol keeps
//! attaching the original.

use std::path::Path;

use crate::common::*;

const MEETING: &str = "2020-04-21.toml";

/// data/amn with the PDF bilaga `x` (the fixture file `name`) referred to from § text, as the
/// cases P01 and P02 edit the sample.
fn amn_with(name: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), dir.path());
    std::fs::copy(
        repo().join("tests/fixtures/publication-pdf").join(name),
        dir.path().join("2020-04-21").join(name),
    )
    .unwrap();
    let path = dir.path().join(MEETING);
    let text = std::fs::read_to_string(&path).unwrap();
    let from = "språkstödet redan ges inom sfi och Jobbtorg Stockholm.";
    assert!(text.contains(from));
    let text = text.replacen(
        from,
        "språkstödet redan ges inom sfi (se {bilaga:x}) och Jobbtorg Stockholm.",
        1,
    ) + &format!(
        "\n[[bilaga]]\nid = \"x\"\ntitle = \"Ansökan\"\nfile = \"2020-04-21/{name}\"\n"
    );
    std::fs::write(&path, &text).unwrap();
    (dir, text)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// `publish` must fail, writing nothing; its messages.
fn refused(dir: &Path) -> String {
    let out = assemble(dir, &["publish", MEETING, "-o", "webb.pdf"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "exit 1:\n{err}");
    assert!(!dir.join("webb.pdf").exists(), "no web edition written");
    err
}

/// The names of the files embedded in a PDF (its EmbeddedFiles name tree, flat).
fn embedded_names(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut names = Vec::new();
    for (_, object) in doc.objects.iter() {
        if let Ok(d) = object.as_dict()
            && d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Filespec".as_slice())
            && let Ok(f) = d.get(b"UF").or_else(|_| d.get(b"F"))
        {
            names.push(lopdf::decode_text_string(f).unwrap_or_default());
        }
    }
    names
}

/// Case publication/P01-pdf-form-field-pnr: a filled form field's personnummer.
#[test]
fn case_p01_a_form_field_value_with_a_personnummer_refuses_the_web_edition() {
    let (dir, text) = amn_with("form-field.pdf");
    let err = refused(dir.path());
    let line = line_of(&text, "file = \"2020-04-21/form-field.pdf\"");
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    assert!(
        err.contains(
            "on page 1 a personnummer (850709-XXXX) in the value of form field `personnummer`"
        ),
        "{err}"
    );
}

/// Case publication/P02-pdf-annotations-pnr: a FreeText annotation and a sticky note.
#[test]
fn case_p02_annotation_texts_with_a_personnummer_refuse_the_web_edition() {
    let (dir, text) = amn_with("annot.pdf");
    let err = refused(dir.path());
    let line = line_of(&text, "file = \"2020-04-21/annot.pdf\"");
    assert!(err.contains(&format!("{MEETING}:{line}:")), "{err}");
    // The free text typed onto the form, and the comment (a sticky note).
    assert!(
        err.contains("a personnummer (770102-XXXX) in the text of a free text annotation"),
        "{err}"
    );
    assert!(
        err.contains("a personnummer (900315-XXXX) in the text of a comment (note) annotation"),
        "{err}"
    );
}

#[test]
fn the_web_edition_publishes_pdf_pages_as_drawn_and_never_attaches_the_original() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data/amn"), dir.path());
    let d = dir.path();
    let out = assemble(d, &["publish", MEETING, "-o", "webb.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = assemble(d, &[MEETING, "-o", "official.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The sample's motion is a PDF bilaga: attached to the official protocol only.
    let official = embedded_names(&d.join("official.pdf"));
    assert!(
        official.iter().any(|n| n.ends_with("motion-sprakstod.pdf")),
        "{official:?}"
    );
    let web = embedded_names(&d.join("webb.pdf"));
    assert!(!web.iter().any(|n| n.ends_with(".pdf")), "{web:?}");
    // Its pages are there, as images, and the web edition does not say it attaches it.
    let text = pages(&d.join("webb.pdf")).join(" ");
    assert!(!text.contains("är bifogat i denna PDF"), "{text}");
    assert!(text.contains("Bilaga 2"), "{text}");
}
