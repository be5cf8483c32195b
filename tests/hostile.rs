//! Hostile input, longer than a fuzzer's length limit and shaped by hand:
//! what once aborted, panicked, hung, read files it should not, or let a
//! spreadsheet run a formula. Each test runs the binary as a user (or an
//! attacker) would and asserts a clear answer: an error with its code, or
//! the output as it should be. (The small cases are under
//! `tests/cases/hostile/`.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

#[path = "common/rpc.rs"]
mod rpc;
#[path = "common/run.rs"]
mod run;

use run::{stderr, stdout, temp_dir, zhibiao};
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const HEADER: &str = "policy \"深\" {\n  total 10\n  precision 2 half_up\n}\ninput 甲: count\n";

fn item(rule: &str) -> String {
    format!("{HEADER}category 甲类 10 {{\n  item 甲项 10 points {rule}\n}}\n")
}

/// The shapes that overflowed the stack at these sizes (and far beyond).
fn deep_policies() -> Vec<(&'static str, String)> {
    let mut nested = HEADER.to_string();
    for i in 0..10_000 {
        nested.push_str(&format!("category 甲{i} 10 {{\n"));
    }
    nested.push_str("item 甲项 10 points 甲\n");
    nested.push_str(&"}\n".repeat(10_000));
    vec![
        ("sum", item(&vec!["甲"; 100_000].join(" + "))),
        ("minus", item(&format!("{}甲", "-".repeat(100_000)))),
        (
            "not",
            item(&format!("if {}甲 > 1 then 1 else 0", "not ".repeat(50_000))),
        ),
        (
            "parentheses",
            item(&format!("{}甲{}", "(".repeat(100_000), ")".repeat(100_000))),
        ),
        (
            "if",
            item(&format!("{}0", "if 甲 > 1 then 1 else ".repeat(20_000))),
        ),
        // An input named like a statement keyword (类别) in every condition.
        (
            "if-named",
            item(&format!("{}0", "if 类别 > 1 then 1 else ".repeat(20_000)))
                .replace("input 甲: count", "input 甲, 类别: count"),
        ),
        // ... and at the start of each line, after `else`, where it is a name.
        (
            "if-named-lines",
            item(&format!(
                "{}0",
                "if 类别 > 1 then 1 else\n类别 + ".repeat(20_000)
            ))
            .replace("input 甲: count", "input 甲, 类别: count"),
        ),
        ("categories", nested),
    ]
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let dir = temp_dir("deep");
    for (name, text) in deep_policies() {
        let path = dir.join(format!("{name}.zb"));
        std::fs::write(&path, text).unwrap();
        let o = zhibiao(&["check", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let errors = stderr(&o).matches("zhibiao::syntax::too_deep").count();
        assert_eq!(errors, 1, "{name}: {}", stderr(&o));
        assert!(!stderr(&o).contains("overflow"), "{name}");
        // The formatter refuses what nests, before the parser descends (a
        // long sum nests only once read, and is laid out as any other).
        let o = zhibiao(&["fmt", "--check", path.to_str().unwrap()]);
        let refused = stderr(&o).contains("zhibiao::syntax::too_deep");
        match name {
            "sum" => assert_eq!(o.status.code(), Some(0), "{}", stderr(&o)),
            _ => assert!(
                o.status.code() == Some(1) && refused,
                "{name}: {}",
                stderr(&o)
            ),
        }
    }
}

#[test]
fn a_diagnostic_past_column_65535_is_shown_without_a_snippet() {
    let dir = temp_dir("wide");
    let path = dir.join("wide.zb");
    let rule = format!("甲{}+ 乙", " ".repeat(70_000));
    std::fs::write(&path, item(&rule)).unwrap();
    let o = zhibiao(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let shown = stderr(&o);
    assert!(shown.contains("zhibiao::check::unknown_name"), "{shown}");
    assert!(shown.contains("wide.zb:7:70024: not declared"), "{shown}");
}

#[test]
fn extends_reads_only_policies_of_the_project() {
    let dir = temp_dir("extends");
    let project = dir.join("project");
    std::fs::create_dir_all(project.join("city")).unwrap();
    let secret = "root:x:0:0:hidden";
    std::fs::write(dir.join("outside.zb"), secret).unwrap();
    std::fs::write(dir.join("private.txt"), secret).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("outside.zb"), project.join("link.zb")).unwrap();
    // A link inside the project to a file of it that is not a policy.
    std::fs::write(project.join("notes.txt"), secret).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("notes.txt", project.join("notes.zb")).unwrap();
    let big = format!("// {}\n", "x".repeat(9 << 20));
    std::fs::write(project.join("big.zb"), big).unwrap();
    let child = project.join("city/child.zb");
    for (parent, why) in [
        ("/etc/passwd", "not a policy file"),
        ("/dev/zero", "not a policy file"),
        ("/proc/self/environ", "not a policy file"),
        ("../../private.txt", "not a policy file"),
        ("../../outside.zb", "outside the project folder"),
        ("../link.zb", "outside the project folder"),
        ("../notes.zb", "leads to a file that is not a policy file"),
    ] {
        std::fs::write(&child, format!("policy \"子\" extends \"{parent}\" {{}}\n")).unwrap();
        // The project is the policy's folder, or the root given.
        for root in [None, Some(&project)] {
            let mut args = vec!["check", "--error-format", "json", child.to_str().unwrap()];
            if let Some(root) = root {
                args.extend(["--root", root.to_str().unwrap()]);
            }
            let o = zhibiao(&args);
            let shown = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{parent}: {shown}");
            assert!(
                shown.contains("zhibiao::derive::bad_parent"),
                "{parent}: {shown}"
            );
            assert!(shown.contains(why), "{parent}: {shown}");
            assert!(!shown.contains("hidden"), "{parent}: {shown}");
        }
    }
    // Inside the root given, but too large to be a policy.
    std::fs::write(&child, "policy \"子\" extends \"../big.zb\" {}\n").unwrap();
    let o = zhibiao(&[
        "check",
        child.to_str().unwrap(),
        "--root",
        project.to_str().unwrap(),
    ]);
    assert!(stderr(&o).contains("larger than 8 MiB"), "{}", stderr(&o));
}

/// Raw bytes to `zhibiao lsp`; every message it wrote back.
fn lsp_session(input: &[u8]) -> Vec<Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    let _ = writer.join();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut from = std::io::BufReader::new(&output.stdout[..]);
    std::iter::from_fn(|| rpc::read(&mut from)).collect()
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn message(value: Value) -> Vec<u8> {
    frame(value.to_string().as_bytes())
}

fn start() -> Vec<u8> {
    let mut out = message(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"capabilities": {}}}));
    out.extend(message(
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    ));
    out
}

