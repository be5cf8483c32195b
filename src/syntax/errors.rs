//! Turns a pest error into a diagnostic that says what was expected in the
//! language's own words (`a name`, `` `{` ``, `a rule: score or points`).

use super::grammar::Rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use pest::error::{Error, ErrorVariant, InputLocation};

pub const SYNTAX: &str = "zhibiao::syntax::unexpected";
pub const TOO_MANY: &str = "zhibiao::syntax::too_many_errors";

/// Reading stopped after `most` syntax errors.
pub fn too_many(at: Span, most: usize) -> Diagnostic {
    Diagnostic::error(
        TOO_MANY,
        format!("{most} syntax errors: the rest of the file was not read"),
    )
    .label(at, "reading stopped here")
    .help("fix the errors above (the first often causes the others), then check again")
}

pub fn from_pest(error: &Error<Rule>, text: &str, offset: usize) -> Diagnostic {
    let pos = offset
        + match error.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
    let found = found_token(text, pos);
    if let ErrorVariant::CustomError { message } = &error.variant
        && message.contains("stack limit")
    {
        // The parser ran out of stack (nesting the lexical count missed).
        let at = Span::new(pos, pos + found.len());
        return super::depth::too_deep(at, "this declaration");
    }
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => expected_list(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let (label, span) = if found.is_empty() {
        ("the file ends here".to_string(), Span::new(pos, pos))
    } else {
        (
            format!("found `{found}`"),
            Span::new(pos, pos + found.len()),
        )
    };
    if found.starts_with(['"', '“']) && !closed_on_its_line(text, pos) {
        return Diagnostic::error(SYNTAX, "a string that is not closed")
            .label(Span::new(pos, pos + found.len()), "opens here")
            .help("a string ends on its line: close it with `\"` (`”` after `“`)");
    }
    let help = match super::keywords::english(found) {
        Some(en) if expected.contains("a name") => {
            format!("`{found}` is a keyword (`{en}`); to use it as a name, quote it: \"{found}\"")
        }
        _ if found.starts_with(['、', '，', '；', '（', '）']) => {
            let word = name_around(text, pos);
            format!(
                "a name cannot hold `{}` unquoted; to use it in a name, quote the name: \"{word}\" (names in a list are separated by `,`)",
                found.chars().next().unwrap_or('、')
            )
        }
        _ => help_for(&expected),
    };
    Diagnostic::error(SYNTAX, format!("expected {expected}"))
        .label(span, label)
        .help(help)
}

/// Whether the quote at `pos` has its closing quote on the same line.
fn closed_on_its_line(text: &str, pos: usize) -> bool {
    let rest = text.get(pos..).unwrap_or("");
    let mut chars = rest.chars();
    let close = match chars.next() {
        Some('“') => '”',
        _ => '"',
    };
    let line = chars.as_str().split('\n').next().unwrap_or("");
    line.contains(close)
}

/// The run of name characters and `、` around `pos` (`甲、乙`), for a hint.
fn name_around(text: &str, pos: usize) -> &str {
    let part = |c: char| is_word(c) || matches!(c, '、' | '，' | '；' | '（' | '）');
    let before = text.get(..pos).unwrap_or("");
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| part(*c))
        .last()
        .map_or(pos, |(i, _)| i);
    let after = text.get(pos..).unwrap_or("");
    let end = pos + after.find(|c: char| !part(c)).unwrap_or(after.len());
    text.get(start..end).unwrap_or("")
}

/// The token at `pos`: up to the next whitespace or punctuation boundary.
fn found_token(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return "";
    };
    if !is_word(first) {
        return &rest[..first.len_utf8()];
    }
    let end = chars
        .find(|(_, c)| !is_word(*c))
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.' || c == '%'
}

