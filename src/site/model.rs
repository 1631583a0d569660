//! The site's data: one entry per published meeting, made from its web edition's record
//! ([`crate::publish::record`]), and the people gathered across meetings.
//!
//! An entry keeps the record as JSON (`serde_json::Value`): it is what the templates read,
//! and what the cache (`.protokoll-site.json`) stores so that an unchanged meeting is not
//! read, validated and redacted again.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One published meeting on the site.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// The page's path below the site root, `/`-separated, without slashes at either end:
    /// "amn/2020-04-21" (the meeting file's path below `data/`, so it does not change when
    /// other meetings are added).
    pub path: String,
    /// The web edition's record ([`crate::publish::record::Record`], edition "web").
    pub record: Value,
    /// Files published beside the page (the web-edition PDF first, then extracts), by
    /// their file names in the page's folder.
    pub files: Vec<PublishedFile>,
}

/// A PDF published beside a meeting's page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct PublishedFile {
    /// The file name in the meeting's folder: "2020-04-21-webb.pdf".
    pub name: String,
    /// What a reader sees: "Protokoll (webbutgåva, PDF)".
    pub label: String,
    /// Hex SHA-256 of the bytes (the cache notices a new edition by it).
    pub sha256: String,
}

impl Entry {
    /// The organ's name: "Arbetsmarknadsnämnden".
    pub fn organ(&self) -> &str {
        str_at(&self.record, &["organization", "name"])
    }

    /// The meeting's day, "2020-04-21", or "" for a dateless fragment.
    pub fn date(&self) -> &str {
        str_at(&self.record, &["meeting", "date"])
    }
}

/// A string field of a JSON value by path; "" when absent or not a string.
pub(crate) fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut at = v;
    for key in path {
        match at.get(key) {
            Some(next) => at = next,
            None => return "",
        }
    }
    at.as_str().unwrap_or("")
}

/// A person with a page: everyone a published record names in its attendance, except the
/// stand-ins of withheld people ("[Uppgift borttagen …]"), who must not be linked across
/// meetings.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PersonPage {
    /// The URL slug, the record's person id: "anna-ekblom". Made from the name alone, so it
    /// stays the same when meetings are added.
    pub(crate) slug: String,
    pub name: String,
    /// The parties the person appeared for, in order of first appearance.
    pub(crate) parties: Vec<String>,
    /// Each meeting attended or excused, newest first.
    pub attendance: Vec<Attendance>,
    /// Each vote cast, newest meeting first, then by §.
    pub votes: Vec<CastVote>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attendance {
    pub path: String,
    pub organ: String,
    pub date: String,
    /// "ledamot", "förhinder", … (several joined with ", ").
    pub role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct CastVote {
    pub path: String,
    pub organ: String,
    pub date: String,
    pub paragraf: u64,
    pub title: String,
    /// "Ja", "Nej", "Avstår".
    pub vote: String,
    /// Who proposed what the vote was for: a "yes" is for the motion, a "no" for the
    /// counter-motion ("Anna Ekblom (S)"); empty for an abstention.
    pub(crate) for_proposal: String,
}

/// What the shared pages need of one meeting (the index, the person pages), kept in the
/// site's cache so that a rebuild after one changed meeting makes them without reading the
/// other meetings' records again.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Brief {
    /// As [`Entry::path`].
    pub path: String,
    pub organ: String,
    /// "2020-04-21", or "" for a dateless fragment.
    pub date: String,
    /// The meeting's name ("Sammanträde med …").
    pub name: String,
    pub fragment: bool,
    /// The people with a page, in the record's order.
    pub people: Vec<BriefPerson>,
    /// Each vote cast, by §, with the voter's id.
    pub votes: Vec<(String, CastVote)>,
    /// A coming meeting (issue 26): planned, not yet held. It has no page, names no one on a
    /// person page and is in no search part; the start page and its organ's page list it.
    #[serde(default)]
    pub coming: Option<Coming>,
}

