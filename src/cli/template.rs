//! `zhibiao template POLICY [--kind K] [--source S] [-o FILE.csv]`: the
//! data-collection template, and beside it FILE.columns.csv, the guide to
//! its columns. A policy with sources has a template per source: one with
//! `--source`, or FILE.SOURCE.csv for each with `-o`. With `-o FILE.xlsx`,
//! one workbook: a sheet per source or kind, and the guide.

use super::check::load;
use super::{USAGE, output};
use crate::diagnostics::{Format, closest};
use crate::report::{aligned, template, workbook};
use std::path::Path;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateFormat {
    Csv,
    Xlsx,
}

pub fn run(
    policy: &Path,
    kind: Option<&str>,
    source: Option<&str>,
    (layout, out): (TemplateFormat, Option<&Path>),
    diag: Format,
) -> u8 {
    let loaded = match load(policy, diag) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let policy = &loaded.policy;
    let kind_id = match kind {
        None => None,
        Some(k) => match policy.kind_id(k) {
            Some(id) => Some(id),
            None => {
                let names = policy.kinds.iter().map(|k| k.name.as_str());
                let hint = closest(k, names)
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                let known: Vec<&str> = policy.kinds.iter().map(|k| k.name.as_str()).collect();
                eprintln!(
                    "error: unknown kind `{k}` (the policy's kinds: {}){hint}",
                    known.join(", ")
                );
                return USAGE;
            }
        },
    };
    let text = |e: &crate::ir::Expr| loaded.sources.slice(e.span).to_string();
    let mut columns = template::columns(policy, kind_id, &text);
    let known = policy.sources.join(", ");
    let xlsx = out.is_some_and(|p| p.extension().is_some_and(|e| e == "xlsx"));
    if layout == TemplateFormat::Xlsx && out.is_none() {
        eprintln!("error: a workbook is written to a file: give `--output FILE.xlsx`");
        return USAGE;
    }
    if let Some(path) = out.filter(|_| xlsx || layout == TemplateFormat::Xlsx) {
        let sheets = sheets(policy, kind_id, source, &columns, &text);
        let book = |w: &mut dyn std::io::Write| {
            w.write_all(&workbook::template(policy, &sheets, &columns)?)
        };
        return output::emit_with(Some(path), book);
    }
    match source.map(|s| (s, policy.sources.iter().position(|x| x == s))) {
        Some((_, Some(s))) => columns.retain(|c| c.from_source(s)),
        Some((s, None)) => {
            let hint = closest(s, policy.sources.iter().map(String::as_str))
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            eprintln!("error: `{s}` is not a source of the policy (its sources: {known}){hint}");
            return USAGE;
        }
        None if !policy.sources.is_empty() => return per_source(policy, &columns, out),
        None => {}
    }
    match out {
        Some(path) => {
            let guide = path.with_extension("columns.csv");
            let code = output::emit(&template::template(policy, &columns), Some(path));
            if code != super::OK {
                return code;
            }
            eprintln!("wrote {} and {}", path.display(), guide.display());
            output::emit(&template::guide(&columns), Some(&guide))
        }
        None => {
            let sourced = !policy.sources.is_empty();
            let mut header = ["column", "type", "blank"].map(String::from).to_vec();
            header.extend(sourced.then(|| "source".to_string()));
            let rows: Vec<Vec<String>> = (columns.iter())
                .map(|c| {
                    let mut row = vec![c.name.clone(), c.ty.clone(), c.blank.clone()];
                    row.extend(sourced.then(|| c.source.clone()));
                    row
                })
                .collect();
            eprint!("{}", aligned(&header, &rows));
            output::emit(&template::template(policy, &columns), None)
        }
    }
}

/// A template per source, each with only the columns that source collects
/// (FILE.SOURCE.csv), and one guide saying which source collects each.
fn per_source(policy: &crate::ir::Policy, columns: &[template::Column], out: Option<&Path>) -> u8 {
    let Some(path) = out else {
        eprintln!(
            "error: the policy's data comes from several sources ({}): give --source NAME for one template, or -o FILE.csv for one file each",
            policy.sources.join(", ")
        );
        return USAGE;
    };
    let mut written = Vec::new();
    for (s, name) in policy.sources.iter().enumerate() {
        let mine: Vec<template::Column> = (columns.iter())
            .filter(|c| c.from_source(s))
            .cloned()
            .collect();
        let file = path.with_extension(format!("{name}.csv"));
        let code = output::emit(&template::template(policy, &mine), Some(&file));
        if code != super::OK {
            return code;
        }
        written.push(file.display().to_string());
    }
    let guide = path.with_extension("columns.csv");
    written.push(guide.display().to_string());
    eprintln!("wrote {}", written.join(", "));
    output::emit(&template::guide(columns), Some(&guide))
}

/// The sheets of a template workbook: one per source (or the one
/// `--source` names), else one per kind (or the one `--kind` names), each
/// with its columns.
fn sheets(
    policy: &crate::ir::Policy,
    kind: Option<usize>,
    source: Option<&str>,
    columns: &[template::Column],
    text: &dyn Fn(&crate::ir::Expr) -> String,
) -> Vec<(String, Option<usize>, Vec<template::Column>)> {
    if !policy.sources.is_empty() {
        let named = |s: &&String| source.is_none_or(|n| n == s.as_str());
        return (policy.sources.iter().enumerate())
            .filter(|(_, s)| named(s))
            .map(|(s, name)| {
                let mine = columns
                    .iter()
                    .filter(|c| c.from_source(s))
                    .cloned()
                    .collect();
                (name.clone(), kind, mine)
            })
            .collect();
    }
    match kind {
        None if !policy.kinds.is_empty() => (policy.kinds.iter().enumerate())
            .map(|(k, kind)| {
                let name = kind.label.clone().unwrap_or_else(|| kind.name.clone());
                (name, Some(k), template::columns(policy, Some(k), text))
            })
            .collect(),
        _ => vec![("数据".to_string(), kind, columns.to_vec())],
    }
}
