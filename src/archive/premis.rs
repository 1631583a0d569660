//! `metadata/preservation/PREMIS.xml`: PREMIS 3.0 preservation metadata. One object per
//! file of the representations, with its SHA-256, size and format (PRONOM PUID); the events
//! of the meeting's life as the meeting file records them — the documents' creation (the
//! tool, its version and the meeting file's hash), the justering, the anslag up and down —
//! each dated from the meeting, never from the clock; and the agents: the tool and the
//! persons who justerade.

use super::content::Kind;
use super::package::{Package, Packed};
use super::xml::Xml;
use crate::meeting::Protocol;

const TOOL: &str = "agent-protokoll";

pub(crate) fn write(package: &Package, files: &[Packed]) -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "premis:premis",
        &[
            ("xmlns:premis", "http://www.loc.gov/premis/v3"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                &super::mets::schema_location(&[("http://www.loc.gov/premis/v3", "premis.xsd")], 2),
            ),
            ("version", "3.0"),
        ],
    );
    let events = events(package, files);
    for f in files {
        object(&mut x, f, &events);
    }
    let mut persons: Vec<String> = Vec::new();
    for e in &events {
        event(&mut x, e);
        for (name, _) in &e.persons {
            if !persons.contains(name) {
                persons.push(name.clone());
            }
        }
    }
    agent(
        &mut x,
        TOOL,
        "protokoll",
        "software",
        Some(env!("CARGO_PKG_VERSION")),
    );
    for name in &persons {
        agent(&mut x, &person_id(name), name, "person", None);
    }
    x.close("premis:premis");
    x.finish()
}