/// What the site shows of a coming meeting: when, where, and its public kallelse.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Coming {
    /// When it begins, "15:00" ("" when the file gives no time).
    pub time: String,
    /// Where, as the kallelse says ("" when it gives no place).
    pub place: String,
    /// Its public kallelse and meeting pack, published in its folder (`amn/2020-05-19/`).
    pub files: Vec<PublishedFile>,
}

/// One person of one meeting, as a person page lists them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct BriefPerson {
    pub slug: String,
    pub name: String,
    pub party: Option<String>,
    /// "ledamot", "förhinder", … (several joined with ", ").
    pub role: String,
}

impl Brief {
    /// The brief of one entry: everyone its record names in its attendance, except the
    /// stand-ins of withheld people ("[Uppgift borttagen …]"), who must not be linked across
    /// meetings; and its votes.
    pub fn of(e: &Entry) -> Brief {
        let r = &e.record;
        let empty = Vec::new();
        let people = r["persons"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .filter_map(|p| {
                let slug = str_at(p, &["id"]);
                let name = str_at(p, &["name"]);
                if slug.is_empty() || name.starts_with('[') {
                    return None;
                }
                let roles: Vec<&str> = r["memberships"]
                    .as_array()
                    .unwrap_or(&empty)
                    .iter()
                    .filter(|m| str_at(m, &["person_id"]) == slug)
                    .map(|m| str_at(m, &["role"]))
                    .collect();
                Some(BriefPerson {
                    slug: slug.to_string(),
                    name: name.to_string(),
                    party: p["party"].as_str().map(str::to_string),
                    role: roles.join(", "),
                })
            })
            .collect();
        let mut votes = Vec::new();
        for item in r["agenda_items"].as_array().unwrap_or(&empty) {
            let motions = item["motions"].as_array().unwrap_or(&empty);
            let proposer = |id: &str| {
                motions
                    .iter()
                    .find(|m| str_at(m, &["id"]) == id)
                    .map(|m| str_at(m, &["proposed_by"]).to_string())
                    .unwrap_or_default()
            };
            for ev in item["vote_events"].as_array().unwrap_or(&empty) {
                for v in ev["votes"].as_array().unwrap_or(&empty) {
                    let (vote, for_proposal) = match str_at(v, &["option"]) {
                        "yes" => ("Ja", proposer(str_at(ev, &["motion_id"]))),
                        "no" => ("Nej", proposer(str_at(ev, &["counter_motion_id"]))),
                        _ => ("Avstår", String::new()),
                    };
                    votes.push((
                        str_at(v, &["voter_id"]).to_string(),
                        CastVote {
                            path: e.path.clone(),
                            organ: e.organ().to_string(),
                            date: e.date().to_string(),
                            paragraf: item["number"].as_u64().unwrap_or(0),
                            title: str_at(item, &["name"]).to_string(),
                            vote: vote.into(),
                            for_proposal,
                        },
                    ));
                }
            }
        }
        Brief {
            path: e.path.clone(),
            organ: e.organ().to_string(),
            date: e.date().to_string(),
            name: str_at(r, &["meeting", "name"]).to_string(),
            fragment: r["meeting"]["fragment"].as_bool().unwrap_or(false),
            people,
            votes,
            coming: None,
        }
    }

    /// The brief of a coming meeting (its entry made from the record of its public
    /// kallelse): organ, day, time, place and the files published; no one in it has
    /// attended, so it names no one.
    pub fn coming(e: &Entry) -> Brief {
        let r = &e.record;
        let start = str_at(r, &["meeting", "start"]);
        Brief {
            path: e.path.clone(),
            organ: e.organ().to_string(),
            date: e.date().to_string(),
            name: str_at(r, &["meeting", "name"]).to_string(),
            fragment: false,
            people: Vec::new(),
            votes: Vec::new(),
            coming: Some(Coming {
                time: start
                    .split_once('T')
                    .map(|(_, t)| t.to_string())
                    .unwrap_or_default(),
                place: str_at(r, &["meeting", "location"]).to_string(),
                files: e.files.clone(),
            }),
        }
    }

    /// The slugs of the people this meeting puts on a person page (attendance or a vote).
    pub(crate) fn slugs(&self) -> impl Iterator<Item = &str> {
        self.people
            .iter()
            .map(|p| p.slug.as_str())
            .chain(self.votes.iter().map(|(s, _)| s.as_str()))
    }
}

/// The people of every meeting, by slug (sorted, so pages come out in the same order).
pub fn persons<'a>(briefs: impl IntoIterator<Item = &'a Brief>) -> BTreeMap<String, PersonPage> {
    let mut out: BTreeMap<String, PersonPage> = BTreeMap::new();
    // Newest first, then by path.
    let mut ordered: Vec<&Brief> = briefs.into_iter().collect();
    ordered.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
    for b in ordered {
        for p in &b.people {
            let page = out.entry(p.slug.clone()).or_insert_with(|| PersonPage {
                slug: p.slug.clone(),
                name: p.name.clone(),
                parties: Vec::new(),
                attendance: Vec::new(),
                votes: Vec::new(),
            });
            if let Some(party) = &p.party
                && !page.parties.contains(party)
            {
                page.parties.push(party.clone());
            }
            page.attendance.push(Attendance {
                path: b.path.clone(),
                organ: b.organ.clone(),
                date: b.date.clone(),
                role: p.role.clone(),
            });
        }
        for (voter, vote) in &b.votes {
            if let Some(page) = out.get_mut(voter) {
                page.votes.push(vote.clone());
            }
        }
    }
    out
}

