//! Peer statistics (`mean(x) within kind`, `rank(x)`, `minmax(x)` ...): an
//! expression over a group of units, computed once per group before units
//! are scored.

use super::Checker;
use super::names;
use super::types::{Scope, Ty};
use crate::diagnostics::Diagnostic;
use crate::ir::{self, ExprKind, InputType, PeerGroup, Stat};
use crate::num::Num;
use crate::source::Span;
use crate::syntax::ast;
use crate::syntax::keywords::function_english;

pub const NESTED_PEER: &str = "zhibiao::check::nested_peer";
pub const BAD_GROUP: &str = "zhibiao::check::bad_group";
pub const BAD_NODE_SCORE: &str = "zhibiao::check::bad_node_score";
pub const BAD_PEER_PARAM: &str = "zhibiao::check::bad_peer_param";

/// The statistic a function name stands for, if it is one.
pub fn stat(name: &str) -> Option<Stat> {
    Some(match function_english(name)? {
        "mean" => Stat::Mean,
        "median" => Stat::Median,
        "lowest" => Stat::Lowest,
        "highest" => Stat::Highest,
        "rank" => Stat::Rank,
        "percentile" => Stat::Percentile,
        "minmax" => Stat::MinMax,
        "minmax_lower" => Stat::MinMaxLower,
        "zscore" => Stat::ZScore,
        "group_size" => Stat::GroupSize,
        "skewness" => Stat::Skewness,
        "kurtosis" => Stat::Kurtosis,
        "treat" => Stat::Treated,
        _ => return None,
    })
}

impl Checker {
    pub(super) fn peer(
        &mut self,
        stat: Stat,
        f: &ast::Name,
        args: &[ast::Expr],
        within: Option<&ast::Within>,
        span: Span,
        scope: Scope,
    ) -> (ir::Expr, Ty) {
        let scope = Scope {
            base: false,
            ..scope
        };
        let takes_param = matches!(
            stat,
            Stat::Percentile | Stat::Highest | Stat::Lowest | Stat::Treated
        );
        if args.is_empty() || args.len() > 1 + usize::from(takes_param) {
            let wanted = if takes_param { "1 or 2" } else { "1" };
            self.report(super::calls::wrong_arity(f, wanted, args.len(), span));
        }
        let outer = std::mem::replace(&mut self.in_peer, true);
        let arg = match args.first() {
            Some(a) => self.expect(
                a,
                Ty::Number,
                scope,
                &format!("the argument of `{}`", f.value),
            ),
            None => ir::Expr {
                kind: ExprKind::Const(ir::Value::Absent),
                span,
            },
        };
        self.in_peer = outer;
        if arg.reads_previous(&self.lets) {
            self.report(
                Diagnostic::error(NESTED_PEER, format!("the argument of `{}` reads the previous period", f.value))
                    .label(arg.span, "read from last period's data")
                    .help("a peer statistic is computed from this period's values; compare with last period outside it (`mean(x) - previous(x)`)"),
            );
        }
        let param = match args.get(1) {
            Some(p) if takes_param => self.peer_param(stat, f, p, scope),
            _ if stat == Stat::Treated => Some(Num::from(5)),
            _ => None,
        };
        let stat = match (stat, param) {
            (Stat::Percentile, Some(_)) => Stat::Quantile,
            _ => stat,
        };
        let group = match within {
            None => PeerGroup::All,
            Some(ast::Within::Kind(at)) => {
                if self.kinds.is_empty() {
                    self.report(
                        Diagnostic::error(BAD_GROUP, "`within kind`, but the policy declares no kinds")
                            .label(*at, "no kinds to group by")
                            .help("declare the kinds in the header (`kinds 县区, 部门`), or leave out `within` to compare with all units"),
                    );
                }
                PeerGroup::Kind
            }
            Some(ast::Within::Group(name)) => self.group_input(name),
        };
        let id = self.peers.len();
        self.peers.push(ir::Peer {
            stat,
            arg,
            param,
            group,
            span,
            written: crate::syntax::print::call(f, args, within),
        });
        (
            ir::Expr {
                kind: ExprKind::Peer(id),
                span,
            },
            Ty::Number,
        )
    }

