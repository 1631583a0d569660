//! The protocol of a meeting, FVG or nämnd, with its bilagor.

use crate::diag::Diagnostic;
use crate::export::Conformance;
use crate::meeting::Protocol;
use crate::render::Renderer;
use crate::typeset::Job;

/// The protocol's job: its template's source, the bilagor's in-memory files, the ident
/// `protokoll:ORGAN:DATE`, PDF/A-3a only when a PDF bilaga's original is attached.
pub fn make(protocol: &Protocol, renderer: &Renderer) -> Result<Job, Vec<Diagnostic>> {
    let date = protocol.clock_date();
    let rendered = renderer.render(protocol, super::phrases::of(protocol))?;
    Ok(Job {
        source: rendered.source,
        parts: rendered.parts,
        assets: protocol.assets(),
        ident: format!("protokoll:{}:{}", protocol.organ(), date.iso()),
        date,
        conformance: Conformance::for_bilagor(protocol.bilagor()),
    })
}
