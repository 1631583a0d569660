//! The legal check of a nämnd protocol: what kommunallagen (KL) requires the protocol to
//! show, one function per rule, each finding placed at the TOML line of the thing that is
//! wrong with a hint citing the rule. Names that are not in the attendance are reported by
//! validation (with a "did you mean"); the rules here skip them rather than report twice.
//!
//! A § "with a decision" is an ärende (`typ` absent or "arende") with at least one `beslut`
//! point. A fragment (`fragment = true`) lacks the attendance and parts of its §, so the
//! rules that need the whole protocol (quorum, officials, complete records, every serving
//! member in a vote) are not run for it; the consistency rules are.

use std::ops::Range;

use toml::Spanned;

use super::paragraf_span;
use super::roster::{Role, Roster, split_mfl};
use crate::meeting::raw::namnd::*;

/// One problem the legal check found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
    pub error: bool,
}

fn error(span: Range<usize>, message: String, hint: &str) -> Finding {
    Finding {
        span,
        message,
        hint: hint.to_string(),
        error: true,
    }
}

fn warning(span: Range<usize>, message: String, hint: &str) -> Finding {
    Finding {
        error: false,
        ..error(span, message, hint)
    }
}

const KL_RECORD: &str = "KL 5 kap. 67 §, 6 kap. 27 §: for every ärende the protocol states the proposals, the beslutsgång and the decision";
const KL_VOTE: &str = "KL 5 kap. 67 §: an omröstning records how each member who took part voted";
// The brief names KL 5:57, 5:67 and 6:27; the rules below are cited by their content (the
// kommunallag's own wording) rather than by a section number not checked against the text.
const KL_RESULT: &str = "kommunallagen: the proposal with the most votes is adopted; on equal votes the ordförande's vote decides (utslagsröst)";
const KL_RESERVATION: &str =
    "kommunallagen: a member who took part in deciding the ärende may reserve against the decision";
const KL_JAV: &str = "kommunallagen: a jävig member takes no part in the handling of the ärende";
const KL_QUORUM: &str = "KL 5 kap. 57 §: more than half of the ledamöter must be present (mer än hälften av ledamöterna är närvarande)";

/// Every rule, in the order of the protocol.
pub fn check(raw: &RawNamndMeeting, roster: &Roster, first: u32) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(officials(raw, roster));
    out.extend(quorum(raw, roster, first));
    out.extend(numbering(raw, first));
    for (i, p) in raw.paragraf.iter().enumerate() {
        let n = first + i as u32;
        out.extend(proposal_ids(p));
        out.extend(decision_recorded(p, n, raw.fragment));
        out.extend(omrostning_count(p, n, roster, raw.fragment));
        out.extend(omrostning_result(p, n, roster));
        out.extend(reservation_rights(p, n, roster));
        out.extend(jav_rules(p, n, roster));
        out.extend(presiding(p, n, roster));
        out.extend(uttalande_rights(p, n, roster));
    }
    out
}

/// The proposal the nämnd adopted: `bifall`, else the omröstning's winner, else the only
/// proposal.
pub(crate) fn adopted(p: &RawNamndParagraf, roster: &Roster, n: u32) -> Option<String> {
    if let Some(b) = &p.bifall {
        return Some(b.get_ref().trim().to_string());
    }
    if let Some(o) = &p.omrostning {
        return tally(p, o.get_ref(), roster, n).winner;
    }
    match p.forslag.as_slice() {
        [only] => Some(only.id.get_ref().trim().to_string()),
        _ => None,
    }
}

/// The count of an omröstning and its winner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tally {
    pub ja: usize,
    pub nej: usize,
    pub avstar: usize,
    /// `None` on equal votes without the ordförande's vote to decide.
    pub(crate) winner: Option<String>,
    pub(crate) utslagsrost: bool,
}

