//! Benchmark: PDF bilagor. How long converting a page to SVG takes (in parallel, as shipped,
//! against one thread), how many SVG bytes a page makes, and what a PDF bilaga adds to the
//! protocol's time and size.
//!
//! Run: `cargo bench --bench pdf_bilaga` (release). The text PDF is the sample protocol
//! FVG 2020-09-17 (12 pages of real text) rendered by this tool; the scan is the fixture's
//! scanned letter.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use protokoll::bilaga::pdf::{self, Naming};
use protokoll::pipeline::{self, Target};
use protokoll::render::{Renderer, Templates};

const ROUNDS: usize = 15;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn naming() -> Naming<'static> {
    Naming {
        number: 2,
        title: "Bench",
        file_name: "bench.pdf",
    }
}

/// Median time to convert `bytes`, and the SVG bytes produced, on the given pool.
fn convert(bytes: &Arc<[u8]>, pool: &rayon::ThreadPool) -> (Duration, usize, Vec<Arc<[u8]>>) {
    let mut times = Vec::new();
    let mut out = None;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let c = pool
            .install(|| pdf::convert(bytes.clone(), &naming()))
            .expect("converts");
        times.push(start.elapsed());
        out = Some(c);
    }
    let c = out.expect("rounds");
    let svgs: Vec<Arc<[u8]>> = c
        .assets
        .iter()
        .filter(|a| a.name.ends_with(".svg"))
        .map(|a| a.bytes.clone())
        .collect();
    (median(times), svgs.iter().map(|s| s.len()).sum(), svgs)
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().expect("temp dir");
    let renderer = Renderer::new(Templates::load(None).expect("templates")).expect("renderer");
    let build = |meeting: &Path, pdf: &Path| {
        let target = Target::pdf(pdf.to_path_buf());
        let start = Instant::now();
        let outcome = pipeline::build(meeting, &renderer, &target).expect("renders");
        (start.elapsed(), outcome.pages)
    };

    let text_pdf = work.path().join("protokoll.pdf");
    build(&repo.join("data/fvg/2020-09-17.toml"), &text_pdf);
    let text: Arc<[u8]> = Arc::from(std::fs::read(&text_pdf).expect("rendered"));
    let scan: Arc<[u8]> = Arc::from(
        std::fs::read(repo.join("tests/fixtures/pdf-bilaga/bilagor/skrivelse.pdf"))
            .expect("fixture"),
    );

    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let all = rayon::ThreadPoolBuilder::new().build().expect("pool");
    println!(
        "PDF → SVG, median of {ROUNDS} ({} threads):",
        all.current_num_threads()
    );
    for (name, bytes) in [("text, sample protocol", &text), ("scanned letter", &scan)] {
        let pages = pdf::convert(bytes.clone(), &naming())
            .expect("converts")
            .pdf
            .pages
            .len();
        let (t1, size, svgs1) = convert(bytes, &one);
        let (tn, _, svgs) = convert(bytes, &all);
        assert!(svgs == svgs1, "same SVG however the pages were scheduled");
        println!(
            "  {name}: {pages} pages, {} kB PDF → {} kB SVG ({} kB a page); \
             {:.1} ms a page on one thread, {:.1} ms a page in parallel ({:.1} ms in all)",
            bytes.len() / 1024,
            size / 1024,
            size / pages / 1024,
            ms(t1) / pages as f64,
            ms(tn) / pages as f64,
            ms(tn),
        );
    }

    // End to end: the fixture meeting with the 12-page text PDF as its second bilaga, against
    // the same meeting with that bilaga as an empty Markdown file.
    let folder = work.path().join("m");
    copy_dir(&repo.join("tests/fixtures/pdf-bilaga"), &folder);
    std::fs::write(folder.join("bilagor/yttrande.pdf"), &text).expect("write");
    std::fs::write(folder.join("bilagor/tom.md"), "Tom.\n").expect("write");
    let with_pdf = folder.join("meeting.toml");
    let toml = std::fs::read_to_string(&with_pdf).expect("read");
    let without = folder.join("without.toml");
    std::fs::write(
        &without,
        toml.replace("bilagor/yttrande.pdf", "bilagor/tom.md"),
    )
    .expect("write");
    let (mut t_with, mut t_without) = (Vec::new(), Vec::new());
    let mut pages = 0;
    for _ in 0..ROUNDS {
        let (t, p) = build(&with_pdf, &work.path().join("with.pdf"));
        t_with.push(t);
        pages = p;
        t_without.push(build(&without, &work.path().join("without.pdf")).0);
    }
    let size = |name: &str| {
        std::fs::metadata(work.path().join(name))
            .expect("pdf")
            .len()
    };
    let (with_size, without_size) = (size("with.pdf"), size("without.pdf"));
    println!(
        "a meeting ({pages} pages) with the 12-page PDF as a bilaga vs without: {:.1} ms vs {:.1} ms; \
         {} kB vs {} kB (+{} kB, of which the attached original is {} kB)",
        ms(median(t_with)),
        ms(median(t_without)),
        with_size / 1024,
        without_size / 1024,
        (with_size - without_size) / 1024,
        text.len() / 1024,
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
