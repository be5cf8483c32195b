//! Where each of a unit's results sits in its record, and how a number is
//! kept there: as a whole multiple of the last place in 2, 4 or 8 bytes,
//! as narrow as the policy's points allow.

use crate::ir::{NodeId, Policy};
use crate::num::{Num, Rounding};

/// Where each result sits in a unit's record.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Bytes per number: 2, 4 or 8.
    pub(super) width: usize,
    nodes: usize,
    /// Nodes whose maximum is kept: all of them, or none when the outputs
    /// read only scores (CSV, the table).
    maxima: usize,
    parts: usize,
    /// Index of each part's first item among all parts' items.
    first_item: Vec<usize>,
    pub(super) vetoes: usize,
    pub(super) thresholds: Vec<NodeId>,
    size: usize,
}

/// A part item that did not apply.
pub(super) const NOT_APPLICABLE: i64 = i64::MIN;

impl Layout {
    /// Every result of a unit.
    pub fn new(policy: &Policy) -> Layout {
        Layout::keeping(policy, true)
    }

    /// Every result of a unit but its nodes' maxima (when `maxima` is false).
    pub fn keeping(policy: &Policy, maxima: bool) -> Layout {
        let scale = 10i128.checked_pow(policy.precision).unwrap_or(i128::MAX);
        // What signed items can take away, in the policy's points.
        let below: Num = (policy.nodes.iter())
            .filter_map(|n| n.rule.as_ref().map(|r| (r, n.points)))
            .filter(|(r, _)| r.floor.is_negative())
            .map(|(r, points)| match r.declared {
                d if d.is_zero() => -r.floor,
                d => -r.floor * points / d,
            })
            .sum();
        let largest = policy
            .parts
            .iter()
            .map(|p| p.items.iter().map(|i| i.points).sum::<Num>())
            .chain([policy.total + below])
            // Side totals keep their own scale.
            .chain(policy.nodes.iter().filter(|n| n.side).map(|n| n.points))
            .max()
            .unwrap_or(Num::ZERO);
        let bound = largest.scaled(0, Rounding::HalfUp);
        let uncapped = (policy.parts.iter().flat_map(|p| &p.items)).any(|i| i.rule.uncapped);
        let below = |limit: i128| {
            !uncapped
                && bound
                    .and_then(|b| b.checked_add(1)?.checked_mul(scale))
                    .is_some_and(|b| b < limit)
        };
        let width = match () {
            () if below(i128::from(i16::MAX)) => 2,
            () if below(i128::from(i32::MAX)) => 4,
            () => 8,
        };
        let mut first_item = Vec::new();
        let mut items = 0;
        for part in &policy.parts {
            first_item.push(items);
            items += part.items.len();
        }
        let thresholds = policy.fail_lines();
        let (nodes, parts, vetoes) = (policy.nodes.len(), policy.parts.len(), policy.vetoes.len());
        let flags = (vetoes + thresholds.len()).div_ceil(8);
        let maxima = if maxima { nodes } else { 0 };
        let size =
            Layout::part_start(nodes, maxima, width) + parts * (width + 1) + items * width + flags;
        Layout {
            width,
            nodes,
            maxima,
            parts,
            first_item,
            vetoes,
            thresholds,
            size,
        }
    }

    /// Bytes per unit.
    pub fn size(&self) -> usize {
        self.size
    }

    pub(super) fn node_score(&self, id: NodeId) -> usize {
        id * self.width
    }

    pub(super) fn node_max(&self, id: NodeId) -> usize {
        (self.nodes + id) * self.width
    }

    /// Whether the nodes' maxima are kept.
    pub fn has_maxima(&self) -> bool {
        self.maxima == self.nodes
    }

    /// Where the parts start: after each node's score and maximum (if
    /// kept), and their statuses, four to a byte.
    fn part_start(nodes: usize, maxima: usize, width: usize) -> usize {
        (nodes + maxima) * width + nodes.div_ceil(4)
    }

    /// The byte of a node's status, and its shift in it.
    pub(super) fn node_status(&self, id: NodeId) -> (usize, u8) {
        let at = (self.nodes + self.maxima) * self.width + id / 4;
        (at, 2 * (id % 4) as u8)
    }

