//! Snapshots of the Typst source generated for every sample meeting in `data/`: a change in
//! what the templates receive or print shows as a readable diff of the `.typ`, not only as a
//! PDF that reads differently. The committed files are under `tests/snapshots/`, named
//! `<folder>-<meeting>.typ` (`data/fvg/2020-09-17.toml` → `fvg-2020-09-17.typ`); after an
//! intended change, `UPDATE_SNAPSHOTS=1 cargo test --test it typst_snapshots` rewrites them.

use std::path::{Path, PathBuf};

use crate::common::*;
use crate::golden::check_current;

const UPDATE: &str = "UPDATE_SNAPSHOTS";

/// The `.typ` files below `dir`, as (snapshot name, path), sorted.
fn typ_files(dir: &Path, prefix: &str, found: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            typ_files(&path, &format!("{prefix}{name}-"), found);
        } else if name.ends_with(".typ") {
            found.push((format!("{prefix}{name}"), path));
        }
    }
}

#[test]
fn the_generated_typst_of_every_sample_meeting_matches_its_snapshot() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = assemble(
        &repo(),
        &[
            "data/",
            "--emit-typst",
            "--quiet",
            "--out-dir",
            out_dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let mut generated = Vec::new();
    typ_files(out_dir.path(), "", &mut generated);
    let names: Vec<&str> = generated.iter().map(|(n, _)| n.as_str()).collect();
    // The sample meetings; a new sample gets its snapshot with UPDATE_SNAPSHOTS=1.
    for sample in [
        "amn-2015-paragraf-8-9.typ",
        "amn-2020-04-21.typ",
        "amn-2020-05-19.typ",
        "fvg-2020-04-16.typ",
        "fvg-2020-09-17.typ",
    ] {
        assert!(names.contains(&sample), "no {sample} among {names:?}");
    }

    let snapshots = repo().join("tests/snapshots");
    let mut failures = Vec::new();
    for (name, path) in &generated {
        let actual = std::fs::read_to_string(path).unwrap();
        let committed = snapshots.join(name);
        if let Err(message) = check_current(&committed, &actual, UPDATE) {
            failures.push(message);
        }
    }
    // A snapshot whose meeting is gone would otherwise guard nothing, silently.
    if std::env::var_os(UPDATE).is_none() {
        for entry in std::fs::read_dir(&snapshots).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".typ") && !names.contains(&name.as_str()) {
                failures.push(format!(
                    "tests/snapshots/{name} belongs to no meeting in data/: delete it"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
