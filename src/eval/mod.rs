//! Evaluation: a compiled policy over a dataset → every unit's results.
//!
//! Runs after `check` and `data`, before `report`. Phases: (1) what units
//! share (`plan.rs`: peer statistics, the previous period, tables of rules);
//! (2) each unit on its own — applicability, item rules, the tree's sums
//! with not-applicable rules, parts, vetoes — in parallel, each thread with
//! its own [`Evaluator`], each unit's results rounded into a compact record
//! (`results.rs`); (3) across units — grades and ranks (`rank.rs`). The
//! results do not depend on the number of threads: every unit is scored
//! alone and the arithmetic is exact.

mod aggregate;
mod error;
mod expr;
pub mod funding;
mod item;
mod layout;
mod lints;
mod peers;
mod period;
mod plan;
pub mod rank;
mod results;
mod table;
mod tabulate;
pub mod treat;
mod tree;
mod unit;
mod verdict;

pub use error::EvalError;
pub use layout::Layout;
pub use lints::{above_denominator, data_warnings, uncollected};
pub use plan::Plan;
pub use results::{Evaluation, Record, Rounded, Summary};
pub use unit::{Evaluator, Outcome};

use crate::data::Dataset;
use crate::ir::{NodeId, Policy};
use crate::num::Num;
use crate::source::Span;
use rayon::prelude::*;

/// How a node came to its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    Scored = 0,
    NotApplicable = 1,
    /// Scored from a blank cell filled by a `missing zero` or `missing mean` rule.
    Missing = 2,
    /// Left out for a blank cell (`missing reweight`): its points went to
    /// its siblings.
    Reweighted = 3,
}

impl Status {
    /// The name used in the outputs (`not_applicable`).
    pub fn name(self) -> &'static str {
        match self {
            Status::Scored => "scored",
            Status::NotApplicable => "not_applicable",
            Status::Missing => "missing",
            Status::Reweighted => "reweighted",
        }
    }
}

impl serde::Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeResult {
    pub score: Num,
    pub max: Num,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartResult {
    /// Points added (bonus) or taken (deduction), after the cap.
    pub points: Num,
    /// Each item's points before the part's cap; `None` if not applicable.
    pub items: Vec<Option<Num>>,
    /// False when a bonus gate kept the part shut.
    pub open: bool,
}

/// Why a unit failed or was capped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VetoHit {
    /// A veto (index into `Policy::vetoes`) whose condition held.
    Veto(usize),
    /// A node whose score fell below its `fail_below` threshold.
    FailBelow(NodeId),
}

/// Every result of one unit, exact (see [`detail`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitResult {
    pub nodes: Vec<NodeResult>,
    pub parts: Vec<PartResult>,
    /// Score, maximum, grade and vetoes.
    pub outcome: Outcome,
    pub rank: Option<usize>,
    pub rank_in_kind: Option<usize>,
    /// Index into the policy's tiers.
    pub tier: Option<usize>,
}

/// A unit that could not be scored, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitError {
    pub unit: usize,
    pub node: Option<NodeId>,
    /// The rule or statistic of the policy where it happened, if known.
    pub span: Option<Span>,
    pub message: String,
}

/// How to run an evaluation.
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    /// Threads to score units with; 0: one per core.
    pub jobs: usize,
    /// Called with the number of units just scored, from any thread.
    pub progress: Option<&'a (dyn Fn(usize) + Sync)>,
    /// Keep no node's maximum (see [`Layout::keeping`]): the outputs to be
    /// written read only the nodes' scores, as CSV and the table do.
    pub scores_only: bool,
}

/// Evaluates every unit, then grades and ranks them.
pub fn evaluate(policy: &Policy, data: &Dataset) -> Evaluation {
    evaluate_with(policy, data, None, Options::default())
}

/// The evaluation of a period that is only read, not scored (its rules
/// read it only through `previous(x)`): no unit has a score or a rank.
pub fn not_evaluated(policy: &Policy, data: &Dataset) -> Evaluation {
    let units = vec![Summary::UNSCORED; data.len()];
    Evaluation::new(Layout::new(policy), policy.precision, units, Vec::new())
}

/// [`evaluate`], with `previous` (last period's data and its evaluation by
/// the same policy) for the rules that read the previous period.
pub fn evaluate_after(
    policy: &Policy,
    data: &Dataset,
    previous: Option<(&Dataset, &Evaluation)>,
) -> Evaluation {
    evaluate_with(policy, data, previous, Options::default())
}

/// [`evaluate_after`] with `options`.
pub fn evaluate_with(
    policy: &Policy,
    data: &Dataset,
    previous: Option<(&Dataset, &Evaluation)>,
    options: Options,
) -> Evaluation {
    with_threads(options.jobs, || run(policy, data, previous, options))
}