/// The count of omröstning `o` of § `p` (number `n`). On equal votes the vote of whoever
/// presides decides: the ordförande, or the member who presided in their place (jäv).
pub(crate) fn tally(p: &RawNamndParagraf, o: &RawOmrostning, roster: &Roster, n: u32) -> Tally {
    let (ja, nej, avstar) = (o.ja.len(), o.nej.len(), o.avstar.len());
    let ja_for = o.ja_for.get_ref().trim().to_string();
    let nej_for = o.nej_for.get_ref().trim().to_string();
    let named = p.ordforande.as_ref().map(|o| o.get_ref().trim());
    let chair = roster.presiding(named, n, &jav_names(p));
    let voted = |l: &[Spanned<String>]| {
        chair.is_some_and(|c| l.iter().any(|v| v.get_ref().trim() == c.name))
    };
    let (winner, utslagsrost) = if ja > nej {
        (Some(ja_for), false)
    } else if nej > ja {
        (Some(nej_for), false)
    } else if voted(&o.ja) {
        (Some(ja_for), true)
    } else if voted(&o.nej) {
        (Some(nej_for), true)
    } else {
        (None, false)
    };
    Tally {
        ja,
        nej,
        avstar,
        winner,
        utslagsrost,
    }
}

/// Ordförande, sekreterare and justerare are given; justerare are members who serve.
pub fn officials(raw: &RawNamndMeeting, roster: &Roster) -> Vec<Finding> {
    let mut out = Vec::new();
    let hint = "the protocol is signed by the sekreterare and justerat by the ordförande and the justerare (KL 5 kap. 67 §)";
    if !raw.fragment {
        if raw.attendance.ordforande.is_none() {
            out.push(error(
                0..0,
                "the attendance names no ordförande".into(),
                "add [attendance] ordforande = { name = \"…\", party = \"…\" }",
            ));
        }
        if raw.sekreterare.is_none() {
            out.push(error(
                0..0,
                "the protocol names no sekreterare".into(),
                hint,
            ));
        }
        match &raw.justerare {
            None => out.push(error(0..0, "the protocol names no justerare".into(), hint)),
            Some(j) if j.get_ref().is_empty() => out.push(error(
                j.span(),
                "the protocol needs at least one justerare".into(),
                hint,
            )),
            Some(_) => {}
        }
    }
    for j in raw.justerare.iter().flat_map(|j| j.get_ref()) {
        let Some(e) = roster.present(j.get_ref()) else {
            continue;
        };
        if matches!(e.role, Role::Ersattare) {
            out.push(error(
                j.span(),
                format!("justerare `{}` is an ej tjänstgörande ersättare", e.name),
                "a justerare is a member who serves at the meeting",
            ));
        } else if e.role == Role::Ordforande {
            out.push(warning(
                j.span(),
                format!("`{}` is the ordförande, who justerar anyway", e.name),
                "name the member chosen to justera besides the ordförande",
            ));
        }
    }
    out
}

/// More than half of the seats serve in every §; no more serve than there are seats.
pub(crate) fn quorum(raw: &RawNamndMeeting, roster: &Roster, first: u32) -> Vec<Finding> {
    if raw.fragment {
        return Vec::new();
    }
    let Some(seats) = &raw.seats else {
        return vec![error(
            raw.namnd.span(),
            "the nämnd's number of seats is not given".into(),
            &format!("add seats = <number of ledamöter>; {KL_QUORUM}"),
        )];
    };
    let seats = (*seats.get_ref()).max(0) as usize;
    let mut out = Vec::new();
    for (i, p) in raw.paragraf.iter().enumerate() {
        let n = first + i as u32;
        let present = roster.entries.iter().filter(|e| e.serves_in(n)).count();
        if present * 2 <= seats {
            out.push(error(
                paragraf_span(p),
                format!("§ {n}: {present} of {seats} ledamöter serve; the nämnd is not beslutför"),
                KL_QUORUM,
            ));
        } else if present > seats {
            out.push(error(
                paragraf_span(p),
                format!("§ {n}: {present} members serve, but the nämnd has {seats} seats"),
                "an ersättare who serves replaces a ledamot: give `only` to whoever left or joined",
            ));
        }
    }
    out
}

/// Written § numbers run on from `first_paragraf` without a gap; a nämnd that numbers per
/// meeting starts every meeting at § 1.
pub fn numbering(raw: &RawNamndMeeting, first: u32) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(kind) = &raw.numbering
        && *kind.get_ref() == Numbering::Meeting
        && first != 1
    {
        let span = raw
            .first_paragraf
            .as_ref()
            .map_or_else(|| kind.span(), Spanned::span);
        out.push(error(
            span,
            format!("the nämnd numbers its § per meeting, so the first is § 1, not § {first}"),
            "leave out first_paragraf, or set numbering = \"year\" if the § run on through the year",
        ));
    }
    for (i, p) in raw.paragraf.iter().enumerate() {
        let expected = i64::from(first) + i as i64;
        if let Some(number) = &p.number
            && *number.get_ref() != expected
        {
            out.push(error(
                number.span(),
                format!("this § is § {expected}, not § {}", number.get_ref()),
                "the § are numbered on from first_paragraf without gaps, so that nothing can be missing from the protocol",
            ));
        }
    }
    out
}

