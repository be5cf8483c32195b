//! The language server end to end: the binary is started and spoken to over
//! stdio as an editor would (JSON-RPC with Content-Length headers), and
//! every answer is checked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/client.rs"]
mod client;

use client::{Client, find, rpc, uri};
use serde_json::{Value, json};
use std::io::BufReader;
use std::path::Path;
use std::process::{Command, Stdio};

const HEIHE: &str = "policies/heihe/2023.zb";

#[test]
fn an_editor_session() {
    let text = std::fs::read_to_string(HEIHE).unwrap();
    let uri = uri(Path::new(HEIHE));
    let mut client = Client::start();

    // A typo in a choice: the checker's error, with code and help, at the
    // UTF-16 column (Chinese characters before it on the line).
    let broken = text.replace("仅培训 => 0.5", "仅培训了 => 0.5");
    let diagnostics = client.open(&uri, &broken);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "zhibiao::check::unknown_name");
    assert_eq!(d["severity"], 1);
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("did you mean `仅培训`?"), "{message}");
    let (line, column) = find(&broken, "score match 培训考评", "仅培训了");
    assert_eq!(
        d["range"]["start"],
        json!({"line": line, "character": column})
    );
    assert_eq!(
        d["range"]["end"],
        json!({"line": line, "character": column + 4})
    );
    let byte_column = broken.lines().nth(line).unwrap().find("仅培训了").unwrap();
    assert_ne!(column, byte_column, "columns are not bytes");

    // Fix it with an incremental edit: one character removed.
    let range = json!({"start": {"line": line, "character": column + 3},
                       "end": {"line": line, "character": column + 4}});
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": range, "text": ""}]}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    // Hover on a node: path, points, share of the total, rule, N/A rule.
    let hover = client.at(
        "textDocument/hover",
        &uri,
        find(&text, "item #7", "人员组织"),
    );
    let hover = hover["contents"]["value"].as_str().unwrap();
    for part in [
        "统筹管理 / 组织保障 / 人员组织",
        "#7",
        "2 points (2% of the total 100)",
        "match 培训考评",
        "applies to: every unit",
    ] {
        assert!(hover.contains(part), "{part} in {hover}");
    }
    // On a node that applies only to some units: its applicability and N/A rule.
    let hover = client.at(
        "textDocument/hover",
        &uri,
        find(&text, "item #8", "标准规范"),
    );
    let hover = hover["contents"]["value"].as_str().unwrap();
    assert!(hover.contains("for 县区"), "{hover}");
    assert!(
        hover.contains("when not applicable: rescale (the header)"),
        "{hover}"
    );
    // On a group: its children's subtotal.
    let hover = client.at(
        "textDocument/hover",
        &uri,
        find(&text, "category ", "统筹管理"),
    );
    let hover = hover["contents"]["value"].as_str().unwrap();
    assert!(hover.contains("children: Σ 28 ✓"), "{hover}");

    // Hover on an input where a rule reads it: type, description, choices.
    let used = find(&text, "score match 培训考评", "培训考评");
    let hover = client.at("textDocument/hover", &uri, used);
    let hover = hover["contents"]["value"].as_str().unwrap();
    assert!(hover.contains("培训并考评 | 仅培训 | 未开展"), "{hover}");
    assert!(
        hover.contains("领导干部、工作人员数字政府培训与考评"),
        "{hover}"
    );
    assert!(
        hover.contains("allowed values: `培训并考评` · `仅培训` · `未开展`"),
        "{hover}"
    );

    // Go to the input's declaration, and find its references.
    let definition = client.at("textDocument/definition", &uri, used);
    let declared = find(&text, "input 培训考评", "培训考评");
    assert_eq!(definition[0]["uri"], uri);
    assert_eq!(
        definition[0]["range"]["start"],
        json!({"line": declared.0, "character": declared.1})
    );
    let references = client.at("textDocument/references", &uri, declared);
    let lines: Vec<u64> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![declared.0 as u64, used.0 as u64]);

    // A position past the end of a line, and far past the end of the file.
    let past = client.at("textDocument/hover", &uri, (used.0, 500));
    assert_eq!(past, Value::Null);
    let past = client.at("textDocument/definition", &uri, (100_000, 3));
    assert_eq!(past, json!([]));

    // The outline is the tree.
    let symbols = client.result(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == 2)
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "统筹管理",
            "项目建设",
            "数据共享开放",
            "安全保障",
            "应用成效"
        ]
    );
    let first = &symbols
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "统筹管理")
        .unwrap();
    assert_eq!(first["children"][0]["name"], "规划设计");
    assert_eq!(first["detail"], "28");

    // Inlay hints: every group's subtotal against its points, and the tree's.
    let hints = client.result(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9999, "character": 0}}}),
    );
    let labels: Vec<&str> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Σ 100 ✓"), "{labels:?}");
    assert!(labels.iter().all(|l| l.ends_with('✓')), "{labels:?}");

    // Folding: every block over several lines (the header, each category
    // and group, the bonus part, the grades), and the comment lines on top.
    let folds = client.result(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": uri}}),
    );
    let folds: Vec<(u64, u64, Option<&str>)> = (folds.as_array().unwrap().iter())
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
                f["kind"].as_str(),
            )
        })
        .collect();
    let header = text.lines().position(|l| l.starts_with("policy ")).unwrap() as u64;
    assert!(
        folds.iter().any(|f| f.0 == header && f.2.is_none()),
        "{folds:?}"
    );
    let category = text
        .lines()
        .position(|l| l.starts_with("category 统筹管理"))
        .unwrap() as u64;
    let closes = text
        .lines()
        .skip(category as usize)
        .position(|l| l == "}")
        .unwrap() as u64;
    assert!(
        folds.contains(&(category, category + closes - 1, None)),
        "{folds:?}"
    );
    assert!(folds.contains(&(0, 5, Some("comment"))), "{folds:?}");

    // Formatting: a messy document comes back as `zhibiao fmt` writes it.
    let messy = text.replace("  version \"2023\"", "version    \"2023\"");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [{"text": messy}]}),
    );
    client.diagnostics(&uri);
    let edits = client.result(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits.as_array().unwrap().len(), 1);
    assert_eq!(edits[0]["newText"], text);

    client.stop();
}

