//! Benchmark: PDF bilagor, by route (issue 14): how long converting a page takes, how many
//! bytes its image has, and what a PDF bilaga adds to the protocol's time and size — for a
//! text PDF and a scanned one, each route forced on every page, then the per-page choice;
//! and the same with the page cache warm.
//!
//! Run: `cargo bench --bench pdf_bilaga` (release). The text PDF is the sample protocol
//! FVG 2020-09-17 (12 pages of real text) rendered by this tool; the scan is the fixture's
//! scanned letter. Each time is given as wall time and as this process's CPU time (user +
//! system) over the same span, in brackets: on a shared machine the wall time includes
//! waiting for a core.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use protokoll::bilaga::pdf::route::Route;
use protokoll::bilaga::pdf::{self, Naming, PageOptions};
use protokoll::pipeline::{self, Target};
use protokoll::render::{Renderer, Templates};

const ROUNDS: usize = 9;
const E2E: usize = 5;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// This process's CPU time so far (user + system, all threads).
fn cpu() -> Duration {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid rusage to fill.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let t = |v: libc::timeval| Duration::new(v.tv_sec as u64, v.tv_usec as u32 * 1000);
    t(usage.ru_utime) + t(usage.ru_stime)
}

fn naming() -> Naming<'static> {
    Naming {
        number: 2,
        title: "Bench",
        file_name: "bench.pdf",
    }
}

