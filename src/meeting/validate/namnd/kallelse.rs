//! What a meeting file says before the meeting (issue 26): the handlingar sent with the
//! kallelse (`[[handling]]`, read by the bilaga readers; a PDF handling's pages are drawn
//! only for the pack), each ärende's föredragande and
//! handlingar, and `[kallelse]`'s dates against the rules — fullmäktige's tillkännagivande
//! a week before the meeting day (KL 5 kap. 13–15 §§) and the organ's own kallelse period
//! from its reglemente (`[husstil.kallelse] dagar`). A kallelse sent or announced too late is
//! a warning at its line: the meeting may still be lawful (the ordförande may call at shorter
//! notice in an urgent case), and the secretary decides.

use std::collections::HashMap;

use super::Validator;
use crate::meeting::model::namnd::{HouseStyle, Kallelse, NamndParagraf, Official};
use crate::meeting::model::{Bilaga, Date};
use crate::meeting::raw::namnd::RawNamndMeeting;
use crate::meeting::validate::yrkanden::MeetingFacts;
use crate::sandbox::Sandbox;

/// "A week before the meeting day": seven calendar days. No rule moves it for a helgdag
/// (docs/cycle.md).
const WEEK: i64 = 7;

impl Validator {
    /// `[[handling]]` through the bilaga readers, numbered in file order; an id that is also
    /// a bilaga's is an error (an ärende names either by id).
    pub(super) fn handlingar(
        &mut self,
        raw: &RawNamndMeeting,
        sandbox: &Sandbox,
        facts: &MeetingFacts,
    ) -> Vec<Bilaga> {
        let mut numbers = HashMap::new();
        for (i, h) in raw.handling.iter().enumerate() {
            let id = h.id.get_ref();
            if raw.bilaga.iter().any(|b| b.id.get_ref() == id) {
                self.error(
                    h.id.span(),
                    format!("`{id}` is the id of a bilaga too"),
                    Some("an ärende names a bilaga among its handlingar by its id: give the handling another id, or leave it out and name the bilaga"),
                );
            } else if numbers.contains_key(id) {
                self.error(
                    h.id.span(),
                    format!("two handlingar have the id `{id}`"),
                    None,
                );
            }
            numbers.entry(id.clone()).or_insert(i + 1);
        }
        // Inspected, never drawn here: a handling's pages are printed by the meeting pack
        // alone, which draws those it prints (`documents::kallelse::printed`,
        // [`crate::meeting::draw_pages`]; issue 28). The protocol, the kallelse and `check`
        // pay no conversion for them.
        let work = std::mem::replace(&mut self.pdf_work, crate::bilaga::pdf::Work::Inspect);
        let handlingar = self.bilagor(&raw.handling, &numbers, sandbox, facts);
        self.pdf_work = work;
        handlingar
    }

    /// Each ärende's `foredragande` (one of `[attendance] foredragande`) and `handlingar`
    /// (ids of handlingar or bilagor); a handling no ärende names is a warning (it would not
    /// be in the pack).
    pub(super) fn arende_handlingar(
        &mut self,
        raw: &RawNamndMeeting,
        paragrafer: &mut [NamndParagraf],
        foredragande: &[Official],
    ) {
        for (p, model) in raw.paragraf.iter().zip(paragrafer.iter_mut()) {
            if let Some(name) = &p.foredragande {
                let wanted = name.get_ref().trim();
                match foredragande.iter().find(|o| o.name == wanted) {
                    Some(o) => model.foredragande = Some(o.clone()),
                    None => {
                        let known: Vec<String> = foredragande
                            .iter()
                            .map(|o| format!("`{}`", o.name))
                            .collect();
                        let hint = if known.is_empty() {
                            "list the föredragande in [attendance] foredragande, with their role"
                                .to_string()
                        } else {
                            format!("the föredragande are {}", known.join(", "))
                        };
                        self.error(
                            name.span(),
                            format!("`{wanted}` is not among [attendance] foredragande"),
                            Some(&hint),
                        );
                    }
                }
            }
            for id in &p.handlingar {
                let wanted = id.get_ref().trim();
                let known = raw
                    .handling
                    .iter()
                    .chain(&raw.bilaga)
                    .any(|h| h.id.get_ref() == wanted);
                if !known {
                    self.error(
                        id.span(),
                        format!("no handling or bilaga has the id `{wanted}`"),
                        Some("add it as [[handling]] (id, title, file) or name a [[bilaga]] by its id"),
                    );
                } else if model.handlingar.iter().any(|h| h == wanted) {
                    self.error(id.span(), format!("`{wanted}` is named twice"), None);
                } else {
                    model.handlingar.push(wanted.to_string());
                }
            }
        }
        for h in &raw.handling {
            let id = h.id.get_ref();
            if !raw
                .paragraf
                .iter()
                .any(|p| p.handlingar.iter().any(|x| x.get_ref().trim() == id))
            {
                self.warning(
                    h.id.span(),
                    format!("handling `{id}` belongs to no ärende: it is not in the meeting pack"),
                    Some(&format!(
                        "add handlingar = [\"{id}\"] to the ärende it belongs to"
                    )),
                );
            }
        }
    }