    /// The constant second argument of `percentile(x, p)` (a share from 0
    /// to 1), of `highest(x, k)` and `lowest(x, k)` (a whole number from 1)
    /// or of `treat(x, n)` (a whole number from 0).
    fn peer_param(
        &mut self,
        stat: Stat,
        f: &ast::Name,
        p: &ast::Expr,
        scope: Scope,
    ) -> Option<Num> {
        let what = format!("the second argument of `{}`", f.value);
        let e = self.expect(p, Ty::Number, scope, &what);
        let value =
            super::range::range(&[], &[], &e).and_then(|r| r.lo.filter(|lo| r.hi == Some(*lo)));
        let share = stat == Stat::Percentile;
        let fits = value.is_some_and(|x| {
            if share {
                !x.is_negative() && x <= Num::ONE
            } else {
                let least = if stat == Stat::Treated {
                    Num::ZERO
                } else {
                    Num::ONE
                };
                x.is_integer() && x >= least
            }
        });
        if !fits {
            let (wanted, example) = match stat {
                Stat::Percentile => (
                    "a constant share from 0 to 1",
                    "`percentile(x, 0.9)` or `percentile(x, 90%)`: the 90th percentile",
                ),
                Stat::Treated => (
                    "a constant whole number from 0",
                    "`treat(x, 5)`: winsorise at most 5 values",
                ),
                _ => (
                    "a constant whole number from 1",
                    "`highest(x, 3)`: the third highest",
                ),
            };
            self.report(
                Diagnostic::error(BAD_PEER_PARAM, format!("{what} must be {wanted}"))
                    .label(e.span, "not one")
                    .help(example),
            );
        }
        value.filter(|_| fits)
    }

    /// The choice input that groups units (`within 片区`).
    fn group_input(&mut self, name: &ast::Name) -> PeerGroup {
        let Some(id) = self.input_ids.get(&name.value).copied() else {
            let candidates = self.inputs.iter().map(|i| i.name.as_str());
            let mut d = names::unknown("input", &name.value, name.span, candidates);
            d.help = Some(format!(
                "{} (a group is a choice input, or `kind`)",
                d.help.unwrap_or_default()
            ));
            self.report(d);
            return PeerGroup::All;
        };
        if let Some(u) = self.used_inputs.get_mut(id) {
            *u = true;
        }
        match self.inputs.get(id).map(|i| &i.ty) {
            Some(InputType::Choice(_)) => PeerGroup::Input(id),
            _ => {
                self.report(
                    Diagnostic::error(BAD_GROUP, format!("`{}` cannot group units", name.value))
                        .label(name.span, "not a choice input")
                        .help("units are grouped by the value of a choice input (`input 片区: 东 | 西`), or by `kind`"),
                );
                PeerGroup::All
            }
        }
    }

    /// `within` on a function that is not a peer statistic.
    pub(super) fn stray_within(&mut self, f: &ast::Name, within: &ast::Within) {
        let at = match within {
            ast::Within::Kind(s) => *s,
            ast::Within::Group(n) => n.span,
        };
        self.report(
            Diagnostic::error(BAD_GROUP, format!("`{}` is not a peer statistic: it has no group", f.value))
                .label(at, "`within` is for peer statistics")
                .help("`within` follows mean, median, lowest, highest, rank, percentile, minmax, minmax_lower, zscore or group_size"),
        );
    }
}

impl Checker {
    /// `node_score(统筹管理/规划设计)`: the unit's score of a node, named by
    /// (a tail of) its path; resolved once the tree is built.
    pub(super) fn node_score(&mut self, args: &[ast::Expr], span: Span) -> (ir::Expr, Ty) {
        let path = match args {
            [arg] => path_of(arg),
            _ => None,
        };
        if path.is_none() {
            self.report(
                Diagnostic::error(BAD_NODE_SCORE, "`node_score` names no node")
                    .label(span, "here")
                    .help("write the node's path: `node_score(统筹管理)` or `node_score(统筹管理/规划设计)`"),
            );
        }
        let id = self.node_paths.len();
        self.node_paths.push((path.unwrap_or_default(), span));
        (
            ir::Expr {
                kind: ExprKind::NodeScore(id),
                span,
            },
            Ty::Number,
        )
    }

