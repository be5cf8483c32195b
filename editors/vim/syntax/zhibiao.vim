" Vim syntax for zhibiao (指标) policy files (*.zb).
" The keyword lists follow src/syntax/keywords.rs; tests/editors.rs checks
" that every keyword and alias is here, and (with Vim installed) that Vim
" highlights each one.
if exists("b:current_syntax")
  finish
endif

syntax case match

syntax keyword zbDeclaration policy 指标体系 input 数据项 let 令 category 类别 indicator 指标 item 评分项 bonus 加分
syntax keyword zbDeclaration deduction 扣分 veto 否决 grades 等级 tiers 梯队 funding 经费 extends 继承 change 修改 remove 删除
syntax keyword zbDeclaration add 新增 rename 重命名 move 移动 test 测试 script 脚本 uncertainty 不确定性
syntax keyword zbControl for 适用 when 按需 match 对照 bands 分档 if 如果 then 则 else 否则
syntax keyword zbOperator and 且 or 或 not 非 包含
" `contains` is an argument of `:syntax keyword`: matched instead.
syntax match zbOperator /\v<(contains)>/
syntax keyword zbConstant true 是 false 否
syntax keyword zbType bool 是否 number 数值 计数 percent 百分比 比率 text 文本 set 多选
syntax keyword zbKeyword version 版本 total 满分 precision 精度 half_up 四舍五入 half_even 四舍六入五成双 per_item 逐项
syntax keyword zbKeyword kinds 单位类型 not_applicable 不适用 rescale 折算 redistribute 分配 even 平均
syntax keyword zbKeyword proportional 按比例 full_marks 得满分 zero 计零 exclude 不计 missing 缺失 error 报错 均值
syntax keyword zbKeyword reweight 重新加权 at_least 至少 allow 忽略 排名 sources 数据来源 from 来自 column 数据列 per 每 share 比例
syntax keyword zbKeyword competition 竞争排名 dense 密集排名 ordinal 顺序排名 exact 按精确分 unit 单位 score 得分率
syntax keyword zbKeyword by_kind 按类型 weights 权重 equal 相等 relative 相对 compare 比较 rounded 按舍入值 minus 扣减 target 目标值 side_total 不计入总分 in_turn 依次 uncapped 不封顶 points 得分 fail_below 不合格线 cap 上限 only_if 仅当 base 基础分 fail 一票否决 not_scored 不予评分 max_grade
syntax keyword zbKeyword 最高等级 at_most 至多 top 前 rest 其余 todo 待定 to 到 as 为 within 组内 kind 同类 aggregate
syntax keyword zbKeyword 聚合 arithmetic 算术平均 geometric 几何平均 harmonic 调和平均 power 幂平均 given 数据 expect
syntax keyword zbKeyword 预期 总分 grade tier
syntax keyword zbKeyword samples 样本数 seed 随机种子 dirichlet 狄利克雷 leave_out 剔除 normalise 归一化

" Keywords that are also functions: a keyword unless a `(` follows.
syntax match zbKeyword /\v<(mean|rank)>(\s*\()@!/
syntax match zbType /\v<(count|ratio)>(\s*\()@!/
" A call of a script function (built-in functions are matched below).
syntax match zbCall /\v<\w+>\ze\s*\(/
syntax match zbFunction /\v<(previous_score|previous_rank|has_previous|minmax_lower|ratio_lower|data_share|group_size|node_score|percentile|is_blank|kurtosis|previous|skewness|highest|逆向极差标准化|lowest|median|minmax|zscore|above|below|clamp|count|floor|log10|ratio|treat|异常值处理|数据完整率|极差标准化|组内单位数|ceil|mean|rank|sqrt|上期得分|上期排名|向上取整|向下取整|常用对数|指数函数|自然对数|节点得分|abs|exp|max|min|pow|中位数|反比值|平均值|平方根|最低值|最高值|有上期|标准分|百分位|绝对值|ln|上期|个数|为空|低于|偏度|名次|峰度|最大|最小|比值|限定|高于|幂)>\ze\s*\(/

syntax match zbNumber /\v<\d+(\.\d+)?\%?/
syntax match zbCode /#\S\+/
syntax match zbOperatorSign /=>\|==\|!=\|<=\|>=\|\.\.\|[<>+\-*\/=|]/
" Level names (`levels 类别, 指标`) are names, even those that spell keywords:
" `levels` is matched here, not as a keyword, so that the match starts there
" and wins over the keywords inside it.
syntax match zbLevels /\v<(levels|层级)>\s*[^/"]*/ contains=zbKeyword,zbLevelName
syntax match zbKeyword /\v<(levels|层级)>/ contained
syntax match zbLevelName /\v(<(levels|层级)>)@![^ \t,，、]+/ contained
syntax region zbString start=/"/ skip=/\\./ end=/"/ oneline
syntax region zbString start=/“/ end=/”/
syntax keyword zbTodo TODO FIXME XXX contained
syntax match zbComment "//.*$" contains=zbTodo
syntax region zbComment start="/\*" end="\*/" contains=zbTodo

highlight default link zbDeclaration Statement
highlight default link zbControl Conditional
highlight default link zbOperator Operator
highlight default link zbOperatorSign Operator
highlight default link zbConstant Boolean
highlight default link zbType Type
highlight default link zbKeyword Keyword
highlight default link zbFunction Function
highlight default link zbCall Function
highlight default link zbNumber Number
highlight default link zbCode Identifier
highlight default link zbLevelName Identifier
highlight default link zbString String
highlight default link zbComment Comment
highlight default link zbTodo Todo

let b:current_syntax = "zhibiao"
