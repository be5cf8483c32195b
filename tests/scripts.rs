//! Scripts (rhai) in policies: compiled when the policy is checked, called
//! per unit in a sandbox. Each bound of the sandbox and each way out of it
//! is tried; a unit whose script fails is an error naming the unit and the
//! function, and the other units are still scored.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use zhibiao::data::Dataset;
use zhibiao::source::SourceFile;

/// A policy whose one item scores `f(甲)`, with `script` defining `f`.
fn policy(script: &str) -> String {
    format!(
        "policy \"脚本\" {{\n  total 10\n  precision 2 half_up\n}}\nscript {{\n{script}\n}}\ninput 甲: count\ncategory 甲类 10 {{\n  item 甲项 10 points min(10, f(甲))\n}}\n"
    )
}

fn compile(text: &str) -> Result<zhibiao::ir::Policy, Vec<zhibiao::diagnostics::Diagnostic>> {
    let compiled = zhibiao::check::compile(&SourceFile::new("scripts.zb", text));
    compiled.result.map(|c| c.policy)
}

fn codes(text: &str) -> Vec<&'static str> {
    match compile(text) {
        Ok(_) => Vec::new(),
        Err(found) => found
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect(),
    }
}

/// Scores units A (甲 = 1) and B (甲 = 2): A's score, or its error message;
/// B's score.
fn run(script: &str) -> (Result<String, String>, String) {
    let policy = compile(&policy(script)).unwrap_or_else(|d| panic!("{d:?}"));
    let dir = tempfile::Builder::new()
        .prefix("zhibiao-scripts-")
        .tempdir()
        .unwrap();
    let path = dir.path().join("units.csv");
    std::fs::write(&path, "id,name,甲\nA,甲,1\nB,乙,2\n").unwrap();
    let data = Dataset::load(&policy, &path).unwrap();
    let e = zhibiao::eval::evaluate(&policy, &data);
    let score = |u: usize| hundredths(e.units[u].score);
    let a = match e.errors.iter().find(|x| x.unit == 0) {
        Some(error) => Err(error.message.clone()),
        None => Ok(score(0)),
    };
    assert!(e.errors.iter().all(|x| x.unit == 0), "{:?}", e.errors);
    (a, score(1))
}

/// A score kept in hundredths, as written (1304 → "13.04").
fn hundredths(k: i64) -> String {
    format!("{}.{:02}", k / 100, k % 100)
}

#[test]
fn a_script_function_is_called_like_a_built_in_and_numbers_cross_exactly() {
    // 0.1 + 0.2 is 0.3 in a script (decimals, not floats); 1/3 crosses as
    // 0.3333333333333333333333333333 and × 3 comes back as 0.99…9 → 1.00.
    let (a, b) = run("fn f(x) { if x == 1 { 0.1 + 0.2 } else { x / 3 * 3 * 2.675 } }");
    assert_eq!(a.unwrap(), "0.30");
    assert_eq!(b, "5.35");
}

#[test]
fn each_bound_of_the_sandbox_is_an_error_for_the_unit_alone() {
    for (script, why) in [
        ("fn f(x) { if x == 1 { loop { } } x }", "operations"),
        (
            "fn f(x) { if x == 1 { g(x) } else { x } } fn g(x) { g(x) }",
            "levels deep",
        ),
        (
            "fn f(x) { if x == 1 { let s = \"ab\"; loop { s += s; } } x }",
            "larger than",
        ),
        (
            "fn f(x) { if x == 1 { let a = []; loop { a.push(1); } } x }",
            "larger than",
        ),
        (
            "fn f(x) { if x == 1 { let m = #{}; for i in 0..2000 { m[`k${i}`] = i; } m.len() } else { x } }",
            "larger than",
        ),
        ("fn f(x) { if x == 1 { throw \"no\"; } x }", "failed"),
        (
            "fn f(x) { if x == 1 { \"text\" } else { x } }",
            "neither a number",
        ),
        ("fn f(x) { if x == 1 { x / 0 } else { x } }", "failed"),
    ] {
        let (a, b) = run(script);
        let message = a.expect_err(script);
        assert!(message.contains("unit A"), "{script}: {message}");
        assert!(
            message.contains("script function `f`"),
            "{script}: {message}"
        );
        assert!(message.contains(why), "{script}: {message}");
        assert_eq!(b, "2.00", "{script}: B is still scored");
    }
}

