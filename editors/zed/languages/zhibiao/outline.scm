; The outline: the header, the indicator tree, the parts, grades and tests.

(header
  ["policy" "指标体系"] @context
  name: (_) @name) @item

(category
  ["category" "类别" "indicator" "指标"] @context
  name: (_) @name) @item

(item
  ["item" "评分项"] @context
  name: (_) @name) @item

(bonus
  ["bonus" "加分"] @context
  name: (_) @name) @item

(deduction
  ["deduction" "扣分"] @context
  name: (_) @name) @item

(veto
  ["veto" "否决"] @context
  name: (_) @name) @item

(grade
  name: (_) @name) @item

(input
  ["input" "数据项"] @context
  name: (_) @name) @item

(test
  ["test" "测试"] @context
  name: (_) @name) @item
