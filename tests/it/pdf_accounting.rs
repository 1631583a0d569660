//! Word accounting for PDF bilagor (issue 23): every word poppler draws on a page of the
//! original is drawn on that page of the protocol, or a warning names the page.
//!
//! The protocol carries a bilaga's pages as images (`src/bilaga/pdf/route.rs`), so its words
//! cannot be read back as text. The check is made where the words are: poppler lists each
//! word of the original with its box (`pdftotext -bbox`) and draws the page (`pdftoppm`) at
//! exactly the size of the protocol's image of it (`pdfimages`); a word poppler draws — its
//! box has ink, a spread of grey values — must have ink in the same box of the protocol's
//! image. A word poppler extracts but does not draw (an OCR layer, white on white, clipped
//! away) has no ink in either and is not counted. It shares no code with the renderer (hayro),
//! so a glyph, a font or a layer the renderer loses silently fails here. Needs poppler-utils.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// The spread of grey values (standard deviation, 0–255) in a word's box above which poppler
/// is taken to draw it: body text at 200 dpi gives 60–120, anti-aliased hairlines ~20.
const INK: f64 = 16.0;

/// The share of poppler's spread below which the protocol's box counts as empty: a glyph
/// drawn in another font or weight keeps well over half of it.
const KEPT: f64 = 0.3;

/// A grey image, row by row.
struct Grey {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Grey {
    fn read(png: &Path) -> Grey {
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.bit_depth, png::BitDepth::Eight, "{}", png.display());
        let channels = info.color_type.samples();
        let pixels = buf[..info.buffer_size()]
            .chunks(channels)
            .map(|px| match channels {
                1 | 2 => px[0],
                _ => {
                    ((u32::from(px[0]) * 299 + u32::from(px[1]) * 587 + u32::from(px[2]) * 114)
                        / 1000) as u8
                }
            })
            .collect();
        Grey {
            width: info.width as usize,
            height: info.height as usize,
            pixels,
        }
    }

    /// The standard deviation of the grey values in the box (pixels, clamped to the image).
    fn spread(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> f64 {
        let clamp = |v: f64, max: usize| (v.max(0.0) as usize).min(max);
        let (x0, x1) = (clamp(x0.floor(), self.width), clamp(x1.ceil(), self.width));
        let (y0, y1) = (
            clamp(y0.floor(), self.height),
            clamp(y1.ceil(), self.height),
        );
        let (mut n, mut sum, mut sq) = (0f64, 0f64, 0f64);
        for y in y0..y1 {
            for &v in &self.pixels[y * self.width + x0..y * self.width + x1] {
                let v = f64::from(v);
                n += 1.0;
                sum += v;
                sq += v * v;
            }
        }
        if n == 0.0 {
            return 0.0;
        }
        (sq / n - (sum / n).powi(2)).max(0.0).sqrt()
    }
}

fn run(cmd: &mut Command) -> bool {
    cmd.output().is_ok_and(|o| o.status.success())
}

/// Where the protocol placed page `page` of bilaga `number`: the rectangle `(x0, y0, x1, y1)`
/// in points from the top left of protocol page `at` (1-based), found by the image's alt text
/// ("Bilaga 2, sida 1 av 3: …", PDF/UA) and the clip path Typst sets right after it.
fn placement(
    protocol: &lopdf::Document,
    at: usize,
    number: usize,
    page: usize,
) -> Option<[f64; 4]> {
    use lopdf::Object;
    let id = *protocol.get_pages().get(&(at as u32))?;
    let num = |o: &Object| o.as_float().map(f64::from).ok();
    let mediabox = protocol.get_dictionary(id).ok()?.get(b"MediaBox").ok()?;
    let mediabox = mediabox.as_array().ok()?;
    let height = num(mediabox.get(3)?)? - num(mediabox.get(1)?)?;
    let content = protocol.get_page_content(id).ok()?;
    let ops = lopdf::content::Content::decode(&content).ok()?.operations;
    let alt = format!("Bilaga {number}, sida {page} av ");
    // The transformation in force (a b c d e f), saved by q and restored by Q.
    let (mut ctm, mut saved) = ([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], Vec::new());
    let mut found = false;
    let mut points: Vec<(f64, f64)> = Vec::new();
    for op in &ops {
        match op.operator.as_str() {
            "q" => saved.push(ctm),
            "Q" => ctm = saved.pop().unwrap_or(ctm),
            "cm" if op.operands.len() == 6 => {
                let m: Vec<f64> = op.operands.iter().filter_map(num).collect();
                let [a, b, c, d, e, f] = ctm;
                ctm = [
                    m[0] * a + m[1] * c,
                    m[0] * b + m[1] * d,
                    m[2] * a + m[3] * c,
                    m[2] * b + m[3] * d,
                    m[4] * a + m[5] * c + e,
                    m[4] * b + m[5] * d + f,
                ];
            }
            "BDC" => {
                let marked = op.operands.get(1).and_then(|o| o.as_dict().ok());
                let text = marked
                    .and_then(|d| d.get(b"Alt").ok())
                    .and_then(|o| o.as_str().ok())
                    .map(|b| String::from_utf8_lossy(b).into_owned());
                found = text.is_some_and(|t| t.starts_with(&alt));
            }
            // An image is drawn into the unit square; a vector page (SVG) is clipped to its
            // rectangle first.
            "Do" if found => {
                let [a, b, c, d, e, f] = ctm;
                for (x, y) in [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)] {
                    points.push((a * x + c * y + e, b * x + d * y + f));
                }
            }
            "m" | "l" if found && op.operands.len() == 2 => {
                let (x, y) = (num(&op.operands[0])?, num(&op.operands[1])?);
                let [a, b, c, d, e, f] = ctm;
                points.push((a * x + c * y + e, b * x + d * y + f));
            }
            _ => {}
        }
        if points.len() == 4 {
            let xs = points.iter().map(|p| p.0);
            let ys = points.iter().map(|p| p.1);
            let (x0, x1) = (
                xs.clone().fold(f64::MAX, f64::min),
                xs.fold(f64::MIN, f64::max),
            );
            let (y0, y1) = (
                ys.clone().fold(f64::MAX, f64::min),
                ys.fold(f64::MIN, f64::max),
            );
            return Some([x0, height - y1, x1, height - y0]);
        }
    }
    None
}

