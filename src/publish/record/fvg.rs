//! The record of an FVG protocol: the attendance by group and each § with its text.

use super::*;
use crate::meeting::model::FvgMeeting;

pub(super) fn record(
    m: &FvgMeeting,
    r: &crate::meeting::raw::RawFvgMeeting,
    w: &Withholding,
    edition: Edition,
) -> Record {
    let numbers = numbers(&m.bilagor);
    let mut persons: Vec<Person> = Vec::new();
    let mut memberships = Vec::new();
    for g in &m.groups {
        for p in &g.people {
            let id = unique_id(&persons, &p.name);
            persons.push(Person {
                id: id.clone(),
                name: p.name.clone(),
                party: None,
            });
            memberships.push(Membership {
                person_id: id,
                role: g.heading.clone(),
                on_behalf_of: p.union.clone(),
                replaces: None,
                paragrafer: p.only.clone(),
                title: p.role.clone(),
            });
        }
    }
    let items = m
        .paragrafer
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let rp = r.paragraf.get(i);
            let withheld = w.paragrafer.get(&i).filter(|_| edition == Edition::Web);
            let body = match (withheld, rp) {
                (Some(x), _) => Some(marks::notice(&x.reason)),
                (None, Some(rp)) => opt_text(rp.text.as_ref(), edition, &numbers),
                (None, None) => None,
            };
            AgendaItem {
                number: p.number,
                name: p.title.clone(),
                typ: p.group.clone(),
                diarienummer: p
                    .items
                    .iter()
                    .flat_map(|i| i.diarienummer.clone())
                    .collect(),
                text: body,
                anmalningar: Vec::new(),
                decisions: Vec::new(),
                omedelbar_justering: false,
                arendet: None,
                tjansteutlatande: None,
                motions: Vec::new(),
                beslutsgang: None,
                vote_events: Vec::new(),
                reservations: Vec::new(),
                sarskilda_uttalanden: Vec::new(),
                ersattaryttranden: Vec::new(),
                jav: Vec::new(),
                participants: Vec::new(),
                papers: Vec::new(),
                withheld: withheld.map(|x| x.reason.clone()),
            }
        })
        .collect();
    Record {
        generator: format!("protokoll {}", env!("CARGO_PKG_VERSION")),
        edition: edition_name(edition),
        kind: String::new(),
        organization: Organization {
            name: m.organ.clone(),
            abbreviation: m.organ.clone(),
            classification: "förvaltningsgrupp".into(),
            parent: m.organisation.name.clone(),
            forvaltning: m.organisation.forvaltning.clone(),
        },
        meeting: MeetingInfo {
            name: m.title.clone(),
            date: Some(m.date.iso()),
            start: Some(format!(
                "{}T{}",
                m.date.iso(),
                r.meeting.start.get_ref().trim()
            )),
            end: Some(format!(
                "{}T{}",
                m.date.iso(),
                r.meeting.end.get_ref().trim()
            )),
            location: Some(m.plats.clone()),
            justerad: m.justerad.map(|d| d.iso()),
            justerare: m.justerare.iter().map(|n| person_id(n)).collect(),
            sekreterare: Some(m.sekreterare.clone()),
            fragment: false,
        },
        persons,
        memberships,
        agenda_items: items,
        papers: Vec::new(),
        withheld: Vec::new(),
        inte_personnummer: Vec::new(),
    }
}
