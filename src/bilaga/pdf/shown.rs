//! What a viewer shows of a PDF bilaga's page beyond what hayro draws by itself (issue 23,
//! items 2 and 5), made drawable in the copy hayro renders (never the attached original):
//!
//! - **Hidden stays hidden.** An annotation flagged Hidden or NoView, or whose optional
//!   content (`/OC`) is off, is not drawn (hayro skips only Hidden). Optional content is
//!   evaluated as poppler does: the default configuration's `/BaseState`, `/ON` and `/OFF`,
//!   a membership dictionary's `/VE` visibility expression (`/And`, `/Or`, `/Not`, nested)
//!   before its `/OCGs` and `/P` policy. hayro evaluates `/OCGs` and `/P` but not `/VE`: an
//!   OCMD with `/VE` gets a new version that hayro evaluates to the same visibility.
//! - **Annotations without an appearance** — ink, square, circle, free text — get one made
//!   from their dictionaries (`/InkList`, `/Rect`, `/C`, `/IC`, `/BS`, `/DA`, `/Contents`), as
//!   poppler draws them; so does one whose appearance is broken (missing, not a stream, no
//!   `/BBox`). Any other kind without an appearance is named in a warning with its page.
//! - **Fonts nobody has**: a CJK font that is not embedded is named in a warning with its page
//!   (hayro has no CJK font to draw it with), and so is any font that is not embedded whose
//!   codes are its own glyph numbers (`Identity-H`): no other font can draw them.
//!
//! Every change is a new version of an object, written as an incremental update by
//! [`super::widgets::incremental_update`].

use std::collections::HashSet;

use hayro_svg::hayro_syntax::Pdf;
use hayro_svg::hayro_syntax::object::{
    Array, Dict, MaybeRef, Name, Object, ObjectIdentifier, Rect,
};
use hayro_svg::hayro_syntax::xref::XRef;

/// Annotation flags (ISO 32000-1 §12.5.3): Hidden, NoView.
const HIDDEN: u32 = 2;
const NO_VIEW: u32 = 32;

/// The most annotations made drawable in one file, the most points of ink and the most
/// operations drawn for them all: each is an operation hayro draws, made here after
/// [`super::cost`] counted the file; past these, the rest is named in a warning.
const MAX_ANNOTATIONS: usize = 10_000;
const MAX_INK_POINTS: usize = 100_000;
const MAX_MADE_OPERATIONS: usize = 100_000;

/// How deep a visibility expression may nest (poppler stops at 50; real ones have 2 or 3).
const MAX_EXPRESSION_DEPTH: u32 = 16;

/// A new object version: its number, generation and the text between `obj` and `endobj`.
pub(crate) type Update = (i32, i32, String);

/// Which optional content groups are on in the default configuration.
pub(crate) struct OptionalContent<'x> {
    off: HashSet<ObjectIdentifier>,
    xref: &'x XRef,
}

