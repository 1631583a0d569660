//! Every kind of PDF the tool writes, checked by a validator nobody here wrote (issue 25):
//! page-validation (PyPI; how it was calibrated: docs/conformance.md), through
//! `tests/conformance/validate.py`, against each profile the file itself declares in its XMP
//! (`pdfaid:part` + `pdfaid:conformance`, `pdfuaid:part`). Typst checks its own export; this
//! is the second opinion an archive would ask for. A failure names the file and every rule id.
//!
//! Without the validator a test skips with a printed reason — except in CI (`CI` set, and
//! not `false`/`0`), where it fails: `.ci/run` installs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

const VALIDATE: &str = "tests/conformance/validate.py";

/// Whether page-validation can be run; `None` means skip (the reason printed). Panics in CI.
pub(crate) fn validator() -> Option<()> {
    let out = Command::new("python3")
        .arg(repo().join(VALIDATE))
        .arg("--version")
        .output();
    if out.as_ref().is_ok_and(|o| o.status.success()) {
        return Some(());
    }
    let why = match out {
        Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_owned(),
        Err(e) => format!("python3: {e}"),
    };
    let why = format!(
        "conformance test needs page-validation (python3 -m pip install \
         --break-system-packages page-validation): {why}"
    );
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    if ci {
        panic!("{why} — in CI the validator must run (.ci/run installs it)");
    }
    eprintln!("SKIPPED: {why}");
    None
}

/// The text of the XMP property `key` (`pdfaid:part`), written as an element or an attribute.
fn xmp_value(xmp: &str, key: &str) -> Option<String> {
    if let Some(at) = xmp.find(&format!("<{key}>")) {
        let rest = &xmp[at + key.len() + 2..];
        return rest.split('<').next().map(|v| v.trim().to_owned());
    }
    let attr = format!("{key}=\"");
    let at = xmp.find(&attr)? + attr.len();
    xmp[at..].split('"').next().map(str::to_owned)
}

/// The profiles `pdf` declares in its XMP metadata, as page-validation names them ("2a",
/// "ua1"). Every PDF the tool writes claims a PDF/A and PDF/UA-1: one that claims neither
/// would pass vacuously, so both must be there.
fn declared_profiles(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
    let id = doc
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(|m| m.as_reference())
        .unwrap_or_else(|e| panic!("{}: no XMP metadata in the catalog: {e}", pdf.display()));
    let stream = doc.get_object(id).and_then(|o| o.as_stream()).unwrap();
    let xmp = String::from_utf8(stream.get_plain_content().unwrap()).unwrap();
    let part = xmp_value(&xmp, "pdfaid:part");
    let conformance = xmp_value(&xmp, "pdfaid:conformance");
    let ua = xmp_value(&xmp, "pdfuaid:part");
    let (Some(part), Some(conformance), Some(ua)) = (part, conformance, ua) else {
        panic!(
            "{}: the XMP does not declare both a PDF/A (pdfaid:part, pdfaid:conformance) \
             and PDF/UA (pdfuaid:part):\n{xmp}",
            pdf.display()
        );
    };
    vec![
        format!("{part}{}", conformance.to_lowercase()),
        format!("ua{ua}"),
    ]
}

/// Validates `pdf` against the profiles it declares; panics with every failed rule's id.
/// Returns the profiles, so a test can say which it expects.
pub(crate) fn assert_conforms(pdf: &Path) -> Vec<String> {
    let profiles = declared_profiles(pdf);
    let out = Command::new("python3")
        .arg(repo().join(VALIDATE))
        .arg(pdf)
        .args(&profiles)
        .output()
        .expect("python3 runs");
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        out.status.success(),
        "{} fails the profiles it declares ({}):\n{said}",
        pdf.display(),
        profiles.join(", ")
    );
    profiles
}

/// Builds `meeting` (a file in `dir`) to `dir/<name>`; panics with the messages on failure.
fn build_to(dir: &Path, args: &[&str], name: &str) -> PathBuf {
    let mut all = args.to_vec();
    all.extend_from_slice(&["-o", name]);
    let out = assemble(dir, &all);
    assert!(out.status.success(), "{args:?} failed:\n{}", stderr(&out));
    dir.join(name)
}

/// A copy of the sample archive's folder `organ` (`data/amn`, `data/fvg`).
fn sample(organ: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data").join(organ), dir.path());
    dir
}

const A2: [&str; 2] = ["2a", "ua1"];
const A3: [&str; 2] = ["3a", "ua1"];

#[test]
fn conformance_fvg_protocol_with_markdown_and_docx_bilagor() {
    if validator().is_none() {
        return;
    }
    let fvg = sample("fvg");
    let pdf = build_to(fvg.path(), &["2020-09-17.toml"], "p.pdf");
    assert_eq!(assert_conforms(&pdf), A2);
    let pdf = build_to(fvg.path(), &["2020-04-16.toml"], "q.pdf");
    assert_eq!(assert_conforms(&pdf), A2);
}

#[test]
fn conformance_markdown_bilagor_and_tables() {
    if validator().is_none() {
        return;
    }
    for name in ["minimal", "markdown-table"] {
        let dir = fixture(name);
        assert_eq!(assert_conforms(&build(dir.path())), A2, "{name}");
    }
}

#[test]
fn conformance_docx_bilagor() {
    if validator().is_none() {
        return;
    }
    let dir = fixture("docx");
    assert_eq!(assert_conforms(&build(dir.path())), A2);
}

