//! Raw nämnd meeting → [`NamndMeeting`]. The meeting-level fields and the attendance are
//! checked here, the § in [`paragraf`], and the rules of kommunallagen in [`legal`] — run as
//! part of validation, so `assemble check` and every render go through them.
//!
//! People are referred to by name (votes, reservations, jäv, justerare): [`roster`] answers
//! who is present and who serves in which §.

mod anslag;
pub(crate) mod anslag_dates;
mod attendance;
pub(crate) mod husstil;
mod kallelse;
pub(crate) mod legal;
mod paragraf;
mod roles;
pub(crate) mod roster;
mod uttalanden;

use std::ops::Range;

use toml::Spanned;

use super::Validator;
use crate::meeting::model::namnd::*;
use crate::meeting::model::*;
use crate::meeting::raw::namnd::*;
use crate::sandbox::Sandbox;
use roster::Roster;

impl Validator {
    pub(super) fn namnd(
        &mut self,
        raw: RawNamndMeeting,
        sandbox: &Sandbox,
    ) -> Option<NamndMeeting> {
        let fragment = raw.fragment;
        let organ = self.non_empty(&raw.organ, "organ");
        let namnd = self.non_empty(&raw.namnd, "namnd");
        let organisation = self.organisation(&raw.organisation);

        let (date, place, remote) = self.namnd_time(&raw);
        // Without a year nothing can be printed, but the rest is still checked.
        let year = match (date, &raw.year) {
            (Some(d), Some(y)) if i64::from(d.0.year()) != *y.get_ref() => {
                self.error(y.span(), "year is not the year of the meeting's date", None);
                Some(d.0.year())
            }
            (Some(d), _) => Some(d.0.year()),
            (None, Some(y)) if (1900..=2200).contains(y.get_ref()) => Some(*y.get_ref() as i32),
            (None, Some(y)) => {
                self.error(y.span(), "year must be a year such as 2015", None);
                None
            }
            (None, None) => {
                if fragment {
                    self.error(
                        0..0,
                        "a fragment without [meeting] needs its year",
                        Some("add year = 2015 at the top"),
                    );
                }
                None
            }
        };

        let first = self.first_paragraf(raw.first_paragraf.as_ref());
        if raw.paragraf.is_empty() {
            self.error(
                0..0,
                "the meeting has no §",
                Some("add the § as [[paragraf]] tables"),
            );
        }
        let seats = match &raw.seats {
            Some(s) if !(1..=1000).contains(s.get_ref()) => {
                self.error(
                    s.span(),
                    "seats must be the number of ledamöter, from 1",
                    None,
                );
                None
            }
            Some(s) => Some(*s.get_ref() as u32),
            None => None,
        };

        let style = self.house_style(raw.husstil.as_ref(), sandbox);
        let roster = Roster::new(&raw.attendance);
        let last = first + raw.paragraf.len().saturating_sub(1) as u32;
        let attendance = self.namnd_attendance(&raw.attendance, &roster, first..=last);

        let sekreterare = raw
            .sekreterare
            .as_ref()
            .map(|s| self.non_empty(s, "sekreterare"));
        let mut justerare = Vec::new();
        for j in raw.justerare.iter().flat_map(|j| j.get_ref()) {
            if let Some(e) = self.person_ref(&roster, j, false) {
                justerare.push(e.id);
            }
        }
        let preceding = self.preceding(&raw, first);
        let justerad = raw.justerad.as_ref().and_then(|j| self.date(j, "justerad"));
        let justering = raw.justering.as_ref().and_then(|j| {
            let party = |name: &str| {
                roster
                    .get(name)
                    .map(|e| e.party.clone())
                    .unwrap_or_default()
            };
            let facts = super::justering::Facts {
                signers: roster
                    .ordforande()
                    .map(|o| (o.name.clone(), Justerarroll::Ordforande))
                    .into_iter()
                    .chain(
                        raw.justerare
                            .iter()
                            .flat_map(|j| j.get_ref())
                            .map(|j| (j.get_ref().trim().to_string(), Justerarroll::Justerare)),
                    )
                    .collect(),
                party: &party,
                rule: " (KL 5 kap. 69 §)",
                meeting: date,
                justerad,
            };
            self.justering(j, facts)
        });
        if let (Some(j), Some(d), Some(raw_j)) = (justerad, date, &raw.justerad) {
            if j < d {
                self.error(
                    raw_j.span(),
                    "the protocol is justerat before the meeting took place",
                    None,
                );
            } else if (j.0 - d.0).whole_days() > 14 {
                self.warning(
                    raw_j.span(),
                    format!(
                        "the protocol is justerat {} days after the meeting",
                        (j.0 - d.0).whole_days()
                    ),
                    Some("kommunallagen: the protocol is to be justerat within fourteen days of the meeting"),
                );
            }
        }

        let rattelser = self.rattelser(
            Kind::Namnd,
            &raw.rattelse,
            first,
            raw.paragraf.len(),
            justerad,
        );
        let anslag = self.anslag(raw.anslag.as_ref(), justerad, &organisation);
        let omedelbart: Vec<u32> = raw
            .paragraf
            .iter()
            .enumerate()
            .filter(|(_, p)| p.omedelbar_justering.as_ref().is_some_and(|o| *o.get_ref()))
            .map(|(i, _)| first + i as u32)
            .collect();
        let anslag_omedelbart = if fragment {
            None
        } else {
            self.anslag_omedelbart(raw.anslag.as_ref(), date, omedelbart, &organisation)
        };

        let numbers = self.number_bilagor_in(&raw.bilaga, paragraf::rich_texts(&raw));
        let number_of = |id: &str| numbers.get(id).copied();
        // Yrkanden bilagor name supporting unions; a nämnd's attendance has parties, not
        // unions, so no supporter can be matched and each is reported.
        let facts = super::yrkanden::MeetingFacts {
            justerat: justering.is_some(),
            present: Vec::new(),
            absent: Vec::new(),
        };
        let bilagor = self.bilagor(&raw.bilaga, &numbers, sandbox, &facts);
        let context = paragraf::Context {
            roster: &roster,
            first,
            date,
            number_of: &number_of,
            style: &style,
        };
        let mut paragrafer = self.namnd_paragrafer(&raw.paragraf, &context);
        let planerat = raw
            .status
            .as_ref()
            .is_some_and(|s| *s.get_ref() == Status::Planerat);
        let handlingar = self.handlingar(&raw, sandbox, &facts);
        self.arende_handlingar(&raw, &mut paragrafer, &attendance.foredragande);
        let kallelse = self.kallelse(&raw, date, &style);
        if let (true, Some(j)) = (planerat, &raw.justerad) {
            self.error(
                j.span(),
                "a planned meeting (status = \"planerat\") cannot be justerat",
                Some("once the meeting has been held, delete the status line; then the file is its protocol"),
            );
        }

        // The rules of kommunallagen are about what happened at the meeting: a planned one
        // has not happened yet (what remains is listed by `check --ready`).
        let findings = if planerat {
            Vec::new()
        } else {
            legal::check(&raw, &roster, first)
        };
        for finding in findings {
            if finding.error {
                self.error(finding.span, finding.message, Some(&finding.hint));
            } else {
                self.warning(finding.span, finding.message, Some(&finding.hint));
            }
        }

        // Nothing is invented (issue 11): without `avslutning` no closing line is printed.
        let avslutning = raw
            .avslutning
            .as_ref()
            .map(|a| self.non_empty(a, "avslutning"));
        let keywords = paragrafer
            .iter()
            .flat_map(|p| p.diarienummer.iter().cloned())
            .fold(Vec::new(), |mut acc: Vec<String>, d| {
                if !acc.contains(&d) {
                    acc.push(d);
                }
                acc
            });
        let year = year?;
        Some(NamndMeeting {
            kind: Kind::Namnd,
            organ,
            namnd,
            fragment,
            preceding,
            organisation,
            date,
            year,
            start: raw
                .meeting
                .as_ref()
                .map(|m| m.start.get_ref().trim().to_string()),
            end: raw
                .meeting
                .as_ref()
                .and_then(|m| m.end.as_ref())
                .map(|e| e.get_ref().trim().to_string()),
            place,
            remote,
            seats,
            attendance,
            sekreterare,
            justerare,
            justering,
            justerad,
            anslag,
            anslag_omedelbart,
            paragrafer,
            bilagor,
            avslutning,
            style,
            keywords,
            planerat,
            handlingar,
            kallelse,
            inte_personnummer: super::inte_personnummer(&raw.inte_personnummer),
            rattelser,
            version: self.version,
            rattade: Vec::new(),
        })
    }

