//! The record of a nämnd protocol: members and their capacities, and each § with its
//! decisions, proposals, votes per member, reservations and jäv.

use super::*;
use crate::meeting::model::namnd::{
    Attendance, Forslag, HouseStyle, Member, MemberId, NamndMeeting, NamndParagraf, Official,
    Omrostning, Uttalande,
};

pub(super) fn record(m: &NamndMeeting, view: &View) -> Record {
    let people = People::of(&m.attendance);
    let agenda_items = m
        .paragrafer
        .iter()
        .enumerate()
        .map(|(i, p)| match view.withheld_paragraf(i) {
            Some(x) => withheld_item(p, x, m),
            None => agenda_item(p, m, &omedelbar_point(m), &people, view),
        })
        .collect();
    Record {
        generator: generator(),
        edition: view.edition_name(),
        kind: String::new(),
        organization: Organization {
            name: m.namnd.clone(),
            abbreviation: m.organ.clone(),
            classification: "nämnd".into(),
            parent: m.organisation.name.clone(),
            forvaltning: m.organisation.forvaltning.clone(),
        },
        meeting: meeting_info(m, &people),
        persons: people.persons,
        memberships: people.memberships,
        agenda_items,
        papers: Vec::new(),
        withheld: Vec::new(),
        inte_personnummer: Vec::new(),
        rattelser: rattelser(&m.rattelser),
        versions: Vec::new(),
    }
}

fn meeting_info(m: &NamndMeeting, people: &People) -> MeetingInfo {
    let date = m.date.map(|d| d.iso());
    let at = |hhmm: &Option<String>| match (&date, hhmm) {
        (Some(d), Some(t)) => Some(format!("{d}T{t}")),
        _ => None,
    };
    MeetingInfo {
        name: crate::documents::phrases::title(m),
        date: date.clone(),
        start: at(&m.start),
        end: at(&m.end),
        location: crate::documents::phrases::plats(m),
        justerad: m.justerad.map(|d| d.iso()),
        justerare: m.justerare.iter().map(|j| people.id_of(*j)).collect(),
        sekreterare: m.sekreterare.clone(),
        fragment: m.fragment,
        planned: m.planerat,
        kallelse: m.kallelse.datum.map(|d| d.iso()),
        justering: m.justering.as_ref().map(|j| {
            justering_info(j, &|name| {
                people
                    .persons
                    .iter()
                    .find(|p| p.name == name)
                    .map_or_else(|| person_id(name), |p| p.id.clone())
            })
        }),
    }
}

/// Everyone the attendance names, with their capacity: the members first, in the order of
/// [`Attendance::members`], so a [`MemberId`] is the place of the member's person.
struct People {
    persons: Vec<Person>,
    memberships: Vec<Membership>,
}

impl People {
    fn of(a: &Attendance) -> Self {
        let mut people = People {
            persons: Vec::new(),
            memberships: Vec::new(),
        };
        for (list, role) in [
            (a.ordforande.iter().collect::<Vec<_>>(), "ordförande"),
            (a.vice_ordforande.iter().collect(), "vice ordförande"),
            (a.ledamoter.iter().collect(), "ledamot"),
            (a.tjanstgorande.iter().collect(), "tjänstgörande ersättare"),
            (a.ersattare.iter().collect(), "ersättare"),
        ] {
            for mem in list {
                people.add_member(mem, role);
            }
        }
        for mem in &a.forhinder {
            people.add_member(mem, forhinder_role(a, mem));
        }
        for (i, mem) in a.members().enumerate() {
            people.memberships[i].replaces = mem.replaces.map(|r| people.id_of(r));
        }
        for o in &a.foredragande {
            people.add_official(o, "föredragande");
        }
        for o in &a.ovriga {
            people.add_official(o, "övrig");
        }
        people
    }