/// Proposal ids are unique, and every reference to one (bifall, omröstning, reservation)
/// names one of the §'s proposals.
pub(crate) fn proposal_ids(p: &RawNamndParagraf) -> Vec<Finding> {
    let ids: Vec<&str> = p.forslag.iter().map(|f| f.id.get_ref().trim()).collect();
    let mut out = Vec::new();
    for (k, f) in p.forslag.iter().enumerate() {
        if ids[..k].contains(&f.id.get_ref().trim()) {
            out.push(error(
                f.id.span(),
                format!("two proposals have the id `{}`", f.id.get_ref().trim()),
                "give each proposal of the § its own id",
            ));
        }
    }
    let mut refs: Vec<&Spanned<String>> = p.bifall.iter().collect();
    if let Some(o) = &p.omrostning {
        refs.push(&o.get_ref().ja_for);
        refs.push(&o.get_ref().nej_for);
    }
    refs.extend(p.reservation.iter().filter_map(|r| r.forslag.as_ref()));
    for r in refs {
        let id = r.get_ref().trim();
        if !ids.contains(&id) {
            let hint = match closest(id, &ids) {
                Some(s) => format!("did you mean `{s}`?"),
                None if ids.is_empty() => {
                    "add the proposals as [[paragraf.forslag]] with an id".to_string()
                }
                None => format!("the proposals of this § are: {}", ids.join(", ")),
            };
            out.push(error(
                r.span(),
                format!("`{id}` is not a proposal of this §"),
                &hint,
            ));
        }
    }
    out
}

/// A § that decided between competing proposals, or by a vote, records the beslutsgång
/// (an uncontested decision on the förvaltning's proposal needs none), and which proposal
/// won when there were several; proposals and beslutsgång without a decision are an error
/// too. A blank beslutsgång is a missing one.
pub(crate) fn decision_recorded(p: &RawNamndParagraf, n: u32, fragment: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let decides = !p.beslut.is_empty();
    let gang = p
        .beslutsgang
        .as_ref()
        .filter(|g| !g.get_ref().trim().is_empty());
    let records = !p.forslag.is_empty() || gang.is_some() || p.omrostning.is_some();
    let contested = p.forslag.len() >= 2 || p.omrostning.is_some();
    if decides && contested && gang.is_none() && !fragment {
        let (span, message) = match &p.beslutsgang {
            Some(blank) => (blank.span(), format!("§ {n}: the beslutsgång is empty")),
            None => (
                paragraf_span(p),
                format!("§ {n} decided between proposals but records no beslutsgång"),
            ),
        };
        out.push(error(
            span,
            message,
            &format!(
                "add beslutsgang = \"…\" (how the proposals were put against each other); {KL_RECORD}"
            ),
        ));
    } else if let Some(blank) = p
        .beslutsgang
        .as_ref()
        .filter(|g| g.get_ref().trim().is_empty())
        && !(decides && contested)
    {
        out.push(warning(
            blank.span(),
            format!("§ {n}: the beslutsgång is empty and is not printed"),
            "write it, or leave out the key",
        ));
    }
    if records && !decides {
        out.push(error(
            paragraf_span(p),
            format!("§ {n} records proposals or a beslutsgång but no beslut"),
            &format!("add beslut = [\"… beslutade att …\"]; {KL_RECORD}"),
        ));
    }
    if p.forslag.len() >= 2 && p.bifall.is_none() && p.omrostning.is_none() {
        out.push(error(
            p.forslag[1].id.span(),
            format!(
                "§ {n} has {} proposals but does not say which was adopted",
                p.forslag.len()
            ),
            &format!("add bifall = \"<id>\" to the §; {KL_RECORD}"),
        ));
    }
    if let Some(o) = &p.omrostning
        && p.forslag.len() < 2
    {
        out.push(error(
            o.span(),
            format!("§ {n} has an omröstning but not the proposals put against each other"),
            &format!("add both proposals as [[paragraf.forslag]]; {KL_RECORD}"),
        ));
    }
    out
}

