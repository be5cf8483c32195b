//! The language server's edits, end to end over stdio: rename (across a
//! policy, the workspace's policy that extends it and its test file), the
//! code actions, semantic tokens and workspace symbols.
//!
//! Expected outcome: every test passes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

#[path = "common/client.rs"]
mod client;

use client::{Client, find, uri};
use serde_json::{Value, json};
use std::path::Path;
use tempfile::TempDir;

/// A workspace with the 黑河 policies and tests, and a client started in it.
fn workspace(name: &str) -> (TempDir, Client) {
    let dir = tempfile::Builder::new()
        .prefix(&format!("zhibiao-lsp-{name}-"))
        .tempdir()
        .unwrap();
    for file in ["2023.zb", "2024.zb", "2023.test.zb"] {
        std::fs::copy(
            Path::new("policies/heihe").join(file),
            dir.path().join(file),
        )
        .unwrap();
    }
    let root = uri(dir.path());
    let client = Client::start_with(json!({
        "capabilities": {},
        "processId": null,
        "rootUri": root,
        "workspaceFolders": [{"uri": root, "name": "heihe"}],
    }));
    (dir, client)
}

/// The parameters of a rename at `(line, column)` of `uri`.
fn renaming(uri: &str, (line, character): (usize, usize), to: &str) -> Value {
    json!({
        "textDocument": {"uri": uri},
        "position": {"line": line, "character": character},
        "newName": to,
    })
}

/// Applies a client's text edits to a text (positions in UTF-16).
fn apply(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<&Value> = edits.iter().collect();
    let at = |e: &Value, which: &str| {
        let p = &e["range"][which];
        let line_start: usize = (text.split_inclusive('\n'))
            .take(p["line"].as_u64().unwrap() as usize)
            .map(str::len)
            .sum();
        let line = &text[line_start..];
        let mut units = 0;
        let column = line
            .char_indices()
            .find(|(_, c)| {
                let here = units;
                units += c.len_utf16();
                here >= p["character"].as_u64().unwrap() as usize
            })
            .map_or(line.len(), |(i, _)| i);
        line_start + column
    };
    edits.sort_by_key(|e| std::cmp::Reverse(at(e, "start")));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(at(e, "start")..at(e, "end"), e["newText"].as_str().unwrap());
    }
    out
}

#[test]
fn rename_follows_a_name_into_the_policies_that_extend_it_and_its_tests() {
    let (scratch, mut client) = workspace("rename");
    let dir = scratch.path();
    let base = dir.join("2023.zb");
    let text = std::fs::read_to_string(&base).unwrap();
    let (base_uri, child_uri, test_uri) = (
        uri(&base),
        uri(&dir.join("2024.zb")),
        uri(&dir.join("2023.test.zb")),
    );
    client.open(&base_uri, &text);

    // An input: its declaration, its rule, the child's changed rule, the tests' cells.
    let used = find(&text, "score ratio(", "需求响应率");
    let prepared = client.at("textDocument/prepareRename", &base_uri, used);
    assert_eq!(prepared["placeholder"], "需求响应率");
    assert_eq!(prepared["range"]["start"]["line"], used.0);
    let edit = client.result(
        "textDocument/rename",
        renaming(&base_uri, used, "需求响应比例"),
    );
    let changes = &edit["changes"];
    let renamed = apply(&text, changes[&base_uri].as_array().unwrap());
    assert_eq!(
        renamed.matches("需求响应比例").count(),
        text.matches("需求响应率").count()
    );
    assert!(!renamed.contains("需求响应率"));
    let child = std::fs::read_to_string(dir.join("2024.zb")).unwrap();
    let child = apply(&child, changes[&child_uri].as_array().unwrap());
    assert!(
        child.contains("change #31 score ratio(需求响应比例, 95%)"),
        "{child}"
    );
    let tests = std::fs::read_to_string(dir.join("2023.test.zb")).unwrap();
    let renamed_tests = apply(&tests, changes[&test_uri].as_array().unwrap());
    assert!(renamed_tests.contains("需求响应比例 = 100%"));
    assert!(!renamed_tests.contains("需求响应率"));

    // A node with the name of an input: the node is renamed, in paths too
    // (their last part); the input is not. A name that must be quoted is.
    let item = find(&text, "item #19 ", "身份认证");
    let edit = client.result(
        "textDocument/rename",
        renaming(&base_uri, item, "统一 身份认证"),
    );
    let renamed = apply(&text, edit["changes"][&base_uri].as_array().unwrap());
    assert!(renamed.contains("item #19 \"统一 身份认证\""), "{renamed}");
    assert!(renamed.contains("input 身份认证:"));
    let child = std::fs::read_to_string(dir.join("2024.zb")).unwrap();
    let child = apply(&child, edit["changes"][&child_uri].as_array().unwrap());
    assert!(
        child.contains("change 项目建设/省建市用/\"统一 身份认证\" 3"),
        "{child}"
    );

    // Not a name: refused.
    let refused = client.request("textDocument/rename", renaming(&base_uri, used, "a\"b"));
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot be a name")
    );
    client.stop();
}

