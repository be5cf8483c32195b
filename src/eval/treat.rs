//! `treat(x, n)`: the outliers of a group treated as composite indices
//! treat them (the JRC's COIN tool, COINr's default). While the group's
//! skewness is beyond ±2 and its excess kurtosis above 3.5, the most
//! extreme value on the skewed side is winsorised (set to the next value
//! in), one at a time, at most `n` of them; if the group is still outside
//! after that, the values are ln-transformed instead: ln(x − lowest + 1)
//! when skewed high, −ln(highest − x + 1) when skewed low (both keep the
//! order). Skewness and kurtosis are of population moments, as `skewness`
//! and `kurtosis` give them.

use crate::num::{IRRATIONAL_PLACES, Num, Rounding};

/// What treating a group does to each of its values.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Treatment {
    /// Within bounds: left as it is.
    #[default]
    None,
    /// Values below `low` are raised to it, values above `high` lowered.
    Winsorised { low: Num, high: Num },
    /// ln-transformed, skewed high or low, over the group's range.
    Logged {
        high: bool,
        lowest: Num,
        highest: Num,
    },
}

/// How a statistic's group was treated, and the units whose value it
/// changed (in data order).
#[derive(Debug, Clone, PartialEq)]
pub struct Treated {
    pub peer: crate::ir::PeerId,
    pub treatment: Treatment,
    pub units: Vec<usize>,
}

/// Skewness (m3 / m2^(3/2), rounded to 12 places) and excess kurtosis
/// (m4 / m2² − 3, exact) of population moments; both 0 when every value is
/// the same.
pub fn shape(values: &[Num]) -> (Num, Num) {
    let n = Num::from(values.len());
    let Some(mean) = values.iter().sum::<Num>().checked_div(n) else {
        return (Num::ZERO, Num::ZERO);
    };
    let moment = |k: u32| -> Num {
        let sum: Num = (values.iter())
            .map(|x| (0..k).fold(Num::ONE, |p, _| p * (*x - mean)))
            .sum();
        sum / n
    };
    let m2 = moment(2);
    let spread = m2.sqrt().unwrap_or_default();
    if m2.is_zero() || spread.is_zero() {
        return (Num::ZERO, Num::ZERO);
    }
    let skewness = (moment(3) / (m2 * spread)).round(IRRATIONAL_PLACES, Rounding::HalfEven);
    let kurtosis = moment(4) / (m2 * m2) - Num::from(3);
    (skewness, kurtosis)
}

/// Whether a group's shape calls for treatment.
fn outside((skewness, kurtosis): (Num, Num)) -> bool {
    skewness.abs() > Num::TWO && kurtosis > Num::ratio(7, 2)
}

/// The treatment of a group of `sorted` values (ascending), winsorising at
/// most `most` of them.
pub fn treatment(sorted: &[Num], most: usize) -> Treatment {
    let n = sorted.len();
    let at = |i: usize| sorted.get(i).copied().unwrap_or_default();
    let mut values = sorted.to_vec();
    let (mut low, mut high) = (0, 0);
    loop {
        let shape = shape(&values);
        if !outside(shape) {
            return match low + high {
                0 => Treatment::None,
                _ => Treatment::Winsorised {
                    low: at(low),
                    high: at(n - 1 - high),
                },
            };
        }
        // Keep two values apart at least: a group of one value is no group.
        if low + high >= most || low + high + 2 >= n {
            break;
        }
        if shape.0.is_negative() {
            low += 1;
            let floor = at(low);
            values.iter_mut().take(low).for_each(|v| *v = floor);
        } else {
            high += 1;
            let cap = at(n - 1 - high);
            values.iter_mut().skip(n - high).for_each(|v| *v = cap);
        }
    }
    Treatment::Logged {
        high: !shape(sorted).0.is_negative(),
        lowest: at(0),
        highest: at(n.saturating_sub(1)),
    }
}

impl Treatment {
    /// A value of the group, treated (`None`: too large to work out).
    pub fn apply(self, x: Num) -> Option<Num> {
        match self {
            Treatment::None => Some(x),
            Treatment::Winsorised { low, high } => Some(x.max(low).min(high)),
            Treatment::Logged {
                high: true, lowest, ..
            } => (x - lowest + Num::ONE).ln(),
            Treatment::Logged {
                high: false,
                highest,
                ..
            } => Some(-(highest - x + Num::ONE).ln()?),
        }
    }

    /// In words, for a note: "winsorised to [10, 80]".
    pub fn describe(self) -> String {
        match self {
            Treatment::None => "left as it was".into(),
            Treatment::Winsorised { low, high } => {
                format!("winsorised to [{low}, {high}]")
            }
            Treatment::Logged { high: true, .. } => "ln-transformed: ln(x − lowest + 1)".into(),
            Treatment::Logged { high: false, .. } => "ln-transformed: −ln(highest − x + 1)".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(values: &[i64]) -> Vec<Num> {
        let mut v: Vec<Num> = values.iter().map(|x| Num::from(*x)).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn one_outlier_is_winsorised_to_the_next_value() {
        let t = treatment(&group(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 100]), 5);
        let (low, high) = (Num::ONE, Num::from(9));
        assert_eq!(t, Treatment::Winsorised { low, high });
        assert_eq!(t.apply(Num::from(100)), Some(high));
        assert_eq!(t.apply(Num::from(4)), Some(Num::from(4)));
    }

    #[test]
    fn skewed_low_is_winsorised_from_below() {
        let t = treatment(&group(&[-100, -9, -8, -7, -6, -5, -4, -3, -2, -1]), 5);
        let (low, high) = (Num::from(-9), Num::from(-1));
        assert_eq!(t, Treatment::Winsorised { low, high });
    }

    #[test]
    fn values_are_winsorised_one_at_a_time_until_within_bounds() {
        let mut values: Vec<i64> = (1..=18).collect();
        values.extend([200, 300]);
        // 300 → 200 leaves the group skewed; 200 → 18 does not.
        let t = treatment(&group(&values), 5);
        let (low, high) = (Num::ONE, Num::from(18));
        assert_eq!(t, Treatment::Winsorised { low, high });
        assert!(!outside(shape(&group(&(1..=20).collect::<Vec<_>>()))));
    }

    #[test]
    fn beyond_the_stated_number_the_values_are_logged() {
        let mut values: Vec<i64> = (1..=18).collect();
        values.extend([200, 300]);
        let t = treatment(&group(&values), 1);
        assert!(matches!(t, Treatment::Logged { high: true, .. }), "{t:?}");
        assert_eq!(t.apply(Num::ONE), Some(Num::ZERO));
        let low = treatment(&group(&[-100, -9, -8, -7, -6, -5, -4, -3, -2, -1]), 0);
        assert!(
            matches!(low, Treatment::Logged { high: false, .. }),
            "{low:?}"
        );
        // The order is kept: −ln(highest − x + 1) grows with x.
        let (a, b) = (low.apply(Num::from(-9)), low.apply(Num::from(-2)));
        assert!(a < b && b < Some(Num::ZERO), "{a:?} {b:?}");
    }

    #[test]
    fn a_group_within_bounds_is_left_alone() {
        assert_eq!(treatment(&group(&[1, 2, 3, 4, 5]), 5), Treatment::None);
        assert_eq!(treatment(&group(&[7]), 5), Treatment::None);
        assert_eq!(treatment(&[], 5), Treatment::None);
    }
}