/// Runs `f` with `jobs` threads for its parallel work (0: the threads
/// already given, by default one per core).
pub fn with_threads<R: Send>(jobs: usize, f: impl FnOnce() -> R + Send) -> R {
    let pool = (jobs > 0)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build()
                .ok()
        })
        .flatten();
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// What scoring the units of `data` (after `previous`) shares, with every
/// peer statistic: those of node scores after a first pass that scores
/// every unit (the nodes they read do not depend on them: `check` makes
/// sure).
pub fn plan<'a>(
    policy: &'a Policy,
    data: &'a Dataset,
    previous: Option<(&'a Dataset, &'a Evaluation)>,
) -> Plan<'a> {
    let mut plan = Plan::new(policy, data, previous);
    if plan.reads_node_scores() {
        let refs = &policy.node_refs;
        let scores: Vec<Option<Num>> = (0..data.len())
            .into_par_iter()
            .map_init(
                || Evaluator::new(&plan),
                |evaluator, u| match evaluator.scores_of(u, refs) {
                    Some(scores) => scores.into_iter().map(Some).collect(),
                    None => vec![None; refs.len()],
                },
            )
            .flatten()
            .collect();
        plan.add_node_statistics(&scores);
        if policy.reads_node_scores() {
            plan.keep_node_scores(&scores);
        }
    }
    plan
}

/// Units scored by one task (and one call of the progress callback).
const CHUNK: usize = 256;

fn run(
    policy: &Policy,
    data: &Dataset,
    previous: Option<(&Dataset, &Evaluation)>,
    options: Options,
) -> Evaluation {
    let mut plan = plan(policy, data, previous);
    let treated = std::mem::take(&mut plan.peers.treated);
    let layout = Layout::keeping(policy, !options.scores_only);
    let size = layout.size();
    let mut records = vec![0u8; data.len() * size];
    // Filled on every core: one core would fault in all the pages alone.
    let mut units = Vec::with_capacity(data.len());
    units.par_extend(rayon::iter::repeat_n(Summary::UNSCORED, data.len()));
    let errors: Vec<Vec<UnitError>> = records
        .par_chunks_mut(size * CHUNK)
        .zip(units.par_chunks_mut(CHUNK))
        .enumerate()
        .map_init(
            || (Evaluator::new(&plan), results::Writer::new(policy, &layout)),
            |(evaluator, writer), (c, (records, summaries))| {
                // Touch the records' fresh pages with a write first: a read
                // first maps the zero page, and the write after it then makes
                // the kernel flush the other cores' TLBs, page by page.
                records.fill(0);
                let mut errors = Vec::new();
                for (i, (record, summary)) in records
                    .chunks_mut(size)
                    .zip(summaries.iter_mut())
                    .enumerate()
                {
                    let u = c * CHUNK + i;
                    match evaluator.evaluate(u) {
                        Ok(outcome) => {
                            let nodes = (evaluator.nodes(), evaluator.factors());
                            match writer.write(nodes, evaluator.parts(), &outcome, record) {
                                Some(s) => *summary = s,
                                None => errors.push(evaluator.too_large()),
                            }
                        }
                        Err(mut e) => errors.append(&mut e),
                    }
                }
                if let Some(progress) = options.progress {
                    progress(summaries.len());
                }
                errors
            },
        )
        .collect();
    rank::rank(policy, data, &mut units);
    let funding = funding::allocate(policy, data, &units);
    let mut evaluation = Evaluation::new(layout, policy.precision, units, records);
    evaluation.errors = errors.into_iter().flatten().collect();
    evaluation.treated = treated;
    evaluation.funding = funding;
    evaluation
}

/// Every result of unit `u` of the plan's data, exact, with its grade,
/// rank and tier from `evaluation` (the evaluation of that data, which
/// places the unit among the others; after the plan's previous period, if
/// any); `None` if it could not be scored.
pub fn detail(plan: &Plan, evaluation: &Evaluation, u: usize) -> Option<UnitResult> {
    let mut result = Evaluator::new(plan).unit(u).ok()?;
    let summary = evaluation.unit(u)?;
    result.outcome.grade = summary.grade;
    result.rank = summary.rank;
    result.rank_in_kind = summary.rank_in_kind;
    result.tier = summary.tier;
    Some(result)
}

/// Where the arms of `match` and the bands of `bands` that `e` takes for
/// unit `u` of the plan's data are written (see `explain` and test
/// coverage), its peer statistics and previous period read from the plan.
pub fn branches(plan: &Plan, u: usize, base: Num, e: &crate::ir::Expr) -> Vec<Span> {
    let mut lets = vec![None; plan.policy.lets.len()];
    let mut env = plan::env(plan, u, &mut lets, base);
    let mut out = Vec::new();
    env.branches(e, &mut out);
    out
}

/// Unit `u`'s value of peer statistic `p`.
pub fn peer_value(plan: &Plan, u: usize, p: usize) -> Result<Num, EvalError> {
    match plan.peers.get(u, p)? {
        crate::ir::Value::Number(x) => Ok(x),
        _ => Err(EvalError::EmptyGroup(Span::default())),
    }
}

/// The value of derived value `l` (a `let`) for unit `u` of the plan's data.
pub fn let_value(plan: &Plan, u: usize, l: usize) -> Result<Num, EvalError> {
    let policy = plan.policy;
    let span = policy.lets.get(l).map(|d| d.expr.span).unwrap_or_default();
    let mut lets = vec![None; policy.lets.len()];
    let mut env = plan::env(plan, u, &mut lets, Num::ZERO);
    let read = crate::ir::Expr {
        kind: crate::ir::ExprKind::Let(l),
        span,
    };
    env.number(&read)
}
