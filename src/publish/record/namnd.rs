//! The record of a nämnd protocol: members and their capacities, and each § with its
//! decisions, proposals, votes per member, reservations and jäv.

use std::collections::BTreeMap;

use super::*;
use crate::meeting::model::namnd::{Member, NamndMeeting};
use crate::meeting::raw::namnd::{RawNamndMeeting, RawReservation, RawUttalande};

pub(super) fn record(
    m: &NamndMeeting,
    r: &RawNamndMeeting,
    w: &Withholding,
    edition: Edition,
) -> Record {
    let numbers = numbers(&m.bilagor);
    let a = &m.attendance;
    let mut persons: Vec<Person> = Vec::new();
    let mut memberships = Vec::new();
    // Display ("Anna Ekblom (S)") → id, for votes, jäv and the serving lists.
    let mut by_display: BTreeMap<String, String> = BTreeMap::new();
    let mut add_member = |persons: &mut Vec<Person>, mem: &Member, role: &str| {
        let id = unique_id(persons, &mem.name);
        if !persons.iter().any(|p| p.id == id) {
            persons.push(Person {
                id: id.clone(),
                name: mem.name.clone(),
                party: Some(mem.party.clone()),
            });
        }
        by_display.insert(mem.display.clone(), id.clone());
        memberships.push(Membership {
            person_id: id,
            role: role.into(),
            on_behalf_of: Some(mem.party.clone()),
            replaces: mem.replaces.clone(),
            paragrafer: mem.only.clone(),
            title: None,
        });
    };
    for (list, role) in [
        (a.ordforande.iter().collect::<Vec<_>>(), "ordförande"),
        (a.vice_ordforande.iter().collect(), "vice ordförande"),
        (a.ledamoter.iter().collect(), "ledamot"),
        (a.tjanstgorande.iter().collect(), "tjänstgörande ersättare"),
        (a.ersattare.iter().collect(), "ersättare"),
        (a.forhinder.iter().collect(), "förhinder"),
    ] {
        for mem in list {
            add_member(&mut persons, mem, role);
        }
    }
    // `replaces` is printed "Helena Rask (S)": make it the person's id.
    for ms in &mut memberships {
        if let Some(rep) = &ms.replaces {
            ms.replaces = Some(
                by_display
                    .get(rep)
                    .cloned()
                    .unwrap_or_else(|| person_id(rep)),
            );
        }
    }
    for (list, role) in [(&a.foredragande, "föredragande"), (&a.ovriga, "övrig")] {
        for o in list {
            let id = unique_id(&persons, &o.name);
            persons.push(Person {
                id: id.clone(),
                name: o.name.clone(),
                party: None,
            });
            memberships.push(Membership {
                person_id: id,
                role: role.into(),
                on_behalf_of: None,
                replaces: None,
                paragrafer: None,
                title: o.role.clone(),
            });
        }
    }
    let id_of = |display: &str| {
        by_display
            .get(display)
            .cloned()
            .unwrap_or_else(|| person_id(display))
    };
    let party_of = |id: &str| {
        persons
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.party.clone())
    };
    let ids_of_names = |names: &[toml::Spanned<String>]| -> Vec<String> {
        names
            .iter()
            .filter_map(|n| {
                let (name, _) = split_mfl(n.get_ref());
                let id = person_id(name);
                persons.iter().any(|p| p.id == id).then_some(id)
            })
            .collect()
    };
    let mut items = Vec::new();
    for (i, p) in m.paragrafer.iter().enumerate() {
        let rp = r.paragraf.get(i);
        let withheld = w.paragrafer.get(&i).filter(|_| edition == Edition::Web);
        if let Some(x) = withheld {
            items.push(AgendaItem {
                number: p.number,
                name: p.title.clone(),
                typ: Some(typ_name(p)),
                diarienummer: p.diarienummer.clone(),
                text: Some(marks::notice(&x.reason)),
                anmalningar: Vec::new(),
                decisions: Vec::new(),
                omedelbar_justering: p.omedelbar_justering,
                arendet: None,
                tjansteutlatande: None,
                motions: Vec::new(),
                beslutsgang: None,
                vote_events: Vec::new(),
                reservations: Vec::new(),
                sarskilda_uttalanden: Vec::new(),
                ersattaryttranden: Vec::new(),
                jav: Vec::new(),
                // Who took part would show who did not (a jäv): withheld with the rest.
                participants: Vec::new(),
                papers: p.bilagor.clone(),
                withheld: Some(x.reason.clone()),
                said: Vec::new(),
                items: Vec::new(),
                closing: None,
            });
            continue;
        }
        let t = |md: Option<&toml::Spanned<String>>| opt_text(md, edition, &numbers);
        let list = |v: &[toml::Spanned<String>]| -> Vec<String> {
            v.iter()
                .map(|s| text(s.get_ref(), edition, &numbers))
                .collect()
        };
        let motions = p
            .forslag
            .iter()
            .map(|f| {
                let raw_f = rp.and_then(|rp| rp.forslag.iter().find(|x| x.id.get_ref() == &f.id));
                Motion {
                    id: f.id.clone(),
                    // The proposal's own sentence stands for it where the file gives no
                    // separate text (issue 11: the record says what the meeting said).
                    text: raw_f
                        .and_then(|x| x.text.as_ref().or(x.sentence.as_ref()))
                        .map(|t| text(t.get_ref(), edition, &numbers))
                        .unwrap_or_default(),
                    proposers: raw_f.map(|x| ids_of_names(&x.by)).unwrap_or_default(),
                    proposed_by: f.by.clone(),
                    adopted: f.bifallet,
                }
            })
            .collect();
        let vote_events = p
            .omrostning
            .iter()
            .map(|o| VoteEvent {
                motion_id: o.ja_for.clone(),
                counter_motion_id: o.nej_for.clone(),
                result: o.winner.clone(),
                utslagsrost: o.utslagsrost,
                counts: vec![
                    Count {
                        option: "yes".into(),
                        value: o.ja,
                    },
                    Count {
                        option: "no".into(),
                        value: o.nej,
                    },
                    Count {
                        option: "abstain".into(),
                        value: o.avstar,
                    },
                ],
                votes: o
                    .rows
                    .iter()
                    .map(|v| {
                        let id = id_of(&v.member);
                        Vote {
                            group: party_of(&id),
                            voter_id: id,
                            option: match v.vote.as_str() {
                                "ja" => "yes",
                                "nej" => "no",
                                _ => "abstain",
                            }
                            .into(),
                        }
                    })
                    .collect(),
            })
            .collect();
        let statements = |model: &[crate::meeting::model::namnd::Uttalande],
                          texts: Vec<StatementSource>|
         -> Vec<Statement> {
            model
                .iter()
                .enumerate()
                .map(|(k, u)| {
                    let (md, by, intro, att) =
                        texts.get(k).cloned().unwrap_or((None, &[], None, &[]));
                    Statement {
                        by: u.by.clone(),
                        person_ids: ids_of_names(by),
                        motion_id: u.forslag.clone(),
                        intro: opt_text(intro, edition, &numbers),
                        att: att
                            .iter()
                            .map(|a| text(a.get_ref(), edition, &numbers))
                            .collect(),
                        text: opt_text(md, edition, &numbers),
                    }
                })
                .collect()
        };
        let (res, sarsk, ers) = match rp {
            Some(rp) => (
                sources(&rp.reservation),
                sources(&rp.sarskilt_uttalande),
                sources(&rp.ersattaryttrande),
            ),
            None => (Vec::new(), Vec::new(), Vec::new()),
        };
        items.push(AgendaItem {
            number: p.number,
            name: p.title.clone(),
            typ: Some(typ_name(p)),
            diarienummer: p.diarienummer.clone(),
            text: rp.and_then(|rp| t(rp.text.as_ref())),
            anmalningar: rp.map(|rp| list(&rp.anmalningar)).unwrap_or_default(),
            decisions: rp.map(|rp| list(&rp.beslut)).unwrap_or_default(),
            omedelbar_justering: p.omedelbar_justering,
            arendet: rp.and_then(|rp| t(rp.arendet.as_ref())),
            tjansteutlatande: p.tjansteutlatande.map(|d| d.iso()),
            motions,
            beslutsgang: rp.and_then(|rp| t(rp.beslutsgang.as_ref())),
            vote_events,
            reservations: statements(&p.reservationer, res),
            sarskilda_uttalanden: statements(&p.sarskilda_uttalanden, sarsk),
            ersattaryttranden: statements(&p.ersattaryttranden, ers),
            jav: p.jav.iter().map(|j| id_of(j)).collect(),
            participants: p.serving.iter().map(|s| id_of(s)).collect(),
            papers: p.bilagor.clone(),
            withheld: None,
            said: Vec::new(),
            items: Vec::new(),
            closing: None,
        });
    }
    let time = r.meeting.as_ref();
    let date = m.date.map(|d| d.iso());
    let at = |hhmm: Option<&str>| match (&date, hhmm) {
        (Some(d), Some(t)) => Some(format!("{d}T{}", t.trim())),
        _ => None,
    };
    Record {
        generator: format!("protokoll {}", env!("CARGO_PKG_VERSION")),
        edition: edition_name(edition),
        kind: String::new(),
        organization: Organization {
            name: m.namnd.clone(),
            abbreviation: m.organ.clone(),
            classification: "nämnd".into(),
            parent: m.organisation.name.clone(),
            forvaltning: m.organisation.forvaltning.clone(),
        },
        meeting: MeetingInfo {
            name: m.title.clone(),
            date: date.clone(),
            start: at(time.map(|t| t.start.get_ref().as_str())),
            end: at(time.map(|t| t.end.get_ref().as_str())),
            location: m.plats.clone(),
            justerad: m.justerad.map(|d| d.iso()),
            justerare: r
                .justerare
                .as_ref()
                .map(|j| j.get_ref().iter().map(|n| person_id(n.get_ref())).collect())
                .unwrap_or_default(),
            sekreterare: m.sekreterare.clone(),
            fragment: m.fragment,
        },
        persons,
        memberships,
        agenda_items: items,
        papers: Vec::new(),
        withheld: Vec::new(),
        inte_personnummer: Vec::new(),
    }
}