/// Median time (wall, CPU) to convert `bytes` as `pages` says, and the image bytes
/// produced, on the given pool.
fn convert(
    bytes: &Arc<[u8]>,
    pool: &rayon::ThreadPool,
    pages: &PageOptions,
) -> (Duration, Duration, usize, Vec<Arc<[u8]>>) {
    let mut times = Vec::new();
    let mut cpus = Vec::new();
    let mut out = None;
    for _ in 0..ROUNDS {
        let (start, c0) = (Instant::now(), cpu());
        let c = pool
            .install(|| pdf::convert(bytes.clone(), &naming(), pages))
            .expect("converts");
        times.push(start.elapsed());
        cpus.push(cpu() - c0);
        out = Some(c);
    }
    let c = out.expect("rounds");
    let svgs: Vec<Arc<[u8]>> = c
        .assets
        .iter()
        .filter(|a| a.name.contains("/page-"))
        .map(|a| a.bytes.clone())
        .collect();
    (
        median(times),
        median(cpus),
        svgs.iter().map(|s| s.len()).sum(),
        svgs,
    )
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().expect("temp dir");
    let renderer = Renderer::new(Templates::load(None).expect("templates")).expect("renderer");
    let build = |meeting: &Path, pdf: &Path, pages: &PageOptions| {
        let target = Target {
            pdf_pages: pages.clone(),
            ..Target::pdf(pdf.to_path_buf())
        };
        let (start, c0) = (Instant::now(), cpu());
        let outcome = pipeline::build(meeting, &renderer, &target).expect("renders");
        (start.elapsed(), cpu() - c0, outcome.pages)
    };

    let text_pdf = work.path().join("protokoll.pdf");
    build(
        &repo.join("data/fvg/2020-09-17.toml"),
        &text_pdf,
        &PageOptions::default(),
    );
    let text: Arc<[u8]> = Arc::from(std::fs::read(&text_pdf).expect("rendered"));
    let scan: Arc<[u8]> = Arc::from(
        std::fs::read(repo.join("tests/fixtures/pdf-bilaga/bilagor/skrivelse.pdf"))
            .expect("fixture"),
    );

    // Meetings: the fixture with its text statement replaced by the 12-page text PDF, and
    // the same with that bilaga as a one-line Markdown file; likewise for the scanned letter.
    let folder = work.path().join("m");
    copy_dir(&repo.join("tests/fixtures/pdf-bilaga"), &folder);
    std::fs::write(folder.join("bilagor/yttrande.pdf"), &text).expect("write");
    std::fs::write(folder.join("bilagor/tom.md"), "Tom.\n").expect("write");
    let toml = std::fs::read_to_string(folder.join("meeting.toml")).expect("read");
    let variant = |name: &str, from: &str, to: &str| {
        let path = folder.join(name);
        std::fs::write(&path, toml.replace(from, to)).expect("write");
        path
    };
    let text_with = variant("text.toml", "bilagor/skrivelse.pdf", "bilagor/tom.md");
    let scan_with = variant("scan.toml", "bilagor/yttrande.pdf", "bilagor/tom.md");
    let without = folder.join("without.toml");
    std::fs::write(
        &without,
        toml.replace("bilagor/skrivelse.pdf", "bilagor/tom.md")
            .replace("bilagor/yttrande.pdf", "bilagor/tom.md"),
    )
    .expect("write");
    let (text_without, scan_without) = (&without, &without);

    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    // What one meeting adds with the PDF against without it: time (median) and PDF size.
    let added = |with: &Path, without: &Path, rounds: usize, pages: &PageOptions| {
        let (mut t_with, mut t_without) = (Vec::new(), Vec::new());
        let (mut c_with, mut c_without) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let (t, c, _) = build(with, &work.path().join("with.pdf"), pages);
            t_with.push(t);
            c_with.push(c);
            let (t, c, _) = build(without, &work.path().join("without.pdf"), pages);
            t_without.push(t);
            c_without.push(c);
        }
        let size = |name: &str| {
            std::fs::metadata(work.path().join(name))
                .expect("pdf")
                .len()
        };
        (
            ms(median(t_with)) - ms(median(t_without)),
            ms(median(c_with)) - ms(median(c_without)),
            size("with.pdf") as i64 - size("without.pdf") as i64,
        )
    };
    let text_pages = 12.0;
    println!(
        "PDF bilagor by route (median of {ROUNDS} conversions on one thread; end to end median \
         of {E2E} builds, in process, cache off). Text: the sample protocol, {} kB, 12 pages; \
         scan: the fixture's scanned letter, {} kB, 1 page. Added = with the PDF as a bilaga \
         minus with one-line Markdown bilagor instead, per page, attached original included.",
        text.len() / 1024,
        scan.len() / 1024
    );
    for (name, route) in [
        (
            "vector SVG (glyph outlines in <defs>, placed by <use>)",
            Some(Route::Svg),
        ),
        (
            "raster PNG 150 dpi, 256 tones",
            Some(Route::Raster {
                dpi: 150.0,
                tones: 0,
            }),
        ),
        (
            "raster PNG 200 dpi, 8 tones",
            Some(Route::Raster {
                dpi: 200.0,
                tones: 8,
            }),
        ),
        (
            "raster PNG 300 dpi, 4 tones",
            Some(Route::Raster {
                dpi: 300.0,
                tones: 4,
            }),
        ),
        (
            "chosen per page (text: PNG 200 dpi 8 tones; no text: SVG)",
            None,
        ),
    ] {
        let options = PageOptions { cache: None, route };
        println!("{name}:");
        for (what, bytes, with, without, pages) in [
            ("text", &text, &text_with, text_without, text_pages),
            ("scan", &scan, &scan_with, scan_without, 1.0),
        ] {
            let (t, c, size, _) = convert(bytes, &one, &options);
            let (dt, dc, dsize) = added(with, without, E2E, &options);
            println!(
                "  {what}: converting {:.1} ms ({:.1} ms CPU) a page, image {:.0} kB a page; \
                 added to the protocol {:.1} ms ({:.1} ms CPU) and {:.0} kB a page",
                ms(t) / pages,
                ms(c) / pages,
                size as f64 / 1024.0 / pages,
                dt / pages,
                dc / pages,
                dsize as f64 / 1024.0 / pages,
            );
        }
    }

    // The page cache: the second build of a meeting takes the pages from it.
    let cache = work.path().join("cache");
    let cached = PageOptions {
        cache: Some(cache),
        route: None,
    };
    build(&text_with, &work.path().join("with.pdf"), &cached);
    let (dt, dc, _) = added(&text_with, text_without, E2E, &cached);
    println!(
        "with the page cache warm (chosen routes): the 12-page text PDF adds {:.1} ms ({:.1} ms \
         CPU) a page",
        dt / text_pages,
        dc / text_pages
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
