//! Changes a policy makes to the one it extends.

use super::{Aggregate, Expr, NaRule, Name, Node, Rule, Size, Weights};
use crate::source::{Span, Spanned};

/// A change made by a policy to the one it extends.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: ChangeAction,
    pub target: Option<NodeRef>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ChangeAction {
    /// `change REF [points] ["description"] [clauses] [rule]`: what is given
    /// replaces what the node had.
    Modify(Box<Modification>),
    Remove,
    /// `remove input NAME`.
    RemoveInput(Name),
    /// `add to REF { nodes }` (no target: at the top of the tree).
    Add(Vec<Node>),
    Rename(Name),
    Move(NodeRef),
}

#[derive(Debug, Clone, Default)]
pub struct Modification {
    pub size: Option<Spanned<Size>>,
    pub description: Option<String>,
    pub kinds: Option<Vec<Name>>,
    pub when: Option<Expr>,
    pub na: Option<Spanned<NaRule>>,
    pub fail_below: Option<Spanned<Size>>,
    pub aggregate: Option<Spanned<Aggregate>>,
    pub by_kind: Option<Span>,
    pub side: Option<Span>,
    pub target: Option<Spanned<Size>>,
    pub minus: Option<Expr>,
    pub weights: Option<Spanned<Weights>>,
    pub allow: Option<Vec<Name>>,
    pub rule: Option<Rule>,
}

impl Modification {
    pub fn is_empty(&self) -> bool {
        self.size.is_none()
            && self.description.is_none()
            && self.kinds.is_none()
            && self.when.is_none()
            && self.na.is_none()
            && self.fail_below.is_none()
            && self.aggregate.is_none()
            && self.by_kind.is_none()
            && self.side.is_none()
            && self.target.is_none()
            && self.minus.is_none()
            && self.weights.is_none()
            && self.allow.is_none()
            && self.rule.is_none()
    }
}

/// A node named by its code or by (a tail of) its path.
#[derive(Debug, Clone)]
pub enum NodeRef {
    Code(Spanned<String>),
    Path(Vec<Name>, Span),
}

impl NodeRef {
    pub fn span(&self) -> Span {
        match self {
            NodeRef::Code(c) => c.span,
            NodeRef::Path(_, span) => *span,
        }
    }
}

impl std::fmt::Display for NodeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NodeRef::Code(c) => write!(f, "#{}", c.value),
            NodeRef::Path(names, _) => {
                let parts: Vec<&str> = names.iter().map(|n| n.value.as_str()).collect();
                f.write_str(&parts.join("/"))
            }
        }
    }
}
