//! Benchmark: `assemble` end to end on FVG 2020-09-17 against its own baseline, the Typst
//! compile + PDF export of the same generated source, measured in the same run.
//!
//! Run: `cargo bench --bench assemble` (release). Prints medians and the share of the total
//! spent in protokoll's own stages (load, validate, render, write). Every round starts from an
//! empty Typst memo cache, as a new meeting does.
//!
//! Then whole processes, each through `/usr/bin/time` (wall, CPU = user + system, peak RSS),
//! alternated, median of `BENCH_PROCESS_ROUNDS` (default 7), issue 28:
//! - one meeting, `assemble MEETING -o x.pdf`, against the fair peer on the same generated
//!   source: Python + Jinja2 + typst-py in one process, fonts loaded once
//!   (`benches/typst_py_pool.py --one`; skipped, saying so, without typst-py 0.15 and Jinja2)
//!   — FVG 2020-09-17 (12 pages) and the nämnd sample 2020-04-21 with its PDF bilaga as
//!   Markdown (so that the peer, which converts no PDF, compiles the same source);
//! - the meeting pack, `assemble kallelse MEETING --pack --out-dir out`, of the kallelse
//!   fixture with ~200 pages of handlingar — as text PDFs (rendered protocols), and as
//!   Markdown — cold (page cache emptied) and again (pages cached), against the kallelse
//!   alone (`BENCH_PACK_PAGES` sets the pages aimed at).
//!
//! `BENCH_ONLY=process` runs only the whole-process rows.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use protokoll::export;
use protokoll::pipeline::{self, Target};
use protokoll::render::{Renderer, Templates};
use protokoll::sandbox::Sandbox;
use protokoll::typeset;
use protokoll::world::{ProtocolWorld, Shared};

#[path = "support/timed.rs"]
mod timed;
use timed::{Proc, process};

const ROUNDS: usize = 30;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let meeting = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fvg/2020-09-17.toml");
    let out = tempfile::tempdir().expect("temp dir");
    let renderer = Renderer::new(Templates::load(None).expect("templates")).expect("renderer");
    let rounds = std::env::var("BENCH_PROCESS_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    if std::env::var("BENCH_ONLY").is_ok_and(|v| v == "process") {
        one_meeting_against_the_peer(rounds);
        meeting_pack(&renderer, rounds);
        return;
    }
    let target = Target::pdf(out.path().join("p.pdf"));

    // Warm up: fonts, the standard library, and the first layout.
    let setup = Instant::now();
    let _ = Shared::get();
    let setup = setup.elapsed();
    pipeline::build(&meeting, &renderer, &target).expect("the sample renders");

    let (parsed, source, _) = pipeline::typst_source(&meeting, &renderer).expect("source");
    let library = renderer.templates().library().clone();
    let names = typeset::Origin {
        meeting: &meeting,
        generated: Path::new("bench.typ"),
        library: &library,
        reads: None,
    };
    let identity = export::Identity {
        ident: "bench".into(),
        timestamp: parsed.clock_date().0,
        conformance: export::Conformance::for_bilagor(parsed.bilagor()),
    };

    let mut end_to_end = Vec::new();
    let mut typst_only = Vec::new();
    let mut ours_only = Vec::new();
    let (mut checking, mut rendering, mut writing) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        // Each round compiles as a fresh document would: Typst's memo cache emptied first
        // (fonts and the standard library stay loaded, as in any run after the first meeting).
        // The two are alternated so machine noise hits both alike.
        typst::comemo::evict(0);
        let t = Instant::now();
        let outcome = pipeline::build(&meeting, &renderer, &target).expect("renders");
        end_to_end.push(t.elapsed());
        assert!(outcome.pages > 0);

        typst::comemo::evict(0);
        let t = Instant::now();
        let sandbox = Sandbox::new(meeting.parent().unwrap()).unwrap();
        let world = ProtocolWorld::new(
            Shared::get(),
            source.clone(),
            &library.text,
            sandbox,
            &parsed.assets(),
            parsed.clock_date().0,
        );
        let (doc, _) = typeset::compile(&world, &names, 0).expect("compiles");
        let bytes = export::pdf(&doc, &identity, |e| {
            protokoll::diag::Diagnostic::error(e.message.to_string())
        })
        .expect("exports");
        typst_only.push(t.elapsed());

        // Our own stages, one by one: load + validate, render, write (the PDF's bytes).
        let t = Instant::now();
        let (checked, _) = pipeline::check(&meeting).expect("valid");
        let t1 = Instant::now();
        let ph = protokoll::documents::phrases::of(&checked);
        let source2 = renderer.render(&checked, ph).expect("source").source;
        let t2 = Instant::now();
        protokoll::output::write_atomic(&out.path().join("x.pdf"), &bytes).unwrap();
        let t3 = Instant::now();
        assert!(!source2.is_empty());
        checking.push(t1 - t);
        rendering.push(t2 - t1);
        writing.push(t3 - t2);
        ours_only.push(t3 - t);
    }
    let (e2e, typ, ours) = (median(end_to_end), median(typst_only), median(ours_only));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "fonts + standard library, once per process: {:.1} ms",
        ms(setup)
    );
    println!(
        "assemble end to end (median of {ROUNDS}):      {:.1} ms",
        ms(e2e)
    );
    println!(
        "typst compile + export of the same source:  {:.1} ms (baseline)",
        ms(typ)
    );
    println!(
        "our stages alone: {:.2} ms (load + validate {:.2}, render {:.2}, write {:.2})",
        ms(ours),
        ms(median(checking)),
        ms(median(rendering)),
        ms(median(writing))
    );
    watch_rerender(&meeting, &renderer);
    println!(
        "end to end / baseline: {:.3}",
        e2e.as_secs_f64() / typ.as_secs_f64()
    );
    println!(
        "our share of the end-to-end time: {:.1} %",
        100.0 * ours.as_secs_f64() / e2e.as_secs_f64()
    );
    one_meeting_against_the_peer(rounds);
    meeting_pack(&renderer, rounds);
}

