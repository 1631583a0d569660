//! Benchmark: `assemble` end to end on FVG 2020-09-17 against its own baseline, the Typst
//! compile + PDF export of the same generated source, measured in the same run.
//!
//! Run: `cargo bench --bench assemble` (release). Prints medians and the share of the total
//! spent in protokoll's own stages (load, validate, render, write). Every round starts from an
//! empty Typst memo cache, as a new meeting does.

use std::path::Path;
use std::time::{Duration, Instant};

use protokoll::export;
use protokoll::pipeline::{self, Target};
use protokoll::render::{Renderer, Templates};
use protokoll::sandbox::Sandbox;
use protokoll::typeset;
use protokoll::world::{ProtocolWorld, Shared};

const ROUNDS: usize = 30;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let meeting = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fvg/2020-09-17.toml");
    let out = tempfile::tempdir().expect("temp dir");
    let renderer = Renderer::new(Templates::load(None).expect("templates")).expect("renderer");
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
