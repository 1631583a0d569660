//! Who was at a nämnd meeting and in which capacity, § by §: the one place that answers
//! "does this person serve (take part in decisions) in § n?". Built from the raw attendance
//! without judging it; the checks ask it questions.

use crate::meeting::model::namnd::MemberId;
use crate::meeting::raw::namnd::{RawMember, RawNamndAttendance};
use crate::meeting::validate::people::paragraf_ranges;

/// A person's capacity at the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Ordforande,
    ViceOrdforande,
    Ledamot,
    /// A tjänstgörande ersättare: serves (votes) in place of a ledamot.
    Tjanstgorande,
    /// An ej tjänstgörande ersättare: present, does not vote.
    Ersattare,
    /// Sent word they could not come: not present (a ledamot, or not said which).
    Forhinder,
    /// An ersättare who sent word they could not come: not present.
    ForhinderErsattare,
}

impl Role {
    /// Sent word: not at the meeting.
    pub fn absent(self) -> bool {
        matches!(self, Role::Forhinder | Role::ForhinderErsattare)
    }
}

/// One person of the attendance.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Its place in the roster, which is the model's [`MemberId`] of the member.
    pub id: MemberId,
    pub name: String,
    pub party: String,
    pub role: Role,
    /// The § the person serves in, when not all; `None` is every §.
    pub only: Option<Vec<(u32, u32)>>,
}

impl Entry {
    /// "Anna Berg (S)"
    pub fn display(&self) -> String {
        display(&self.name, &self.party)
    }

    /// Whether the person takes part in decisions in § `n` (before jäv).
    pub(crate) fn serves_in(&self, n: u32) -> bool {
        let votes = matches!(
            self.role,
            Role::Ordforande | Role::ViceOrdforande | Role::Ledamot | Role::Tjanstgorande
        );
        votes && self.in_only(n)
    }

    fn in_only(&self, n: u32) -> bool {
        self.only
            .as_ref()
            .is_none_or(|ranges| ranges.iter().any(|(a, b)| (*a..=*b).contains(&n)))
    }

    /// Whether a tjänstgörande ersättare serves in § n (else they sit as ej tjänstgörande).
    pub(crate) fn tjanstgor_in(&self, n: u32) -> bool {
        self.role == Role::Tjanstgorande && self.in_only(n)
    }
}

/// "Anna Berg (S)"
pub fn display(name: &str, party: &str) -> String {
    if party.trim().is_empty() {
        name.to_string()
    } else {
        format!("{name} ({party})")
    }
}

/// A reference to people as written: "Johanna Sjö m.fl." is Johanna Sjö and others.
pub(crate) fn split_mfl(reference: &str) -> (&str, bool) {
    let t = reference.trim();
    match t.strip_suffix("m.fl.") {
        Some(rest) => (rest.trim_end(), true),
        None => (t, false),
    }
}

/// Everyone in the attendance, in the order of the attendance block.
#[derive(Debug, Default)]
pub(crate) struct Roster {
    pub entries: Vec<Entry>,
}

impl Roster {
    /// Reads the attendance as written; `only` that cannot be read counts as every §
    /// (validation reports it).
    pub fn new(raw: &RawNamndAttendance) -> Self {
        let mut entries = Vec::new();
        let mut add = |m: &toml::Spanned<RawMember>, role: Role| {
            let r = m.get_ref();
            entries.push(Entry {
                id: MemberId(entries.len()),
                name: r.name.get_ref().trim().to_string(),
                party: r.party.get_ref().trim().to_string(),
                role,
                only: r
                    .only
                    .as_ref()
                    .and_then(|o| paragraf_ranges(o.get_ref()).ok()),
            });
        };
        if let Some(o) = &raw.ordforande {
            add(o, Role::Ordforande);
        }
        if let Some(v) = &raw.vice_ordforande {
            add(v, Role::ViceOrdforande);
        }
        for (list, role) in [
            (&raw.ledamoter, Role::Ledamot),
            (&raw.tjanstgorande, Role::Tjanstgorande),
            (&raw.ersattare, Role::Ersattare),
            (&raw.forhinder, Role::Forhinder),
            (&raw.forhinder_ledamoter, Role::Forhinder),
            (&raw.forhinder_ersattare, Role::ForhinderErsattare),
        ] {
            for m in list {
                add(m, role);
            }
        }
        Self { entries }
    }

    /// The person of that name (first listed, if listed twice).
    pub fn get(&self, name: &str) -> Option<&Entry> {
        let name = name.trim();
        self.entries.iter().find(|e| e.name == name)
    }

    /// The person of that name, if at the meeting (not förhinder).
    pub fn present(&self, name: &str) -> Option<&Entry> {
        self.get(name).filter(|e| !e.role.absent())
    }

    pub fn ordforande(&self) -> Option<&Entry> {
        self.entries.iter().find(|e| e.role == Role::Ordforande)
    }

    /// Who presides in § `n`: the member the § names (`ordforande`, when the ordförande is
    /// jävig), else the ordförande unless jävig there.
    pub fn presiding(&self, named: Option<&str>, n: u32, jav: &[&str]) -> Option<&Entry> {
        match named {
            Some(name) => self.present(name).filter(|e| e.serves_in(n)),
            None => self
                .ordforande()
                .filter(|e| e.serves_in(n) && !jav.contains(&e.name.as_str())),
        }
    }

    /// Everyone serving in § `n`, less those who declared jäv.
    pub fn serving(&self, n: u32, jav: &[&str]) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| e.serves_in(n) && !jav.contains(&e.name.as_str()))
            .collect()
    }

    /// The closest name of someone present, for a "did you mean".
    pub(crate) fn suggest(&self, name: &str) -> Option<&str> {
        self.closest(name, false)
    }

    /// The closest name in the whole attendance, förhinder included.
    pub(crate) fn suggest_listed(&self, name: &str) -> Option<&str> {
        self.closest(name, true)
    }

    fn closest(&self, name: &str, absent_too: bool) -> Option<&str> {
        self.entries
            .iter()
            .filter(|e| absent_too || !e.role.absent())
            .map(|e| (strsim::jaro_winkler(name, &e.name), e.name.as_str()))
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, n)| n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_reads_ranges() {
        assert_eq!(
            paragraf_ranges("8-10, 12").unwrap(),
            vec![(8, 10), (12, 12)]
        );
        assert!(paragraf_ranges("8-").is_err());
        assert!(paragraf_ranges("10-8").is_err());
    }

    #[test]
    fn mfl_is_split_off_a_reference() {
        assert_eq!(split_mfl("Johanna Sjö m.fl."), ("Johanna Sjö", true));
        assert_eq!(split_mfl(" Gulan Avci "), ("Gulan Avci", false));
    }
}
