//! The anslagsbevis of a justerat nämnd protocol (KL 8 kap. 12 §): the notice on the
//! official notice board that the protocol has been justerat, which starts the three weeks in
//! which its decisions can be appealed (KL 13 kap. 5 §). Its dates are checked with the
//! meeting file's `[anslag]` table ([`crate::meeting::model::namnd::Anslag`]).
//!
//! The § justerade omedelbart are justerade at the meeting: their anslag goes up from the
//! meeting day and their three weeks end earlier than the rest's. So the notice exists as
//! soon as the meeting file marks such a § (listing them alone), and once the protocol is
//! justerat it lists both groups, each with its own dates (issue 11).

use crate::diag::Diagnostic;
use crate::export::Conformance;
use crate::meeting::model::namnd::NamndMeeting;
use crate::render::Renderer;
use crate::typeset::Job;

use super::protokollsutdrag::paragraf_range;

/// What the anslagsbevis says, in print (the template's `a`).
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Facts {
    pub namnd: String,
    pub(crate) sammantradesdatum: String,
    /// "§ 31–36"
    pub paragrafer: String,
    pub justerat: String,
    pub uppsatt: String,
    pub(crate) nedtas: String,
    pub(crate) forvaring: String,
    pub underskrift: Option<String>,
    /// With § justerade omedelbart: each group with its own dates (then the single
    /// group's fields above are not printed).
    pub grupper: Vec<Grupp>,
}

/// One group of § announced together: its heading, the § and their dates.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Grupp {
    /// "Paragrafer justerade omedelbart vid sammanträdet", "Övriga paragrafer"
    pub rubrik: String,
    /// "§ 33", "§ 31–32, 34–36"
    pub paragrafer: String,
    pub justerat: String,
    pub uppsatt: String,
    pub(crate) nedtas: String,
}

/// The anslagsbevis, ident `anslagsbevis:ORGAN:DATE`; refused (an error without a place) for
/// a protocol not justerat.
pub fn make(m: &NamndMeeting, renderer: &Renderer) -> Result<Job, Vec<Diagnostic>> {
    let facts = facts(m)?;
    let date = m.clock_date();
    let rendered = renderer.render_anslag(
        m,
        &facts,
        &format!("Anslagsbevis {} {}", m.organ, date.iso()),
        &super::phrases::title(m),
        &super::phrases::footer(m),
    )?;
    Ok(Job {
        source: rendered.source,
        parts: rendered.parts,
        assets: Vec::new(),
        ident: format!("anslagsbevis:{}:{}", m.organ, date.iso()),
        date,
        conformance: Conformance::A2,
    })
}

/// What the anslagsbevis says, from the checked meeting: refused while nothing is
/// justerat (neither the protocol nor a § omedelbart).
pub(crate) fn facts(m: &NamndMeeting) -> Result<Facts, Vec<Diagnostic>> {
    let whole = m.justerad.zip(m.anslag.as_ref());
    let omedelbart = m.anslag_omedelbart.as_ref();
    if whole.is_none() && omedelbart.is_none() {
        return Err(vec![
            Diagnostic::error(
                "the protocol is not justerat: an anslagsbevis announces the justering",
            )
            .with_hint(
                "set `justerad` once the protocol has been justerat (a § justerad omedelbart is announced at once)",
            ),
        ]);
    }
    let mut grupper = Vec::new();
    if let Some(o) = omedelbart {
        grupper.push(Grupp {
            rubrik: "Paragrafer justerade omedelbart vid sammanträdet".into(),
            paragrafer: numbers_text(&o.paragrafer),
            justerat: o.justerad.long(),
            uppsatt: o.uppsatt.long(),
            nedtas: o.nedtas.long(),
        });
        if let Some((justerad, anslag)) = whole {
            let rest: Vec<u32> = m
                .paragrafer
                .iter()
                .map(|p| p.number)
                .filter(|n| !o.paragrafer.contains(n))
                .collect();
            if !rest.is_empty() {
                grupper.push(Grupp {
                    rubrik: "Övriga paragrafer".into(),
                    paragrafer: numbers_text(&rest),
                    justerat: justerad.long(),
                    uppsatt: anslag.uppsatt.long(),
                    nedtas: anslag.nedtas.long(),
                });
            }
        }
    }
    let forvaring = whole.map_or_else(
        || omedelbart.map(|o| o.forvaring.clone()).unwrap_or_default(),
        |(_, a)| a.forvaring.clone(),
    );
    let long = |d: Option<crate::meeting::model::Date>| d.map(|d| d.long()).unwrap_or_default();
    Ok(Facts {
        namnd: m.namnd.clone(),
        sammantradesdatum: m.date.map_or_else(|| m.year.to_string(), |d| d.long()),
        paragrafer: paragraf_range(m),
        justerat: long(m.justerad),
        uppsatt: long(m.anslag.as_ref().map(|a| a.uppsatt)),
        nedtas: long(m.anslag.as_ref().map(|a| a.nedtas)),
        forvaring,
        underskrift: m.sekreterare.clone(),
        grupper,
    })
}

/// `[33]` → "§ 33"; `[31, 32, 34, 35, 36]` → "§ 31–32, 34–36".
pub(crate) fn numbers_text(numbers: &[u32]) -> String {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &n in numbers {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => runs.push((n, n)),
        }
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    format!("§ {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::numbers_text;

    #[test]
    fn numbers_run_together() {
        assert_eq!(numbers_text(&[33]), "§ 33");
        assert_eq!(numbers_text(&[31, 32, 34, 35, 36]), "§ 31–32, 34–36");
    }
}
