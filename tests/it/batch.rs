//! Batch runs: many meetings, in parallel, incremental, sharded, with bundles.

use std::path::{Path, PathBuf};

use crate::common::*;

/// An archive `data/` with `n` copies of the minimal meeting, `data/m{i}/meeting.toml`.
fn archive(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        copy_dir(
            &repo().join("tests/fixtures/minimal"),
            &dir.path().join(format!("data/m{i}")),
        );
    }
    dir
}

fn pdf(dir: &Path, i: usize) -> PathBuf {
    dir.join(format!("out/m{i}/meeting.pdf"))
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = assemble(dir, args);
    (out.status.code().unwrap_or(-1), stdout(&out), stderr(&out))
}

#[test]
fn one_bad_meeting_never_stops_the_others() {
    let dir = archive(3);
    std::fs::write(
        dir.path().join("data/m1/meeting.toml"),
        "kind = \"fvg\"\norgan = \n",
    )
    .unwrap();
    let (code, out, err) = run(dir.path(), &["data/"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(pdf(dir.path(), 0).exists() && pdf(dir.path(), 2).exists());
    assert!(!pdf(dir.path(), 1).exists());
    assert!(err.contains("data/m1/meeting.toml:2:"), "{err}");
    assert!(out.contains("failed data/m1/meeting.toml"), "{out}");
    assert!(out.contains("2 built, 0 unchanged, 1 failed"), "{out}");
}

#[test]
fn unchanged_meetings_are_skipped_and_changes_rebuild_only_what_they_touch() {
    let dir = archive(3);
    let d = dir.path();
    assert!(
        run(d, &["data/"])
            .1
            .contains("3 built, 0 unchanged, 0 failed")
    );
    let (_, out, _) = run(d, &["data/"]);
    assert!(out.contains("0 built, 3 unchanged, 0 failed"), "{out}");
    assert!(out.contains("unchanged out/m0/meeting.pdf"), "{out}");

    // A bilaga changes: only its meeting is rebuilt.
    std::fs::write(
        d.join("data/m2/bilagor/lista.md"),
        "Ny text.[^a]\n\n[^a]: Not.\n",
    )
    .unwrap();
    let (_, out, _) = run(d, &["data/"]);
    assert!(out.contains("1 built, 2 unchanged"), "{out}");
    assert!(out.contains("built out/m2/meeting.pdf"), "{out}");

    // An output is deleted: rebuilt.
    std::fs::remove_file(pdf(d, 0)).unwrap();
    assert!(run(d, &["data/"]).1.contains("1 built, 2 unchanged"));

    // A changed template rebuilds everything that uses it.
    std::fs::create_dir(d.join("mall")).unwrap();
    let library = std::fs::read_to_string(repo().join("templates/protokoll.typ")).unwrap();
    std::fs::write(
        d.join("mall/protokoll.typ"),
        library.replace("Tidpunkt", "Tid"),
    )
    .unwrap();
    let (_, out, _) = run(d, &["data/", "--templates", "mall"]);
    assert!(out.contains("3 built, 0 unchanged"), "{out}");

    // --force rebuilds all.
    assert!(
        run(d, &["data/", "--templates", "mall", "--force"])
            .1
            .contains("3 built, 0 unchanged")
    );
}

#[test]
fn a_corrupt_build_record_means_rebuild_not_a_crash() {
    let dir = archive(2);
    run(dir.path(), &["data/"]);
    std::fs::write(
        dir.path().join("out/.protokoll-builds.json"),
        "{\"meetings\": [1, 2",
    )
    .unwrap();
    let (code, out, err) = run(dir.path(), &["data/"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 built, 0 unchanged"), "{out}");
    assert!(
        run(dir.path(), &["data/"])
            .1
            .contains("0 built, 2 unchanged")
    );
}

#[test]
fn batch_output_is_byte_identical_to_single_runs_and_independent_of_jobs() {
    let dir = archive(4);
    let d = dir.path();
    run(d, &["data/", "--jobs", "2"]);
    let parallel: Vec<Vec<u8>> = (0..4).map(|i| std::fs::read(pdf(d, i)).unwrap()).collect();
    run(d, &["data/", "--jobs", "1", "--force", "--out-dir", "out1"]);
    for (i, bytes) in parallel.iter().enumerate() {
        assert!(
            *bytes == std::fs::read(d.join(format!("out1/m{i}/meeting.pdf"))).unwrap(),
            "jobs 1 vs 2, meeting {i}"
        );
    }
    let single = assemble(d, &["data/m3/meeting.toml", "-o", "single.pdf"]);
    assert!(single.status.success());
    assert!(
        parallel[3] == std::fs::read(d.join("single.pdf")).unwrap(),
        "batch and single run agree"
    );
}

#[test]
fn shards_split_the_archive_without_overlap() {
    let dir = archive(8);
    let d = dir.path();
    let mut owners = vec![0; 8];
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out_dir = format!("out{k}");
        let (code, out, err) = run(d, &["data/", "--shard", &shard, "--out-dir", &out_dir]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("left to other shards") || out.contains(" 0 failed"),
            "{out}"
        );
        for (i, owner) in owners.iter_mut().enumerate() {
            if d.join(format!("{out_dir}/m{i}/meeting.pdf")).exists() {
                *owner += 1;
            }
        }
    }
    assert_eq!(owners, vec![1; 8], "every meeting in exactly one shard");
    let (code, _, err) = run(d, &["data/", "--shard", "4/3"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn bundles_are_deterministic_complete_and_verifiable() {
    let dir = archive(1);
    let d = dir.path();
    let (code, out, err) = run(d, &["bundle", "data/"]);
    assert_eq!(code, 0, "{out}{err}");
    let zip = d.join("out/m0/meeting.zip");
    let first = std::fs::read(&zip).unwrap();
    run(d, &["bundle", "data/", "--force"]);
    assert!(
        first == std::fs::read(&zip).unwrap(),
        "same input, same bundle bytes"
    );

    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "manifest.json",
            "meeting.pdf",
            "bilagor/bilaga-1-yttrande.md",
            "bilagor/bilaga-2-lista.md"
        ]
    );
    let mut original = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("bilagor/bilaga-2-lista.md").unwrap(),
        &mut original,
    )
    .unwrap();
    assert_eq!(
        original,
        std::fs::read_to_string(d.join("data/m0/bilagor/lista.md")).unwrap()
    );

    let (code, out, _) = run(d, &["verify", "out/m0/meeting.zip"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("ok out/m0/meeting.zip: 3 files, protocol meeting.pdf"),
        "{out}"
    );

    // Tampering with the PDF inside is caught.
    let tampered = d.join("tampered.zip");
    rewrite_zip(&zip, &tampered, "meeting.pdf", b"%PDF-1.7 not the protocol");
    let (code, _, err) = run(d, &["verify", "tampered.zip"]);
    assert_eq!(code, 1);
    assert!(err.contains("`meeting.pdf` has"), "{err}");
    let (code, _, err) = run(d, &["verify", "data/m0/meeting.toml"]);
    assert_eq!(code, 1);
    assert!(err.contains("not a zip file"), "{err}");
}

fn rewrite_zip(from: &Path, to: &Path, replace: &str, with: &[u8]) {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut dst = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..src.len() {
        let mut entry = src.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        dst.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        dst.write_all(if name == replace { with } else { &bytes })
            .unwrap();
    }
    dst.finish().unwrap();
}

#[test]
fn quiet_prints_nothing_on_success_and_stale_temporaries_are_cleaned() {
    let dir = archive(2);
    let d = dir.path();
    std::fs::create_dir_all(d.join("out/m0")).unwrap();
    std::fs::write(d.join("out/m0/.protokoll-left.tmp"), "half a pdf").unwrap();
    let (code, out, err) = run(d, &["data/", "--quiet"]);
    assert_eq!(code, 0);
    assert!(out.is_empty() && err.is_empty(), "quiet: {out}{err}");
    assert!(
        !d.join("out/m0/.protokoll-left.tmp").exists(),
        "an interrupted run's temporary file is removed"
    );
}

#[test]
fn two_concurrent_runs_on_one_out_dir_take_turns() {
    let dir = archive(4);
    let d = dir.path();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_assemble"))
            .args(["data/", "--force", "--quiet"])
            .current_dir(d)
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("out/.protokoll-builds.json")).unwrap())
            .unwrap();
    assert_eq!(record["meetings"].as_object().unwrap().len(), 4);
    for i in 0..4 {
        assert_eq!(page_count(&pdf(d, i)), 4);
    }
    assert!(run(d, &["data/"]).1.contains("0 built, 4 unchanged"));
}

/// The example CI workflow must run as written: every `assemble` command in it is one the
/// binary accepts, and the shard matrix covers 1..N.
#[test]
fn the_example_workflow_uses_real_commands() {
    let text = std::fs::read_to_string(repo().join(".ci/examples/github-actions.yml")).unwrap();
    let dir = archive(2);
    let commands: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("run: target/release/assemble "))
        .collect();
    assert!(!commands.is_empty());
    for command in commands {
        let command = command.replace("${{ matrix.shard }}", "1");
        let args: Vec<&str> = command.split_whitespace().collect();
        let (code, out, err) = run(dir.path(), &args);
        assert_eq!(code, 0, "`assemble {command}`: {out}{err}");
    }
    assert!(text.contains("shard: [1, 2, 3, 4]") && text.contains("/4"));
}

/// Ctrl-C (SIGINT) in a batch: the meetings under way are finished, the rest not started;
/// no partial or temporary file is left, the record is consistent, and the next run builds
/// exactly what is missing.
#[cfg(unix)]
#[test]
fn an_interrupted_batch_leaves_only_complete_files() {
    interrupted_batch_leaves_only_complete_files("1", false);
}

/// With two workers the meetings are built in worker processes (issue 14); Ctrl-C on a
/// terminal reaches the whole process group, workers included: they finish the meeting they
/// are on, and the batch ends as with one worker.
#[test]
fn an_interrupted_batch_of_worker_processes_leaves_only_complete_files() {
    interrupted_batch_leaves_only_complete_files("2", true);
}

/// Interrupts a batch of 12 with `jobs` workers once its first PDF exists: to its process
/// group if `group`, as a terminal does, else to the batch alone.
fn interrupted_batch_leaves_only_complete_files(jobs: &str, group: bool) {
    use std::os::unix::process::CommandExt;
    let dir = archive(12);
    let d = dir.path();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_assemble"));
    command
        .args(["data/", "--jobs", jobs])
        .current_dir(d)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .process_group(0);
    let mut child = command.spawn().unwrap();
    // Interrupt once the first PDF exists, i.e. mid-run.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !pdf(d, 0).exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let pid = child.id() as libc::pid_t;
    unsafe { libc::kill(if group { -pid } else { pid }, libc::SIGINT) };
    let status = child.wait().unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
    let built = (0..12).filter(|&i| pdf(d, i).exists()).count();
    if status.code() == Some(0) {
        // The run finished before the signal arrived: nothing to check but completeness.
        assert_eq!(built, 12);
        return;
    }
    assert_eq!(status.code(), Some(130), "{out}");
    assert!(out.contains("not started (interrupted)"), "{out}");
    assert!(built < 12, "the interrupt stopped the run early");
    for i in (0..12).filter(|&i| pdf(d, i).exists()) {
        assert_eq!(page_count(&pdf(d, i)), 4, "meeting {i} is a complete PDF");
    }
    let mut stray = Vec::new();
    find_temporaries(&d.join("out"), &mut stray);
    assert!(stray.is_empty(), "temporary files left: {stray:?}");
    let (code, out, _) = run(d, &["data/"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("{} built, {built} unchanged", 12 - built)),
        "{out}"
    );
}

/// A batch started in the background by a shell script inherits SIGINT ignored; SIGTERM
/// then still stops it cleanly: summary printed, build record written (was: killed, exit
/// 143, neither).
#[cfg(unix)]
#[test]
fn sigterm_stops_a_batch_started_with_sigint_ignored() {
    use std::os::unix::process::CommandExt;
    let dir = archive(12);
    let d = dir.path();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_assemble"));
    command
        .args(["data/", "--jobs", "1"])
        .current_dir(d)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !pdf(d, 0).exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let status = child.wait().unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
    let built = (0..12).filter(|&i| pdf(d, i).exists()).count();
    if status.code() == Some(0) {
        assert_eq!(built, 12);
        return;
    }
    // 128 + SIGTERM, as a shell reports it (issue 13).
    assert_eq!(
        status.code(),
        Some(143),
        "exited, not killed: {status:?} {out}"
    );
    assert!(out.contains("not started (interrupted)"), "{out}");
    assert!(d.join("out/.protokoll-builds.json").exists());
    let (code, out, _) = run(d, &["data/"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("{} built, {built} unchanged", 12 - built)),
        "{out}"
    );
}

/// A lock file that is a link to another file is refused; the file it names is not created.
#[cfg(unix)]
#[test]
fn a_symlinked_lock_file_is_refused() {
    let dir = archive(1);
    let d = dir.path();
    std::fs::create_dir(d.join("out")).unwrap();
    std::os::unix::fs::symlink(d.join("target"), d.join("out/.protokoll.lock")).unwrap();
    let (code, out, err) = run(d, &["data/"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert!(!d.join("target").exists());
    assert!(!pdf(d, 0).exists());
}

/// Two links to `.` in an organ's folder: each meeting is built once and the run ends
/// (was: the walk went round and round; one meeting built 41 times).
#[cfg(unix)]
#[test]
fn symlink_loops_in_the_archive_build_each_meeting_once() {
    let dir = archive(2);
    let d = dir.path();
    std::os::unix::fs::symlink(".", d.join("data/m0/a")).unwrap();
    std::os::unix::fs::symlink(".", d.join("data/m0/b")).unwrap();
    std::os::unix::fs::symlink("/", d.join("data/m1/root")).unwrap();
    let (code, out, err) = run(d, &["check", "data/"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.matches("ok data/m0/meeting.toml").count(), 1, "{out}");
    assert_eq!(out.matches("ok data/").count(), 2, "{out}");
    assert!(err.contains("data/m0/a: link not followed"), "{err}");
    assert!(
        err.contains("data/m1/root: link not followed: it leads out"),
        "{err}"
    );
    let (code, out, err) = run(d, &["data/"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 built, 0 unchanged, 0 failed"), "{out}");
}

fn find_temporaries(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            find_temporaries(&path, found);
        } else if path.to_string_lossy().ends_with(".tmp") {
            found.push(path);
        }
    }
}

/// Two 1×1 PNGs of the same size, red and blue.
pub(crate) const RED: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";
pub(crate) const BLUE: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63\x60\x60\xf8\x0f\x00\x01\x03\x01\x00\x08\x89\xc2\xec\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

/// Issue 14: the build key hashed only the bilaga files the meeting file names, so an
/// edited image shown by a Markdown bilaga left its PDF "unchanged". The key is now every
/// file the build read; a file only touched (same bytes) is still unchanged.
#[test]
fn an_edited_image_in_a_markdown_bilaga_rebuilds_its_meeting() {
    let dir = archive(2);
    let d = dir.path();
    let image = d.join("data/m1/bilagor/bild.png");
    std::fs::write(&image, RED).unwrap();
    let lista = d.join("data/m1/bilagor/lista.md");
    let text = std::fs::read_to_string(&lista).unwrap();
    std::fs::write(&lista, format!("{text}\n![En punkt](bild.png)\n")).unwrap();
    let (code, out, err) = run(d, &["data/"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 built, 0 unchanged"), "{out}");
    let first = std::fs::read(pdf(d, 1)).unwrap();
    assert!(run(d, &["data/"]).1.contains("0 built, 2 unchanged"));

    // The same size, other pixels: only that meeting is built again, and its PDF differs.
    std::fs::write(&image, BLUE).unwrap();
    let (_, out, _) = run(d, &["data/"]);
    assert!(out.contains("1 built, 1 unchanged"), "{out}");
    assert!(out.contains("built out/m1/meeting.pdf"), "{out}");
    assert!(std::fs::read(pdf(d, 1)).unwrap() != first);

    // Written again with the same bytes: a new time, no new content.
    std::fs::write(&image, BLUE).unwrap();
    let (_, out, _) = run(d, &["data/"]);
    assert!(out.contains("0 built, 2 unchanged"), "{out}");
    assert!(run(d, &["data/"]).1.contains("0 built, 2 unchanged"));
}

/// The pages of a PDF bilaga are converted once and kept, by content, in the output
/// folder: a rebuild takes the entry as it is (same file, not rewritten); a damaged entry is
/// converted again and replaced; the PDF is the same bytes every time.
#[test]
fn pdf_pages_come_from_the_cache_and_a_corrupt_entry_is_converted_again() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&repo().join("tests/fixtures/pdf-bilaga"), &d.join("data/m"));
    let (code, _, err) = run(d, &["data/"]);
    assert_eq!(code, 0, "{err}");
    let built = std::fs::read(d.join("out/m/meeting.pdf")).unwrap();
    let cache = d.join("out/.protokoll-cache/pdf");
    let entries = |cache: &Path| {
        let mut found: Vec<PathBuf> = std::fs::read_dir(cache)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        found.sort();
        found
    };
    let found = entries(&cache);
    assert_eq!(found.len(), 2, "one entry per PDF bilaga: {found:?}");
    let inodes: Vec<u64> = found
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().ino())
        .collect();
    let sound = std::fs::read(&found[0]).unwrap();

    let (code, _, err) = run(d, &["data/", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(d.join("out/m/meeting.pdf")).unwrap() == built);
    let again: Vec<u64> = found
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().ino())
        .collect();
    assert_eq!(inodes, again, "a hit reads the entry and writes nothing");

    let mut damaged = sound.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x20;
    std::fs::write(&found[0], &damaged).unwrap();
    let (code, _, err) = run(d, &["data/", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(d.join("out/m/meeting.pdf")).unwrap() == built);
    assert!(
        std::fs::read(&found[0]).unwrap() == sound,
        "the entry is made again"
    );
}

/// A batch's worker process (issue 14): a job in on standard input, its result out on
/// standard output, one JSON line each, until its input ends.
#[test]
fn a_worker_process_builds_each_job_it_is_sent_and_ends_with_its_input() {
    use std::io::{BufRead, Write};
    let dir = archive(2);
    let d = dir.path();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_assemble"))
        .args(["__worker", "--out-dir", "out"])
        .current_dir(d)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut output = std::io::BufReader::new(child.stdout.take().unwrap());
    for i in 0..2 {
        let job = serde_json::json!({
            "meeting": format!("data/m{i}/meeting.toml"),
            "task": { "Build": {
                "target": { "pdf": format!("out/m{i}/meeting.pdf"), "typst": null, "bundle": null, "name": "meeting.pdf" },
                "run_key": "k",
            } },
        });
        writeln!(input, "{job}").unwrap();
        let mut line = String::new();
        output.read_line(&mut line).unwrap();
        let result: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(result["Built"][0]["run"], "k", "{line}");
        assert_eq!(result["Built"][1]["Built"]["pages"], 4, "{line}");
        assert!(pdf(d, i).exists());
    }
    drop(input);
    assert!(child.wait().unwrap().success());
    // A worker for `check` (issue 29) checks each meeting it is sent, and builds none.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_assemble"))
        .args(["__worker", "--check"])
        .current_dir(d)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut output = std::io::BufReader::new(child.stdout.take().unwrap());
    let job = serde_json::json!({
        "meeting": "data/m1/meeting.toml",
        "task": { "Check": { "ready": false } },
    });
    writeln!(input, "{job}").unwrap();
    let mut line = String::new();
    output.read_line(&mut line).unwrap();
    let result: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(result["ok"], true, "{line}");
    assert!(
        result["inputs"].as_array().is_some_and(|i| !i.is_empty()),
        "{line}"
    );
    drop(input);
    assert!(child.wait().unwrap().success());
}

/// Issue 28: a check after nothing changed reports what the last one found (its problems
/// at their lines included) and checks nothing again; a changed meeting file, or a house
/// style added beside a meeting, has that meeting checked again; `--all` checks every one.
#[test]
fn check_reuses_the_last_result_of_unchanged_meetings_and_all_checks_every_one() {
    let dir = archive(3);
    let d = dir.path();
    std::fs::create_dir(d.join("out")).unwrap();
    let broken = d.join("data/m2/meeting.toml");
    let text = std::fs::read_to_string(&broken).unwrap();
    std::fs::write(&broken, format!("{text}\nokänt_fält = 1\n")).unwrap();

    let (code, first, first_err) = run(d, &["check", "data"]);
    assert_eq!(code, 1, "{first}{first_err}");
    assert!(first_err.contains("okänt_fält"), "{first_err}");
    assert!(!first.contains("unchanged"), "{first}");
    let summary = |said: &str, unchanged: usize| {
        format!(
            "{}; {unchanged} unchanged since the last check\n",
            said.trim_end()
        )
    };

    let (code, again, again_err) = run(d, &["check", "data"]);
    assert_eq!(code, 1);
    assert_eq!(again, summary(&first, 3));
    assert_eq!(again_err, first_err, "the problems are reported as found");

    let m0 = d.join("data/m0/meeting.toml");
    let text = std::fs::read_to_string(&m0).unwrap();
    std::fs::write(&m0, format!("# Ändrad.\n{text}")).unwrap();
    let (_, said, _) = run(d, &["check", "data"]);
    assert!(
        said.ends_with("; 2 unchanged since the last check\n"),
        "{said}"
    );

    std::fs::copy(
        repo().join("tests/fixtures/wording-colon/husstil.toml"),
        d.join("data/m1/husstil.toml"),
    )
    .unwrap();
    let (_, said, _) = run(d, &["check", "data"]);
    assert!(
        said.ends_with("; 2 unchanged since the last check\n"),
        "{said}"
    );
    let (_, said, _) = run(d, &["check", "data"]);
    assert!(
        said.ends_with("; 3 unchanged since the last check\n"),
        "{said}"
    );

    let (code, all, all_err) = run(d, &["check", "data", "--all"]);
    assert_eq!(code, 1);
    assert_eq!(all, first, "--all checks every meeting again");
    assert_eq!(all_err, first_err);
}
