; Indentation (nvim-treesitter's captures): one level inside every pair of
; braces; a line that starts with the closing brace goes back out.

[
  (header)
  (body)
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
  (list)
] @indent.begin

["}" "]"] @indent.branch @indent.end

(comment) @indent.auto
