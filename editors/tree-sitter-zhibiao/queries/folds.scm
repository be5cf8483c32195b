; What folds: every block between braces, and block comments.

[
  (header)
  (category)
  (bonus)
  (deduction)
  (grades)
  (tiers)
  (funding)
  (funding_grades)
  (uncertainty)
  (add)
  (test)
  (script_body)
  (script_block)
  (match_expression)
  (bands_expression)
  (in_turn_expression)
  (comment)
] @fold