/// What the protocol drew of page `page` of bilaga `number` on its page `at`, in grey: the
/// page rendered by poppler at 200 dpi, cut to where the bilaga's page was placed.
fn drawn_page(
    protocol: &Path,
    doc: &lopdf::Document,
    at: usize,
    number: usize,
    page: usize,
    tmp: &Path,
) -> Option<Grey> {
    let [x0, y0, x1, y1] = placement(doc, at, number, page)?;
    let p = at.to_string();
    let out = tmp.join(format!("protocol-{at}"));
    run(Command::new("pdftoppm")
        .args([
            "-gray",
            "-png",
            "-singlefile",
            "-r",
            "200",
            "-f",
            &p,
            "-l",
            &p,
        ])
        .arg(protocol)
        .arg(&out));
    let whole = Grey::read(&out.with_extension("png"));
    let px = |v: f64| (v * 200.0 / 72.0).round().max(0.0) as usize;
    let (x0, y0) = (px(x0).min(whole.width), px(y0).min(whole.height));
    let (x1, y1) = (px(x1).min(whole.width), px(y1).min(whole.height));
    let (width, height) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
    let mut pixels = Vec::with_capacity(width * height);
    for y in y0..y1 {
        pixels.extend_from_slice(&whole.pixels[y * whole.width + x0..y * whole.width + x1]);
    }
    (width > 0 && height > 0).then_some(Grey {
        width,
        height,
        pixels,
    })
}

/// Page `page` of `pdf` as poppler draws it, in grey, `width` × `height` pixels.
fn poppler_page(pdf: &Path, page: usize, width: usize, height: usize, tmp: &Path) -> Option<Grey> {
    let p = page.to_string();
    let out = tmp.join(format!("ref-{page}"));
    let ok = run(Command::new("pdftoppm")
        .args([
            "-gray",
            "-png",
            "-singlefile",
            "-cropbox",
            "-f",
            &p,
            "-l",
            &p,
        ])
        .args([
            "-scale-to-x",
            &width.to_string(),
            "-scale-to-y",
            &height.to_string(),
        ])
        .arg(pdf)
        .arg(&out));
    let png = out.with_extension("png");
    (ok && png.exists()).then(|| Grey::read(&png))
}

/// A built protocol, read once for all its bilagor.
pub struct Protocol {
    path: PathBuf,
    doc: lopdf::Document,
    texts: Vec<String>,
}

impl Protocol {
    pub fn read(path: &Path) -> Protocol {
        Protocol {
            path: path.to_owned(),
            doc: lopdf::Document::load(path).unwrap(),
            texts: pages(path),
        }
    }
}

/// A word of the original that the protocol does not draw.
#[derive(Debug)]
pub struct Lost {
    pub page: usize,
    pub word: String,
}

