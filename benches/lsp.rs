//! How soon an author sees diagnostics: the language server (the release
//! binary, over stdio, as an editor starts it) is sent edits of the 黑河 2023
//! policy, and the time from sending each `didChange` to receiving its
//! `publishDiagnostics` is measured. Baselines in the same run: the checker
//! alone (`check::compile`) and the server's whole analysis of an edit
//! (`lsp::Analysis::new`), both in process.
//!
//!     cargo bench --bench lsp              # 200 edits
//!     cargo bench --bench lsp -- 1000      # more
//!
//! Edits alternate between a typo in a rule (one error) and its fix (none),
//! so every other answer carries diagnostics; each answer is checked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../tests/common/rpc.rs"]
mod rpc;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use zhibiao::source::SourceFile;

const POLICY: &str = "policies/heihe/2023.zb";

fn main() {
    let edits: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let text = std::fs::read_to_string(POLICY).unwrap();
    let broken = text.replacen("score 年度计划", "score 年度计化", 1);
    let path = std::fs::canonicalize(POLICY).unwrap();
    let uri = zhibiao::lsp::uri::from_path(&path).unwrap();

    let check = times(edits, |i| {
        let text = if i % 2 == 0 { &broken } else { &text };
        let compiled = zhibiao::check::compile(&SourceFile::new(&path, text.as_str()));
        assert_eq!(compiled.result.is_err(), i % 2 == 0);
    });
    let analysis = times(edits, |i| {
        let text = if i % 2 == 0 { &broken } else { &text };
        let a =
            zhibiao::lsp::Analysis::new(uri.clone(), text.clone(), &mut zhibiao::derive::read_file);
        assert_eq!(a.lsp_diagnostics().is_empty(), i % 2 == 1);
    });

    let mut server = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = server.stdin.take().unwrap();
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let mut send = |message: Value| rpc::write(&mut stdin, &message);
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    receive(&mut stdout);
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let doc = json!({"uri": uri.as_str(), "languageId": "zhibiao", "version": 0, "text": text});
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": doc}}),
    );
    receive(&mut stdout);
    let round_trip = times(edits, |i| {
        let new = if i % 2 == 0 { &broken } else { &text };
        send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri.as_str(), "version": i + 1},
            "contentChanges": [{"text": new}]}}),
        );
        let published = receive(&mut stdout);
        let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
        assert_eq!(diagnostics.is_empty(), i % 2 == 1);
    });
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    receive(&mut stdout);
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    server.wait().unwrap();

    println!("{edits} edits of {POLICY} ({} bytes):\n", text.len());
    println!("| step | median ms | p95 ms | max ms |");
    println!("|---|---:|---:|---:|");
    row("check::compile (baseline)", check);
    row("lsp::Analysis::new", analysis);
    row("didChange → publishDiagnostics over stdio", round_trip);
}

/// Each step's times, sorted, after a few untimed runs (the first step
/// would otherwise pay for cold caches).
fn times(n: usize, mut f: impl FnMut(usize)) -> Vec<Duration> {
    (0..10).for_each(&mut f);
    let mut all: Vec<Duration> = (0..n)
        .map(|i| {
            let start = Instant::now();
            f(i);
            start.elapsed()
        })
        .collect();
    all.sort();
    all
}

fn row(step: &str, sorted: Vec<Duration>) {
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    println!(
        "| {step} | {:.2} | {:.2} | {:.2} |",
        at(0.5),
        at(0.95),
        at(1.0)
    );
}

fn receive(stdout: &mut impl BufRead) -> Value {
    rpc::read(stdout).expect("the server answers")
}