impl<'x> OptionalContent<'x> {
    /// The default configuration (`/OCProperties /D`) of `pdf`'s catalog.
    pub(crate) fn of(pdf: &'x Pdf) -> Self {
        let xref = pdf.xref();
        let mut off = HashSet::new();
        let properties = xref
            .get::<Dict<'_>>(xref.root_id())
            .and_then(|c| c.get::<Dict<'_>>(b"OCProperties"));
        if let Some(properties) = properties
            && let Some(config) = properties.get::<Dict<'_>>(b"D")
        {
            let refs = |array: Option<Array<'_>>| -> Vec<ObjectIdentifier> {
                array
                    .map(|a| {
                        a.raw_iter()
                            .filter_map(|i| i.as_obj_ref())
                            .map(Into::into)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            if config.get::<Name<'_>>(b"BaseState").as_deref() == Some(b"OFF".as_slice()) {
                off.extend(refs(properties.get::<Array<'_>>(b"OCGs")));
            }
            for on in refs(config.get::<Array<'_>>(b"ON")) {
                off.remove(&on);
            }
            off.extend(refs(config.get::<Array<'_>>(b"OFF")));
        }
        OptionalContent { off, xref }
    }

    /// Whether content marked with the optional content dictionary `oc` (an OCG or an OCMD;
    /// `id` its object) is shown.
    pub(crate) fn visible(&self, oc: &Dict<'_>, id: Option<ObjectIdentifier>) -> bool {
        if oc.get::<Name<'_>>(b"Type").as_deref() != Some(b"OCMD".as_slice()) {
            return id.is_none_or(|id| !self.off.contains(&id));
        }
        if let Some(expression) = oc.get::<Array<'_>>(b"VE") {
            return self.expression(&expression, 0).unwrap_or(true);
        }
        let groups: Vec<ObjectIdentifier> = match oc.get::<Array<'_>>(b"OCGs") {
            Some(a) => a
                .raw_iter()
                .filter_map(|i| i.as_obj_ref())
                .map(Into::into)
                .collect(),
            None => oc.get_ref(b"OCGs").map(Into::into).into_iter().collect(),
        };
        if groups.is_empty() {
            return true;
        }
        let on = |g: &ObjectIdentifier| !self.off.contains(g);
        match oc.get::<Name<'_>>(b"P").as_deref() {
            Some(b"AllOn") => groups.iter().all(on),
            Some(b"AnyOff") => !groups.iter().all(on),
            Some(b"AllOff") => !groups.iter().any(on),
            _ => groups.iter().any(on),
        }
    }

    /// A visibility expression: `[/And e…]`, `[/Or e…]`, `[/Not e]`, each `e` an OCG or an
    /// expression. `None`: not one (poppler then shows the content).
    fn expression(&self, e: &Array<'_>, depth: u32) -> Option<bool> {
        if depth > MAX_EXPRESSION_DEPTH {
            return None;
        }
        let mut items = e.raw_iter();
        let op = match items.next()? {
            MaybeRef::NotRef(Object::Name(n)) => n,
            _ => return None,
        };
        let mut values = Vec::new();
        for item in items {
            let value = match item {
                MaybeRef::Ref(r) => {
                    let id: ObjectIdentifier = r.into();
                    match self.xref.get::<Array<'_>>(id) {
                        Some(inner) => self.expression(&inner, depth + 1)?,
                        None => !self.off.contains(&id),
                    }
                }
                MaybeRef::NotRef(Object::Array(inner)) => self.expression(&inner, depth + 1)?,
                _ => return None,
            };
            values.push(value);
        }
        match op.as_ref() {
            b"And" => Some(values.iter().all(|v| *v)),
            b"Or" => Some(values.iter().any(|v| *v)),
            b"Not" => values.first().map(|v| !v),
            _ => None,
        }
    }

    /// Whether an annotation or XObject dictionary's `/OC` leaves it shown.
    fn shows(&self, dict: &Dict<'_>) -> bool {
        match dict.get::<Dict<'_>>(b"OC") {
            Some(oc) => self.visible(&oc, dict.get_ref(b"OC").map(Into::into)),
            None => true,
        }
    }
}

/// Whether a viewer shows the annotation `annot` at all (its flags and optional content).
pub(crate) fn annotation_shown(annot: &Dict<'_>, oc: &OptionalContent<'_>) -> bool {
    let flags = annot.get::<u32>(b"F").unwrap_or(0);
    flags & (HIDDEN | NO_VIEW) == 0 && oc.shows(annot)
}

/// What to change so hayro draws what a viewer shows, and the warnings for what still is
/// not drawn. `next_object`: the first object number free for new objects. Widgets with a
/// state appearance are left to [`super::widgets`].
pub(crate) fn updates(pdf: &Pdf, next_object: i32) -> Shown {
    let oc = OptionalContent::of(pdf);
    let mut updates = Vec::new();
    let mut warnings = Vec::new();
    let mut hidden = HashSet::new();
    let mut hidden_inside = false;
    let mut next = next_object;
    let mut ink_points = 0usize;
    let mut made = 0usize;
    let mut made_operations = 0usize;
    if pdf.xref().has_optional_content_groups() {
        updates.extend(expressions(pdf, &oc));
    }
    for (i, page) in pdf.pages().iter().enumerate() {
        let n = i + 1;
        warnings.extend(cjk_fonts(page.raw(), n));
        if let Some(update) = default_size(pdf.xref(), page) {
            updates.push(update);
        }
        let Some(annots) = page.raw().get::<Array<'_>>(b"Annots") else {
            continue;
        };
        for (id, annot) in annotations(pdf, &annots) {
            let subtype = annot.get::<Name<'_>>(b"Subtype");
            let kind = subtype.as_deref().unwrap_or(b"");
            if !annotation_shown(&annot, &oc) {
                match id {
                    Some(id) => {
                        hidden.insert(id);
                        // Drawn by nobody: hayro skips a Hidden annotation.
                        updates.push((
                            id.obj_number,
                            id.gen_number,
                            format!(
                                "<< /Type /Annot /Subtype /{} /F 2 /Rect [0 0 0 0] >>",
                                name_text(kind)
                            ),
                        ));
                    }
                    // Written inside the page's /Annots: no object to replace. Nothing hidden
                    // is ever drawn, so no annotation is (said by the caller).
                    None => hidden_inside = true,
                }
                continue;
            }
            if kind == b"Highlight" && has_appearance(&annot) && made < MAX_ANNOTATIONS {
                if let Some(id) = id {
                    made += 1;
                    updates.extend(multiplied(&annot, id, &mut next));
                }
                continue;
            }
            if matches!(kind, b"Widget" | b"Link" | b"Popup") || has_appearance(&annot) {
                continue;
            }
            let Some(rect) = annot.get::<Rect>(b"Rect") else {
                continue;
            };
            let drawing = match kind {
                b"Ink" => ink(&annot, &mut ink_points),
                b"Square" => Some(square(&annot, rect, false)),
                b"Circle" => Some(square(&annot, rect, true)),
                b"FreeText" => Some(free_text(&annot, rect)),
                _ => None,
            };
            // Each line of a drawing made here is one operation or a few.
            let drawing = drawing.filter(|(content, _)| {
                made_operations += content.lines().count();
                made_operations <= MAX_MADE_OPERATIONS
            });
            let (Some((content, resources)), Some(id), true) =
                (drawing, id, made < MAX_ANNOTATIONS)
            else {
                warnings.push(format!(
                    "page {n}: {} annotation has no appearance of its own and is not drawn",
                    with_article(kind_name(kind))
                ));
                continue;
            };
            made += 1;
            let stream = next;
            next += 1;
            updates.push((
                stream,
                0,
                format!(
                    "<< /Type /XObject /Subtype /Form /BBox [{} {} {} {}] /Resources << {resources} >> /Length {} >>\nstream\n{content}\nendstream",
                    num(rect.x0),
                    num(rect.y0),
                    num(rect.x1),
                    num(rect.y1),
                    content.len() + 1
                ),
            ));
            updates.push((
                id.obj_number,
                id.gen_number,
                format!(
                    "<< /Type /Annot /Subtype /{} /F {} /Rect [{} {} {} {}] /AP << /N {stream} 0 R >> >>",
                    name_text(kind),
                    annot.get::<u32>(b"F").unwrap_or(0),
                    num(rect.x0),
                    num(rect.y0),
                    num(rect.x1),
                    num(rect.y1)
                ),
            ));
        }
    }
    Shown {
        updates,
        warnings,
        hidden,
        hidden_inside,
    }
}