const BIN: &str = env!("CARGO_BIN_EXE_assemble");

/// "12 pages", from the line `wrote x.pdf (12 pages)` of what a run printed.
fn pages_said(out: &str) -> String {
    out.lines()
        .find(|l| l.starts_with("wrote") && l.ends_with("pages)"))
        .and_then(|l| l.rsplit('(').next())
        .unwrap_or_default()
        .trim_end_matches(')')
        .to_string()
}

/// Medians of wall, CPU and peak RSS over `runs`.
fn medians(runs: &[Proc]) -> (f64, f64, f64) {
    let med = |f: &dyn Fn(&Proc) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (med(&|p| p.wall), med(&|p| p.cpu), med(&|p| p.mib))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// One meeting in its own process against the fair peer (Python + Jinja2 + typst-py, fonts
/// loaded once) on the same generated source, alternated.
fn one_meeting_against_the_peer(rounds: usize) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().expect("temp dir");
    let d = work.path();
    copy_dir(&repo.join("data/fvg"), &d.join("fvg"));
    copy_dir(&repo.join("data/amn"), &d.join("amn"));
    // The nämnd sample's PDF bilaga as Markdown: the peer converts no PDF pages.
    let amn = d.join("amn/2020-04-21.toml");
    let text = std::fs::read_to_string(&amn).expect("sample");
    let changed = text.replace(
        "2020-04-21/motion-sprakstod.pdf",
        "2020-04-21/trappsteget.md",
    );
    assert_ne!(text, changed, "the nämnd sample names its PDF bilaga");
    std::fs::write(&amn, changed).expect("write");
    let root = d.join("py-root");
    std::fs::create_dir_all(root.join(".protokoll")).unwrap();
    std::fs::copy(
        repo.join("templates/protokoll.typ"),
        root.join(".protokoll/protokoll.typ"),
    )
    .unwrap();
    let script = repo.join("benches/typst_py_pool.py");
    let fonts = repo.join("templates/fonts");
    let python = Path::new("python3");
    let probe = Command::new(python).arg(&script).arg("--probe").output();
    let peer = match &probe {
        Ok(o) if o.status.success() => true,
        Ok(o) => {
            println!(
                "one meeting vs the Python peer: skipped ({})",
                String::from_utf8_lossy(&o.stdout).trim()
            );
            false
        }
        Err(e) => {
            println!("one meeting vs the Python peer: skipped (python3: {e})");
            false
        }
    };
    for (name, meeting) in [
        ("FVG 2020-09-17", "fvg/2020-09-17.toml"),
        (
            "nämnd 2020-04-21 (PDF bilaga as Markdown)",
            "amn/2020-04-21.toml",
        ),
    ] {
        let stem = Path::new(meeting).file_stem().unwrap().to_string_lossy();
        let typ = format!("gen-{stem}.typ");
        let first = process(
            Path::new(BIN),
            &[meeting, "-o", &format!("gen-{stem}.pdf"), "--emit-typst"],
            d,
        );
        let pages = pages_said(&first.out);
        let source = std::fs::read(d.join(&typ)).expect("generated source");
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            ours.push(process(Path::new(BIN), &[meeting, "-o", "x.pdf"], d));
            if peer {
                let target = root.join("m.typ");
                std::fs::write(&target, &source).unwrap();
                std::fs::write(
                    d.join("py-list"),
                    format!("{}\t{}\n", d.join(meeting).display(), target.display()),
                )
                .unwrap();
                theirs.push(process(
                    python,
                    &[
                        script.to_str().unwrap(),
                        root.to_str().unwrap(),
                        d.join("py-list").to_str().unwrap(),
                        fonts.to_str().unwrap(),
                        "--one",
                    ],
                    d,
                ));
            }
        }
        let (w, c, m) = medians(&ours);
        print!(
            "one meeting, {name} ({pages}), whole process (median of {rounds}): \
             {w:.3} s wall, {c:.3} s CPU, {m:.0} MiB"
        );
        if peer {
            let (pw, pc, pm) = medians(&theirs);
            println!(
                "; the fair Python peer: {pw:.3} s wall, {pc:.3} s CPU, {pm:.0} MiB; \
                 ratio {:.2} wall, {:.2} CPU, {:.2} memory  (target ≤ 0.5, ≤ 0.5, ≤ 1)",
                w / pw,
                c / pc,
                m / pm
            );
        } else {
            println!();
        }
    }
}

