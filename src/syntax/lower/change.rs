//! Lowering of the changes a derived policy makes (`change`, `remove`,
//! `add`, `rename`, `move`).

use super::{Lower, P, kids};
use crate::source::Spanned;
use crate::syntax::ast::{Change, ChangeAction, Modification, NodeRef};
use crate::syntax::grammar::Rule;

impl Lower<'_> {
    pub(super) fn change(&mut self, pair: P) -> Change {
        let span = self.span(&pair);
        let which = pair.as_rule();
        let mut target = None;
        let mut head = Modification::default();
        let mut nodes = Vec::new();
        let mut second = None;
        let mut new_name = None;
        for p in kids(pair) {
            match p.as_rule() {
                Rule::node_ref if target.is_none() && which != Rule::add_nodes => {
                    target = Some(self.node_ref(p))
                }
                Rule::node_ref => second = Some(self.node_ref(p)),
                Rule::group | Rule::item => nodes.push(self.node(p)),
                Rule::name => new_name = Some(self.name(p)),
                Rule::removed_input => new_name = kids(p).nth(1).map(|n| self.name(n)),
                _ => self.head_clause(p, &mut head),
            }
        }
        let action = match which {
            Rule::remove_node => match new_name {
                Some(input) => ChangeAction::RemoveInput(input),
                None => ChangeAction::Remove,
            },
            Rule::add_nodes => {
                target = second.take();
                ChangeAction::Add(nodes)
            }
            Rule::rename_node => {
                ChangeAction::Rename(new_name.unwrap_or_else(|| Spanned::new(String::new(), span)))
            }
            Rule::move_node => {
                ChangeAction::Move(second.unwrap_or_else(|| NodeRef::Path(Vec::new(), span)))
            }
            _ => ChangeAction::Modify(Box::new(head)),
        };
        Change {
            action,
            target,
            span,
        }
    }

    pub(super) fn node_ref(&mut self, pair: P) -> NodeRef {
        let span = self.span(&pair);
        match kids(pair).next() {
            Some(p) if p.as_rule() == Rule::code => NodeRef::Code(self.code(&p)),
            Some(p) => NodeRef::Path(
                kids(p)
                    .filter(|n| n.as_rule() == Rule::name)
                    .map(|n| self.name(n))
                    .collect(),
                span,
            ),
            None => NodeRef::Path(Vec::new(), span),
        }
    }
}
