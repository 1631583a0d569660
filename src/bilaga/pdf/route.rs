//! How a page of a PDF bilaga is made displayable — the routes measured in issue 14 — and
//! which one a page takes.
//!
//! - [`Route::Svg`]: hayro-svg's vector drawing (every glyph an outline, each outline defined
//!   once in `<defs>` and placed with `<use>`). Exact at any zoom, but Typst's SVG import
//!   resolves every `<use>` into a path of its own, so a page of text costs ~485 kB in the
//!   protocol and ~65 ms.
//! - [`Route::Raster`]: the page drawn by hayro's own rasteriser (the same interpreter as
//!   hayro-svg) at a stated resolution into a PNG, greyscale when the page has no colour,
//!   optionally with fewer tones per channel (text is black on white with anti-aliased
//!   edges: 8 tones keep light grey visible and compress the edges ~2×), the greys of the
//!   page's flat areas (a shading, a patch) kept as they are ([`tone_table`]), and what is
//!   drawn lighter than the lightest tone below white never made white ([`drawn_light`]).
//!
//! [`choose`] decides per page by what the page is: a page that shows text is rasterised at
//! 200 dpi in 8 tones (~134 kB a page instead of ~485 kB); a page without text operators (a
//! scan: one image) keeps the vector route, which carries the scan's own pixels unchanged
//! — a raster of a raster is larger and no better. See docs/benchmarks.md "PDF bilagor" for the
//! measured figures behind the choice; `benches/pdf_bilaga.rs` measures every route.

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::content::ops::TypedInstruction;
use hayro::hayro_syntax::page::Page;
use hayro::{RenderCache, RenderSettings};

/// How one page is converted.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Route {
    /// Vector SVG (hayro-svg), coordinates rounded to 0.01 pt.
    Svg,
    /// A PNG at `dpi` pixels per inch (capped at [`MAX_PIXELS`]), each channel reduced to
    /// `tones` evenly spaced values and the greys of the page's flat areas (2–255; 0 keeps
    /// all 256), never making white what is drawn light (`reduced`).
    Raster { dpi: f32, tones: u8 },
}

/// The largest raster drawn, in pixels (an A4 page at 300 dpi is 8.7 million): a page of
/// absurd size is drawn at a lower resolution rather than exhausting the memory.
pub(crate) const MAX_PIXELS: f64 = 16.0e6;

/// The raster route for a page of text: 200 dpi (print quality for body text), 8 tones.
pub(crate) const TEXT_PAGE: Route = Route::Raster {
    dpi: 200.0,
    tones: 8,
};

/// The policy, as text: part of the page cache's key, so that a change of policy or
/// resolution never reuses pages made under another.
pub(crate) const POLICY: &str = "text pages raster png 200 dpi 8 tones; pages without text svg";

/// The policy in force, as text for the page cache's key: [`POLICY`], or every page by
/// `forced` (benchmarks that compare the routes on the same pages,
/// [`super::PageOptions::route`]).
pub(crate) fn policy(forced: Option<Route>) -> String {
    match forced {
        Some(route) => format!("every page {route:?}"),
        None => POLICY.to_string(),
    }
}

/// The route for `page`: vectors for a page that shows text, a raster for one that does not
/// (a scan), where the vector route only wraps the same pixels in SVG; `forced` when given.
pub fn choose(page: &Page, forced: Option<Route>) -> Route {
    if let Some(route) = forced {
        return route;
    }
    if shows_text(page) {
        TEXT_PAGE
    } else {
        Route::Svg
    }
}

/// Whether the page's own content stream has a text-showing operator.
fn shows_text(page: &Page) -> bool {
    // A lending iterator (each instruction borrows it), so no `Iterator::any`.
    let mut ops = page.typed_operations();
    while let Some(op) = ops.next() {
        if matches!(
            op,
            TypedInstruction::ShowText(_)
                | TypedInstruction::ShowTexts(_)
                | TypedInstruction::NextLineAndShowText(_)
                | TypedInstruction::ShowTextWithParameters(_)
        ) {
            return true;
        }
    }
    false
}

/// The share of a page's pixels (one in this many) that one grey must cover, in flat areas,
/// to be a tone of its own: a background, a table's shading, a filled patch of about a
/// square inch on a page of A4, or a row of a table. (At most 128 greys can, so the tones
/// stay few.)
const FLAT_SHARE: usize = 128;

/// Every how many pixels one is looked at for the page's flat areas: enough to find an area
/// of [`FLAT_SHARE`] (thousands are looked at on any page of text), at a small part of the
/// cost of a pass over the page (in the test and fuzz profiles, where this crate's loops are
/// unoptimised, a pass costs a second; see [`raster_png`]). Prime, so that the pixels looked
/// at move across the columns from row to row.
const FLAT_SAMPLE: usize = 13;