    /// The text of the § before the first that a fragment's source begins with.
    fn preceding(&mut self, raw: &RawNamndMeeting, first: u32) -> Option<Preceding> {
        let text = raw.preceding.as_ref()?;
        if !raw.fragment {
            self.error(
                text.span(),
                "only a fragment may begin with the end of an earlier §",
                Some(
                    "a whole protocol starts with its first §; set fragment = true for an excerpt",
                ),
            );
            return None;
        }
        if first < 2 {
            self.error(
                text.span(),
                "the text before the first § needs a § before it",
                Some("set first_paragraf to the number of the first whole §"),
            );
            return None;
        }
        let none = |_: &str| None;
        Some(Preceding {
            number: first - 1,
            text: self.rich(Some(text), "pre", &none),
        })
    }

    /// The meeting's date, place and how members took part from elsewhere (as written);
    /// all `None` for a fragment without [meeting]. Start and end are checked here.
    fn namnd_time(
        &mut self,
        raw: &RawNamndMeeting,
    ) -> (Option<Date>, Option<String>, Option<String>) {
        let Some(m) = &raw.meeting else {
            if !raw.fragment {
                self.error(
                    0..0,
                    "the meeting has no [meeting] table (date, start, end, place)",
                    Some("only a fragment (fragment = true) may leave it out"),
                );
            }
            return (None, None, None);
        };
        let date = self.date(&m.date, "the meeting's date");
        let start = self.clock(&m.start, "start");
        let planned = raw
            .status
            .as_ref()
            .is_some_and(|s| *s.get_ref() == Status::Planerat);
        let end = match &m.end {
            Some(end) => self.clock(end, "end"),
            None if planned => None,
            None => {
                self.error(
                    m.date.span(),
                    "[meeting] has no end time",
                    Some("add end = \"HH:MM\", the time the meeting ended; a meeting not yet held is status = \"planerat\""),
                );
                None
            }
        };
        if let (Some(s), Some(e), Some(raw_end)) = (start, end, &m.end)
            && e <= s
        {
            self.error(raw_end.span(), "the meeting ends before it starts", None);
        }
        let place = self.non_empty(&m.place, "place");
        let remote = m.remote.as_ref().map(|r| self.non_empty(r, "remote"));
        (date, Some(place), remote)
    }

