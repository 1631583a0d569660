//! The third round of hostile inputs (issue 29): what is drawn is budgeted per meeting, a
//! meeting is built in a worker process under limits, and the run survives a closed
//! output, a FIFO among the meetings, a bundle that two unzips read differently and text
//! that hides characters. Each input is generated here, small, after the cases in
//! `shared/cases/hostile-3/`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use unicode_normalization::UnicodeNormalization;

use crate::caps::{DRAWING, docx, meeting_with, png_header};
use crate::common::*;

/// `n` copies of the minimal meeting as `data/fvg/mNN.toml`, sharing its bilagor.
fn archive(dir: &Path, n: usize) {
    let fvg = dir.join("data/fvg");
    copy_dir(&repo().join("tests/fixtures/minimal"), &fvg);
    let toml = std::fs::read_to_string(fvg.join("meeting.toml")).unwrap();
    std::fs::remove_file(fvg.join("meeting.toml")).unwrap();
    for i in 1..=n {
        std::fs::write(fvg.join(format!("m{i:02}.toml")), &toml).unwrap();
    }
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_assemble"));
    c.args(args).current_dir(dir).env("NO_COLOR", "1");
    c
}

/// Waits for `child`, killing it (and failing) if it is still running after `limit`: a
/// guard against a hang, not a measurement.
fn wait_or_kill(
    mut child: std::process::Child,
    limit: std::time::Duration,
) -> std::process::Output {
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("still running after {limit:?}: {}", stderr(&out));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.wait_with_output().unwrap()
}

/// Case hostile-3/R08-stdout-broken-pipe-panics-batch: `assemble data/ | head -1` panicked in a worker thread ("failed printing to stdout:
/// Broken pipe"), stopped the batch and wrote no build record.
#[test]
fn a_closed_stdout_ends_nothing_every_meeting_is_built_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    archive(d, 3);
    let mut child = command(d, &["data/", "--jobs", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the first line.
    drop(child.stdout.take());
    let out = wait_or_kill(child, std::time::Duration::from_secs(300));
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    for i in 1..=3 {
        assert!(d.join(format!("out/fvg/m{i:02}.pdf")).exists(), "{err}");
    }
    assert!(d.join("out/.protokoll-builds.json").exists(), "{err}");
}

/// Case hostile-3/R08-stdout-broken-pipe-panics-batch: `assemble check data/ > /dev/full` panicked ("No space left on device").
#[test]
fn a_full_stdout_does_not_panic_check() {
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path(), 2);
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = command(dir.path(), &["check", "data/"])
        .stdout(full)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

/// Case hostile-3/R09-fifo-named-toml-hangs-batch-and-check: a FIFO named `*.toml` among the meetings blocked `check` and the batch for good
/// (reading it waits for a writer), and Ctrl-C did not end them. It is refused at its path,
/// without opening it blocking; the other meetings are checked and built.
#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_meeting_is_refused_at_its_path_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    archive(d, 1);
    let fifo = d.join("data/fvg/zz.toml");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string; mkfifo only creates the file.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    let limit = std::time::Duration::from_secs(300);
    for args in [&["check", "data/"][..], &["data/"][..]] {
        let child = command(d, args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = wait_or_kill(child, limit);
        let (text, err) = (stdout(&out), stderr(&out));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {text}{err}");
        assert!(
            err.contains("data/fvg/zz.toml") && err.contains("not a regular file but a FIFO"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(d.join("out/fvg/m01.pdf").exists());
    // A FIFO as a bilaga or as a template is refused the same way.
    std::fs::remove_file(&fifo).unwrap();
    let templates = d.join("templates");
    std::fs::create_dir(&templates).unwrap();
    let c_path = std::ffi::CString::new(templates.join("fvg.typ.j2").to_str().unwrap()).unwrap();
    // SAFETY: as above.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    let child = command(
        d,
        &[
            "data/fvg/m01.toml",
            "-o",
            "x.pdf",
            "--templates",
            "templates",
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let out = wait_or_kill(child, limit);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("not a regular file but a FIFO"), "{err}");
}

/// The last line of defence: a meeting under every cap that still needs more memory than
/// its worker may have (here a tight `--memory-limit` and an image that decodes to more)
/// fails alone, at its file, as having exceeded the limits of one meeting; the other
/// meeting of the batch is built and the record written — with `--jobs 1`, where a crash
/// used to take the whole batch.
#[test]
fn a_meeting_over_the_worker_limits_fails_alone_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    archive(d, 2);
    // m02 shows a 6,000 × 6,000 image (36 MP, under the 40 MP cap): 345 MB peak RSS.
    let fvg = d.join("data/fvg");
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, 6000, 6000);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![0x80u8; 6000 * 4];
        for _ in 0..6000 {
            stream.write_all(&row).unwrap();
        }
        stream.finish().unwrap();
    }
    std::fs::write(fvg.join("bilagor/stor.png"), &png).unwrap();
    std::fs::write(
        fvg.join("bilagor/bild.md"),
        "# Karta\n\n![Karta över området](stor.png)\n",
    )
    .unwrap();
    let m02 = std::fs::read_to_string(fvg.join("m02.toml"))
        .unwrap()
        .replace("file = \"bilagor/lista.md\"", "file = \"bilagor/bild.md\"");
    std::fs::write(fvg.join("m02.toml"), m02).unwrap();
    let out = command(d, &["data/", "--jobs", "1", "--memory-limit", MEMORY_LIMIT])
        .output()
        .unwrap();
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{text}{err}");
    assert!(d.join("out/fvg/m01.pdf").exists(), "{text}{err}");
    assert!(!d.join("out/fvg/m02.pdf").exists(), "{text}{err}");
    assert!(
        err.contains("data/fvg/m02.toml:1:1")
            && err.contains("exceeded the limits of one meeting")
            && err.contains("memory"),
        "{err}"
    );
    assert!(text.contains("failed data/fvg/m02.toml"), "{text}");
    assert!(d.join("out/.protokoll-builds.json").exists());
    // The same meeting alone, to a named file: the same error, not a dead program.
    let out = command(
        &fvg,
        &["m02.toml", "-o", "m02.pdf", "--memory-limit", MEMORY_LIMIT],
    )
    .output()
    .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("exceeded the limits of one meeting"), "{err}");
    assert!(!fvg.join("m02.pdf").exists());
}

