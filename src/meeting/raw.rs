//! The meeting file exactly as written: serde types that mirror the TOML, with spans kept on
//! every value a later check may need to point at. Nothing here is validated beyond shape;
//! `validate` turns this into the model.

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeeting {
    pub kind: Spanned<Kind>,
    pub organ: Spanned<String>,
    #[serde(default)]
    pub first_paragraf: Option<Spanned<i64>>,
    pub ordforande: Spanned<String>,
    pub sekreterare: Spanned<String>,
    pub justerare: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub justerad: Option<Spanned<Datetime>>,
    pub organisation: RawOrganisation,
    pub meeting: RawTime,
    pub attendance: RawAttendance,
    #[serde(default)]
    pub paragraf: Vec<RawParagraf>,
    #[serde(default)]
    pub bilaga: Vec<RawBilaga>,
}

/// The kind of protocol; decides the template and the checks that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Förvaltningsgrupp: the employer and the unions in samverkan.
    Fvg,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisation {
    pub name: Spanned<String>,
    pub forvaltning: Spanned<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub web: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTime {
    pub date: Spanned<Datetime>,
    pub start: Spanned<String>,
    pub end: Spanned<String>,
    pub place: Spanned<String>,
    pub remote: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttendance {
    #[serde(default)]
    pub absent: Vec<Spanned<RawPerson>>,
    #[serde(default)]
    pub group: Vec<RawGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub heading: Spanned<String>,
    pub people: Vec<Spanned<RawPerson>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub name: Spanned<String>,
    pub role: Option<String>,
    #[serde(default)]
    pub huvudskyddsombud: bool,
    pub union: Option<String>,
    #[serde(default)]
    pub remote: bool,
    pub only: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParagraf {
    pub title: Spanned<String>,
    pub group: Option<Spanned<String>>,
    pub text: Option<Spanned<String>>,
    #[serde(default)]
    pub said: Vec<RawSaid>,
    #[serde(default)]
    pub item: Vec<RawItem>,
    pub closing: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub heading: Spanned<String>,
    #[serde(default)]
    pub diarienummer: Vec<Spanned<String>>,
    pub text: Option<Spanned<String>>,
    #[serde(default)]
    pub said: Vec<RawSaid>,
    pub closing: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSaid {
    pub by: Spanned<String>,
    pub verb: Spanned<String>,
    pub text: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBilaga {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub from: Option<String>,
    pub file: Spanned<String>,
    pub signature: Option<Spanned<RawSignature>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSignature {
    pub name: Option<String>,
    pub title: Option<String>,
    pub place: Option<String>,
    pub date: Option<Spanned<Datetime>>,
}
