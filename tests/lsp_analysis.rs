//! The language server's analysis of one document, asked directly (no
//! client): completion where the cursor is, hover. (A whole session with a
//! client: `lsp.rs`.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

const HEIHE: &str = "policies/heihe/2023.zb";

#[test]
fn completion_follows_the_cursor() {
    let text = std::fs::read_to_string(HEIHE).unwrap();
    let path = std::fs::canonicalize(HEIHE).unwrap();
    let labels = |tail: &str| -> Vec<String> {
        let doc = format!("{text}\n{tail}");
        let uri = zhibiao::lsp::uri::from_path(&path).unwrap();
        let analysis =
            zhibiao::lsp::Analysis::new(uri, doc.clone(), &mut zhibiao::derive::read_file);
        analysis
            .complete(doc.len())
            .into_iter()
            .map(|i| i.label)
            .collect()
    };
    // Inside a `match` on a choice input: its choices.
    let inside = labels("category 新 1 { item 新项 1 score match 培训考评 { 培");
    for choice in ["培训并考评", "仅培训", "未开展"] {
        assert!(inside.iter().any(|l| l == choice), "{choice} in {inside:?}");
    }
    // After `for`: the kinds; after `max_grade`: the grades.
    assert_eq!(labels("category 新 1 for "), ["县区", "部门"]);
    let grades = labels("veto 新 if 数据造假 => max_grade ");
    assert_eq!(grades, ["优秀", "良好", "合格", "不合格"]);
    // After `:` in an input: the types, in both languages.
    let types = labels("input 新: ");
    assert!(types.iter().any(|l| l == "percent") && types.iter().any(|l| l == "百分比"));
    // After `score` (and after an operator): what an expression names —
    // inputs, derived values, functions, expression keywords — and no
    // declaration or node keyword.
    for tail in [
        "category 新 1 { item 新项 1 score ",
        "category 新 1 { item 新项 1 points 1 + ",
    ] {
        let expression = labels(tail);
        for word in [
            "年度计划",
            "比值",
            "领域覆盖率",
            "mean",
            "if",
            "如果",
            "match",
        ] {
            assert!(
                expression.iter().any(|l| l == word),
                "{word} after `{tail}`"
            );
        }
        for word in ["item", "评分项", "category", "grades", "version"] {
            assert!(
                !expression.iter().any(|l| l == word),
                "{word} after `{tail}`"
            );
        }
    }
    // After a node's points: its rule and clauses only.
    let rule = labels("category 新 1 { item 新项 1 ");
    for word in ["score", "得分率", "points", "for", "when"] {
        assert!(rule.iter().any(|l| l == word), "{word} in {rule:?}");
    }
    assert!(
        !rule.iter().any(|l| l == "item" || l == "年度计划"),
        "{rule:?}"
    );
    // At the start of a line in a category: node keywords; in the header:
    // settings.
    let node = labels("category 新 1 {\n  ");
    assert!(node.iter().any(|l| l == "item") && node.iter().any(|l| l == "评分项"));
    assert!(
        !node
            .iter()
            .any(|l| l == "grades" || l == "version" || l == "年度计划"),
        "{node:?}"
    );
    let setting = labels("policy 新 {\n  ");
    assert!(setting.iter().any(|l| l == "precision") && setting.iter().any(|l| l == "版本"));
    assert!(
        !setting.iter().any(|l| l == "item" || l == "年度计划"),
        "{setting:?}"
    );
    // Elsewhere (a new declaration): every keyword, inputs and functions.
    let anywhere = labels("");
    for word in ["item", "评分项", "grades", "年度计划", "ratio", "比值"] {
        assert!(anywhere.iter().any(|l| l == word), "{word}");
    }
}

#[test]
fn hover_explains_keywords_and_functions() {
    let text = "类别 统筹 10 {\n  评分项 计划 10 得分率 比值(1, 2)\n}\n";
    let uri = zhibiao::lsp::uri::from_path(Path::new("/nowhere/p.zb")).unwrap();
    let analysis =
        zhibiao::lsp::Analysis::new(uri, text.to_string(), &mut zhibiao::derive::read_file);
    let at = |word: &str| {
        analysis
            .hover(text.find(word).unwrap() + 1)
            .unwrap_or_default()
    };
    assert!(at("评分项").contains("keyword `item` · `评分项`: a scored row of the table"));
    assert!(at("比值").contains("function `ratio` · `比值`"));
    // A node of a file without a header still gets its hover.
    assert!(at("计划").contains("10 points"), "{}", at("计划"));
    // So does its row code.
    let text = "类别 统筹 10 {\n  评分项 #19 计划 10 得分率 1\n}\n";
    let uri = zhibiao::lsp::uri::from_path(Path::new("/nowhere/q.zb")).unwrap();
    let analysis =
        zhibiao::lsp::Analysis::new(uri, text.to_string(), &mut zhibiao::derive::read_file);
    let code = analysis
        .hover(text.find("#19").unwrap() + 1)
        .unwrap_or_default();
    assert!(
        code.contains("计划") && code.contains("10 points"),
        "{code}"
    );
}

/// Inside a call: the function's parameters, in the spelling written, the
/// one being typed marked; nothing outside a call.
#[test]
fn signature_help_inside_a_call() {
    let text = "input 完成率: percent\n类别 统筹 10 {\n  评分项 计划 10 得分率 percentile(完成率, 0.5) + 平均值(完成率)\n}\n";
    let uri = zhibiao::lsp::uri::from_path(Path::new("/nowhere/p.zb")).unwrap();
    let analysis =
        zhibiao::lsp::Analysis::new(uri, text.to_string(), &mut zhibiao::derive::read_file);
    let at = |after: &str| text.find(after).unwrap() + after.len();
    // Both forms of `percentile`; at the second argument, the form with two.
    let help = analysis.signature(at("percentile(完成率, ")).unwrap();
    let labels: Vec<&str> = help.signatures.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["percentile(x)", "percentile(x, p)"]);
    assert_eq!(
        (help.active_signature, help.active_parameter),
        (Some(1), Some(1))
    );
    let help = analysis.signature(at("平均值(")).unwrap();
    assert_eq!(help.signatures[0].label, "平均值(x)");
    assert_eq!(help.active_parameter, Some(0));
    assert!(analysis.signature(at("得分率 ")).is_none());
}
