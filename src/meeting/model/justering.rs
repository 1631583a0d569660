//! The justering and the rättelser of a protocol, of either kind: how and by whom it was
//! justerat (on paper, or digitally through a named service), and the corrections of
//! obvious slips made after it was (FL 36 §), each of which makes a new version.

use serde::Serialize;

use super::Date;
pub use crate::meeting::raw::justering::JusteringSatt;

/// A correction of an obvious slip in the justerat protocol (FL 36 §).
#[derive(Debug, Clone, Serialize)]
pub struct Rattelse {
    /// 1, 2, … in the file's order: the version it makes.
    pub nummer: usize,
    /// The day it was decided.
    pub date: Date,
    /// Who decided it, as written.
    pub beslutad_av: String,
    /// The § corrected.
    pub paragraf: u32,
    /// What the § said, and what it says now.
    pub fore: String,
    pub efter: String,
    /// Why.
    pub skal: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Justering {
    pub date: Date,
    /// "14:00"
    pub time: Option<String>,
    pub place: Option<String>,
    /// On paper, or digitally through a named service.
    pub satt: JusteringSatt,
    /// The signing service of a digital justering, and its reference.
    pub tjanst: Option<String>,
    pub referens: Option<String>,
    /// Who justerade and when, as the file lists them.
    pub signaturer: Vec<Signatur>,
}

impl Justering {
    /// The service of a digital justering, with its reference; `None` on paper.
    pub fn digital(&self) -> Option<(&str, Option<&str>)> {
        match (&self.satt, &self.tjanst) {
            (JusteringSatt::Digitalt, Some(t)) => Some((t, self.referens.as_deref())),
            _ => None,
        }
    }
}

/// One person's justering: a member by reference (name and party, as in the attendance),
/// the role they justerade in, and when.
#[derive(Debug, Clone, Serialize)]
pub struct Signatur {
    pub name: String,
    pub party: String,
    pub roll: Justerarroll,
    pub date: Date,
    /// "09:12"
    pub time: Option<String>,
}

/// The role a person justerar a protocol in (KL 5 kap. 69 §: the ordförande and at least
/// one justerare).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Justerarroll {
    Ordforande,
    Justerare,
}

/// The rättelser made in version `version` of a protocol (0: the original, none), in order.
pub(crate) fn applied(rattelser: &[Rattelse], version: usize) -> &[Rattelse] {
    &rattelser[..version.min(rattelser.len())]
}