/// The table that reduces each channel value to `tones` values (2–255; 0 or 1: every value
/// kept): the evenly spaced ones, and the greys of the page's flat areas as they are
/// ([`flat_tones`]). Each value becomes the nearest of them.
///
/// Evenly spaced tones alone move a flat area by up to half a step (18 of 255 in 8 tones),
/// and words on it can lose most of their contrast: in pdf.js's `calgray.pdf`, light grey
/// patches of 202 to 222 all became 219, and white words on the one of 202 (196 as poppler
/// draws it) stood 36 levels above it instead of 59, the thin strokes of an "=" at under a
/// third of the contrast poppler gives them. A flat area is one value in long runs, so
/// keeping it costs little: over the 416 text pages of the pdf.js corpus, 409 are unchanged
/// and the PNGs are 0.3 % larger in all, 15 % on `calgray.pdf`'s pages of twenty grey
/// patches. The tones are for the anti-aliased edges of glyphs, where they halve the size.
fn tone_table(tones: u8, flat: &[u8]) -> [u8; 256] {
    let mut table = [0u8; 256];
    for (v, t) in table.iter_mut().enumerate() {
        *t = v as u8;
    }
    if tones < 2 {
        return table;
    }
    let step = 255.0 / f32::from(tones - 1);
    let mut palette: Vec<u8> = (0..tones)
        .map(|i| (f32::from(i) * step).round().min(255.0) as u8)
        .chain(flat.iter().copied())
        .collect();
    palette.sort_unstable();
    palette.dedup();
    // Each value to the nearest tone: the tones in order, each taking the values up to the
    // midpoint between it and the next (a tie goes to the darker).
    let distance = |v: usize, tone: u8| v.abs_diff(usize::from(tone));
    let mut at = 0;
    for (v, t) in table.iter_mut().enumerate() {
        while at + 1 < palette.len() && distance(v, palette[at + 1]) < distance(v, palette[at]) {
            at += 1;
        }
        *t = palette[at];
    }
    table
}

/// The greys of the page's flat areas: each grey that at least one in [`FLAT_SHARE`] of
/// the pixels has where it equals its neighbour to the right (counted on a sample,
/// [`FLAT_SAMPLE`]). A pixel like its neighbour is inside an area of one colour; the
/// anti-aliased edges of glyphs, which the tones are for, are grades that rarely repeat. Only
/// greys: a flat colour keeps its place among the tones of each channel. (What is drawn
/// lighter than the lightest tone below white, of any size and colour, is kept by
/// [`drawn_light`].)
fn flat_tones(pixels: &[[u8; 4]]) -> Vec<u8> {
    let mut counts = [0usize; 256];
    let mut looked_at = 0;
    for pair in pixels.windows(2).step_by(FLAT_SAMPLE) {
        looked_at += 1;
        let [r, g, b, _] = pair[0];
        if pair[0] == pair[1] && r == g && g == b {
            counts[usize::from(r)] += 1;
        }
    }
    (0..=255u8)
        .filter(|&v| {
            let n = counts[usize::from(v)];
            n > 0 && n * FLAT_SHARE >= looked_at
        })
        .collect()
}

/// The page drawn at `dpi` on white (with `cache`, the document's renderer cache), as PNG
/// (8-bit greyscale when every pixel is grey, else RGB), each channel reduced to `tones`
/// values and the greys of its flat areas (0: all, [`tone_table`]), what is drawn light kept
/// as drawn ([`reduced`]). `None` if it cannot be encoded.
pub(crate) fn raster_png<'a>(
    page: &'a Page<'a>,
    cache: &RenderCache<'a>,
    dpi: f32,
    tones: u8,
    settings: &InterpreterSettings,
) -> Option<Vec<u8>> {
    let (w, h) = page.render_dimensions();
    let mut scale = f64::from(dpi) / 72.0;
    let pixels = f64::from(w) * f64::from(h) * scale * scale;
    if pixels > MAX_PIXELS {
        scale *= (MAX_PIXELS / pixels).sqrt();
    }
    let scale = scale as f32;
    let render = RenderSettings {
        x_scale: scale,
        y_scale: scale,
        bg_color: hayro::vello_cpu::color::palette::css::WHITE,
        ..RenderSettings::default()
    };
    let pixmap = hayro::render(page, cache, settings, &render);
    let (width, height) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    if width == 0 || height == 0 {
        return None;
    }
    // Opaque (drawn on white): premultiplied values are the colours. Each pixel is looked
    // at as one array of four (no slice arithmetic per pixel): a page is millions of pixels,
    // and these loops are this crate's, built without optimisation in the test and fuzz
    // profiles (where per-pixel `chunks_exact` with its checks, and a comparison per pixel,
    // made one page take seconds: fuzz/README.md).
    let (pixels, _) = pixmap.data_as_u8_slice().as_chunks::<4>();
    let (colour, data) = reduced(pixels, width as usize, tones);
    let colour = match colour {
        Colour::Grey => png::ColorType::Grayscale,
        Colour::Rgb => png::ColorType::Rgb,
    };
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(colour);
        encoder.set_depth(png::BitDepth::Eight);
        // The PNG is only carried to the PDF writer, which decodes it and compresses the
        // pixels its own way: what counts is encoding and decoding it fast. Unfiltered, at
        // zlib's fastest level, a page of text at 200 dpi in 8 tones is smaller (~265 kB
        // against ~320 kB) and ~5× faster to encode and ~2× faster to decode than
        // `Compression::Fast` (adaptive filters, fdeflate), measured on the pages of a
        // rendered protocol (issue 28).
        encoder.set_deflate_compression(png::DeflateCompression::Level(1));
        encoder.set_filter(png::Filter::NoFilter);
        let mut writer = encoder.write_header().ok()?;
        writer.write_image_data(&data).ok()?;
    }
    Some(out)
}