/// The annotations of a page's `/Annots`, each with its object when it is one of its own.
/// (`Dict::obj_id` of a dictionary written inside the page is the page's object: never
/// rewrite that.)
pub(crate) fn annotations<'a>(
    pdf: &'a Pdf,
    annots: &Array<'a>,
) -> Vec<(Option<ObjectIdentifier>, Dict<'a>)> {
    annots
        .raw_iter()
        .filter_map(|item| match item {
            MaybeRef::Ref(r) => {
                let id: ObjectIdentifier = r.into();
                pdf.xref().get::<Dict<'_>>(id).map(|d| (Some(id), d))
            }
            MaybeRef::NotRef(Object::Dict(d)) => Some((None, d)),
            MaybeRef::NotRef(_) => None,
        })
        .collect()
}

/// What [`updates`] found.
pub(crate) struct Shown {
    /// New object versions for the drawn copy.
    pub(crate) updates: Vec<Update>,
    /// What is still not drawn, "page N: …".
    pub warnings: Vec<String>,
    /// The annotations left out as hidden.
    pub hidden: HashSet<ObjectIdentifier>,
    /// A hidden annotation is written inside a page (not an object of its own) and cannot be
    /// left out alone: no annotation may be drawn.
    pub(crate) hidden_inside: bool,
}

/// The size viewers give a page without a usable MediaBox: US Letter, 612 × 792 pt. pdf.js
/// resets an invalid media box to `LETTER_SIZE_MEDIABOX` (`src/core/document.js`) and poppler
/// starts every page from 8.5 × 11 in (`pdfinfo` gives such a page "612 x 792 pts (letter)");
/// hayro alone would take A4.
const DEFAULT_PAGE: Rect = Rect::new(0.0, 0.0, 612.0, 792.0);

/// A new version of a page whose size a viewer does not take from its boxes, with the boxes
/// a viewer uses (pdf.js's rules, which poppler shares): a MediaBox that is missing, empty,
/// all zero or not a box becomes [`DEFAULT_PAGE`]; a CropBox that is empty, not a box or
/// outside the media box becomes the media box. hayro took A4 for the first and clipped the
/// content to the empty box for the second, so the page came out blank or at another size.
/// The page's own entries are kept as written (the last of two equal keys is the one read).
fn default_size(xref: &XRef, page: &hayro_svg::hayro_syntax::page::Page<'_>) -> Option<Update> {
    let usable = |r: &Rect| r.width() >= 0.01 && r.height() >= 0.01;
    let media = inherited_box(xref, page.raw(), b"MediaBox")
        .filter(usable)
        .unwrap_or(DEFAULT_PAGE);
    // The crop box as written (hayro's own falls back on its A4).
    let crop = inherited_box(xref, page.raw(), b"CropBox")
        .map(|c| c.intersect(media))
        .filter(usable)
        .unwrap_or(media);
    let same = |a: Rect, b: Rect| {
        [a.x0 - b.x0, a.y0 - b.y0, a.x1 - b.x1, a.y1 - b.y1]
            .iter()
            .all(|d| d.abs() < 0.01)
    };
    if same(media, page.media_box()) && same(crop, page.intersected_crop_box()) {
        return None;
    }
    let id = page.raw().obj_id()?;
    let raw = String::from_utf8_lossy(page.raw().data()).into_owned();
    let inner = raw.trim();
    let inner = inner.strip_prefix("<<").unwrap_or(inner);
    let inner = inner.strip_suffix(">>").unwrap_or(inner);
    let bx = |r: Rect| format!("[{} {} {} {}]", num(r.x0), num(r.y0), num(r.x1), num(r.y1));
    Some((
        id.obj_number,
        id.gen_number,
        format!(
            "<<{inner}\n/MediaBox {} /CropBox {} >>",
            bx(media),
            bx(crop)
        ),
    ))
}

