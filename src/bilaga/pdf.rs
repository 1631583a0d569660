//! PDF bilagor: each page made displayable, the original kept.
//!
//! Typst cannot place the pages of a PDF in a PDF/A or PDF/UA document (typst #7665). So each
//! page is drawn by hayro (the renderer Typst itself uses for PDF images: as vectors, or as a
//! raster, [`route`]) and placed as an SVG image, and the original file is attached to the
//! protocol unchanged (PDF/A-3, relationship "source"), so its text and signatures stay
//! available to an archivist. Validation only inspects a PDF that no document of the run
//! prints (a handling, in all but the meeting pack): [`Work`].
//!
//! A bilaga comes from outside: its size and page count are capped before any work, an
//! encrypted file is refused rather than shown half-readable, and no page is ever dropped — a
//! page that cannot be converted is an error naming it.
//!
//! [`cache`] keeps converted pages between runs, [`route`] chooses how a page is converted,
//! [`cost`] caps what drawing a file costs, [`shown`], [`widgets`], [`groups`] and
//! [`truetype`] make the copy a viewer would show, and [`text`] reads every text the pages
//! expose.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};

use hayro_svg::hayro_interpret::{InterpreterSettings, InterpreterWarning};
use hayro_svg::hayro_syntax::object::Dict;
use hayro_svg::hayro_syntax::{LoadPdfError, Pdf};
use hayro_svg::{RenderCache, SvgRenderSettings};
use rayon::prelude::*;

use crate::bilaga::form::{Asset, Attachment, PdfPage, PdfPages};

pub mod cache;
mod cost;
mod groups;
pub mod route;
pub(crate) mod shown;
pub mod text;
mod truetype;
mod widgets;

/// The most pages a PDF bilaga may have: every page becomes a page of the protocol.
pub(crate) const MAX_PAGES: usize = 200;

/// A password no real document uses. A PDF that is encrypted with an empty user password
/// opens without one; loading with this one tells such a file apart from an unencrypted one.
const NOT_A_PASSWORD: &str = "\u{0}protokoll: no password\u{0}";

/// Why a PDF bilaga cannot be used. The message follows "bilaga `id` (file): ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    Encrypted,
    Invalid,
    NoPages,
    /// Pages the document declares, pages that could be read.
    PagesMissing(usize, usize),
    TooManyPages(usize),
    /// The 1-based number of a page that could not be converted.
    Page(usize),
    /// A page over one of the caps on what drawing it may cost (issue 13).
    OverCap(cost::OverCap),
}

impl Problem {
    pub fn message(&self) -> String {
        match self {
            Problem::Empty => "the file is empty (0 bytes)".into(),
            Problem::Encrypted => "the PDF is encrypted (password-protected)".into(),
            Problem::Invalid => "the file is not a readable PDF".into(),
            Problem::NoPages => "the PDF has no pages".into(),
            Problem::PagesMissing(declared, read) => {
                format!("the PDF declares {declared} pages but only {read} can be read")
            }
            Problem::TooManyPages(n) => {
                format!("the PDF has {n} pages, more than the {MAX_PAGES} a bilaga may have")
            }
            Problem::Page(k) => format!("page {k} of the PDF cannot be converted"),
            Problem::OverCap(o) if o.page == 0 => format!("the PDF has {}", o.cap.exceeded()),
            Problem::OverCap(o) if o.found.is_empty() => {
                format!("page {} of the PDF has {}", o.page, o.cap.exceeded())
            }
            Problem::OverCap(o) => format!(
                "page {} of the PDF has {}: {}",
                o.page,
                o.found,
                o.cap.exceeded()
            ),
        }
    }

    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Problem::Empty => Some("the file may not have been saved or copied completely"),
            Problem::TooManyPages(_) => {
                Some("split the document, or attach only the part the protocol refers to")
            }
            Problem::Encrypted => Some(
                "ask the sender for an unprotected copy (or print it to a new PDF without a password)",
            ),
            Problem::Invalid => Some(
                "open it in a PDF reader and save or export it again; check that it really is a PDF",
            ),
            Problem::NoPages => Some("check that the right file is named"),
            Problem::PagesMissing(..) => Some(
                "the file is damaged or incomplete: ask for a new copy (no page is left out silently)",
            ),
            Problem::Page(_) => Some(
                "print the document to a new PDF and use that; the page is never left out silently",
            ),
            Problem::OverCap(_) => Some(
                "print the document to a new PDF at a lower resolution, or split it (see \"Limits\" in README.md)",
            ),
        }
    }
}