/// The last line of defence for `check` too (issue 29 item 2, "every meeting"): a meeting
/// whose check needs more than its worker may have (a tight `--memory-limit`, and a 92 MB
/// Markdown bilaga, under the 100 MB file cap, that is read whole before its text is
/// capped) fails alone, at its file, as having exceeded the limits of one meeting; the other
/// meeting of the archive is checked. In one process, such a crash ended the whole check.
#[test]
fn a_meeting_whose_check_exceeds_the_worker_limits_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    archive(d, 2);
    let fvg = d.join("data/fvg");
    let line = "ord ".repeat(25) + "\n\n";
    std::fs::write(fvg.join("bilagor/stor.md"), line.repeat(900_000)).unwrap();
    let m02 = std::fs::read_to_string(fvg.join("m02.toml"))
        .unwrap()
        .replace("file = \"bilagor/lista.md\"", "file = \"bilagor/stor.md\"");
    std::fs::write(fvg.join("m02.toml"), m02).unwrap();
    let out = command(d, &["check", "data/", "--memory-limit", MEMORY_LIMIT])
        .output()
        .unwrap();
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{text}{err}");
    assert!(text.contains("ok data/fvg/m01.toml"), "{text}{err}");
    assert!(
        err.contains("data/fvg/m02.toml:1:1")
            && err.contains("checking this meeting exceeded the limits of one meeting")
            && err.contains("memory"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// What a worker may map in the tests above: enough for an ordinary meeting (measured: it
/// builds within 200 MB of address space, at 58 MB peak RSS; a check needs under 200 MB),
/// not for one that decodes a 36 MP image (345 MB peak RSS) or reads a 92 MB file.
const MEMORY_LIMIT: &str = "300M";

/// Case hostile-3/R02-docx-100-images-under-pixel-cap-3.8GB: a DOCX whose images are each under the pixel cap, but together decode gigabytes
/// (100 images of 36 MP: 3.7 GB). The meeting's pixels are budgeted, each image counted
/// each time it is drawn: refused at the bilaga's `file =` line.
#[test]
fn images_each_under_the_cap_are_budgeted_per_meeting_docx() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = docx(&DRAWING.repeat(6), Some(&png_header(6000, 6000)));
    meeting_with(dir.path(), "bilder.docx", &bytes);
    let out = assemble(dir.path(), &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("meeting.toml:61:"), "{err}");
    assert!(err.contains("(cap: meeting image pixels)"), "{err}");
    assert!(err.contains("216,000,000"), "{err}");
}

/// R02, from Markdown: the same images shown from a Markdown bilaga, refused at the line
/// of the image that takes the meeting over.
#[test]
fn images_each_under_the_cap_are_budgeted_per_meeting_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let md: String = (1..=6)
        .map(|i| format!("![Bild {i}](bild{i}.png)\n\n"))
        .collect();
    meeting_with(d, "bilder.md", md.as_bytes());
    for i in 1..=6 {
        std::fs::write(
            d.join(format!("bilagor/bild{i}.png")),
            png_header(6000, 6000),
        )
        .unwrap();
    }
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("bilagor/bilder.md:11:"), "{err}");
    assert!(err.contains("image `bild6.png`"), "{err}");
    assert!(err.contains("(cap: meeting image pixels)"), "{err}");
}

