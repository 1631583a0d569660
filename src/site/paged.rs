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
use std::path::{Path, PathBuf};

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

/// Where in the archive's order — newest first, then by page path, then by place in the
/// meeting — a person's name or party was met: the first met is the one shown.
type Met = (std::cmp::Reverse<String>, String, usize);

/// What the pages listing organs, years and people need of every meeting, gathered one
/// meeting at a time in any order (issue 28): the start page, the organs' pages, the people's
/// pages and the people's search index are made from it, and it grows with the organs, the
/// people and the years, not with the meetings. Each year's own pages are made from that
/// year's meetings ([`organ_years`], [`person_years`]).
#[derive(Default)]
pub(crate) struct Summaries {
    persons: BTreeMap<String, PersonSummary>,
    /// Votes cast by (voter, year): a voter with a page lists them.
    votes: BTreeMap<(String, String), usize>,
    organs: BTreeMap<String, OrganSummary>,
    /// The coming meetings, each with its meeting file.
    coming: Vec<(Brief, PathBuf)>,
    /// The protocols of each year (the years with a part of the search index).
    pub years: BTreeMap<String, usize>,
}

struct PersonSummary {
    /// As the newest meeting names them, and that meeting's file.
    name: String,
    met: Met,
    source: PathBuf,
    /// Each party, where it was first met.
    parties: BTreeMap<String, Met>,
    /// The meetings the person is recorded in, by year.
    years: BTreeMap<String, usize>,
}

#[derive(Default)]
struct OrganSummary {
    years: BTreeMap<String, usize>,
    /// A meeting file of the organ.
    source: Option<PathBuf>,
}

impl Summaries {
    /// Adds one meeting on the site, made from the meeting file `source`.
    pub fn add(&mut self, b: &Brief, source: &Path) {
        let organ = self.organs.entry(b.organ.clone()).or_default();
        if organ.source.is_none() {
            organ.source = Some(source.to_path_buf());
        }
        if b.coming.is_some() {
            self.coming.push((b.clone(), source.to_path_buf()));
            return;
        }
        let y = year_slug(&b.date);
        *organ.years.entry(y.clone()).or_default() += 1;
        *self.years.entry(y.clone()).or_default() += 1;
        for (i, p) in b.people.iter().enumerate() {
            let met = (std::cmp::Reverse(b.date.clone()), b.path.clone(), i);
            let s = self
                .persons
                .entry(p.slug.clone())
                .or_insert_with(|| PersonSummary {
                    name: p.name.clone(),
                    met: met.clone(),
                    source: source.to_path_buf(),
                    parties: BTreeMap::new(),
                    years: BTreeMap::new(),
                });
            if met < s.met {
                s.name = p.name.clone();
                s.met = met.clone();
                s.source = source.to_path_buf();
            }
            if let Some(party) = &p.party {
                let first = s
                    .parties
                    .entry(party.clone())
                    .or_insert_with(|| met.clone());
                if met < *first {
                    *first = met;
                }
            }
            *s.years.entry(y.clone()).or_default() += 1;
        }
        for (voter, _) in &b.votes {
            *self.votes.entry((voter.clone(), y.clone())).or_default() += 1;
        }
    }

