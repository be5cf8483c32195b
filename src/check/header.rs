//! The policy header: name, version, total, precision, levels, kinds, the
//! default not-applicable and missing-data rules, allowed lints.

use super::lints::LINTS;
use super::{Checker, names};
use crate::diagnostics::Diagnostic;
use crate::ir;
use crate::num::{Num, Rounding};
use crate::source::Span;
use crate::syntax::ast::{self, MissingRule, NaRule, Setting};

pub const MISSING_HEADER: &str = "zhibiao::check::missing_header";
pub const MISSING_SETTING: &str = "zhibiao::check::missing_setting";
pub const DUPLICATE_SETTING: &str = "zhibiao::check::duplicate_setting";
pub const BAD_PRECISION: &str = "zhibiao::check::bad_precision";
pub const UNKNOWN_LINT: &str = "zhibiao::check::unknown_lint";

/// The header's settings, with the defaults the language states.
#[derive(Debug, Clone)]
pub struct Settings {
    pub name: String,
    pub version: String,
    pub total: Num,
    pub precision: u32,
    pub rounding: Rounding,
    pub round_items: bool,
    pub levels: Vec<String>,
    pub kinds: Vec<ast::Kind>,
    /// The policy-wide not-applicable rule, if stated.
    pub not_applicable: Option<NaRule>,
    pub missing: MissingRule,
    pub allow: Vec<String>,
    pub ranking: ir::Ranking,
    pub sources: Vec<ast::Name>,
    /// What gates, fail lines and grades compare (unset: see `ir::Policy`).
    pub compare: Option<ast::Compare>,
    /// The whole tree's fail line.
    pub fail_below: Option<ast::Size>,
    pub unit_columns: ir::UnitColumns,
}