#[test]
fn a_script_cannot_reach_out_of_the_sandbox() {
    // No printing, evaluating text, modules: refused when the policy is
    // checked.
    for script in [
        "fn f(x) { print(\"x\"); x }",
        "fn f(x) { debug(\"x\"); x }",
        "fn f(x) { eval(\"x\") }",
        "import \"other\" as o; fn f(x) { x }",
    ] {
        assert_eq!(
            codes(&policy(script)),
            ["zhibiao::check::script_error"],
            "{script}"
        );
    }
    // No clock, files, network or random source: such functions do not exist.
    for call in [
        "timestamp()",
        "open_file(\"/etc/passwd\")",
        "http_get(\"http://x\")",
        "rand()",
        "system(\"ls\")",
    ] {
        let (a, b) = run(&format!(
            "fn f(x) {{ if x == 1 {{ {call} }} else {{ x }} }}"
        ));
        assert!(a.unwrap_err().contains("failed"), "{call}");
        assert_eq!(b, "2.00");
    }
}

#[test]
fn script_mistakes_are_diagnostics_where_they_are() {
    let text = policy("fn f(x) {\n  x +\n}");
    let compiled = zhibiao::check::compile(&SourceFile::new("scripts.zb", text.as_str()));
    let found = compiled.result.unwrap_err();
    let d = found.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(d.code, "zhibiao::check::script_error");
    let (line, _) = compiled
        .sources
        .main()
        .unwrap()
        .line_col(d.labels[0].span.start);
    assert_eq!(line, 8, "{d:?}");
    // A variable never defined is found when the policy is checked.
    assert_eq!(
        codes(&policy("fn f(x) { x + y }")),
        ["zhibiao::check::script_error"]
    );
    // The number of arguments is checked against the definition.
    let wrong = policy("fn f(x, y) { x + y }");
    assert_eq!(codes(&wrong), ["zhibiao::check::wrong_arity"]);
    // A built-in function's name is taken.
    let taken = policy("fn f(x) { x } fn min(a, b) { a }");
    assert_eq!(codes(&taken), ["zhibiao::check::script_error"]);
}

#[test]
fn the_example_policy_runs_a_script_file() {
    let policy = "examples/scripts/service.zb";
    let compiled = zhibiao::check::compile(&SourceFile::read(Path::new(policy)).unwrap());
    let policy = compiled.result.unwrap().policy;
    let data = Dataset::load(&policy, Path::new("examples/scripts/units.csv")).unwrap();
    let e = zhibiao::eval::evaluate(&policy, &data);
    assert!(e.errors.is_empty(), "{:?}", e.errors);
    // By hand (see the policy): S01's longest run of months at 95% or more
    // is 6 (May to October), 8 × (0.9 × 0.6 + 0.85 × 0.4) = 7.04.
    let scores: Vec<String> = e.units.iter().map(|u| hundredths(u.score)).collect();
    assert_eq!(scores, ["13.04", "19.84", "9.40"]);
}

#[test]
fn the_editor_knows_script_functions() {
    let text = policy("fn f(x) { x * 2 }");
    let path = std::env::current_dir().unwrap().join("scripts.zb");
    let uri = zhibiao::lsp::uri::from_path(&path).unwrap();
    let analysis = zhibiao::lsp::Analysis::new(uri, text.clone(), &mut zhibiao::derive::read_file);
    let call = text.find("f(甲)").unwrap();
    let hover = analysis.hover(call).unwrap();
    assert!(
        hover.contains("script function") && hover.contains("fn f(x)"),
        "{hover}"
    );
    let after = text.find("min(10, ").unwrap() + "min(10, ".len();
    let names: Vec<String> = analysis
        .complete(after)
        .into_iter()
        .map(|i| i.label)
        .collect();
    assert!(names.iter().any(|n| n == "f"), "{names:?}");
}