/// After case hostile-3/R10-one-paragraph-120000-emphases: the cap on inline elements per
/// paragraph stopped the one paragraph, but paragraphs each under it added up (the same
/// 120,000 emphases in paragraphs of 2,000: 824 MB). The meeting's texts and bilagor share
/// one budget, refused at the Markdown line where it is crossed (or a DOCX's `file =` line),
/// saying what was counted; a meeting under it is not refused.
#[test]
fn inline_elements_are_budgeted_per_meeting_not_only_per_paragraph() {
    // 60,000 emphases in paragraphs of 1,000, each paragraph far under its cap of 5,000.
    let emphases = vec!["*a*"; 1_000].join(" ");
    let md = vec![emphases.as_str(); 60].join("\n\n") + "\n";
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    meeting_with(d, "many.md", md.as_bytes());
    let out = assemble(d, &["check", "meeting.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A second bilaga as large takes the meeting over: refused in its paragraph 40 or 41
    // (the § texts before it have a few punctuation marks, which count too).
    std::fs::write(d.join("bilagor/yttrande.md"), &md).unwrap();
    for args in [
        &["check", "meeting.toml"][..],
        &["meeting.toml", "-o", "out.pdf"],
    ] {
        let out = assemble(d, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("bilagor/yttrande.md:79:") || err.contains("bilagor/yttrande.md:81:"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("many.md:"), "{err}");
        // Once: the texts after the one that crossed it are not refused again.
        assert_eq!(
            err.matches("(cap: meeting inline elements)").count(),
            1,
            "{err}"
        );
        assert!(
            err.contains("the meeting's texts and bilagor have 100,001 inline elements")
                && err.contains("(cap: meeting inline elements)"),
            "{err}"
        );
    }
    assert!(!d.join("out.pdf").exists());
    // A DOCX bilaga counts the same (its punctuation too, a text run's at once), refused at
    // its `file =` line.
    let paragraph = format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "a. ".repeat(1_000));
    let toml = std::fs::read_to_string(d.join("meeting.toml"))
        .unwrap()
        .replace("bilagor/yttrande.md", "bilagor/yttrande.docx");
    std::fs::write(d.join("meeting.toml"), &toml).unwrap();
    std::fs::write(
        d.join("bilagor/yttrande.docx"),
        docx(&paragraph.repeat(60), None),
    )
    .unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let line = toml
        .lines()
        .position(|l| l == "file = \"bilagor/yttrande.docx\"")
        .unwrap()
        + 1;
    assert!(err.contains(&format!("meeting.toml:{line}:")), "{err}");
    assert!(
        err.contains("with this document, the meeting's texts and bilagor have 101,000")
            && err.contains("60,000 in the texts before it, 41,000 in this document so far")
            && err.contains("(cap: meeting inline elements)"),
        "{err}"
    );
}

/// Issue 29 ("50 words of 9,000 letters: 68 s"): each word under the word-length cap of
/// 10,000, but Typst's line breaking costs the square of a word's length, word after word
/// (here the worker's 60 s of CPU time ran out). Characters of words of 1,000 or more are
/// budgeted per meeting: refused at the word's line, saying what was counted.
#[test]
fn long_words_each_under_the_cap_are_budgeted_per_meeting() {
    let word = "a".repeat(9_000);
    let words = |n: usize| vec![word.as_str(); n].join("\n\n") + "\n";
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Two are 18,000 characters in long words: under the 20,000 of a meeting.
    meeting_with(d, "ord.md", words(2).as_bytes());
    let out = assemble(d, &["check", "meeting.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A third, in its paragraph on line 5, takes the meeting over.
    std::fs::write(d.join("bilagor/ord.md"), words(3)).unwrap();
    for args in [
        &["check", "meeting.toml"][..],
        &["meeting.toml", "-o", "out.pdf"],
    ] {
        let out = assemble(d, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("bilagor/ord.md:5:"), "{args:?}: {err}");
        assert!(
            err.contains(
                "the meeting's texts and bilagor have 20,001 characters in long words (0 in the texts before it, 20,001 in this text so far)"
            ) && err.contains("(cap: long words)"),
            "{err}"
        );
        assert_eq!(err.matches("(cap: long words)").count(), 1, "{err}");
    }
    assert!(!d.join("out.pdf").exists());

    // The same words on one line: the error points at the third word, where it begins
    // (2 × 9,001 characters before it), not at the start of the line.
    std::fs::write(
        d.join("bilagor/ord.md"),
        [word.as_str(); 3].join(" ") + "\n",
    )
    .unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("bilagor/ord.md:1:18003\n"), "{err}");
}

/// Case hostile-3/R04-svg-filter-cpu-bomb-223-bytes: a 223-byte SVG with a blur and a morphology filter ran for minutes (filters are
/// rasterised at export); and an SVG drawing an embedded 40,000² PNG three times passed the
/// pixel cap. Both refused at the image's line, by `check` already.
#[test]
fn svg_filters_and_images_inside_svg_are_refused_at_the_image() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    meeting_with(d, "bild.md", b"# Bild\n\n![Filter](filter.svg)\n");
    std::fs::write(
        d.join("bilagor/filter.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500"><filter id="f"><feGaussianBlur stdDeviation="20"/><feMorphology radius="50"/></filter><rect width="500" height="500" filter="url(#f)"/></svg>"#,
    )
    .unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("bilagor/bild.md:3:"), "{err}");
    assert!(err.contains("SVG filter element `<filter>`"), "{err}");

    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD.encode(png_header(40_000, 40_000));
    std::fs::write(
        d.join("bilagor/filter.svg"),
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image id="i" width="10" height="10" xlink:href="data:image/png;base64,{png}"/><use href="#i"/><use href="#i"/></svg>"##
        ),
    )
    .unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("40000 × 40000"), "{err}");
}

/// An SVG that Typst's reader cannot parse (an entity XML does not define) failed the export
/// with "failed to parse SVG" and no place in the meeting, and `check` said ok. Refused at the
/// image's line by `check` and the build, with the parser's own reason; a well-formed SVG
/// beside it is still drawn.
#[test]
fn an_svg_typst_cannot_parse_is_refused_at_the_image() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    meeting_with(
        d,
        "bild.md",
        b"# Bild\n\nText.\n\n![Ritning](ritning.svg)\n",
    );
    std::fs::write(
        d.join("bilagor/ritning.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect width="20" height="20"/><text x="1" y="9">a&nbsp;b</text></svg>"#,
    )
    .unwrap();
    for args in [
        &["check", "meeting.toml"][..],
        &["meeting.toml", "-o", "out.pdf"],
    ] {
        let out = assemble(d, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("bilagor/bild.md:5:"), "{args:?}: {err}");
        assert!(
            err.contains("SVG image `ritning.svg` cannot be read: unknown entity reference"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("failed to parse SVG"), "{args:?}: {err}");
    }
    assert!(!d.join("out.pdf").exists());

    std::fs::write(
        d.join("bilagor/ritning.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect width="20" height="20"/><text x="1" y="9">a&#160;b &amp; c</text></svg>"#,
    )
    .unwrap();
    let out = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(d.join("out.pdf").is_file());
}

/// Typst 0.15 loads the images an SVG links to by a relative file name from the meeting's
/// folder, so a small SVG could draw a 40,000² PNG file, or draw one of 36 MP twenty times,
/// past the pixel caps that counted only embedded images. Linked images are counted like
/// embedded ones, refused at the image's line by `check` already.
#[test]
fn images_an_svg_links_to_by_file_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    meeting_with(d, "bild.md", b"# Bild\n\n![Karta](karta.svg)\n");
    let svg = |href: &str, uses: usize| {
        let uses = "<use href=\"#i\"/>".repeat(uses);
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image id="i" width="10" height="10" xlink:href="{href}"/>{uses}</svg>"#
        )
    };
    std::fs::create_dir_all(d.join("bilagor/lager")).unwrap();
    std::fs::write(d.join("bilagor/lager/stor.png"), png_header(40_000, 40_000)).unwrap();
    std::fs::write(d.join("bilagor/karta.svg"), svg("lager/stor.png", 0)).unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("bilagor/bild.md:3:"), "{err}");
    assert!(
        err.contains("the image it links to, `lager/stor.png`, has 40000 × 40000"),
        "{err}"
    );

    std::fs::write(d.join("bilagor/lager/bild.png"), png_header(6000, 6000)).unwrap();
    std::fs::write(
        d.join("bilagor/karta.svg"),
        svg("file://lager/bild.png", 20),
    )
    .unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("bilagor/bild.md:3:"), "{err}");
    assert!(err.contains("(cap: meeting image pixels)"), "{err}");

    std::fs::write(d.join("bilagor/lager/inre.svg"), svg("stor.png", 0)).unwrap();
    std::fs::write(d.join("bilagor/karta.svg"), svg("lager/inre.svg", 0)).unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("it links to another SVG image, `lager/inre.svg`"),
        "{err}"
    );

    // Drawn once, a small linked image is an ordinary picture.
    std::fs::write(d.join("bilagor/karta.svg"), svg("lager/bild.png", 0)).unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Case hostile-3/R21-namnd-100-roll-calls-1.5GB: a nämnd meeting of 401 members and many roll calls (904 kB, 100 roll calls: 1.4 GB).
