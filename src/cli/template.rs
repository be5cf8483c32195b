//! `zhibiao template POLICY [--kind K] [-o FILE.csv]`: the data-collection
//! template, and beside it FILE.columns.csv, the guide to its columns.

use super::check::load;
use super::{USAGE, output};
use crate::diagnostics::{Format, closest};
use crate::report::{aligned, template};
use std::path::Path;

pub fn run(policy: &Path, kind: Option<&str>, out: Option<&Path>, diag: Format) -> u8 {
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
    let columns = template::columns(policy, kind_id, &text);
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
            let header = ["column", "type", "blank"].map(String::from).to_vec();
            let rows: Vec<Vec<String>> = columns
                .iter()
                .map(|c| vec![c.name.clone(), c.ty.clone(), c.blank.clone()])
                .collect();
            eprint!("{}", aligned(&header, &rows));
            output::emit(&template::template(policy, &columns), None)
        }
    }
}
