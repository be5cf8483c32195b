//! Scripts: functions written in rhai, for rules the language cannot state
//! (an iterative treatment, the longest run of months on target). A policy
//! defines them in `script { ... }` blocks or `.rhai` files and calls them
//! from rules like built-in functions.
//!
//! Compiled once, when the policy is checked: a syntax error or a variable
//! that is not defined is a diagnostic at its line and column. Called per
//! unit, in a sandbox: the engine has no file, network, clock, random,
//! print or module access, and bounds operations, call depth and the sizes
//! of strings, arrays and maps; a script that breaks a bound or fails is an
//! error for that unit, naming the unit and the function.
//!
//! Numbers cross as rhai decimals (28 significant digits, the
//! `rust_decimal` type): a number with a finite decimal expansion of at
//! most 28 digits crosses exactly, any other (1/3) rounded half-even to 28
//! significant digits; a script's decimal or integer result comes back
//! exactly. Yes/no values cross as booleans.

use crate::diagnostics::Diagnostic;
use crate::num::{Num, Rounding};
use crate::source::Span;
use crate::syntax::ast;
use rhai::{AST, CallFnOptions, Dynamic, Engine, EvalAltResult, Position, Scope};
use rust_decimal::Decimal;

pub const SCRIPT_ERROR: &str = "zhibiao::check::script_error";

/// The sandbox's bounds, per call of a script function.
pub const MOST_OPERATIONS: u64 = 1_000_000;
pub const MOST_CALL_LEVELS: usize = 32;
pub const MOST_STRING: usize = 10_000;
pub const MOST_ARRAY: usize = 10_000;
pub const MOST_MAP: usize = 1_000;

/// A policy's script functions, compiled.
pub struct Scripts {
    engine: Engine,
    ast: AST,
    /// Every function: its name and parameters, in the order defined.
    pub functions: Vec<Function>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    pub params: Vec<String>,
}

impl std::fmt::Debug for Scripts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scripts")
            .field("functions", &self.functions)
            .finish()
    }
}

/// A value crossing into or out of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Number(Num),
    Bool(bool),
    /// A blank cell (rhai's `()`).
    Blank,
}

/// Why a call of a script function gave no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Ran past the operations allowed (a loop that does not end).
    Operations,
    /// Called functions too deeply (recursion without end).
    CallDepth,
    /// Built a string, array or map larger than allowed.
    Size,
    /// Returned something that is not a number or yes/no.
    Returned,
    /// Met an error: a function or variable it does not have, a value of
    /// the wrong type, a division by zero, a `throw`.
    Failed,
}

impl Failure {
    pub fn describe(self) -> &'static str {
        match self {
            Failure::Operations => {
                "ran past the 1,000,000 operations a call may take (a loop that does not end?)"
            }
            Failure::CallDepth => "called functions more than 32 levels deep",
            Failure::Size => "built a string, array or map larger than a script may",
            Failure::Returned => "returned something that is neither a number nor yes/no",
            Failure::Failed => {
                "failed (a function or variable it does not have, a value of the wrong type, a division by zero, or a `throw`)"
            }
        }
    }
}

/// The sandboxed engine.
fn engine() -> Engine {
    let mut engine = Engine::new();
    engine
        .set_max_operations(MOST_OPERATIONS)
        .set_max_call_levels(MOST_CALL_LEVELS)
        .set_max_expr_depths(64, 32)
        .set_max_string_size(MOST_STRING)
        .set_max_array_size(MOST_ARRAY)
        .set_max_map_size(MOST_MAP)
        .set_strict_variables(true);
    for symbol in ["print", "debug", "eval", "import", "export"] {
        engine.disable_symbol(symbol);
    }
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine
}

