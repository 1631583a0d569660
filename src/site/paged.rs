//! The pages many meetings share, paged by year (issue 28): an organ's protocols and a
//! person's attendance and votes are each one page a year (`organ/<slug>/<year>/`,
//! `person/<slug>/<year>/`) below a small page that lists the years (`organ/<slug>/`,
//! `person/<slug>/`), and the start page lists each organ's years. A changed meeting makes
//! again only the year pages it is on — a ledamot sits for years, an organ meets for
//! decades, and neither page grows with the archive.
//!
//! Everything here is made from the meetings' [`Brief`]s, borrowed: nothing of a meeting is
//! copied for a page, and a year's pages are made from that year's meetings only.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::model::{Brief, CastVote, year};

/// A year as a URL segment: "2020", or "utan-datum" for dateless fragments.
pub(crate) fn year_slug(date: &str) -> String {
    let year = year(date);
    if year.bytes().all(|c| c.is_ascii_digit()) {
        year.to_string()
    } else {
        "utan-datum".into()
    }
}

/// One year of an organ or a person, as the page listing the years links it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct YearLink {
    /// As shown: "2020", "Utan datum".
    pub label: String,
    /// Its page's folder: "2020", "utan-datum".
    pub slug: String,
    /// Its meetings (an organ's protocols; the meetings a person is recorded in).
    pub meetings: usize,
    /// The votes a person cast in it (0 for an organ).
    pub votes: usize,
}

/// A person with a page: everyone a published record names in its attendance, except the
/// stand-ins of withheld people ("[Uppgift borttagen …]"), who must not be linked across
/// meetings (the briefs leave them out).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Person<'a> {
    /// The URL slug, the record's person id: "anna-ekblom". Made from the name alone, so it
    /// stays the same when meetings are added.
    pub slug: &'a str,
    /// As the newest meeting names the person.
    pub name: &'a str,
    /// The parties the person appeared for, newest first.
    pub parties: Vec<&'a str>,
    /// The years the person is recorded in, newest first.
    pub years: Vec<YearLink>,
}

/// The meetings on the site that are protocols (not coming), newest first, then by path:
/// the order of every list of the shared pages.
pub(crate) fn protocols_newest_first<'a>(
    briefs: impl IntoIterator<Item = &'a Brief>,
) -> Vec<&'a Brief> {
    let mut list: Vec<&Brief> = briefs.into_iter().filter(|b| b.coming.is_none()).collect();
    list.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
    list
}

/// Every person with a page, by slug: name, parties and years (with what each holds).
/// `briefs` newest first ([`protocols_newest_first`]).
pub(crate) fn people<'a>(briefs: &[&'a Brief]) -> BTreeMap<&'a str, Person<'a>> {
    let mut out: BTreeMap<&str, Person> = BTreeMap::new();
    let mut counts: BTreeMap<(&str, String), (usize, usize)> = BTreeMap::new();
    for b in briefs {
        let y = year_slug(&b.date);
        for p in &b.people {
            let person = out.entry(p.slug.as_str()).or_insert_with(|| Person {
                slug: &p.slug,
                name: &p.name,
                parties: Vec::new(),
                years: Vec::new(),
            });
            if let Some(party) = &p.party
                && !person.parties.contains(&party.as_str())
            {
                person.parties.push(party);
            }
            counts.entry((p.slug.as_str(), y.clone())).or_default().0 += 1;
        }
    }
    // A vote is listed on the voter's page (a voter is recorded in some meeting).
    for b in briefs {
        for (voter, _) in &b.votes {
            if out.contains_key(voter.as_str()) {
                counts
                    .entry((voter.as_str(), year_slug(&b.date)))
                    .or_default()
                    .1 += 1;
            }
        }
    }
    for ((slug, y), (meetings, votes)) in counts {
        if let Some(p) = out.get_mut(slug) {
            p.years.push(YearLink {
                label: label_of(&y),
                slug: y,
                meetings,
                votes,
            });
        }
    }
    for p in out.values_mut() {
        p.years.sort_by(|a, b| newest_first(&a.slug, &b.slug));
    }
    out
}

/// "2020", or "Utan datum" for the dateless.
fn label_of(slug: &str) -> String {
    if slug.bytes().all(|c| c.is_ascii_digit()) {
        slug.to_string()
    } else {
        year("").to_string()
    }
}

/// Years newest first, the dateless last.
fn newest_first(a: &str, b: &str) -> std::cmp::Ordering {
    let dated = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    dated(b).cmp(&dated(a)).then(b.cmp(a))
}

/// One meeting a person is recorded in, as their year page lists it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Attendance<'a> {
    pub path: &'a str,
    pub organ: &'a str,
    pub date: &'a str,
    /// "ledamot", "förhinder", … (several joined with ", ").
    pub role: &'a str,
}

/// One year of one person's page (`person/<slug>/<year>/`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PersonYear<'a> {
    pub slug: &'a str,
    /// As the year's newest meeting the person is recorded in names them.
    pub name: &'a str,
    /// The parties the person appeared for in this year, newest first.
    pub parties: Vec<&'a str>,
    pub year: String,
    /// Each meeting attended or excused, newest first.
    pub attendance: Vec<Attendance<'a>>,
    /// Each vote cast, newest meeting first, then by §.
    pub votes: Vec<&'a CastVote>,
}

