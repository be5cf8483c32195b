//! Generated units for the 黑河 policy: a deterministic generator shared by
//! the oracle test and the benchmark.

use zhibiao::data::{Dataset, Unit};
use zhibiao::ir::{InputType, Policy, Value};
use zhibiao::num::Num;

/// A small linear congruential generator: deterministic, no dependency.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// `n` units of random kinds with random values of every input; a third
/// have no service channel, so the 按需 rows do not apply to them.
pub fn units(policy: &Policy, n: usize, seed: u64) -> Dataset {
    let mut rng = Lcg(seed);
    let mut data = Dataset::new(policy);
    let kinds = policy.kinds.len().max(1) as u64;
    let mut values = Vec::with_capacity(policy.inputs.len());
    // 黑河: a third of the units have no service channel, and so no data
    // for the inputs collected only where there is one.
    let channels = policy
        .input_id("服务渠道")
        .is_some_and(|i| policy.inputs[i].ty == InputType::Bool);
    for u in 0..n {
        let kind = usize::try_from(rng.next(kinds)).unwrap_or(0);
        let channel = rng.next(3) > 0;
        values.clear();
        for input in &policy.inputs {
            let v = random_value(&input.ty, &mut rng);
            // What a denominator counts (应…, 需…) is never zero, and never
            // below what is counted over it (a count is 0 to 7).
            let denominator = input.ty == InputType::Count
                && (input.name.starts_with('应') || input.name.starts_with("需共享"));
            values.push(match input.name.as_str() {
                "服务渠道" if channels => Value::Bool(channel),
                _ if denominator => Value::Number(Num::from(7 + rng.next(6))),
                _ if channels && input.when.is_some() && !channel => Value::Absent,
                _ => v,
            });
        }
        let (id, name) = (format!("U{u}"), format!("单位{u}"));
        let unit = Unit {
            id: &id,
            name: &name,
            kind,
            row: u + 2,
        };
        data.push(unit, &values, None);
    }
    data
}

fn random_value(ty: &InputType, rng: &mut Lcg) -> Value {
    let small = |x: u64| u16::try_from(x).unwrap_or(0);
    match ty {
        InputType::Bool => Value::Bool(rng.next(2) == 1),
        InputType::Count => Value::Number(Num::from(rng.next(8))),
        InputType::Percent { .. } | InputType::Ratio => {
            Value::Number(Num::decimal(i128::from(rng.next(10001)), 4))
        }
        InputType::Number { range: None } => Value::Number(Num::from(rng.next(100))),
        InputType::Number {
            range: Some((lo, hi)),
        } => {
            // A value with two places within the range.
            let (lo, hi) = (*lo * Num::ONE_HUNDRED, *hi * Num::ONE_HUNDRED);
            let span = u64::try_from((hi - lo).floor().numerator()).unwrap_or(0);
            Value::Number((lo.ceil() + Num::from(rng.next(span + 1))) / Num::ONE_HUNDRED)
        }
        InputType::Choice(c) => Value::Choice(small(rng.next(c.len() as u64))),
        InputType::Set(c) => Value::Set(rng.next(1 << c.len())),
        InputType::Text => Value::Absent,
    }
}

/// The dataset as the CSV an evaluator would collect.
pub fn to_csv(policy: &Policy, data: &Dataset) -> String {
    let mut out = String::from("id,name,kind");
    for input in &policy.inputs {
        out.push(',');
        out.push_str(&input.name);
    }
    out.push('\n');
    for (u, unit) in data.units.iter().enumerate() {
        let kind = policy.kinds.get(unit.kind).map_or("", |k| k.name.as_str());
        out.push_str(&format!("{},{},{kind}", unit.id, unit.name));
        for (input, value) in policy.inputs.iter().zip(data.values(u)) {
            out.push(',');
            out.push_str(&cell(&input.ty, value));
        }
        out.push('\n');
    }
    out
}

fn cell(ty: &InputType, v: Value) -> String {
    match (ty, v) {
        (_, Value::Absent) => String::new(),
        (InputType::Percent { .. }, Value::Number(n)) => {
            format!("{}%", n * Num::ONE_HUNDRED)
        }
        (_, Value::Number(n)) => n.to_string(),
        (_, Value::Bool(b)) => (if b { "是" } else { "否" }).to_string(),
        (InputType::Choice(c), Value::Choice(i)) => {
            c.get(usize::from(i)).cloned().unwrap_or_default()
        }
        (InputType::Set(c), Value::Set(mask)) => {
            let members: Vec<&str> = c
                .iter()
                .enumerate()
                .filter(|(i, _)| mask >> i & 1 == 1)
                .map(|(_, m)| m.as_str())
                .collect();
            if members.is_empty() {
                "-".to_string()
            } else {
                members.join("、")
            }
        }
        _ => String::new(),
    }
}
