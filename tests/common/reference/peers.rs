//! Peer groups: a group's values, sorted, and its statistics.

use super::*;

/// A peer group's values, sorted, with their mean and spread.
pub(super) struct Group {
    values: Vec<Q>,
    mean: Q,
    /// The population standard deviation (irrational: by the rule).
    spread: R<Q>,
}

impl Group {
    pub(super) fn new(mut values: Vec<Q>) -> Group {
        values.sort();
        let count = int(values.len() as i64);
        let mean = values.iter().sum::<Q>() / &count;
        let variance = values.iter().map(|v| (v - &mean) * (v - &mean)).sum::<Q>() / &count;
        let spread = to_decimal(&variance)
            .and_then(|d| d.sqrt())
            .map(from_decimal)
            .ok_or(Failed);
        Group {
            values,
            mean,
            spread,
        }
    }

    pub(super) fn stat(&self, stat: Stat, own: Option<&Q>) -> R<Q> {
        let group = &self.values;
        let n = group.len();
        let (lo, hi) = (group[0].clone(), group[n - 1].clone());
        match stat {
            Stat::Mean => return Ok(self.mean.clone()),
            Stat::Median if n % 2 == 1 => return Ok(group[n / 2].clone()),
            Stat::Median => return Ok((&group[n / 2 - 1] + &group[n / 2]) / int(2)),
            Stat::Lowest => return Ok(lo),
            Stat::Highest => return Ok(hi),
            Stat::GroupSize => return Ok(int(n as i64)),
            Stat::Skewness | Stat::Kurtosis => {
                panic!("{stat:?} is not covered: no shipped policy uses it")
            }
            _ => {}
        }
        let x = own.ok_or(Failed)?;
        let below = group.partition_point(|v| v < x);
        let equal = group.partition_point(|v| v <= x) - below;
        let range = &hi - &lo;
        Ok(match stat {
            Stat::Rank => int((n - below - equal + 1) as i64),
            Stat::Percentile if n == 1 => Q::one(),
            Stat::Percentile => {
                let half = Q::new(BigInt::from(equal - 1), BigInt::from(2));
                (int(below as i64) + half) / int(n as i64 - 1)
            }
            Stat::MinMax | Stat::MinMaxLower if range.is_zero() => Q::one(),
            Stat::MinMax => (x - &lo) / range,
            Stat::MinMaxLower => (&hi - x) / range,
            Stat::ZScore => {
                let spread = self.spread.clone()?;
                if spread.is_zero() {
                    Q::zero()
                } else {
                    round(&((x - &self.mean) / spread), 12, Rounding::HalfEven)
                }
            }
            _ => unreachable!(),
        })
    }
}