/// One organ on the site: its page (`organ/<slug>/`), its coming meetings (soonest first)
/// and its years (newest first) with their protocols (newest first).
#[derive(Debug, Serialize)]
pub(crate) struct OrganPage<'a> {
    /// Made from the name ("arbetsmarknadsnamnden"), so it stays when meetings are added.
    pub slug: String,
    pub name: String,
    pub coming: Vec<&'a Brief>,
    pub years: Vec<(String, Vec<&'a Brief>)>,
}

/// The year a meeting is filed under on the index and in the search index's parts.
pub fn year(date: &str) -> &str {
    date.get(..4).unwrap_or("Utan datum")
}

/// One organ's meetings as its page lists them: the coming ones, and the protocols by year.
type OrganMeetings<'a> = (Vec<&'a Brief>, BTreeMap<String, Vec<&'a Brief>>);

/// The organs, by name: each one's coming meetings, and its protocols by year.
pub(crate) fn organs<'a>(briefs: impl IntoIterator<Item = &'a Brief>) -> Vec<OrganPage<'a>> {
    let mut organs: BTreeMap<&str, OrganMeetings<'a>> = BTreeMap::new();
    for b in briefs {
        let (coming, years) = organs.entry(b.organ.as_str()).or_default();
        if b.coming.is_some() {
            coming.push(b);
        } else {
            years.entry(year(&b.date).to_string()).or_default().push(b);
        }
    }
    organs
        .into_iter()
        .map(|(organ, (coming, years))| {
            let years = years
                .into_iter()
                .rev()
                .map(|(y, mut list)| {
                    list.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
                    (y, list)
                })
                .collect();
            OrganPage {
                slug: crate::publish::record::person_id(organ),
                name: organ.to_string(),
                coming: soonest_first(coming),
                years,
            }
        })
        .collect()
}

/// Every coming meeting, soonest first (then by organ and path): the start page's list.
pub(crate) fn coming<'a>(briefs: impl IntoIterator<Item = &'a Brief>) -> Vec<&'a Brief> {
    soonest_first(briefs.into_iter().filter(|b| b.coming.is_some()).collect())
}

fn soonest_first(mut list: Vec<&Brief>) -> Vec<&Brief> {
    list.sort_by(|a, b| {
        (
            &a.date,
            &a.coming.as_ref().map(|c| &c.time),
            &a.organ,
            &a.path,
        )
            .cmp(&(
                &b.date,
                &b.coming.as_ref().map(|c| &c.time),
                &b.organ,
                &b.path,
            ))
    });
    list
}