/// The words poppler draws on the pages of `source` that the protocol `protocol` does not
/// draw on the pages of bilaga `number` (id `id`) and no warning of that bilaga names the
/// page of. `Err`: the pages could not be compared (a page of words without an image).
pub fn lost_words(
    source: &Path,
    protocol: &Protocol,
    number: usize,
    id: &str,
    warnings: &str,
) -> Result<Vec<Lost>, String> {
    let tmp = tempfile::tempdir().unwrap();
    let (words, sizes) = source_words(source);
    let Protocol { path, doc, texts } = protocol;
    let heading = format!("Bilaga {number} till protokoll");
    // The protocol's page of each page of the bilaga, by its header and "Sida x (y)".
    let protocol_pages: Vec<(usize, usize)> = texts
        .iter()
        .zip(sida(texts))
        .enumerate()
        .filter(|(_, (text, _))| text.contains(&heading))
        .filter_map(|(i, (_, s))| Some((s?.0, i + 1)))
        .collect();
    let warned = |page: usize| {
        warnings
            .lines()
            .any(|l| l.contains(&format!("bilaga `{id}`")) && l.contains(&format!("page {page}:")))
    };
    let made = made_free_texts(source, &sizes);
    let mut lost = Vec::new();
    for (page, (w, h)) in sizes.iter().enumerate().map(|(i, s)| (i + 1, s)) {
        let on_page: Vec<&Word> = words.iter().filter(|x| x.page == page).collect();
        if on_page.is_empty() {
            continue;
        }
        let Some(&(_, at)) = protocol_pages.iter().find(|(p, _)| *p == page) else {
            return Err(format!("page {page} is not in the protocol"));
        };
        let Some(drawn) = drawn_page(path, doc, at, number, page, tmp.path()) else {
            return Err(format!("page {page}: not found on protocol page {at}"));
        };
        let Some(reference) = poppler_page(source, page, drawn.width, drawn.height, tmp.path())
        else {
            return Err(format!("page {page}: poppler cannot draw it"));
        };
        let (sx, sy) = (drawn.width as f64 / w, drawn.height as f64 / h);
        let px = |b: Bx| (b.0 * sx, b.1 * sy, b.2 * sx, b.3 * sy);
        // The words of each free text a viewer lays out itself, accounted in reading order.
        let areas: Vec<Bx> = made
            .iter()
            .filter(|(p, _)| *p == page)
            .map(|(_, r)| *r)
            .collect();
        let area_of = |word: &Word| {
            let (cx, cy) = ((word.x0 + word.x1) / 2.0, (word.y0 + word.y1) / 2.0);
            areas
                .iter()
                .position(|a| a.0 <= cx && cx <= a.2 && a.1 <= cy && cy <= a.3)
        };
        let mut laid_out: Vec<Vec<(&Word, Bx, f64)>> = vec![Vec::new(); areas.len()];
        for word in on_page {
            // A glyph without advance (an accent set over the next letter) gets a box of zero
            // width from poppler: widen it by half its height either side, so its ink is seen.
            let pad = if word.x1 - word.x0 < 1.0 {
                (word.y1 - word.y0) / 2.0
            } else {
                0.0
            };
            let (x0, x1) = (word.x0 - pad, word.x1 + pad);
            let b = (x0 * sx, word.y0 * sy, x1 * sx, word.y1 * sy);
            let shown = reference.spread(b.0, b.1, b.2, b.3);
            if shown < INK {
                continue;
            }
            if let Some(i) = area_of(word) {
                laid_out[i].push((word, b, shown));
                continue;
            }
            let kept = drawn.spread(b.0, b.1, b.2, b.3);
            if kept < shown * KEPT && !warned(page) {
                lost.push(Lost {
                    page,
                    word: word.text.clone(),
                });
            }
        }
        let sums = (!areas.is_empty()).then(|| Sums::of(&drawn));
        for (area, words) in areas.iter().zip(&laid_out) {
            let sums = sums.as_ref().unwrap();
            for word in in_reading_order(sums, px(*area), words) {
                if !warned(page) {
                    lost.push(Lost {
                        page,
                        word: word.text.clone(),
                    });
                }
            }
        }
    }
    Ok(lost)
}

/// The words of `pdf` with their boxes in points from the top left of the page as a viewer
/// shows it (its crop box, turned by its `/Rotate`), and each page's size so shown; none
/// when poppler cannot read the file.
fn source_words(pdf: &Path) -> (Vec<Word>, Vec<(f64, f64)>) {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-cropbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian package poppler-utils)");
    if !out.status.success() {
        return (Vec::new(), Vec::new());
    }
    let html = String::from_utf8_lossy(&out.stdout);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let at = tag.find(&key).map_or(0, |a| a + key.len());
        tag[at..].split('"').next().unwrap().parse().unwrap_or(0.0)
    };
    let turns = rotations(pdf);
    let (mut words, mut sizes) = (Vec::new(), Vec::new());
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            sizes.push((attr(line, "width"), attr(line, "height")));
        } else if let (true, Some(&(w, h))) = (line.starts_with("<word "), sizes.last()) {
            let text = line
                .split('>')
                .nth(1)
                .and_then(|t| t.split('<').next())
                .unwrap_or("")
                .to_owned();
            let (x0, y0, x1, y1) = (
                attr(line, "xMin"),
                attr(line, "yMin"),
                attr(line, "xMax"),
                attr(line, "yMax"),
            );
            let turn = turns.get(sizes.len() - 1).copied().unwrap_or(0);
            let (x0, y0, x1, y1) = turned(turn, (w, h), (x0, y0, x1, y1));
            words.push(Word {
                page: sizes.len(),
                text,
                x0,
                x1,
                y0,
                y1,
            });
        }
    }
    for (i, size) in sizes.iter_mut().enumerate() {
        if matches!(turns.get(i), Some(90 | 270)) {
            *size = (size.1, size.0);
        }
    }
    (words, sizes)
}

/// A box `(x0, y0, x1, y1)` in points from the top left of a page of `size` (as poppler
/// lists it, unturned), turned clockwise by `turn` degrees as a viewer turns the page.
fn turned(turn: u32, (w, h): (f64, f64), (x0, y0, x1, y1): Bx) -> Bx {
    match turn {
        90 => (h - y1, x0, h - y0, x1),
        180 => (w - x1, h - y1, w - x0, h - y0),
        270 => (y0, w - x1, y1, w - x0),
        _ => (x0, y0, x1, y1),
    }
}

type Bx = (f64, f64, f64, f64);

