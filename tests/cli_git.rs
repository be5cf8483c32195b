//! `zhibiao diff` as git's diff driver, in a scratch repository set up as
//! the README says: `git diff` and `git log -p --ext-diff` of policies,
//! renames, a side that does not compile, and an old version read with the
//! policy it extends as it was in its commit.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

#[path = "common/run.rs"]
mod run;

use run::{stderr, stdout, temp_dir};
use std::process::Command;

const POLICY: &str = "policies/heihe/2023.zb";

#[test]
fn git_diff_shows_the_domain_diff() {
    let dir = temp_dir("git");
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
        stdout(&o)
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "t@example.org"]);
    git(&["config", "user.name", "t"]);
    let driver = format!("{} diff", env!("CARGO_BIN_EXE_zhibiao"));
    git(&["config", "diff.zhibiao.command", &driver]);
    std::fs::write(dir.join(".gitattributes"), "*.zb diff=zhibiao\n").unwrap();
    std::fs::create_dir_all(dir.join("heihe")).unwrap();
    let copy = |from: &str, to: &str| std::fs::copy(from, dir.join(to)).unwrap();
    copy(POLICY, "heihe/2023.zb");
    git(&["add", "."]);
    git(&["commit", "-qm", "2023"]);
    // Next year's policy, first as a copy of 2023's, then changed.
    copy(POLICY, "heihe/2024.zb");
    git(&["add", "."]);
    git(&["commit", "-qm", "copy"]);
    let text = std::fs::read_to_string(POLICY).unwrap();
    // Item #N's points (the word after its name) become `points`.
    let set_points = |text: String, code: &str, points: &str| -> String {
        let lines: Vec<String> = text
            .lines()
            .map(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                if words.get(1) == Some(&code) {
                    let old = format!(" {} ", words[3]);
                    line.replacen(&old, &format!(" {points} "), 1)
                } else {
                    line.to_string()
                }
            })
            .collect();
        lines.join("\n") + "\n"
    };
    let text = text.replace("version \"2023\"", "version \"2024\"");
    let text = set_points(text, "#19", "3");
    let text = set_points(text, "#24", "0.5");
    let text = set_points(text, "#23", "2.5");
    std::fs::write(dir.join("heihe/2024.zb"), text).unwrap();
    let out = git(&["diff"]);
    assert!(out.contains("zhibiao diff heihe/2024.zb"), "{out}");
    assert!(out.contains("~ 项目建设/省建市用/身份认证"), "{out}");
    assert!(out.contains("points: 2 → 3"), "{out}");
    assert!(
        !out.contains("@@"),
        "a line diff instead of the domain diff: {out}"
    );
    git(&["commit", "-qam", "2024"]);
    let log = git(&["log", "-p", "-1", "--ext-diff"]);
    assert!(log.contains("points: 2 → 3"), "{log}");
    // A renamed and changed file: git passes nine arguments.
    let text = std::fs::read_to_string(dir.join("heihe/2024.zb")).unwrap();
    git(&["mv", "heihe/2024.zb", "heihe/2024-v1.zb"]);
    let text = set_points(set_points(text, "#19", "4"), "#23", "1.5");
    std::fs::write(dir.join("heihe/2024-v1.zb"), text).unwrap();
    git(&["commit", "-qam", "renamed"]);
    let log = git(&["log", "-p", "-1", "-M", "--ext-diff"]);
    assert!(
        log.contains("zhibiao diff heihe/2024.zb → heihe/2024-v1.zb"),
        "{log}"
    );
    assert!(log.contains("points: 3 → 4"), "{log}");
    // A side that does not compile: which one, and the change in lines.
    let broken = std::fs::read_to_string(dir.join("heihe/2024-v1.zb")).unwrap();
    let broken = broken.replace("version \"2024\"", "version \"2024\" oops");
    std::fs::write(dir.join("heihe/2024-v1.zb"), broken).unwrap();
    let out = git(&["diff"]);
    assert!(out.contains("the new version does not compile"), "{out}");
    assert!(
        out.contains("@@") && out.contains("+  version \"2024\" oops"),
        "{out}"
    );
    git(&["checkout", "-q", "--", "."]);
    // An old commit's version reads the policy it extends as it was in that
    // commit: here the parent renames the node the child changes, in the
    // same commit as the child follows it.
    let child = "policy \"黑河\" extends \"2023.zb\" {\n  version \"2025\"\n}\n\nchange 项目建设/省建市用/身份认证 3\nchange 项目建设/省建市用/电子印章 1\n";
    std::fs::write(dir.join("heihe/2025.zb"), child).unwrap();
    git(&["add", "."]);
    git(&["commit", "-qm", "2025"]);
    let parent = std::fs::read_to_string(dir.join("heihe/2023.zb")).unwrap();
    let parent = parent.replace("item #19 身份认证", "item #19 统一身份认证");
    std::fs::write(dir.join("heihe/2023.zb"), parent).unwrap();
    let child =
        child.replace("身份认证 3", "统一身份认证 4") + "change 项目建设/省建市用/电子证照 1\n";
    std::fs::write(dir.join("heihe/2025.zb"), child).unwrap();
    git(&["commit", "-qam", "renamed in both"]);
    let log = git(&["log", "-p", "-1", "--ext-diff", "--", "heihe/2025.zb"]);
    assert!(!log.contains("does not compile"), "{log}");
    assert!(log.contains("points: 3 → 4"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}
