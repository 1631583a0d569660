//! `[anslag]` → [`Anslag`]: when the notice of justering went up, when it comes down and
//! where the protocol is kept, checked against the justering (KL 8 kap. 12 §, 13 kap. 5 §)
//! here at the boundary, so `assemble check` reports it like every other table.

use super::anslag_dates::{self as dates, Timing};
use crate::meeting::model::namnd::{Anslag, AnslagOmedelbart};
use crate::meeting::model::{Date, Organisation};
use crate::meeting::raw::namnd::RawAnslag;
use crate::meeting::validate::Validator;

impl Validator {
    /// The anslag of the § justerade omedelbart (`omedelbart`, their numbers), from the
    /// meeting day (`date`); `None` without such § or a date. `omedelbart_uppsatt` is checked
    /// against the meeting day as `uppsatt` is against the justering.
    pub(super) fn anslag_omedelbart(
        &mut self,
        raw: Option<&RawAnslag>,
        date: Option<Date>,
        omedelbart: Vec<u32>,
        organisation: &Organisation,
    ) -> Option<AnslagOmedelbart> {
        let day_raw = raw.and_then(|a| a.omedelbart_uppsatt.as_ref());
        if omedelbart.is_empty() {
            if let Some(d) = day_raw {
                self.warning(
                    d.span(),
                    "`omedelbart_uppsatt` is set, but no § is justerad omedelbart",
                    Some("set omedelbar_justering = true on the § the nämnd justerade at the meeting, or leave out the key"),
                );
            }
            return None;
        }
        let justerad = date?;
        let uppsatt = match day_raw {
            None => justerad,
            Some(d) => {
                let day = self.date(d, "omedelbart_uppsatt")?;
                match dates::timing(justerad.0, day.0) {
                    Timing::InTime => day,
                    Timing::BeforeJustering => {
                        self.error(
                            d.span(),
                            format!(
                                "the notice cannot go up before the meeting ({}) at which the § were justerade",
                                justerad.iso()
                            ),
                            Some("the § justerade omedelbart are announced from the meeting day"),
                        );
                        return None;
                    }
                    Timing::Late(days) => {
                        self.warning(
                            d.span(),
                            format!(
                                "the notice of the § justerade omedelbart went up {days} day{} later than KL 8 kap. 12 § allows",
                                if days == 1 { "" } else { "s" }
                            ),
                            Some("they were justerade at the meeting: the notice goes up at the latest on the second day after it"),
                        );
                        day
                    }
                }
            }
        };
        let nedtas = dates::nedtas(uppsatt.0).map(Date)?;
        let forvaring = raw
            .and_then(|a| a.forvaring.as_ref())
            .map(|f| f.get_ref().trim().to_string())
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| organisation.forvaltning.clone());
        Some(AnslagOmedelbart {
            paragrafer: omedelbart,
            justerad,
            uppsatt,
            nedtas,
            forvaring,
        })
    }

    /// The checked notice; `None` while the protocol is not justerat (or a date is wrong, which
    /// is reported). A day after the second after justering is a warning: the deadline was
    /// missed, but the notice is still what has to be issued. A day before it is an error.
    pub(super) fn anslag(
        &mut self,
        raw: Option<&RawAnslag>,
        justerad: Option<Date>,
        organisation: &Organisation,
    ) -> Option<Anslag> {
        let uppsatt_raw = raw.and_then(|a| a.uppsatt.as_ref());
        let uppsatt = uppsatt_raw.and_then(|u| self.date(u, "uppsatt"));
        let forvaring = raw
            .and_then(|a| a.forvaring.as_ref())
            .map(|f| self.non_empty(f, "forvaring"));
        let Some(justerad) = justerad else {
            if let Some(u) = uppsatt_raw {
                self.warning(
                    u.span(),
                    "`uppsatt` is set, but the protocol is not justerat",
                    Some("the anslag announces the justering: set `justerad` once it has been justerat"),
                );
            }
            return None;
        };
        let uppsatt = match (uppsatt, uppsatt_raw) {
            (Some(day), Some(raw_day)) => match dates::timing(justerad.0, day.0) {
                Timing::InTime => day,
                Timing::BeforeJustering => {
                    self.error(
                        raw_day.span(),
                        format!(
                            "the notice cannot go up before the protocol was justerat ({})",
                            justerad.iso()
                        ),
                        Some("the anslag announces the justering: put it up on that day or after"),
                    );
                    return None;
                }
                Timing::Late(days) => {
                    self.warning(
                        raw_day.span(),
                        format!(
                            "the notice went up {days} day{} later than KL 8 kap. 12 § allows",
                            if days == 1 { "" } else { "s" }
                        ),
                        Some(&format!(
                            "the justering ({}) must be announced at the latest on the second day after it ({})",
                            justerad.iso(),
                            dates::senast_uppsatt(justerad.0)
                                .map_or_else(String::new, |d| Date(d).iso())
                        )),
                    );
                    day
                }
            },
            // Not a plain date: reported by `date` above.
            (None, Some(_)) => return None,
            (_, None) => justerad,
        };
        let Some(nedtas) = dates::nedtas(uppsatt.0).map(Date) else {
            self.error(
                uppsatt_raw.map_or(0..0, |u| u.span()),
                "the notice would come down after the last date there is",
                None,
            );
            return None;
        };
        Some(Anslag {
            uppsatt,
            nedtas,
            forvaring: forvaring.unwrap_or_else(|| organisation.forvaltning.clone()),
        })
    }
}