/// The rectangles of the free text annotations of `pdf` that have no appearance stream of
/// their own, by page (1-based), in points from the top left of the page as a viewer shows it
/// (its crop box, turned by `/Rotate`). A viewer lays out their `/Contents` itself, each in
/// its own way (poppler drops characters its font lacks, such as no-break spaces, and wraps
/// lines where pdf.js does not), so their words are accounted by [`in_reading_order`].
fn made_free_texts(pdf: &Path, sizes: &[(f64, f64)]) -> Vec<(usize, Bx)> {
    use lopdf::Object;
    let Ok(doc) = lopdf::Document::load(pdf) else {
        return Vec::new();
    };
    let turns = rotations(pdf);
    let resolve = |o: &Object| -> Option<Object> {
        match o {
            Object::Reference(id) => doc.get_object(*id).ok().cloned(),
            other => Some(other.clone()),
        }
    };
    let numbers = |o: &Object| -> Option<Vec<f64>> {
        let v: Vec<f64> = resolve(o)?
            .as_array()
            .ok()?
            .iter()
            .filter_map(|n| n.as_float().ok().map(f64::from))
            .collect();
        (v.len() == 4).then_some(v)
    };
    let mut out = Vec::new();
    for (n, id) in doc.get_pages() {
        let n = n as usize;
        let (Ok(page), Some(&(w, h))) = (doc.get_dictionary(id), sizes.get(n - 1)) else {
            continue;
        };
        // The crop box's top left, where poppler's coordinates start (inherited boxes and
        // broken ones: the page's origin).
        let bx = ["CropBox", "MediaBox"]
            .iter()
            .find_map(|k| page.get(k.as_bytes()).ok().and_then(numbers))
            .filter(|b| (b[2] - b[0]).abs() > 0.01 && (b[3] - b[1]).abs() > 0.01);
        let (left, top) = bx.map_or((0.0, h), |b| (b[0].min(b[2]), b[1].max(b[3])));
        let Some(Object::Array(annots)) = page.get(b"Annots").ok().and_then(resolve) else {
            continue;
        };
        for annot in annots.iter().filter_map(resolve) {
            let Ok(annot) = annot.as_dict() else { continue };
            let free_text = annot
                .get(b"Subtype")
                .ok()
                .and_then(|s| s.as_name().ok())
                .is_some_and(|s| s == b"FreeText");
            let appearance = annot
                .get(b"AP")
                .ok()
                .and_then(resolve)
                .and_then(|ap| ap.as_dict().ok().and_then(|d| d.get(b"N").ok().cloned()))
                .and_then(|n| resolve(&n))
                .is_some_and(|n| n.as_stream().is_ok());
            let Some(r) = annot.get(b"Rect").ok().and_then(numbers) else {
                continue;
            };
            if free_text && !appearance {
                let (x0, x1) = (r[0].min(r[2]) - left, r[0].max(r[2]) - left);
                let (y0, y1) = (top - r[1].max(r[3]), top - r[1].min(r[3]));
                let turn = turns.get(n - 1).copied().unwrap_or(0);
                out.push((n, turned(turn, (w, h), (x0, y0, x1, y1))));
            }
        }
    }
    out
}

/// Whether each of `words` (pixel boxes on the reference, with poppler's spread in each),
/// all inside one free text annotation of pixel rectangle `area` whose text a viewer lays out
/// itself, has ink of its own in the protocol's image (`drawn`, its sums): taken in poppler's order, a word is found at the
/// first place inside the annotation (line by line, left to right) where a box of its size
/// holds ink as a drawn word does and that touches no ink an earlier word was found at; it
/// is then aligned on that ink. A word not drawn finds no ink of its own, wherever the rest
/// is set. Returns the words not found.
fn in_reading_order<'w>(drawn: &Sums, area: Bx, words: &[(&'w Word, Bx, f64)]) -> Vec<&'w Word> {
    // Room around the ink of a word found, so the anti-aliased edge of its glyphs is not
    // taken as the next word's ink.
    const MARGIN: f64 = 3.0;
    let mut found: Vec<Bx> = Vec::new();
    let mut lost = Vec::new();
    for &(word, b, shown) in words {
        let (w, h) = (b.2 - b.0, b.3 - b.1);
        let free = |x: f64, y: f64| {
            found.iter().all(|f| {
                x + w <= f.0 - MARGIN
                    || x >= f.2 + MARGIN
                    || y + h <= f.1 - MARGIN
                    || y >= f.3 + MARGIN
            })
        };
        let spread = |x: f64, y: f64| drawn.spread(x, y, x + w, y + h);
        let step = (h / 4.0).max(1.0);
        // Every place a box of the word's size may take inside the annotation (at least one
        // in each direction, for a word wider or taller than it), line by line.
        let rows = ((area.3 - area.1) / step).floor().max(0.0) as usize;
        let columns = (area.2 - area.0 + 2.0 * MARGIN - w).floor().max(0.0) as usize;
        let places = (0..=rows).flat_map(|r| {
            (0..=columns).map(move |c| {
                (
                    area.0 - MARGIN + c as f64,
                    area.1 - h / 2.0 + r as f64 * step,
                )
            })
        });
        let Some((x, y)) = places
            .into_iter()
            .find(|&(x, y)| free(x, y) && spread(x, y) >= shown * KEPT)
        else {
            lost.push(word);
            continue;
        };
        // Aligned on the ink: the free box of most spread within a word's size of the first.
        let mut best = (spread(x, y), x, y);
        for r in 0..=((h / step) as usize) {
            for c in 0..=(w as usize) {
                let (cx, cy) = (x + c as f64, y + r as f64 * step);
                let s = spread(cx, cy);
                if s > best.0 && free(cx, cy) {
                    best = (s, cx, cy);
                }
            }
        }
        found.push((best.1, best.2, best.1 + w, best.2 + h));
    }
    lost
}