/// The page's box `key` (`MediaBox`, `CropBox`) as hayro reads it: its own, else the nearest
/// ancestor's that is a rectangle; `None` when there is none.
fn inherited_box(xref: &XRef, page: &Dict<'_>, key: &[u8]) -> Option<Rect> {
    let mut node = page.clone();
    // Bounded: a `/Parent` that loops back ends here.
    for _ in 0..64 {
        if let Some(r) = node.get::<Rect>(key) {
            return Some(r);
        }
        // Through the cross-reference table: a page's `get` does not resolve `/Parent`.
        node = xref.get::<Dict<'_>>(node.get_ref(b"Parent")?.into())?;
    }
    None
}

/// New versions of the OCMDs with a `/VE`, which hayro does not read, that hayro evaluates to
/// the visibility the expression gives: no `/OCGs` (shown), or the OCMD's own object under
/// `/AllOff` (never an OCG that is off: hidden).
fn expressions(pdf: &Pdf, oc: &OptionalContent<'_>) -> Vec<Update> {
    let mut out = Vec::new();
    for object in pdf.objects() {
        let Object::Dict(d) = object else { continue };
        if d.get::<Name<'_>>(b"Type").as_deref() != Some(b"OCMD".as_slice())
            || !d.contains_key(b"VE")
        {
            continue;
        }
        let Some(id) = d.obj_id() else { continue };
        let body = if oc.visible(&d, Some(id)) {
            "<< /Type /OCMD >>".to_owned()
        } else {
            format!(
                "<< /Type /OCMD /OCGs [{} {} R] /P /AllOff >>",
                id.obj_number, id.gen_number
            )
        };
        out.push((id.obj_number, id.gen_number, body));
        if out.len() >= MAX_ANNOTATIONS {
            break;
        }
    }
    out
}

/// A highlight drawn as viewers draw it, multiplied onto the page (the text under it stays
/// readable): its appearance painted with blend mode Multiply by a new form around it. An
/// appearance that multiplies inside a non-isolated transparency group of its own (Acrobat
/// writes such) is otherwise composited by hayro as if isolated, opaque yellow over the
/// text (pdf.js corpus, `issue13242.pdf`). The new form's box is the appearance's box as its
/// `/Matrix` places it, so the appearance lands where it did.
fn multiplied(annot: &Dict<'_>, id: ObjectIdentifier, next: &mut i32) -> Vec<Update> {
    let Some(ap) = annot.get::<Dict<'_>>(b"AP") else {
        return Vec::new();
    };
    let (Some(normal), Some(stream), Some(rect)) = (
        ap.get_ref(b"N"),
        ap.get::<hayro_svg::hayro_syntax::object::Stream<'_>>(b"N"),
        annot.get::<Rect>(b"Rect"),
    ) else {
        return Vec::new();
    };
    let Some([x0, y0, x1, y1]) = stream.dict().get::<[f32; 4]>(b"BBox") else {
        return Vec::new();
    };
    let [a, b, c, d, e, f] = stream
        .dict()
        .get::<[f32; 6]>(b"Matrix")
        .unwrap_or([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        .map(|(x, y)| (f64::from(a * x + c * y + e), f64::from(b * x + d * y + f)));
    let xs = corners.map(|p| p.0);
    let ys = corners.map(|p| p.1);
    let min = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
    let max = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
    let content = "/M gs /A Do";
    let form = *next;
    *next += 1;
    vec![
        (
            form,
            0,
            format!(
                "<< /Type /XObject /Subtype /Form /BBox [{} {} {} {}] /Resources << /ExtGState << /M << /BM /Multiply >> >> /XObject << /A {} {} R >> >> /Length {} >>\nstream\n{content}\nendstream",
                num(min(xs)),
                num(min(ys)),
                num(max(xs)),
                num(max(ys)),
                normal.obj_number,
                normal.gen_number,
                content.len() + 1
            ),
        ),
        (
            id.obj_number,
            id.gen_number,
            format!(
                "<< /Type /Annot /Subtype /Highlight /F {} /Rect [{} {} {} {}] /AP << /N {form} 0 R >> >>",
                annot.get::<u32>(b"F").unwrap_or(0),
                num(rect.x0),
                num(rect.y0),
                num(rect.x1),
                num(rect.y1)
            ),
        ),
    ]
}

/// Whether the annotation has a normal appearance hayro can draw: a stream with a `/BBox`
/// whose data decodes, or states (a widget's, drawn by [`super::widgets`]).
fn has_appearance(annot: &Dict<'_>) -> bool {
    let Some(ap) = annot.get::<Dict<'_>>(b"AP") else {
        return false;
    };
    match ap.get::<Object<'_>>(b"N") {
        Some(Object::Stream(s)) => {
            s.dict().get::<[f32; 4]>(b"BBox").is_some() && s.decoded().is_ok()
        }
        Some(Object::Dict(_)) => true,
        _ => false,
    }
}

