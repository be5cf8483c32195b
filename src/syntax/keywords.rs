//! The keyword alias table: every keyword's English and Chinese spelling.
//! The grammar (`grammar/zhibiao.pest`) spells the same pairs; a test keeps
//! the two in step, and the README prints this table.

/// (English, Chinese, what it introduces)
pub const KEYWORDS: &[(&str, &str, &str)] = &[
    ("policy", "指标体系", "the policy header"),
    ("version", "版本", "header: version"),
    ("total", "满分", "header: full marks of the tree"),
    ("precision", "精度", "header: decimal places and rounding"),
    ("half_up", "四舍五入", "rounding: half away from zero"),
    (
        "half_even",
        "四舍六入五成双",
        "rounding: half to even (GB/T 8170)",
    ),
    ("per_item", "逐项", "rounding: also round each item"),
    ("levels", "层级", "header: names of the tree's levels"),
    ("kinds", "单位类型", "header: kinds of unit"),
    (
        "not_applicable",
        "不适用",
        "what happens to a not-applicable node",
    ),
    ("rescale", "折算", "N/A: rescale to full points"),
    ("redistribute", "分配", "N/A: give the points to siblings"),
    ("even", "平均", "redistribute evenly"),
    ("proportional", "按比例", "redistribute in proportion"),
    ("full_marks", "得满分", "N/A: full marks"),
    ("zero", "计零", "N/A or missing: zero"),
    ("exclude", "不计", "N/A: leave out, lower maximum"),
    ("missing", "缺失", "what a blank cell means"),
    ("error", "报错", "missing: an error"),
    (
        "mean",
        "均值",
        "missing: the mean of the units that have a value",
    ),
    (
        "reweight",
        "重新加权",
        "missing: leave the item out, its points to its siblings",
    ),
    (
        "at_least",
        "至少",
        "reweight: the share of a group's points that must have data",
    ),
    ("allow", "忽略", "header: silence lints"),
    ("rank", "排名", "header: ranking method"),
    (
        "sources",
        "数据来源",
        "header: the sources of the data, one file each",
    ),
    (
        "from",
        "来自",
        "input: the source(s) it comes from, with weights",
    ),
    ("column", "数据列", "input: the data column it is read from"),
    (
        "per",
        "每",
        "input: divided by another input (the column holds the numerator)",
    ),
    ("competition", "竞争排名", "ranking 1224"),
    ("dense", "密集排名", "ranking 1223"),
    ("ordinal", "顺序排名", "ranking 1234, ties in data order"),
    (
        "exact",
        "按精确分",
        "rank on the exact score, not the rounded one",
    ),
    (
        "compare",
        "比较",
        "header: gates, fail lines and grades compare exact or rounded values",
    ),
    (
        "rounded",
        "按舍入值",
        "compare: the values rounded at the policy's precision",
    ),
    ("input", "数据项", "an input collected from every unit"),
    ("bool", "是否", "input type: yes/no"),
    ("number", "数值", "input type: a number"),
    ("count", "计数", "input type: a whole number ≥ 0"),
    ("percent", "百分比", "input type: a percentage (85 or 85%)"),
    ("ratio", "比率", "input type: a ratio in [0, 1]"),
    ("text", "文本", "input type: free text"),
    ("set", "多选", "input type: a set of choices"),
    ("unit", "单位", "input: unit of measure"),
    ("let", "令", "a derived value"),
    ("category", "类别", "a group node of the tree"),
    (
        "weights",
        "权重",
        "group: its children's weights are equal or relative",
    ),
    ("equal", "相等", "weights: every child the same share"),
    (
        "relative",
        "相对",
        "weights: the children's points normalised to the group's",
    ),
    (
        "minus",
        "扣减",
        "group: points taken from the whole group, at least 0 left",
    ),
    (
        "target",
        "目标值",
        "node: its target value, read as `target` in its rule",
    ),
    (
        "side_total",
        "不计入总分",
        "node: scored and shown, but not counted in its parent",
    ),
    (
        "by_kind",
        "按类型",
        "group: each kind of unit has its own rows, adding up to the group's points",
    ),
    ("indicator", "指标", "a group node of the tree"),
    ("item", "评分项", "a scored row of the table"),
    ("for", "适用", "applicability by kind of unit (关联单位)"),
    ("when", "按需", "eligibility by data (按需)"),
    ("score", "得分率", "rule yielding a rate of the points"),
    ("points", "得分", "rule yielding points"),
    ("fail_below", "不合格线", "fail threshold on a node"),
    ("bonus", "加分", "a bonus part"),
    ("deduction", "扣分", "a deduction part"),
    ("cap", "上限", "cap of a part"),
    (
        "uncapped",
        "不封顶",
        "a bonus or deduction item with no maximum",
    ),
    ("only_if", "仅当", "gate of a bonus part"),
    ("base", "基础分", "the unit's base score (in a gate)"),
    ("veto", "否决", "a veto"),
    ("fail", "一票否决", "veto action: the unit fails"),
    (
        "not_scored",
        "不予评分",
        "veto action: the unit is not scored, ranked or compared",
    ),
    (
        "max_grade",
        "最高等级",
        "veto action: cap the grade (一票否优)",
    ),
    ("grades", "等级", "grade bands"),
    (
        "at_most",
        "至多",
        "grade quota: at most this share of units",
    ),
    ("tiers", "梯队", "tiers by rank"),
    ("funding", "经费", "funding shared out by the evaluation"),
    (
        "share",
        "比例",
        "the input funding is shared in proportion to",
    ),
    (
        "uncertainty",
        "不确定性",
        "the method's uncertain choices, for `zhibiao sensitivity`",
    ),
    ("samples", "样本数", "uncertainty: how many base samples"),
    ("seed", "随机种子", "uncertainty: the seed of the draws"),
    (
        "dirichlet",
        "狄利克雷",
        "uncertainty: weights drawn from a Dirichlet around the stated ones",
    ),
    (
        "leave_out",
        "剔除",
        "uncertainty: one of these nodes left out, or none",
    ),
    (
        "normalise",
        "归一化",
        "uncertainty: what every minmax() and percentile() of the policy is, one of these",
    ),
    ("top", "前", "tier: the top share of units"),
    (
        "in_turn",
        "依次",
        "the list's values in turn for 1, 2, 3 ... (`in_turn rank(x) { 60, 57, rest => 40 }`)",
    ),
    ("rest", "其余", "tier: the remaining units"),
    ("match", "对照", "choice mapping"),
    ("bands", "分档", "bands with explicit bounds"),
    ("if", "如果", "condition"),
    ("then", "则", "condition"),
    ("else", "否则", "condition"),
    ("and", "且", "logic"),
    ("or", "或", "logic"),
    ("not", "非", "logic"),
    ("contains", "包含", "set membership"),
    ("true", "是", "yes"),
    ("false", "否", "no"),
    ("todo", "待定", "a rule or condition still to be written"),
    ("extends", "继承", "header: the policy this one changes"),
    (
        "change",
        "修改",
        "change a node's points, text, clauses or rule",
    ),
    ("remove", "删除", "remove a node, part or veto"),
    ("add", "新增", "add nodes under a parent"),
    ("to", "到", "add / move: the new parent"),
    ("rename", "重命名", "rename a node"),
    ("as", "为", "rename: the new name"),
    ("move", "移动", "move a node under another parent"),
    ("within", "组内", "the peer group of a peer statistic"),
    ("kind", "同类", "within: units of the same kind"),
    ("aggregate", "聚合", "how a group combines its children"),
    (
        "arithmetic",
        "算术平均",
        "aggregate: weighted arithmetic mean (points add up)",
    ),
    (
        "geometric",
        "几何平均",
        "aggregate: weighted geometric mean",
    ),
    ("harmonic", "调和平均", "aggregate: weighted harmonic mean"),
    (
        "power",
        "幂平均",
        "aggregate: weighted power mean of order p",
    ),
    (
        "test",
        "测试",
        "a test: one unit's cells and the values expected",
    ),
    (
        "script",
        "脚本",
        "functions in rhai for what the language cannot state: `script { fn f(x) { ... } }` or `script \"f.rhai\"`",
    ),
    ("given", "数据", "test: the unit's cells"),
    (
        "expect",
        "预期",
        "test: an expected value, veto or not-applicable node",
    ),
    ("score", "总分", "test: the unit's final score"),
    ("grade", "等级", "test: the unit's grade"),
    ("tier", "梯队", "test: the unit's tier"),
];