/// Sums of a grey image's values and of their squares over every rectangle from its top left
/// (a summed-area table), so a box's spread costs four looks, not a pass over its pixels.
struct Sums {
    width: usize,
    height: usize,
    sum: Vec<f64>,
    squares: Vec<f64>,
}

impl Sums {
    fn of(grey: &Grey) -> Sums {
        let (width, height) = (grey.width, grey.height);
        let mut sum = vec![0.0; (width + 1) * (height + 1)];
        let mut squares = sum.clone();
        for y in 0..height {
            let (mut row, mut row_sq) = (0.0, 0.0);
            for x in 0..width {
                let v = f64::from(grey.pixels[y * width + x]);
                row += v;
                row_sq += v * v;
                let at = (y + 1) * (width + 1) + x + 1;
                sum[at] = sum[at - width - 1] + row;
                squares[at] = squares[at - width - 1] + row_sq;
            }
        }
        Sums {
            width,
            height,
            sum,
            squares,
        }
    }

    /// As [`Grey::spread`]: the standard deviation of the values in the box, clamped.
    fn spread(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> f64 {
        let clamp = |v: f64, max: usize| (v.max(0.0) as usize).min(max);
        let (x0, x1) = (clamp(x0.floor(), self.width), clamp(x1.ceil(), self.width));
        let (y0, y1) = (
            clamp(y0.floor(), self.height),
            clamp(y1.ceil(), self.height),
        );
        if x1 <= x0 || y1 <= y0 {
            return 0.0;
        }
        let w = self.width + 1;
        let total = |t: &[f64]| t[y1 * w + x1] - t[y0 * w + x1] - t[y1 * w + x0] + t[y0 * w + x0];
        let n = ((x1 - x0) * (y1 - y0)) as f64;
        let (sum, sq) = (total(&self.sum), total(&self.squares));
        (sq / n - (sum / n).powi(2)).max(0.0).sqrt()
    }
}

/// Each page's `/Rotate` (0, 90, 180, 270), as `pdfinfo` reads it.
fn rotations(pdf: &Path) -> Vec<u32> {
    let out = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "100000"])
        .arg(pdf)
        .output()
        .expect("pdfinfo runs (Debian package poppler-utils)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" rot:"))
        .map(|l| {
            l.rsplit(' ')
                .next()
                .unwrap()
                .trim()
                .parse::<u32>()
                .unwrap_or(0)
                % 360
        })
        .collect()
}

/// Refusals the documentation promises (`docs/bilagor.md`, "Limits"): a file built or refused
/// so is as designed; any other failure is a defect.
const REFUSALS: [&str; 9] = [
    "is encrypted",
    "is not a readable PDF",
    "has no pages",
    "pages but only",
    "more than the 200 a bilaga may have",
    "cannot be converted",
    "is empty",
    // Content that does not match the extension (a text file named .pdf).
    "but its content is",
    // Over a cap on what drawing a page may cost (docs/limits.md).
    "(cap: ",
];

/// The PDF files of a folder, sorted.
pub fn pdf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    files
}

/// The vendored pdf.js test PDFs (`tests/corpora/pdf/pdfjs/`, Apache-2.0, licence beside
/// them) as the bilagor of one meeting: it builds, and every word poppler draws is drawn in
/// the protocol or its page named in a warning.
#[test]
fn every_word_of_the_pdf_corpus_is_drawn_or_its_page_warned() {
    let files = pdf_files(&repo().join("tests/corpora/pdf/pdfjs"));
    assert!(files.len() >= 10, "{} files", files.len());
    let (dir, out) = crate::docx_cases::build_with_bilagor_by(&files, None);
    let err = stderr(&out);
    assert!(out.status.success(), "not built:\n{err}");
    let pdf = Protocol::read(&dir.path().join("out.pdf"));
    let mut different = Vec::new();
    let mut counted = 0;
    for (i, f) in files.iter().enumerate() {
        let lost = lost_words(f, &pdf, i + 1, &format!("c{i}"), &err)
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        counted += usize::from(!source_words(f).0.is_empty());
        if !lost.is_empty() {
            different.push((f.file_name().unwrap().to_owned(), lost));
        }
    }
    assert!(counted >= 10, "{counted} files with words");
    assert!(
        different.is_empty(),
        "words poppler draws that the protocol does not, unwarned: {different:#?}"
    );
}