/// The colour operators for `/C` (or `/IC`): `stroke` picks `G`/`RG`/`K`, else `g`/`rg`/`k`.
/// `None`: no colour (transparent), which draws nothing.
fn colour(annot: &Dict<'_>, key: &[u8], stroke: bool) -> Option<String> {
    let c: Vec<f32> = annot.get::<Array<'_>>(key)?.iter::<f32>().collect();
    let op = match (c.len(), stroke) {
        (1, true) => "G",
        (1, false) => "g",
        (3, true) => "RG",
        (3, false) => "rg",
        (4, true) => "K",
        (4, false) => "k",
        _ => return None,
    };
    let values: Vec<String> = c.iter().map(|v| num(f64::from(*v))).collect();
    Some(format!("{} {op}", values.join(" ")))
}

/// The border width: `/BS /W`, else the third of `/Border`, else 1.
fn border_width(annot: &Dict<'_>) -> f64 {
    annot
        .get::<Dict<'_>>(b"BS")
        .and_then(|bs| bs.get::<f32>(b"W"))
        .or_else(|| {
            annot
                .get::<Array<'_>>(b"Border")
                .and_then(|b| b.iter::<f32>().nth(2))
        })
        .map_or(1.0, f64::from)
        .clamp(0.0, 100.0)
}

/// An ink annotation: each stroked path of `/InkList` as straight segments.
fn ink(annot: &Dict<'_>, points: &mut usize) -> Option<(String, String)> {
    let stroke = colour(annot, b"C", true)?;
    let mut out = format!("{stroke} {} w 1 J 1 j\n", num(border_width(annot)));
    for path in annot.get::<Array<'_>>(b"InkList")?.iter::<Array<'_>>() {
        let xy: Vec<f32> = path.iter::<f32>().collect();
        *points += xy.len() / 2;
        if *points > MAX_INK_POINTS {
            return None;
        }
        for (k, p) in xy.chunks_exact(2).enumerate() {
            let op = if k == 0 { "m" } else { "l" };
            out.push_str(&format!(
                "{} {} {op}\n",
                num(f64::from(p[0])),
                num(f64::from(p[1]))
            ));
        }
        out.push_str("S\n");
    }
    Some((out, String::new()))
}

/// A square or circle annotation: the shape inside `/Rect` (inset by half the border),
/// stroked in `/C` and filled in `/IC`.
fn square(annot: &Dict<'_>, rect: Rect, circle: bool) -> (String, String) {
    let w = border_width(annot);
    let stroke = colour(annot, b"C", true).filter(|_| w > 0.0);
    let fill = colour(annot, b"IC", false);
    let (x0, y0) = (
        rect.x0.min(rect.x1) + w / 2.0,
        rect.y0.min(rect.y1) + w / 2.0,
    );
    let (x1, y1) = (
        rect.x0.max(rect.x1) - w / 2.0,
        rect.y0.max(rect.y1) - w / 2.0,
    );
    let mut out = String::new();
    if let Some(s) = &stroke {
        out.push_str(&format!("{s} {} w\n", num(w)));
    }
    if let Some(f) = &fill {
        out.push_str(&format!("{f}\n"));
    }
    if circle {
        // Four Bézier quarters; 0.5523 puts the control points on the tangents.
        let (cx, cy, rx, ry) = (
            (x0 + x1) / 2.0,
            (y0 + y1) / 2.0,
            (x1 - x0) / 2.0,
            (y1 - y0) / 2.0,
        );
        let (kx, ky) = (rx * 0.5523, ry * 0.5523);
        let p = |x: f64, y: f64| format!("{} {}", num(x), num(y));
        out.push_str(&format!(
            "{} m\n{} {} {} c\n{} {} {} c\n{} {} {} c\n{} {} {} c\n",
            p(cx + rx, cy),
            p(cx + rx, cy + ky),
            p(cx + kx, cy + ry),
            p(cx, cy + ry),
            p(cx - kx, cy + ry),
            p(cx - rx, cy + ky),
            p(cx - rx, cy),
            p(cx - rx, cy - ky),
            p(cx - kx, cy - ry),
            p(cx, cy - ry),
            p(cx + kx, cy - ry),
            p(cx + rx, cy - ky),
            p(cx + rx, cy)
        ));
    } else {
        out.push_str(&format!(
            "{} {} {} {} re\n",
            num(x0),
            num(y0),
            num(x1 - x0),
            num(y1 - y0)
        ));
    }
    out.push_str(match (stroke.is_some(), fill.is_some()) {
        (true, true) => "B\n",
        (true, false) => "S\n",
        (false, true) => "f\n",
        (false, false) => "n\n",
    });
    (out, String::new())
}