/// The kind of image [`reduced`] made of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Colour {
    /// One byte a pixel: every pixel is grey.
    Grey,
    /// Three bytes a pixel.
    Rgb,
}

/// The page's pixels (`width` a row, opaque RGBA) reduced to `tones` values a channel
/// ([`tone_table`]), as grey bytes when every pixel comes out grey, else as RGB.
///
/// The tones never make white what is drawn light on its own ([`drawn_light`]): such a
/// pixel is kept as drawn (the faint edge of ink on it takes its value). So a light grey box
/// or a pale tint of any size, a highlighter mark, light grey words and lines are shown as
/// drawn, while the faintest grades of the anti-aliased edges of darker glyphs and lines —
/// what the tones are for — become white as before. (A page whose only colour is a pale tint
/// is so a colour page: in the protocol a page of text in RGB is ~1.7× the same page in
/// grey.)
fn reduced(pixels: &[[u8; 4]], width: usize, tones: u8) -> (Colour, Vec<u8>) {
    // One table for the three channels, so that a grey stays grey.
    let flat = if tones >= 2 {
        flat_tones(pixels)
    } else {
        Vec::new()
    };
    let table = tone_table(tones, &flat);
    let tone = |v: u8| table[usize::from(v)];
    // The grey image, whether the page is grey and the pixels kept as drawn, in one pass
    // (most pages are grey): grey when no pixel's channels differ, their differences ORed
    // together. A pixel costs one comparison, more only when the tones make it white and it
    // is not white (each comparison is a call into the fuzzer in its build).
    let mut spread = 0u8;
    let mut kept = Vec::new();
    let mut grey = vec![0u8; pixels.len()];
    for (i, (out, &[r, g, b, _])) in grey.iter_mut().zip(pixels).enumerate() {
        let (mut tr, mut tg, mut tb) = (
            table[usize::from(r)],
            table[usize::from(g)],
            table[usize::from(b)],
        );
        if tr & tg & tb == 255
            && r & g & b != 255
            && let Some(light) = drawn_light(pixels, width, i, &table)
        {
            kept.push((i, light));
            [tr, tg, tb] = light;
        }
        spread |= (tr ^ tg) | (tg ^ tb);
        *out = tr;
    }
    if spread == 0 {
        return (Colour::Grey, grey);
    }
    let mut rgb = Vec::with_capacity(pixels.len() * 3);
    for &[r, g, b, _] in pixels {
        rgb.extend_from_slice(&[tone(r), tone(g), tone(b)]);
    }
    for (i, light) in kept {
        rgb[i * 3..i * 3 + 3].copy_from_slice(&light);
    }
    (Colour::Rgb, rgb)
}

/// The lightest channel value that [`drawn_light`] keeps from white: three levels below it.
/// Two levels from white are a luminance under 2 % below it, about the least difference the
/// eye tells apart on paper or a screen; what is drawn that light (the noise of a scan's
/// white paper) the tones may make white.
const VISIBLY_BELOW_WHITE: u8 = 252;