#[test]
fn a_policy_that_extends_another() {
    let scratch = tempfile::Builder::new()
        .prefix("zhibiao-lsp-")
        .tempdir()
        .unwrap();
    let dir = scratch.path();
    let base = dir.join("2023.zb");
    std::fs::copy(HEIHE, &base).unwrap();
    let derived = dir.join("2024.zb");
    let text = "policy \"黑河\" extends \"2023.zb\" {\n  version \"2024\"\n}\n\nchange 项目建设/省建市用/身份认证 3\nchange 项目建设/省建市用 14\nchange 项目建设 21\nchange \n";
    std::fs::write(&derived, text).unwrap();
    let (base_uri, uri) = (self::uri(&base), self::uri(&derived));
    let mut client = Client::start();

    // The unfinished `change` is a syntax error; the rest still works.
    let diagnostics = client.open(&uri, text);
    assert!(
        diagnostics
            .iter()
            .any(|d| d["code"] == "zhibiao::syntax::unexpected"),
        "{diagnostics:?}"
    );

    // A node path goes to its declaration in the policy extended; hover says
    // where it was declared and what it is now.
    let target = find(text, "change 项目建设/省建市用/", "身份认证");
    let definition = client.at("textDocument/definition", &uri, target);
    assert_eq!(definition[0]["uri"], base_uri);
    let base_text = std::fs::read_to_string(&base).unwrap();
    let declared = find(&base_text, "item #19", "身份认证");
    assert_eq!(definition[0]["range"]["start"]["line"], declared.0);
    let hover = client.at("textDocument/hover", &uri, target);
    let hover = hover["contents"]["value"].as_str().unwrap();
    assert!(hover.contains("defined in"), "{hover}");
    assert!(hover.contains("2023.zb:"), "{hover}");

    // `extends` goes to the file.
    let extends = client.at(
        "textDocument/definition",
        &uri,
        find(text, "extends", "2023.zb"),
    );
    assert_eq!(extends[0]["uri"], base_uri);

    // A link on the file `extends` names.
    let links = client.result(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(links[0]["target"], base_uri, "{links}");
    assert_eq!(links[0]["range"]["start"]["line"], 0);

    // Completion after `change`: the extended policy's node paths.
    let end = find(text, "change \n", "\n");
    let items = client.at("textDocument/completion", &uri, end);
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"项目建设/省建市用/身份认证"), "{labels:?}");
    assert!(labels.contains(&"#19"), "{labels:?}");

    // Deleting the extended file: the derived policy says so, and the
    // server goes on answering.
    std::fs::remove_file(&base).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": base_uri, "type": 3}]}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert!(
        diagnostics
            .iter()
            .any(|d| d["code"] == "zhibiao::derive::missing_parent"),
        "{diagnostics:?}"
    );
    let symbols = client.result(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(symbols.as_array().unwrap().len() >= 4);
    client.stop();
}