/// The roll calls' votes are budgeted per meeting: refused at the omröstning that takes it
/// over.
#[test]
fn roll_call_votes_are_budgeted_per_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("meeting.toml"), namnd_of_roll_calls(401, 30)).unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("(cap: roll-call votes)"), "{err}");
    // The 25th roll call (25 × 401 > 10,000) is named, at its table.
    let toml = std::fs::read_to_string(d.join("meeting.toml")).unwrap();
    let line = toml
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "[paragraf.omrostning]")
        .nth(24)
        .unwrap()
        .0
        + 1;
    assert!(
        err.contains(&format!("meeting.toml:{line}:")),
        "line {line}: {err}"
    );
    assert_eq!(err.matches("(cap: roll-call votes)").count(), 1, "{err}");
    // Within the budget: checked without a word about it.
    std::fs::write(d.join("meeting.toml"), namnd_of_roll_calls(101, 20)).unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A nämnd meeting of `members` members (all present) and `roll_calls` §, each decided by
/// a roll call of every member, as the case R21.
fn namnd_of_roll_calls(members: usize, roll_calls: usize) -> String {
    let person = |i: usize| format!("Person Nummer{i:04}");
    let mut t = format!(
        "kind = \"namnd\"\norgan = \"AMN\"\nnamnd = \"Arbetsmarknadsnämnden\"\nseats = {members}\nfirst_paragraf = 1\nsekreterare = \"Malin Grönkvist\"\njusterare = [\"{}\"]\njusterad = 2020-04-28\n\n[organisation]\nname = \"Stockholms stad\"\nforvaltning = \"Arbetsmarknadsförvaltningen\"\n\n[meeting]\ndate = 2020-04-21\nstart = \"15:00\"\nend = \"16:25\"\nplace = \"Stadshuset\"\n\n[attendance]\nordforande = {{ name = \"{}\", party = \"S\" }}\nvice_ordforande = {{ name = \"{}\", party = \"M\" }}\nledamoter = [",
        person(1),
        person(0),
        person(1)
    );
    let list = |range: std::ops::Range<usize>| {
        range
            .map(|i| format!("\"{}\"", person(i)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    t.push_str(
        &(2..members)
            .map(|i| format!("{{ name = \"{}\", party = \"S\" }}", person(i)))
            .collect::<Vec<_>>()
            .join(", "),
    );
    t.push_str("]\n");
    let half = members / 2 + 1;
    for n in 1..=roll_calls {
        t.push_str(&format!(
            "\n[[paragraf]]\nnumber = {n}\ntitle = \"Ärende {n}\"\ndiarienummer = [\"AMN 2020-{n:04}-1.4\"]\nbeslut = [\"Nämnden beslutade enligt ordförandens förslag.\"]\narendet = \"Ett ärende.\"\nbeslutsgang = \"Omröstning begärdes.\"\n[[paragraf.forslag]]\nid = \"ordf\"\nby = [\"{}\"]\ntext = \"att bifalla.\"\n[[paragraf.forslag]]\nid = \"m\"\nby = [\"{}\"]\ntext = \"att avslå.\"\n[paragraf.omrostning]\nja_for = \"ordf\"\nnej_for = \"m\"\nja = [{}]\nnej = [{}]\n",
            person(0),
            person(1),
            list(0..half),
            list(half..members)
        ));
    }
    t
}

/// Case hostile-3/R16-verify-ok-but-streaming-unzip-gets-other-protocol: a bundle with a hidden local entry before the central directory (a streaming unzip
/// writes it last, over the protocol), and one whose local header names another file than
/// its central entry: `verify` said ok to both.
#[test]
fn verify_refuses_a_zip_that_a_streaming_unzip_reads_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&repo().join("tests/fixtures/minimal"), d);
    let out = assemble(d, &["bundle", "meeting.toml", "-o", "bundle.zip"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let good = std::fs::read(d.join("bundle.zip")).unwrap();
    let ok = assemble(d, &["verify", "bundle.zip"]);
    assert!(ok.status.success(), "{}", stderr(&ok));

    // A local entry named meeting.pdf, stored, slipped in before the central directory.
    let eocd = good.len() - 22;
    let cd_offset = u32::from_le_bytes(good[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
    let evil = b"%PDF-1.7\n% EVIL replaced protocol\n";
    let mut hidden = Vec::new();
    hidden.extend(0x0403_4b50u32.to_le_bytes());
    hidden.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    hidden.extend(0u32.to_le_bytes()); // crc (not checked by the attack)
    hidden.extend((evil.len() as u32).to_le_bytes());
    hidden.extend((evil.len() as u32).to_le_bytes());
    hidden.extend(11u16.to_le_bytes());
    hidden.extend(0u16.to_le_bytes());
    hidden.extend(b"meeting.pdf");
    hidden.extend(evil);
    let mut bad = good[..cd_offset].to_vec();
    bad.extend(&hidden);
    bad.extend(&good[cd_offset..]);
    let eocd = bad.len() - 22;
    bad[eocd + 16..eocd + 20].copy_from_slice(&((cd_offset + hidden.len()) as u32).to_le_bytes());
    std::fs::write(d.join("hidden.zip"), &bad).unwrap();
    let out = assemble(d, &["verify", "hidden.zip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no central entry"), "{err}");

    // The local header of the Markdown bilaga renamed to .sh, its central entry not.
    let mut renamed = good.clone();
    let local = 0x0403_4b50u32.to_le_bytes();
    let at = (0..good.len() - 30)
        .find(|&i| good[i..i + 4] == local && good[i + 30..].starts_with(b"bilagor/bilaga-"))
        .unwrap();
    let name_len = u16::from_le_bytes(good[at + 26..at + 28].try_into().unwrap()) as usize;
    let name_end = at + 30 + name_len;
    assert_eq!(&good[name_end - 3..name_end], b".md");
    renamed[name_end - 3..name_end].copy_from_slice(b".sh");
    std::fs::write(d.join("renamed.zip"), &renamed).unwrap();
    let out = assemble(d, &["verify", "renamed.zip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("a streaming unzip writes that name"), "{err}");
}

/// R16: names that Windows or macOS fold into one file, or cannot hold, are refused.
#[test]
fn verify_refuses_names_that_collide_or_change_on_windows_and_macos() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let opts = zip::write::SimpleFileOptions::default();
    for (file, names, expected) in [
        (
            "case.zip",
            &["meeting.pdf", "MEETING.pdf"][..],
            "one file on Windows and macOS",
        ),
        (
            "nfd.zip",
            &["bilagor/\u{e5}.md", "bilagor/a\u{30a}.md"][..],
            "one file on Windows and macOS",
        ),
        (
            "dot.zip",
            &["meeting.pdf", "meeting.pdf."][..],
            "ends in a dot or space",
        ),
        (
            "con.zip",
            &["meeting.pdf", "bilagor/con.md"][..],
            "device name on Windows",
        ),
    ] {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for name in names {
            z.start_file(*name, opts).unwrap();
            z.write_all(b"x").unwrap();
        }
        std::fs::write(d.join(file), z.finish().unwrap().into_inner()).unwrap();
        let out = assemble(d, &["verify", file]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(err.contains(expected), "{file}: {err}");
    }
}

/// R16: `bundle` wrote a bilaga's name with a backslash, which its own `verify` refused.
#[cfg(unix)]
#[test]
fn a_bundle_names_its_files_so_that_verify_accepts_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A name Linux allows, Windows not: written as a TOML literal string.
    meeting_with(d, "lista.md", b"# Lista\n\nEn rad.\n");
    std::fs::rename(
        d.join("bilagor/lista.md"),
        d.join("bilagor/lista\\del:1 .md"),
    )
    .unwrap();
    let toml = std::fs::read_to_string(d.join("meeting.toml"))
        .unwrap()
        .replace(
            "file = \"bilagor/lista.md\"",
            "file = 'bilagor/lista\\del:1 .md'",
        );
    std::fs::write(d.join("meeting.toml"), toml).unwrap();
    let out = assemble(d, &["bundle", "meeting.toml", "-o", "bundle.zip"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = assemble(d, &["verify", "bundle.zip"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let zip = zip::ZipArchive::new(std::fs::File::open(d.join("bundle.zip")).unwrap()).unwrap();
    assert!(
        zip.file_names().any(|n| n
            .is_ok_and(|n| n.starts_with("bilagor/bilaga-") && n.ends_with("-lista_del_1 .md"))),
        "{:?}",
        zip.file_names().collect::<Vec<_>>()
    );
}

/// Case hostile-3/R19-invisible-tag-characters-kept-silently: Unicode tag characters ("ASCII smuggling") in a § title printed nothing and were
/// carried silently into the PDF's text layer. Removed, with a warning at the value that
/// spells what they hid.
#[test]
fn tag_characters_are_removed_with_a_warning_that_spells_them() {
    let dir = fixture("minimal");
    let d = dir.path();
    let toml = std::fs::read_to_string(d.join("meeting.toml"))
        .unwrap()
        .replace(
            "title = \"Mötets öppnande\"",
            "title = \"Mötets öppnande OK\u{E0041}\u{E0042}\u{E0043}\"",
        );
    std::fs::write(d.join("meeting.toml"), toml).unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("meeting.toml:37:"), "{err}");
    assert!(err.contains("3 invisible tag characters"), "{err}");
    assert!(err.contains("spelling “ABC”"), "{err}");
    let pdf = build(d);
    let text = pages(&pdf).join(" ");
    assert!(text.contains("Mötets öppnande OK"), "{text}");
    assert!(!text.contains('\u{E0041}'), "{text:?}");
}

/// A diagnostic on a line of 1.2 MB echoed the whole line.
#[test]
fn a_diagnostic_quotes_a_window_of_a_long_line() {
    let dir = fixture("minimal");
    let d = dir.path();
    let toml = std::fs::read_to_string(d.join("meeting.toml"))
        .unwrap()
        .replace(
            "place = \"Livdjursgatan 4\"",
            &format!(
                "place = \"Livdjursgatan 4\"\nplats = \"{}\"",
                "x".repeat(1_200_000)
            ),
        );
    std::fs::write(d.join("meeting.toml"), toml).unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(err.len() < 5_000, "{} bytes of diagnostics", err.len());
    assert!(err.contains("plats"), "{err}");
}

/// A key of 10,000 dotted parts met the TOML reader's recursion limit with no place named.
#[test]
fn a_key_of_ten_thousand_dotted_parts_is_located() {
    let dir = fixture("minimal");
    let d = dir.path();
    let key = vec!["a"; 10_000].join(".");
    let toml = std::fs::read_to_string(d.join("meeting.toml"))
        .unwrap()
        .replace("[meeting]", &format!("x.{key} = 1\n\n[meeting]"));
    let line = toml.lines().position(|l| l.starts_with("x.a.a")).unwrap() + 1;
    std::fs::write(d.join("meeting.toml"), toml).unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("meeting.toml:{line}:1")), "{err}");
    assert!(err.contains("recursion limit"), "{err}");
    assert!(err.len() < 5_000, "{} bytes", err.len());
}

/// Issue 29 ("its worker outlives `kill -9` of the batch"): a batch killed with SIGKILL
/// (which it cannot catch) leaves no worker process behind: each worker dies with the
/// process that started it (`PR_SET_PDEATHSIG`), at once — it does not go on to finish
/// (and write) the meeting it is on, a long one here.
#[cfg(target_os = "linux")]
#[test]
fn a_worker_dies_with_its_batch_killed_by_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    archive(d, 2);
    // 900,000 characters of text: seconds of typesetting, under every cap.
    let text = ("ord ".repeat(25) + "\n\n").repeat(9_000);
    std::fs::write(d.join("data/fvg/bilagor/lista.md"), text).unwrap();
    let mut batch = command(d, &["data/", "--jobs", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The batch's children (its worker), from every thread of it: a worker is started
    // from the thread that hands it meetings.
    let children = |pid: u32| -> Vec<u32> {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return Vec::new();
        };
        tasks
            .flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
            .flat_map(|c| {
                c.split_whitespace()
                    .filter_map(|p| p.parse().ok())
                    .collect::<Vec<u32>>()
            })
            .collect()
    };
    let guard = std::time::Duration::from_secs(300);
    let started = std::time::Instant::now();
    let worker = loop {
        if let Some(&w) = children(batch.id()).first() {
            break w;
        }
        assert!(
            batch.try_wait().unwrap().is_none(),
            "the batch ended before a worker was seen"
        );
        assert!(started.elapsed() < guard, "no worker within {guard:?}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    // Killed once the worker is well into the meeting (a second of CPU time: past starting
    // up, which takes a fraction of one).
    let cpu_ticks = || -> u64 {
        std::fs::read_to_string(format!("/proc/{worker}/stat")).map_or(0, |stat| {
            let fields: Vec<&str> = stat
                .rsplit(')')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            // utime and stime, the 14th and 15th fields (12th and 13th after the name).
            fields
                .get(11)
                .and_then(|u| u.parse::<u64>().ok())
                .unwrap_or(0)
                + fields
                    .get(12)
                    .and_then(|s| s.parse::<u64>().ok())
                    .unwrap_or(0)
        })
    };
    // SAFETY: sysconf has no preconditions.
    let hz = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).unwrap_or(100);
    while cpu_ticks() < hz {
        assert!(batch.try_wait().unwrap().is_none(), "the batch ended early");
        assert!(
            started.elapsed() < guard,
            "the worker did not work within {guard:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    batch.kill().unwrap();
    batch.wait().unwrap();
    // Gone, or a zombie no one has reaped yet: either way no longer running.
    let alive = || {
        std::fs::read_to_string(format!("/proc/{worker}/stat")).is_ok_and(|stat| {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z') && !state.starts_with('X')
        })
    };
    let killed = std::time::Instant::now();
    while alive() {
        assert!(
            killed.elapsed() < guard,
            "worker {worker} still running {guard:?} after its batch was killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        !d.join("out/fvg/m01.pdf").exists(),
        "the worker finished its meeting after its batch was killed"
    );
}

/// Issue 29 ("images shown from Markdown have no file-size cap"): an image is read whole,
/// as a bilaga is, so its file is capped like a bilaga's before it is read: refused at the
/// image's line (a sparse file: 101 MB that take no disk).
#[test]
fn an_image_shown_from_markdown_over_the_file_size_cap_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    meeting_with(d, "bild.md", b"# Bild\n\n![Stor bild](stor.png)\n");
    let big = std::fs::File::create(d.join("bilagor/stor.png")).unwrap();
    big.set_len(101 * 1024 * 1024).unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("bilagor/bild.md:3:"), "{err}");
    assert!(
        err.contains("image `stor.png`: the file is 101 MB, more than the 100 MB"),
        "{err}"
    );
}

/// Issue 29 ("30,000 links in one § text: 58 s"): the links of a § text are capped as a
/// bilaga's are, refused at the § text's line in the meeting file.
#[test]
fn more_links_than_the_cap_in_a_paragraf_text_are_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&repo().join("tests/fixtures/minimal"), d);
    // Paragraphs of 100 links (under the inline cap), 5,001 links (over the links cap).
    let links: String = (0..5_001)
        .map(|i| {
            let end = if i % 100 == 99 { "\\n\\n" } else { " " };
            format!("[l](https://x.se){end}")
        })
        .collect();
    let old = "text = \"Ordförande förklarade mötet för öppnat.\"";
    let toml = std::fs::read_to_string(d.join("meeting.toml")).unwrap();
    let line = toml.lines().position(|l| l == old).unwrap() + 1;
    std::fs::write(
        d.join("meeting.toml"),
        toml.replace(old, &format!("text = \"{links}\"")),
    )
    .unwrap();
    let out = assemble(d, &["check", "meeting.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("meeting.toml:{line}:")), "{err}");
    assert!(err.contains("(cap: links)"), "{err}");
}

/// Issue 29 ("a symlinked template's target is echoed in an error"): a template in
/// `--templates` that is a link to a file elsewhere is named by the link, as given; where
/// it points is not printed.
#[cfg(unix)]
#[test]
fn an_error_in_a_symlinked_template_names_the_link_not_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&repo().join("tests/fixtures/minimal"), d);
    let target = elsewhere.path().join("hemlig-mall.j2");
    std::fs::write(&target, "{{ x\n").unwrap();
    std::fs::create_dir(d.join("mallar")).unwrap();
    std::os::unix::fs::symlink(&target, d.join("mallar/fvg.typ.j2")).unwrap();
    let out = assemble(
        d,
        &["meeting.toml", "-o", "out.pdf", "--templates", "mallar"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("mallar/fvg.typ.j2"), "{err}");
    assert!(!err.contains("hemlig-mall"), "{err}");
    assert!(
        !err.contains(&elsewhere.path().display().to_string()),
        "{err}"
    );
    assert!(!d.join("out.pdf").exists());
}

/// A DOCX with one picture as Word 2016 and later store an SVG: the `a:blip` names a PNG
/// copy (`png`, when given) and its `asvg:svgBlip` extension the SVG (`svg`); without a PNG
/// the `a:blip` names the SVG itself.
fn docx_with_svg(svg: &str, png: Option<&[u8]>) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default();
    let blip = match png {
        Some(_) => {
            r#"<a:blip r:embed="rIdPng"><a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}"><asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="rIdSvg"/></a:ext></a:extLst></a:blip>"#
        }
        None => r#"<a:blip r:embed="rIdSvg"/>"#,
    };
    z.start_file("word/document.xml", opts).unwrap();
    write!(
        z,
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body><w:p><w:r><w:t>Kartan över området.</w:t></w:r></w:p><w:p><w:r><w:drawing><wp:inline><wp:extent cx="1270000" cy="1270000"/><wp:docPr id="1" name="Bild 1" descr="Karta"/><a:graphic><a:graphicData>{blip}</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p></w:body></w:document>"#
    )
    .unwrap();
    z.start_file("word/_rels/document.xml.rels", opts).unwrap();
    let image = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
    write!(
        z,
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdPng" Type="{image}" Target="media/image1.png"/><Relationship Id="rIdSvg" Type="{image}" Target="media/image2.svg"/></Relationships>"#
    )
    .unwrap();
    if let Some(png) = png {
        z.start_file("word/media/image1.png", opts).unwrap();
        z.write_all(png).unwrap();
    }
    z.start_file("word/media/image2.svg", opts).unwrap();
    z.write_all(svg.as_bytes()).unwrap();
    z.finish().unwrap();
    out.into_inner()
}

/// A real 8 × 8 grey PNG: Word's copy of the SVG.
fn small_png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(8, 8, image::Luma([128])))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// The image XObjects of the PDF's pages: the pictures drawn from pixels.
fn image_xobjects(pdf: &Path) -> usize {
    let doc = lopdf::Document::load(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict
                .get(b"Subtype")
                .and_then(|t| t.as_name())
                .is_ok_and(|t| t == b"Image")
        })
        .count()
}

/// The line of `file = "bilagor/{file}"` in the meeting file of `dir`.
fn file_line(dir: &Path, file: &str) -> usize {
    let toml = std::fs::read_to_string(dir.join("meeting.toml")).unwrap();
    toml.lines()
        .position(|l| l == format!("file = \"bilagor/{file}\""))
        .unwrap()
        + 1
}

/// The R04 SVG (a blur and a morphology filter, minutes to draw) inside a DOCX, as Word 2016
/// stores an SVG: with a PNG copy beside it. Every SVG a DOCX gives Typst passes the checks a
/// Markdown image's SVG passes; the hostile one is named in a warning at the bilaga's
/// `file =` line and Word's PNG copy is drawn in its place, within a guard of minutes (it
/// ran for minutes when drawn).
#[test]
fn an_svg_in_a_docx_is_checked_as_a_markdown_one_and_word_s_png_copy_drawn_if_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let filter = r#"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><filter id="f"><feGaussianBlur stdDeviation="20"/><feMorphology radius="50"/></filter><rect x="0" width="500" height="500" fill="red" filter="url(#f)"/></svg>"#;
    meeting_with(d, "karta.docx", &docx_with_svg(filter, Some(&small_png())));
    let line = file_line(d, "karta.docx");
    let child = command(d, &["meeting.toml", "-o", "out.pdf"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_or_kill(child, std::time::Duration::from_secs(300));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "warning: bilaga `lista` (`bilagor/karta.docx`): paragraph 2: SVG image `word/media/image2.svg` is refused: it uses the SVG filter element `<filter>`: filters are rasterised when the PDF is written, at a cost its size does not show; Word's PNG copy of it is drawn instead\n   ┌─ meeting.toml:"
        ) && err.contains(&format!("meeting.toml:{line}:")),
        "{err}"
    );
    assert_eq!(image_xobjects(&d.join("out.pdf")), 1, "{err}");
}

/// A benign SVG in a DOCX is drawn as it is — vectors, no PNG — and one with no PNG copy
/// that the checks refuse (here one Typst cannot parse) refuses the bilaga at its `file =`
/// line, as a Markdown bilaga's is refused at the image's line; `check` says so too.
#[test]
fn an_svg_in_a_docx_benign_is_drawn_and_one_without_a_png_copy_is_refused_at_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let benign = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="50" fill="#1f5f9f"/><circle cx="50" cy="75" r="20" fill="green"/></svg>"##;
    meeting_with(d, "karta.docx", &docx_with_svg(benign, Some(&small_png())));
    let out = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("karta.docx"), "{err}");
    assert_eq!(image_xobjects(&d.join("out.pdf")), 0, "{err}");

    // The `a:blip` names the SVG itself: drawn too.
    meeting_with(d, "karta.docx", &docx_with_svg(benign, None));
    let out = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("karta.docx"), "{err}");
    assert_eq!(image_xobjects(&d.join("out.pdf")), 0, "{err}");

    let unreadable = r#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><text x="1" y="9">a&nbsp;b</text></svg>"#;
    meeting_with(d, "karta.docx", &docx_with_svg(unreadable, None));
    std::fs::remove_file(d.join("out.pdf")).unwrap();
    let line = file_line(d, "karta.docx");
    for args in [
        &["check", "meeting.toml"][..],
        &["meeting.toml", "-o", "out.pdf"],
    ] {
        let out = assemble(d, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(
                "error: bilaga `lista` (`bilagor/karta.docx`): SVG image `word/media/image2.svg` cannot be read: unknown entity reference 'nbsp' at 1:83\n   ┌─ meeting.toml:"
            ) && err.contains(&format!("meeting.toml:{line}:")),
            "{args:?}: {err}"
        );
        assert!(!err.contains("failed to parse SVG"), "{args:?}: {err}");
    }
    assert!(!d.join("out.pdf").exists());
}

/// The text of the PDF as poppler's `pdftotext` reads it (its layout left to poppler).
fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian package poppler-utils)");
    assert!(out.status.success(), "pdftotext: {}", stderr(&out));
    stdout(&out)
}