/// `assemble kallelse --pack` of the kallelse fixture with ~`BENCH_PACK_PAGES` (200) pages
/// of handlingar, as text PDFs and as Markdown, cold and with the pages in the page cache,
/// against the kallelse alone (the baseline, in the same run).
fn meeting_pack(renderer: &Renderer, rounds: usize) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let aim: usize = std::env::var("BENCH_PACK_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let work = tempfile::tempdir().expect("temp dir");
    let d = work.path();
    // Long texts: the FVG sample with one of its Markdown bilagor repeated, rendered by this
    // tool into a protocol of about a third of the pages aimed at (three handlingar).
    copy_dir(&repo.join("data/fvg"), &d.join("fvg"));
    let lss = std::fs::read_to_string(repo.join("data/fvg/2020-09-17/saco-lss.md")).unwrap();
    let long_markdown = |times: usize| {
        let mut text = lss.clone();
        for i in 1..times {
            text.push_str(&format!("\n\n# Avsnitt {i}\n\n"));
            text.push_str(lss.trim_start_matches(|c: char| c != '\n'));
        }
        text
    };
    let meeting = d.join("fvg/2020-09-17.toml");
    let render = |times: usize, pdf: &Path| {
        std::fs::write(d.join("fvg/2020-09-17/saco-lss.md"), long_markdown(times)).unwrap();
        pipeline::build(&meeting, renderer, &Target::pdf(pdf.to_path_buf()))
            .expect("the long sample renders")
            .pages
    };
    let third = aim.div_ceil(3);
    // Pages grow about linearly with the repetitions: two renders find the slope.
    let base = render(1, &d.join("probe.pdf"));
    let more = render(11, &d.join("probe.pdf"));
    let per = ((more - base) as f64 / 10.0).max(0.1);
    let times = (((third as f64 - base as f64) / per).round() as usize + 1).max(1);
    let pack = d.join("pack");
    copy_dir(&repo.join("tests/fixtures/kallelse-cycle"), &pack);
    let mut pdf_pages = 0;
    let mut md_bytes = 0;
    for (i, name) in ["h1", "h2", "h3"].iter().enumerate() {
        // Each a little different, so that no page is the same as another's.
        pdf_pages += render(times + i, &pack.join(format!("2020-04-21/{name}.pdf")));
        let md = long_markdown(times + i);
        md_bytes += md.len();
        std::fs::write(pack.join(format!("2020-04-21/{name}.md")), md).unwrap();
    }
    let planned = std::fs::read_to_string(pack.join("planned.toml")).unwrap();
    let with = |ext: &str| {
        let mut text = planned.clone();
        for (from, to) in [
            ("tu-feriejobb.md", "h1"),
            ("tu-trappsteget.md", "h2"),
            ("yttrande-sekretess.md", "h3"),
        ] {
            let from = format!("2020-04-21/{from}");
            assert!(text.contains(&from), "the fixture names {from}");
            text = text.replace(&from, &format!("2020-04-21/{to}.{ext}"));
        }
        text
    };
    std::fs::write(pack.join("pdf.toml"), with("pdf")).unwrap();
    std::fs::write(pack.join("md.toml"), with("md")).unwrap();
    println!(
        "meeting pack: handlingar of {pdf_pages} text-PDF pages (three rendered protocols), \
         or the same texts as Markdown ({} kB)",
        md_bytes / 1024
    );
    // Into `--out-dir out`, as a secretary makes them: the pack keeps the pages it draws in
    // the folder's page cache. "Cold" runs with the cache emptied first; "cached" is the
    // same pack again (the pages from the cache: only the embedding is left).
    let cache = pack.join("out/.protokoll-cache");
    for (what, file) in [
        ("PDF handlingar", "pdf.toml"),
        ("Markdown handlingar", "md.toml"),
    ] {
        let (mut cold, mut cached, mut alone) = (Vec::new(), Vec::new(), Vec::new());
        let run = |args: &[&str]| {
            let mut all = vec!["kallelse", file];
            all.extend_from_slice(args);
            all.extend_from_slice(&["--out-dir", "out"]);
            process(Path::new(BIN), &all, &pack)
        };
        for _ in 0..rounds {
            let _ = std::fs::remove_dir_all(&cache);
            cold.push(run(&["--pack"]));
            cached.push(run(&["--pack"]));
            alone.push(run(&[]));
        }
        let said = |p: &Proc| pages_said(&p.out);
        let (w, c, m) = medians(&cold);
        let (cw, cc, cm) = medians(&cached);
        let (bw, bc, bm) = medians(&alone);
        println!(
            "meeting pack, {what} ({}), median of {rounds}: cold {w:.2} s wall, {c:.2} s CPU, \
             {m:.0} MiB; pages cached {cw:.2} s wall, {cc:.2} s CPU, {cm:.0} MiB  (target < 2 s); \
             the kallelse alone ({}): {bw:.2} s wall, {bc:.2} s CPU, {bm:.0} MiB",
            said(&cold[0]),
            said(&alone[0]),
        );
    }
}

