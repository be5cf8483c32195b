/**
 * The tree-sitter grammar of zhibiao policy files, for editors that
 * highlight, fold and indent with tree-sitter (Neovim, Helix, Zed).
 *
 * It follows `grammar/zhibiao.pest`, the grammar the compiler uses, rule for
 * rule; `tests/tree_sitter.rs` keeps the two in step (every keyword of the
 * alias table is here, and every shipped policy and case parses without an
 * error). Where the pest grammar excludes reserved words from names, this one
 * relies on tree-sitter's keyword extraction: a keyword is a keyword only
 * where the grammar allows it, so `类别` in `levels 类别, 指标` is a name.
 */

// Every keyword's English and Chinese spelling, as src/syntax/keywords.rs.
const KEYWORDS = {
  policy: ['policy', '指标体系'],
  version: ['version', '版本'],
  total: ['total', '满分'],
  precision: ['precision', '精度'],
  half_up: ['half_up', '四舍五入'],
  half_even: ['half_even', '四舍六入五成双'],
  per_item: ['per_item', '逐项'],
  levels: ['levels', '层级'],
  kinds: ['kinds', '单位类型'],
  not_applicable: ['not_applicable', '不适用'],
  rescale: ['rescale', '折算'],
  redistribute: ['redistribute', '分配'],
  even: ['even', '平均'],
  proportional: ['proportional', '按比例'],
  full_marks: ['full_marks', '得满分'],
  zero: ['zero', '计零'],
  exclude: ['exclude', '不计'],
  missing: ['missing', '缺失'],
  error: ['error', '报错'],
  mean: ['mean', '均值'],
  reweight: ['reweight', '重新加权'],
  sources: ['sources', '数据来源'],
  from: ['from', '来自'],
  column: ['column', '数据列'],
  per: ['per', '每'],
  todo: ['todo', '待定'],
  allow: ['allow', '忽略'],
  rank: ['rank', '排名'],
  competition: ['competition', '竞争排名'],
  dense: ['dense', '密集排名'],
  ordinal: ['ordinal', '顺序排名'],
  exact: ['exact', '按精确分'],
  compare: ['compare', '比较'],
  rounded: ['rounded', '按舍入值'],
  at_most: ['at_most', '至多'],
  at_least: ['at_least', '至少'],
  tiers: ['tiers', '梯队'],
  funding: ['funding', '经费'],
  share: ['share', '比例'],
  tier: ['tier', '梯队'],
  top: ['top', '前'],
  rest: ['rest', '其余'],
  input: ['input', '数据项'],
  bool: ['bool', '是否'],
  number: ['number', '数值'],
  count: ['count', '计数'],
  percent: ['percent', '百分比'],
  ratio: ['ratio', '比率'],
  text: ['text', '文本'],
  set: ['set', '多选'],
  unit: ['unit', '单位'],
  let: ['let', '令'],
  category: ['category', '类别'],
  indicator: ['indicator', '指标'],
  item: ['item', '评分项'],
  for: ['for', '适用'],
  when: ['when', '按需'],
  score: ['score', '得分率'],
  points: ['points', '得分'],
  fail_below: ['fail_below', '不合格线'],
  bonus: ['bonus', '加分'],
  deduction: ['deduction', '扣分'],
  cap: ['cap', '上限'],
  uncapped: ['uncapped', '不封顶'],
  only_if: ['only_if', '仅当'],
  base: ['base', '基础分'],
  veto: ['veto', '否决'],
  fail: ['fail', '一票否决'],
  not_scored: ['not_scored', '不予评分'],
  max_grade: ['max_grade', '最高等级'],
  grades: ['grades', '等级'],
  match: ['match', '对照'],
  bands: ['bands', '分档'],
  in_turn: ['in_turn', '依次'],
  if: ['if', '如果'],
  then: ['then', '则'],
  else: ['else', '否则'],
  and: ['and', '且'],
  or: ['or', '或'],
  not: ['not', '非'],
  contains: ['contains', '包含'],
  true: ['true', '是'],
  false: ['false', '否'],
  extends: ['extends', '继承'],
  change: ['change', '修改'],
  remove: ['remove', '删除'],
  add: ['add', '新增'],
  rename: ['rename', '重命名'],
  move: ['move', '移动'],
  to: ['to', '到'],
  as: ['as', '为'],
  within: ['within', '组内'],
  by_kind: ['by_kind', '按类型'],
  side_total: ['side_total', '不计入总分'],
  target: ['target', '目标值'],
  minus: ['minus', '扣减'],
  weights: ['weights', '权重'],
  equal: ['equal', '相等'],
  relative: ['relative', '相对'],
  aggregate: ['aggregate', '聚合'],
  arithmetic: ['arithmetic', '算术平均'],
  geometric: ['geometric', '几何平均'],
  harmonic: ['harmonic', '调和平均'],
  power: ['power', '幂平均'],
  kind: ['kind', '同类'],
  test: ['test', '测试'],
  script: ['script', '脚本'],
  given: ['given', '数据'],
  expect: ['expect', '预期'],
  final_score: ['score', '总分'],
  grade: ['grade', '等级'],
  uncertainty: ['uncertainty', '不确定性'],
  samples: ['samples', '样本数'],
  seed: ['seed', '随机种子'],
  dirichlet: ['dirichlet', '狄利克雷'],
  leave_out: ['leave_out', '剔除'],
  normalise: ['normalise', '归一化'],
};

