//! The rows `zhibiao table` prints after the tree — 加分项, 扣分项 and 否决项 —
//! read back as bonus and deduction parts (rules `待定`) and vetoes
//! (conditions `待定`, the action as the table words it).

use super::points_in;
use crate::num::Num;
use crate::report::published::{BONUS, VETO};
use crate::syntax::print::{self, Keywords, kw};
use std::fmt::Write;
use std::str::FromStr;

/// The rows after the tree: bonus and deduction parts, vetoes.
#[derive(Default)]
pub(super) struct Sections {
    parts: Vec<PartRows>,
    /// Name and what the veto does, as the table words it.
    vetoes: Vec<(String, String)>,
}

struct PartRows {
    bonus: bool,
    name: String,
    cap: Option<Num>,
    gated: bool,
    items: Vec<(String, Num, Vec<String>)>,
}

impl Sections {
    pub(super) fn add(
        &mut self,
        path: &[String],
        raw: &str,
        content: &str,
        kinds: Vec<String>,
    ) -> Result<(), String> {
        // A table with fewer level columns than a section needs joins the
        // rest with `/` (`创新加分/国家级试点`).
        let path: Vec<&str> = path.iter().flat_map(|p| p.split('/')).collect();
        let [section, name, rest @ ..] = path.as_slice() else {
            return Err("a section row names no part or veto in the next level".into());
        };
        if *section == VETO {
            self.vetoes.push((name.to_string(), content.to_string()));
            return Ok(());
        }
        let points = match raw {
            "" => None,
            raw => Some(
                points_in(raw).map_err(|_| format!("found `{raw}`, expected points (a number)"))?,
            ),
        };
        let position = self.parts.iter().position(|p| p.name == **name);
        let part = match position.and_then(|i| self.parts.get_mut(i)) {
            Some(part) => part,
            None => {
                self.parts.push(PartRows {
                    bonus: *section == BONUS,
                    name: name.to_string(),
                    cap: None,
                    gated: false,
                    items: Vec::new(),
                });
                self.parts.last_mut().ok_or("internal: lost a part")?
            }
        };
        match rest {
            [] => {
                part.cap = points;
                part.gated = content.contains("条件");
            }
            [item, ..] => {
                let points = points.ok_or(format!("`{item}` needs its points"))?;
                part.items.push((rest.join("/"), points, kinds));
            }
        }
        Ok(())
    }
}

impl Sections {
    pub(super) fn write(&self, out: &mut String, all_kinds: &[String]) {
        let k = |w: &str| kw(w, Keywords::Chinese).to_string();
        for part in &self.parts {
            let keyword = if part.bonus {
                k("bonus")
            } else {
                k("deduction")
            };
            let _ = write!(out, "\n{keyword} {}", print::name(&part.name));
            if let Some(cap) = part.cap {
                let _ = write!(out, " {} {cap}", k("cap"));
            }
            if part.gated && part.bonus {
                let _ = write!(out, " {} {}", k("only_if"), k("todo"));
            }
            out.push_str(" {\n");
            for (name, points, kinds) in &part.items {
                let _ = write!(out, "  {} {} {points}", k("item"), print::name(name));
                if !kinds.is_empty() && kinds.len() < all_kinds.len() {
                    let quoted: Vec<String> = kinds.iter().map(|n| print::name(n)).collect();
                    let _ = write!(out, " {} {}", k("for"), quoted.join(", "));
                }
                let _ = writeln!(out, " {} {}", k("score"), k("todo"));
            }
            out.push_str("}\n");
        }
        if !self.vetoes.is_empty() {
            out.push('\n');
        }
        for (name, wording) in &self.vetoes {
            let _ = writeln!(
                out,
                "{} {} {} {} => {}  // 原表：{}",
                k("veto"),
                print::name(name),
                k("if"),
                k("todo"),
                veto_action(wording),
                wording.replace('\n', " ")
            );
        }
    }
}

/// The veto's action as `zhibiao table` words it (`：最高评为合格`).
fn veto_action(wording: &str) -> String {
    let k = |w: &str| kw(w, Keywords::Chinese).to_string();
    let said = wording.rsplit('：').next().unwrap_or_default().trim();
    if said.contains("不参与评分") {
        return k("not_scored");
    }
    if let Some(grade) = said.strip_prefix("最高评为") {
        return format!("{} {}", k("max_grade"), print::name(grade));
    }
    let points = said
        .strip_prefix("扣")
        .and_then(|p| p.trim().strip_suffix("分"));
    match points.map(|p| Num::from_str(p.trim())) {
        Some(Ok(p)) => format!("{} {p}", k("points")),
        _ => k("fail"),
    }
}
