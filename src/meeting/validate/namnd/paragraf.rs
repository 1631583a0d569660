//! The nämnd's §: fixed items with their default titles, and each ärende's parts in the
//! order the protocol prints them — beslut, ärendet, tjänsteutlåtande, förslag,
//! beslutsgång, omröstning, reservationer, särskilda uttalanden, ersättaryttranden, jäv.
//! Every Markdown field goes through the one converter; names are resolved against the
//! roster with a "did you mean". Facts only: the sentences the protocol derives from them
//! are worded by the document (`documents::phrases`).

use toml::Spanned;

use super::Validator;
use super::legal;
use super::roles;
use super::roster::{self, Roster};
use crate::meeting::model::namnd::*;
use crate::meeting::model::*;
use crate::meeting::raw::namnd::*;
use crate::meeting::validate::text::is_diarienummer;

/// What every § needs to know about the meeting.
pub(super) struct Context<'a> {
    pub(crate) roster: &'a Roster,
    pub first: u32,
    pub date: Option<Date>,
    pub(crate) number_of: &'a dyn Fn(&str) -> Option<usize>,
    pub style: &'a HouseStyle,
}

impl Typ {
    /// The title a fixed item gets when the file gives none.
    pub(crate) fn default_title(self) -> Option<&'static str> {
        match self {
            Typ::Arende => None,
            Typ::Oppnande => Some("Sammanträdets öppnande och godkännande av föredragningslistan"),
            Typ::Justerare => Some("Val av justerare"),
            Typ::Anmalningsarenden => Some("Anmälningsärenden"),
            Typ::Fragor => Some("Nämndens frågor"),
            Typ::Information => Some("Förvaltningsinformation"),
        }
    }
}

impl Validator {
    pub(super) fn namnd_paragrafer(
        &mut self,
        raw: &[RawNamndParagraf],
        ctx: &Context,
    ) -> Vec<NamndParagraf> {
        raw.iter()
            .enumerate()
            .map(|(i, p)| self.namnd_paragraf(p, ctx.first + i as u32, ctx))
            .collect()
    }