/// How the bilaga is named in the protocol, for alt texts and the attachment.
pub struct Naming<'a> {
    pub number: usize,
    pub title: &'a str,
    /// The original's file name, e.g. `yttrande.pdf`.
    pub file_name: &'a str,
}

/// A PDF bilaga ready for the model: its pages and original, and the bytes Typst reads.
pub struct Converted {
    pub pdf: PdfPages,
    pub assets: Vec<Asset>,
    /// What the renderer could not show faithfully, e.g. "page 2: an image could not be
    /// decoded". Reported as warnings: the page is there, the attached original is complete.
    pub warnings: Vec<String>,
}

/// How the pages of PDF bilagor are made displayable in a run: chosen by the commands (the
/// page cache below the output folder) or a benchmark (the route) and passed down; the
/// library keeps no such switch of its own.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageOptions {
    /// Where converted pages are kept between runs ([`cache::dir_in`]); `None`: no cache.
    pub cache: Option<std::path::PathBuf>,
    /// Every page by this route (benchmarks comparing the routes); `None`: [`route::choose`]
    /// decides by the page.
    pub route: Option<route::Route>,
}

/// How much of a PDF bilaga to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Open it, refuse what must be refused, count and measure the pages — what `check`
    /// needs (milliseconds for any PDF). The model then names the pages but holds no images
    /// of them: enough to validate and to generate the Typst source, not to compile it.
    Inspect,
    /// Also make every page displayable, through the page cache
    /// ([`cache`]), for a render.
    Convert,
}

/// Converts every page of `bytes` to SVG; the original becomes an attachment.
pub fn convert(
    bytes: Arc<[u8]>,
    naming: &Naming,
    pages: &PageOptions,
) -> Result<Converted, Problem> {
    prepare(bytes, naming, Work::Convert, pages)
}

/// Does `work` for a PDF bilaga: with [`Work::Inspect`] no page is converted; the pages are
/// made as `pages` says.
pub fn prepare(
    bytes: Arc<[u8]>,
    naming: &Naming,
    work: Work,
    pages: &PageOptions,
) -> Result<Converted, Problem> {
    if bytes.is_empty() {
        return Err(Problem::Empty);
    }
    let pdf = open(bytes.clone())?;
    let sizes = page_sizes(&pdf)?;
    let total = sizes.len();
    let shown = match work {
        Work::Inspect => Vec::new(),
        Work::Convert => cache::pages(
            pages.cache.as_deref(),
            &route::policy(pages.route),
            &bytes,
            || {
                // What a viewer shows: hidden annotations and optional content left out, ticked
                // checkboxes drawn from the appearance of their state, annotations without an
                // appearance drawn from their dictionaries — in a copy of the file (the attached
                // original stays as it was).
                let (shown, forms, annotations) = as_shown(&pdf, &bytes);
                let mut drawn: Vec<cache::Page> =
                    pages_as_svg(shown.as_ref().unwrap_or(&pdf), annotations, pages.route)?
                        .into_iter()
                        .enumerate()
                        .map(|(i, drawn)| cache::Page {
                            bytes: drawn.bytes,
                            format: drawn.format,
                            warnings: drawn
                                .warnings
                                .iter()
                                .map(|w| format!("page {}: {w}", i + 1))
                                .collect(),
                        })
                        .collect();
                // Kept with the first page, so a cached conversion still reports them.
                if let Some(first) = drawn.first_mut() {
                    first.warnings.splice(0..0, forms);
                }
                Ok(drawn)
            },
        )?,
    };
    let warnings = shown
        .iter()
        .flat_map(|page| page.warnings.iter().cloned())
        .collect();
    let prefix = format!("b{}", naming.number);
    let mut assets = Vec::with_capacity(total + 1);
    let mut pages = Vec::with_capacity(total);
    let mut shown = shown.into_iter();
    for (i, (width, height)) in sizes.into_iter().enumerate() {
        let page = shown.next();
        // Every page is an SVG to Typst (it takes the format from the name; an inspected
        // page is named the same, nothing reads it): a vector page as drawn, a raster page
        // as a drawing of its PNG alone ([`raster_in_svg`]).
        let asset = Asset {
            name: format!("{prefix}/page-{}.svg", i + 1),
            bytes: Arc::from(&[][..]),
        };
        pages.push(PdfPage {
            path: asset.virtual_path(),
            width,
            height,
            alt: format!(
                "Bilaga {}, sida {} av {total}: {}",
                naming.number,
                i + 1,
                naming.title
            ),
        });
        match page {
            Some(page) if page.format == cache::Format::Png => {
                let png = format!("page-{}.png", i + 1);
                assets.push(Asset {
                    name: format!("{prefix}/{png}"),
                    bytes: Arc::from(page.bytes),
                });
                assets.push(Asset {
                    bytes: Arc::from(raster_in_svg(&png, width, height).into_bytes()),
                    ..asset
                });
            }
            Some(page) => assets.push(Asset {
                bytes: Arc::from(page.bytes),
                ..asset
            }),
            None => {}
        }
    }
    let original = Asset {
        name: format!("{prefix}/original.pdf"),
        bytes,
    };
    let pdf = PdfPages {
        original: Some(Attachment {
            name: format!(
                "bilaga-{}-{}",
                naming.number,
                safe_file_name(naming.file_name)
            ),
            path: original.virtual_path(),
            description: format!(
                "Originalet till bilaga {}: {} ({}, {total} {})",
                naming.number,
                naming.title,
                naming.file_name,
                if total == 1 { "sida" } else { "sidor" }
            ),
        }),
        pages,
    };
    assets.push(original);
    Ok(Converted {
        pdf,
        assets,
        warnings,
    })
}

