//! The indicator tree as the editor sees it: every node with its path, its
//! points as written and in absolute terms, its children's subtotal, rule,
//! applicability and N/A rule. Built from a syntax tree, so a file that does
//! not check (or does not even parse to the end) still has one.

use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast::{self, NodeBody, Setting, Size, Weights};
use crate::syntax::print::{self, Keywords};

/// One node as declared.
#[derive(Debug, Clone)]
pub struct NodeDecl {
    pub name: String,
    pub name_span: Span,
    pub span: Span,
    pub keyword: String,
    pub code: Option<String>,
    pub path: Vec<String>,
    pub group: bool,
    /// A bonus or deduction item (not part of the tree's total).
    pub in_part: bool,
    pub size: Option<Size>,
    pub size_span: Option<Span>,
    /// Absolute points, when the parents' points are known.
    pub points: Option<Num>,
    pub subtotal: Option<Subtotal>,
    pub rule: Option<String>,
    pub description: Option<String>,
    /// `for` and `when` of the node and its ancestors, as written.
    pub applies: Vec<String>,
    /// The N/A rule in force and where it is stated.
    pub na: Option<String>,
    pub changed: Option<Span>,
}

/// What the children of a group (or the top of the tree) add up to, against
/// what they should.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subtotal {
    pub sum: Num,
    pub expected: Num,
    /// The children are written as percentages of their parent.
    pub percent: bool,
}

impl Subtotal {
    pub fn label(self) -> String {
        let unit = if self.percent { "%" } else { "" };
        if self.sum == self.expected {
            format!("Σ {}{unit} ✓", print::number(self.sum))
        } else {
            format!(
                "Σ {}{unit} ≠ {}{unit}",
                print::number(self.sum),
                print::number(self.expected)
            )
        }
    }
}

/// The nodes of a syntax tree, and the subtotal of its top level against the
/// header's total (at the total's span).
pub struct Tree {
    pub nodes: Vec<NodeDecl>,
    pub top: Option<(Span, Subtotal)>,
}

struct Walk {
    lang: Keywords,
    nodes: Vec<NodeDecl>,
}

/// Context handed down the tree.
#[derive(Clone, Default)]
struct Above {
    path: Vec<String>,
    points: Option<Num>,
    applies: Vec<String>,
    na: Option<String>,
    /// The group's children weighted equally (their number) or relatively
    /// (the sum of their weights): a child's share of `points`.
    shares: Option<(Weights, Num)>,
}

pub fn tree(file: &ast::File, header_text: &str) -> Tree {
    let mut walk = Walk {
        lang: Keywords::of(header_text),
        nodes: Vec::new(),
    };
    let mut total = None;
    let mut above = Above::default();
    for setting in file.header.iter().flat_map(|h| &h.settings) {
        match &setting.value {
            Setting::Total(t) => total = Some((setting.span, *t)),
            Setting::NotApplicable(rule) => {
                above.na = Some(format!("{} (the header)", print::na_rule(*rule, walk.lang)));
            }
            _ => {}
        }
    }
    above.points = total.map(|(_, t)| t);
    let top = walk.children(&file.tree, &above);
    for part in &file.parts {
        let above = Above {
            path: vec![part.name.value.clone()],
            ..Above::default()
        };
        for item in &part.items {
            walk.node(item, &above, true);
        }
    }
    for change in &file.changes {
        if let ast::ChangeAction::Add(nodes) = &change.action {
            let path = match &change.target {
                Some(ast::NodeRef::Path(names, _)) => {
                    names.iter().map(|n| n.value.clone()).collect()
                }
                _ => Vec::new(),
            };
            let above = Above {
                path,
                ..Above::default()
            };
            for node in nodes {
                walk.node(node, &above, false);
            }
        }
    }
    Tree {
        nodes: walk.nodes,
        top: total.zip(top).map(|((span, _), sub)| (span, sub)),
    }
}