/// Built-in functions: (English, Chinese, signature and meaning).
pub const FUNCTIONS: &[(&str, &str, &str)] = &[
    (
        "skewness",
        "偏度",
        "skewness(x): the skewness of x over the peer group (population moments)",
    ),
    (
        "kurtosis",
        "峰度",
        "kurtosis(x): the excess kurtosis of x over the peer group (population moments)",
    ),
    (
        "sqrt",
        "平方根",
        "sqrt(x): the square root (irrational results to 12 places)",
    ),
    ("pow", "幂", "pow(x, p): x to the power p"),
    ("ln", "自然对数", "ln(x): the natural logarithm of x > 0"),
    (
        "log10",
        "常用对数",
        "log10(x): the logarithm to base 10 of x > 0",
    ),
    ("exp", "指数函数", "exp(x): e to the power x"),
    (
        "is_blank",
        "为空",
        "is_blank(x): whether the unit's cell for input x is blank (also where a missing rule filled it)",
    ),
    ("min", "最小", "min(a, b, ...): the smallest"),
    ("max", "最大", "max(a, b, ...): the largest"),
    ("clamp", "限定", "clamp(x, lo, hi): x limited to [lo, hi]"),
    ("abs", "绝对值", "abs(x)"),
    ("floor", "向下取整", "floor(x)"),
    ("ceil", "向上取整", "ceil(x)"),
    ("count", "个数", "count(set): how many members are chosen"),
    (
        "ratio",
        "比值",
        "ratio(actual, target): actual / target, at most 1 (higher is better)",
    ),
    (
        "ratio_lower",
        "反比值",
        "ratio_lower(actual, target): target / actual, at most 1 (lower is better)",
    ),
    (
        "below",
        "低于",
        "below(x, threshold): how far x is below threshold, else 0",
    ),
    (
        "above",
        "高于",
        "above(x, threshold): how far x is above threshold, else 0",
    ),
    (
        "mean",
        "平均值",
        "mean(x): the average of x over the peer group",
    ),
    (
        "median",
        "中位数",
        "median(x): the median of x over the peer group",
    ),
    (
        "lowest",
        "最低值",
        "lowest(x): the lowest x in the peer group; lowest(x, k): the k-th lowest",
    ),
    (
        "highest",
        "最高值",
        "highest(x): the highest x in the peer group (the leader); highest(x, k): the k-th highest",
    ),
    (
        "rank",
        "名次",
        "rank(x): 1 for the highest x in the peer group; ties share the best rank (1224)",
    ),
    (
        "percentile",
        "百分位",
        "percentile(x): the share of the other units of the group this unit is above (ties count half): 1 for the best, 0 for the worst; percentile(x, p): the value below which the share p of the group lies (p from 0 to 1, interpolated linearly)",
    ),
    (
        "minmax",
        "极差标准化",
        "minmax(x): (x − lowest) / (highest − lowest) in the peer group; 1 when all are equal",
    ),
    (
        "minmax_lower",
        "逆向极差标准化",
        "minmax_lower(x): (highest − x) / (highest − lowest), lower is better; 1 when all are equal",
    ),
    (
        "zscore",
        "标准分",
        "zscore(x): (x − mean) / standard deviation (of the population) in the peer group; 0 when all are equal",
    ),
    (
        "data_share",
        "数据完整率",
        "data_share(): the share of the inputs the unit needs that have a cell of their own (not blank, not filled by a `missing` rule); screening: `veto 数据不足 if data_share() < 90% => not_scored`",
    ),
    (
        "treat",
        "异常值处理",
        "treat(x, n): x with the group's outliers treated as composite indices do: while |skewness| > 2 and kurtosis > 3.5, winsorise one value at a time from the skewed side, at most n (5 if not given); if still outside, ln-transform instead",
    ),
    (
        "group_size",
        "组内单位数",
        "group_size(x): how many units of the peer group have a value of x",
    ),
    (
        "previous",
        "上期",
        "previous(x): x for the same unit in the previous period",
    ),
    (
        "previous_score",
        "上期得分",
        "previous_score(): the unit's final score in the previous period",
    ),
    (
        "previous_rank",
        "上期排名",
        "previous_rank(): the unit's rank in the previous period",
    ),
    (
        "has_previous",
        "有上期",
        "has_previous(): whether the unit was evaluated in the previous period",
    ),
    (
        "node_score",
        "节点得分",
        "node_score(NODE): the unit's score of a node (its path), as it is or in a peer statistic: mean(node_score(统筹管理))",
    ),
];

