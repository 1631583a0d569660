//! `assemble watch`: re-renders after a change, reports problems and keeps watching.

use std::io::BufRead;
use std::sync::mpsc;
use std::time::Duration;

use crate::common::*;

#[test]
fn watch_rerenders_after_a_change_and_survives_errors() {
    let dir = fixture("minimal");
    let d = dir.path();
    let mut child = spawn(d, &["watch", "meeting.toml", "-o", "out.pdf"]);
    let (lines, received) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines.send(line);
        }
    });
    let wait_for = |prefix: &str| loop {
        match received.recv_timeout(Duration::from_secs(30)) {
            Ok(line) if line.starts_with(prefix) => return line,
            Ok(_) => continue,
            Err(_) => panic!("no `{prefix}` line within 30 s"),
        }
    };
    let edit = |from: &str, to: &str| {
        let path = d.join("meeting.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };

    wait_for("rendered out.pdf");
    edit("Mötets öppnande", "Mötet öppnas i dag");
    wait_for("rendered out.pdf");
    // One edit, one write: the render after it has the new title.
    assert!(
        pages(&d.join("out.pdf"))
            .join(" ")
            .contains("§ 1. Mötet öppnas i dag")
    );

    edit("start = \"09:00\"", "start = \"nio\"");
    wait_for("not rendered");
    edit("start = \"nio\"", "start = \"09:00\"");
    std::fs::write(d.join("bilagor/lista.md"), "Ändrad bilaga.\n").unwrap();
    // The two edits may come as one render or two: wait until the bilaga's text is in.
    let mut seen = false;
    for _ in 0..3 {
        wait_for("rendered out.pdf");
        if pages(&d.join("out.pdf"))
            .join(" ")
            .contains("Ändrad bilaga.")
        {
            seen = true;
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen, "the changed bilaga was rendered");
}

/// Issue 14: `watch` took as inputs only the files the meeting file names, so an edited
/// image shown by a Markdown bilaga was not rendered until something else changed. Now every
/// file the last render read is an input.
#[test]
fn watch_rerenders_after_an_image_in_a_markdown_bilaga_changes() {
    use crate::batch::{BLUE, RED};
    let dir = fixture("minimal");
    let d = dir.path();
    std::fs::write(d.join("bilagor/bild.png"), RED).unwrap();
    let lista = d.join("bilagor/lista.md");
    let text = std::fs::read_to_string(&lista).unwrap();
    std::fs::write(&lista, format!("{text}\n![En punkt](bild.png)\n")).unwrap();
    let mut child = spawn(d, &["watch", "meeting.toml", "-o", "out.pdf"]);
    let (lines, received) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines.send(line);
        }
    });
    let rendered = || loop {
        match received.recv_timeout(Duration::from_secs(30)) {
            Ok(line) if line.starts_with("rendered out.pdf") => return true,
            Ok(_) => continue,
            Err(_) => return false,
        }
    };
    assert!(rendered(), "the first render");
    let first = std::fs::read(d.join("out.pdf")).unwrap();
    std::fs::write(d.join("bilagor/bild.png"), BLUE).unwrap();
    let again = rendered();
    let _ = child.kill();
    let _ = child.wait();
    assert!(again, "no render within 30 s of the image's change");
    assert!(std::fs::read(d.join("out.pdf")).unwrap() != first);
}

/// Case hostile-3/R09-fifo-named-toml-hangs-batch-and-check: `watch` hung for good when
/// the watched meeting file was replaced by a FIFO (reading it waited for a writer; later
/// edits were not rendered, Ctrl-C was ignored). The FIFO is refused without being opened,
/// the watch goes on, renders the file once it is back, and Ctrl-C ends it.
#[cfg(unix)]
#[test]
fn watch_refuses_a_fifo_for_the_meeting_file_and_goes_on() {
    let dir = fixture("minimal");
    let d = dir.path();
    let mut child = spawn(d, &["watch", "meeting.toml", "-o", "out.pdf"]);
    let (lines, received) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines.send(line);
        }
    });
    let wait_for = |prefix: &str| loop {
        match received.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line.starts_with(prefix) => return line,
            Ok(_) => continue,
            Err(_) => panic!("no `{prefix}` line within 60 s"),
        }
    };
    wait_for("rendered out.pdf");
    let meeting = d.join("meeting.toml");
    let text = std::fs::read_to_string(&meeting).unwrap();
    std::fs::remove_file(&meeting).unwrap();
    let c_path = std::ffi::CString::new(meeting.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string; mkfifo only creates the file.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    wait_for("not rendered");
    std::fs::remove_file(&meeting).unwrap();
    std::fs::write(
        &meeting,
        text.replacen("Mötets öppnande", "Mötet öppnas", 1),
    )
    .unwrap();
    wait_for("rendered out.pdf");
    assert!(pages(&d.join("out.pdf")).join(" ").contains("Mötet öppnas"));
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("watch still running 60 s after Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
