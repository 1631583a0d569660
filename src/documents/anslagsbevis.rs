//! The anslagsbevis of a justerat nämnd protocol (KL 8 kap. 12 §): the notice on the
//! official notice board that the protocol has been justerat, which starts the three weeks in
//! which its decisions can be appealed (KL 13 kap. 5 §). Its dates are checked with the
//! meeting file's `[anslag]` table ([`crate::meeting::model::namnd::Anslag`]).

use crate::diag::Diagnostic;
use crate::export::Conformance;
use crate::meeting::model::namnd::NamndMeeting;
use crate::render::Renderer;
use crate::typeset::Job;

use super::protokollsutdrag::paragraf_range;

/// What the anslagsbevis says, in print (the template's `a`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Facts {
    pub namnd: String,
    pub sammantradesdatum: String,
    /// "§ 31–36"
    pub paragrafer: String,
    pub justerat: String,
    pub uppsatt: String,
    pub nedtas: String,
    pub forvaring: String,
    pub underskrift: Option<String>,
}

/// The anslagsbevis, ident `anslagsbevis:ORGAN:DATE`; refused (an error without a place) for
/// a protocol not justerat.
pub fn make(m: &NamndMeeting, renderer: &Renderer) -> Result<Job, Vec<Diagnostic>> {
    let facts = facts(m)?;
    let date = m.clock_date();
    let source = renderer.render_anslag(
        m,
        &facts,
        &format!("Anslagsbevis {} {}", m.organ, date.iso()),
    )?;
    Ok(Job {
        source,
        assets: Vec::new(),
        ident: format!("anslagsbevis:{}:{}", m.organ, date.iso()),
        date,
        conformance: Conformance::A2,
    })
}

/// What the anslagsbevis says, from the checked meeting.
pub fn facts(m: &NamndMeeting) -> Result<Facts, Vec<Diagnostic>> {
    let (Some(justerad), Some(anslag)) = (m.justerad, &m.anslag) else {
        return Err(vec![
            Diagnostic::error(
                "the protocol is not justerat: an anslagsbevis announces the justering",
            )
            .with_hint("set `justerad` once the protocol has been justerat"),
        ]);
    };
    Ok(Facts {
        namnd: m.namnd.clone(),
        sammantradesdatum: m.date.map_or_else(|| m.year.to_string(), |d| d.long()),
        paragrafer: paragraf_range(m),
        justerat: justerad.long(),
        uppsatt: anslag.uppsatt.long(),
        nedtas: anslag.nedtas.long(),
        forvaring: anslag.forvaring.clone(),
        underskrift: m.sekreterare.clone(),
    })
}