/// A free text annotation: `/Contents` in the size and colour of `/DA`, in Helvetica, from
/// the top left of `/Rect`, one line for each line of the text (long lines wrapped at the
/// width), clipped to the rectangle.
fn free_text(annot: &Dict<'_>, rect: Rect) -> (String, String) {
    let da = annot
        .get::<hayro_svg::hayro_syntax::object::String<'_>>(b"DA")
        .map(|s| String::from_utf8_lossy(s.as_bytes()).into_owned())
        .unwrap_or_default();
    let tokens: Vec<&str> = da.split_whitespace().collect();
    let size = tokens
        .iter()
        .position(|t| *t == "Tf")
        .and_then(|at| at.checked_sub(1))
        .and_then(|at| tokens[at].parse::<f64>().ok())
        .filter(|s| *s > 0.0 && *s < 500.0)
        .unwrap_or(12.0);
    // The colour operator of the DA with its operands, if it is one.
    let colour = tokens
        .iter()
        .rposition(|t| matches!(*t, "g" | "rg" | "k"))
        .and_then(|at| {
            let n = match tokens[at] {
                "g" => 1,
                "rg" => 3,
                _ => 4,
            };
            let from = at.checked_sub(n)?;
            tokens[from..at]
                .iter()
                .all(|t| t.parse::<f64>().is_ok())
                .then(|| tokens[from..=at].join(" "))
        })
        .unwrap_or_else(|| "0 g".to_owned());
    let text = annot
        .get::<hayro_svg::hayro_syntax::object::String<'_>>(b"Contents")
        .map(|s| text_string(s.as_bytes()))
        .unwrap_or_default();
    let (x0, y0) = (rect.x0.min(rect.x1), rect.y0.min(rect.y1));
    let (x1, y1) = (rect.x0.max(rect.x1), rect.y0.max(rect.y1));
    // The width a line may take, in thousandths of the font size (Helvetica's metrics).
    let room = (x1 - x0 - 4.0) / size * 1000.0;
    let mut out = format!(
        "q {} {} {} {} re W n\nBT /Helv {} Tf {colour} {} TL {} {} Td\n",
        num(x0),
        num(y0),
        num(x1 - x0),
        num(y1 - y0),
        num(size),
        num(size * 1.15),
        num(x0 + 2.0),
        num(y1 - 2.0 - size)
    );
    // A line ends at CR, LF or CR LF, as pdf.js splits it (Acrobat writes CR).
    let lines = text.split("\r\n").flat_map(|l| l.split(['\r', '\n']));
    for line in lines.flat_map(|l| wrap(l, room)).take(1_000) {
        out.push_str(&format!("{} Tj T*\n", win_ansi(&line)));
    }
    out.push_str("ET Q\n");
    let resources =
        "/Font << /Helv << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >>"
            .to_owned();
    (out, resources)
}

/// `line` in lines no wider than `room` (thousandths of the font size, in Helvetica), broken
/// at spaces where it can be; a no-break space never breaks a line.
fn wrap(line: &str, room: f64) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        if !current.is_empty() && helvetica_width(&current) + 278.0 + helvetica_width(word) > room {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push(current);
    out
}

/// The advance width of `text` set in Helvetica as [`win_ansi`] writes it, in thousandths of
/// the font size.
fn helvetica_width(text: &str) -> f64 {
    text.chars()
        .map(|c| f64::from(HELVETICA[usize::from(win_ansi_code(c).max(32)) - 32]))
        .sum()
}