    fn namnd_paragraf(
        &mut self,
        p: &RawNamndParagraf,
        number: u32,
        ctx: &Context,
    ) -> NamndParagraf {
        let prefix = format!("p{number}");
        let typ = p.typ.as_ref().map_or(Typ::Arende, |t| *t.get_ref());
        let title = match (&p.title, typ.default_title()) {
            (Some(t), _) => self.non_empty(t, "the §'s title"),
            (None, Some(d)) => d.to_string(),
            (None, None) => {
                self.error(
                    super::paragraf_span(p),
                    format!("§ {number} has no title"),
                    Some("add title = \"…\" (only fixed items, with typ, have a default)"),
                );
                String::new()
            }
        };
        let mut diarienummer = Vec::new();
        for d in &p.diarienummer {
            let text = d.get_ref().trim().to_string();
            if !is_diarienummer(&text) {
                self.error(
                    d.span(),
                    format!("`{text}` is not a diarienummer"),
                    Some("write it like AMN 2015-0013-01.02: the organ's letters, a space, year-number-class"),
                );
            }
            diarienummer.push(text);
        }
        let number_of = ctx.number_of;
        let text = self.rich(p.text.as_ref(), &format!("{prefix}t"), number_of);
        let anmalningar = p
            .anmalningar
            .iter()
            .enumerate()
            .map(|(k, a)| Lettered {
                letter: format!("{})", letter(k)),
                text: self.rich(Some(a), &format!("{prefix}a{}", k + 1), number_of),
            })
            .collect();

        let beslut: Vec<Markup> = p
            .beslut
            .iter()
            .enumerate()
            .map(|(k, b)| self.rich(Some(b), &format!("{prefix}b{}", k + 1), number_of))
            .collect();
        let omedelbar_justering = p.omedelbar_justering.as_ref().is_some_and(|o| *o.get_ref());
        // Stated once (issue 11): a beslut point that says it is the statement.
        let stated = p.beslut.iter().any(|b| says_omedelbart(b.get_ref()));
        let arende = typ == Typ::Arende && p.arende.as_ref().is_none_or(|a| *a.get_ref());
        if let Some(a) = &p.arende
            && *a.get_ref()
            && typ != Typ::Arende
        {
            self.error(
                a.span(),
                format!("§ {number} is a fixed item (typ), not an ärende"),
                Some("leave out `arende`, or the `typ`"),
            );
        }
        // The §'s own `page_break` wins over the house style's rule.
        let new_page = p.page_break.unwrap_or(match ctx.style.new_page {
            NewPage::None => false,
            NewPage::Arenden => arende,
            NewPage::All => true,
        });
        let beslut_heading = p.beslut_heading.unwrap_or(ctx.style.beslut_heading);
        let arendet = self.rich(p.arendet.as_ref(), &format!("{prefix}e"), number_of);
        let tjansteutlatande = p
            .tjansteutlatande
            .as_ref()
            .and_then(|t| self.date(t, "the tjänsteutlåtande's date"));
        if let (Some(t), Some(d), Some(raw_t)) = (tjansteutlatande, ctx.date, &p.tjansteutlatande)
            && t > d
        {
            self.error(
                raw_t.span(),
                "the tjänsteutlåtande is dated after the meeting",
                None,
            );
        }

        let bifall = p.bifall.as_ref().map(|b| b.get_ref().trim().to_string());
        let winner = legal::adopted(p, ctx.roster, number);
        let forslag: Vec<Forslag> = p
            .forslag
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let id = f.id.get_ref().trim().to_string();
                if f.text.is_none() && f.sentence.is_none() {
                    self.error(
                        f.id.span(),
                        format!("proposal `{id}` says nothing: it has neither text nor sentence"),
                        Some("add text = \"att …\" (printed after \"<who> föreslog\"), or sentence = \"…\" as the protocol words it"),
                    );
                }
                Forslag {
                    bifallet: winner.as_deref() == Some(id.as_str()),
                    // Each name checked (an unknown one reported) as it is resolved.
                    proposers: self.people(ctx.roster, &f.by, number),
                    text: self.rich(f.text.as_ref(), &format!("{prefix}f{}", k + 1), number_of),
                    sentence: f
                        .sentence
                        .as_ref()
                        .map(|t| self.rich(Some(t), &format!("{prefix}fs{}", k + 1), number_of)),
                    id,
                }
            })
            .collect();
        let beslutsgang = self.rich(p.beslutsgang.as_ref(), &format!("{prefix}g"), number_of);

        let jav_names: Vec<&str> = p
            .jav
            .iter()
            .filter_map(|j| {
                self.person_ref(ctx.roster, j, false)
                    .map(|e| e.name.as_str())
            })
            .collect();
        let jav: Vec<MemberId> = jav_names
            .iter()
            .filter_map(|n| ctx.roster.get(n).map(|e| e.id))
            .collect();
        let javiga = roles::resolve(ctx.roster, jav_names.iter().copied(), number);
        let presiding = p.ordforande.as_ref().and_then(|o| {
            let e = self.person_ref(ctx.roster, o, false)?;
            Some(roles::named(e, false, number))
        });
        let serving_entries = ctx.roster.serving(number, &jav_names);
        let omrostning = p.omrostning.as_ref().map(|o| {
            // Each roll call is a table of its voters: charged to the meeting (issue 29).
            let r = o.get_ref();
            let votes = (r.ja.len() + r.nej.len() + r.avstar.len()) as u64;
            if let Err(why) = self
                .budget
                .charge(crate::bilaga::limits::ROLL_CALL_VOTES, votes)
            {
                self.error(
                    o.span(),
                    format!("this omröstning: {why}"),
                    Some("a meeting of this many roll calls is more than one protocol holds: give the voting lists as a bilaga (PDF or Markdown)"),
                );
            }
            self.omrostning(r, p, ctx, number, &serving_entries)
        });
        let serving = serving_entries.iter().map(|e| e.id).collect();

        let reservationer = p
            .reservation
            .iter()
            .enumerate()
            .map(|(k, r)| self.reservation(r, ctx, number, &format!("{prefix}r{}", k + 1)))
            .collect();
        let sarskilda_uttalanden = p
            .sarskilt_uttalande
            .iter()
            .enumerate()
            .map(|(k, u)| {
                self.uttalande(
                    u,
                    ctx,
                    number,
                    "särskilda uttalande",
                    &format!("{prefix}u{}", k + 1),
                )
            })
            .collect();
        let ersattaryttranden = p
            .ersattaryttrande
            .iter()
            .enumerate()
            .map(|(k, u)| {
                self.uttalande(
                    u,
                    ctx,
                    number,
                    "ersättaryttrande",
                    &format!("{prefix}y{}", k + 1),
                )
            })
            .collect();

        if arende && p.diarienummer.is_empty() && !p.beslut.is_empty() {
            self.warning(
                super::paragraf_span(p),
                format!("§ {number} decides an ärende without a diarienummer"),
                Some("add diarienummer = [\"AMN 2020-0123-1.2\"] as registered; a § that is not an ärende (a report, information) is marked arende = false"),
            );
        }
        if !omedelbar_justering
            && let Some(b) = p.beslut.iter().find(|b| says_omedelbart(b.get_ref()))
        {
            self.warning(
                b.span(),
                "a beslut point says the § is justerad omedelbart, but omedelbar_justering is not set",
                Some("set omedelbar_justering = true: it lets the § be extracted and announced before the whole protocol is justerat (the point stays as written)"),
            );
        }

        NamndParagraf {
            number,
            typ,
            title,
            diarienummer,
            text,
            text_written: p.text.is_some(),
            anmalningar,
            beslut_heading,
            arende,
            new_page,
            presiding,
            beslut,
            omedelbar_justering,
            omedelbar_stated: stated,
            arendet,
            tjansteutlatande,
            forslag,
            bifall: bifall.or(winner),
            beslutsgang,
            omrostning,
            reservationer,
            sarskilda_uttalanden,
            ersattaryttranden,
            jav,
            javiga,
            serving,
            bilagor: referenced_bilagor(p, ctx.number_of),
            // Resolved against the meeting's föredragande and handlingar (`kallelse.rs`).
            foredragande: None,
            handlingar: Vec::new(),
            place: self.place(super::paragraf_span(p)),
        }
    }

    /// People referred to by name, as § `n` names them; unknown names are reported and
    /// left out.
    pub(super) fn people(
        &mut self,
        roster: &Roster,
        names: &[Spanned<String>],
        n: u32,
    ) -> Vec<Named> {
        for name in names {
            self.person_ref(roster, name, true);
        }
        roles::resolve(roster, names.iter().map(|s| s.get_ref().as_str()), n)
    }

    fn omrostning(
        &mut self,
        o: &RawOmrostning,
        p: &RawNamndParagraf,
        ctx: &Context,
        number: u32,
        serving: &[&roster::Entry],
    ) -> Omrostning {
        for name in o.ja.iter().chain(&o.nej).chain(&o.avstar) {
            self.person_ref(ctx.roster, name, false);
        }
        // Looked up once per member: a list per roll call, not a scan per member.
        let mut votes: std::collections::HashMap<&str, Rost> = std::collections::HashMap::new();
        for (list, vote) in [
            (&o.avstar, Rost::Avstar),
            (&o.nej, Rost::Nej),
            (&o.ja, Rost::Ja),
        ] {
            for n in list {
                votes.insert(n.get_ref().trim(), vote);
            }
        }
        let vote_of = |name: &str| votes.get(name).copied();
        let rows = serving
            .iter()
            .filter_map(|e| vote_of(&e.name).map(|vote| Vote { member: e.id, vote }))
            .collect();
        let ja_for = o.ja_for.get_ref().trim().to_string();
        let nej_for = o.nej_for.get_ref().trim().to_string();
        let tally = legal::tally(p, o, ctx.roster, number);
        let winner = tally.winner.clone().unwrap_or_default();
        Omrostning {
            ja_for,
            nej_for,
            rows,
            ja: tally.ja,
            nej: tally.nej,
            avstar: tally.avstar,
            winner,
            utslagsrost: tally.utslagsrost,
        }
    }
}