/** A keyword in either spelling. */
function kw(key) {
  const spellings = KEYWORDS[key];
  if (!spellings) throw new Error(`no keyword ${key}`);
  return choice(...spellings);
}

/** One or more of `rule`, separated by commas. */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

/** One or more of `rule`, separated by `|`, at least two. */
function alternatives(rule) {
  return seq(rule, repeat1(seq('|', rule)));
}

const NUMBER = /\d+(\.\d+)?/;

// The operators' binding, loosest first, as the compiler's Pratt parser
// (src/syntax/lower/expr.rs). `if` binds loosest: its `else` branch reads
// as far as it can.
const PREC = {
  if: -1,
  or: 1,
  and: 2,
  not: 3,
  compare: 4,
  contains: 5,
  add: 6,
  mul: 7,
  neg: 8,
};

module.exports = grammar({
  name: 'zhibiao',

  word: $ => $.identifier,

  extras: $ => [/[ \t\r\n\u3000\uFEFF]/, $.comment],

  supertypes: $ => [$._expression],

  rules: {
    source_file: $ => repeat($._declaration),

    _declaration: $ => choice(
      $.header, $.input, $.let_declaration, $.category, $.item, $.bonus, $.deduction,
      $.veto, $.grades, $.tiers, $.funding, $.uncertainty,
      $.change, $.remove, $.add, $.rename, $.move, $.test, $.script,
    ),

    // ── Lexical ──────────────────────────────────────────────────────────
    comment: _ => token(choice(
      seq('//', /[^\n]*/),
      seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/'),
    )),
    identifier: _ => /[_\p{XID_Start}][_\p{XID_Continue}]*/,
    // A string ends on its line (an unclosed one is an error where it opens).
    string: _ => token(choice(
      seq('"', repeat(choice(/\\[^\n]/, /[^"\\\n]/)), '"'),
      seq('“', /[^”\n]*/, '”'),
    )),
    _name: $ => choice($.identifier, alias($.string, $.quoted_name)),
    number: _ => NUMBER,
    percent: _ => token(seq(NUMBER, '%')),
    _negative_number: _ => token(seq('-', NUMBER)),
    _negative_percent: _ => token(seq('-', NUMBER, '%')),
    _signed_number: $ => choice($.number, alias($._negative_number, $.number)),
    _signed_percent: $ => choice($.percent, alias($._negative_percent, $.percent)),
    // A row code as the table writes it: `#19`, `#A.1.2`, `#（一）`.
    code: _ => /#[\p{XID_Continue}.\-_（）()、]+/,
    fraction: _ => token(seq(NUMBER, '/', NUMBER)),

    // ── Header ───────────────────────────────────────────────────────────
    header: $ => seq(
      kw('policy'), field('name', $._name), optional($.extends),
      '{', repeat($._setting), '}',
    ),
    extends: $ => seq(kw('extends'), field('path', $.string)),
    _setting: $ => choice(
      $.version, $.total, $.precision, $.levels, $.kinds, $.not_applicable,
      $.missing, $.allow, $.rank, $.sources, $.compare, $.fail_below,
      $.unit_columns,
    ),
    version: $ => seq(kw('version'), $.string),
    total: $ => seq(kw('total'), $.number),
    precision: $ => seq(
      kw('precision'), $.number, choice(kw('half_up'), kw('half_even')),
      optional(kw('per_item')),
    ),
    levels: $ => seq(kw('levels'), commaSep1(field('level', $._name))),
    kinds: $ => seq(kw('kinds'), commaSep1($.kind)),
    kind: $ => seq(field('name', $._name), optional(field('description', $.string))),
    not_applicable: $ => seq(kw('not_applicable'), $.na_rule),
    na_rule: $ => choice(
      kw('rescale'),
      seq(kw('redistribute'), choice(kw('even'), kw('proportional'))),
      kw('full_marks'), kw('zero'), kw('exclude'),
    ),
    missing: $ => seq(kw('missing'), $.missing_rule),
    missing_rule: $ => choice(
      kw('error'), kw('zero'),
      seq(kw('mean'), optional(seq(kw('within'), kw('kind')))),
      seq(kw('reweight'), optional(seq(kw('at_least'), $.percent))),
    ),
    allow: $ => seq(kw('allow'), commaSep1(alias($.identifier, $.lint_name))),
    rank: $ => seq(
      kw('rank'), choice(kw('competition'), kw('dense'), kw('ordinal')),
      optional(kw('exact')),
    ),
    sources: $ => seq(kw('sources'), commaSep1(field('name', $._name))),
    compare: $ => seq(kw('compare'), choice(kw('exact'), kw('rounded'))),
    fail_below: $ => seq(kw('fail_below'), choice($.percent, $.number)),
    unit_columns: $ => seq(kw('column'), commaSep1($.unit_column)),
    unit_column: $ => seq(field('field', $._name), field('column', $.string)),

    // ── Inputs and derived values ────────────────────────────────────────
    input: $ => seq(
      kw('input'), commaSep1(field('name', $._name)), ':', $.input_type,
      repeat($._input_option), optional(field('description', $.string)),
    ),
    input_type: $ => choice(
      $.choices, kw('bool'), seq(kw('number'), optional($.range)), kw('count'),
      seq(kw('percent'), optional($.range)), kw('ratio'), kw('text'),
      seq(kw('set'), $.choices),
    ),
    choices: $ => alternatives(field('choice', $._name)),
    range: $ => seq($._signed_number, '..', $._signed_number),
    _input_option: $ => choice(
      $.unit_option, $.when_clause, $.missing, $.from_option, $.column_option, $.per_option,
    ),
    unit_option: $ => seq(kw('unit'), $.string),
    from_option: $ => seq(kw('from'), commaSep1($.source_share)),
    source_share: $ => seq(field('source', $._name), optional($.percent)),
    column_option: $ => seq(kw('column'), $.string),
    per_option: $ => seq(kw('per'), field('input', $._name)),
    let_declaration: $ => seq(kw('let'), field('name', $._name), '=', field('value', $._expression)),

    // ── The indicator tree ───────────────────────────────────────────────
    category: $ => seq(
      choice(kw('category'), kw('indicator')), optional($.code),
      field('name', $._name), optional($._size), optional(field('description', $.string)),
      repeat($._clause), field('body', $.body),
    ),
    body: $ => seq('{', repeat(choice($.category, $.item)), '}'),
    item: $ => seq(
      kw('item'), optional($.code), field('name', $._name), optional($._size),
      optional(field('description', $.string)), repeat($._clause), $.scoring,
    ),
    // Points, a weight, a range of points, or no maximum.
    _size: $ => choice($.range, $.fraction, $.percent, $.number, $.uncapped),
    _clause: $ => choice(
      $.for_clause, $.when_clause, $.not_applicable, $.fail_below, $.aggregate, $.by_kind,
      $.side_total, $.target, $.minus, $.weights, $.allow,
    ),
    weights: $ => seq(kw('weights'), choice(kw('equal'), kw('relative'))),
    minus: $ => seq(kw('minus'), $._expression),
    target: $ => seq(kw('target'), choice($._signed_percent, $._signed_number)),
    uncapped: _ => kw('uncapped'),
    side_total: _ => kw('side_total'),
    by_kind: _ => kw('by_kind'),
    aggregate: $ => seq(kw('aggregate'), choice(
      kw('arithmetic'), kw('geometric'), kw('harmonic'),
      seq(kw('power'), $._signed_number),
    )),
    for_clause: $ => seq(kw('for'), commaSep1(field('kind', $._name))),
    when_clause: $ => seq(kw('when'), $._expression),
    scoring: $ => seq(choice(kw('score'), kw('points')), field('rule', $._expression)),

    // ── Bonus, deduction and veto parts ──────────────────────────────────
    bonus: $ => seq(
      kw('bonus'), field('name', $._name), optional($.cap), optional($.gate),
      '{', repeat($.item), '}',
    ),
    deduction: $ => seq(
      kw('deduction'), field('name', $._name), optional($.cap),
      '{', repeat($.item), '}',
    ),
    cap: $ => seq(kw('cap'), $.number),
    gate: $ => seq(kw('only_if'), $._expression),
    veto: $ => seq(
      kw('veto'), field('name', $._name), kw('if'), field('condition', $._expression),
      '=>', $.veto_action,
    ),
    veto_action: $ => choice(
      kw('fail'), kw('not_scored'), seq(kw('points'), $.number),
      seq(kw('max_grade'), field('grade', $._name)),
    ),

    // ── Grades, tiers and funding ────────────────────────────────────────
    grades: $ => seq(kw('grades'), '{', repeat1($.grade), '}'),
    grade: $ => seq(field('name', $._name), $.interval, optional($.quota)),
    quota: $ => seq(kw('at_most'), $.percent),
    interval: $ => seq(
      choice('[', '('), $._bound, ',', $._bound, choice(']', ')'),
    ),
    _bound: $ => choice(alias('..', $.open_bound), $._signed_percent, $._signed_number),
    tiers: $ => seq(kw('tiers'), '{', repeat1($.tier), '}'),
    tier: $ => seq(field('name', $._name), choice(
      seq(kw('top'), $.percent),
      seq(kw('at_least'), choice($._signed_percent, $._signed_number)),
      kw('rest'),
    )),
    funding: $ => seq(
      kw('funding'), field('name', $._name), $.number,
      '{', repeat(choice($.funding_share, $.funding_grades, $.cap)), '}',
    ),
    funding_share: $ => seq(kw('share'), field('input', $._name)),
    funding_grades: $ => seq(
      kw('grades'), '{', $.grade_factor, repeat(seq(optional(','), $.grade_factor)),
      optional(','), '}',
    ),
    grade_factor: $ => seq(field('grade', $._name), $.number),

    // ── Uncertainty ──────────────────────────────────────────────────────
    uncertainty: $ => seq(kw('uncertainty'), '{', repeat(choice(
      $.samples, $.seed, $.vary_weights, $.vary_not_applicable,
      $.vary_aggregate, $.vary_normalise, $.leave_out,
    )), '}'),
    samples: $ => seq(kw('samples'), $.number),
    seed: $ => seq(kw('seed'), $.number),
    vary_weights: $ => seq(kw('weights'), commaSep1($.node_ref), choice(
      seq(choice('±', '+-'), $.percent),
      seq(kw('dirichlet'), $.number),
    )),
    vary_not_applicable: $ => seq(kw('not_applicable'), alternatives($.na_rule)),
    vary_aggregate: $ => seq(kw('aggregate'), alternatives($.mean_kind)),
    mean_kind: _ => choice(kw('arithmetic'), kw('geometric'), kw('harmonic')),
    vary_normalise: $ => seq(kw('normalise'), alternatives(field('function', $._name))),
    leave_out: $ => seq(kw('leave_out'), commaSep1($.node_ref)),

    // ── Changes (in a policy that extends another) ───────────────────────
    change: $ => seq(
      kw('change'), $.node_ref, optional($._size), optional(field('description', $.string)),
      repeat($._clause), optional($.scoring),
    ),
    remove: $ => seq(kw('remove'), choice(seq(kw('input'), field('input', $._name)), $.node_ref)),
    add: $ => seq(
      kw('add'), optional(seq(kw('to'), $.node_ref)),
      '{', repeat(choice($.category, $.item)), '}',
    ),
    rename: $ => seq(kw('rename'), $.node_ref, kw('as'), field('name', $._name)),
    move: $ => seq(kw('move'), $.node_ref, kw('to'), $.node_ref),
    node_ref: $ => choice($.code, $.path),
    path: $ => seq($._name, repeat(seq('/', $._name))),

    // ── Tests ────────────────────────────────────────────────────────────
    test: $ => seq(kw('test'), field('name', $.string), choice(
      seq($.test_from, '{', repeat($.expect), '}'),
      seq(
        optional(seq(kw('extends'), field('extends', $.string))),
        '{', repeat(choice($.given, $.test_unit, $.expect)), '}',
      ),
    )),
    test_from: $ => seq(kw('from'), commaSep1($.string)),
    given: $ => seq(kw('given'), commaSep1($.cell)),
    test_unit: $ => seq(kw('unit'), field('unit', $._name), kw('given'), commaSep1($.cell)),
    cell: $ => seq(field('input', $._name), '=', field('value', choice(
      $._signed_percent, $._signed_number, $.string, $.list, $.identifier,
    ))),
    list: $ => seq('[', optional(commaSep1($._name)), ']'),
    expect: $ => seq(
      kw('expect'), optional($.of_unit),
      choice($.expect_veto, $.expect_not_applicable, $.expect_value),
    ),
    // A peer statistic whose function is spelt as an expectation's keyword
    // (`expect B: rank(完成率) = 2`).
    _keyword_call: $ => seq(
      field('function', alias(choice(kw('rank'), kw('tier'), kw('grade'), kw('base')), $.identifier)),
      '(', optional(commaSep1($._expression)), ')', optional($.within),
    ),
    of_unit: $ => seq(field('unit', $._name), ':'),
    expect_veto: $ => seq(optional(kw('not')), kw('veto'), field('veto', $._name)),
    expect_not_applicable: $ => seq(kw('not_applicable'), $.node_ref),
    expect_value: $ => seq(
      field('what', choice(
        $.call, alias($._keyword_call, $.call), kw('final_score'), kw('grade'), kw('rank'), kw('tier'),
        kw('base'), kw('bonus'), kw('deduction'), $.node_ref,
      )),
      '=',
      field('value', choice($._signed_number, $.identifier, $.string)),
    ),

    // ── Scripts ──────────────────────────────────────────────────────────
    // Functions in rhai, inline between braces (braces inside rhai's
    // strings and comments do not count) or in a `.rhai` file.
    script: $ => seq(kw('script'), choice(field('path', $.string), $.script_body)),
    script_body: $ => seq('{', repeat($._script_part), '}'),
    _script_part: $ => choice(
      alias($.script_body, $.script_block),
      $.string,
      /[^{}"'`\s\/]+/,
      '/',
      /'([^'\\\n]|\\.)*'/,
      /`[^`]*`/,
    ),

    // ── Expressions ──────────────────────────────────────────────────────
    _expression: $ => choice(
      $.binary, $.unary, $.if_expression, $.match_expression, $.bands_expression, $.in_turn_expression, $.call,
      $.percent, $.number, $.boolean, $.base, $.todo, $.identifier,
      alias($.string, $.quoted_name), $.parenthesized,
    ),
    parenthesized: $ => seq('(', $._expression, ')'),
    binary: $ => {
      const table = [
        [PREC.or, kw('or')],
        [PREC.and, kw('and')],
        [PREC.compare, choice('==', '!=', '<=', '>=', '<', '>')],
        [PREC.contains, kw('contains')],
        [PREC.add, choice('+', '-')],
        [PREC.mul, choice('*', '/')],
      ];
      return choice(...table.map(([p, op]) => prec.left(p, seq(
        field('left', $._expression), field('operator', op), field('right', $._expression),
      ))));
    },
    unary: $ => choice(
      prec(PREC.neg, seq(field('operator', '-'), field('operand', $._expression))),
      prec(PREC.not, seq(field('operator', kw('not')), field('operand', $._expression))),
    ),
    boolean: _ => choice(kw('true'), kw('false')),
    base: _ => kw('base'),
    todo: _ => kw('todo'),
    call: $ => seq(
      field('function', $.identifier), '(',
      optional(commaSep1($._expression)), ')', optional($.within),
    ),
    // The peer group of a peer statistic.
    within: $ => seq(kw('within'), choice(kw('kind'), field('input', $._name))),
    if_expression: $ => prec.right(PREC.if, seq(
      kw('if'), field('condition', $._expression), kw('then'), field('then', $._expression),
      kw('else'), field('else', $._expression),
    )),
    match_expression: $ => seq(
      kw('match'), field('subject', $._expression), '{',
      commaSep1($.arm), optional(','), '}',
    ),
    arm: $ => seq(
      $._pattern, repeat(seq('|', $._pattern)), '=>', field('value', $._expression),
    ),
    _pattern: $ => choice(alias('_', $.wildcard), $.boolean, $._signed_number, $._name),
    bands_expression: $ => seq(
      kw('bands'), field('subject', $._expression), '{',
      commaSep1($.band), optional(','), '}',
    ),
    band: $ => seq($.interval, '=>', field('value', $._expression)),
    in_turn_expression: $ => seq(
      kw('in_turn'), field('subject', $._expression), '{',
      commaSep1($._expression), optional(seq(',', $.in_turn_rest)), optional(','), '}',
    ),
    in_turn_rest: $ => seq(kw('rest'), '=>', field('value', $._expression)),
  },
});
