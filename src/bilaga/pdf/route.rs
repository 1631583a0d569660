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
//!   edges: 8 tones keep light grey visible and compress the edges ~2×).
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
    /// `tones` evenly spaced values (2–255; 0 keeps all 256).
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

/// Each channel value reduced to `tones` evenly spaced values (2–255; 0 or 1: unchanged).
fn tone_table(tones: u8) -> [u8; 256] {
    let mut table = [0u8; 256];
    for (v, t) in table.iter_mut().enumerate() {
        *t = v as u8;
        if tones >= 2 {
            let step = 255.0 / f32::from(tones - 1);
            *t = ((v as f32 / step).round() * step).round().min(255.0) as u8;
        }
    }
    table
}

/// The page drawn at `dpi` on white (with `cache`, the document's renderer cache), as PNG
/// (8-bit greyscale when every pixel is grey, else RGB), each channel reduced to `tones`
/// values (0: all). `None` if it cannot be encoded.
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
    // at as one array of four (no slice arithmetic per pixel), and the tones are a table:
    // a page is millions of pixels, and these loops are this crate's, built without
    // optimisation in the test and fuzz profiles (where per-pixel `chunks_exact` with its
    // checks, and a comparison per pixel, made one page take seconds: fuzz/README.md).
    let (pixels, _) = pixmap.data_as_u8_slice().as_chunks::<4>();
    let table = tone_table(tones);
    let tone = |v: u8| table[usize::from(v)];
    // The grey image and whether the page is grey, in one pass (most pages are): grey when
    // no pixel's channels differ, their differences ORed together, without a comparison
    // per pixel (each one is a call into the fuzzer in its build).
    let mut spread = 0u8;
    let grey: Vec<u8> = pixels
        .iter()
        .map(|&[r, g, b, _]| {
            let (r, g, b) = (tone(r), tone(g), tone(b));
            spread |= (r ^ g) | (g ^ b);
            r
        })
        .collect();
    let (colour, data): (png::ColorType, Vec<u8>) = if spread == 0 {
        (png::ColorType::Grayscale, grey)
    } else {
        let mut rgb = Vec::with_capacity(pixels.len() * 3);
        for &[r, g, b, _] in pixels {
            rgb.extend_from_slice(&[tone(r), tone(g), tone(b)]);
        }
        (png::ColorType::Rgb, rgb)
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
