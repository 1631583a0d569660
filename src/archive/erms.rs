//! `metadata/descriptive/ERMS.xml`: the descriptive metadata in E-ARK CITS ERMS (FGS
//! Ärendehantering 2.0). Each meeting is an aggregation ("Sammanträde"), with the nämnd as
//! its creator (arkivbildare); each document is a record: the protocol, each
//! protokollsutdrag, the anslagsbevis, the web edition (and of an extract), each bilaga's
//! original. The protocol's record carries a restriction for every § and bilaga the meeting
//! file marks `sekretess`, with the reason it gives (an OSL reference), and the officials as
//! agents: ordförande, justerare, sekreterare.

use super::content::Kind;
use super::package::{Package, Packed};
use super::xml::Xml;
use crate::meeting::Protocol;

pub(crate) fn write(package: &Package, files: &[Packed]) -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "ERMS",
        &[
            ("xmlns", "https://DILCIS.eu/XML/ERMS"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                &super::mets::schema_location(&[("https://DILCIS.eu/XML/ERMS", "ERMS.xsd")], 2),
            ),
        ],
    );
    control(&mut x, package);
    x.open("Aggregations", &[]);
    for (i, m) in package.meetings.iter().enumerate() {
        let id = format!("{}-{}", package.organ_id, m.stem);
        x.open(
            "Aggregation",
            &[
                ("SystemIdentifier", &id),
                ("AggregationType", "Own aggregation definition"),
                ("OtherAggregationType", "Sammanträde"),
            ],
        );
        x.leaf("ObjectID", &[], &id);
        let keywords = match &m.official {
            Protocol::Fvg(f) => &f.keywords,
            Protocol::Namnd(n) => &n.keywords,
        };
        if !keywords.is_empty() {
            x.open("Keywords", &[]);
            for k in keywords {
                x.leaf("Keyword", &[], k);
            }
            x.close("Keywords");
        }
        x.leaf("Title", &[], &m.record.meeting.name);
        x.open("Agents", &[]);
        agent(
            &mut x,
            "Creator",
            &m.record.organization.name,
            Some(&m.record.organization.parent),
            "arkivbildare",
        );
        x.close("Agents");
        x.open("Dates", &[]);
        x.leaf(
            "Date",
            &[("DateType", "Opened")],
            &super::date_time(m.official.clock_date()),
        );
        if let Some(day) = justerad(&m.official) {
            x.leaf("Date", &[("DateType", "Closed")], &super::date_time(day));
        }
        x.close("Dates");
        for f in files.iter().filter(|f| f.meeting == Some(i)) {
            if let Some(kind) = &f.kind {
                record(&mut x, package, m, f, kind);
            }
        }
        x.close("Aggregation");
    }
    x.close("Aggregations");
    x.close("ERMS");
    x.finish()
}

fn justerad(p: &Protocol) -> Option<crate::meeting::model::Date> {
    match p {
        Protocol::Fvg(f) => f.justerad,
        Protocol::Namnd(n) => n.justerad,
    }
}

fn control(x: &mut Xml, package: &Package) {
    x.open("Control", &[]);
    x.leaf(
        "Identification",
        &[("IdentificationType", "OBJID")],
        &package.objid,
    );
    x.open("MaintenanceInformation", &[]);
    x.leaf("MaintenanceStatus", &[], "new");
    x.open("MaintenanceAgency", &[]);
    x.leaf("AgencyName", &[], &package.kommun);
    x.close("MaintenanceAgency");
    x.open("MaintenanceHistory", &[]);
    x.open("MaintenanceEvent", &[]);
    x.leaf("EventType", &[], "Created");
    x.leaf("EventDateTime", &[], &package.date);
    x.open("Agent", &[("AgentType", "Creator")]);
    x.leaf(
        "Name",
        &[],
        &format!("protokoll {}", env!("CARGO_PKG_VERSION")),
    );
    x.close("Agent");
    x.close("MaintenanceEvent");
    x.close("MaintenanceHistory");
    x.close("MaintenanceInformation");
    x.close("Control");
}

fn agent(x: &mut Xml, typ: &str, name: &str, organisation: Option<&str>, role: &str) {
    x.open("Agent", &[("AgentType", typ)]);
    x.leaf("Name", &[], name);
    if let Some(o) = organisation {
        x.leaf("Organisation", &[], o);
    }
    x.leaf("Role", &[], role);
    x.close("Agent");
}

