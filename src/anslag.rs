//! `assemble anslag`: the anslagsbevis of a justerat nämnd protocol (KL 8 kap. 12 §) — the
//! notice on the official notice board that the protocol has been justerat, which starts the
//! three weeks in which its decisions can be appealed (KL 13 kap. 5 §).
//!
//! The meeting file may say when the notice went up and where the protocol is kept:
//!
//! ```toml
//! [anslag]
//! uppsatt = 2020-04-24     # default: the day of justering
//! forvaring = "Arbetsmarknadsförvaltningen, Swedenborgsgatan 20"   # default: the förvaltning
//! ```
//!
//! The notice comes down three weeks after it went up ([`dates::nedtas`]). A notice put up
//! later than the second day after justering is reported as a warning (the law's deadline
//! was missed, but the notice is still what has to be issued); one put up before the
//! justering is an error.

pub mod dates;

use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::assemble::Typeset;
use crate::derived;
use crate::diag::{Diagnostic, SourceFile};
use crate::meeting::model::Date;
use crate::meeting::raw::TomlDate;
use crate::render::Renderer;

/// `[anslag]`: the notice of justering on the official notice board.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAnslag {
    /// The day the notice went up; default the day of justering. At the latest the second
    /// day after justering (KL 8 kap. 12 §).
    #[serde(default)]
    #[schemars(with = "Option<TomlDate>")]
    pub uppsatt: Option<Spanned<Datetime>>,
    /// Where the protocol is kept; default the förvaltning.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub forvaring: Option<Spanned<String>>,
}

/// Only the `[anslag]` table of a meeting file (every other key is the meeting's).
#[derive(Deserialize, Default)]
struct AnslagOnly {
    #[serde(default)]
    anslag: RawAnslag,
}

/// What the anslagsbevis says, in print.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Anslag {
    pub namnd: String,
    pub sammantradesdatum: String,
    pub paragrafer: String,
    pub justerat: String,
    pub uppsatt: String,
    pub nedtas: String,
    pub forvaring: String,
    pub underskrift: Option<String>,
}

/// `assemble anslag MEETING [-o FILE]`.
pub fn run(path: &Path, output: Option<&Path>, templates: Option<&Path>) -> Result<(), u8> {
    let mut checked = derived::load_namnd(path, "an anslagsbevis")?;
    let renderer = derived::renderer(templates)?;
    let pdf = output.map_or_else(
        || derived::default_output(path, FILE_SUFFIX),
        Path::to_path_buf,
    );
    let done = make(path, &mut checked, &renderer, &pdf).map_err(derived::fail(path))?;
    derived::write_pdf(&checked, &done, &pdf)
}

/// The anslagsbevis' name after the protocol's stem.
pub const FILE_SUFFIX: &str = "-anslag";

/// Typesets the anslagsbevis; refused (as an error) for a protocol not justerat. A warning
/// about the posting day is added to `checked.warnings`.
pub fn make(
    path: &Path,
    checked: &mut derived::Checked,
    renderer: &Renderer,
    pdf: &Path,
) -> Result<Typeset, Vec<Diagnostic>> {
    let anslag = facts(checked)?;
    let m = &checked.meeting;
    let date = m.clock_date().iso();
    let source = renderer.render_anslag(m, &anslag, &format!("Anslagsbevis {} {date}", m.organ))?;
    let ident = format!("anslagsbevis:{}:{date}", m.organ);
    derived::typeset(path, checked, source, renderer, pdf, ident, &[])
}

/// What the anslagsbevis says, from the meeting and its `[anslag]`.
fn facts(checked: &mut derived::Checked) -> Result<Anslag, Vec<Diagnostic>> {
    let m = &checked.meeting;
    let Some(justerad) = m.justerad else {
        return Err(vec![
            Diagnostic::error(
                "the protocol is not justerat: an anslagsbevis announces the justering",
            )
            .with_hint("set `justerad` once the protocol has been justerat"),
        ]);
    };
    // The meeting parsed already, so this parse of the same text succeeds.
    let raw: AnslagOnly = toml::from_str(&checked.file.text).unwrap_or_default();
    let (uppsatt, warning) = posting_day(&checked.file, &raw.anslag, justerad)?;
    let Some(nedtas) = dates::nedtas(uppsatt.0).map(Date) else {
        return Err(vec![Diagnostic::error(
            "the notice would come down after the last date there is",
        )]);
    };
    let anslag = Anslag {
        namnd: m.namnd.clone(),
        sammantradesdatum: m.date.map_or_else(|| m.year.to_string(), |d| d.long()),
        paragrafer: crate::extract::paragraf_range(m),
        justerat: justerad.long(),
        uppsatt: uppsatt.long(),
        nedtas: nedtas.long(),
        forvaring: raw
            .anslag
            .forvaring
            .map(Spanned::into_inner)
            .unwrap_or_else(|| m.organisation.forvaltning.clone()),
        underskrift: m.sekreterare.clone(),
    };
    checked.warnings.extend(warning);
    Ok(anslag)
}

/// The day the notice went up, with a warning if that was later than the law allows; an
/// error (at the `uppsatt` line) if before the justering or not a plain date.
fn posting_day(
    file: &SourceFile,
    raw: &RawAnslag,
    justerad: Date,
) -> Result<(Date, Option<Diagnostic>), Vec<Diagnostic>> {
    let Some(value) = &raw.uppsatt else {
        return Ok((justerad, None));
    };
    let day = toml_date(value.get_ref()).ok_or_else(|| {
        vec![
            Diagnostic::error("`uppsatt` must be a date")
                .at(file, value.span())
                .with_hint("write it as 2020-04-24"),
        ]
    })?;
    match dates::timing(justerad.0, day) {
        dates::Timing::InTime => Ok((Date(day), None)),
        dates::Timing::BeforeJustering => Err(vec![
            Diagnostic::error(format!(
                "the notice cannot go up before the protocol was justerat ({})",
                justerad.iso()
            ))
            .at(file, value.span())
            .with_hint("the anslag announces the justering: put it up on that day or after"),
        ]),
        dates::Timing::Late(days) => Ok((
            Date(day),
            Some(
                Diagnostic::warning(format!(
                    "the notice went up {days} day{} later than KL 8 kap. 12 § allows",
                    if days == 1 { "" } else { "s" }
                ))
                .at(file, value.span())
                .with_hint(format!(
                    "the justering ({}) must be announced at the latest on the second day after it",
                    justerad.iso()
                )),
            ),
        )),
    }
}

fn toml_date(value: &Datetime) -> Option<time::Date> {
    let d = value.date?;
    if value.time.is_some() || value.offset.is_some() {
        return None;
    }
    time::Date::from_calendar_date(
        i32::from(d.year),
        time::Month::try_from(d.month).ok()?,
        d.day,
    )
    .ok()
}