    /// Resolves the nodes `node_score` names, and makes sure none of them
    /// reads a statistic of node scores itself (that would be a cycle).
    pub(super) fn node_refs(&mut self, nodes: &[ir::Node]) -> Vec<ir::NodeId> {
        let paths = std::mem::take(&mut self.node_paths);
        let mut refs = Vec::new();
        for (path, span) in paths {
            if path.is_empty() {
                refs.push(0);
                continue;
            }
            let found = ir::nodes_at(nodes, &path);
            match found.as_slice() {
                [one] => refs.push(*one),
                [] => {
                    let text = path.join("/");
                    let mut d = names::unknown(
                        "node",
                        &text,
                        span,
                        nodes.iter().skip(1).map(|n| n.name.as_str()),
                    );
                    d.code = BAD_NODE_SCORE;
                    self.report(d);
                    refs.push(0);
                }
                many => {
                    let listing: Vec<&str> = many
                        .iter()
                        .filter_map(|i| nodes.get(*i))
                        .map(|n| n.path.as_str())
                        .collect();
                    self.report(
                        Diagnostic::error(
                            BAD_NODE_SCORE,
                            format!("`{}` names {} nodes", path.join("/"), many.len()),
                        )
                        .label(span, "which one?")
                        .help(format!("write more of the path: {}", listing.join(", "))),
                    );
                    refs.push(0);
                }
            }
        }
        // A node whose own rules or conditions read node scores (themselves,
        // or through a statistic) cannot be read: that would be a cycle.
        let of_nodes: Vec<bool> = ir::peer_levels(&self.peers, &self.lets)
            .into_iter()
            .map(|(_, nodes)| nodes)
            .collect();
        let reads_node_stat = |e: &ir::Expr| {
            e.reads(&self.lets, &|k| match k {
                ExprKind::Peer(p) => of_nodes.get(*p).copied().unwrap_or(false),
                ExprKind::NodeScore(_) => true,
                _ => false,
            })
        };
        let cyclic: Vec<&ir::Node> = refs
            .iter()
            .filter_map(|&r| Some((r, nodes.get(r).filter(|_| r > 0)?)))
            .filter(|(r, node)| {
                nodes.get(*r..node.end).unwrap_or(&[]).iter().any(|n| {
                    n.rule
                        .as_ref()
                        .is_some_and(|rule| reads_node_stat(&rule.expr))
                        || n.when.as_ref().is_some_and(reads_node_stat)
                        || n.minus.as_ref().is_some_and(|m| reads_node_stat(&m.0))
                })
            })
            .map(|(_, node)| node)
            .collect();
        for node in cyclic {
            self.report(
                Diagnostic::error(
                    BAD_NODE_SCORE,
                    format!("`{}` reads its own score", node.path),
                )
                .label(node.span, "its score depends on node scores")
                .help("a node's score (or a statistic of it) can be read only outside that node"),
            );
        }
        refs
    }
}

/// `统筹管理/规划设计` as written in an expression: names divided by `/`.
/// The node path an argument of `node_score` names (`统筹管理/规划设计`).
pub(crate) fn path_of(e: &ast::Expr) -> Option<Vec<String>> {
    match &e.kind {
        ast::ExprKind::Name(n) => Some(vec![n.clone()]),
        ast::ExprKind::Binary(ast::BinaryOp::Div, a, b) => {
            let mut left = path_of(a)?;
            left.extend(path_of(b)?);
            Some(left)
        }
        _ => None,
    }
}

/// Whether a function name is `node_score`.
pub(crate) fn is_node_score(name: &str) -> bool {
    function_english(name) == Some("node_score")
}