    fn add_member(&mut self, mem: &Member, role: &str) {
        let id = unique_id(&self.persons, &mem.name);
        self.persons.push(Person {
            id: id.clone(),
            name: mem.name.clone(),
            party: Some(mem.party.clone()),
        });
        self.memberships.push(Membership {
            person_id: id,
            role: role.into(),
            on_behalf_of: Some(mem.party.clone()),
            // Set once every member has an id (`of`): the one replaced may come later.
            replaces: None,
            paragrafer: mem.only.as_deref().map(crate::documents::phrases::only),
            title: None,
        });
    }

    fn add_official(&mut self, o: &Official, role: &str) {
        let id = unique_id(&self.persons, &o.name);
        self.persons.push(Person {
            id: id.clone(),
            name: o.name.clone(),
            party: None,
        });
        self.memberships.push(Membership {
            person_id: id,
            role: role.into(),
            on_behalf_of: None,
            replaces: None,
            paragrafer: None,
            title: o.role.clone(),
        });
    }

    /// The id of the member the model refers to by `id`.
    fn id_of(&self, id: MemberId) -> String {
        self.persons
            .get(id.0)
            .map(|p| p.id.clone())
            .unwrap_or_default()
    }

    fn party_of(&self, id: &str) -> Option<String> {
        self.persons
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.party.clone())
    }

    /// The ids of the people named (as in the attendance), those the record has.
    fn ids_of_names(&self, names: &[String]) -> Vec<String> {
        names
            .iter()
            .map(|n| person_id(n))
            .filter(|id| self.persons.iter().any(|p| &p.id == id))
            .collect()
    }
}

/// A member who sent word: the seat the file says they hold, or "förhinder" from the one list.
fn forhinder_role(a: &Attendance, mem: &Member) -> &'static str {
    let named = |list: &[Member]| list.iter().any(|x| x.name == mem.name);
    if named(&a.forhinder_ledamoter) {
        "ledamot med förhinder"
    } else if named(&a.forhinder_ersattare) {
        "ersättare med förhinder"
    } else {
        "förhinder"
    }
}

/// A § the web edition withholds: number, title, diarienummer and its bilagor's numbers.
fn withheld_item(p: &NamndParagraf, x: &Withheld, m: &NamndMeeting) -> AgendaItem {
    let style = &m.style;
    AgendaItem {
        typ: Some(typ_name(p)),
        diarienummer: p.diarienummer.clone(),
        text: Some(marks::notice(&x.reason)),
        omedelbar_justering: p.omedelbar_justering,
        papers: p.bilagor.clone(),
        withheld: Some(x.reason.clone()),
        public: false,
        foredragande: p
            .foredragande
            .as_ref()
            .map(|o| crate::documents::phrases::official(style, o)),
        handlingar: handlingar(p, m),
        // Who took part would show who did not (a jäv): left out with the rest.
        ..AgendaItem::new(p.number, p.title.clone())
    }
}

fn agenda_item(
    p: &NamndParagraf,
    m: &NamndMeeting,
    point: &str,
    people: &People,
    view: &View,
) -> AgendaItem {
    let style = &m.style;
    let statements = |list: &[Uttalande]| statements(list, people, style, view);
    AgendaItem {
        typ: Some(typ_name(p)),
        diarienummer: p.diarienummer.clone(),
        text: view.opt_text(&p.text),
        anmalningar: view.texts(p.anmalningar.iter().map(|a| &a.text)),
        decisions: decisions(p, point, view),
        omedelbar_justering: p.omedelbar_justering,
        arendet: view.opt_text(&p.arendet),
        tjansteutlatande: p.tjansteutlatande.map(|d| d.iso()),
        motions: p
            .forslag
            .iter()
            .map(|f| motion(f, people, style, view))
            .collect(),
        beslutsgang: view.opt_text(&p.beslutsgang),
        vote_events: p.omrostning.iter().map(|o| vote_event(o, people)).collect(),
        reservations: statements(&p.reservationer),
        sarskilda_uttalanden: statements(&p.sarskilda_uttalanden),
        ersattaryttranden: statements(&p.ersattaryttranden),
        jav: p.jav.iter().map(|j| people.id_of(*j)).collect(),
        participants: p.serving.iter().map(|s| people.id_of(*s)).collect(),
        papers: p.bilagor.clone(),
        foredragande: p
            .foredragande
            .as_ref()
            .map(|o| crate::documents::phrases::official(style, o)),
        handlingar: handlingar(p, m),
        ..AgendaItem::new(p.number, p.title.clone())
    }
}

