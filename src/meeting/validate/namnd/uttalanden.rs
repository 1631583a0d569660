//! Reservations, särskilda uttalanden and ersättaryttranden of a §: who (with the capacity
//! they sat in), the intro as the file words it, the proposal a reservation stood for, the
//! reservants' own "Förslag till beslut" as a lead sentence and att-satser, then the text
//! (issue 11). The derived intro ("… reserverade sig mot beslutet till förmån för …") is
//! the document's to word.

use toml::Spanned;

use super::Validator;
use super::paragraf::Context;
use crate::meeting::model::namnd::*;
use crate::meeting::model::*;
use crate::meeting::raw::namnd::*;

impl Validator {
    /// A särskilt uttalande or ersättaryttrande (`what`): who, the intro as the file words
    /// it, their own förslag, the text; one of text and att is needed.
    pub(super) fn uttalande(
        &mut self,
        u: &RawUttalande,
        ctx: &Context,
        number: u32,
        what: &str,
        prefix: &str,
    ) -> Uttalande {
        let people = self.people(ctx.roster, u.by.get_ref(), number);
        if u.text.is_none() && u.att.is_empty() {
            self.error(
                u.by.span(),
                format!("this {what} has no text"),
                Some("add text = \"…\" (or its own förslag till beslut as att = [\"…\"])"),
            );
        }
        let intro = u.intro.as_ref().map(|i| self.non_empty(i, "intro"));
        Uttalande {
            intro,
            people,
            forslag: None,
            att_inledning: self.inledning(u.forslag_inledning.as_ref(), &u.att, prefix, ctx),
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

    /// The lead sentence of their own förslag: it leads the att-satser, so it needs them.
    fn inledning(
        &mut self,
        lead: Option<&Spanned<String>>,
        att: &[Spanned<String>],
        prefix: &str,
        ctx: &Context,
    ) -> Option<Markup> {
        let lead = lead?;
        if att.is_empty() {
            self.error(
                lead.span(),
                "forslag_inledning leads the att-satser, and there are none",
                Some("add the att-satser as att = [\"…\"], or put the sentence in text"),
            );
        }
        if lead.get_ref().trim().is_empty() {
            self.error(lead.span(), "forslag_inledning is empty", None);
        }
        Some(self.rich(Some(lead), &format!("{prefix}l"), ctx.number_of))
    }

    pub(super) fn reservation(
        &mut self,
        r: &RawReservation,
        ctx: &Context,
        number: u32,
        prefix: &str,
    ) -> Uttalande {
        let people = self.people(ctx.roster, r.by.get_ref(), number);
        let forslag = r.forslag.as_ref().map(|f| f.get_ref().trim().to_string());
        if r.text.is_none() && r.att.is_empty() && r.forslag.is_none() && r.intro.is_none() {
            self.warning(
                r.by.span(),
                "the reservation says only who reserved",
                Some("add its text, its own förslag till beslut (att = [\"…\"]) or forslag = \"<id>\""),
            );
        }
        let intro = r.intro.as_ref().map(|i| self.non_empty(i, "intro"));
        Uttalande {
            intro,
            people,
            forslag,
            att_inledning: self.inledning(r.forslag_inledning.as_ref(), &r.att, prefix, ctx),
            att: self.att(&r.att, prefix, ctx),
            text: self.rich(r.text.as_ref(), prefix, ctx.number_of),
        }
    }
}