    /// Every person with a page, by slug: name, parties and years (with what each holds).
    pub fn people(&self) -> BTreeMap<&str, Person<'_>> {
        let mut out: BTreeMap<&str, Person> = BTreeMap::new();
        for (slug, s) in &self.persons {
            let mut parties: Vec<(&Met, &str)> =
                s.parties.iter().map(|(p, met)| (met, p.as_str())).collect();
            parties.sort();
            let mut years: BTreeMap<&str, (usize, usize)> =
                s.years.iter().map(|(y, n)| (y.as_str(), (*n, 0))).collect();
            // A vote is listed on the voter's page (a voter is recorded in some meeting).
            for ((_, y), n) in self
                .votes
                .range((slug.clone(), String::new())..)
                .take_while(|((v, _), _)| v == slug)
            {
                years.entry(y.as_str()).or_default().1 += n;
            }
            let mut years: Vec<YearLink> = years
                .into_iter()
                .map(|(y, (meetings, votes))| YearLink {
                    label: label_of(y),
                    slug: y.to_string(),
                    meetings,
                    votes,
                })
                .collect();
            years.sort_by(|a, b| newest_first(&a.slug, &b.slug));
            out.insert(
                slug,
                Person {
                    slug,
                    name: &s.name,
                    parties: parties.into_iter().map(|(_, p)| p).collect(),
                    years,
                },
            );
        }
        out
    }

    /// The organs, by name: each one's coming meetings and its years.
    pub fn organs(&self) -> Vec<OrganPage<'_>> {
        self.organs
            .iter()
            .map(|(organ, s)| {
                let mut years: Vec<YearLink> = s
                    .years
                    .iter()
                    .map(|(slug, meetings)| YearLink {
                        label: label_of(slug),
                        slug: slug.clone(),
                        meetings: *meetings,
                        votes: 0,
                    })
                    .collect();
                years.sort_by(|a, b| newest_first(&a.slug, &b.slug));
                let coming = self
                    .coming
                    .iter()
                    .map(|(b, _)| b)
                    .filter(|b| b.organ == *organ)
                    .collect();
                OrganPage {
                    slug: organ_slug(organ),
                    name: organ,
                    coming: super::model::soonest_first(coming),
                    years,
                }
            })
            .collect()
    }

    /// Every coming meeting, soonest first.
    pub fn coming(&self) -> Vec<&Brief> {
        super::model::coming(self.coming.iter().map(|(b, _)| b))
    }

    /// How many coming meetings there are.
    pub fn coming_count(&self) -> usize {
        self.coming.len()
    }

    /// The meeting files what these pages show comes from: for each person the one that
    /// names them as shown, for each organ one of its own, each coming meeting's. A find of
    /// the shared gate is placed in one of them.
    pub fn sources(&self) -> BTreeSet<&Path> {
        self.persons
            .values()
            .map(|p| p.source.as_path())
            .chain(self.organs.values().filter_map(|o| o.source.as_deref()))
            .chain(self.coming.iter().map(|(_, p)| p.as_path()))
            .collect()
    }

    /// The organs with protocols in the year `y`.
    pub fn organs_of_year<'a>(&'a self, y: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.organs
            .iter()
            .filter(move |(_, s)| s.years.contains_key(y))
            .map(|(o, _)| o.as_str())
    }
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

    /// The person and organ pages as they were made from every meeting at once (newest
    /// first), before the summaries: the reference the summaries must give.
    /// Every person with a page, by slug: name, parties and years (with what each holds).
    /// `briefs` newest first ([`protocols_newest_first`]).
    fn people<'a>(briefs: &[&'a Brief]) -> BTreeMap<&'a str, Person<'a>> {
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

    /// The organs, by name: each one's coming meetings and its years. `briefs`: every meeting
    /// (coming ones too).
    fn organs<'a>(briefs: impl IntoIterator<Item = &'a Brief>) -> Vec<OrganPage<'a>> {
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
                    coming: crate::site::model::soonest_first(coming),
                    years,
                }
            })
            .collect()
    }

    fn brief(path: &str, organ: &str, date: &str, people: &[(&str, &str, Option<&str>)]) -> Brief {
        Brief {
            path: path.into(),
            organ: organ.into(),
            date: date.into(),
            name: format!("Sammanträde {date}"),
            fragment: false,
            people: people
                .iter()
                .map(|(slug, name, party)| super::super::model::BriefPerson {
                    slug: (*slug).into(),
                    name: (*name).into(),
                    party: party.map(str::to_string),
                    role: "ledamot".into(),
                })
                .collect(),
            votes: Vec::new(),
            coming: None,
        }
    }

    /// The summaries, gathered one meeting at a time in the archive's page order, give the
    /// pages that listing every meeting newest first gave: the name as the newest meeting
    /// writes it, the parties in the order first met, a year where the person only voted.
    #[test]
    fn summaries_gathered_in_any_order_give_the_pages_of_every_meeting_at_once() {
        let mut briefs = vec![
            brief(
                "fvg/2019-04-16",
                "FVG",
                "2019-04-16",
                &[("ulla", "Ulla Ek", Some("S"))],
            ),
            brief(
                "fvg/2020-04-16",
                "FVG",
                "2020-04-16",
                &[
                    ("ulla", "Ulla Ék", Some("V")),
                    ("bo", "Bo Ström", None),
                    ("ulla", "Ulla Ek", Some("MP")),
                ],
            ),
            brief(
                "amn/2020-04-16",
                "AMN",
                "2020-04-16",
                &[("ulla", "Ulla Eek", Some("S"))],
            ),
            brief("amn/utan", "AMN", "", &[("bo", "Bo Strom", Some("C"))]),
        ];
        briefs[3].fragment = true;
        briefs[0].votes.push((
            "bo".into(),
            super::super::model::CastVote {
                path: "fvg/2019-04-16".into(),
                organ: "FVG".into(),
                date: "2019-04-16".into(),
                paragraf: 1,
                title: "Val".into(),
                vote: "Ja".into(),
                for_proposal: String::new(),
            },
        ));
        let mut s = Summaries::default();
        for b in &briefs {
            s.add(b, Path::new("data/x.toml"));
        }
        let newest = protocols_newest_first(&briefs);
        assert_eq!(s.people(), people(&newest));
        let ulla = &s.people()["ulla"];
        assert_eq!(
            (ulla.name, &ulla.parties[..]),
            ("Ulla Eek", &["S", "V", "MP"][..])
        );
        let bo = &s.people()["bo"];
        assert_eq!(
            bo.years
                .iter()
                .map(|y| (y.slug.as_str(), y.meetings, y.votes))
                .collect::<Vec<_>>(),
            [("2020", 1, 0), ("2019", 0, 1), ("utan-datum", 1, 0)]
        );
        assert_eq!(
            serde_json::to_value(s.organs()).unwrap(),
            serde_json::to_value(organs(&briefs)).unwrap()
        );
    }

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