/// The titles of the handlingar (and bilagor) an ärende names, in its order.
fn handlingar(p: &NamndParagraf, m: &NamndMeeting) -> Vec<String> {
    p.handlingar
        .iter()
        .filter_map(|id| {
            m.handlingar
                .iter()
                .chain(&m.bilagor)
                .find(|b| &b.id == id)
                .map(|b| b.title.clone())
        })
        .collect()
}

/// The beslut points as the protocol numbers them: the file's, then the point stating the
/// omedelbar justering when the protocol adds it (the same words, from the same function).
fn decisions(p: &NamndParagraf, point: &str, view: &View) -> Vec<String> {
    let mut out = view.texts(&p.beslut);
    if p.adds_omedelbar_point() {
        out.push(point.to_string());
    }
    out
}

/// A proposal. Its own sentence stands for it where the file gives no separate text (issue
/// 11: the record says what the meeting said).
fn motion(f: &Forslag, people: &People, style: &HouseStyle, view: &View) -> Motion {
    let written = std::iter::once(&f.text)
        .chain(&f.sentence)
        .find(|m| !m.written().is_empty());
    Motion {
        id: f.id.clone(),
        text: written.map(|m| view.text(m.written())).unwrap_or_default(),
        proposers: people.ids_of_names(&names(&f.proposers)),
        proposed_by: crate::documents::phrases::proposed_by(style, f),
        adopted: f.bifallet,
    }
}

fn vote_event(o: &Omrostning, people: &People) -> VoteEvent {
    let count = |option: &str, value| Count {
        option: option.into(),
        value,
    };
    VoteEvent {
        motion_id: o.ja_for.clone(),
        counter_motion_id: o.nej_for.clone(),
        result: o.winner.clone(),
        utslagsrost: o.utslagsrost,
        counts: vec![
            count("yes", o.ja),
            count("no", o.nej),
            count("abstain", o.avstar),
        ],
        votes: o
            .rows
            .iter()
            .map(|v| {
                let id = people.id_of(v.member);
                Vote {
                    group: people.party_of(&id),
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
    }
}

/// Reservations, särskilda uttalanden or ersättaryttranden.
fn statements(
    list: &[Uttalande],
    people: &People,
    style: &HouseStyle,
    view: &View,
) -> Vec<Statement> {
    list.iter()
        .map(|u| Statement {
            by: crate::documents::phrases::statement_by(style, u),
            person_ids: people.ids_of_names(&names(&u.people)),
            motion_id: u.forslag.clone(),
            intro: u
                .intro
                .as_deref()
                .map(|i| view.text(i))
                .filter(|t| !t.is_empty()),
            att: view.texts(&u.att),
            text: view.opt_text(&u.text),
        })
        .collect()
}

/// The point stating the omedelbar justering as the protocol words it: the house style's
/// `omedelbar_justering` phrase when it sets one (as `documents::phrases` does), else the
/// built-in wording.
fn omedelbar_point(m: &crate::meeting::model::namnd::NamndMeeting) -> String {
    match m.style.fraser.get("omedelbar_justering") {
        Some(p) => crate::swedish::upper_first(&p.fill(&[("namnd", &m.namnd)])),
        None => crate::swedish::omedelbar_point(&m.namnd),
    }
}

/// The names of people as the model refers to them ("m.fl." left off).
fn names(people: &[crate::meeting::model::namnd::Named]) -> Vec<String> {
    people.iter().map(|n| n.name.clone()).collect()
}

fn typ_name(p: &NamndParagraf) -> String {
    serde_json::to_value(p.typ)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