/// `watch`: a one-word change in a § re-rendered with the memo cache kept, against a cold
/// render of the same meeting, alternated in each round.
fn watch_rerender(meeting: &Path, renderer: &Renderer) {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = meeting.parent().unwrap();
    for entry in std::fs::read_dir(folder).unwrap().flatten() {
        let target = dir.path().join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            for inner in std::fs::read_dir(entry.path()).unwrap().flatten() {
                std::fs::copy(inner.path(), target.join(inner.file_name())).unwrap();
            }
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let copy = dir.path().join(meeting.file_name().unwrap());
    let original = std::fs::read_to_string(&copy).unwrap();
    let changed = original.replacen("Dagordningen godkändes.", "Dagordningen godkändes nu.", 1);
    assert_ne!(original, changed);
    let target = Target::pdf(dir.path().join("w.pdf"));
    // Typesetting as `watch` does: five generations of Typst's memo cache kept.
    let renderer = &Renderer::new(renderer.templates().clone())
        .expect("renderer")
        .with_typeset(protokoll::typeset::Options {
            memo_generations: 5,
            ..Default::default()
        });
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        std::fs::write(&copy, &original).unwrap();
        typst::comemo::evict(0);
        let t = Instant::now();
        pipeline::build(&copy, renderer, &target).expect("renders");
        cold.push(t.elapsed());
        std::fs::write(&copy, &changed).unwrap();
        let t = Instant::now();
        pipeline::build(&copy, renderer, &target).expect("renders");
        warm.push(t.elapsed());
    }
    let (cold, warm) = (median(cold), median(warm));
    println!(
        "watch: one-word change re-rendered in {:.1} ms vs cold {:.1} ms: {:.0} % (target < 40 %)",
        warm.as_secs_f64() * 1000.0,
        cold.as_secs_f64() * 1000.0,
        100.0 * warm.as_secs_f64() / cold.as_secs_f64()
    );
}