/// Helvetica's advance widths (Adobe's Core 14 AFM, free for any use) of the WinAnsiEncoding
/// codes 32–255, in thousandths of the font size; 0 for the codes it leaves undefined, which
/// [`win_ansi`] never writes. (0xA0, the no-break space, is a space.)
#[rustfmt::skip]
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// A PDF text string (UTF-16BE with its mark, or PDFDocEncoding, read as Latin-1) as text.
pub(crate) fn text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// `text` as a PDF string in WinAnsiEncoding (Helvetica's), a character it lacks as `?`.
fn win_ansi(text: &str) -> String {
    let mut out = String::from("(");
    for c in text.chars() {
        match win_ansi_code(c) {
            byte @ (b'(' | b')' | b'\\') => {
                out.push('\\');
                out.push(char::from(byte));
            }
            byte @ b' '..=b'~' => out.push(char::from(byte)),
            byte => out.push_str(&format!("\\{byte:03o}")),
        }
    }
    out.push(')');
    out
}

/// The WinAnsiEncoding code of `c`, `?` for a character it lacks.
fn win_ansi_code(c: char) -> u8 {
    match c {
        ' '..='~' | '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        _ => b'?',
    }
}

/// Warnings for the CJK fonts of a page that are not embedded, and for the composite fonts
/// that are not embedded whose codes are glyph numbers (Identity).
fn cjk_fonts(page: &Dict<'_>, n: usize) -> Vec<String> {
    let Some(fonts) = page
        .get::<Dict<'_>>(b"Resources")
        .and_then(|r| r.get::<Dict<'_>>(b"Font"))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in fonts.keys() {
        let Some(font) = fonts.get::<Dict<'_>>(key.as_ref()) else {
            continue;
        };
        if font.get::<Name<'_>>(b"Subtype").as_deref() != Some(b"Type0".as_slice()) {
            continue;
        }
        let Some(cid) = font
            .get::<Array<'_>>(b"DescendantFonts")
            .and_then(|d| d.iter::<Dict<'_>>().next())
        else {
            continue;
        };
        let embedded = cid.get::<Dict<'_>>(b"FontDescriptor").is_some_and(|d| {
            d.contains_key(b"FontFile")
                || d.contains_key(b"FontFile2")
                || d.contains_key(b"FontFile3")
        });
        if embedded {
            continue;
        }
        let ordering = cid
            .get::<Dict<'_>>(b"CIDSystemInfo")
            .and_then(|i| i.get::<hayro_svg::hayro_syntax::object::String<'_>>(b"Ordering"))
            .map(|o| o.as_bytes().to_vec())
            .unwrap_or_default();
        let encoding = font
            .get::<Name<'_>>(b"Encoding")
            .map(|e| e.as_ref().to_vec())
            .unwrap_or_default();
        let language = match ordering.as_slice() {
            b"Japan1" => Some("Japanese"),
            b"GB1" => Some("Chinese (simplified)"),
            b"CNS1" => Some("Chinese (traditional)"),
            b"Korea1" | b"KR" => Some("Korean"),
            _ => cjk_cmap(&encoding).or_else(|| {
                // Codes that are glyph numbers of the missing font itself (Identity-H/V):
                // only the `ToUnicode` map says what they are, and hayro draws nothing where
                // its fallback font lacks the character (pdf.js corpus: Cyrillic in
                // Arial,Bold) or draws it spaced wrongly.
                encoding
                    .starts_with(b"Identity")
                    .then_some("Identity-encoded")
            }),
        };
        let Some(language) = language else { continue };
        let base = font
            .get::<Name<'_>>(b"BaseFont")
            .map(|b| {
                String::from_utf8_lossy(b.as_ref())
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(60)
                    .collect::<String>()
            })
            .unwrap_or_else(|| "utan namn".to_owned());
        out.push(format!(
            "page {n}: text in the font `{base}` ({language}) is not embedded in the PDF and no such font is at hand: it is drawn wrongly or not at all (open the original to read it, or ask for a PDF with its fonts embedded)"
        ));
    }
    out
}

/// The language of a predefined CJK CMap's name (ISO 32000-1 Table 118).
fn cjk_cmap(name: &[u8]) -> Option<&'static str> {
    let name = String::from_utf8_lossy(name);
    let starts = |p: &[&str]| p.iter().any(|x| name.starts_with(x));
    if starts(&[
        "UniJIS", "90ms", "90pv", "83pv", "Add-", "EUC-", "Ext-", "NWP-",
    ]) || name == "H"
        || name == "V"
    {
        return Some("Japanese");
    }
    if starts(&["UniGB", "GB", "GBK", "GBpc"]) {
        return Some("Chinese (simplified)");
    }
    if starts(&["UniCNS", "B5", "ETen", "ETHK", "HKscs", "CNS"]) {
        return Some("Chinese (traditional)");
    }
    if starts(&["UniKS", "KSC"]) {
        return Some("Korean");
    }
    None
}

/// An annotation kind as a name in PDF syntax (letters and digits only).
fn name_text(kind: &[u8]) -> String {
    let s: String = kind
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|&b| char::from(b))
        .take(40)
        .collect();
    if s.is_empty() { "Unknown".into() } else { s }
}