/// Issue 29 ("text with many combining marks repeats letters in the PDF text layer"). Text
/// written decomposed, as macOS, some PDFs and some keyboards give it — Swedish, Sami and
/// Vietnamese letters, a name with a combining diacritic — is read composed (NFC) and reads
/// back so, each letter whole. What no font has whole, and whose marks Typst 0.15 sets
/// as text items of their own (a dot below and a grave on `o`, Zalgo marks, an acute on an
/// acute, harakat), is joined back into one item before export (`src/typeset/clusters.rs`):
/// PDF readers copy each such letter once, with no warning, wherever it is written — a
/// one-line field, a § text, a Markdown bilaga (bold, italic, a link, struck through), a
/// DOCX bilaga.
#[test]
fn letters_with_combining_marks_read_back_once() {
    let dir = fixture("minimal");
    let d = dir.path();
    let ordinary = "Ordförande Ma\u{301}rten A\u{30A}sa O\u{308}berg, C\u{30C}a\u{301}hcegierdi, Vie\u{323}\u{302}t Nam.";
    let toml = std::fs::read_to_string(d.join("meeting.toml"))
        .unwrap()
        .replace(
            "text = \"Ordförande förklarade mötet för öppnat.\"",
            "text = \"Ordförande Ma\\u0301rten A\\u030Asa O\\u0308berg, C\\u030Ca\\u0301hcegierdi, Vie\\u0323\\u0302t Nam.\"",
        );
    std::fs::write(d.join("meeting.toml"), &toml).unwrap();
    let out = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");
    let text = pdftotext(&d.join("out.pdf"));
    // Read composed (NFC): "Márten Åsa Öberg, Čáhcegierdi, Việt Nam.", each letter whole.
    let composed: String = ordinary.nfc().collect();
    assert!(text.lines().any(|l| l == composed), "{text}");
    assert!(!text.contains("a\u{30A}"), "{text}");

    // A name in a one-line field, a § text, a Markdown bilaga.
    let toml = toml
        .replace(
            "{ name = \"Carl Korch\"",
            "{ name = \"Ade\\u1E63o\\u0323\\u0300la Korch\"",
        )
        .replace(
            "Vie\\u0323\\u0302t Nam.",
            "e\\u0301\\u0302 slut, Sko\\u030Ag.",
        );
    std::fs::write(d.join("meeting.toml"), &toml).unwrap();
    std::fs::write(
        d.join("bilagor/lista.md"),
        "# Rubrik\n\nZ\u{351}\u{352}\u{353}algo.\n\n\
         **Fet e\u{301}\u{302} och q\u{303}.** *Kursiv e\u{301}\u{302} och q\u{303}.*\n\n\
         [Länk e\u{301}\u{302}](https://example.org) och ~~struken e\u{301}\u{302}~~.\n\n\
         H\u{336}\u{321}\u{327}e\u{334}\u{328}\u{322}j.\n\n\
         \u{645}\u{64f}\u{62d}\u{64e}\u{645}\u{651}\u{64e}\u{62f} \u{643}\u{650}\u{62a}\u{64e}\u{627}\u{628}\u{64c}\n",
    )
    .unwrap();
    let out = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");
    let text = pdftotext(&d.join("out.pdf"));
    read_once(
        &text,
        &[
            "Ade\u{1E63}o\u{323}\u{300}la Korch",
            "Ordförande Ma\u{301}rten A\u{30A}sa O\u{308}berg, C\u{30C}a\u{301}hcegierdi, e\u{301}\u{302} slut, Sko\u{30A}g.",
            "Z\u{351}\u{352}\u{353}algo.",
            "Fet e\u{301}\u{302} och q\u{303}. Kursiv e\u{301}\u{302} och q\u{303}.",
            "Länk e\u{301}\u{302} och struken e\u{301}\u{302}.",
            "H\u{336}\u{321}\u{327}e\u{334}\u{328}\u{322}j.",
        ],
    );
    arabic_once(
        &text,
        "\u{645}\u{64f}\u{62d}\u{64e}\u{645}\u{651}\u{64e}\u{62f} \u{643}\u{650}\u{62a}\u{64e}\u{627}\u{628}\u{64c}",
    );

    // A DOCX bilaga.
    let body = "<w:p><w:r><w:t>Dubbel e\u{301}\u{302} och Z\u{351}\u{352}\u{353}algo.</w:t></w:r></w:p>\
                <w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Fet o\u{323}\u{300}.</w:t></w:r></w:p>\
                <w:p><w:r><w:t>\u{645}\u{64f}\u{62d}\u{64e}\u{645}\u{651}\u{64e}\u{62f}</w:t></w:r></w:p>";
    meeting_with(d, "text.docx", &docx(body, None));
    let out = assemble(d, &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");
    let text = pdftotext(&d.join("out.pdf"));
    read_once(
        &text,
        &[
            "Dubbel e\u{301}\u{302} och Z\u{351}\u{352}\u{353}algo.",
            "Fet o\u{323}\u{300}.",
        ],
    );
    arabic_once(
        &text,
        "\u{645}\u{64f}\u{62d}\u{64e}\u{645}\u{651}\u{64e}\u{62f}",
    );
}

/// Each of `lines`, composed (the meeting, Markdown prose and a DOCX run are read so), is a
/// line of `text`, but for white space: poppler places the text of a
/// letter with marks over the box from the letter's start to its last mark's, and where
/// that mark is drawn back over the letter it reads the gap to the next letter as a space
/// ("Sko̊ g"), as it does for any letter set with a mark (`q̃` before), split or not.
#[track_caller]
fn read_once(text: &str, lines: &[&str]) {
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    for line in lines {
        let line: String = line.nfc().collect();
        assert!(
            text.lines().any(|l| squash(l) == squash(&line)),
            "{line}\n{text}"
        );
    }
}

/// The Arabic `words` are a line of `text` with each character once: poppler writes right
/// to left text reversed character by character, so each haraka comes out before its letter
/// rather than after it (as it does for Arabic Typst never split); the characters are
/// compared, not their order.
#[track_caller]
fn arabic_once(text: &str, words: &str) {
    let sorted = |s: &str| {
        let mut chars: Vec<char> = s
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '\u{202A}'..='\u{202E}'))
            .collect();
        chars.sort_unstable();
        chars
    };
    assert!(
        text.lines().any(|l| sorted(l) == sorted(words)),
        "{words}\n{text}"
    );
}