fn finish(out: &mut Vec<u8>) {
    out.extend(message(
        json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}),
    ));
    out.extend(message(json!({"jsonrpc": "2.0", "method": "exit"})));
}

fn answered(replies: &[Value], id: i64) -> &Value {
    replies
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no answer to request {id}: {replies:?}"))
}

#[test]
fn no_message_stops_the_language_server() {
    let mut input = start();
    input.extend(frame(br#"{"jsonrpc": "2.0", "id": 2, "method": "#));
    input.extend(frame(b"\xff\xfe{}"));
    input.extend(frame(
        br#"{"jsonrpc":"2.0","id":3,"method":"x","params":"\ud800"}"#,
    ));
    input.extend(frame(br#"{"jsonrpc":"2.0","id":4}"#));
    // A length shorter than the body: the rest is skipped up to the next header.
    input.extend(
        b"Content-Length: 10\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"shutdown\"}",
    );
    input.extend(b"Content-Length: 99999999999999\r\n\r\n");
    input.extend(b"Content-Length: many\r\n\r\n");
    let uri = "file:///tmp/x.zb";
    input.extend(message(json!({"jsonrpc": "2.0", "id": 6,
        "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}})));
    finish(&mut input);
    let replies = lsp_session(&input);
    let errors: Vec<i64> = replies
        .iter()
        .filter_map(|r| r["error"]["code"].as_i64())
        .collect();
    // Four parse errors, a message that is none of the three kinds, and
    // the two bad lengths.
    assert_eq!(
        errors.iter().filter(|c| **c == -32700).count(),
        6,
        "{replies:?}"
    );
    assert_eq!(
        errors.iter().filter(|c| **c == -32600).count(),
        1,
        "{replies:?}"
    );
    assert!(answered(&replies, 1)["result"]["capabilities"].is_object());
    assert_eq!(answered(&replies, 6)["result"], Value::Null);
    assert_eq!(answered(&replies, 99)["result"], Value::Null);
}

#[test]
fn the_language_server_survives_deep_documents() {
    let mut input = start();
    for (i, (name, text)) in deep_policies().into_iter().enumerate() {
        let uri = format!("file:///tmp/zhibiao-deep-{name}.zb");
        input.extend(message(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "zhibiao", "version": 1,
            "text": text}}}),
        ));
        input.extend(message(json!({"jsonrpc": "2.0", "id": 10 + i,
            "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}})));
        input.extend(message(json!({"jsonrpc": "2.0", "id": 100 + i,
            "method": "textDocument/formatting", "params": {"textDocument": {"uri": uri},
            "options": {"tabSize": 2, "insertSpaces": true}}})));
    }
    finish(&mut input);
    let replies = lsp_session(&input);
    let published: Vec<&Value> = replies
        .iter()
        .filter(|r| r["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert_eq!(published.len(), deep_policies().len());
    for p in published {
        let codes: Vec<&str> = p["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["code"].as_str())
            .collect();
        assert!(codes.contains(&"zhibiao::syntax::too_deep"), "{codes:?}");
    }
    for i in 0..deep_policies().len() {
        assert!(answered(&replies, 10 + i as i64)["error"].is_null());
        // Formatted or refused, and the server goes on.
        assert!(answered(&replies, 100 + i as i64)["error"].is_null());
    }
}

const POLICY: &str = "policies/heihe/2023.zb";

/// The example data with the first unit's id and name replaced.
fn units_named(dir: &Path, id: &str, name: &str) -> String {
    let data = std::fs::read_to_string("examples/heihe/units.csv").unwrap();
    let changed = data
        .replacen("HH01,", &format!("{id},"), 1)
        .replacen("爱辉区", name, 1);
    let path = dir.join("units.csv");
    std::fs::write(&path, changed).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn csv_output_does_not_let_a_spreadsheet_run_a_formula() {
    let dir = temp_dir("formula");
    let data = units_named(
        &dir,
        "\"=HYPERLINK(\"\"http://x\"\")\"",
        "@SUM(1+1)*cmd|' /C calc'!A0",
    );
    let o = zhibiao(&["eval", POLICY, "--data", &data, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let row = out.lines().find(|l| l.contains("HYPERLINK")).unwrap();
    assert!(
        row.starts_with("\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(1+1)"),
        "{row}"
    );
    // Numbers, negative ones too, stay numbers.
    assert!(!out.contains(",'-"), "{out}");
}

#[test]
fn control_characters_in_names_do_not_reach_the_terminal() {
    let dir = temp_dir("control");
    let data = units_named(&dir, "HH01", "\u{1b}[2J\u{1b}]0;owned\u{7}爱辉区\u{202e}");
    let o = zhibiao(&["eval", POLICY, "--data", &data]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'));
    assert!(
        out.contains("\\u{1b}[2J\\u{1b}]0;owned\\u{7}爱辉区\\u{202e}"),
        "{out}"
    );
}

#[test]
fn one_bad_byte_in_a_utf8_file_is_one_error_where_it_is() {
    let dir = temp_dir("byte");
    let data = std::fs::read("examples/heihe/units.csv").unwrap();
    let at = data.windows(4).position(|w| w == b"HH03").unwrap();
    let mut bad = data.clone();
    bad.insert(at + 4, 0xFF);
    let path = dir.join("units.csv");
    std::fs::write(&path, bad).unwrap();
    let o = zhibiao(&["eval", POLICY, "--data", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    let shown = stderr(&o);
    assert_eq!(shown.matches("error:").count(), 1, "{shown}");
    assert!(shown.contains("row 4, column `id`"), "{shown}");
    assert!(shown.contains("not UTF-8"), "{shown}");
}

#[test]
fn unreadable_data_exits_4() {
    for data in ["/nonexistent/units.csv", "examples"] {
        let o = zhibiao(&["eval", POLICY, "--data", data]);
        assert_eq!(o.status.code(), Some(4), "{data}: {}", stderr(&o));
        let o = zhibiao(&["explain", POLICY, "--data", data, "--unit", "HH01"]);
        assert_eq!(o.status.code(), Some(4), "{data}: {}", stderr(&o));
    }
}

#[test]
fn an_undecodable_policy_says_where() {
    let dir = temp_dir("undecodable");
    let path = dir.join("p.zb");
    let mut text = item("甲").into_bytes();
    let at = text
        .windows(6)
        .position(|w| w == "甲项".as_bytes())
        .unwrap();
    text[at + 1] = 0xFF;
    std::fs::write(&path, text).unwrap();
    let o = zhibiao(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("line 7, column 8"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn output_files_keep_their_permissions_and_links() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("outputs");
    let target = dir.join("results.csv");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.join("latest.csv");
    std::os::unix::fs::symlink("results.csv", &link).unwrap();
    // Left by runs that were killed while writing (pid 999999 is not running).
    let stale = dir.join(".results.csv.999999.tmp");
    std::fs::write(&stale, vec![0u8; 1 << 20]).unwrap();
    let o = zhibiao(&[
        "eval",
        POLICY,
        "--data",
        "examples/heihe/units.csv",
        "--format",
        "csv",
        "-o",
        link.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.contains("HH01"));
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    assert!(!stale.exists());
}

/// Found by the fuzzer (`tests/fuzz/found/`): a mangled file of thousands
/// of nested categories, each a syntax error whose recovery read far ahead
/// (quadratic: 25 s). Reading stops after 100 errors.
#[test]
fn a_file_of_thousands_of_syntax_errors_stops_at_100() {
    let path = "tests/fuzz/found/parse_check-timeout-82eb8f0b.txt";
    let o = zhibiao(&["check", "--error-format", "json", path]);
    assert_eq!(o.status.code(), Some(1));
    let shown = stderr(&o);
    assert_eq!(shown.lines().count(), 101, "{shown}");
    assert!(shown.contains("zhibiao::syntax::too_many_errors"));
}
