//! PDF bilagor drawn as viewers draw them (issue 23 items 2 and 5): what the author hid
//! (NoView and Hidden annotations, optional content that is off, also through a `/VE`
//! visibility expression) is not drawn; annotations without an appearance, or with a broken
//! one, are drawn from their dictionaries or named in a warning; a CJK font that is not
//! embedded is named; a page without a usable MediaBox gets the size viewers give it.
//!
//! A bilaga's page is an image in the protocol, so these tests read the image back out of the
//! protocol PDF and look at its pixels where the original draws (or hides) something.

use std::path::Path;

use lopdf::{Document, Object, ObjectId};

use crate::common::*;

/// One page image of the protocol: its pixels as RGB.
struct Raster {
    width: usize,
    height: usize,
    rgb: Vec<[u8; 3]>,
}

impl Raster {
    /// The pixels inside the box `(x0, y0, x1, y1)` in the original page's points (y up), on
    /// a page of `size` points.
    fn region(&self, size: (f64, f64), b: (f64, f64, f64, f64)) -> Vec<[u8; 3]> {
        let sx = self.width as f64 / size.0;
        let sy = self.height as f64 / size.1;
        let (px0, px1) = ((b.0 * sx) as usize, (b.2 * sx) as usize);
        let (py0, py1) = (
            ((size.1 - b.3) * sy) as usize,
            ((size.1 - b.1) * sy) as usize,
        );
        let mut out = Vec::new();
        for y in py0..py1.min(self.height) {
            for x in px0..px1.min(self.width) {
                out.push(self.rgb[y * self.width + x]);
            }
        }
        out
    }

    /// How many pixels of the box are dark (text, black ink).
    fn dark(&self, size: (f64, f64), b: (f64, f64, f64, f64)) -> usize {
        self.region(size, b)
            .iter()
            .filter(|p| p.iter().all(|&c| c < 110))
            .count()
    }

    /// How many pixels of the box are mostly the colour `channel` (0 red, 1 green, 2 blue).
    fn coloured(&self, size: (f64, f64), b: (f64, f64, f64, f64), channel: usize) -> usize {
        self.region(size, b)
            .iter()
            .filter(|p| {
                p[channel] > 90
                    && (0..3)
                        .filter(|&c| c != channel)
                        .all(|c| u16::from(p[c]) + 60 < u16::from(p[channel]))
            })
            .count()
    }
}

/// The images each page of `pdf` draws (forms followed), in page order.
fn page_rasters(pdf: &Path) -> Vec<Vec<Raster>> {
    let doc = Document::load(pdf).unwrap();
    doc.get_pages()
        .into_values()
        .map(|page| {
            let mut out = Vec::new();
            let dict = doc.get_dictionary(page).unwrap();
            collect_images(&doc, dict, &mut out, 0);
            out
        })
        .collect()
}

fn collect_images(doc: &Document, owner: &lopdf::Dictionary, out: &mut Vec<Raster>, depth: u32) {
    if depth > 8 {
        return;
    }
    let resolve = |o: &Object| -> Option<Object> {
        match o {
            Object::Reference(id) => doc.get_object(*id).ok().cloned(),
            other => Some(other.clone()),
        }
    };
    let Some(Object::Dictionary(resources)) = owner.get(b"Resources").ok().and_then(resolve) else {
        return;
    };
    let Some(Object::Dictionary(xobjects)) = resources.get(b"XObject").ok().and_then(resolve)
    else {
        return;
    };
    for (_, x) in xobjects.iter() {
        let Object::Reference(id) = x else { continue };
        let Ok(Object::Stream(s)) = doc.get_object(*id) else {
            continue;
        };
        match s.dict.get(b"Subtype").and_then(|n| n.as_name()).ok() {
            Some(b"Image") => {
                if let Some(r) = raster(doc, *id) {
                    out.push(r);
                }
            }
            Some(b"Form") => collect_images(doc, &s.dict, out, depth + 1),
            _ => {}
        }
    }
}

fn raster(doc: &Document, id: ObjectId) -> Option<Raster> {
    let Ok(Object::Stream(s)) = doc.get_object(id) else {
        return None;
    };
    let width = s.dict.get(b"Width").ok()?.as_i64().ok()? as usize;
    let height = s.dict.get(b"Height").ok()?.as_i64().ok()? as usize;
    let data = s.decompressed_content().ok()?;
    let channels = data.len() / (width * height);
    if channels != 1 && channels != 3 {
        return None;
    }
    let rgb = data
        .chunks_exact(channels)
        .map(|p| {
            if channels == 1 {
                [p[0]; 3]
            } else {
                [p[0], p[1], p[2]]
            }
        })
        .collect();
    Some(Raster { width, height, rgb })
}

/// The page image of the last page of the protocol: the bilaga's (only) page.
fn last_page_image(pdf: &Path) -> Raster {
    page_rasters(pdf)
        .pop()
        .and_then(|mut images| images.pop())
        .expect("the bilaga's page is an image")
}

const A4: (f64, f64) = (595.0, 842.0);

#[test]
fn case_pdf_noview_widget_is_not_drawn() {
    let (_d, pdf, _) = built_fixture("cases/pdf-noview-widget");
    let page = last_page_image(&pdf);
    // The page's own text is drawn; the NoView field's "INTERN KOMMENTAR" is not.
    assert!(page.dark(A4, (72.0, 755.0, 300.0, 775.0)) > 100);
    assert_eq!(page.dark(A4, (72.0, 700.0, 272.0, 720.0)), 0);
}

