//! Who presides in a § (issue 11): where the ordförande is jävig, the protocol records who
//! presided in their place, and the check holds that member to the rules of the chair.

use toml::Spanned;

use super::super::paragraf_span;
use super::super::roster::{Role, Roster};
use super::{Finding, KL_JAV, error, jav_names, warning};
use crate::meeting::raw::namnd::RawNamndParagraf;

/// Where the ordförande is jävig in a § with a decision, the protocol records who presided
/// instead (`ordforande` on the §): a member who serves in the §, not jävig, normally the
/// vice ordförande.
pub fn presiding(p: &RawNamndParagraf, n: u32, roster: &Roster) -> Vec<Finding> {
    let jav = jav_names(p);
    let chair = roster.ordforande();
    let chair_jav = chair.filter(|c| jav.contains(&c.name.as_str()));
    let mut out = Vec::new();
    match &p.ordforande {
        None => {
            if let Some(c) = chair_jav
                && !p.beslut.is_empty()
            {
                let at = p
                    .jav
                    .iter()
                    .find(|j| j.get_ref().trim() == c.name)
                    .map_or_else(|| paragraf_span(p), Spanned::span);
                let vice = roster
                    .entries
                    .iter()
                    .find(|e| e.role == Role::ViceOrdforande)
                    .map_or("…", |e| e.name.as_str());
                out.push(error(
                    at,
                    format!(
                        "the ordförande `{}` is jävig in § {n}, but the § does not say who presided",
                        c.name
                    ),
                    &format!("add ordforande = \"{vice}\" to the § (whoever presided in the ordförande's place); {KL_JAV}"),
                ));
            }
        }
        Some(named) => {
            let name = named.get_ref().trim();
            let Some(e) = roster.present(name) else {
                return out; // validation reports the name
            };
            if jav.contains(&name) {
                out.push(error(
                    named.span(),
                    format!("`{name}` is jävig in § {n} and cannot preside"),
                    KL_JAV,
                ));
            } else if !e.serves_in(n) {
                out.push(error(
                    named.span(),
                    format!("`{name}` does not serve in § {n} and cannot preside"),
                    "the one who presides is a member who takes part in the §, normally the vice ordförande",
                ));
            } else if chair.is_some_and(|c| c.name == name) {
                out.push(warning(
                    named.span(),
                    format!("`{name}` is the ordförande, who presides anyway"),
                    "name who presided in the ordförande's place, or leave out ordforande",
                ));
            } else if chair.is_some_and(|c| c.serves_in(n)) && chair_jav.is_none() {
                out.push(warning(
                    named.span(),
                    format!(
                        "the ordförande serves in § {n} and is not jävig, yet `{name}` presided"
                    ),
                    "record the ordförande's jäv in jav = [\"…\"] if that is why",
                ));
            }
        }
    }
    out
}