/// The kind as a message names it: "ink", "square", "free text", "text (note)".
fn kind_name(kind: &[u8]) -> String {
    match kind {
        b"FreeText" => "free text".into(),
        b"Text" => "text (note)".into(),
        b"" => "unnamed".into(),
        k => name_text(k).to_lowercase(),
    }
}

fn with_article(kind: String) -> String {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {kind}")
    } else {
        format!("a {kind}")
    }
}

fn num(v: f64) -> String {
    if v.is_finite() {
        let s = format!("{v:.3}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s.is_empty() || s == "-" {
            "0".into()
        } else {
            s.into()
        }
    } else {
        "0".into()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// OCG 4 is on, 5 is off (`/D /OFF`); OCMDs 6–9 with visibility expressions, nested and
    /// through an indirect array (10).
    const OCMDS: &[u8] = b"%PDF-1.7\n\
1 0 obj << /Type /Catalog /Pages 2 0 R /OCProperties << /OCGs [4 0 R 5 0 R] /D << /OFF [5 0 R] >> >> >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >> endobj\n\
4 0 obj << /Type /OCG /Name (A) >> endobj\n\
5 0 obj << /Type /OCG /Name (B) >> endobj\n\
6 0 obj << /Type /OCMD /OCGs [5 0 R] /VE [/And 4 0 R [/Not 5 0 R]] >> endobj\n\
7 0 obj << /Type /OCMD /VE [/Or 5 0 R [/Not 4 0 R]] >> endobj\n\
8 0 obj << /Type /OCMD /VE [/Not 10 0 R] >> endobj\n\
9 0 obj << /Type /OCMD /OCGs [4 0 R 5 0 R] /P /AllOn >> endobj\n\
10 0 obj [/Or 5 0 R 4 0 R] endobj\n\
trailer << /Root 1 0 R >>\n%%EOF\n";

    #[test]
    fn visibility_expressions_decide_before_the_policy() {
        let pdf = Pdf::new(Arc::new(OCMDS.to_vec())).unwrap();
        let oc = OptionalContent::of(&pdf);
        let visible = |n: i32| {
            let id = ObjectIdentifier::new(n, 0);
            let d = pdf.xref().get::<Dict<'_>>(id).unwrap();
            oc.visible(&d, Some(id))
        };
        assert_eq!(
            (4..=9).map(visible).collect::<Vec<_>>(),
            [true, false, true, false, false, false]
        );
    }

    /// Page 3 inherits its MediaBox from the page tree; page 4 has none anywhere but its
    /// CropBox; page 5's CropBox lies outside its MediaBox.
    const BOXES: &[u8] = b"%PDF-1.7\n\
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R 6 0 R] /Count 3 /MediaBox [0 0 200 100] >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n\
6 0 obj << /Type /Pages /Parent 2 0 R /Kids [4 0 R 5 0 R] /Count 2 /MediaBox [0 0 0 0] >> endobj\n\
4 0 obj << /Type /Page /Parent 6 0 R /CropBox [10 10 300 400] >> endobj\n\
5 0 obj << /Type /Page /Parent 6 0 R /MediaBox [0 0 300 300] /CropBox [400 400 500 500] >> endobj\n\
trailer << /Root 1 0 R >>\n%%EOF\n";

    #[test]
    fn pages_get_the_boxes_viewers_give_them_inherited_ones_kept() {
        let pdf = Pdf::new(Arc::new(BOXES.to_vec())).unwrap();
        let sizes: Vec<Option<String>> = pdf
            .pages()
            .iter()
            .map(|p| {
                default_size(pdf.xref(), p)
                    .map(|(.., body)| body[body.rfind("/MediaBox").unwrap()..].to_owned())
            })
            .collect();
        assert_eq!(
            sizes,
            [
                None,
                Some("/MediaBox [0 0 612 792] /CropBox [10 10 300 400] >>".to_owned()),
                Some("/MediaBox [0 0 300 300] /CropBox [0 0 300 300] >>".to_owned()),
            ]
        );
    }

    #[test]
    fn free_text_is_written_in_win_ansi_with_its_parentheses_escaped() {
        assert_eq!(win_ansi("Å (x) – €"), "(\\305 \\(x\\) \\226 \\200)");
        assert_eq!(win_ansi("ł"), "(?)");
        // "ett två" is 2,724 thousandths wide in Helvetica, "ett två tre" 4,169.
        assert_eq!(wrap("ett två tre", 4_000.0), ["ett två", "tre"]);
        // No-break spaces hold a line together (pdf.js's bug1871353: "A", nine of them, a
        // space and "B" in a box 47.55 pt wide at 10 pt).
        let a_b = "A\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0} B";
        assert_eq!(wrap(a_b, 4_355.0), [a_b]);
        assert_eq!(helvetica_width(a_b), 4_114.0);
    }
}