#[test]
fn case_pdf_ocmd_visibility_expressions_show_rows_as_poppler_does() {
    let (_d, pdf, _) = built_fixture("cases/pdf-ocmd-visibility-expression");
    let page = last_page_image(&pdf);
    // Rows at y 760, 720, 680, 640, 600 (20 pt text): 1, 2 and 5 shown, 3 and 4 hidden.
    let row = |y: f64| page.dark(A4, (72.0, y - 4.0, 400.0, y + 16.0));
    let shown: Vec<bool> = [760.0, 720.0, 680.0, 640.0, 600.0]
        .iter()
        .map(|&y| row(y) > 100)
        .collect();
    assert_eq!(shown, [true, true, false, false, true]);
}

#[test]
fn case_pdf_annotations_without_appearance_are_drawn_from_their_dictionaries() {
    let (_d, pdf, err) = built_fixture("cases/pdf-annotations-without-appearance");
    assert!(!err.contains("annotation"), "all four are drawn: {err}");
    let page = last_page_image(&pdf);
    // Ink in blue, the square in red, the circle in green, the free text in black.
    assert!(page.coloured(A4, (70.0, 600.0, 300.0, 700.0), 2) > 100);
    assert!(page.coloured(A4, (70.0, 450.0, 300.0, 550.0), 0) > 100);
    assert!(page.coloured(A4, (350.0, 450.0, 500.0, 550.0), 1) > 100);
    // The square is an outline: its middle stays white.
    assert_eq!(page.coloured(A4, (120.0, 480.0, 250.0, 520.0), 0), 0);
    assert!(page.dark(A4, (70.0, 300.0, 500.0, 360.0)) > 100);
}

/// The fixture's bilagor, one page image each (the last page of the protocol is the last
/// bilaga's third page).
fn kinds() -> (tempfile::TempDir, Vec<Raster>, String) {
    let (dir, pdf, err) = built_fixture("pdf-shown");
    let images: Vec<Raster> = page_rasters(&pdf)
        .into_iter()
        .filter_map(|mut p| p.pop())
        .collect();
    (dir, images, err)
}

#[test]
fn hidden_noview_and_optional_content_off_annotations_are_not_drawn() {
    let (_d, images, _) = kinds();
    let page = &images[images.len() - 6];
    // Hidden (red), NoView (green), in a group that is off (blue): none drawn.
    assert_eq!(page.coloured(A4, (72.0, 600.0, 172.0, 700.0), 0), 0);
    assert_eq!(page.coloured(A4, (200.0, 600.0, 300.0, 700.0), 1), 0);
    assert_eq!(page.coloured(A4, (328.0, 600.0, 428.0, 700.0), 2), 0);
    assert_eq!(page.dark(A4, (72.0, 600.0, 428.0, 700.0)), 0);
    // The square that is shown is drawn.
    assert!(page.dark(A4, (72.0, 400.0, 172.0, 500.0)) > 1000);
}

#[test]
fn a_broken_appearance_is_drawn_from_the_dictionary_and_an_unknown_kind_is_named() {
    let (_d, images, err) = kinds();
    let page = &images[images.len() - 5];
    assert!(page.coloured(A4, (72.0, 600.0, 272.0, 700.0), 0) > 1000);
    assert!(page.coloured(A4, (72.0, 400.0, 272.0, 500.0), 2) > 100);
    assert!(
        err.contains(
            "warning: bilaga `trasiga` (`bilagor/trasiga.pdf`): page 1: a stamp annotation has no appearance of its own and is not drawn"
        ),
        "{err}"
    );
    let named = err.matches("has no appearance").count();
    assert_eq!(named, 1, "only the stamp: {err}");
}

#[test]
fn a_cjk_font_that_is_not_embedded_is_named_with_its_page() {
    let (_d, _, err) = kinds();
    assert!(
        err.contains("warning: bilaga `japansk` (`bilagor/japansk.pdf`): page 1: text in the font `KozMinPro-Regular` (Japanese) is not embedded"),
        "{err}"
    );
}

#[test]
fn a_page_without_a_usable_media_box_gets_the_default_size() {
    let (d, images, _) = kinds();
    // Three pages, each drawn at US Letter (the size viewers give such a page, not hayro's
    // A4), text on the first.
    let letter = (612.0, 792.0);
    let pages = &images[images.len() - 3..];
    for p in pages {
        let ratio = p.height as f64 / p.width as f64;
        assert!((ratio - 792.0 / 612.0).abs() < 0.01, "{ratio}");
    }
    assert!(pages[0].dark(letter, (72.0, 775.0, 300.0, 792.0)) > 100);
    let source = std::fs::read_to_string(d.path().join("meeting.toml")).unwrap();
    assert!(source.contains("utan-storlek.pdf"));
}

#[test]
fn a_hidden_annotation_that_cannot_be_left_out_alone_draws_no_annotation() {
    let (_d, images, err) = kinds();
    let page = &images[images.len() - 7];
    assert_eq!(page.coloured(A4, (72.0, 600.0, 172.0, 700.0), 0), 0);
    assert_eq!(page.dark(A4, (72.0, 400.0, 172.0, 500.0)), 0);
    assert!(page.dark(A4, (72.0, 775.0, 300.0, 795.0)) > 100);
    assert!(
        err.contains("warning: bilaga `inbaddad` (`bilagor/inbaddad.pdf`): its annotations are not drawn: some are hidden"),
        "{err}"
    );
}