/// A drawing of the page `width` × `height` (points) that is the raster image `png` (a file
/// beside it) stretched over it, as Typst is given a raster page (issue 28). Typst decodes a
/// raster image when it loads it and holds the pixels until the PDF is written (~4 MB a
/// page of text at 200 dpi: a pack of 200 pages took 1.1 GB); the image an SVG links is
/// kept as its PNG, and the PDF writer (krilla) decodes it only to compress it, on its
/// worker threads. The pixels that reach the PDF are the same.
fn raster_in_svg(png: &str, width: f64, height: f64) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\
         <image width=\"{width}\" height=\"{height}\" preserveAspectRatio=\"none\" \
         xlink:href=\"{png}\"/></svg>"
    )
}

/// One page made displayable, by the route [`route::choose`] chose for it.
struct Drawn {
    bytes: Vec<u8>,
    format: cache::Format,
    /// What hayro reported it could not draw, once each.
    warnings: Vec<&'static str>,
}

/// Opens the PDF, refusing an encrypted, unreadable or damaged one, one with no or too many
/// pages, and one over the caps on what drawing it costs ([`cost`]: its page tree counted in
/// its bytes first, then each page's operations and images). No page is interpreted.
fn open(bytes: Arc<[u8]>) -> Result<Pdf, Problem> {
    let size = bytes.len();
    let tree = super::limits::PDF_PAGE_TREE_NODES;
    let nodes = cost::page_tree_nodes(&bytes, tree.value as usize);
    if tree.over(nodes as u64) {
        return Err(Problem::OverCap(cost::OverCap {
            page: 0,
            cap: tree,
            found: String::new(),
        }));
    }
    if let Some(cap) = cost::inflate_bomb(&bytes) {
        return Err(Problem::OverCap(cost::OverCap {
            page: 0,
            cap,
            found: String::new(),
        }));
    }
    let pdf = match Pdf::new_with_password(Arc::new(Shared(bytes)), NOT_A_PASSWORD) {
        Ok(pdf) => pdf,
        Err(LoadPdfError::Decryption(_)) => return Err(Problem::Encrypted),
        Err(LoadPdfError::Invalid) => return Err(Problem::Invalid),
    };
    let pages = pdf.pages();
    // hayro is lenient: a page it cannot read is skipped. Compare with what the document
    // declares, so a damaged file is refused instead of shown with pages silently missing.
    let declared = declared_page_count(&pdf).ok_or(Problem::Invalid)?;
    match (declared, pages.len()) {
        (0, 0) => return Err(Problem::NoPages),
        (d, n) if d > MAX_PAGES || n > MAX_PAGES => return Err(Problem::TooManyPages(d.max(n))),
        (d, n) if d != n => return Err(Problem::PagesMissing(d, n)),
        _ => {}
    }
    cost::check(&pdf, size).map_err(Problem::OverCap)?;
    Ok(pdf)
}

