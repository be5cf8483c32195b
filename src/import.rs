//! `zhibiao import`: a published indicator table (one row per item: 序号,
//! the level columns, content, points, 关联单位, 按需) → a policy skeleton with
//! the tree, the points and the applicability filled in, and every rule (and
//! every 按需 condition) left as `待定` (todo), which `check` reports until an
//! author writes it.
//!
//! Blank level cells are read as merged cells: the value of the row above.

use crate::data::DataError;
use crate::num::Num;
use crate::syntax::print::{self, Keywords, kw};
use std::fmt::Write;
use std::str::FromStr;

const NUMBER: [&str; 3] = ["序号", "编号", "序 号"];
const POINTS: [&str; 4] = ["分值", "权重", "分数", "满分"];
const KINDS: [&str; 3] = ["关联单位", "适用单位", "适用对象"];
const AS_NEEDED: [&str; 1] = ["按需"];
const CONTENT: [&str; 4] = ["内容", "说明", "评分标准", "评价内容说明"];
const TOTAL: [&str; 2] = ["合计", "总计"];

/// One node of the tree being built.
#[derive(Default)]
struct Node {
    name: String,
    row: usize,
    children: Vec<Node>,
    item: Option<Item>,
}

struct Item {
    code: Option<String>,
    points: Num,
    content: String,
    kinds: Vec<String>,
    as_needed: bool,
}

impl Node {
    fn points(&self) -> Num {
        match &self.item {
            Some(i) => i.points,
            None => self.children.iter().map(Node::points).sum(),
        }
    }
}