#[test]
fn conformance_pdf_bilaga_text_page_and_scan() {
    if validator().is_none() {
        return;
    }
    // yttrande.pdf has text (drawn as an image), skrivelse.pdf is a scan (drawn as vectors);
    // their originals are attached, so the protocol is PDF/A-3a.
    let dir = fixture("pdf-bilaga");
    assert_eq!(assert_conforms(&build(dir.path())), A3);
}

#[test]
fn conformance_bilagor_as_they_are_really_sent() {
    if validator().is_none() {
        return;
    }
    // Word numbering, hidden text, content controls, header rows, CMYK and 16-bit images,
    // empty headings, long words, footnotes, links and a filled-in PDF form.
    let dir = fixture("bilagor-kinds");
    assert_eq!(assert_conforms(&build(dir.path())), A3);
}

#[test]
fn conformance_yrkanden_bilaga() {
    if validator().is_none() {
        return;
    }
    let dir = fixture("yrkanden");
    assert_eq!(assert_conforms(&build(dir.path())), A2);
}

#[test]
fn conformance_namnd_protocol() {
    if validator().is_none() {
        return;
    }
    let dir = fixture("namnd");
    assert_eq!(assert_conforms(&build(dir.path())), A2);
    // The sample has a Markdown and a PDF bilaga.
    let amn = sample("amn");
    let pdf = build_to(amn.path(), &["2020-04-21.toml"], "p.pdf");
    assert_eq!(assert_conforms(&pdf), A3);
    let pdf = build_to(amn.path(), &["2015-paragraf-8-9.toml"], "q.pdf");
    assert_eq!(assert_conforms(&pdf), A2);
}

#[test]
fn conformance_protokollsutdrag() {
    if validator().is_none() {
        return;
    }
    let amn = sample("amn");
    // § 33: no bilaga; § 34: a Markdown bilaga; § 35: a PDF bilaga (its original attached).
    for (p, want) in [("33", A2), ("34", A2), ("35", A3)] {
        let name = format!("utdrag-{p}.pdf");
        let pdf = build_to(amn.path(), &["extract", "2020-04-21.toml", "-p", p], &name);
        assert_eq!(assert_conforms(&pdf), want, "§ {p}");
    }
}

#[test]
fn conformance_anslagsbevis() {
    if validator().is_none() {
        return;
    }
    let amn = sample("amn");
    let pdf = build_to(amn.path(), &["anslag", "2020-04-21.toml"], "anslag.pdf");
    assert_eq!(assert_conforms(&pdf), A2);
    let dir = fixture("namnd");
    let pdf = build_to(dir.path(), &["anslag", "meeting.toml"], "anslag.pdf");
    assert_eq!(assert_conforms(&pdf), A2);
}

#[test]
fn conformance_web_edition_and_its_extracts() {
    if validator().is_none() {
        return;
    }
    let amn = sample("amn");
    let d = amn.path();
    let out = assemble(d, &["publish", "2020-04-21.toml", "--out-dir", "webb"]);
    assert!(out.status.success(), "publish failed:\n{}", stderr(&out));
    // Every PDF publish wrote: the web edition and the web editions of extracts.
    let mut pdfs: Vec<PathBuf> = Vec::new();
    let mut stack = vec![d.join("webb")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "pdf") {
                pdfs.push(p);
            }
        }
    }
    pdfs.sort();
    assert!(
        pdfs.iter().any(|p| p.ends_with("2020-04-21-webb.pdf")),
        "{pdfs:?}"
    );
    for pdf in &pdfs {
        assert_conforms(pdf);
    }
    // --embed-data attaches the record: PDF/A-3a.
    let pdf = build_to(
        d,
        &["publish", "2020-04-21.toml", "--embed-data"],
        "data.pdf",
    );
    assert_eq!(assert_conforms(&pdf), A3);
}

#[test]
fn conformance_check_fails_a_protocol_whose_tags_are_removed() {
    if validator().is_none() {
        return;
    }
    // The check can fail: the same protocol without its structure tree (an untagged PDF
    // that still claims PDF/UA) is refused, with the rule ids named.
    let dir = fixture("minimal");
    let pdf = build(dir.path());
    let mut doc = lopdf::Document::load(&pdf).unwrap();
    let catalog = doc.catalog_mut().unwrap();
    assert!(
        catalog.remove(b"StructTreeRoot").is_some(),
        "the protocol is tagged"
    );
    let untagged = dir.path().join("untagged.pdf");
    doc.save(&untagged).unwrap();
    let out = Command::new("python3")
        .arg(repo().join(VALIDATE))
        .arg(&untagged)
        .args(declared_profiles(&untagged))
        .output()
        .unwrap();
    let said = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("PDF/UA-1: NOT compliant"), "{said}");
    assert!(said.contains("  PDFUA1-"), "rule ids named: {said}");
}

#[test]
fn conformance_kallelse_and_meeting_packs() {
    if validator().is_none() {
        return;
    }
    // The kallelse alone; the members' pack attaches the PDF handling's original (PDF/A-3a);
    // the public pack attaches nothing.
    let dir = fixture("kallelse-cycle");
    let pdf = build_to(dir.path(), &["kallelse", "planned.toml"], "k.pdf");
    assert_eq!(assert_conforms(&pdf), A2);
    let pdf = build_to(dir.path(), &["kallelse", "planned.toml", "--pack"], "p.pdf");
    assert_eq!(assert_conforms(&pdf), A3);
    let pdf = build_to(
        dir.path(),
        &["kallelse", "planned.toml", "--pack", "--public"],
        "w.pdf",
    );
    assert_eq!(assert_conforms(&pdf), A2);
}
