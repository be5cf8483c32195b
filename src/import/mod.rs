//! `zhibiao import`: a published indicator table (one row per item: 序号,
//! the level columns, content, points, 关联单位, 按需) → a policy skeleton with
//! the tree, the points and the applicability filled in, and every rule (and
//! every 按需 condition) left as `待定` (todo), which `check` reports until an
//! author writes it.
//!
//! Blank level cells are read as merged cells: the value of the row above.
//! A row with rows under it is a group's row (小计): its points must be the
//! sum of theirs. Rows under 加分项, 扣分项 and 否决项 (the sections `zhibiao
//! table` prints after the tree) become bonus and deduction parts and vetoes.

use crate::data::DataError;
use crate::num::Num;
use crate::report::published::{BONUS, DEDUCTION, VETO};
use sections::Sections;

mod sections;
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
    /// A group's own row, when the table gives one.
    heading: Option<Item>,
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
    let text = crate::data::encoding::decode(bytes);
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
    let mut sections = Sections::default();
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
        if path
            .first()
            .is_some_and(|p| [BONUS, DEDUCTION, VETO].contains(&p.as_str()))
        {
            if let Err(message) = sections.add(&path, &raw, &description, item_kinds) {
                let column = headers.get(points).map(String::as_str);
                errors.push(error(Some(row), column, message));
            }
            continue;
        }
        let Ok(value) = points_in(&raw) else {
            errors.push(error(
                Some(row),
                headers.get(points).map(String::as_str),
                format!("found `{raw}`, expected points (a number)"),
            ));
            continue;
        };
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
    let mut wrong = Vec::new();
    subtotals(&root, "", &mut wrong);
    errors.extend(wrong.into_iter().map(|(row, m)| error(Some(row), None, m)));
    if !errors.is_empty() {
        return Err(errors);
    }
    let names: Vec<&str> = levels
        .iter()
        .filter_map(|l| headers.get(*l))
        .map(String::as_str)
        .collect();
    let mut out = write(name, file, &root, &names, &all_kinds);
    sections.write(&mut out, &all_kinds);
    Ok(out)
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
        let named = || path.get(..=depth).unwrap_or_default().join("/");
        if last && (at.item.is_some() || at.heading.is_some() || !at.children.is_empty()) {
            return Err(format!(
                "`{}` is already given by row {}; a row cannot repeat",
                named(),
                at.row
            ));
        }
        // Rows under an item's row: it was the group's own row.
        if !last && at.item.is_some() {
            if at.heading.is_some() || !at.children.is_empty() {
                return Err(format!("`{}` cannot have rows under it", named()));
            }
            at.heading = at.item.take();
        }
    }
    at.item = Some(item);
    Ok(())
}

/// Groups whose own row's points are not the sum of the rows under them.
fn subtotals(n: &Node, path: &str, wrong: &mut Vec<(usize, String)>) {
    if let Some(h) = &n.heading
        && h.points != n.points()
    {
        wrong.push((
            n.row,
            format!(
                "`{path}` has {} points, but the rows under it add up to {}",
                h.points,
                n.points()
            ),
        ));
    }
    for c in &n.children {
        let inner = if path.is_empty() {
            c.name.clone()
        } else {
            format!("{path}/{}", c.name)
        };
        subtotals(c, &inner, wrong);
    }
}

/// Points as tables write them: `3`, `3分`.
fn points_in(raw: &str) -> Result<Num, ()> {
    Num::from_str(raw.trim_end_matches('分')).map_err(|_| ())
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
    let scope = Scope {
        kinds,
        as_needed: false,
    };
    for child in &root.children {
        node(&mut out, child, 0, &scope);
    }
    out
}

fn has(n: &Node, test: &dyn Fn(&Item) -> bool) -> bool {
    n.item.as_ref().is_some_and(test) || n.children.iter().any(|c| has(c, test))
}

/// What a node inherits: the kinds in scope, and whether an ancestor
/// already is 按需.
struct Scope<'a> {
    kinds: &'a [String],
    as_needed: bool,
}

fn node(out: &mut String, n: &Node, depth: usize, scope: &Scope) {
    let k = |w: &str| kw(w, Keywords::Chinese).to_string();
    let indent = "  ".repeat(depth);
    let own = n.item.as_ref().or(n.heading.as_ref());
    let keyword = match (&n.item, depth) {
        (Some(_), _) => k("item"),
        (None, 0) => k("category"),
        (None, _) => k("indicator"),
    };
    let code = (own.and_then(|i| i.code.as_ref()))
        .map(|c| format!("#{c} "))
        .unwrap_or_default();
    let points = own.map_or(n.points(), |i| i.points);
    let _ = write!(
        out,
        "{indent}{keyword} {code}{} {points}",
        print::name(&n.name)
    );
    if let Some(content) = own.map(|i| &i.content).filter(|c| !c.is_empty()) {
        let _ = write!(out, " \"{}\"", content.replace('"', "“"));
    }
    let restricted = own.filter(|i| !i.kinds.is_empty() && i.kinds.len() < scope.kinds.len());
    if let Some(item) = restricted {
        let quoted: Vec<String> = item.kinds.iter().map(|n| print::name(n)).collect();
        let _ = write!(out, "\n{indent}  {} {}", k("for"), quoted.join(", "));
    }
    let as_needed = own.is_some_and(|i| i.as_needed) && !scope.as_needed;
    if as_needed {
        let _ = write!(out, "\n{indent}  {} {}", k("when"), k("todo"));
    }
    if n.item.is_some() {
        let _ = writeln!(out, "\n{indent}  {} {}", k("score"), k("todo"));
        return;
    }
    out.push_str(" {\n");
    let inner = Scope {
        kinds: restricted.map_or(scope.kinds, |i| &i.kinds),
        as_needed: scope.as_needed || as_needed,
    };
    for c in &n.children {
        node(out, c, depth + 1, &inner);
    }
    let _ = writeln!(out, "{indent}}}");
}
