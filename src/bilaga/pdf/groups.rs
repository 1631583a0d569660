//! Transparency groups that blend with what lies under them (issue 23, item 5), drawn as
//! viewers draw them, or named in a warning with their page.
//!
//! A non-isolated group (a form XObject with `/Group << /S /Transparency >>` and no `/I true`)
//! composites its contents onto the page beneath it, so a blend mode inside it (a highlight's
//! Multiply) darkens the page's own text. hayro composites every group as isolated — onto
//! nothing — so such a Multiply comes out as opaque colour over the text (pdf.js corpus,
//! `nonisolated_blend_smask.pdf`: the word "Hidden" covered by a purple box that poppler
//! and pdf.js show as a tint over it).
//!
//! The PDF Reference (1.7, §7.3.3 "Group Compositing Computations") says when a group is the
//! same as its contents drawn without it: the group is non-isolated and non-knockout (as the
//! page is), and it is composited in the Normal blend mode with shape and opacity 1 — no
//! `/BM`, `/ca` or `/SMask` in force where it is drawn. Such a group loses its `/Group` in the
//! copy hayro draws, which then draws its contents onto the page as viewers do. One drawn
//! otherwise (faded, masked or blended itself), or a knockout group, cannot be so rewritten:
//! its page is named in a warning. A group whose contents use only the Normal blend mode looks
//! the same isolated or not and is left alone.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use hayro_svg::hayro_syntax::Pdf;
use hayro_svg::hayro_syntax::content::TypedIter;
use hayro_svg::hayro_syntax::content::ops::TypedInstruction;
use hayro_svg::hayro_syntax::object::{Dict, Name, Object, ObjectIdentifier, Stream};
use hayro_svg::hayro_syntax::page::Resources;

use super::shown::Update;
use super::widgets::hex_stream;
use crate::bilaga::limits::PDF_NESTING;

/// What is in force where something is drawn, as far as compositing a group goes.
#[derive(Debug, Clone, Copy, Default)]
struct State {
    /// A blend mode other than Normal (`/BM`).
    blended: bool,
    /// A fill opacity below 1 (`/ca`).
    faded: bool,
    /// A soft mask (`/SMask`).
    masked: bool,
}

impl State {
    /// Normal blend mode, opacity 1, no soft mask: a non-isolated group drawn so is its
    /// contents drawn directly.
    fn plain(self) -> bool {
        !(self.blended || self.faded || self.masked)
    }

    /// After `gs` with the parameter dictionary `gs`.
    fn with(mut self, gs: &Dict<'_>) -> State {
        match gs.get::<Object<'_>>(b"BM") {
            Some(Object::Name(n)) => self.blended = !normal(n.as_ref()),
            // An array: the first mode the reader knows; all known here.
            Some(Object::Array(a)) => {
                self.blended = a
                    .iter::<Name<'_>>()
                    .next()
                    .is_some_and(|n| !normal(n.as_ref()));
            }
            _ => {}
        }
        if let Some(ca) = gs.get::<f32>(b"ca") {
            self.faded = ca < 1.0;
        }
        match gs.get::<Object<'_>>(b"SMask") {
            Some(Object::Dict(_)) => self.masked = true,
            Some(Object::Name(_)) => self.masked = false,
            _ => {}
        }
        self
    }
}

fn normal(mode: &[u8]) -> bool {
    matches!(mode, b"Normal" | b"Compatible")
}

/// The forms that are non-isolated groups blending inside, each with every page it is drawn
/// on and whether it was drawn plainly there.
#[derive(Default)]
struct Walk {
    uses: HashMap<ObjectIdentifier, Vec<(usize, bool)>>,
    /// Decoded form streams, by object.
    streams: HashMap<ObjectIdentifier, Rc<[u8]>>,
}

