//! Role words: where a nämnd protocol names a person in running text it says in which
//! capacity they sat — "Ordföranden Anna Berg (S)", "vice ordföranden", "ledamoten",
//! "tjänstgörande ersättaren", "ersättaren". The capacity is derived here from the
//! attendance, § by § (a tjänstgörande ersättare who does not serve in a § is an ersättare
//! there); the words are [`crate::swedish::with_roles`]'s.

use super::roster::{Entry, Role, Roster, split_mfl};
use crate::meeting::model::namnd::{Capacity, Named};

/// The capacity of a person in § `n`; `None` for someone who was not at the meeting.
pub fn capacity(e: &Entry, n: u32) -> Option<Capacity> {
    Some(match e.role {
        Role::Ordforande => Capacity::Ordforande,
        Role::ViceOrdforande => Capacity::ViceOrdforande,
        Role::Ledamot => Capacity::Ledamot,
        Role::Tjanstgorande if e.tjanstgor_in(n) => Capacity::TjanstgorandeErsattare,
        Role::Tjanstgorande | Role::Ersattare => Capacity::Ersattare,
        Role::Forhinder | Role::ForhinderErsattare => return None,
    })
}

/// A person present as § `n` names them; `mfl`: "m.fl." followed the name.
pub fn named(e: &Entry, mfl: bool, n: u32) -> Named {
    Named {
        name: e.name.clone(),
        party: e.party.clone(),
        mfl,
        capacity: capacity(e, n),
    }
}

/// References as written ("Johanna Sjö m.fl.") resolved against the present, as § `n`
/// names them. Unknown names are left out (validation reports them).
pub fn resolve<'s>(
    roster: &Roster,
    names: impl IntoIterator<Item = &'s str>,
    n: u32,
) -> Vec<Named> {
    names
        .into_iter()
        .filter_map(|name| {
            let (bare, mfl) = split_mfl(name);
            roster.present(bare).map(|e| named(e, mfl, n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tjanstgorande_ersattare_not_serving_in_a_paragraf_is_an_ersattare_there() {
        let e = Entry {
            id: crate::meeting::model::namnd::MemberId(0),
            name: "Li Berg".into(),
            party: "Fi".into(),
            role: Role::Tjanstgorande,
            only: Some(vec![(2, 3)]),
        };
        assert_eq!(capacity(&e, 2), Some(Capacity::TjanstgorandeErsattare));
        assert_eq!(capacity(&e, 4), Some(Capacity::Ersattare));
    }
}
