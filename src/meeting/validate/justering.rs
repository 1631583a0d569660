//! `[justering]` → [`Justering`], for both kinds: the agreed time and place, and the
//! justering as data — on paper or digitally through a named service, who justerade in which
//! role and when (issue 27). A protocol is justerat by the ordförande and the justerare (for a
//! nämnd KL 5 kap. 69 §, 6 kap. 35 §; an FVG protocol by those its file names), so only
//! they sign; a signature is dated within what the file itself says (not before the meeting,
//! not after `justerad`).

use super::Validator;
use crate::meeting::model::Date;
use crate::meeting::model::justering::{Justerarroll, Justering, JusteringSatt, Signatur};
use crate::meeting::raw::justering::RawJustering;

/// What the file says besides `[justering]` that a signature is checked against.
pub(super) struct Facts<'a> {
    /// Who may sign, as the file names them: the ordförande, then the justerare.
    pub signers: Vec<(String, Justerarroll)>,
    /// A signer's party as the attendance gives it ("" when none: an FVG meeting has none).
    pub party: &'a dyn Fn(&str) -> String,
    /// The rule that says who justerar, for the hint: " (KL 5 kap. 69 §)", or "".
    pub rule: &'a str,
    /// The meeting's day.
    pub meeting: Option<Date>,
    /// The day the file says the protocol was justerat.
    pub justerad: Option<Date>,
}

impl Validator {
    pub(super) fn justering(&mut self, raw: &RawJustering, facts: Facts<'_>) -> Option<Justering> {
        let date = self.date(&raw.date, "the justering's date");
        let time = raw
            .time
            .as_ref()
            .and_then(|t| self.clock(t, "the justering's time"))
            .map(|(h, m)| format!("{h:02}:{m:02}"));
        let place = raw
            .place
            .as_ref()
            .map(|p| self.non_empty(p, "the justering's place"));
        let satt = raw.satt.as_ref().map(|s| *s.get_ref()).unwrap_or_default();
        let tjanst = raw
            .tjanst
            .as_ref()
            .map(|t| self.non_empty(t, "the signing service"));
        let referens = raw
            .referens
            .as_ref()
            .map(|r| self.non_empty(r, "the signing reference"));
        match (satt, &raw.tjanst, &raw.satt) {
            (JusteringSatt::Digitalt, None, Some(s)) => self.error(
                s.span(),
                "a digital justering names its signing service",
                Some("add tjanst = \"…\" (e.g. the signing service or \"Kommunens e-sigill\") to [justering]"),
            ),
            (JusteringSatt::Papper, Some(t), _) => self.error(
                t.span(),
                "a signing service is named, but the justering is not digital",
                Some("set satt = \"digitalt\" in [justering], or leave out tjanst"),
            ),
            _ => {}
        }
        if let (JusteringSatt::Papper, Some(r)) = (satt, &raw.referens) {
            self.error(
                r.span(),
                "a signing reference is given, but the justering is not digital",
                Some("set satt = \"digitalt\" in [justering], or leave out referens"),
            );
        }

        let signers = &facts.signers;
        let mut signaturer: Vec<Signatur> = Vec::new();
        for s in &raw.signatur {
            let name = s.name.get_ref().trim();
            let day = self.date(&s.date, "the signature's date");
            let at = s
                .time
                .as_ref()
                .and_then(|t| self.clock(t, "the signature's time"))
                .map(|(h, m)| format!("{h:02}:{m:02}"));
            let Some((_, roll)) = signers.iter().find(|(n, _)| n == name) else {
                let listed: Vec<&str> = signers.iter().map(|(n, _)| n.as_str()).collect();
                self.error(
                    s.name.span(),
                    format!("`{name}` is neither the ordförande nor a justerare"),
                    Some(&format!(
                        "the protocol is justerat by the ordförande and the justerare{}: {}",
                        facts.rule,
                        if listed.is_empty() {
                            "the file names none".to_string()
                        } else {
                            listed.join(", ")
                        }
                    )),
                );
                continue;
            };
            if signaturer.iter().any(|x| x.name == name) {
                self.error(
                    s.name.span(),
                    format!("`{name}` signs twice"),
                    Some("list each signer once in [[justering.signatur]]"),
                );
                continue;
            }
            let Some(day) = day else { continue };
            if let Some(m) = facts.meeting.filter(|m| day < *m) {
                self.error(
                    s.date.span(),
                    format!("signed before the meeting ({})", m.iso()),
                    Some("a protocol is justerat after the meeting it records"),
                );
            } else if let Some(j) = facts.justerad.filter(|j| day > *j) {
                self.error(
                    s.date.span(),
                    format!(
                        "signed after the day the file says the protocol was justerat ({})",
                        j.iso()
                    ),
                    Some("the protocol is justerat when the last signer has signed: `justerad` is that day"),
                );
            }
            let party = (facts.party)(name);
            signaturer.push(Signatur {
                name: name.to_string(),
                party,
                roll: *roll,
                date: day,
                time: at,
            });
        }
        Some(Justering {
            date: date?,
            time,
            place,
            satt,
            tjanst,
            referens,
            signaturer,
        })
    }
}