impl Checker {
    pub(super) fn header(&mut self, file: &ast::File) -> Settings {
        let mut s = Settings {
            name: String::new(),
            version: String::new(),
            total: Num::ONE_HUNDRED,
            precision: 2,
            rounding: Rounding::HalfUp,
            round_items: false,
            levels: Vec::new(),
            kinds: Vec::new(),
            not_applicable: None,
            missing: MissingRule::Error,
            allow: Vec::new(),
            ranking: ir::Ranking::default(),
            sources: Vec::new(),
            compare: None,
            fail_below: None,
            unit_columns: ir::UnitColumns::default(),
        };
        let Some(header) = file.header.first() else {
            self.report(
                Diagnostic::error(MISSING_HEADER, "the policy has no header")
                    .label(Span::new(0, 0), "expected `policy \"名称\" { ... }` here")
                    .help("start the file with `policy \"名称\" { total 100  precision 2 half_up }` (指标体系)"),
            );
            return s;
        };
        for extra in file.header.iter().skip(1) {
            self.report(names::duplicate(
                "policy header",
                &extra.name.value,
                header.span,
                extra.span,
            ));
        }
        s.name = header.name.value.clone();
        let mut seen: Vec<(std::mem::Discriminant<Setting>, Span)> = Vec::new();
        for setting in &header.settings {
            let key = std::mem::discriminant(&setting.value);
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                self.report(
                    Diagnostic::error(DUPLICATE_SETTING, "this setting is given twice")
                        .label(setting.span, "given again here")
                        .label(*first, "first given here")
                        .help("keep one of them"),
                );
                continue;
            }
            seen.push((key, setting.span));
            self.setting(&setting.value, &mut s);
        }
        for (required, example) in [
            ("total", "total 100 (满分 100)"),
            ("precision", "precision 2 half_up (精度 2 四舍五入)"),
        ] {
            let given = header.settings.iter().any(|st| match st.value {
                Setting::Total(_) => required == "total",
                Setting::Precision { .. } => required == "precision",
                _ => false,
            });
            if !given {
                self.report(
                    Diagnostic::error(
                        MISSING_SETTING,
                        format!("the header does not state `{required}`"),
                    )
                    .label(header.name.span, "in this policy")
                    .help(format!(
                        "add `{example}` to the header: it is never assumed"
                    )),
                );
            }
        }
        self.digits(header, &s);
        s
    }

    /// Scores are kept as whole numbers of the last place, at most 18
    /// digits: the total at the precision must fit.
    fn digits(&mut self, header: &ast::Header, s: &Settings) {
        let places = Num::decimal(1, s.precision);
        let fits = (s.total / places).scaled(0, Rounding::HalfUp);
        if fits.is_some_and(|k| k < 10i128.pow(18)) {
            return;
        }
        let precision = header
            .settings
            .iter()
            .find(|st| matches!(st.value, Setting::Precision { .. }))
            .map_or(header.name.span, |st| st.span);
        self.report(
            Diagnostic::error(
                BAD_PRECISION,
                format!(
                    "a total of {} at {} decimal places needs more than 18 digits",
                    s.total, s.precision
                ),
            )
            .label(precision, "too many decimal places for this total")
            .help(
                "scores are kept exactly to 18 digits: use fewer decimal places or a smaller total",
            ),
        );
    }

    fn setting(&mut self, setting: &Setting, s: &mut Settings) {
        match setting {
            Setting::Version(v) => s.version = v.clone(),
            Setting::Total(t) => s.total = *t,
            Setting::Precision {
                digits,
                rounding,
                per_item,
            } => {
                match u32::try_from(digits.value.numerator())
                    .ok()
                    .filter(|d| digits.value.is_integer() && *d <= 10)
                {
                    Some(d) => s.precision = d,
                    None => self.report(
                        Diagnostic::error(
                            BAD_PRECISION,
                            format!(
                                "precision `{}` is not a number of decimal places",
                                digits.value
                            ),
                        )
                        .label(digits.span, "expected a whole number from 0 to 10")
                        .help("scores are usually kept to 2 decimal places: `precision 2 half_up`"),
                    ),
                }
                s.rounding = *rounding;
                s.round_items = *per_item;
            }
            Setting::Levels(l) => s.levels = l.iter().map(|n| n.value.clone()).collect(),
            Setting::Kinds(k) => s.kinds = k.clone(),
            Setting::NotApplicable(r) => s.not_applicable = Some(*r),
            Setting::Missing(m) => s.missing = *m,
            Setting::Allow(lints) => s.allow.extend(self.known_lints(lints)),
            Setting::Sources(names) => s.sources = names.clone(),
            Setting::Compare(c) => s.compare = Some(*c),
            Setting::FailBelow(f) => s.fail_below = Some(f.value),
            Setting::Columns(columns) => {
                for (which, header) in columns {
                    let slot = match which.value.as_str() {
                        "id" | "编号" => &mut s.unit_columns.id,
                        "name" | "名称" => &mut s.unit_columns.name,
                        "kind" | "类型" => &mut s.unit_columns.kind,
                        other => {
                            let names = ["id", "name", "kind", "编号", "名称", "类型"];
                            let d = names::unknown("unit column", other, which.span, names);
                            self.report(d);
                            continue;
                        }
                    };
                    *slot = Some(header.clone());
                }
            }
            Setting::Rank { method, exact } => {
                s.ranking = ir::Ranking {
                    method: *method,
                    exact: *exact,
                }
            }
        }
    }

    /// The lints named (in the header or on a node); an unknown one is
    /// reported with "did you mean".
    pub(super) fn known_lints(&mut self, lints: &[ast::Name]) -> Vec<String> {
        let mut known = Vec::new();
        for lint in lints {
            if LINTS.iter().any(|(name, _)| *name == lint.value) {
                known.push(lint.value.clone());
            } else {
                let names = LINTS.iter().map(|(n, _)| *n);
                let mut d = names::unknown("lint", &lint.value, lint.span, names);
                d.code = UNKNOWN_LINT;
                self.report(d);
            }
        }
        known
    }

    pub(super) fn kinds(&mut self, s: &Settings) {
        for kind in &s.kinds {
            if let Some(i) = self.kinds.iter().position(|k| k.name == kind.name.value) {
                let first = self.kind_spans.get(i).copied().unwrap_or_default();
                self.report(names::duplicate(
                    "kind",
                    &kind.name.value,
                    first,
                    kind.name.span,
                ));
                continue;
            }
            self.kinds.push(crate::ir::Kind {
                name: kind.name.value.clone(),
                label: kind.label.clone(),
            });
            self.kind_spans.push(kind.name.span);
        }
    }
}
