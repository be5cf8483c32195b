//! Peer statistics (`mean(x) within kind`, `rank(x)`, `minmax(x)` ...): an
//! expression over a group of units, computed once per group before units
//! are scored.

use super::Checker;
use super::expr::{Scope, Ty};
use super::names;
use crate::diagnostics::Diagnostic;
use crate::ir::{self, ExprKind, InputType, PeerGroup, Stat};
use crate::source::Span;
use crate::syntax::ast;
use crate::syntax::keywords::FUNCTIONS;

pub const NESTED_PEER: &str = "zhibiao::check::nested_peer";
pub const BAD_GROUP: &str = "zhibiao::check::bad_group";

/// The statistic a function name stands for, if it is one.
pub fn stat(name: &str) -> Option<Stat> {
    let english = FUNCTIONS
        .iter()
        .find(|(en, zh, _)| *en == name || *zh == name)?
        .0;
    Some(match english {
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
        if args.len() != 1 {
            self.report(
                Diagnostic::error(
                    super::expr::WRONG_ARITY,
                    format!("`{}` takes 1 argument, not {}", f.value, args.len()),
                )
                .label(span, "called here")
                .help(super::expr::function_help(&f.value)),
            );
        }
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
        if arg.reads_peers(&self.lets) || arg.reads_previous(&self.lets) {
            self.report(
                Diagnostic::error(NESTED_PEER, format!("the argument of `{}` reads another peer statistic or the previous period", f.value))
                    .label(arg.span, "depends on other units already")
                    .help("a peer statistic is computed from each unit's own values; compute the inner statistic in its own item, or compare with it outside"),
            );
        }
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
            group,
            span,
        });
        (
            ir::Expr {
                kind: ExprKind::Peer(id),
                span,
            },
            Ty::Number,
        )
    }

    /// The choice input that groups units (`within 片区`).
    fn group_input(&mut self, name: &ast::Name) -> PeerGroup {
        let Some(id) = self.input_ids.get(&name.value).copied() else {
            let candidates: Vec<String> = self.input_ids.keys().cloned().collect();
            let mut d = names::unknown(
                "input",
                &name.value,
                name.span,
                candidates.iter().map(String::as_str),
            );
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