/// What the pixel at `i` (of a page `width` pixels a row), which `table` makes white,
/// shows when it is drawn light on its own; `None` when it is the faint edge of ink on white
/// paper, which the tones make white.
///
/// It is drawn light when some channel is visibly below white ([`VISIBLY_BELOW_WHITE`]) and
/// it does not touch both ink (a pixel `table` keeps below white) and white paper among the
/// pixels around it (the eight that touch it). The faintest grades of the edges of darker
/// glyphs and lines touch both: they lie between a pixel of ink and a pixel of paper, and
/// become white, as they did. A light area (a box of 0.95 grey, a cell's shading, a pale
/// tint or highlight, a light background) touches no ink inside it, and light words and
/// lines touch none: each keeps its value, with its own soft edges. Where dark words or lines
/// stand on a light area, the faint grades of their edges touch ink and the area, not paper:
/// each takes the lightest value around it — the area's, as on paper they take the paper's —
/// so the area stays whole around the glyphs, and is not made noisy by their edges.
fn drawn_light(pixels: &[[u8; 4]], width: usize, i: usize, table: &[u8; 256]) -> Option<[u8; 3]> {
    let [r, g, b, _] = pixels[i];
    if r.min(g).min(b) > VISIBLY_BELOW_WHITE {
        return None;
    }
    let height = pixels.len() / width;
    let (x, y) = (i % width, i / width);
    let (x0, x1) = (x.saturating_sub(1), (x + 1).min(width - 1));
    let (y0, y1) = (y.saturating_sub(1), (y + 1).min(height - 1));
    let (mut ink, mut paper) = (false, false);
    let (mut lightest, mut lightness) = ([r, g, b], 0);
    for row in y0..=y1 {
        for &[r, g, b, _] in &pixels[row * width + x0..=row * width + x1] {
            let toned = table[usize::from(r)] & table[usize::from(g)] & table[usize::from(b)];
            ink |= toned != 255;
            paper |= r & g & b == 255;
            if ink && paper {
                return None;
            }
            let sum = u16::from(r) + u16::from(g) + u16::from(b);
            if toned == 255 && sum > lightness {
                (lightest, lightness) = ([r, g, b], sum);
            }
        }
    }
    Some(if ink { lightest } else { [r, g, b] })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHITE: [u8; 4] = [255, 255, 255, 255];

    fn grey(v: u8) -> [u8; 4] {
        [v, v, v, 255]
    }

    /// A page of `width` × `height` white pixels with `drawn` set.
    fn page(width: usize, height: usize, drawn: &[((usize, usize), [u8; 4])]) -> Vec<[u8; 4]> {
        let mut pixels = vec![WHITE; width * height];
        for &((x, y), px) in drawn {
            pixels[y * width + x] = px;
        }
        pixels
    }

    #[test]
    fn the_raster_route_makes_the_faint_edges_of_ink_white() {
        // A black stem with an edge of 245 between it and the paper on either side.
        let drawn: Vec<_> = (0..8)
            .flat_map(|y| [((3, y), grey(245)), ((4, y), grey(0)), ((5, y), grey(245))])
            .collect();
        let (colour, out) = reduced(&page(9, 8, &drawn), 9, 8);
        assert_eq!(colour, Colour::Grey);
        assert!(
            out.chunks(9)
                .all(|row| row == [255, 255, 255, 255, 0, 255, 255, 255, 255])
        );
    }

    #[test]
    fn the_raster_route_keeps_a_small_light_box_light_with_words_on_it() {
        // A box of 242 (0.95 grey), 6 × 6 pixels, with a black pixel and its faint edge of
        // 240 in it; and a lone pixel of 254, as a scan's paper has.
        let mut drawn: Vec<_> = (2..8)
            .flat_map(|y| (2..8).map(move |x| ((x, y), grey(242))))
            .collect();
        drawn.extend([((4, 4), grey(0)), ((5, 4), grey(240)), ((10, 1), grey(254))]);
        // On a page of 200 × 100, far under the 1/128 of it at which a grey is a tone.
        let (colour, out) = reduced(&page(200, 100, &drawn), 200, 8);
        assert_eq!(colour, Colour::Grey);
        for ((x, y), _) in &drawn[..36] {
            let v = out[y * 200 + x];
            assert!(
                v == 242 || *y == 4 && (4..=5).contains(x),
                "({x}, {y}): {v}"
            );
        }
        assert_eq!(out[4 * 200 + 4], 0);
        assert_eq!(
            out[4 * 200 + 5],
            242,
            "an edge of ink on the box takes the box's grey"
        );
        assert_eq!(out[200 + 10], 255, "two levels below white are white");
    }

    #[test]
    fn the_raster_route_keeps_light_lines_and_pale_tints() {
        // A line of 246 one pixel wide with its edge of 250, and a pale tint.
        let mut drawn: Vec<_> = (0..10)
            .flat_map(|x| [((x, 2), grey(246)), ((x, 3), grey(250))])
            .collect();
        drawn.push(((4, 6), [255, 250, 240, 255]));
        let (colour, out) = reduced(&page(200, 100, &drawn), 200, 8);
        assert_eq!(colour, Colour::Rgb);
        assert_eq!(&out[(2 * 200 + 5) * 3..][..3], [246, 246, 246]);
        assert_eq!(&out[(3 * 200 + 5) * 3..][..3], [250, 250, 250]);
        assert_eq!(&out[(6 * 200 + 4) * 3..][..3], [255, 250, 240]);
    }
}
