//! The property every converter output keeps (issue 23): a call set in text ends where its
//! markup ends. Typst reads on after a call — `#emph[41](11–12)` calls what `#emph[41]`
//! returns, `#raw("x").y` is a field access — so a call followed by a `(`, `[` or `.` of the
//! text would fail the whole protocol. Checked on Typst's own syntax tree, for the tests and
//! the fuzz target (the converter ends every call with `;`, see `END` in the converter).

use typst::syntax::{SyntaxKind, SyntaxNode};

/// What breaks the property in `markup`: a syntax error, or a call or field access whose
/// target is not a plain name (`emph`, `table.header`) but what another call returned. `None`
/// when every call ends where the converter ended it.
pub fn continued_call(markup: &str) -> Option<String> {
    let root = typst::syntax::parse(markup);
    let (errors, _) = root.errors_and_warnings();
    if let Some(e) = errors.first() {
        return Some(format!("syntax error: {}", e.message));
    }
    let mut stack = vec![&root];
    while let Some(node) = stack.pop() {
        if node.kind() == SyntaxKind::Markup
            && let Some(open) = unterminated(node)
        {
            return Some(open);
        }
        if matches!(node.kind(), SyntaxKind::FuncCall | SyntaxKind::FieldAccess)
            && let Some(target) = node.children().next()
            && !plain_name(target)
        {
            let text = node.full_text();
            let shown: String = text.chars().take(80).collect();
            return Some(format!("a call continues into the text: `{shown}`"));
        }
        stack.extend(node.children());
    }
    None
}

/// The first call in this markup (`#` and an expression) followed by something it could read
/// on into: anything but its `;`, a line break, a label (`#footnote[…]<b1-fn-1>`) or the end
/// of the content it stands in.
fn unterminated(markup: &SyntaxNode) -> Option<String> {
    let children: Vec<&SyntaxNode> = markup.children().collect();
    for (i, child) in children.iter().enumerate() {
        if child.kind() != SyntaxKind::Hash {
            continue;
        }
        let ended = match children.get(i + 2).map(|n| n.kind()) {
            None | Some(SyntaxKind::Semicolon | SyntaxKind::Parbreak | SyntaxKind::Label) => true,
            Some(SyntaxKind::Space) => children[i + 2].full_text().contains('\n'),
            Some(_) => false,
        };
        if !ended {
            let call = children
                .get(i + 1)
                .map_or(String::new(), |n| n.full_text().chars().take(60).collect());
            let next: String = children[i + 2].full_text().chars().take(20).collect();
            return Some(format!("`#{call}` is not ended before `{next}`"));
        }
    }
    None
}

/// A name, or a field of a name (`table.header`): what the converter calls.
fn plain_name(node: &SyntaxNode) -> bool {
    match node.kind() {
        SyntaxKind::Ident => true,
        SyntaxKind::FieldAccess => node.children().next().is_some_and(plain_name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_read_on_into_the_text_is_found() {
        assert!(continued_call("#emph[41](11–12)").is_some());
        assert!(continued_call("#raw(\"x\").y").is_some());
        assert!(continued_call("#emph[41];(11–12) #table.header(); #link(<a>)[b];.c").is_none());
        assert!(continued_call("#emph[").is_some());
        assert!(continued_call("#linebreak() x").is_some());
        assert!(
            continued_call("#footnote[~a]<b1-fn-1>(x) #line()\n\n#emph[#raw(\"a\")]").is_none()
        );
    }
}