impl Walk {
    /// Walks the children; returns their subtotal against the parent.
    fn children(&mut self, nodes: &[ast::Node], above: &Above) -> Option<Subtotal> {
        let mut sum = Num::ZERO;
        let mut percent = None;
        let mut alike = true;
        for node in nodes {
            self.node(node, above, false);
            if node.side.is_some() {
                continue;
            }
            match (node.size.map(|s| s.value), percent) {
                (Some(Size::Points(p) | Size::Range(_, p)), None | Some(false)) => {
                    sum += p;
                    percent = Some(false);
                }
                (Some(Size::Percent(p)), None | Some(true)) => {
                    sum += p;
                    percent = Some(true);
                }
                _ => alike = false,
            }
        }
        let percent = percent.filter(|_| alike)?;
        let expected = if percent {
            Num::ONE_HUNDRED
        } else {
            above.points?
        };
        Some(Subtotal {
            sum,
            expected,
            percent,
        })
    }

    fn node(&mut self, node: &ast::Node, above: &Above, in_part: bool) {
        let size = node.size.map(|s| s.value);
        let points = match (size, above.shares) {
            (_, Some((Weights::Equal, n))) if node.side.is_none() => {
                above.points.and_then(|parent| parent.checked_div(n))
            }
            (Some(Size::Points(w)), Some((Weights::Relative, sum))) if node.side.is_none() => above
                .points
                .and_then(|parent| (parent * w).checked_div(sum)),
            (Some(Size::Percent(p)), _) => above.points.map(|parent| parent * p / Num::ONE_HUNDRED),
            (Some(other), _) => other.most(),
            (None, _) => None,
        };
        let mut path = above.path.clone();
        path.push(node.name.value.clone());
        let mut own = Vec::new();
        if !node.kinds.is_empty() {
            let kinds: Vec<&str> = node.kinds.iter().map(|k| k.value.as_str()).collect();
            own.push(format!(
                "{} {}",
                print::kw("for", self.lang),
                kinds.join(", ")
            ));
        }
        if let Some(when) = &node.when {
            own.push(format!(
                "{} {}",
                print::kw("when", self.lang),
                print::expr(when, self.lang)
            ));
        }
        let mut applies = above.applies.clone();
        applies.extend(own.iter().cloned());
        let na = match node.na {
            Some(rule) => Some(print::na_rule(rule.value, self.lang)),
            None => above.na.clone(),
        };
        let index = self.nodes.len();
        self.nodes.push(NodeDecl {
            name: node.name.value.clone(),
            name_span: node.name.span,
            span: node.span,
            keyword: node.keyword.value.clone(),
            code: node.code.as_ref().map(|c| c.value.clone()),
            path: path.clone(),
            group: matches!(node.body, NodeBody::Group(_)),
            in_part,
            size,
            size_span: node.size.map(|s| s.span),
            points,
            subtotal: None,
            rule: match &node.body {
                NodeBody::Item(rule) => Some(print::rule(rule, self.lang)),
                NodeBody::Group(_) => None,
            },
            description: node.description.clone(),
            applies,
            na: na.clone(),
            changed: node.changed,
        });
        if let NodeBody::Group(children) = &node.body {
            let mut inherited = above.applies.clone();
            inherited.extend(
                own.iter()
                    .map(|a| format!("{a} (from {})", node.name.value)),
            );
            let below = Above {
                path,
                points,
                applies: inherited,
                na: node.na.map_or(above.na.clone(), |rule| {
                    Some(format!(
                        "{} (from {})",
                        print::na_rule(rule.value, self.lang),
                        node.name.value
                    ))
                }),
                shares: node.weights.map(|w| (w.value, shares(w.value, children))),
            };
            // Rows by kind add up per kind, and weighted children share the
            // group's points whatever they add up to.
            let subtotal = self
                .children(children, &below)
                .filter(|_| node.by_kind.is_none() && node.weights.is_none());
            if let Some(decl) = self.nodes.get_mut(index) {
                decl.subtotal = subtotal;
            }
        }
    }
}

/// What a child's share is taken of: the number of children weighted
/// equally, or the sum of their relative weights.
fn shares(how: Weights, children: &[ast::Node]) -> Num {
    let counted = children.iter().filter(|c| c.side.is_none());
    match how {
        Weights::Equal => Num::from(counted.count()),
        Weights::Relative => counted
            .filter_map(|c| match c.size.map(|s| s.value) {
                Some(Size::Points(w)) => Some(w),
                _ => None,
            })
            .sum(),
    }
}
