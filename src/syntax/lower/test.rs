//! Lowering of `test` blocks.

use super::{Lower, P, kids};
use crate::source::Spanned;
use crate::syntax::ast::{Cell, Expect, Expectation, Expected, Target, Test, TestUnit};
use crate::syntax::grammar::Rule;

impl Lower<'_> {
    pub(super) fn test(&mut self, pair: P) -> Test {
        let span = self.span(&pair);
        let mut test = Test {
            name: Spanned::new(String::new(), span),
            extends: None,
            from: Vec::new(),
            cells: Vec::new(),
            units: Vec::new(),
            expects: Vec::new(),
            span,
        };
        let mut strings = 0;
        for p in kids(pair) {
            match p.as_rule() {
                Rule::string => {
                    let value = Spanned::new(self.string(p.clone()), self.span(&p));
                    if strings == 0 {
                        test.name = value;
                    } else {
                        test.extends = Some(value);
                    }
                    strings += 1;
                }
                Rule::test_from => {
                    for file in kids(p).filter(|f| f.as_rule() == Rule::string) {
                        let span = self.span(&file);
                        test.from.push(Spanned::new(self.string(file), span));
                    }
                }
                Rule::given => {
                    for cell in kids(p).filter(|c| c.as_rule() == Rule::cell) {
                        test.cells.push(self.cell(cell));
                    }
                }
                Rule::test_unit => {
                    let mut parts = kids(p.clone()).skip(1);
                    let id = self.name_or_empty(parts.next(), self.span(&p));
                    let cells = parts.filter(|c| c.as_rule() == Rule::cell);
                    let cells = cells.map(|c| self.cell(c)).collect();
                    test.units.push(TestUnit { id, cells });
                }
                Rule::expect => {
                    let span = self.span(&p);
                    let mut unit = None;
                    for e in kids(p).skip(1) {
                        if e.as_rule() == Rule::of_unit {
                            unit = kids(e).next().map(|n| self.name(n));
                            continue;
                        }
                        let expect = self.expect(e);
                        test.expects.push(Spanned::new(
                            Expectation {
                                unit: unit.take(),
                                expect,
                            },
                            span,
                        ));
                    }
                }
                _ => {}
            }
        }
        test
    }

    fn cell(&mut self, pair: P) -> Cell {
        let span = self.span(&pair);
        let mut parts = kids(pair);
        let column = self.name_or_empty(parts.next(), span);
        let value = match parts.next().and_then(|v| kids(v).next()) {
            Some(v) => {
                let span = self.span(&v);
                let text = match v.as_rule() {
                    Rule::string => self.string(v),
                    Rule::list => kids(v)
                        .map(|l| self.name(l).value)
                        .collect::<Vec<_>>()
                        .join("、"),
                    Rule::label => self.name(v).value,
                    _ => v.as_str().to_string(),
                };
                Spanned::new(text, span)
            }
            None => Spanned::new(String::new(), span),
        };
        Cell { column, value }
    }

    fn expect(&mut self, pair: P) -> Expect {
        let rule = pair.as_rule();
        let parts: Vec<P> = kids(pair).collect();
        match rule {
            Rule::expect_veto => {
                let fires = !parts.iter().any(|p| p.as_rule() == Rule::kw_not);
                let span = parts
                    .first()
                    .map_or_else(Default::default, |p| self.span(p));
                let name = self.name_or_empty(parts.last().cloned(), span);
                Expect::Veto { name, fires }
            }
            Rule::expect_na => match parts.last() {
                Some(r) => Expect::NotApplicable(self.node_ref(r.clone())),
                None => Expect::NotApplicable(crate::syntax::ast::NodeRef::Path(
                    Vec::new(),
                    Default::default(),
                )),
            },
            _ => {
                let target = match parts.first() {
                    Some(t) if t.as_rule() == Rule::kw_final_score => Target::Score(self.span(t)),
                    Some(t) if t.as_rule() == Rule::kw_grade => Target::Grade(self.span(t)),
                    Some(t) if t.as_rule() == Rule::kw_rank => Target::Rank(self.span(t)),
                    Some(t) if t.as_rule() == Rule::kw_tier => Target::Tier(self.span(t)),
                    Some(t) if t.as_rule() == Rule::kw_base => Target::Base(self.span(t)),
                    Some(t) if t.as_rule() == Rule::kw_bonus => Target::Bonus(self.span(t)),
                    Some(t) if t.as_rule() == Rule::kw_deduction => {
                        Target::Deductions(self.span(t))
                    }
                    Some(t) if t.as_rule() == Rule::call => Target::Peer(self.primary(t.clone())),
                    Some(t) => Target::Node(self.node_ref(t.clone())),
                    None => Target::Score(Default::default()),
                };
                let value = match parts.get(1) {
                    Some(v) if v.as_rule() == Rule::signed_number => {
                        let places = v.as_str().split_once('.').map_or(0, |(_, f)| f.len());
                        let places = u32::try_from(places).unwrap_or(u32::MAX);
                        Spanned::new(Expected::Number(self.decimal(v), places), self.span(v))
                    }
                    Some(v) => {
                        let name = self.name(v.clone());
                        Spanned::new(Expected::Name(name.value), name.span)
                    }
                    None => Spanned::new(Expected::Name(String::new()), Default::default()),
                };
                Expect::Value(target, value)
            }
        }
    }
}