/// The record of one file: its type in Swedish, title, restrictions, agents, dates.
fn record(x: &mut Xml, package: &Package, m: &super::content::Meeting, f: &Packed, kind: &Kind) {
    let title = &m.record.meeting.name;
    let (typ, name) = match kind {
        Kind::Protocol => ("Protokoll", title.clone()),
        Kind::Utdrag(n) => (
            "Protokollsutdrag",
            format!("Protokollsutdrag § {n}, {title}"),
        ),
        Kind::Rattelse(n) => ("Protokoll", format!("{title}, rättad version {n}")),
        Kind::Anslagsbevis => ("Anslagsbevis", format!("Anslagsbevis, {title}")),
        Kind::Webb => ("Webbutgåva", format!("Webbutgåva, {title}")),
        Kind::WebbUtdrag(n) => (
            "Webbutgåva",
            format!("Webbutgåva av protokollsutdrag § {n}, {title}"),
        ),
        Kind::MeetingFile => ("Källfil", format!("Mötesfil (TOML), {title}")),
        Kind::Bilaga(n, t) => ("Bilaga", format!("Bilaga {n}: {t}")),
        Kind::Record => (
            "Protokollsdata",
            format!("Protokollet som data (JSON), {title}"),
        ),
        Kind::Signaturer => (
            "Protokollsdata",
            format!("Signaturernas verifiering (JSON), {title}"),
        ),
        Kind::WebRecord => (
            "Protokollsdata",
            format!("Webbutgåvan som data (JSON), {title}"),
        ),
    };
    x.open(
        "Record",
        &[
            ("SystemIdentifier", &format!("{}:{}", package.objid, f.path)),
            ("RecordType", typ),
        ],
    );
    x.leaf("ObjectID", &[], &f.path);
    x.leaf("Title", &[], &name);
    // What the web edition withholds is what the official documents and sources carry in
    // full: each such record is restricted, with the reason the meeting file gives.
    if !matches!(kind, Kind::Webb | Kind::WebbUtdrag(_) | Kind::WebRecord) {
        for (what, reason) in restrictions(m, kind) {
            // A person withheld as a personuppgift is a data-protection matter, not sekretess.
            let typ = if reason.to_lowercase().contains("personuppgift") {
                "GDPR"
            } else {
                "Confidential"
            };
            x.open("Restriction", &[("RestrictionType", typ)]);
            x.leaf("ExplanatoryText", &[], &what);
            x.leaf("Regulation", &[], &reason);
            x.close("Restriction");
        }
    }
    if matches!(kind, Kind::Protocol | Kind::Utdrag(_)) {
        let o = super::officials(&m.official);
        x.open("Agents", &[]);
        if let Some(name) = &o.ordforande {
            agent(x, "Main signatory", name, None, "ordförande");
        }
        for name in &o.justerare {
            agent(x, "Other signatory", name, None, "justerare");
        }
        if let Some(name) = &o.sekreterare {
            agent(x, "Responsible person", name, None, "sekreterare");
        }
        x.close("Agents");
    }
    x.open("Dates", &[]);
    x.leaf(
        "Date",
        &[("DateType", "Created")],
        &super::date_time(m.official.clock_date()),
    );
    if let Some(day) = justerad(&m.official)
        && matches!(kind, Kind::Protocol)
    {
        x.leaf(
            "Date",
            &[("DateType", "Main signature")],
            &super::date_time(day),
        );
    }
    x.close("Dates");
    x.close("Record");
}

/// The restrictions a record carries: (what, reason). The protocol and its sources: every
/// withheld §, bilaga and marked passage; an extract: its §; a bilaga: itself.
fn restrictions(m: &super::content::Meeting, kind: &Kind) -> Vec<(String, String)> {
    let w = &m.withholding;
    let numbers = m.official.paragraf_numbers();
    let paragraf = |index: &usize| numbers.get(*index).copied();
    let bilaga_number = |id: &str| {
        m.official
            .bilagor()
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.number)
    };
    let mut out = Vec::new();
    let whole = matches!(
        kind,
        Kind::Protocol | Kind::Rattelse(_) | Kind::MeetingFile | Kind::Record
    );
    for (index, x) in &w.paragrafer {
        let n = paragraf(index);
        if whole || (matches!(kind, Kind::Utdrag(u) if Some(*u) == n)) {
            let what = n.map_or("en paragraf".into(), |n| format!("§ {n}"));
            out.push((format!("{what} omfattas av sekretess"), x.reason.clone()));
        }
    }
    for (id, x) in &w.bilagor {
        let n = bilaga_number(id);
        if whole || matches!(kind, Kind::Bilaga(b, _) if Some(*b) == n) {
            let what = n.map_or(format!("bilaga {id}"), |n| format!("bilaga {n}"));
            out.push((format!("{what} omfattas av sekretess"), x.reason.clone()));
        }
    }
    if whole {
        let mut seen: Vec<&String> = Vec::new();
        for reason in &w.span_reasons {
            if !seen.contains(&reason) {
                seen.push(reason);
                out.push((
                    "uppgifter i texten omfattas av sekretess eller är personuppgifter".into(),
                    reason.clone(),
                ));
            }
        }
    }
    out
}