#[test]
fn workspace_symbols_find_names_in_every_policy_of_the_workspace() {
    let (scratch, mut client) = workspace("symbols");
    let dir = scratch.path();
    let base = dir.join("2023.zb");
    client.open(&uri(&base), &std::fs::read_to_string(&base).unwrap());
    let query = |client: &mut Client, q: &str| -> Vec<Value> {
        let found = client.result("workspace/symbol", json!({ "query": q }));
        found.as_array().unwrap().clone()
    };
    // A node and the input of the same name, in the open policy.
    let found = query(&mut client, "身份认证");
    let kinds: Vec<(&str, u64)> = (found.iter())
        .map(|s| (s["name"].as_str().unwrap(), s["kind"].as_u64().unwrap()))
        .collect();
    assert!(kinds.contains(&("身份认证", 8)), "{found:?}"); // a field: an item
    assert!(kinds.contains(&("身份认证", 13)), "{found:?}"); // a variable: an input
    let node = found.iter().find(|s| s["kind"] == 8).unwrap();
    assert_eq!(node["containerName"], "项目建设/省建市用");
    // A node only the next year's policy adds, from the file on disk.
    let added = query(&mut client, "公共数据开放");
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0]["location"]["uri"], uri(&dir.join("2024.zb")));
    // The tests' names, and nothing for what no name contains.
    assert!(
        query(&mut client, "满分的县区")
            .iter()
            .any(|s| s["kind"] == 6)
    );
    assert!(query(&mut client, "没有这个名字").is_empty());
    client.stop();
}

/// The tokens decoded here from their deltas: (line, UTF-16 column, text,
/// type name, declaration).
fn decode(text: &str, data: &[Value], legend: &Value) -> Vec<(usize, usize, String, String, bool)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let (mut line, mut column) = (0usize, 0usize);
    let mut out = Vec::new();
    for t in data.chunks(5) {
        let n = |i: usize| t[i].as_u64().unwrap() as usize;
        if n(0) > 0 {
            (line, column) = (line + n(0), n(1));
        } else {
            column += n(1);
        }
        let units: Vec<u16> = lines[line].encode_utf16().collect();
        let word = String::from_utf16(&units[column..column + n(2)]).unwrap();
        let kind = legend["tokenTypes"][n(3)].as_str().unwrap().to_string();
        out.push((line, column, word, kind, n(4) & 1 == 1));
    }
    out
}

#[test]
fn semantic_tokens_colour_names_as_what_they_name() {
    let mut client = Client::start();
    let path = Path::new("policies/heihe/2023.zb");
    let text = std::fs::read_to_string(path).unwrap();
    let uri = uri(path);
    client.open(&uri, &text);
    let legend = client.capabilities["semanticTokensProvider"]["legend"].clone();
    let got = client.result(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": uri}}),
    );
    let tokens = decode(&text, got["data"].as_array().unwrap(), &legend);
    let at = |after: &str, word: &str| {
        let (line, column) = find(&text, after, word);
        tokens
            .iter()
            .find(|t| t.0 == line && t.1 == column)
            .map(|t| (t.2.as_str(), t.3.as_str(), t.4))
    };
    // 类别 is a keyword (category) and here a level's name.
    assert_eq!(at("levels ", "类别"), Some(("类别", "type", true)));
    assert_eq!(
        at("input ", "规划文件"),
        Some(("规划文件", "variable", true))
    );
    assert_eq!(
        at("score count(", "规划文件"),
        Some(("规划文件", "variable", false))
    );
    assert_eq!(
        at("item #1 ", "任务规划"),
        Some(("任务规划", "class", true))
    );
    assert_eq!(
        at("score match 培训考评 { ", "培训并考评"),
        Some(("培训并考评", "enumMember", false))
    );
    // In order, none overlapping, each on one line.
    let mut last = (0, 0);
    for t in &tokens {
        assert!((t.0, t.1) >= last, "{t:?}");
        last = (t.0, t.1 + t.2.encode_utf16().count());
    }
    client.stop();
}

/// Every quick fix offered for the whole of `text`, applied one at a time:
/// (title, the text after it).
fn fixes(client: &mut Client, name: &str, text: &str) -> Vec<(String, String)> {
    let uri = format!(
        "file:///tmp/zhibiao-actions-{}-{name}.zb",
        std::process::id()
    );
    client.open(&uri, text);
    let lines = text.lines().count();
    let actions = client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}},
            "context": {"diagnostics": []},
        }),
    );
    (actions.as_array().unwrap().iter())
        .map(|a| {
            assert_eq!(a["kind"], "quickfix");
            let edits = a["edit"]["changes"][&uri].as_array().unwrap();
            (a["title"].as_str().unwrap().to_string(), apply(text, edits))
        })
        .collect()
}