/// An event: its id, type, time, detail, the persons (name, role) and the files it concerns
/// (path, role).
struct Event {
    id: String,
    typ: &'static str,
    date: String,
    detail: String,
    persons: Vec<(String, &'static str)>,
    objects: Vec<(String, &'static str)>,
}

fn events(package: &Package, files: &[Packed]) -> Vec<Event> {
    let mut out = Vec::new();
    for (i, m) in package.meetings.iter().enumerate() {
        let of =
            |pred: &dyn Fn(&Kind) -> bool, role: &'static str| -> Vec<(String, &'static str)> {
                files
                    .iter()
                    .filter(|f| f.meeting == Some(i) && f.kind.as_ref().is_some_and(pred))
                    .map(|f| (f.path.clone(), role))
                    .collect()
            };
        let stem = &m.stem;
        let mut objects = of(
            &|k| matches!(k, Kind::MeetingFile | Kind::Bilaga(..)),
            "source",
        );
        objects.extend(of(
            &|k| {
                matches!(
                    k,
                    Kind::Protocol
                        | Kind::Rattelse(_)
                        | Kind::Utdrag(_)
                        | Kind::Anslagsbevis
                        | Kind::Webb
                        | Kind::WebbUtdrag(_)
                )
            },
            "outcome",
        ));
        out.push(Event {
            id: format!("event-{stem}-creation"),
            typ: "creation",
            date: super::date_time(m.official.clock_date()),
            detail: format!(
                "Dokumenten typsatta av protokoll {} (PDF/A, PDF/UA-1) från {stem}.toml, SHA-256 {}",
                env!("CARGO_PKG_VERSION"),
                m.source_sha256
            ),
            persons: Vec::new(),
            objects,
        });
        let officials = super::officials(&m.official);
        let justerad = match &m.official {
            Protocol::Fvg(f) => f.justerad,
            Protocol::Namnd(n) => n.justerad,
        };
        if let Some(day) = justerad {
            let mut persons: Vec<(String, &'static str)> = Vec::new();
            if let Some(o) = &officials.ordforande {
                persons.push((o.clone(), "ordförande"));
            }
            for j in &officials.justerare {
                persons.push((j.clone(), "justerare"));
            }
            out.push(Event {
                id: format!("event-{stem}-justering"),
                typ: "justering",
                date: super::date_time(day),
                detail: format!("Protokollet justerat {}", day.iso()),
                persons,
                objects: of(&|k| matches!(k, Kind::Protocol), "outcome"),
            });
        }
        for r in m.official.rattelser() {
            // The version it made, and the one it corrected (the original is version 0).
            let mut objects = of(
                &|k| matches!(k, Kind::Rattelse(n) if *n == r.nummer),
                "outcome",
            );
            objects.extend(of(
                &|k| match k {
                    Kind::Protocol => r.nummer == 1,
                    Kind::Rattelse(n) => *n + 1 == r.nummer,
                    _ => false,
                },
                "source",
            ));
            out.push(Event {
                id: format!("event-{stem}-rattelse-{}", r.nummer),
                typ: "rättelse",
                date: super::date_time(r.date),
                detail: format!(
                    "Rättelse {} (FL 36 §), beslutad av {}: § {} ändrades från ”{}” till ”{}” ({}); det justerade originalet bevaras oförändrat",
                    r.nummer, r.beslutad_av, r.paragraf, r.fore, r.efter, r.skal
                ),
                persons: Vec::new(),
                objects,
            });
        }
        if let Protocol::Namnd(n) = &m.official {
            if let Some(a) = &n.anslag_omedelbart {
                let list: Vec<String> = a.paragrafer.iter().map(|p| format!("§ {p}")).collect();
                out.push(Event {
                    id: format!("event-{stem}-anslag-omedelbart"),
                    typ: "anslag",
                    date: super::date_time(a.uppsatt),
                    detail: format!(
                        "Anslag om justering av {} (justerade omedelbart {}) uppsatt {}, nedtas {}; förvaras hos {}",
                        list.join(", "),
                        a.justerad.iso(),
                        a.uppsatt.iso(),
                        a.nedtas.iso(),
                        a.forvaring
                    ),
                    persons: Vec::new(),
                    objects: of(&|k| matches!(k, Kind::Utdrag(_) | Kind::Anslagsbevis), "outcome"),
                });
            }
            if let Some(a) = &n.anslag {
                out.push(Event {
                    id: format!("event-{stem}-anslag"),
                    typ: "anslag",
                    date: super::date_time(a.uppsatt),
                    detail: format!(
                        "Anslag om protokollets justering uppsatt {}, nedtas {}; förvaras hos {}",
                        a.uppsatt.iso(),
                        a.nedtas.iso(),
                        a.forvaring
                    ),
                    persons: Vec::new(),
                    objects: of(&|k| matches!(k, Kind::Anslagsbevis), "outcome"),
                });
            }
        }
    }
    out
}

fn object(x: &mut Xml, f: &Packed, events: &[Event]) {
    x.open("premis:object", &[("xsi:type", "premis:file")]);
    identifier(
        x,
        "premis:objectIdentifier",
        "premis:objectIdentifierType",
        "premis:objectIdentifierValue",
        &f.path,
    );
    x.open("premis:objectCharacteristics", &[]);
    x.leaf("premis:compositionLevel", &[], "0");
    x.open("premis:fixity", &[]);
    x.leaf("premis:messageDigestAlgorithm", &[], "SHA-256");
    x.leaf("premis:messageDigest", &[], &f.sha256);
    x.leaf("premis:messageDigestOriginator", &[], "protokoll");
    x.close("premis:fixity");
    x.leaf("premis:size", &[], &f.bytes.len().to_string());
    x.open("premis:format", &[]);
    x.open("premis:formatDesignation", &[]);
    x.leaf("premis:formatName", &[], &f.format.name);
    x.close("premis:formatDesignation");
    if let Some(puid) = f.format.puid {
        x.open("premis:formatRegistry", &[]);
        x.leaf("premis:formatRegistryName", &[], "PRONOM");
        x.leaf("premis:formatRegistryKey", &[], puid);
        x.leaf("premis:formatRegistryRole", &[], "specification");
        x.close("premis:formatRegistry");
    }
    x.close("premis:format");
    x.close("premis:objectCharacteristics");
    for e in events
        .iter()
        .filter(|e| e.objects.iter().any(|(p, _)| *p == f.path))
    {
        identifier(
            x,
            "premis:linkingEventIdentifier",
            "premis:linkingEventIdentifierType",
            "premis:linkingEventIdentifierValue",
            &e.id,
        );
    }
    x.close("premis:object");
}

fn identifier(x: &mut Xml, element: &str, typ: &str, value_element: &str, value: &str) {
    x.open(element, &[]);
    x.leaf(typ, &[], "local");
    x.leaf(value_element, &[], value);
    x.close(element);
}

fn event(x: &mut Xml, e: &Event) {
    x.open("premis:event", &[]);
    identifier(
        x,
        "premis:eventIdentifier",
        "premis:eventIdentifierType",
        "premis:eventIdentifierValue",
        &e.id,
    );
    x.leaf("premis:eventType", &[], e.typ);
    x.leaf("premis:eventDateTime", &[], &e.date);
    x.open("premis:eventDetailInformation", &[]);
    x.leaf("premis:eventDetail", &[], &e.detail);
    x.close("premis:eventDetailInformation");
    x.open("premis:eventOutcomeInformation", &[]);
    x.leaf("premis:eventOutcome", &[], "success");
    x.close("premis:eventOutcomeInformation");
    let mut agents: Vec<(String, &str)> = Vec::new();
    if e.typ == "creation" {
        agents.push((TOOL.to_string(), "executing program"));
    }
    for (name, role) in &e.persons {
        agents.push((person_id(name), role));
    }
    for (id, role) in agents {
        x.open("premis:linkingAgentIdentifier", &[]);
        x.leaf("premis:linkingAgentIdentifierType", &[], "local");
        x.leaf("premis:linkingAgentIdentifierValue", &[], &id);
        x.leaf("premis:linkingAgentRole", &[], role);
        x.close("premis:linkingAgentIdentifier");
    }
    for (path, role) in &e.objects {
        x.open("premis:linkingObjectIdentifier", &[]);
        x.leaf("premis:linkingObjectIdentifierType", &[], "local");
        x.leaf("premis:linkingObjectIdentifierValue", &[], path);
        x.leaf("premis:linkingObjectRole", &[], role);
        x.close("premis:linkingObjectIdentifier");
    }
    x.close("premis:event");
}

fn agent(x: &mut Xml, id: &str, name: &str, typ: &str, version: Option<&str>) {
    x.open("premis:agent", &[]);
    identifier(
        x,
        "premis:agentIdentifier",
        "premis:agentIdentifierType",
        "premis:agentIdentifierValue",
        id,
    );
    x.leaf("premis:agentName", &[], name);
    x.leaf("premis:agentType", &[], typ);
    if let Some(v) = version {
        x.leaf("premis:agentVersion", &[], v);
    }
    x.close("premis:agent");
}

/// A person's agent id: by name, the same in every event of the package.
fn person_id(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("agent-person-{slug}")
}
