//! Reservations, särskilda uttalanden and ersättaryttranden of a §: the intro as the file
//! words it or derived with role words, the reservants' own "Förslag till beslut" as
//! att-satser, then the text (issue 11).

use toml::Spanned;

use super::Validator;
use super::paragraf::Context;
use super::roles;
use super::roster;
use crate::meeting::model::namnd::*;
use crate::meeting::model::*;
use crate::meeting::raw::namnd::*;
use crate::swedish;

impl Validator {
    /// A särskilt uttalande or ersättaryttrande (`what`): the intro as the file words it or
    /// derived, their att-satser, the text; one of text and att is needed.
    pub(super) fn uttalande(
        &mut self,
        u: &RawUttalande,
        ctx: &Context,
        number: u32,
        what: &str,
        prefix: &str,
    ) -> Uttalande {
        let by = self.people_with_roles(ctx.roster, u.by.get_ref(), number);
        if u.text.is_none() && u.att.is_empty() {
            self.error(
                u.by.span(),
                format!("this {what} has no text"),
                Some("add text = \"…\" (or its own förslag till beslut as att = [\"…\"])"),
            );
        }
        let intro = match &u.intro {
            Some(i) => self.non_empty(i, "intro"),
            None => format!("{} lämnade följande {what}.", roles::upper_first(&by)),
        };
        Uttalande {
            intro,
            by,
            people: super::paragraf::names(u.by.get_ref()),
            own_intro: u.intro.as_ref().map(|i| i.get_ref().trim().to_string()),
            forslag: None,
            att: self.att(&u.att, prefix, ctx),
            text: self.rich(u.text.as_ref(), prefix, ctx.number_of),
        }
    }

    /// Att-satser of a reservation or uttalande, each Markdown.
    fn att(&mut self, att: &[Spanned<String>], prefix: &str, ctx: &Context) -> Vec<Markup> {
        att.iter()
            .enumerate()
            .map(|(k, a)| {
                if a.get_ref().trim().is_empty() {
                    self.error(a.span(), "this att-sats is empty", None);
                }
                self.rich(Some(a), &format!("{prefix}a{}", k + 1), ctx.number_of)
            })
            .collect()
    }

    pub(super) fn reservation(
        &mut self,
        r: &RawReservation,
        p: &RawNamndParagraf,
        forslag_model: &[Forslag],
        ctx: &Context,
        number: u32,
        prefix: &str,
    ) -> Uttalande {
        let by = self.people_with_roles(ctx.roster, r.by.get_ref(), number);
        let forslag = r.forslag.as_ref().map(|f| f.get_ref().trim().to_string());
        let reserving: Vec<&str> =
            r.by.get_ref()
                .iter()
                .map(|n| roster::split_mfl(n.get_ref()).0)
                .collect();
        let favour = forslag.as_ref().and_then(|id| {
            let f = p.forslag.iter().find(|f| f.id.get_ref().trim() == id)?;
            let own =
                f.by.iter()
                    .any(|n| reserving.contains(&roster::split_mfl(n.get_ref()).0));
            Some(if own {
                " till förmån för eget förslag".to_string()
            } else if f.by.is_empty() {
                " till förmån för förvaltningens förslag".to_string()
            } else {
                // The proposers' names were checked (and reported) with the proposal.
                let by = forslag_model
                    .iter()
                    .find(|m| m.id == *id)
                    .map(|m| m.by.as_str());
                format!(
                    " till förmån för förslaget från {}",
                    by.map_or_else(|| id.clone(), swedish::lower_first)
                )
            })
        });
        if r.text.is_none() && r.att.is_empty() && r.forslag.is_none() && r.intro.is_none() {
            self.warning(
                r.by.span(),
                "the reservation says only who reserved",
                Some("add its text, its own förslag till beslut (att = [\"…\"]) or forslag = \"<id>\""),
            );
        }
        let intro = match &r.intro {
            Some(i) => self.non_empty(i, "intro"),
            None => format!(
                "{} reserverade sig mot beslutet{}.",
                roles::upper_first(&by),
                favour.unwrap_or_default()
            ),
        };
        Uttalande {
            intro,
            by,
            people: super::paragraf::names(r.by.get_ref()),
            own_intro: r.intro.as_ref().map(|i| i.get_ref().trim().to_string()),
            forslag,
            att: self.att(&r.att, prefix, ctx),
            text: self.rich(r.text.as_ref(), prefix, ctx.number_of),
        }
    }
}