fn typ_name(p: &crate::meeting::model::namnd::NamndParagraf) -> String {
    serde_json::to_value(p.typ)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A statement's sources in the file: its Markdown text, who made it, its own intro
/// sentence and its att-satser (issue 11).
type StatementSource<'a> = (
    Option<&'a toml::Spanned<String>>,
    &'a [toml::Spanned<String>],
    Option<&'a toml::Spanned<String>>,
    &'a [toml::Spanned<String>],
);

/// What a reservation, a särskilt uttalande and an ersättaryttrande share in the file.
trait RawStatement {
    fn source(&self) -> StatementSource<'_>;
}

impl RawStatement for RawReservation {
    fn source(&self) -> StatementSource<'_> {
        let by = self.by.get_ref().as_slice();
        (self.text.as_ref(), by, self.intro.as_ref(), &self.att)
    }
}

impl RawStatement for RawUttalande {
    fn source(&self) -> StatementSource<'_> {
        let by = self.by.get_ref().as_slice();
        (self.text.as_ref(), by, self.intro.as_ref(), &self.att)
    }
}

fn sources<T: RawStatement>(statements: &[T]) -> Vec<StatementSource<'_>> {
    statements.iter().map(RawStatement::source).collect()
}

/// "Johanna Sjö m.fl." names Johanna Sjö (and others, not named).
fn split_mfl(reference: &str) -> (&str, bool) {
    let t = reference.trim();
    match t.strip_suffix("m.fl.") {
        Some(rest) => (rest.trim_end(), true),
        None => (t, false),
    }
}
