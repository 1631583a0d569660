//! The justering and the rättelser as the meeting file writes them, for both kinds: how
//! and by whom the protocol was justerat (`[justering]`, `[[justering.signatur]]`), and the
//! corrections of obvious slips made after it was (`[[rattelse]]`). The FVG file and the
//! nämnd file share these shapes, so one check (`validate/justering.rs`,
//! `validate/rattelse.rs`) serves both.

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::TomlDate;

/// `[[rattelse]]`: one correction of an obvious slip in a justerat protocol (FL 36 §).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRattelse {
    /// The day the rättelse was decided: not before `justerad`.
    #[schemars(with = "TomlDate")]
    pub date: Spanned<Datetime>,
    /// Who decided it, as the note names them: "ordföranden Anna Berg", "nämndsekreteraren".
    #[schemars(with = "String")]
    pub beslutad_av: Spanned<String>,
    /// The number of the § corrected.
    #[schemars(with = "u32", range(min = 1))]
    pub paragraf: Spanned<i64>,
    /// What the § said, exactly as the meeting file writes it: it must occur once in the §.
    #[schemars(with = "String")]
    pub fore: Spanned<String>,
    /// What it says after the rättelse.
    #[schemars(with = "String")]
    pub efter: Spanned<String>,
    /// Why: the slip corrected ("skrivfel i beloppet").
    #[schemars(with = "String")]
    pub skal: Spanned<String>,
}

/// When and where the protocol is to be justerat, and how it was: on paper, or digitally
/// through a named service, with who signed and when.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawJustering {
    /// The agreed day.
    #[schemars(with = "TomlDate")]
    pub date: Spanned<Datetime>,
    /// The agreed time, "14:00".
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = r"^[0-2][0-9]:[0-5][0-9]$"))]
    pub time: Option<Spanned<String>>,
    /// "Arbetsmarknadsförvaltningen, Swedenborgsgatan 20"
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub place: Option<Spanned<String>>,
    /// How the protocol was justerat: "papper" (signed in ink; the default) or "digitalt"
    /// (signed electronically: then `tjanst` names the service, and the protocol prints a
    /// "Justerat digitalt" block in place of the lines for ink).
    #[serde(default)]
    #[schemars(with = "Option<JusteringSatt>")]
    pub satt: Option<Spanned<JusteringSatt>>,
    /// The signing service of a digital justering: "Netpublicator Sign",
    /// "Kommunens e-sigill". Required with `satt = "digitalt"`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub tjanst: Option<Spanned<String>>,
    /// The service's reference for the signing (its transaction or document id), printed
    /// with the service's name.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub referens: Option<Spanned<String>>,
    /// Who justerade, and when: one entry a signer (the ordförande or a justerare).
    #[serde(default)]
    pub signatur: Vec<RawSignatur>,
}

/// How the protocol was justerat.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JusteringSatt {
    /// Signed in ink on paper.
    #[default]
    Papper,
    /// Signed electronically through a signing service or the kommun's e-seal.
    Digitalt,
}

/// `[[justering.signatur]]`: one person's justering of the protocol.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSignatur {
    /// Who signed: the ordförande or a justerare, written as in `[attendance]`.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// The day they signed: not before the meeting, not after `justerad`.
    #[schemars(with = "TomlDate")]
    pub date: Spanned<Datetime>,
    /// The time they signed, "09:12".
    #[serde(default)]
    #[schemars(with = "Option<String>", regex(pattern = r"^[0-2][0-9]:[0-5][0-9]$"))]
    pub time: Option<Spanned<String>>,
}