/// The policy text for the table in `bytes`, named `name`.
pub fn import(file: &str, bytes: &[u8], name: &str) -> Result<String, Vec<DataError>> {
    let text = crate::data::csv::decode(bytes);
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let error = |row: Option<usize>, column: Option<&str>, message: String| DataError {
        file: file.to_string(),
        row,
        column: column.map(str::to_string),
        unit: None,
        message,
    };
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            return Err(vec![error(
                Some(1),
                None,
                format!("cannot read the header row: {e}"),
            )]);
        }
    };
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (number, points, kinds, as_needed, content) = (
        find(&NUMBER),
        find(&POINTS),
        find(&KINDS),
        find(&AS_NEEDED),
        find(&CONTENT),
    );
    let Some(points) = points else {
        return Err(vec![error(
            Some(1),
            None,
            "the header row needs a points column (分值 or 权重)".into(),
        )]);
    };
    let known = [number, Some(points), kinds, as_needed, content];
    let levels: Vec<usize> = (0..headers.len())
        .filter(|i| !known.contains(&Some(*i)))
        .collect();
    if levels.is_empty() {
        return Err(vec![error(
            Some(1),
            None,
            "the header row needs level columns (类别, 一级指标, ...)".into(),
        )]);
    }
    let mut root = Node::default();
    let mut errors = Vec::new();
    let mut above: Vec<String> = vec![String::new(); levels.len()];
    let mut total = None;
    let mut all_kinds: Vec<String> = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        let Ok(record) = record else {
            errors.push(error(Some(row), None, "cannot read the row".into()));
            continue;
        };
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map_or(String::new(), |c| c.split_whitespace().collect())
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let first = levels.first().map(|l| cell(Some(*l))).unwrap_or_default();
        if TOTAL.contains(&first.as_str()) || TOTAL.contains(&cell(number).as_str()) {
            total = Num::from_str(&cell(Some(points))).ok().map(|t| (t, row));
            continue;
        }
        // The path: blank cells repeat the row above, down to the deepest
        // filled level; nothing is inherited below it.
        let deepest = levels.iter().rposition(|l| !cell(Some(*l)).is_empty());
        let Some(deepest) = deepest else {
            errors.push(error(
                Some(row),
                None,
                "the row names no indicator in any level column".into(),
            ));
            continue;
        };
        let mut path = Vec::new();
        let mut broken = false;
        for (depth, l) in levels.iter().enumerate().take(deepest + 1) {
            let value = cell(Some(*l));
            let inherited = above.get(depth).cloned().unwrap_or_default();
            if !value.is_empty() {
                above.iter_mut().skip(depth).for_each(String::clear);
                if let Some(slot) = above.get_mut(depth) {
                    *slot = value;
                }
            } else if inherited.is_empty() {
                let column = headers.get(*l).map(String::as_str);
                errors.push(error(
                    Some(row),
                    column,
                    format!(
                        "`{}` is blank, and no row above gives it",
                        column.unwrap_or("?")
                    ),
                ));
                broken = true;
            }
            path.push(above.get(depth).cloned().unwrap_or_default());
        }
        if broken {
            continue;
        }
        let raw = cell(Some(points));
        let Ok(value) = Num::from_str(raw.trim_end_matches('分')) else {
            errors.push(error(
                Some(row),
                headers.get(points).map(String::as_str),
                format!("found `{raw}`, expected points (a number)"),
            ));
            continue;
        };
        let description = cell(content);
        let item_kinds: Vec<String> = cell(kinds)
            .split(['、', '，', ',', ';', '；'])
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .collect();
        for k in &item_kinds {
            if !all_kinds.contains(k) {
                all_kinds.push(k.clone());
            }
        }
        let item = Item {
            code: Some(cell(number)).filter(|c| !c.is_empty()),
            points: value,
            as_needed: !cell(as_needed).is_empty() || description.contains("按需"),
            content: description,
            kinds: item_kinds,
        };
        if let Err(message) = insert(&mut root, &path, row, item) {
            errors.push(error(Some(row), None, message));
        }
    }
    if let Some((t, row)) = total
        && t != root.points()
    {
        errors.push(error(
            Some(row),
            None,
            format!("the rows add up to {}, not the 合计 {t}", root.points()),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let names: Vec<&str> = levels
        .iter()
        .filter_map(|l| headers.get(*l))
        .map(String::as_str)
        .collect();
    Ok(write(name, file, &root, &names, &all_kinds))
}

fn insert(root: &mut Node, path: &[String], row: usize, item: Item) -> Result<(), String> {
    let mut at = root;
    for (depth, name) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        let position = at.children.iter().position(|c| c.name == *name);
        let i = match position {
            Some(i) => i,
            None => {
                at.children.push(Node {
                    name: name.clone(),
                    row,
                    ..Node::default()
                });
                at.children.len() - 1
            }
        };
        let Some(next) = at.children.get_mut(i) else {
            return Err("internal: lost a node".into());
        };
        at = next;
        if at.item.is_some() {
            return Err(format!(
                "`{}` is an item (row {}) and cannot have rows under it or repeat",
                path.get(..=depth).unwrap_or_default().join("/"),
                at.row
            ));
        }
        if last && !at.children.is_empty() {
            return Err(format!(
                "`{}` has rows under it (from row {}); it cannot be an item too",
                path.join("/"),
                at.row
            ));
        }
    }
    at.item = Some(item);
    Ok(())
}

fn write(name: &str, file: &str, root: &Node, levels: &[&str], kinds: &[String]) -> String {
    let k = |w: &str| kw(w, Keywords::Chinese).to_string();
    let restricted = has(root, &|i| {
        !i.as_needed && !i.kinds.is_empty() && i.kinds.len() < kinds.len()
    });
    let as_needed = has(root, &|i| i.as_needed);
    let mut out =
        format!("// 由 `zhibiao import {file}` 生成：树、分值、关联单位与按需照录原表。\n");
    out.push_str(
        "// 每项的评分规则与按需项的条件写作 `待定`：`zhibiao check` 逐一报告，直到填写完成。\n",
    );
    let _ = writeln!(out, "{} {} {{", k("policy"), print::name(name));
    let _ = writeln!(out, "  {} {}", k("total"), root.points());
    let _ = writeln!(out, "  {} 2 {}", k("precision"), k("half_up"));
    let names: Vec<String> = levels.iter().map(|l| print::name(l)).collect();
    let _ = writeln!(out, "  {} {}", k("levels"), names.join(", "));
    if !kinds.is_empty() {
        let quoted: Vec<String> = kinds.iter().map(|n| print::name(n)).collect();
        let _ = writeln!(out, "  {} {}", k("kinds"), quoted.join(", "));
    }
    if restricted || as_needed {
        let _ = writeln!(
            out,
            "  {} {}      // 不适用的项：请确认",
            k("not_applicable"),
            k("rescale")
        );
    }
    out.push_str("}\n");
    for child in &root.children {
        node(&mut out, child, 0, kinds.len());
    }
    out
}

fn has(n: &Node, test: &dyn Fn(&Item) -> bool) -> bool {
    n.item.as_ref().is_some_and(test) || n.children.iter().any(|c| has(c, test))
}

fn node(out: &mut String, n: &Node, depth: usize, all_kinds: usize) {
    let k = |w: &str| kw(w, Keywords::Chinese).to_string();
    let indent = "  ".repeat(depth);
    let Some(item) = &n.item else {
        let keyword = if depth == 0 {
            k("category")
        } else {
            k("indicator")
        };
        let _ = writeln!(
            out,
            "{indent}{keyword} {} {} {{",
            print::name(&n.name),
            n.points()
        );
        for c in &n.children {
            node(out, c, depth + 1, all_kinds);
        }
        let _ = writeln!(out, "{indent}}}");
        return;
    };
    let code = item
        .code
        .as_ref()
        .map(|c| format!("#{c} "))
        .unwrap_or_default();
    let _ = write!(
        out,
        "{indent}{} {code}{} {}",
        k("item"),
        print::name(&n.name),
        item.points
    );
    if !item.content.is_empty() {
        let _ = write!(out, " \"{}\"", item.content.replace('"', "“"));
    }
    out.push('\n');
    if !item.kinds.is_empty() && item.kinds.len() < all_kinds {
        let quoted: Vec<String> = item.kinds.iter().map(|n| print::name(n)).collect();
        let _ = writeln!(out, "{indent}  {} {}", k("for"), quoted.join(", "));
    }
    if item.as_needed {
        let _ = writeln!(out, "{indent}  {} {}", k("when"), k("todo"));
    }
    let _ = writeln!(out, "{indent}  {} {}", k("score"), k("todo"));
}