    /// A record's regions of node scores, maxima and statuses (as
    /// `node_score`, `node_max` and `node_status` place them).
    pub(super) fn node_regions<'r>(
        &self,
        record: &'r mut [u8],
    ) -> Option<(&'r mut [u8], &'r mut [u8], &'r mut [u8])> {
        let (scores, rest) = record.split_at_mut_checked(self.nodes * self.width)?;
        let (maxima, rest) = rest.split_at_mut_checked(self.maxima * self.width)?;
        let statuses = rest.get_mut(..self.nodes.div_ceil(4))?;
        Some((scores, maxima, statuses))
    }

    pub(super) fn part_points(&self, p: usize) -> usize {
        Layout::part_start(self.nodes, self.maxima, self.width) + p * self.width
    }

    pub(super) fn part_open(&self, p: usize) -> usize {
        Layout::part_start(self.nodes, self.maxima, self.width) + self.parts * self.width + p
    }

    pub(super) fn item(&self, p: usize, i: usize) -> usize {
        let first = self.first_item.get(p).copied().unwrap_or(0);
        Layout::part_start(self.nodes, self.maxima, self.width)
            + self.parts * (self.width + 1)
            + (first + i) * self.width
    }

    pub(super) fn flags(&self) -> usize {
        self.size - (self.vetoes + self.thresholds.len()).div_ceil(8)
    }

    pub(super) fn put(&self, record: &mut [u8], at: usize, x: i64) -> bool {
        record
            .get_mut(at..at + self.width)
            .is_some_and(|slot| put(slot, x))
    }

    pub(super) fn get(&self, record: &[u8], at: usize) -> i64 {
        let Some(slot) = record.get(at..at + self.width) else {
            return 0;
        };
        if let Ok(b) = <[u8; 2]>::try_from(slot) {
            match i16::from_le_bytes(b) {
                i16::MIN => NOT_APPLICABLE,
                x => i64::from(x),
            }
        } else if let Ok(b) = <[u8; 4]>::try_from(slot) {
            match i32::from_le_bytes(b) {
                i32::MIN => NOT_APPLICABLE,
                x => i64::from(x),
            }
        } else {
            <[u8; 8]>::try_from(slot).map_or(0, i64::from_le_bytes)
        }
    }
}

/// Writes `x` into a slot of 2, 4 or 8 bytes; false when it does not fit.
pub(super) fn put(slot: &mut [u8], x: i64) -> bool {
    if let Ok(slot) = <&mut [u8; 2]>::try_from(&mut *slot) {
        match i16::try_from(x) {
            Ok(x) if x != i16::MIN => *slot = x.to_le_bytes(),
            _ if x == NOT_APPLICABLE => *slot = i16::MIN.to_le_bytes(),
            _ => return false,
        }
    } else if let Ok(slot) = <&mut [u8; 4]>::try_from(&mut *slot) {
        match i32::try_from(x) {
            Ok(x) if x != i32::MIN => *slot = x.to_le_bytes(),
            _ if x == NOT_APPLICABLE => *slot = i32::MIN.to_le_bytes(),
            _ => return false,
        }
    } else if let Ok(slot) = <&mut [u8; 8]>::try_from(slot) {
        *slot = x.to_le_bytes();
    } else {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    /// The width of numbers for a policy of `total` points at `precision`.
    fn width(total: u32, precision: u32) -> Option<usize> {
        let text = format!(
            "policy \"p\" {{\n  total {total}\n  precision {precision} half_up\n}}\n\ninput x: bool\n\nitem a {total}\n  score x\n"
        );
        let compiled = crate::check::compile(&SourceFile::new("p.zb", text));
        let policy = compiled.result.ok()?.policy;
        Some(Layout::new(&policy).width)
    }

    #[test]
    fn numbers_are_as_narrow_as_the_points_allow() {
        // Up to the largest total and a point more, in last places: 100
        // points at two places (10100) take two bytes; 327 (32800) do not.
        assert_eq!(width(100, 2), Some(2));
        assert_eq!(width(326, 2), Some(2));
        assert_eq!(width(327, 2), Some(4));
        assert_eq!(width(100, 3), Some(4));
        assert_eq!(width(1_000_000, 4), Some(8));
    }

    #[test]
    fn every_width_keeps_what_fits_and_refuses_the_rest() {
        for (width, largest) in [(2, i64::from(i16::MAX)), (4, i64::from(i32::MAX))] {
            let mut slot = vec![0u8; width];
            let l = Layout {
                width,
                nodes: 0,
                maxima: 0,
                parts: 0,
                first_item: Vec::new(),
                vetoes: 0,
                thresholds: Vec::new(),
                size: width,
            };
            for x in [0, 1, -1, 9586, -9586, largest, -largest, NOT_APPLICABLE] {
                assert!(put(&mut slot, x), "{x} in {width} bytes");
                assert_eq!(l.get(&slot, 0), x, "{x} in {width} bytes");
            }
            // The smallest value marks "not applicable"; past the largest
            // does not fit.
            assert!(!put(&mut slot, -largest - 1));
            assert!(!put(&mut slot, largest + 1));
        }
        let mut wide = [0u8; 8];
        assert!(put(&mut wide, i64::MAX));
        assert!(!put(&mut [0u8; 3], 1));
    }
}