fn expected_list(rules: &[Rule]) -> String {
    let mut words: Vec<&str> = Vec::new();
    let declaration = rules.iter().filter(|r| is_declaration(**r)).count() > 2;
    if declaration {
        words.push("a declaration (`policy`, `input`, `let`, `category`, `indicator`, `item`, `bonus`, `deduction`, `veto`, `grades`, or a change: `change`, `remove`, `add`, `rename`, `move`)");
    }
    let operand = rules
        .iter()
        .any(|r| is_operand(*r) && !matches!(r, Rule::name | Rule::word));
    if operand {
        words.push("an operand (a name, a number, `(`, `if`, `match`, `bands` or `in_turn`)");
    }
    for r in rules {
        if (declaration && is_declaration(*r)) || (operand && is_operand(*r)) {
            continue;
        }
        let word = describe(*r);
        if !words.contains(&word) {
            words.push(word);
        }
    }
    match words.as_slice() {
        [] => "something else".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn is_operand(r: Rule) -> bool {
    use Rule::*;
    matches!(
        r,
        number
            | percent
            | name
            | word
            | call
            | lparen
            | kw_if
            | kw_match
            | kw_bands
            | if_expr
            | match_expr
            | bands_expr
            | neg
            | not
            | boolean
            | base
            | kw_base
            | todo
            | kw_todo
            | kw_true
            | kw_false
            | kw_not
    )
}

fn is_declaration(r: Rule) -> bool {
    matches!(
        r,
        Rule::header
            | Rule::input
            | Rule::let_decl
            | Rule::group
            | Rule::item
            | Rule::bonus
            | Rule::deduction
            | Rule::veto
            | Rule::grades
            | Rule::kw_policy
            | Rule::kw_input
            | Rule::kw_let
            | Rule::kw_category
            | Rule::kw_indicator
            | Rule::kw_item
            | Rule::kw_bonus
            | Rule::kw_deduction
            | Rule::kw_veto
            | Rule::kw_grades
            | Rule::group_kw
            | Rule::change_node
            | Rule::remove_node
            | Rule::add_nodes
            | Rule::rename_node
            | Rule::move_node
            | Rule::kw_change
            | Rule::kw_remove
            | Rule::kw_add
            | Rule::kw_rename
            | Rule::kw_move
    )
}

fn describe(r: Rule) -> &'static str {
    use Rule::*;
    match r {
        name | bare_name | quoted_name | word | label => "a name",
        string => "a quoted text",
        number | signed_number => "a number",
        percent | signed_percent => "a percentage",
        size => "points (a number) or a weight (a percentage)",
        code => {
            "a row code: `#` and letters, digits, `.`, `-`, `_`, `、` or brackets (`#12`, `#A.1.2`, `#（一）`, `#二.4`)"
        }
        expr => "an expression",
        scoring => "a rule: `score` (得分率) or `points` (得分)",
        kw_score | kw_points => "a rule: `score` (得分率) or `points` (得分)",
        input_type => "a type (bool, number, count, percent, ratio, text, set, or choices `A | B`)",
        choices => "choices separated by `|`",
        interval => "an interval like `[60, 80)`",
        lower_bracket => "`[` or `(`",
        upper_bracket => "`]` or `)`",
        bound => "a bound (a number or `..`)",
        na_rule => "a not-applicable rule (rescale, redistribute, full_marks, zero, exclude)",
        missing_rule => "a missing-data rule (error or zero)",
        rounding => "a rounding mode (half_up 四舍五入, half_even 四舍六入五成双)",
        veto_action => "a veto action (fail, not_scored, points N, max_grade G)",
        lint_name => "a lint name",
        group_kw => "`category` or `indicator`",
        arm => "a match arm like `全部 => 1`",
        pattern => "a choice value or `_`",
        band => "a band like `[0.9, ..] => 1`",
        grade => "a grade like `优秀 [90, ..]`",
        kind => "a kind of unit",
        node_ref | path => "a node: its code (`#1.2`) or its path (`项目建设/身份认证`)",
        extends => "`extends` and the path of the policy it extends",
        EOI => "the end of the file",
        colon => "`:`",
        comma => "`,`",
        lbrace => "`{`",
        rbrace => "`}`",
        lparen => "`(`",
        rparen => "`)`",
        arrow => "`=>`",
        bar => "`|`",
        assign => "`=`",
        dots | open_bound => "`..`",
        wildcard => "`_`",
        eq | ne | le | ge | lt | gt | add | sub | mul | div | or | and | contains => "an operator",
        neg | not => "an operand",
        call | if_expr | match_expr | bands_expr | boolean | base | todo => "an operand",
        _ => keyword_word(r),
    }
}

fn keyword_word(r: Rule) -> &'static str {
    use Rule::*;
    match r {
        kw_version => "`version`",
        kw_total => "`total`",
        kw_precision => "`precision`",
        kw_levels => "`levels`",
        kw_kinds => "`kinds`",
        kw_na => "`not_applicable`",
        kw_missing => "`missing`",
        kw_allow => "`allow`",
        kw_rank => "`rank`",
        kw_for => "`for`",
        kw_when => "`when`",
        kw_fail_below => "`fail_below`",
        kw_unit => "`unit`",
        kw_cap => "`cap`",
        kw_only_if => "`only_if`",
        kw_if => "`if`",
        kw_then => "`then`",
        kw_else => "`else`",
        kw_per_item => "`per_item`",
        kw_competition => "`competition`",
        kw_item => "`item`",
        kw_extends => "`extends`",
        kw_to => "`to`",
        kw_as => "`as`",
        kw_within => "`within`",
        kw_aggregate => "`aggregate`",
        kw_by_kind => "`by_kind`",
        kw_side_total => "`side_total`",
        kw_target => "`target`",
        kw_minus => "`minus`",
        kw_weights => "`weights`",
        kw_from => "`from`",
        _ => "a keyword",
    }
}

fn help_for(expected: &str) -> String {
    if expected.starts_with("an operand") {
        "an operator must be followed by a value, e.g. `完成数 / 目标数`".into()
    } else if expected.contains("declaration") {
        "a policy file is a list of declarations; each starts with a keyword in English or Chinese (see the alias table in the README)".into()
    } else if expected.contains("a name") {
        "names are written as they are (规划设计) or in quotes when they hold punctuation (\"用户量、活跃度\")".into()
    } else if expected.contains("`:`") {
        "an input is declared as `input 名称: 类型`, e.g. `input 年度计划: bool`".into()
    } else if expected.contains("a rule") {
        "every item ends with its rule, e.g. `score 年度计划` or `points 1 - 0.25 * 故障次数`"
            .into()
    } else {
        "see the language reference in the README for the form of this construct".into()
    }
}
