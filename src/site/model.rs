//! The site's data: one entry per published meeting, made from its web edition's record
//! ([`crate::publish::record`]), and what the shared pages need of it ([`Brief`]; the pages
//! themselves: [`super::paged`]).
//!
//! An entry keeps the record as JSON (`serde_json::Value`): it is what the templates read,
//! and what the cache ([`super::cache`]) stores so that an unchanged meeting is not
//! read, validated and redacted again.

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

/// The year a meeting is filed under on the index and in the search index's parts.
pub fn year(date: &str) -> &str {
    date.get(..4).unwrap_or("Utan datum")
}

/// Every coming meeting, soonest first (then by organ and path): the start page's list.
pub(crate) fn coming<'a>(briefs: impl IntoIterator<Item = &'a Brief>) -> Vec<&'a Brief> {
    soonest_first(briefs.into_iter().filter(|b| b.coming.is_some()).collect())
}

pub(crate) fn soonest_first(mut list: Vec<&Brief>) -> Vec<&Brief> {
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
