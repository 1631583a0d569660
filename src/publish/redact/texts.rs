//! Every text of a meeting model, one at a time, for the web edition's redaction: plain text,
//! converter markup from the meeting file, and the markup of a bilaga's own file (which the
//! redaction of persons leaves to the secretary's marks, see [`super::super::persons`]).
//!
//! Each model type is taken apart field by field, without `..`: a field added to the model
//! does not compile here until it is decided whether it is text the web edition redacts.

use crate::meeting::Protocol;
use crate::meeting::model::justering::Rattelse;
use crate::meeting::model::namnd::Named;
use crate::meeting::model::namnd::{
    Anslag, AnslagOmedelbart, Attendance, Forslag, Justering, Lettered, Member, NamndMeeting,
    NamndParagraf, Official, Omrostning, Preceding, Uttalande, Vote,
};
use crate::meeting::model::{
    Bilaga, Content, FvgMeeting, Group, InteNummer, Item, Markup, Organisation, Paragraf, PdfPage,
    PdfPages, Person, Said, Signature, Topic, Yrkande, Yrkanden,
};

/// One text of the model.
pub(crate) enum Text<'a> {
    /// Plain text (the template escapes it): names, titles, derived sentences, ids.
    Plain(&'a mut String),
    /// Markup converted from the meeting file, with its Markdown as written.
    Markup(&'a mut Markup),
    /// Markup converted from a bilaga's own file (Markdown, DOCX); it keeps no text as written.
    FileBody(&'a mut Markup),
}

/// Calls `f` on every text of `p`.
pub(crate) fn each(p: &mut Protocol, f: &mut dyn FnMut(Text<'_>)) {
    match p {
        Protocol::Fvg(m) => fvg(m, f),
        Protocol::Namnd(m) => namnd(m, f),
    }
}

type F<'f> = &'f mut dyn FnMut(Text<'_>);

fn plain(s: &mut String, f: F) {
    f(Text::Plain(s));
}

fn plains<'a>(items: impl IntoIterator<Item = &'a mut String>, f: F) {
    for s in items {
        f(Text::Plain(s));
    }
}

fn markup(m: &mut Markup, f: F) {
    f(Text::Markup(m));
}

fn organisation(o: &mut Organisation, f: F) {
    let Organisation {
        name,
        forvaltning,
        address,
        phone,
        email,
        web,
        footer_on: _,
    } = o;
    plain(name, f);
    plain(forvaltning, f);
    plains(address.iter_mut().chain(phone).chain(email).chain(web), f);
}

fn namnd(m: &mut NamndMeeting, f: F) {
    let NamndMeeting {
        kind: _,
        organ,
        namnd,
        fragment: _,
        preceding,
        organisation: o,
        date: _,
        year: _,
        start,
        end,
        place,
        remote,
        seats: _,
        attendance: a,
        sekreterare,
        // Members by reference: their names are in the attendance.
        justerare: _,
        justering,
        justerad: _,
        anslag,
        anslag_omedelbart,
        paragrafer,
        bilagor,
        avslutning,
        style: _,
        keywords,
        planerat: _,
        handlingar,
        kallelse: _,
        inte_personnummer,
        rattelser,
        version: _,
        rattade,
    } = m;
    self::rattelser(rattelser, f);
    for v in rattade {
        self::namnd(v, f);
    }
    plains([organ, namnd], f);
    plains(start.iter_mut().chain(end), f);
    inte_nummer(inte_personnummer, f);
    if let Some(Preceding { number: _, text }) = preceding {
        markup(text, f);
    }
    organisation(o, f);
    plains(place.iter_mut().chain(remote).chain(sekreterare), f);
    attendance(a, f);
    if let Some(j) = justering {
        self::justering(j, f);
    }
    if let Some(Anslag {
        uppsatt: _,
        nedtas: _,
        forvaring,
    }) = anslag
    {
        plain(forvaring, f);
    }
    if let Some(AnslagOmedelbart {
        paragrafer: _,
        justerad: _,
        uppsatt: _,
        nedtas: _,
        forvaring,
    }) = anslag_omedelbart
    {
        plain(forvaring, f);
    }
    for p in paragrafer {
        namnd_paragraf(p, f);
    }
    for b in bilagor.iter_mut().chain(handlingar) {
        bilaga(b, f);
    }
    plains(avslutning.iter_mut(), f);
    plains(keywords, f);
}

fn attendance(a: &mut Attendance, f: F) {
    let Attendance {
        ordforande,
        vice_ordforande,
        ledamoter,
        tjanstgorande,
        ersattare,
        forhinder,
        forhinder_ledamoter,
        forhinder_ersattare,
        foredragande,
        ovriga,
    } = a;
    let members = ordforande
        .iter_mut()
        .chain(vice_ordforande)
        .chain(ledamoter)
        .chain(tjanstgorande)
        .chain(ersattare)
        .chain(forhinder)
        .chain(forhinder_ledamoter)
        .chain(forhinder_ersattare);
    for Member {
        name,
        party,
        replaces: _,
        only: _,
    } in members
    {
        plains([name, party], f);
    }
    for Official { name, role } in foredragande.iter_mut().chain(ovriga) {
        plain(name, f);
        plains(role.iter_mut(), f);
    }
}

/// People as running text names them: name and party.
fn named<'a>(people: impl IntoIterator<Item = &'a mut Named>, f: F) {
    for Named {
        name,
        party,
        mfl: _,
        capacity: _,
    } in people
    {
        plains([name, party], f);
    }
}

fn namnd_paragraf(p: &mut NamndParagraf, f: F) {
    let NamndParagraf {
        // Where it stands in the meeting file: never printed.
        place: _,
        number: _,
        typ: _,
        title,
        diarienummer,
        text,
        text_written: _,
        anmalningar,
        beslut_heading: _,
        arende: _,
        new_page: _,
        presiding,
        bilagor: _,
        beslut,
        omedelbar_justering: _,
        omedelbar_stated: _,
        arendet,
        tjansteutlatande: _,
        forslag,
        bifall,
        beslutsgang,
        omrostning,
        reservationer,
        sarskilda_uttalanden,
        ersattaryttranden,
        // Members by reference: their names are in the attendance.
        jav: _,
        javiga,
        serving: _,
        foredragande,
        // Ids of handlingar: never printed.
        handlingar: _,
    } = p;
    if let Some(Official { name, role }) = foredragande {
        plain(name, f);
        plains(role.iter_mut(), f);
    }
    plain(title, f);
    plains(diarienummer, f);
    markup(text, f);
    for Lettered { letter, text } in anmalningar {
        plain(letter, f);
        markup(text, f);
    }
    plains(bifall.iter_mut(), f);
    named(presiding.iter_mut().chain(javiga), f);
    for b in beslut.iter_mut() {
        markup(b, f);
    }
    markup(arendet, f);
    for Forslag {
        id,
        text,
        sentence,
        bifallet: _,
        proposers,
    } in forslag
    {
        plain(id, f);
        named(proposers, f);
        markup(text, f);
        if let Some(s) = sentence {
            markup(s, f);
        }
    }
    markup(beslutsgang, f);
    if let Some(Omrostning {
        ja_for,
        nej_for,
        rows,
        ja: _,
        nej: _,
        avstar: _,
        winner,
        utslagsrost: _,
    }) = omrostning
    {
        plains([ja_for, nej_for, winner], f);
        for Vote { member: _, vote } in rows {
            plain(vote, f);
        }
    }
    for Uttalande {
        people,
        intro,
        forslag,
        att_inledning,
        att,
        text,
    } in reservationer
        .iter_mut()
        .chain(sarskilda_uttalanden)
        .chain(ersattaryttranden)
    {
        named(people, f);
        plains(intro.iter_mut().chain(forslag), f);
        for a in att_inledning.iter_mut().chain(att) {
            markup(a, f);
        }
        markup(text, f);
    }
}

/// The texts of a justering, of either kind.
fn justering(j: &mut Justering, f: F) {
    let Justering {
        date: _,
        time,
        place,
        satt: _,
        tjanst,
        referens,
        signaturer,
    } = j;
    plains(
        time.iter_mut().chain(place).chain(tjanst).chain(referens),
        f,
    );
    for s in signaturer {
        plains([&mut s.name, &mut s.party], f);
    }
}

/// The texts of the rättelser, of either kind.
fn rattelser(rattelser: &mut [Rattelse], f: F) {
    for r in rattelser {
        plains(
            [&mut r.beslutad_av, &mut r.fore, &mut r.efter, &mut r.skal],
            f,
        );
    }
}

fn fvg(m: &mut FvgMeeting, f: F) {
    let FvgMeeting {
        kind: _,
        organ,
        organisation: o,
        date: _,
        start,
        end,
        place,
        remote,
        groups,
        absent,
        ordforande,
        sekreterare,
        justerare,
        justerad: _,
        paragrafer,
        bilagor,
        keywords,
        inte_personnummer,
        justering,
        rattelser,
        version: _,
        rattade,
    } = m;
    if let Some(j) = justering {
        self::justering(j, f);
    }
    self::rattelser(rattelser, f);
    for v in rattade {
        self::fvg(v, f);
    }
    plains([organ, start, end], f);
    inte_nummer(inte_personnummer, f);
    organisation(o, f);
    plains([place, ordforande, sekreterare], f);
    plains(remote.iter_mut(), f);
    plains(justerare, f);
    for Group { heading, people } in groups.iter_mut() {
        plain(heading, f);
        for p in people {
            person(p, f);
        }
    }
    for p in absent {
        person(p, f);
    }
    for Paragraf {
        // Where it stands in the meeting file: never printed.
        place: _,
        number: _,
        title,
        group,
        content: c,
        items,
        closing,
    } in paragrafer
    {
        plain(title, f);
        plains(group.iter_mut(), f);
        content(c, f);
        for Item {
            heading,
            diarienummer,
            content: c,
            closing,
        } in items
        {
            plain(heading, f);
            plains(diarienummer, f);
            content(c, f);
            markup(closing, f);
        }
        markup(closing, f);
    }
    for b in bilagor {
        bilaga(b, f);
    }
    plains(keywords, f);
}

fn inte_nummer(declared: &mut [InteNummer], f: F) {
    for InteNummer { nummer, skal } in declared {
        plains([nummer, skal], f);
    }
}

fn person(p: &mut Person, f: F) {
    let Person {
        name,
        role,
        huvudskyddsombud: _,
        union,
        remote,
        only,
        functions,
    } = p;
    plain(name, f);
    plains(role.iter_mut().chain(union).chain(remote).chain(only), f);
    plains(functions, f);
}

fn content(c: &mut Content, f: F) {
    let Content { text, said } = c;
    markup(text, f);
    for Said { by, verb, text } in said {
        plains([by, verb], f);
        markup(text, f);
    }
}

fn bilaga(b: &mut Bilaga, f: F) {
    let Bilaga {
        // Where it stands in the meeting file: never printed.
        place: _,
        id,
        number: _,
        title,
        from,
        path,
        body,
        yrkanden,
        signature,
        assets: _,
        pdf,
    } = b;
    plains([id, title], f);
    plains(from.iter_mut(), f);
    match path {
        Some(_) => f(Text::FileBody(body)),
        None => markup(body, f),
    }
    if let Some(Yrkanden {
        party,
        party_genitive,
        topics,
    }) = yrkanden
    {
        plains([party, party_genitive], f);
        for Topic {
            number: _,
            title,
            reasoning,
            yrkanden,
        } in topics
        {
            plain(title, f);
            markup(reasoning, f);
            for Yrkande {
                text,
                supported_by,
                answer,
            } in yrkanden
            {
                markup(text, f);
                plains(supported_by, f);
                if let Some(a) = answer {
                    markup(a, f);
                }
            }
        }
    }
    if let Some(Signature { name, closing }) = signature {
        plains(name.iter_mut(), f);
        plain(closing, f);
    }
    // A public edition's PDF bilaga has no original ([`PdfPages::without_original`]); its
    // pages are images, their alt text names the bilaga.
    if let Some(PdfPages { pages, original: _ }) = pdf {
        for PdfPage {
            path: _,
            width: _,
            height: _,
            alt,
        } in pages
        {
            plain(alt, f);
        }
    }
}