/// Compiles a policy's scripts into one set of functions; every error is a
/// diagnostic in the policy (or the `.rhai` file).
pub fn compile(scripts: &[ast::Script]) -> (Option<Scripts>, Vec<Diagnostic>) {
    if scripts.is_empty() {
        return (None, Vec::new());
    }
    let engine = engine();
    let mut all = AST::empty();
    let mut diagnostics = Vec::new();
    for script in scripts {
        match engine.compile(&script.code) {
            Ok(ast) => all += ast,
            Err(e) => {
                let at = span_at(script, e.1);
                diagnostics.push(
                    Diagnostic::error(SCRIPT_ERROR, format!("the script does not compile: {}", e.0))
                        .label(at, "here")
                        .help("scripts are rhai (https://rhai.rs) with decimal numbers; no file, network, clock, printing or modules"),
                );
            }
        }
    }
    let functions = all
        .iter_functions()
        .map(|f| Function {
            name: f.name.to_string(),
            params: f.params.iter().map(|p| p.to_string()).collect(),
        })
        .collect();
    let scripts = Scripts {
        engine,
        ast: all,
        functions,
    };
    (Some(scripts), diagnostics)
}

/// The span of a position in a script's code (1-based line and character).
fn span_at(script: &ast::Script, at: Position) -> Span {
    let (Some(line), column) = (at.line(), at.position().unwrap_or(1)) else {
        return script.span;
    };
    let start: usize = script
        .code
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = script.code.get(start..).unwrap_or("");
    let offset = start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
    let width = rest
        .get(offset - start..)
        .and_then(|r| r.chars().next())
        .map_or(0, char::len_utf8);
    let start = script.base as usize + offset;
    Span::new(start, start + width)
}

impl Scripts {
    /// The function called `name` with `arity` parameters, by index.
    pub fn find(&self, name: &str, arity: usize) -> Option<usize> {
        (self.functions.iter()).position(|f| f.name == name && f.params.len() == arity)
    }

    /// Calls function `index` with `args`.
    pub fn call(&self, index: usize, args: &[Value]) -> Result<Value, Failure> {
        let function = self.functions.get(index).ok_or(Failure::Failed)?;
        let args: Vec<Dynamic> = args.iter().map(|a| to_rhai(*a)).collect();
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        let result = self
            .engine
            .call_fn_with_options::<Dynamic>(
                options,
                &mut Scope::new(),
                &self.ast,
                &function.name,
                args,
            )
            .map_err(|e| failure(&e))?;
        from_rhai(&result).ok_or(Failure::Returned)
    }
}

fn failure(e: &EvalAltResult) -> Failure {
    match e {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => failure(inner),
        EvalAltResult::ErrorTooManyOperations(_) => Failure::Operations,
        EvalAltResult::ErrorStackOverflow(_) => Failure::CallDepth,
        EvalAltResult::ErrorDataTooLarge(..) => Failure::Size,
        _ => Failure::Failed,
    }
}

fn to_rhai(value: Value) -> Dynamic {
    match value {
        Value::Number(n) => Dynamic::from_decimal(decimal(n)),
        Value::Bool(b) => Dynamic::from_bool(b),
        Value::Blank => Dynamic::UNIT,
    }
}

/// A number as a rhai decimal: exactly when it has at most 28 significant
/// digits, else rounded half-even to as many as fit.
fn decimal(n: Num) -> Decimal {
    if let Some((mantissa, scale)) = n.decimal_parts()
        && let Ok(d) = Decimal::try_from_i128_with_scale(mantissa, scale)
    {
        return d;
    }
    (0..=28u32)
        .rev()
        .find_map(|scale| {
            let mantissa = n.scaled(scale, Rounding::HalfEven)?;
            Decimal::try_from_i128_with_scale(mantissa, scale).ok()
        })
        .unwrap_or_default()
}

fn from_rhai(value: &Dynamic) -> Option<Value> {
    if let Ok(b) = value.as_bool() {
        return Some(Value::Bool(b));
    }
    if let Ok(i) = value.as_int() {
        return Some(Value::Number(Num::from(i)));
    }
    let d = value.as_decimal().ok()?;
    Some(Value::Number(Num::decimal(d.mantissa(), d.scale())))
}
