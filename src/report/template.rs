//! The data-collection template: the columns a unit of a kind must fill in,
//! and a guide to each column (what it is, its type and values, its unit,
//! whether it may be left blank and why).

use super::csv::write_rows;
use crate::ir::{Expr, InputType, KindId, Missing, Policy};

/// One column of the template.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub description: String,
    pub ty: String,
    pub values: String,
    pub unit: String,
    pub blank: String,
    /// The target values (目标值) of the rows that read it.
    pub targets: String,
    /// The sources that collect it (`自评 30%、专家 70%`; empty without sources).
    pub source: String,
    /// Their indices in the policy's sources.
    pub sources: Vec<usize>,
}

impl Column {
    /// Whether source `s` collects it (every column, without sources).
    pub fn from_source(&self, s: usize) -> bool {
        self.sources.is_empty() || self.sources.contains(&s)
    }
}

/// The inputs a unit of `kind` needs (every input without a kind), in the
/// order declared. `text` gives the source text of a condition.
pub fn columns(
    policy: &Policy,
    kind: Option<KindId>,
    text: &dyn Fn(&Expr) -> String,
) -> Vec<Column> {
    let needed = policy.inputs_needed(kind);
    policy
        .inputs
        .iter()
        .enumerate()
        .filter(|(id, _)| needed.get(*id).copied().unwrap_or(true))
        .map(|(id, input)| Column {
            name: input.column.clone(),
            description: input.description.clone().unwrap_or_default(),
            ty: match input.per.and_then(|d| policy.inputs.get(d)) {
                // The column holds the numerator.
                Some(d) => format!("a number, divided by `{}` into {}", d.name, input.ty.describe()),
                None => input.ty.describe(),
            },
            values: match &input.ty {
                InputType::Choice(c) | InputType::Set(c) => c.join(" | "),
                InputType::Bool => "是 | 否".into(),
                _ => String::new(),
            },
            unit: input.unit.clone().unwrap_or_default(),
            targets: targets(policy, id),
            source: source(policy, input),
            sources: match (policy.sources.is_empty(), input.sources.as_slice()) {
                (true, _) => Vec::new(),
                // Without `from`: the first source.
                (false, []) => vec![0],
                (false, from) => from.iter().map(|(s, _)| *s).collect(),
            },
            blank: match (&input.when, input.missing) {
                (Some(w), _) => format!("may be blank where `{}` does not hold (collected only then)", text(w)),
                (None, Missing::Zero) => "may be blank: counted as 0 (`missing zero`)".into(),
                (None, Missing::Mean(false)) => "may be blank: filled with the mean of the units (`missing mean`)".into(),
                (None, Missing::Mean(true)) => "may be blank: filled with the mean of the same kind (`missing mean within kind`)".into(),
                (None, Missing::Reweight(_)) => "may be blank: the items reading it are left out and their points go to their siblings (`missing reweight`)".into(),
                (None, Missing::Error) if input.ty == InputType::Text => "may be blank: recorded, not scored".into(),
                (None, Missing::Error) => "must be filled in".into(),
            },
        })
        .collect()
}

/// The sources that collect an input, with their weights when several.
fn source(policy: &Policy, input: &crate::ir::Input) -> String {
    let name = |s: usize| policy.sources.get(s).cloned().unwrap_or_default();
    match input.sources.as_slice() {
        [] if policy.sources.is_empty() => String::new(),
        [] => name(0),
        [(s, _)] => name(*s),
        several => (several.iter())
            .map(|(s, w)| format!("{} {}%", name(*s), *w * crate::num::Num::ONE_HUNDRED))
            .collect::<Vec<_>>()
            .join("、"),
    }
}

/// `目标值 95%（任务完成）` for every row with a target whose rule reads input `id`.
fn targets(policy: &Policy, id: usize) -> String {
    let rows: Vec<String> = (policy.nodes.iter())
        .filter_map(|n| Some((n, n.target.as_ref()?, n.rule.as_ref()?)))
        .filter(|(_, _, rule)| {
            let mut read = Vec::new();
            rule.expr.inputs_read(&policy.lets, &mut read);
            read.contains(&id)
        })
        .map(|(n, t, _)| format!("{}（{}）", t.1, n.name))
        .collect();
    rows.join("；")
}

/// The template: the header row (and a byte-order mark, for Excel): the
/// unit's id, name and kind (none without kinds) as the policy names them.
pub fn template(policy: &Policy, columns: &[Column]) -> String {
    let c = &policy.unit_columns;
    let own = |mine: &Option<String>, usual: &str| mine.clone().unwrap_or_else(|| usual.into());
    let mut header = vec![own(&c.id, "id"), own(&c.name, "name")];
    if !policy.kinds.is_empty() {
        header.push(own(&c.kind, "kind"));
    }
    header.extend(columns.iter().map(|c| c.name.clone()));
    write_rows([header])
}

/// The guide to the template's columns.
pub fn guide(columns: &[Column]) -> String {
    let (header, rows) = guide_rows(columns);
    write_rows(std::iter::once(header).chain(rows))
}

/// The guide's header and rows.
pub fn guide_rows(columns: &[Column]) -> (Vec<String>, Vec<Vec<String>>) {
    // 目标值 only when some row states one, 来源 when the policy has sources.
    let targets = columns.iter().any(|c| !c.targets.is_empty());
    let sources = columns.iter().any(|c| !c.source.is_empty());
    let mut header: Vec<String> = ["列名", "说明", "类型", "可选值", "单位", "可否留空"]
        .map(String::from)
        .to_vec();
    header.extend(targets.then(|| "目标值".to_string()));
    header.extend(sources.then(|| "来源".to_string()));
    let rows = columns.iter().map(|c| {
        let mut row = vec![
            c.name.clone(),
            c.description.clone(),
            c.ty.clone(),
            c.values.clone(),
            c.unit.clone(),
            c.blank.clone(),
        ];
        row.extend(targets.then(|| c.targets.clone()));
        row.extend(sources.then(|| c.source.clone()));
        row
    });
    (header, rows.collect())
}