#[test]
fn quick_fixes_do_what_the_checker_asks() {
    let mut client = Client::start();
    // A misspelt input, a group whose children do not add up, a node that
    // may not apply with no rule for it.
    let text = "policy \"修复\" {\n  total 10\n}\ninput 完成率: percent\ninput 有渠道: bool\ncategory 甲 10 {\n  item 完成 4 score 完成律\n  item 渠道 5 when 有渠道 score 完成率\n}\n";
    let found = fixes(&mut client, "check", text);
    let titles: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(found.len(), 3, "{titles:?}");
    let after = |title: &str| &found.iter().find(|(t, _)| t.contains(title)).unwrap().1;
    assert!(after("完成率").contains("item 完成 4 score 完成率\n"));
    assert!(after("adds up to 10").contains("  item 渠道 6 when 有渠道"));
    assert!(after("not-applicable").contains("  total 10\n  not_applicable rescale\n}"));
    // Each fixed text is free of the problem it fixed.
    let checked = |text: &str| {
        let compiled = zhibiao::check::compile(&zhibiao::source::SourceFile::new("fixed.zb", text));
        compiled
            .result
            .err()
            .unwrap_or_default()
            .iter()
            .map(|d| d.code)
            .collect::<Vec<_>>()
    };
    assert!(!checked(after("完成率")).contains(&"zhibiao::check::unknown_name"));
    assert!(!checked(after("adds up to 10")).contains(&"zhibiao::check::points_do_not_sum"));
    assert!(!checked(after("not-applicable")).contains(&"zhibiao::check::no_not_applicable_rule"));

    // Names that must be quoted: one holding `、`, one that is a keyword.
    let text =
        "policy \"引号\" {\n  total 10\n}\ninput 甲: percent\nitem 用户量、活跃度 10 score 甲\n";
    let found = fixes(&mut client, "quote", text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.contains("item \"用户量、活跃度\" 10 score 甲"),
        "{}",
        found[0].1
    );
    let text = "policy \"关键字\" {\n  total 10\n}\ninput 如果: percent\nitem 甲 10 score 1\n";
    let found = fixes(&mut client, "keyword", text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].1.contains("input \"如果\": percent"),
        "{}",
        found[0].1
    );
    client.stop();
}

/// Inside a test file the names are its policy's: hover, definition,
/// references and rename reach into `NAME.zb`.
#[test]
fn a_test_files_names_lead_to_its_policy() {
    let (scratch, mut client) = workspace("tests");
    let dir = scratch.path();
    let (policy, tests) = (dir.join("2023.zb"), dir.join("2023.test.zb"));
    let policy_text = std::fs::read_to_string(&policy).unwrap();
    let text = std::fs::read_to_string(&tests).unwrap();
    let (policy_uri, test_uri) = (uri(&policy), uri(&tests));
    client.open(&test_uri, &text);

    // An input in a cell: its declaration, its type in the hover.
    let cell = find(&text, "领导小组 = 是, ", "统筹机制");
    let definition = client.at("textDocument/definition", &test_uri, cell);
    assert_eq!(definition[0]["uri"], policy_uri, "{definition}");
    let declared = find(&policy_text, "input ", "统筹机制");
    assert_eq!(definition[0]["range"]["start"]["line"], declared.0);
    let hover = client.at("textDocument/hover", &test_uri, cell);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("bool"),
        "{hover}"
    );

    // A node expected by name and one by its row code.
    let node = find(&text, "预期 ", "统筹管理");
    let hover = client.at("textDocument/hover", &test_uri, node);
    assert!(
        hover["contents"]["value"].as_str().unwrap().contains("28"),
        "{hover}"
    );
    let code = find(&text, "预期 #", "8");
    let definition = client.at("textDocument/definition", &test_uri, code);
    assert_eq!(definition[0]["uri"], policy_uri, "{definition}");
    let row = find(&policy_text, "item #8 ", "");
    assert_eq!(definition[0]["range"]["start"]["line"], row.0);

    // References: in the tests and in the policy.
    let references = client.at("textDocument/references", &test_uri, cell);
    let uris: Vec<&str> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap())
        .collect();
    assert!(
        uris.contains(&policy_uri.as_str()) && uris.contains(&test_uri.as_str()),
        "{uris:?}"
    );

    // Rename from the tests: the policy's declaration and rule change too.
    let edit = client.result(
        "textDocument/rename",
        renaming(&test_uri, cell, "统筹工作机制"),
    );
    let renamed = apply(
        &policy_text,
        edit["changes"][&policy_uri].as_array().unwrap(),
    );
    assert!(renamed.contains("input 统筹工作机制: bool"), "{renamed}");
    assert!(renamed.contains("score 统筹工作机制\n"));
    // The item of the same name is another name.
    assert!(renamed.contains("item #4 统筹机制 2"));
    let renamed = apply(&text, edit["changes"][&test_uri].as_array().unwrap());
    assert_eq!(
        renamed.matches("统筹工作机制").count(),
        text.matches("统筹机制").count()
    );
    client.stop();
}