/// The document as a viewer shows it ([`shown`], [`widgets`]), what of
/// it cannot be drawn, and whether hayro may draw the annotations. `None`: nothing to change,
/// or the changed copy could not be made (then said). When annotations the author hid cannot
/// be left out of the copy, no annotation is drawn: what was hidden is never shown.
fn as_shown(pdf: &Pdf, bytes: &Arc<[u8]>) -> (Option<Pdf>, Vec<String>, bool) {
    let count = pdf.pages().len();
    let next = widgets::free_object_number(bytes);
    let shown = shown::updates(pdf, next);
    let (mut updates, mut notes) = (shown.updates, shown.warnings);
    let (states, forms) = widgets::state_updates(pdf, &shown.hidden);
    updates.extend(states);
    updates.extend(truetype::repairs(pdf));
    let (ungrouped, blended) = groups::backdrops(pdf);
    updates.extend(ungrouped);
    notes.extend(blended);
    notes.extend(forms);
    let hidden_note = "its annotations are not drawn: some are hidden and cannot be left out in this file's structure (the attached original has them)";
    if shown.hidden_inside {
        notes.push(hidden_note.to_owned());
    }
    if updates.is_empty() {
        return (None, notes, !shown.hidden_inside);
    }
    let copy = widgets::incremental_update(pdf, bytes, &updates)
        .and_then(|b| Pdf::new_with_password(Arc::new(b), NOT_A_PASSWORD).ok())
        .filter(|p| p.pages().len() == count);
    match copy {
        Some(p) => (Some(p), notes, !shown.hidden_inside),
        None if shown.hidden.is_empty() => {
            notes.push(
                "its form fields' states and its annotations without an appearance cannot be drawn in this file's structure (the attached original shows them)"
                    .to_owned(),
            );
            (None, notes, !shown.hidden_inside)
        }
        None => {
            if !shown.hidden_inside {
                notes.push(hidden_note.to_owned());
            }
            (None, notes, false)
        }
    }
}

/// Each page's size in points (rotation applied), in page order; a page without a usable
/// size is refused by its number.
fn page_sizes(pdf: &Pdf) -> Result<Vec<(f64, f64)>, Problem> {
    pdf.pages()
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let (w, h) = page.render_dimensions();
            if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 {
                Ok((round(w), round(h)))
            } else {
                Err(Problem::Page(i + 1))
            }
        })
        .collect()
}