/// Every member serving in the § (ledamöter present + tjänstgörande ersättare − jäv) votes
/// exactly once, and nobody else votes.
pub(crate) fn omrostning_count(
    p: &RawNamndParagraf,
    n: u32,
    roster: &Roster,
    fragment: bool,
) -> Vec<Finding> {
    let Some(o) = &p.omrostning else {
        return Vec::new();
    };
    let jav = jav_names(p);
    let serving = roster.serving(n, &jav);
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let votes = o
        .get_ref()
        .ja
        .iter()
        .chain(&o.get_ref().nej)
        .chain(&o.get_ref().avstar);
    for v in votes {
        let name = v.get_ref().trim();
        if seen.contains(&name) {
            out.push(error(
                v.span(),
                format!("`{name}` votes twice in § {n}"),
                KL_VOTE,
            ));
            continue;
        }
        seen.push(name);
        let Some(e) = roster.present(name) else {
            continue;
        };
        if jav.contains(&name) {
            continue; // jav_rules reports it
        }
        if !e.serves_in(n) {
            out.push(error(
                v.span(),
                format!("`{name}` does not serve in § {n} and cannot vote"),
                "only ledamöter present and tjänstgörande ersättare vote; an ej tjänstgörande ersättare does not",
            ));
        }
    }
    let missing: Vec<String> = serving
        .iter()
        .filter(|e| !seen.contains(&e.name.as_str()))
        .map(|e| e.display())
        .collect();
    if !missing.is_empty() && !fragment {
        // Name who is missing, not the sums: a vote by someone who does not serve makes the
        // sum come out equal while a member is still missing.
        out.push(error(
            o.span(),
            format!(
                "§ {n}: {} {} in the § but {} under none of ja, nej and avstar ({} of the {} serving)",
                missing.join(", "),
                if missing.len() == 1 { "serves" } else { "serve" },
                if missing.len() == 1 { "is" } else { "are" },
                missing.len(),
                serving.len()
            ),
            &format!("put each serving member under ja, nej or avstar; {KL_VOTE}"),
        ));
    }
    out
}

/// The omröstning's result is the decision recorded: `bifall` names the winner, and a tie
/// is decided by the ordförande's vote.
pub(crate) fn omrostning_result(p: &RawNamndParagraf, n: u32, roster: &Roster) -> Vec<Finding> {
    let Some(o) = &p.omrostning else {
        return Vec::new();
    };
    let t = tally(p, o.get_ref(), roster, n);
    let Some(winner) = &t.winner else {
        return vec![error(
            o.span(),
            format!(
                "§ {n}: the omröstning is tied {}–{} and the ordförande cast no deciding vote",
                t.ja, t.nej
            ),
            KL_RESULT,
        )];
    };
    match &p.bifall {
        Some(b) if b.get_ref().trim() != winner => vec![error(
            b.span(),
            format!(
                "the omröstning ({} ja, {} nej) adopts `{winner}`, but bifall says `{}`",
                t.ja,
                t.nej,
                b.get_ref().trim()
            ),
            KL_RESULT,
        )],
        _ => Vec::new(),
    }
}

/// Only members who took part in the decision reserve, and not for the adopted proposal.
pub(crate) fn reservation_rights(p: &RawNamndParagraf, n: u32, roster: &Roster) -> Vec<Finding> {
    let jav = jav_names(p);
    let adopted = adopted(p, roster, n);
    let mut out = Vec::new();
    for r in &p.reservation {
        for name in r.by.get_ref() {
            let (bare, _) = split_mfl(name.get_ref());
            let Some(e) = roster.present(bare) else {
                continue;
            };
            if jav.contains(&bare) {
                continue; // jav_rules reports it
            }
            if !e.serves_in(n) {
                out.push(error(
                    name.span(),
                    format!("`{bare}` did not take part in the decision in § {n} and cannot reserve"),
                    &format!("{KL_RESERVATION}; an ersättare who did not serve may give an ersättaryttrande"),
                ));
            } else if let (Some(o), Some(a)) = (&p.omrostning, &adopted) {
                let o = o.get_ref();
                let voted_for_winner = (o.ja_for.get_ref().trim() == a
                    && o.ja.iter().any(|v| v.get_ref().trim() == bare))
                    || (o.nej_for.get_ref().trim() == a
                        && o.nej.iter().any(|v| v.get_ref().trim() == bare));
                if voted_for_winner {
                    out.push(warning(
                        name.span(),
                        format!("`{bare}` voted for the adopted proposal and reserves against it"),
                        KL_RESERVATION,
                    ));
                }
            }
        }
        if let (Some(f), Some(a)) = (&r.forslag, &adopted)
            && f.get_ref().trim() == a
        {
            out.push(error(
                f.span(),
                format!("the reservation is for `{a}`, the proposal the nämnd adopted"),
                "a reservation is against the decision: name the proposal the reservants stood for",
            ));
        }
    }
    out
}

