//! Every unit's id, name, kind and row, with the text of all ids and names
//! in one buffer (no string per unit).

use crate::ir::KindId;

/// One unit (a county, a department ...), borrowed from [`Units`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: KindId,
    /// Where it was read: the line of a CSV file, the index in a JSON array (1-based).
    pub row: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Units {
    text: String,
    /// Per unit: where its id ends in `text`, and where its name ends.
    ends: Vec<(usize, usize)>,
    kinds: Vec<u32>,
    rows: Vec<usize>,
}

impl Units {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn push(&mut self, id: &str, name: &str, kind: KindId, row: usize) {
        self.text.push_str(id);
        let id_end = self.text.len();
        self.text.push_str(name);
        self.ends.push((id_end, self.text.len()));
        self.kinds.push(u32::try_from(kind).unwrap_or(u32::MAX));
        self.rows.push(row);
    }

    pub fn get(&self, u: usize) -> Option<Unit<'_>> {
        let &(id_end, name_end) = self.ends.get(u)?;
        let start = u
            .checked_sub(1)
            .and_then(|p| self.ends.get(p))
            .map_or(0, |e| e.1);
        Some(Unit {
            id: self.text.get(start..id_end)?,
            name: self.text.get(id_end..name_end)?,
            kind: self.kind(u),
            row: self.rows.get(u).copied().unwrap_or(0),
        })
    }

    /// The kind of unit `u` (0 when out of range).
    pub fn kind(&self, u: usize) -> KindId {
        self.kinds.get(u).map_or(0, |&k| k as KindId)
    }

    pub fn iter(&self) -> impl Iterator<Item = Unit<'_>> + '_ {
        (0..self.len()).filter_map(|u| self.get(u))
    }
}