impl Walk {
    /// Walks `data` drawn on page `page` with `state` in force; whether anything in it is
    /// drawn in a blend mode other than Normal onto what lies beneath the stream (through
    /// forms that are not isolated groups).
    fn stream(
        &mut self,
        data: &[u8],
        resources: &Resources<'_>,
        state: State,
        page: usize,
        depth: u32,
    ) -> bool {
        // Deeper nesting was refused by [`super::cost`] before anything is drawn.
        if PDF_NESTING.over(u64::from(depth)) {
            return false;
        }
        let mut blends = false;
        let (mut state, mut saved) = (state, Vec::new());
        let mut ops = TypedIter::new(data);
        while let Some(op) = ops.next() {
            match op {
                TypedInstruction::SaveState(_) => saved.push(state),
                TypedInstruction::RestoreState(_) => state = saved.pop().unwrap_or(state),
                TypedInstruction::SetGraphicsState(name) => {
                    if let Some(gs) = resources.get_ext_g_state(name.0) {
                        state = state.with(&gs);
                        blends |= state.blended;
                    }
                }
                TypedInstruction::XObject(x) => {
                    let Some(form) = resources.get_x_object(x.0) else {
                        continue;
                    };
                    if form.dict().get::<Name<'_>>(b"Subtype").as_deref()
                        == Some(b"Form".as_slice())
                    {
                        blends |= self.form(&form, resources, state, page, depth + 1);
                    }
                }
                _ => {}
            }
        }
        blends
    }

    /// A form drawn with `state` in force; whether it blends onto what lies beneath it.
    fn form(
        &mut self,
        form: &Stream<'_>,
        resources: &Resources<'_>,
        state: State,
        page: usize,
        depth: u32,
    ) -> bool {
        let id = form.obj_id();
        let data = match self.streams.get(&id) {
            Some(data) => data.clone(),
            None => {
                let data: Rc<[u8]> =
                    Rc::from(form.decoded().map(|d| d.to_vec()).unwrap_or_default());
                self.streams.insert(id, data.clone());
                data
            }
        };
        let inner = Resources::from_parent(
            form.dict()
                .get::<Dict<'_>>(b"Resources")
                .unwrap_or_default(),
            resources.clone(),
        );
        let group = form
            .dict()
            .get::<Dict<'_>>(b"Group")
            .filter(|g| g.get::<Name<'_>>(b"S").as_deref() == Some(b"Transparency".as_slice()));
        let Some(group) = group else {
            // No group: its contents are drawn onto the page with the state in force.
            return self.stream(&data, &inner, state, page, depth);
        };
        // A group's contents start from Normal, opacity 1, no mask.
        let blends = self.stream(&data, &inner, State::default(), page, depth);
        if group.get::<bool>(b"I").unwrap_or(false) {
            // Isolated: its blends see nothing beneath it, as hayro draws them.
            return false;
        }
        if blends {
            let knockout = group.get::<bool>(b"K").unwrap_or(false);
            self.uses
                .entry(id)
                .or_default()
                .push((page, state.plain() && !knockout));
        }
        blends
    }
}

/// New versions of the non-isolated groups that blend inside and are drawn plainly wherever
/// they are drawn, without their `/Group`; and a warning, "page N: …", for each page where
/// such a group is drawn that cannot be so rewritten.
pub(crate) fn backdrops(pdf: &Pdf) -> (Vec<Update>, Vec<String>) {
    let mut walk = Walk::default();
    for (i, page) in pdf.pages().iter().enumerate() {
        let data = page.page_stream().unwrap_or_default();
        walk.stream(data, page.resources(), State::default(), i + 1, 0);
    }
    let mut updates = Vec::new();
    let mut pages = BTreeSet::new();
    let mut forms: Vec<_> = walk.uses.into_iter().collect();
    forms.sort_by_key(|(id, _)| (id.obj_number, id.gen_number));
    for (id, uses) in forms {
        let rewritten = uses
            .iter()
            .all(|(_, plain)| *plain)
            .then(|| pdf.xref().get::<Stream<'_>>(id))
            .flatten()
            .and_then(|form| ungrouped(&form));
        match rewritten {
            Some(body) => updates.push((id.obj_number, id.gen_number, body)),
            None => pages.extend(uses.iter().map(|(page, _)| *page)),
        }
    }
    let warnings = pages
        .into_iter()
        .map(|n| format!("page {n}: a transparency group that blends with what lies under it is drawn as if on its own: colours there may differ and what it covers may be hidden (open the original to compare)"))
        .collect();
    (updates, warnings)
}

/// The form's new version without its `/Group`: its dictionary as written with `/Group null`
/// after it (the last of two equal keys is the one read), its contents decoded and written
/// hex-encoded. `None` when its dictionary is not text or its contents do not decode.
fn ungrouped(form: &Stream<'_>) -> Option<String> {
    let dict = std::str::from_utf8(form.dict().data()).ok()?.trim();
    let inner = dict.strip_prefix("<<")?.strip_suffix(">>")?;
    let data = form.decoded().ok()?;
    Some(hex_stream(
        &format!("{inner}\n/Group null /DecodeParms null"),
        &data,
    ))
}
