//! Benchmark: where Typst's time goes in one of our documents (issue 14, part 3), measured in
//! process with Typst's own timing scopes (`typst-timing`, the scopes `typst --timings`
//! writes): evaluation, each layout iteration, the stabilisation check and the PDF export,
//! summed over a synthetic archive (`benches/support/synthetic.rs`) compiled one document at a
//! time on one thread, as a batch worker does.
//!
//! Run: `cargo bench --bench typst_phases` (release). `BENCH_N` meetings (default 40).
//! `BENCH_TEMPLATES=DIR` compiles with that template folder instead (as `--templates DIR`),
//! to weigh a change to the library; `BENCH_DRAFT=1` makes every meeting a draft.
//! `BENCH_EXPORT_CHROME=FILE` writes the last document's trace for chrome://tracing.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use protokoll::export;
use protokoll::pipeline;
use protokoll::render::{Renderer, Templates};
use protokoll::sandbox::Sandbox;
use protokoll::typeset;
use protokoll::world::{ProtocolWorld, Shared};
use typst::WorldExt;

fn main() {
    let n: usize = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let dir = tempfile::tempdir().expect("temp dir");
    let meetings = synthetic::generate(&data, dir.path(), n);
    if std::env::var("BENCH_DRAFT").is_ok() {
        for m in &meetings {
            let text = std::fs::read_to_string(m).unwrap();
            let text: String = text
                .lines()
                .filter(|l| !l.starts_with("justerad = "))
                .map(|l| format!("{l}\n"))
                .collect();
            std::fs::write(m, text).unwrap();
        }
    }
    let overrides = std::env::var_os("BENCH_TEMPLATES").map(std::path::PathBuf::from);
    let renderer =
        Renderer::new(Templates::load(overrides.as_deref()).expect("templates")).expect("renderer");
    let library = renderer.templates().library().clone();

    // One thread, as each batch worker has (Typst's own parallel layout stays on it).
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let _ = Shared::get();
    let mut totals: BTreeMap<String, Duration> = BTreeMap::new();
    let mut iterations: BTreeMap<usize, usize> = BTreeMap::new();
    let (mut wall, mut pages, mut bytes) = (Duration::ZERO, 0, 0);
    for meeting in &meetings {
        let (parsed, source, _) = pipeline::typst_source(meeting, &renderer).expect("source");
        let origin = typeset::Origin {
            meeting,
            generated: Path::new("bench.typ"),
            library: &library,
            reads: None,
        };
        let identity = export::Identity {
            ident: "bench".into(),
            timestamp: parsed.clock_date().0,
            conformance: export::Conformance::for_bilagor(parsed.bilagor()),
        };
        let world = ProtocolWorld::new(
            Shared::get(),
            source,
            &library.text,
            Sandbox::new(meeting.parent().unwrap()).unwrap(),
            &parsed.assets(),
            parsed.clock_date().0,
        );
        typst_timing::clear();
        typst_timing::enable();
        let t = Instant::now();
        let pdf = pool.install(|| {
            let (doc, _) = typeset::compile(&world, &origin, 0).expect("compiles");
            pages += doc.pages().len();
            export::pdf(&doc, &identity, |e| {
                protokoll::diag::Diagnostic::error(e.message.to_string())
            })
            .expect("exports")
        });
        wall += t.elapsed();
        typst_timing::disable();
        bytes += pdf.len();
        let mut json = Vec::new();
        typst_timing::export_json(&mut json, |span| {
            // Where a timed scope's span is: the generated source or the library, and line.
            let span = typst::syntax::Span::from_raw(span);
            let file = if span.id() == Some(world.main_source().id()) {
                world.main_source()
            } else if span.id() == Some(world.library_source().id()) {
                world.library_source()
            } else {
                return (String::new(), 0);
            };
            let line = world
                .range(span)
                .and_then(|r| file.lines().byte_to_line(r.start))
                .map_or(0, |l| l as u32 + 1);
            let name = if span.id() == Some(world.main_source().id()) {
                "main"
            } else {
                "protokoll.typ"
            };
            (name.to_string(), line)
        })
        .unwrap();
        if let Ok(path) = std::env::var("BENCH_EXPORT_CHROME") {
            std::fs::write(path, &json).unwrap();
        }
        let iters = add_scopes(&json, &mut totals);
        *iterations.entry(iters).or_default() += 1;
    }

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{n} meetings, {pages} pages, {:.1} MB of PDF; compile + export {:.0} ms ({:.1} ms a meeting)",
        bytes as f64 / 1e6,
        ms(wall),
        ms(wall) / n as f64
    );
    println!("layout iterations per document: {iterations:?}");
    println!("phase (outermost scopes, summed over all meetings):");
    for (name, d) in &totals {
        println!(
            "  {name:<22} {:>8.0} ms  {:>5.1} %",
            ms(*d),
            100.0 * d.as_secs_f64() / wall.as_secs_f64()
        );
    }
}

/// Adds the duration of each phase in one document's trace to `totals`: the outermost scopes
/// (`compile`, `pdf`) and their children (evaluation, each layout iteration, the
/// stabilisation checks…), whatever nests inside them counted with them. Returns the number of layout iterations.
fn add_scopes(json: &[u8], totals: &mut BTreeMap<String, Duration>) -> usize {
    let events: Vec<serde_json::Value> = serde_json::from_slice(json).unwrap();
    // The open scopes, outermost first: (name, start in µs).
    let mut open: Vec<(String, f64)> = Vec::new();
    let mut iterations = 0;
    for e in &events {
        let name = e["name"].as_str().unwrap_or_default().to_string();
        let ts = e["ts"].as_f64().unwrap_or_default();
        match e["ph"].as_str() {
            Some("B") => open.push((name, ts)),
            Some("E") => {
                let Some((name, start)) = open.pop() else {
                    continue;
                };
                if name.starts_with("iter (") {
                    iterations += 1;
                }
                // The outermost scopes and their children, named by their path.
                let key = match open.as_slice() {
                    [] => name,
                    [parent] => format!("{} / {name}", parent.0),
                    _ => continue,
                };
                *totals.entry(key).or_default() += Duration::from_secs_f64((ts - start) / 1e6);
            }
            _ => {}
        }
    }
    iterations
}
