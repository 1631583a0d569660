//! Where outputs go, and what an output's name promises: `-o` names one file of the kind
//! written there, `--out-dir` is honoured by every subcommand that writes documents, and a
//! meeting's outputs are written together or not at all.

use std::io::Read;
use std::path::Path;

use crate::common::*;

fn zip_names(path: &Path) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

fn zip_entry(path: &Path, name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

#[test]
fn bundle_dash_o_names_the_bundle_and_the_pdf_inside_is_named_after_the_meeting() {
    let dir = fixture("minimal");
    let d = dir.path();
    for name in ["x.zip", "y.zip"] {
        let out = assemble(d, &["bundle", "meeting.toml", "-o", name]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stdout(&out).contains(&format!("wrote {name}")),
            "{}",
            stdout(&out)
        );
    }
    let names = zip_names(&d.join("x.zip"));
    assert!(names.contains(&"meeting.pdf".to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n.ends_with(".zip")), "{names:?}");
    assert!(zip_entry(&d.join("x.zip"), "meeting.pdf").starts_with(b"%PDF-"));
    // The bundle's name is not part of its content.
    assert_eq!(
        std::fs::read(d.join("x.zip")).unwrap(),
        std::fs::read(d.join("y.zip")).unwrap()
    );
    let out = assemble(d, &["verify", "x.zip"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !d.join("x.pdf").exists(),
        "-o on bundle writes only the bundle"
    );
}

#[test]
fn an_output_name_that_contradicts_what_is_written_is_a_usage_error() {
    let dir = fixture("minimal");
    let d = dir.path();
    for args in [
        &["bundle", "meeting.toml", "-o", "x.pdf"][..],
        &["meeting.toml", "-o", "x.zip"][..],
        &["meeting.toml", "-o", "x"][..],
        &["new", "--date", "2021-01-01", "-o", "x.pdf"][..],
    ] {
        let out = assemble(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("does not end in"), "{}", stderr(&out));
    }
    let namnd = fixture("namnd");
    for args in [
        &["extract", "meeting.toml", "-p", "33", "-o", "x.zip"][..],
        &["anslag", "meeting.toml", "-o", "x.txt"][..],
    ] {
        let out = assemble(namnd.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    let written: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("x"))
        .collect();
    assert!(written.is_empty(), "nothing written: {written:?}");
}

#[test]
fn dash_o_pdf_with_bundle_puts_the_bundle_beside_the_pdf() {
    let dir = fixture("minimal");
    let d = dir.path();
    let out = assemble(d, &["meeting.toml", "-o", "p.pdf", "--bundle"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(zip_names(&d.join("p.zip")).contains(&"p.pdf".to_string()));
    assert_eq!(
        zip_entry(&d.join("p.zip"), "p.pdf"),
        std::fs::read(d.join("p.pdf")).unwrap()
    );
}

#[test]
fn extract_and_anslag_write_below_out_dir() {
    let dir = fixture("namnd");
    let d = dir.path();
    for args in [
        &[
            "extract",
            "meeting.toml",
            "-p",
            "33",
            "--out-dir",
            "elsewhere",
        ][..],
        &["anslag", "meeting.toml", "--out-dir", "elsewhere"][..],
    ] {
        let out = assemble(d, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    assert!(d.join("elsewhere/meeting-p33.pdf").exists());
    assert!(d.join("elsewhere/meeting-anslag.pdf").exists());
    assert!(!d.join("out").exists(), "nothing under out/");
}

#[test]
fn watch_writes_below_out_dir() {
    let dir = fixture("minimal");
    let d = dir.path();
    let mut child = spawn(d, &["watch", "meeting.toml", "--out-dir", "elsewhere"]);
    let pdf = d.join("elsewhere/meeting.pdf");
    let start = std::time::Instant::now();
    while !pdf.exists() && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(pdf.exists(), "watch wrote below --out-dir");
    assert!(!d.join("out").exists(), "nothing under out/");
}

#[test]
fn a_bundle_that_cannot_be_written_leaves_the_previous_pdf_untouched() {
    let dir = fixture("minimal");
    let d = dir.path();
    let out = assemble(d, &["meeting.toml", "-o", "p.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = std::fs::read(d.join("p.pdf")).unwrap();
    // A folder where the bundle should go: it cannot be written.
    std::fs::create_dir(d.join("p.zip")).unwrap();
    let path = d.join("meeting.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("Mötets öppnande", "Mötet öppnas", 1)).unwrap();
    let out = assemble(d, &["meeting.toml", "-o", "p.pdf", "--bundle"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot write `p.zip`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(d.join("p.pdf")).unwrap(), before);
}