    /// `[kallelse]` against the meeting day and the rules; `date`: the meeting's.
    pub(super) fn kallelse(
        &mut self,
        raw: &RawNamndMeeting,
        date: Option<Date>,
        style: &HouseStyle,
    ) -> Kallelse {
        let mut out = Kallelse::default();
        let Some(day) = date else {
            return out;
        };
        let before = |days: i64| Date(day.0 - time::Duration::days(days));
        if style.fullmaktige {
            out.sista_tillkannagivande = Some(before(WEEK));
        }
        out.sista_kallelse = match (style.kallelse_dagar, style.fullmaktige) {
            (Some(n), _) => Some(before(i64::from(n))),
            (None, true) => Some(before(WEEK)),
            (None, false) => None,
        };
        let Some(k) = &raw.kallelse else {
            return out;
        };
        if let Some(d) = &k.datum {
            out.datum = self.date(d, "the kallelse's datum");
            if let Some(sent) = out.datum {
                if sent > day {
                    self.error(
                        d.span(),
                        "the kallelse is dated after the meeting day",
                        None,
                    );
                } else if let Some(last) = out.sista_kallelse
                    && sent > last
                {
                    let rule = match style.kallelse_dagar {
                        Some(n) => format!(
                            "the organ's reglemente ([husstil.kallelse] dagar = {n}): at the latest {n} days before the meeting day"
                        ),
                        None => "KL 5 kap. 13–15 §§: fullmäktige's kallelse at least a week before the meeting day".to_string(),
                    };
                    self.warning(
                        d.span(),
                        format!(
                            "the meeting is called too late: the kallelse is sent on {}, the last day was {}",
                            sent.iso(),
                            last.iso()
                        ),
                        Some(&format!("{rule}; move the meeting or record why it was called at shorter notice")),
                    );
                }
            }
        }
        if let Some(t) = &k.tillkannagivet {
            out.tillkannagivet = self.date(t, "the day of the tillkännagivande");
            match (out.tillkannagivet, out.sista_tillkannagivande) {
                (Some(up), _) if up > day => {
                    self.error(t.span(), "the tillkännagivande is after the meeting day", None);
                }
                (Some(up), Some(last)) if up > last => self.warning(
                    t.span(),
                    format!(
                        "the tillkännagivande went up on {}, after the last day {}",
                        up.iso(),
                        last.iso()
                    ),
                    Some("KL 5 kap. 13–15 §§: fullmäktige's meeting is announced on the anslagstavla at least a week before the meeting day"),
                ),
                (Some(_), None) => self.warning(
                    t.span(),
                    "a tillkännagivande is fullmäktige's, and the organ is not marked fullmäktige",
                    Some("set [kallelse] fullmaktige = true in husstil.toml for fullmäktige, or leave tillkannagivet out"),
                ),
                _ => {}
            }
        }
        out
    }
}