/// Whether a beslut point states the omedelbar justering ("… beslutade att justera
/// paragrafen omedelbart", "Paragrafen förklaras omedelbart justerad").
fn says_omedelbart(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("omedelbart") && lower.contains("juster")
}

/// a, b, …, z, aa, ab, …
fn letter(index: usize) -> String {
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    if index < 26 {
        (letters[index] as char).to_string()
    } else {
        format!("{}{}", letter(index / 26 - 1), letter(index % 26))
    }
}

/// Every Markdown field of a nämnd meeting in document order (for numbering bilagor).
pub(super) fn rich_texts(raw: &RawNamndMeeting) -> Vec<&Spanned<String>> {
    raw.paragraf.iter().flat_map(paragraf_texts).collect()
}

/// The numbers of the bilagor a § refers to, each once, in the order referred to: an extract
/// of the § carries them.
fn referenced_bilagor(
    p: &RawNamndParagraf,
    number_of: &dyn Fn(&str) -> Option<usize>,
) -> Vec<usize> {
    let mut out = Vec::new();
    for text in paragraf_texts(p) {
        for (_, id) in crate::markdown::bilaga_references(text.get_ref()) {
            if let Some(n) = number_of(id).filter(|n| !out.contains(n)) {
                out.push(n);
            }
        }
    }
    out
}

/// Every Markdown field of one § in document order.
fn paragraf_texts(p: &RawNamndParagraf) -> Vec<&Spanned<String>> {
    let mut out = Vec::new();
    {
        out.extend(p.text.as_ref());
        out.extend(p.anmalningar.iter());
        out.extend(p.beslut.iter());
        out.extend(p.arendet.as_ref());
        for f in &p.forslag {
            out.extend(f.sentence.as_ref());
            out.extend(f.text.as_ref());
        }
        out.extend(p.beslutsgang.as_ref());
        for r in &p.reservation {
            out.extend(r.forslag_inledning.as_ref());
            out.extend(r.att.iter());
            out.extend(r.text.as_ref());
        }
        for u in p.sarskilt_uttalande.iter().chain(&p.ersattaryttrande) {
            out.extend(u.forslag_inledning.as_ref());
            out.extend(u.att.iter());
            out.extend(u.text.as_ref());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_run_past_z() {
        assert_eq!(letter(0), "a");
        assert_eq!(letter(25), "z");
        assert_eq!(letter(26), "aa");
    }
}