/// Each page made displayable (SVG, or PNG for a page without text; every page by `forced`
/// when given), in page order.
fn pages_as_svg(
    pdf: &Pdf,
    annotations: bool,
    forced: Option<route::Route>,
) -> Result<Vec<Drawn>, Problem> {
    let pages = pdf.pages();
    // Pages are independent: convert them in parallel, collected in page order, so the
    // output is the same bytes however the work was scheduled. The renderers' caches (fonts
    // parsed, glyph outlines) are meant to be kept across the pages of one document; they
    // are single-threaded, so each worker keeps its own.
    (0..pages.len())
        .into_par_iter()
        .map_init(
            || (RenderCache::new(), hayro::RenderCache::new()),
            |(vector_cache, raster_cache), i| {
                let page = &pages[i];
                let seen: Arc<Mutex<Vec<&'static str>>> = Arc::default();
                let sink = seen.clone();
                let settings = InterpreterSettings {
                    warning_sink: Arc::new(move |w| {
                        let what = match w {
                            InterpreterWarning::UnsupportedFont => {
                                "text in an unsupported font may be missing"
                            }
                            InterpreterWarning::ImageDecodeFailure => {
                                "an image could not be decoded"
                            }
                        };
                        let mut seen = sink.lock().unwrap_or_else(|e| e.into_inner());
                        if !seen.contains(&what) {
                            seen.push(what);
                        }
                    }),
                    render_annotations: annotations,
                    ..InterpreterSettings::default()
                };
                // hayro is written not to panic on bad input; should it still, that is this
                // page's error, not a crash of the whole run.
                let drawn = catch_unwind(AssertUnwindSafe(|| match route::choose(page, forced) {
                    route::Route::Svg => {
                        let svg = hayro_svg::convert(
                            page,
                            vector_cache,
                            &settings,
                            &SvgRenderSettings::default(),
                        );
                        (!svg.is_empty()).then(|| {
                            (
                                super::svg_compact::compact(&svg).into_bytes(),
                                cache::Format::Svg,
                            )
                        })
                    }
                    route::Route::Raster { dpi, tones } => {
                        route::raster_png(page, raster_cache, dpi, tones, &settings)
                            .map(|png| (png, cache::Format::Png))
                    }
                }))
                .ok()
                .flatten()
                .ok_or(Problem::Page(i + 1))?;
                let warnings = std::mem::take(&mut *seen.lock().unwrap_or_else(|e| e.into_inner()));
                Ok(Drawn {
                    bytes: drawn.0,
                    format: drawn.1,
                    warnings,
                })
            },
        )
        .collect()
}

/// The page count in the document's page tree (`/Root /Pages /Count`), if it has one.
fn declared_page_count(pdf: &Pdf) -> Option<usize> {
    let xref = pdf.xref();
    let catalog = xref.get::<Dict>(xref.root_id())?;
    catalog.get::<Dict>(b"Pages")?.get::<usize>(b"Count")
}