/// Words that cannot be bare names (they can stand where an expression reads
/// a name); quote them to use them as names. Every other keyword is known by
/// its place.
pub const RESERVED: &[&str] = &[
    "if", "then", "else", "and", "or", "not", "contains", "true", "false", "match", "bands",
    "base", "todo",
];

/// A function's English name, from either spelling.
pub fn function_english(word: &str) -> Option<&'static str> {
    FUNCTIONS
        .iter()
        .find(|(en, zh, _)| *en == word || *zh == word)
        .map(|(en, _, _)| *en)
}

/// The English spelling of a keyword written in either language.
pub fn english(word: &str) -> Option<&'static str> {
    KEYWORDS
        .iter()
        .find(|(en, zh, _)| *en == word || *zh == word)
        .map(|(en, _, _)| *en)
}

/// The words that begin a top-level declaration (where the parser resumes
/// after an error, and where no expression is still open).
pub const DECLARATIONS: &[&str] = &[
    "policy",
    "指标体系",
    "input",
    "数据项",
    "let",
    "令",
    "category",
    "类别",
    "indicator",
    "指标",
    "item",
    "评分项",
    "bonus",
    "加分",
    "deduction",
    "扣分",
    "veto",
    "否决",
    "grades",
    "等级",
    "tiers",
    "梯队",
    "funding",
    "经费",
    "uncertainty",
    "不确定性",
    "change",
    "修改",
    "remove",
    "删除",
    "add",
    "新增",
    "rename",
    "重命名",
    "move",
    "移动",
    "test",
    "测试",
    "script",
    "脚本",
];
