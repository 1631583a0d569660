//! The nämnd's attendance block: members with party, tjänstgörande ersättare and whom they
//! replace, förhinder, föredragande and others present; partial presence ("only").

use std::collections::HashMap;
use std::ops::{Range, RangeInclusive};

use toml::Spanned;

use super::Validator;
use super::roster::{Role, Roster};
use crate::meeting::model::namnd::*;
use crate::meeting::raw::namnd::*;
use crate::meeting::validate::people::paragraf_ranges;

impl Validator {
    pub(super) fn namnd_attendance(
        &mut self,
        raw: &RawNamndAttendance,
        roster: &Roster,
        paragrafer: RangeInclusive<u32>,
    ) -> Attendance {
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        let mut member = |v: &mut Validator, m: &Spanned<RawMember>, role: Role| {
            v.member(m, role, roster, &paragrafer, &mut seen)
        };
        let ordforande = raw
            .ordforande
            .as_ref()
            .map(|m| member(self, m, Role::Ordforande));
        let vice_ordforande = raw
            .vice_ordforande
            .as_ref()
            .map(|m| member(self, m, Role::ViceOrdforande));
        let mut list = |v: &mut Validator, l: &[Spanned<RawMember>], role: Role| -> Vec<Member> {
            l.iter().map(|m| member(v, m, role)).collect()
        };
        let ledamoter = list(self, &raw.ledamoter, Role::Ledamot);
        let tjanstgorande = list(self, &raw.tjanstgorande, Role::Tjanstgorande);
        let ersattare = list(self, &raw.ersattare, Role::Ersattare);
        let forhinder_alla = list(self, &raw.forhinder, Role::Forhinder);
        let forhinder_ledamoter = list(self, &raw.forhinder_ledamoter, Role::Forhinder);
        let forhinder_ersattare = list(self, &raw.forhinder_ersattare, Role::ForhinderErsattare);
        if let Some(first) = raw.forhinder.first()
            && !(raw.forhinder_ledamoter.is_empty() && raw.forhinder_ersattare.is_empty())
        {
            self.error(
                first.span(),
                "förhinder is given both as one list and split into ledamöter and ersättare",
                Some("move everyone in `forhinder` to `forhinder_ledamoter` or `forhinder_ersattare`"),
            );
        }
        let forhinder: Vec<Member> = forhinder_alla
            .into_iter()
            .chain(forhinder_ledamoter.iter().cloned())
            .chain(forhinder_ersattare.iter().cloned())
            .collect();
        let mut official = |v: &mut Validator, o: &Spanned<RawOfficial>| {
            let r = o.get_ref();
            let name = v.non_empty(&r.name, "a name");
            let role = r.role.clone().filter(|s| !s.trim().is_empty());
            if !name.is_empty() {
                if let Some(first) = seen.get(&name) {
                    let (line, _) = crate::diag::line_col(&v.file.text, first.start);
                    v.error(
                        r.name.span(),
                        format!("`{name}` is listed twice in the attendance"),
                        Some(&format!("first listed on line {line}")),
                    );
                } else {
                    seen.insert(name.clone(), r.name.span());
                }
            }
            Official { name, role }
        };
        let foredragande: Vec<Official> =
            raw.foredragande.iter().map(|o| official(self, o)).collect();
        let ovriga: Vec<Official> = raw.ovriga.iter().map(|o| official(self, o)).collect();
        Attendance {
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
        }
    }

    fn member(
        &mut self,
        raw: &Spanned<RawMember>,
        role: Role,
        roster: &Roster,
        paragrafer: &RangeInclusive<u32>,
        seen: &mut HashMap<String, Range<usize>>,
    ) -> Member {
        let m = raw.get_ref();
        let name = self.non_empty(&m.name, "a name");
        let party = self.non_empty(&m.party, "the party");
        if let Some(first) = seen.get(&name) {
            let (line, _) = crate::diag::line_col(&self.file.text, first.start);
            self.error(
                m.name.span(),
                format!("`{name}` is listed twice in the attendance"),
                Some(&format!("first listed on line {line}")),
            );
        } else if !name.is_empty() {
            seen.insert(name.clone(), m.name.span());
        }
        let only = m.only.as_ref().and_then(|o| self.namnd_only(o, paragrafer));
        if m.only.is_some()
            && matches!(
                role,
                Role::Ersattare | Role::Forhinder | Role::ForhinderErsattare
            )
        {
            self.error(
                m.only.as_ref().map_or(raw.span(), Spanned::span),
                "`only` is for ledamöter and tjänstgörande ersättare",
                Some("an ersättare who served in some § belongs under tjanstgorande with only"),
            );
        }
        let replaces = match (&m.replaces, role) {
            (Some(f), Role::Tjanstgorande) => self.replaced(f, &name, roster, paragrafer),
            (Some(f), _) => {
                self.error(
                    f.span(),
                    "`for` is only for a tjänstgörande ersättare",
                    Some("list the ersättare under tjanstgorande"),
                );
                None
            }
            (None, Role::Tjanstgorande) => {
                self.error(
                    raw.span(),
                    format!("tjänstgörande ersättare `{name}` does not say whom they replace"),
                    Some("add for = \"<the ledamot's name>\""),
                );
                None
            }
            (None, _) => None,
        };
        Member {
            name,
            party,
            replaces,
            only,
        }
    }

    /// The ledamot a tjänstgörande ersättare replaces: a ledamot of the attendance (present
    /// or with förhinder) who does not serve in the same §.
    fn replaced(
        &mut self,
        f: &Spanned<String>,
        ersattare: &str,
        roster: &Roster,
        paragrafer: &RangeInclusive<u32>,
    ) -> Option<MemberId> {
        let name = f.get_ref().trim();
        let Some(replaced) = roster.get(name) else {
            let hint = match roster.suggest_listed(name) {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "list the ledamot replaced under forhinder (or ledamoter with only)".to_string()
                }
            };
            self.error(
                f.span(),
                format!("`{name}` is not in the attendance"),
                Some(&hint),
            );
            return None;
        };
        if matches!(
            replaced.role,
            Role::Tjanstgorande | Role::Ersattare | Role::ForhinderErsattare
        ) {
            self.error(
                f.span(),
                format!("`{name}` is an ersättare: an ersättare replaces a ledamot"),
                None,
            );
            return None;
        }
        let me = roster.get(ersattare);
        let clash = paragrafer
            .clone()
            .find(|&n| replaced.serves_in(n) && me.is_some_and(|e| e.tjanstgor_in(n)));
        if let Some(n) = clash {
            self.error(
                f.span(),
                format!("`{ersattare}` and `{name}`, whom they replace, both serve in § {n}"),
                Some("give them only = \"…\" with the § each served in"),
            );
        }
        Some(replaced.id)
    }

    fn namnd_only(
        &mut self,
        raw: &Spanned<String>,
        paragrafer: &RangeInclusive<u32>,
    ) -> Option<Vec<(u32, u32)>> {
        match paragraf_ranges(raw.get_ref()) {
            Ok(ranges) => {
                if let Some((a, b)) = ranges
                    .iter()
                    .find(|(a, b)| !paragrafer.contains(a) || !paragrafer.contains(b))
                {
                    self.error(
                        raw.span(),
                        format!(
                            "`{a}-{b}` is not within the § of this meeting (§ {}–§ {})",
                            paragrafer.start(),
                            paragrafer.end()
                        ),
                        None,
                    );
                    return None;
                }
                Some(ranges)
            }
            Err(message) => {
                self.error(raw.span(), message, Some("write the § like \"8-10, 12\""));
                None
            }
        }
    }
}