/// What completion offers where, and hover on a keyword, in process.
/// Hover gives a child's points where the group weighs its children
/// (`weights equal`, `weights relative`), and no subtotal to hold them to.
#[test]
fn hover_shows_the_points_of_weighted_children() {
    let path = Path::new("tests/cases/eval/exact_weights.zb");
    let text = std::fs::read_to_string(path).unwrap();
    let uri = uri(path);
    let mut client = Client::start();
    assert_eq!(client.open(&uri, &text), Vec::<Value>::new());
    let hover = |client: &mut Client, after: &str, name: &str| {
        let at = find(&text, after, name);
        let h = client.at("textDocument/hover", &uri, at);
        h["contents"]["value"].as_str().unwrap().to_string()
    };
    // 1 : 1 : 2 of 40.
    let open = hover(&mut client, "item 开放", "开放");
    assert!(open.contains("- points: 20 points"), "{open}");
    // Three rows of 30, equally.
    let public = hover(&mut client, "item 公开", "公开");
    assert!(public.contains("- points: 10 points"), "{public}");
    let group = hover(&mut client, "category 服务", "服务");
    assert!(!group.contains("children: Σ"), "{group}");
    // A fraction of points, exactly.
    let shared = hover(&mut client, "item 联办", "联办");
    assert!(shared.contains("- points: 10/3 points"), "{shared}");
    client.stop();
}

/// A test file (`NAME.test.zb`) is checked as the tests of `NAME.zb`: no
/// "no header" for it, its own mistakes where they are, and checked again
/// when the policy changes.
#[test]
fn a_test_file_is_checked_against_its_policy() {
    let scratch = tempfile::Builder::new()
        .prefix("zhibiao-lsp-tests-")
        .tempdir()
        .unwrap();
    let dir = scratch.path();
    let policy = dir.join("2023.zb");
    std::fs::copy(HEIHE, &policy).unwrap();
    let tests = dir.join("2023.test.zb");
    let text = std::fs::read_to_string("policies/heihe/2023.test.zb").unwrap();
    std::fs::write(&tests, &text).unwrap();
    let (policy_uri, tests_uri) = (uri(&policy), uri(&tests));
    let mut client = Client::start();
    assert_eq!(client.open(&tests_uri, &text), Vec::<Value>::new());

    // A cell for an input the policy lacks: reported at its line.
    let wrong = text.replacen("年度计划 = 是", "年度规划 = 是", 1);
    let line = wrong.lines().position(|l| l.contains("年度规划")).unwrap();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": tests_uri, "version": 2}, "contentChanges": [{"text": wrong}]}),
    );
    let found = client.diagnostics(&tests_uri);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "zhibiao::test::unknown_input");
    assert_eq!(found[0]["range"]["start"]["line"], line);

    // The policy gains that input: the tests are checked again, and pass.
    let policy_text = std::fs::read_to_string(&policy).unwrap() + "\ninput 年度规划: bool\n";
    client.open(&policy_uri, &policy_text);
    let again = client.diagnostics(&tests_uri);
    assert!(
        again
            .iter()
            .all(|d| d["code"] != "zhibiao::test::unknown_input"),
        "{again:?}"
    );
    client.stop();
}

/// A client that registers file watchers dynamically (Neovim, Helix) is
/// asked to watch policy files and scripts; one that does not is not asked.
#[test]
fn the_server_asks_to_watch_policy_files() {
    let session = |capabilities: Value| -> Vec<Value> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let messages = [
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": capabilities}}),
            json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
            json!({"jsonrpc": "2.0", "method": "exit"}),
        ];
        for m in &messages {
            rpc::write(&mut stdin, m);
        }
        drop(stdin);
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        let mut from = BufReader::new(&output.stdout[..]);
        std::iter::from_fn(|| rpc::read(&mut from)).collect()
    };
    let dynamic = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let asked: Vec<Value> = session(dynamic)
        .into_iter()
        .filter(|m| m["method"] == "client/registerCapability")
        .collect();
    assert_eq!(asked.len(), 1, "{asked:?}");
    let registration = &asked[0]["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs = &registration["registerOptions"]["watchers"];
    assert_eq!(globs[0]["globPattern"], "**/*.zb");
    assert_eq!(globs[1]["globPattern"], "**/*.rhai");
    let plain = session(json!({}));
    assert!(
        plain
            .iter()
            .all(|m| m["method"] != "client/registerCapability")
    );
}