/// The original's bytes, shared with hayro without a copy (it wants a sized `AsRef`).
struct Shared(Arc<[u8]>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Page sizes to a hundredth of a point: enough for layout, stable in the generated source.
fn round(x: f32) -> f64 {
    (f64::from(x) * 100.0).round() / 100.0
}

/// The original's name as an attachment: ASCII letters and digits, space, `.`, `-`, `_`;
/// Swedish letters lose their marks (å → a), anything else (path separators, control
/// characters) becomes `_`. ASCII because the attachment's /F name is written as bytes,
/// which readers would show garbled; the description keeps the real name.
fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'Å' | 'Ä' | 'À' | 'Á' | 'Â' => 'A',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'Ö' | 'Ø' | 'Ó' | 'Ò' | 'Ô' => 'O',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'ü' | 'ú' => 'u',
            'Ü' | 'Ú' => 'U',
            c if c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_') => c,
            _ => '_',
        })
        .collect();
    let cleaned = cleaned.trim_matches(|c| c == '.' || c == ' ');
    if cleaned.is_empty() {
        "original.pdf".into()
    } else {
        cleaned.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naming() -> Naming<'static> {
        Naming {
            number: 3,
            title: "Särskilt yttrande",
            file_name: "yttrande.pdf",
        }
    }

    fn fixture(name: &str) -> Arc<[u8]> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pdf-bilaga/bilagor")
            .join(name);
        Arc::from(std::fs::read(path).unwrap())
    }

    #[test]
    fn every_page_becomes_one_svg_with_its_size_and_the_original_is_kept() {
        let bytes = fixture("yttrande.pdf");
        let c = convert(bytes.clone(), &naming(), &PageOptions::default()).unwrap();
        assert_eq!(c.pdf.pages.len(), 3);
        assert_eq!(
            (c.pdf.pages[0].width, c.pdf.pages[0].height),
            (595.0, 842.0)
        );
        assert_eq!(
            (c.pdf.pages[1].width, c.pdf.pages[1].height),
            (842.0, 595.0)
        );
        assert_eq!(
            c.pdf.pages[1].alt,
            "Bilaga 3, sida 2 av 3: Särskilt yttrande"
        );
        // Pages of text are drawn as rasters (issue 14: a tenth of the vector route's size),
        // given to Typst as a drawing that links the PNG (issue 28).
        assert_eq!(c.pdf.pages[2].path, "/.protokoll/assets/b3/page-3.svg");
        assert_eq!(c.assets[0].name, "b3/page-1.png");
        assert!(c.assets[0].bytes.starts_with(b"\x89PNG"));
        assert_eq!(
            std::str::from_utf8(&c.assets[1].bytes).unwrap(),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
             width=\"595\" height=\"842\" viewBox=\"0 0 595 842\"><image width=\"595\" \
             height=\"842\" preserveAspectRatio=\"none\" xlink:href=\"page-1.png\"/></svg>"
        );
        let original = c.assets.last().unwrap();
        assert_eq!(original.name, "b3/original.pdf");
        assert_eq!(&*original.bytes, &*bytes);
        assert_eq!(c.pdf.original.unwrap().name, "bilaga-3-yttrande.pdf");
    }

    /// A portrait page turned by `/Rotate 90` is shown as the reader sees it: landscape.
    #[test]
    fn a_rotated_page_keeps_its_rotation() {
        use lopdf::{Document, Object, Stream, dictionary};
        let mut doc = Document::with_version("1.4");
        let pages_id = doc.new_object_id();
        let content = doc.add_object(Stream::new(dictionary! {}, b"0 0 100 50 re f".to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Rotate" => 90,
            "Contents" => content,
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let c = convert(Arc::from(bytes), &naming(), &PageOptions::default()).unwrap();
        assert_eq!(
            (c.pdf.pages[0].width, c.pdf.pages[0].height),
            (842.0, 595.0)
        );
        assert!(
            std::str::from_utf8(&c.assets[0].bytes)
                .unwrap()
                .contains("<path")
        );
    }

    #[test]
    fn garbage_and_empty_files_are_not_pdfs() {
        let garbage: Arc<[u8]> = Arc::from(&b"%PDF-1.4 but nothing after it"[..]);
        assert_eq!(
            convert(garbage, &naming(), &PageOptions::default()).err(),
            Some(Problem::Invalid)
        );
        let empty: Arc<[u8]> = Arc::from(&b""[..]);
        assert_eq!(
            convert(empty, &naming(), &PageOptions::default()).err(),
            Some(Problem::Empty)
        );
    }

    /// Damaged copies of the fixtures (bytes overwritten, cut, duplicated) never panic: each
    /// is converted or refused.
    #[test]
    fn damaged_pdfs_are_refused_or_converted_never_a_panic() {
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n.max(1)
        };
        let (mut ok, mut refused) = (0, 0);
        for name in ["yttrande.pdf", "skrivelse.pdf"] {
            let original = fixture(name).to_vec();
            for round in 0..60 {
                let mut bytes = original.clone();
                match round % 3 {
                    0 => {
                        for _ in 0..1 + next(8) {
                            let at = next(bytes.len());
                            bytes[at] = next(256) as u8;
                        }
                    }
                    1 => bytes.truncate(next(bytes.len())),
                    _ => {
                        let at = next(bytes.len());
                        let len = next(64).min(bytes.len() - at);
                        let copy = bytes[at..at + len].to_vec();
                        let to = next(bytes.len());
                        bytes.splice(to..to, copy);
                    }
                }
                match convert(Arc::from(bytes), &naming(), &PageOptions::default()) {
                    Ok(c) => {
                        assert!(!c.pdf.pages.is_empty());
                        ok += 1;
                    }
                    Err(_) => refused += 1,
                }
            }
        }
        assert!(ok > 0 && refused > 0, "{ok} converted, {refused} refused");
    }

    #[test]
    fn attachment_names_cannot_carry_paths() {
        assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(
            safe_file_name("Yttrande från SACO (slutlig).pdf"),
            "Yttrande fran SACO _slutlig_.pdf"
        );
        assert_eq!(safe_file_name(".."), "original.pdf");
    }

    #[test]
    fn every_problem_has_a_lowercase_message_without_a_trailing_period() {
        for p in [
            Problem::Empty,
            Problem::Encrypted,
            Problem::Invalid,
            Problem::NoPages,
            Problem::PagesMissing(3, 2),
            Problem::TooManyPages(MAX_PAGES + 1),
            Problem::Page(2),
        ] {
            let m = p.message();
            assert!(m.starts_with(|c: char| c.is_lowercase()), "{m}");
            assert!(!m.ends_with('.'), "{m}");
        }
    }
}
