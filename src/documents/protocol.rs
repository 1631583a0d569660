//! The protocol of a meeting, FVG or nämnd, with its bilagor.

use crate::diag::Diagnostic;
use crate::export::Conformance;
use crate::meeting::Protocol;
use crate::render::{NamndView, Renderer};
use crate::typeset::Job;

/// The protocol's job: its template's source, the bilagor's in-memory files, the ident
/// `protokoll:ORGAN:DATE`, PDF/A-3a only when a PDF bilaga's original is attached.
pub fn make(protocol: &Protocol, renderer: &Renderer) -> Result<Job, Vec<Diagnostic>> {
    let date = protocol.clock_date();
    Ok(Job {
        source: source(protocol, renderer)?,
        assets: protocol.assets(),
        ident: format!("protokoll:{}:{}", protocol.organ(), date.iso()),
        date,
        conformance: Conformance::for_bilagor(protocol.bilagor()),
    })
}

/// The Typst source of the protocol, by the template of its kind; a nämnd protocol's
/// phrases are worded by [`super::phrases`].
pub fn source(protocol: &Protocol, renderer: &Renderer) -> Result<String, Vec<Diagnostic>> {
    match protocol {
        Protocol::Fvg(m) => renderer.render_fvg(m),
        Protocol::Namnd(m) => {
            renderer.render_namnd(m, &NamndView::protocol(m), &super::phrases::namnd(m))
        }
    }
}