/// The year pages of the people `wanted` in one year, made from that year's meetings
/// (`briefs`, newest first): only people with a page (`people`).
pub(crate) fn person_years<'a>(
    briefs: &[&'a Brief],
    people: &BTreeMap<&'a str, Person<'a>>,
    wanted: impl Fn(&str) -> bool,
) -> BTreeMap<&'a str, PersonYear<'a>> {
    let mut out: BTreeMap<&str, PersonYear> = BTreeMap::new();
    for b in briefs {
        for p in &b.people {
            let Some(person) = people.get(p.slug.as_str()) else {
                continue;
            };
            if !wanted(&p.slug) {
                continue;
            }
            let page = out
                .entry(person.slug)
                .or_insert_with(|| new_year(person, &b.date));
            if let Some(party) = &p.party
                && !page.parties.contains(&party.as_str())
            {
                page.parties.push(party);
            }
            // Named as the year's newest meeting names them, not as the archive's newest
            // does: a year's page depends on that year's meetings only, so an edit of
            // another year that respells the name ("Asa" to "Åsa", the same slug) leaves it
            // as a fresh build makes it.
            if page.attendance.is_empty() {
                page.name = &p.name;
            }
            page.attendance.push(Attendance {
                path: &b.path,
                organ: &b.organ,
                date: &b.date,
                role: &p.role,
            });
        }
        for (voter, vote) in &b.votes {
            let Some(person) = people.get(voter.as_str()) else {
                continue;
            };
            if wanted(voter) {
                out.entry(person.slug)
                    .or_insert_with(|| new_year(person, &b.date))
                    .votes
                    .push(vote);
            }
        }
    }
    out
}

fn new_year<'a>(person: &Person<'a>, date: &str) -> PersonYear<'a> {
    PersonYear {
        slug: person.slug,
        name: person.name,
        parties: Vec::new(),
        year: year(date).to_string(),
        attendance: Vec::new(),
        votes: Vec::new(),
    }
}

/// One organ on the site: its page (`organ/<slug>/`) lists its coming meetings (soonest
/// first) and its years (newest first), each year its page of protocols.
#[derive(Debug, Serialize)]
pub(crate) struct OrganPage<'a> {
    /// Made from the name ("arbetsmarknadsnamnden"), so it stays when meetings are added.
    pub slug: String,
    pub name: &'a str,
    pub coming: Vec<&'a Brief>,
    pub years: Vec<YearLink>,
}

/// One year of an organ's protocols (`organ/<slug>/<year>/`), newest first.
#[derive(Debug, Serialize)]
pub(crate) struct OrganYear<'a> {
    pub slug: String,
    pub name: &'a str,
    pub year: String,
    pub protocols: Vec<&'a Brief>,
}

/// The organ's slug, made from its name.
pub(crate) fn organ_slug(name: &str) -> String {
    crate::publish::record::person_id(name)
}

/// The organs, by name: each one's coming meetings and its years. `briefs`: every meeting
/// (coming ones too).
pub(crate) fn organs<'a>(briefs: impl IntoIterator<Item = &'a Brief>) -> Vec<OrganPage<'a>> {
    let mut organs: BTreeMap<&str, (Vec<&Brief>, BTreeMap<String, usize>)> = BTreeMap::new();
    for b in briefs {
        let (coming, years) = organs.entry(b.organ.as_str()).or_default();
        if b.coming.is_some() {
            coming.push(b);
        } else {
            *years.entry(year_slug(&b.date)).or_default() += 1;
        }
    }
    organs
        .into_iter()
        .map(|(organ, (coming, years))| {
            let mut years: Vec<YearLink> = years
                .into_iter()
                .map(|(slug, meetings)| YearLink {
                    label: label_of(&slug),
                    slug,
                    meetings,
                    votes: 0,
                })
                .collect();
            years.sort_by(|a, b| newest_first(&a.slug, &b.slug));
            OrganPage {
                slug: organ_slug(organ),
                name: organ,
                coming: super::model::soonest_first(coming),
                years,
            }
        })
        .collect()
}

/// The year pages of the organs in one year, `wanted` by organ name, from that year's
/// meetings (`briefs`, newest first).
pub(crate) fn organ_years<'a>(
    briefs: &[&'a Brief],
    wanted: impl Fn(&str) -> bool,
) -> Vec<OrganYear<'a>> {
    let mut out: BTreeMap<&str, OrganYear> = BTreeMap::new();
    for b in briefs.iter().filter(|b| wanted(&b.organ)) {
        out.entry(&b.organ)
            .or_insert_with(|| OrganYear {
                slug: organ_slug(&b.organ),
                name: &b.organ,
                year: year(&b.date).to_string(),
                protocols: Vec::new(),
            })
            .protocols
            .push(b);
    }
    out.into_values().collect()
}

/// The year pages a changed meeting is on, as it was and as it is (`brief`): its organ's
/// year, and the year of each person it names.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    /// (organ name, year slug).
    pub organ_years: BTreeSet<(String, String)>,
    /// (person slug, year slug).
    pub person_years: BTreeSet<(String, String)>,
    /// Persons whose page of years may change.
    pub persons: BTreeSet<String>,
}

impl Touched {
    pub fn add(&mut self, brief: &Brief) {
        if brief.coming.is_some() {
            return;
        }
        let y = year_slug(&brief.date);
        self.organ_years.insert((brief.organ.clone(), y.clone()));
        for slug in brief.slugs() {
            self.person_years.insert((slug.to_string(), y.clone()));
            self.persons.insert(slug.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_newest_first_and_the_dateless_last() {
        let mut years = vec!["1999", "utan-datum", "2020", "2003"];
        years.sort_by(|a, b| newest_first(a, b));
        assert_eq!(years, ["2020", "2003", "1999", "utan-datum"]);
        assert_eq!(year_slug("2020-04-21"), "2020");
        assert_eq!(year_slug(""), "utan-datum");
        assert_eq!(label_of("utan-datum"), "Utan datum");
    }
}
