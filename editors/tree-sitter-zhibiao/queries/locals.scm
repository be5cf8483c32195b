; zhibiao scopes: a policy is one scope. Inputs, derived values (`let`) and
; the tree's nodes are declared once and read by name in rules anywhere
; below (a node's score by its name, an input's cell by its name).

(source_file) @local.scope

(input name: (_) @local.definition.var)
(let_declaration name: (_) @local.definition.var)
(choices choice: (_) @local.definition.constant)
(category name: (_) @local.definition.type)
(item name: (_) @local.definition.function)
(grade name: (_) @local.definition.constant)
(tier name: (_) @local.definition.constant)
(veto name: (_) @local.definition.function)

(_expression/identifier) @local.reference
(_expression/quoted_name) @local.reference
(path [(identifier) (quoted_name)] @local.reference)
