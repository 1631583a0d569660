//! `verify` on bundles someone else made (issue 13): a bundle holds only regular files with
//! safe, unique relative names, and checking a hostile one costs bounded work.

use std::io::Write;
use std::path::Path;

use protokoll::bundle::sha256_hex;
use zip::write::SimpleFileOptions;

use crate::common::*;

/// A bundle with `files` (name, bytes) all listed in a valid manifest, the first being the
/// protocol (a name listed twice is written once); `add` adds unlisted entries after them.
fn bundle(
    path: &Path,
    files: &[(&str, &[u8])],
    add: impl FnOnce(&mut zip::ZipWriter<std::fs::File>),
) {
    let listed: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, bytes)| {
            serde_json::json!({"name": name, "size": bytes.len(), "sha256": sha256_hex(bytes)})
        })
        .collect();
    let manifest = serde_json::json!({
        "tool": "protokoll 0.1.0", "organ": "FVG", "title": "Protokoll", "date": "2020-09-17",
        "justerad": null, "protocol": files[0].0, "files": listed,
    });
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = SimpleFileOptions::default();
    zip.start_file("manifest.json", options).unwrap();
    zip.write_all(manifest.to_string().as_bytes()).unwrap();
    let mut written = std::collections::HashSet::new();
    for (name, bytes) in files {
        if !written.insert(*name) {
            continue;
        }
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    add(&mut zip);
    zip.finish().unwrap();
}

fn verify(dir: &Path, name: &str) -> (i32, String) {
    let out = assemble(dir, &["verify", name]);
    (
        out.status.code().unwrap_or(-1),
        stderr(&out) + &stdout(&out),
    )
}

#[test]
fn a_bundle_of_plain_files_verifies() {
    let dir = tempfile::tempdir().unwrap();
    bundle(
        &dir.path().join("b.zip"),
        &[("p.pdf", b"%PDF"), ("bilagor/bilaga-1-x.md", b"x")],
        |_| {},
    );
    let (code, out) = verify(dir.path(), "b.zip");
    assert_eq!(code, 0, "{out}");
}

#[test]
fn entries_that_climb_out_are_refused() {
    for name in [
        "../../x",
        "/etc/cron.d/x",
        "a/./b",
        "a//b",
        "C:/x",
        "a\\..\\b",
    ] {
        let dir = tempfile::tempdir().unwrap();
        bundle(
            &dir.path().join("b.zip"),
            &[("p.pdf", b"%PDF"), (name, b"* * * * * root sh")],
            |_| {},
        );
        let (code, out) = verify(dir.path(), "b.zip");
        assert_eq!(code, 1, "{name}: {out}");
        assert!(
            out.contains("is not a plain relative name"),
            "{name}: {out}"
        );
    }
}

#[test]
fn symlink_entries_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    bundle(&dir.path().join("b.zip"), &[("p.pdf", b"%PDF")], |zip| {
        zip.add_symlink("bilagor/x", "/etc/passwd", SimpleFileOptions::default())
            .unwrap();
    });
    let (code, out) = verify(dir.path(), "b.zip");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("`bilagor/x` is a symbolic link"), "{out}");
}

#[test]
fn folder_entries_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    bundle(&dir.path().join("b.zip"), &[("p.pdf", b"%PDF")], |zip| {
        zip.add_directory("bilagor/", SimpleFileOptions::default())
            .unwrap();
    });
    let (code, out) = verify(dir.path(), "b.zip");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("`bilagor/` is a folder entry"), "{out}");
}

/// Two entries named alike: the zip writer refuses that, so the second's name is patched in
/// the bytes (same length, local and central headers).
#[test]
fn two_entries_of_one_name_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.zip");
    bundle(
        &path,
        &[("p.pdf", b"%PDF"), ("aaaa.md", b"checked")],
        |zip| {
            zip.start_file("bbbb.md", SimpleFileOptions::default())
                .unwrap();
            zip.write_all(b"never checked").unwrap();
        },
    );
    let mut bytes = std::fs::read(&path).unwrap();
    let mut at = 0;
    while let Some(pos) = bytes[at..].windows(7).position(|w| w == b"bbbb.md") {
        bytes[at + pos..at + pos + 7].copy_from_slice(b"aaaa.md");
        at += pos + 7;
    }
    std::fs::write(&path, bytes).unwrap();
    let (code, out) = verify(dir.path(), "b.zip");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("two entries have the same name"), "{out}");
}

/// The 1.7 MB zip that took `verify` 55 s: a manifest listing 150,000 files (compressed to
/// little) against thousands of entries, each name compared with every listed one. Listing
/// more files than a bundle may hold is refused before any is read; listing one twice too.
#[test]
fn a_manifest_listing_more_than_a_bundle_holds_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.zip");
    let names: Vec<String> = (0..10_001).map(|i| format!("f{i}")).collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    // Listed, but only the protocol present: the manifest alone is refused.
    let listed: Vec<serde_json::Value> = files
        .iter()
        .map(|(n, b)| serde_json::json!({"name": n, "size": b.len(), "sha256": sha256_hex(b)}))
        .collect();
    let manifest = serde_json::json!({
        "tool": "t", "organ": "o", "title": "t", "date": "2020-09-17", "justerad": null,
        "protocol": "f0", "files": listed,
    });
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file("manifest.json", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(manifest.to_string().as_bytes()).unwrap();
    zip.start_file("f0", SimpleFileOptions::default()).unwrap();
    zip.finish().unwrap();
    let (code, out) = verify(dir.path(), "b.zip");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("lists 10001 files: more than a bundle can hold (10000)"),
        "{out}"
    );

    // Just under: 9,999 files and the manifest, 10,000 entries, verifies.
    let ok = dir.path().join("ok.zip");
    bundle(&ok, &files[..9_999], |_| {});
    let (code, out) = verify(dir.path(), "ok.zip");
    assert_eq!(code, 0, "{out}");
    // One file more, present and listed: the entries are over the cap.
    bundle(&ok, &files[..10_000], |_| {});
    let (code, out) = verify(dir.path(), "ok.zip");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("10001 entries: more than a bundle can hold"),
        "{out}"
    );
}

#[test]
fn a_file_listed_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    bundle(
        &dir.path().join("b.zip"),
        &[("p.pdf", b"%PDF"), ("p.pdf", b"%PDF")],
        |_| {},
    );
    let (code, out) = verify(dir.path(), "b.zip");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("lists `p.pdf` twice"), "{out}");
}
