; zhibiao highlights, with the capture names that nvim-treesitter and the
; tree-sitter CLI use. No two patterns capture the same node, so the result
; does not depend on whether an editor lets the first or the last match win.
;
; Keywords are highlighted only where the grammar reads them as keywords:
; `类别` in `levels 类别, 指标` is a level's name. tests/tree_sitter.rs
; checks that every keyword and built-in function of src/syntax/keywords.rs
; is listed here.

(comment) @comment @spell

(string) @string

[(number) (percent) (fraction) (open_bound)] @number

(code) @label

; ── Keywords ──────────────────────────────────────────────────────────────

[
  "policy" "指标体系" "tiers" "梯队" "funding" "经费" "input" "数据项" "let" "令"
  "category" "类别" "indicator" "指标" "item" "评分项" "bonus" "加分" "deduction" "扣分"
  "veto" "否决" "grades" "等级" "extends" "继承" "change" "修改" "remove" "删除" "add"
  "新增" "rename" "重命名" "move" "移动" "test" "测试" "script" "脚本" "uncertainty"
  "不确定性"
] @keyword

[
  "for" "适用" "when" "按需" "match" "对照" "bands" "分档" "if" "如果" "then" "则"
  "else" "否则"
] @keyword.conditional

[
  "and" "且" "or" "或" "not" "非" "contains" "包含"
] @keyword.operator

[
  "true" "是" "false" "否"
] @boolean

[
  "bool" "是否" "number" "数值" "count" "计数" "percent" "百分比" "ratio" "比率" "text"
  "文本" "set" "多选"
] @type.builtin

[
  "version" "版本" "total" "满分" "precision" "精度" "half_up" "四舍五入" "half_even"
  "四舍六入五成双" "per_item" "逐项" "levels" "层级" "kinds" "单位类型" "not_applicable"
  "不适用" "rescale" "折算" "redistribute" "分配" "even" "平均" "proportional" "按比例"
  "full_marks" "得满分" "zero" "计零" "exclude" "不计" "missing" "缺失" "error" "报错"
  "mean" "均值" "reweight" "重新加权" "sources" "数据来源" "from" "来自" "column" "数据列"
  "per" "每" "todo" "待定" "allow" "忽略" "rank" "排名" "competition" "竞争排名" "dense"
  "密集排名" "ordinal" "顺序排名" "exact" "按精确分" "compare" "比较" "rounded" "按舍入值"
  "at_most" "至多" "at_least" "至少" "share" "比例" "tier" "top" "前" "rest" "其余"
  "unit" "单位" "score" "得分率" "points" "得分" "fail_below" "不合格线" "cap" "上限"
  "uncapped" "不封顶" "only_if" "仅当" "base" "基础分" "fail" "一票否决" "not_scored"
  "不予评分" "max_grade" "最高等级" "in_turn" "依次" "to" "到" "as" "为" "within" "组内"
  "by_kind" "按类型" "side_total" "不计入总分" "target" "目标值" "minus" "扣减" "weights"
  "权重" "equal" "相等" "relative" "相对" "aggregate" "聚合" "arithmetic" "算术平均"
  "geometric" "几何平均" "harmonic" "调和平均" "power" "幂平均" "kind" "同类" "given" "数据"
  "expect" "预期" "总分" "grade" "samples" "样本数" "seed" "随机种子" "dirichlet" "狄利克雷"
  "leave_out" "剔除" "normalise" "归一化"
] @keyword.modifier

; ── Names where they are declared ────────────────────────────────────────

(header name: (_) @module)
(sources name: (_) @module)
(source_share source: (_) @module)
(levels level: (_) @type)
(kind name: (_) @type)
(for_clause kind: (_) @type)
(unit_column field: (_) @property)
(lint_name) @attribute

(input name: (_) @variable)
(let_declaration name: (_) @variable)
(per_option input: (_) @variable)
(choices choice: (_) @constant)

(category name: (_) @type.definition)
(bonus name: (_) @type.definition)
(deduction name: (_) @type.definition)
(funding name: (_) @type.definition)
(funding_share input: (_) @variable)
(item name: (_) @function)
(veto name: (_) @function)
(rename name: (_) @type.definition)
(remove input: (_) @variable)
(path [(identifier) (quoted_name)] @type)

(grade name: (_) @constant)
(tier name: (_) @constant)
(grade_factor grade: (_) @constant)
(veto_action grade: (_) @constant)

; ── Tests ─────────────────────────────────────────────────────────────────

(cell input: (_) @variable)
(cell value: (identifier) @constant)
(list [(identifier) (quoted_name)] @constant)
(test_unit unit: (_) @label)
(of_unit unit: (_) @label)
(expect_veto veto: (_) @function)
(expect_value value: (identifier) @constant)

; ── Expressions ───────────────────────────────────────────────────────────

(_expression/identifier) @variable
(_expression/quoted_name) @variable
(within input: (_) @variable)
(vary_normalise function: (_) @function.builtin)

(call
  function: (identifier) @function.builtin
  (#any-of? @function.builtin
  "skewness" "偏度" "kurtosis" "峰度" "sqrt" "平方根" "pow" "幂" "ln" "自然对数" "log10"
  "常用对数" "exp" "指数函数" "is_blank" "为空" "min" "最小" "max" "最大" "clamp" "限定"
  "abs" "绝对值" "floor" "向下取整" "ceil" "向上取整" "count" "个数" "ratio" "比值"
  "ratio_lower" "反比值" "below" "低于" "above" "高于" "mean" "平均值" "median" "中位数"
  "lowest" "最低值" "highest" "最高值" "rank" "名次" "percentile" "百分位" "minmax"
  "极差标准化" "minmax_lower" "逆向极差标准化" "zscore" "标准分" "data_share" "数据完整率"
  "treat" "异常值处理" "group_size" "组内单位数" "previous" "上期" "previous_score"
  "上期得分" "previous_rank" "上期排名" "has_previous" "有上期" "node_score" "节点得分"))

(call
  function: (identifier) @function.call
  (#not-any-of? @function.call
  "skewness" "偏度" "kurtosis" "峰度" "sqrt" "平方根" "pow" "幂" "ln" "自然对数" "log10"
  "常用对数" "exp" "指数函数" "is_blank" "为空" "min" "最小" "max" "最大" "clamp" "限定"
  "abs" "绝对值" "floor" "向下取整" "ceil" "向上取整" "count" "个数" "ratio" "比值"
  "ratio_lower" "反比值" "below" "低于" "above" "高于" "mean" "平均值" "median" "中位数"
  "lowest" "最低值" "highest" "最高值" "rank" "名次" "percentile" "百分位" "minmax"
  "极差标准化" "minmax_lower" "逆向极差标准化" "zscore" "标准分" "data_share" "数据完整率"
  "treat" "异常值处理" "group_size" "组内单位数" "previous" "上期" "previous_score"
  "上期得分" "previous_rank" "上期排名" "has_previous" "有上期" "node_score" "节点得分"))

(arm (identifier) @constant)
(arm (quoted_name) @constant)
(wildcard) @character.special

[
  "+" "-" "*" "/" "==" "!=" "<=" ">=" "<" ">" "=" "=>" ".." "±" "+-"
] @operator

["(" ")" "[" "]" "{" "}"] @punctuation.bracket

["," ":" "|"] @punctuation.delimiter