/// The accounting fails when a word is lost: the same page drawn without its text (a page
/// whose words poppler draws, the protocol's image of another page) is caught.
#[test]
fn the_pdf_accounting_sees_a_lost_word() {
    let files = pdf_files(&repo().join("tests/corpora/pdf/pdfjs"));
    let text = files
        .iter()
        .find(|f| f.ends_with("two_paragraphs.pdf"))
        .expect("two_paragraphs.pdf is vendored");
    let blank = files
        .iter()
        .find(|f| f.ends_with("empty.pdf"))
        .expect("empty.pdf is vendored");
    // Bilaga 1 is the blank page: accounting the text page against it loses every word.
    let (dir, out) = crate::docx_cases::build_with_bilagor_by(&[blank.clone(), text.clone()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = Protocol::read(&dir.path().join("out.pdf"));
    let lost = lost_words(text, &pdf, 1, "c0", "").unwrap();
    assert_eq!(lost.len(), 6, "{lost:?}");
    assert!(lost_words(text, &pdf, 2, "c1", "").unwrap().is_empty());
    // Named in a warning on its page, a loss is accounted.
    let warned = "warning: bilaga `c0` (`m/c0.pdf`): page 1: an image could not be decoded";
    assert!(lost_words(text, &pdf, 1, "c0", warned).unwrap().is_empty());
}

/// The corpus figures (a maintainer's run, `tests/corpora/pdf/README.md`): each PDF of the
/// folder `PDF_CORPUS` (default: the vendored one) built alone — built with every drawn word
/// accounted, built with words lost, refused as documented, not built. `ASSEMBLE_BIN` names
/// another build to measure (the figures before a change).
#[test]
#[ignore = "a maintainer's report: builds every corpus file alone"]
fn pdf_corpus_report() {
    let dir = std::env::var("PDF_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo().join("tests/corpora/pdf/pdfjs"));
    let bin = std::env::var("ASSEMBLE_BIN").ok().map(PathBuf::from);
    let files = pdf_files(&dir);
    let (mut faithful, mut different, mut refused, mut failed) =
        (0, Vec::new(), Vec::new(), Vec::new());
    let mut wordless = 0;
    for f in &files {
        let base = f.file_name().unwrap().to_string_lossy().into_owned();
        let (d, out) =
            crate::docx_cases::build_with_bilagor_by(std::slice::from_ref(f), bin.as_deref());
        let err = stderr(&out);
        if !out.status.success() {
            let why = err
                .lines()
                .find(|l| l.starts_with("error"))
                .unwrap_or("")
                .to_owned();
            if REFUSALS.iter().any(|r| why.contains(r)) {
                refused.push(format!("{base}: {why}"));
            } else {
                failed.push(format!("{base}: {why}"));
            }
            continue;
        }
        wordless += usize::from(source_words(f).0.is_empty());
        match lost_words(f, &Protocol::read(&d.path().join("out.pdf")), 1, "c0", &err) {
            Ok(lost) if lost.is_empty() => faithful += 1,
            Ok(lost) => different.push(format!(
                "{base}: {:?}",
                lost.iter()
                    .take(6)
                    .map(|l| format!("p{} {}", l.page, l.word))
                    .collect::<Vec<_>>()
            )),
            Err(e) => failed.push(format!("{base}: not comparable: {e}")),
        }
    }
    println!(
        "{}: {} files, {faithful} built with every drawn word accounted ({wordless} without words), {} built with words lost, {} refused as documented, {} not built",
        dir.display(),
        files.len(),
        different.len(),
        refused.len(),
        failed.len()
    );
    for d in different.iter().chain(&failed).chain(&refused) {
        println!("  {d}");
    }
}

/// A composite font that is not embedded and whose codes are its own glyph numbers
/// (Identity-H) may be drawn wrongly or not at all: its page is named in a warning, which
/// accounts for its words (pdf.js corpus, `issue2840.pdf`: Cyrillic in Arial,Bold, not drawn).
#[test]
fn a_font_not_embedded_with_identity_codes_is_named_with_its_page() {
    let (_d, _, err) = built_fixture("cases/pdf-identity-font");
    assert!(
        err.contains("warning: bilaga `b1` (`m/b.pdf`): page 1: text in the font `Arial,Bold` (Identity-encoded) is not embedded"),
        "{err}"
    );
}

/// A ticked checkbox whose state's appearance has no `/BBox` is not drawn by hayro (pdf.js
/// corpus, `checkbox-bad-appearance.pdf`): the field is named with its page, never lost
/// silently.
#[test]
fn a_checkbox_state_without_a_bbox_is_named_with_its_page() {
    let (_d, _, err) = built_fixture("cases/pdf-checkbox-state-without-bbox");
    assert!(
        err.contains("warning: bilaga `b1` (`m/b.pdf`): page 1: the state of form field `samtycke` cannot be drawn"),
        "{err}"
    );
}

/// A highlight whose appearance multiplies inside a transparency group of its own covered
/// the words it highlights in opaque yellow (hayro composites the group as isolated; pdf.js
/// corpus, `issue13242.pdf`): it is multiplied onto the page, and every word is drawn.
#[test]
fn highlighted_words_stay_readable_under_the_highlight() {
    let source = repo().join("tests/fixtures/cases/pdf-highlight-multiply/m/b.pdf");
    let (dir, out) = crate::docx_cases::build_with_bilagor_by(std::slice::from_ref(&source), None);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let pdf = Protocol::read(&dir.path().join("out.pdf"));
    let lost = lost_words(&source, &pdf, 1, "c0", &err).unwrap();
    assert!(lost.is_empty(), "{lost:?}");
    assert_eq!(source_words(&source).0.len(), 2);
}

/// A vendored pdf.js test file by name.
fn vendored(name: &str) -> PathBuf {
    let file = repo().join("tests/corpora/pdf/pdfjs").join(name);
    assert!(file.exists(), "{name} is vendored");
    file
}

/// `source` with the bytes `from` replaced by `to` (of the same length, so every offset
/// stays), written into `dir`.
fn altered(source: &Path, from: &[u8], to: &[u8], dir: &Path) -> PathBuf {
    assert_eq!(from.len(), to.len());
    let bytes = std::fs::read(source).unwrap();
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("the bytes are in the file");
    let mut out = bytes.clone();
    out[at..at + to.len()].copy_from_slice(to);
    let path = dir.join(source.file_name().unwrap());
    std::fs::write(&path, out).unwrap();
    path
}

/// An embedded TrueType subset whose last glyph's `loca` entry ends past its `glyf` table
/// (Aspose.Cells' padding, pdf.js's `issue4398.pdf`, where the "8", a composite of that glyph,
/// vanished): every digit is drawn, as poppler draws it, with no warning.
#[test]
fn a_truetype_glyph_ending_past_its_table_is_drawn() {
    let source = repo().join("tests/fixtures/cases/pdf-truetype-loca-past-glyf/m/b.pdf");
    let (dir, out) = crate::docx_cases::build_with_bilagor_by(std::slice::from_ref(&source), None);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        !err.contains("bilaga `c0` (`"),
        "no warning about its pages: {err}"
    );
    let pdf = Protocol::read(&dir.path().join("out.pdf"));
    let lost = lost_words(&source, &pdf, 1, "c0", &err).unwrap();
    assert!(lost.is_empty(), "{lost:?}");
    let words: Vec<String> = source_words(&source)
        .0
        .into_iter()
        .map(|w| w.text)
        .collect();
    assert!(
        words.ends_with(&["1".into(), "8".into(), "81".into()]),
        "{words:?}"
    );
}

/// A non-isolated transparency group that multiplies under a soft mask (pdf.js's
/// `nonisolated_blend_smask.pdf`) is drawn onto the page as viewers draw it: the word under its
/// tint stays visible. Drawn faded (`/ca 0.5` in force), it cannot be so drawn: its page is
/// named in a warning.
#[test]
fn a_group_that_blends_with_the_page_shows_what_lies_under_it_or_is_named() {
    let source = vendored("nonisolated_blend_smask.pdf");
    let tmp = tempfile::tempdir().unwrap();
    let faded = altered(
        &source,
        b"/FxText Do\n/FxAlpha Do",
        b"/Half gs /FxText Do   ",
        tmp.path(),
    );
    let (dir, out) =
        crate::docx_cases::build_with_bilagor_by(&[source.clone(), faded.clone()], None);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let pdf = Protocol::read(&dir.path().join("out.pdf"));
    let lost = lost_words(&source, &pdf, 1, "c0", &err).unwrap();
    assert!(lost.is_empty(), "{lost:?}");
    assert!(!err.contains("bilaga `c0` (`"), "{err}");
    assert!(
        err.contains("warning: bilaga `c1` (`m/c1.pdf`): page 1: a transparency group that blends with what lies under it is drawn as if on its own: colours there may differ and what it covers may be hidden (open the original to compare)"),
        "{err}"
    );
}

/// A free text annotation without an appearance is laid out by each viewer itself: its no-break
/// spaces (pdf.js's `bug1871353.pdf`: "A", nine of them, a space, "B") are kept on one line as
/// pdf.js draws them, where poppler drops them and sets "B" right after "A". Its words are
/// accounted in reading order inside the annotation, wherever they are set — and a word not
/// drawn (the same annotation without its "B") is still caught.
#[test]
fn a_free_text_is_accounted_where_it_is_set_and_a_lost_word_is_caught() {
    let source = vendored("bug1871353.pdf");
    let tmp = tempfile::tempdir().unwrap();
    let without_b = altered(&source, b"\x00 \x00B)", b"\x00 \x00 )", tmp.path());
    let (dir, out) = crate::docx_cases::build_with_bilagor_by(&[source.clone(), without_b], None);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let pdf = Protocol::read(&dir.path().join("out.pdf"));
    assert!(lost_words(&source, &pdf, 1, "c0", &err).unwrap().is_empty());
    let lost = lost_words(&source, &pdf, 2, "c1", &err).unwrap();
    let lost: Vec<&str> = lost.iter().map(|l| l.word.as_str()).collect();
    assert_eq!(lost, ["B"]);
}

/// Pages whose MediaBox or CropBox is not a box (pdf.js's `boundingBox_invalid.pdf`) are drawn
/// at the size viewers give them: US Letter for the media box, the media box for the crop box.
#[test]
fn pages_without_usable_boxes_are_drawn_at_the_size_viewers_give_them() {
    let source = vendored("boundingBox_invalid.pdf");
    let (dir, out) = crate::docx_cases::build_with_bilagor_by(std::slice::from_ref(&source), None);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let pdf = Protocol::read(&dir.path().join("out.pdf"));
    let lost = lost_words(&source, &pdf, 1, "c0", &err).unwrap();
    assert!(lost.is_empty(), "{lost:?}");
    // Width to height as placed: Letter, the 800 × 600 media box, the 600 × 800 one.
    let ratios: Vec<f64> = (1..=3)
        .map(|page| {
            let at = pdf.texts.iter().position(|t| {
                t.contains("Bilaga 1 till protokoll") && t.contains(&format!("Sida {page} ("))
            });
            let [x0, y0, x1, y1] = placement(&pdf.doc, at.unwrap() + 1, 1, page).unwrap();
            ((x1 - x0) / (y1 - y0) * 100.0).round() / 100.0
        })
        .collect();
    assert_eq!(ratios, [0.77, 1.33, 0.75]);
}

/// White words on light grey patches filled in a CalGray colour space (the construct of
/// pdf.js's `calgray.pdf`, whose "=" on the patch of 0.55 was drawn at under a third of
/// poppler's contrast): each patch keeps its own grey on the raster page, not the nearest of
/// the 8 tones (which made 0.55 to 0.75 one grey, nearer white), and every word is drawn,
/// with no warning.
#[test]
fn white_words_on_light_grey_patches_keep_their_contrast() {
    let source = repo().join("tests/fixtures/cases/pdf-calgray-light-patches/m/b.pdf");
    let (dir, out) = crate::docx_cases::build_with_bilagor_by(std::slice::from_ref(&source), None);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        !err.contains("bilaga `c0` (`"),
        "no warning about its pages: {err}"
    );
    let pdf = Protocol::read(&dir.path().join("out.pdf"));
    let lost = lost_words(&source, &pdf, 1, "c0", &err).unwrap();
    assert!(lost.is_empty(), "{lost:?}");
    let words = source_words(&source).0;
    assert_eq!(words.iter().filter(|w| w.text == "=").count(), 24);
}

/// Page `page` of bilaga `number` as the protocol `protocol` draws it, in grey at 200 dpi
/// (found as [`lost_words`] finds it: by its header and "Sida x (y)").
fn bilaga_page(protocol: &Protocol, number: usize, page: usize, tmp: &Path) -> Grey {
    let heading = format!("Bilaga {number} till protokoll");
    let at = protocol
        .texts
        .iter()
        .zip(sida(&protocol.texts))
        .position(|(text, s)| text.contains(&heading) && s.is_some_and(|s| s.0 == page))
        .expect("the bilaga's page is in the protocol")
        + 1;
    drawn_page(&protocol.path, &protocol.doc, at, number, page, tmp)
        .expect("the bilaga's page is placed on its protocol page")
}

/// What is drawn light on a page of text — a box of 0.95 grey, black words on one of 0.94, a word and
/// a line of 0.96 grey, a pale tint on a colour page, each far under the 1/128 of the page at
/// which a grey becomes a tone of its own — is drawn in the protocol, not made white by the
/// raster page's tones, whose lightest grey below white is 219 (`drawn_light` in
/// `src/bilaga/pdf/route.rs`).
#[test]
fn what_is_drawn_light_on_a_small_area_is_not_made_white() {
    let (_d, pdf, err) = built_fixture("cases/pdf-light-drawings");
    assert!(!err.contains("warning"), "{err}");
    let protocol = Protocol::read(&pdf);
    let tmp = tempfile::tempdir().unwrap();
    // A rectangle of the bilaga's A4 page (points, from its lower left corner) in its drawing.
    let (w, h) = (595.0, 842.0);
    let area = |g: &Grey, (x0, y0, x1, y1): (f64, f64, f64, f64)| {
        let (sx, sy) = (g.width as f64 / w, g.height as f64 / h);
        let (px0, px1) = ((x0 * sx) as usize, (x1 * sx) as usize);
        let (py0, py1) = (((h - y1) * sy) as usize, ((h - y0) * sy) as usize);
        let values: Vec<u8> = (py0..py1)
            .flat_map(|y| {
                g.pixels[y * g.width + px0..y * g.width + px1]
                    .iter()
                    .copied()
            })
            .collect();
        let mean = values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len() as f64;
        let (min, max) = (values.iter().min().unwrap(), values.iter().max().unwrap());
        (mean, *min, *max)
    };
    let first = bilaga_page(&protocol, 1, 1, tmp.path());
    // The small box of 0.95 grey (242), inside its edges.
    let (mean, _, _) = area(&first, (104.0, 604.0, 136.0, 621.0));
    assert!(
        (238.0..=246.0).contains(&mean),
        "the box of 0.95 grey: {mean}"
    );
    // The box of 0.94 grey (240) under black words, right of them; and no pixel of it, where
    // the words stand too, is made white (the edges of their glyphs on it).
    let (mean, _, _) = area(&first, (190.0, 523.0, 216.0, 537.0));
    assert!(
        (236.0..=244.0).contains(&mean),
        "the box under words: {mean}"
    );
    let (_, _, max) = area(&first, (101.0, 521.0, 219.0, 539.0));
    assert!(
        max <= 246,
        "a pixel of the box under words made white: {max}"
    );
    // UTKAST in 0.96 grey (245) and a line of it 0.5 pt wide: inked, lightly.
    let (_, min, _) = area(&first, (100.0, 420.0, 250.0, 446.0));
    assert!((238..=250).contains(&min), "the light grey word: {min}");
    let (_, min, _) = area(&first, (150.0, 378.0, 350.0, 382.0));
    assert!((238..=252).contains(&min), "the light grey line: {min}");
    // The pale tint on the second page (255 250 240: a grey of about 250).
    let second = bilaga_page(&protocol, 1, 2, tmp.path());
    let (mean, _, _) = area(&second, (104.0, 604.0, 136.0, 621.0));
    assert!((246.0..=252.0).contains(&mean), "the pale tint: {mean}");
}