    /// A reference to a person present, by name; an error with a "did you mean" otherwise.
    /// With `mfl`, "Johanna Sjö m.fl." is accepted (and means her and others).
    pub(super) fn person_ref<'r>(
        &mut self,
        roster: &'r Roster,
        name: &Spanned<String>,
        mfl: bool,
    ) -> Option<&'r roster::Entry> {
        let (bare, has_mfl) = roster::split_mfl(name.get_ref());
        if has_mfl && !mfl {
            self.error(name.span(), "name one person here, without m.fl.", None);
            return None;
        }
        if let Some(e) = roster.present(bare) {
            return Some(e);
        }
        let message = if roster.get(bare).is_some() {
            format!("`{bare}` had förhinder and was not at the meeting")
        } else {
            format!("`{bare}` is not among those present")
        };
        let hint = match roster.suggest(bare) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "write the name exactly as in [attendance]".to_string(),
        };
        self.error(name.span(), message, Some(&hint));
        None
    }
}

/// The span that stands for a § in messages about the whole §: its title, or else the first
/// field written.
pub(crate) fn paragraf_span(p: &RawNamndParagraf) -> Range<usize> {
    p.title
        .as_ref()
        .map(Spanned::span)
        .or_else(|| p.number.as_ref().map(Spanned::span))
        .or_else(|| p.typ.as_ref().map(Spanned::span))
        .or_else(|| p.diarienummer.first().map(Spanned::span))
        .or_else(|| p.beslut.first().map(Spanned::span))
        .or_else(|| p.arendet.as_ref().map(Spanned::span))
        .or_else(|| p.text.as_ref().map(Spanned::span))
        .unwrap_or(0..0)
}

#[cfg(test)]
mod tests;
