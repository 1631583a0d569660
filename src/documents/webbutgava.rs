//! The web edition (`assemble publish`): the justerat protocol as published on the web, what
//! the meeting file withholds replaced by notices and page 1 saying so; and the web edition
//! of a protokollsutdrag that carries withheld text. Made from a meeting prepared by
//! [`crate::publish::web::prepare`] (checked, guarded, redacted); same layout, same
//! standards as the official documents (PDF/A-2a + UA-1; PDF/A-3a when it attaches a file).

use crate::diag::Diagnostic;
use crate::documents::protokollsutdrag;
use crate::export::Conformance;
use crate::meeting::Protocol;
use crate::meeting::model::{Asset, Attachment};
use crate::publish::web::{Prepared, record_attachment};
use crate::render::{NamndView, Renderer};
use crate::typeset::Job;

/// The file of version `version` of a protocol's web edition (issue 27): `<stem>-webb.pdf`
/// the justerat original's, `<stem>-rattelse-N-webb.pdf` version N's — one rule for
/// `publish`, the site and the archive package, so a published address keeps its content
/// when a rättelse is added.
pub fn file_name(stem: &str, version: usize) -> String {
    match version {
        0 => format!("{stem}-webb.pdf"),
        n => format!("{stem}-rattelse-{n}-webb.pdf"),
    }
}

/// The web edition of the whole protocol, ident `webbutgava:ORGAN:DATE`. `embed`: the name
/// under which its record is attached as data (PDF/A-3a + UA-1), or none.
pub fn make(
    p: &Prepared,
    renderer: &Renderer,
    embed: Option<&str>,
) -> Result<Job, Vec<Diagnostic>> {
    let attached = embed.map(|name| p.record_attachment(name));
    whole(p, &p.web, renderer, attached)
}

/// The web edition of an earlier version of a corrected protocol (issue 27):
/// `p.versions[version]`, 0 the justerat original. `embed`: as [`make`], with that
/// version's own record.
pub fn make_version(
    p: &Prepared,
    version: usize,
    renderer: &Renderer,
    embed: Option<&str>,
) -> Result<Job, Vec<Diagnostic>> {
    let v = p.versions.get(version).ok_or_else(|| {
        vec![Diagnostic::error(format!(
            "the protocol has no earlier version {version} (please report this)"
        ))]
    })?;
    let attached = embed.map(|name| record_attachment(&v.record, name));
    whole(p, &v.web, renderer, attached)
}

/// The web edition of `web` (the protocol as it stands, or one of its versions).
fn whole(
    p: &Prepared,
    web: &Protocol,
    renderer: &Renderer,
    attached: Option<(Attachment, Asset)>,
) -> Result<Job, Vec<Diagnostic>> {
    let view = match web {
        Protocol::Namnd(m) => {
            let mut v = NamndView::protocol(m);
            v.title = format!("{} (webbutgåva)", v.title);
            Some(v)
        }
        Protocol::Fvg(_) => None,
    };
    let mut notice = p.notice.clone();
    let mut assets = web.assets();
    let mut conformance = Conformance::for_bilagor(web.bilagor());
    if let Some((attachment, asset)) = attached {
        notice.data = Some(attachment);
        assets.push(asset);
        conformance = Conformance::A3;
    }
    let date = web.clock_date();
    let ph = super::phrases::of(web);
    let rendered = renderer.render_web(web, view.as_ref(), ph, &notice)?;
    Ok(Job {
        source: rendered.source,
        parts: rendered.parts,
        assets,
        ident: format!("webbutgava:{}:{}", web.organ(), date.iso()),
        date,
        conformance,
    })
}

/// The web edition of the protokollsutdrag of § `number` of a nämnd protocol, ident
/// `webbutgava-utdrag:ORGAN:DATE:N`; refused as the official extract is.
pub fn make_utdrag(p: &Prepared, number: u32, renderer: &Renderer) -> Result<Job, Vec<Diagnostic>> {
    let Protocol::Namnd(m) = &p.web else {
        return Err(vec![Diagnostic::error(
            "a protokollsutdrag is made from a nämnd protocol, and this meeting is not one",
        )]);
    };
    let statement = protokollsutdrag::allowed(m, number).map_err(|_| {
        vec![Diagnostic::error(format!(
            "§ {number} cannot be extracted from this protocol"
        ))]
    })?;
    let title = super::phrases::title(m);
    let view = NamndView {
        utdrag: Some(number),
        header: protokollsutdrag::utdrag_header(&super::phrases::header(m)),
        title: format!("Protokollsutdrag § {number}, {title} (webbutgåva)"),
        draft: false,
        justering_statement: Some(statement),
        subtitle: Some(format!("Utdrag ur {}", lower_first(&title))),
    };
    let referred: Vec<usize> = m
        .paragraf(number)
        .map(|x| x.bilagor.clone())
        .unwrap_or_default();
    let bilagor: Vec<_> = m
        .bilagor
        .iter()
        .filter(|b| referred.contains(&b.number))
        .cloned()
        .collect();
    // Page 1 names the reasons for what this extract leaves out, not the whole protocol's.
    let mut notice = p.notice.clone();
    notice.reasons = p.utdrag_reasons(number);
    let date = m.clock_date();
    let ph = super::phrases::of(&p.web);
    let rendered = renderer.render_web(&p.web, Some(&view), ph, &notice)?;
    Ok(Job {
        source: rendered.source,
        parts: rendered.parts,
        assets: m.assets(),
        ident: format!("webbutgava-utdrag:{}:{}:{number}", m.organ, date.iso()),
        date,
        conformance: Conformance::for_bilagor(&bilagor),
    })
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