/// A jävig member neither proposes, votes, reserves nor makes a särskilt uttalande in the §;
/// jäv is declared by someone who would otherwise serve.
pub(crate) fn jav_rules(p: &RawNamndParagraf, n: u32, roster: &Roster) -> Vec<Finding> {
    let mut out = Vec::new();
    for j in &p.jav {
        if let Some(e) = roster.present(j.get_ref())
            && !e.serves_in(n)
        {
            out.push(warning(
                j.span(),
                format!("`{}` does not serve in § {n} anyway", e.name),
                "jäv is recorded for a member who would otherwise take part",
            ));
        }
    }
    let jav = jav_names(p);
    let mut part = |name: &Spanned<String>, what: &str| {
        let (bare, _) = split_mfl(name.get_ref());
        if jav.contains(&bare) {
            out.push(error(
                name.span(),
                format!("`{bare}` declared jäv in § {n} and cannot {what}"),
                KL_JAV,
            ));
        }
    };
    if let Some(o) = &p.omrostning {
        let o = o.get_ref();
        for v in o.ja.iter().chain(&o.nej).chain(&o.avstar) {
            part(v, "vote");
        }
    }
    for r in &p.reservation {
        for name in r.by.get_ref() {
            part(name, "reserve");
        }
    }
    for f in &p.forslag {
        for name in &f.by {
            part(name, "make a proposal");
        }
    }
    for u in &p.sarskilt_uttalande {
        for name in u.by.get_ref() {
            part(name, "make a särskilt uttalande");
        }
    }
    out
}

/// A särskilt uttalande is by members who took part; an ersättaryttrande by ersättare who
/// did not serve in the §.
pub(crate) fn uttalande_rights(p: &RawNamndParagraf, n: u32, roster: &Roster) -> Vec<Finding> {
    let mut out = Vec::new();
    for u in &p.ersattaryttrande {
        for name in u.by.get_ref() {
            let (bare, _) = split_mfl(name.get_ref());
            let Some(e) = roster.present(bare) else {
                continue;
            };
            let non_serving_ersattare =
                e.role == Role::Ersattare || (e.role == Role::Tjanstgorande && !e.tjanstgor_in(n));
            if !non_serving_ersattare {
                out.push(error(
                    name.span(),
                    format!("`{bare}` serves in § {n}: an ersättaryttrande is by an ersättare who does not"),
                    "a serving member gives a särskilt uttalande or a reservation instead",
                ));
            }
        }
    }
    for u in &p.sarskilt_uttalande {
        for name in u.by.get_ref() {
            let (bare, _) = split_mfl(name.get_ref());
            let Some(e) = roster.present(bare) else {
                continue;
            };
            if !e.serves_in(n) && !jav_names(p).contains(&bare) {
                out.push(error(
                    name.span(),
                    format!("`{bare}` does not serve in § {n}: a särskilt uttalande is by members who took part"),
                    "an ersättare who did not serve gives an ersättaryttrande instead",
                ));
            }
        }
    }
    out
}

pub(super) fn jav_names(p: &RawNamndParagraf) -> Vec<&str> {
    p.jav.iter().map(|j| j.get_ref().trim()).collect()
}

fn closest<'a>(id: &str, ids: &[&'a str]) -> Option<&'a str> {
    ids.iter()
        .map(|k| (strsim::jaro_winkler(id, k), *k))
        .filter(|(s, _)| *s >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

mod presiding;
pub use presiding::presiding;

#[cfg(test)]
mod tests;
