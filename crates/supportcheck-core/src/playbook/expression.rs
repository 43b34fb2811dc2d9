//! What an `applies_if` condition may be and build. A condition is code a
//! playbook author wrote, run in-process on every `lint`, `status` and
//! `check`, so both its shape and what it can build are bounded:
//! - before it is compiled, its length, the depth of its brackets and the
//!   number of its operators are checked (a deep expression would overflow
//!   the parser's stack), and `*`, which repeats strings and lists, is refused;
//! - it runs in an environment with only the filters that cannot make a
//!   value much larger than their input, a `range` of at most
//!   [`MAX_RANGE`] items and a `join` of at most [`MAX_BUILT`] characters,
//!   with a fuel limit on the instructions it runs.

use minijinja::value::{Rest, Value};
use minijinja::{Environment, Error, ErrorKind};

/// The longest condition, in bytes.
pub const MAX_LENGTH: usize = 1_000;
/// The deepest nesting of brackets `(`, `[` and `{`.
pub const MAX_NESTING: usize = 16;
/// The most operators (`not`, `and`, `|`, `.`, `==`, ...) in one condition.
pub const MAX_OPERATORS: usize = 64;
/// The most items `range` gives.
pub const MAX_RANGE: usize = 1_000;
/// The longest string `join` builds, in bytes.
pub const MAX_BUILT: usize = 10_000;
/// Instructions one evaluation may run.
pub const FUEL: u64 = 20_000;

/// The filters a condition may use: none of them makes a value much larger
/// than its input. `join` is [`join`], bounded.
const FILTERS: [&str; 30] = [
    "length",
    "count",
    "lower",
    "upper",
    "trim",
    "default",
    "d",
    "first",
    "last",
    "min",
    "max",
    "sort",
    "unique",
    "list",
    "reverse",
    "bool",
    "int",
    "float",
    "abs",
    "round",
    "select",
    "reject",
    "selectattr",
    "rejectattr",
    "map",
    "items",
    "dictsort",
    "split",
    "lines",
    "join",
];

/// Whether a condition of this shape may be compiled: `Err((byte offset,
/// message))` for one too long, too deeply nested, with too many
/// operators, a `*`, or a filter conditions do not have.
pub fn check_shape(source: &str) -> Result<(), (u64, String)> {
    check_length(source)?;
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut operators = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        match b {
            b'\'' | b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err((
                        start as u64,
                        format!("brackets nest more than {MAX_NESTING} deep"),
                    ));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'*' => {
                return Err((
                    start as u64,
                    "`*` is not available in conditions (it repeats strings and lists)".into(),
                ));
            }
            b'|' | b'.' | b'~' | b'+' | b'-' | b'/' | b'%' | b'<' | b'>' | b'=' | b'!' => {
                // A run such as `==` or `//` is one operator; a digit after
                // `.` is a decimal point.
                let decimal = b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                while i + 1 < bytes.len() && b"/=<>".contains(&bytes[i + 1]) && b != b'|' {
                    i += 1;
                }
                if !decimal {
                    operators += 1;
                }
                if b == b'|' {
                    check_filter(&source[i + 1..], start)?;
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i + 1 < bytes.len()
                    && (bytes[i + 1].is_ascii_alphanumeric() || bytes[i + 1] == b'_')
                {
                    i += 1;
                }
                let word = &source[start..=i];
                if matches!(word, "not" | "and" | "or" | "in" | "is" | "if" | "else") {
                    operators += 1;
                }
            }
            _ => {}
        }
        if operators > MAX_OPERATORS {
            return Err((
                start as u64,
                format!(
                    "it has more than {MAX_OPERATORS} operators; split it, or declare a fact that says it"
                ),
            ));
        }
        i += 1;
    }
    Ok(())
}

/// Refuses a condition longer than [`MAX_LENGTH`].
fn check_length(source: &str) -> Result<(), (u64, String)> {
    if source.len() > MAX_LENGTH {
        return Err((
            0,
            format!(
                "it is {} characters long; a condition may be at most {MAX_LENGTH}",
                source.chars().count()
            ),
        ));
    }
    Ok(())
}

/// Refuses a filter, named at the start of `rest` (the text after a `|` at
/// `start`), that conditions may not use.
fn check_filter(rest: &str, start: usize) -> Result<(), (u64, String)> {
    let name: &str = rest
        .trim_start()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    if !name.is_empty() && !FILTERS.contains(&name) {
        return Err((
            start as u64,
            format!(
                "conditions have no filter `{name}`; they may use {}",
                FILTERS.join(", ")
            ),
        ));
    }
    Ok(())
}

/// The environment conditions are compiled and evaluated in: the filters
/// of [`FILTERS`] and every test of minijinja, the bounded `range` and
/// `join`, nothing from the outside world, and [`FUEL`].
pub fn environment() -> Environment<'static> {
    use minijinja::filters as f;
    let mut env = Environment::empty();
    env.set_fuel(Some(FUEL));
    env.add_filter("length", f::length);
    env.add_filter("count", f::length);
    env.add_filter("lower", f::lower);
    env.add_filter("upper", f::upper);
    env.add_filter("trim", f::trim);
    env.add_filter("default", f::default);
    env.add_filter("d", f::default);
    env.add_filter("first", f::first);
    env.add_filter("last", f::last);
    env.add_filter("min", f::min);
    env.add_filter("max", f::max);
    env.add_filter("sort", f::sort);
    env.add_filter("unique", f::unique);
    env.add_filter("list", f::list);
    env.add_filter("reverse", f::reverse);
    env.add_filter("bool", f::bool);
    env.add_filter("int", f::int);
    env.add_filter("float", f::float);
    env.add_filter("abs", f::abs);
    env.add_filter("round", f::round);
    env.add_filter("select", f::select);
    env.add_filter("reject", f::reject);
    env.add_filter("selectattr", f::selectattr);
    env.add_filter("rejectattr", f::rejectattr);
    env.add_filter("map", f::map);
    env.add_filter("items", f::items);
    env.add_filter("dictsort", f::dictsort);
    env.add_filter("split", f::split);
    env.add_filter("lines", f::lines);
    env.add_filter("join", join);
    use minijinja::tests as t;
    env.add_test("defined", t::is_defined);
    env.add_test("undefined", t::is_undefined);
    env.add_test("none", t::is_none);
    env.add_test("boolean", t::is_boolean);
    env.add_test("odd", t::is_odd);
    env.add_test("even", t::is_even);
    env.add_test("divisibleby", t::is_divisibleby);
    env.add_test("number", t::is_number);
    env.add_test("integer", t::is_integer);
    env.add_test("float", t::is_float);
    env.add_test("string", t::is_string);
    env.add_test("sequence", t::is_sequence);
    env.add_test("iterable", t::is_iterable);
    env.add_test("mapping", t::is_mapping);
    env.add_test("startingwith", t::is_startingwith);
    env.add_test("endingwith", t::is_endingwith);
    env.add_test("lower", t::is_lower);
    env.add_test("upper", t::is_upper);
    env.add_test("eq", t::is_eq);
    env.add_test("equalto", t::is_eq);
    env.add_test("==", t::is_eq);
    env.add_test("ne", t::is_ne);
    env.add_test("!=", t::is_ne);
    env.add_test("lt", t::is_lt);
    env.add_test("<", t::is_lt);
    env.add_test("le", t::is_le);
    env.add_test("<=", t::is_le);
    env.add_test("gt", t::is_gt);
    env.add_test(">", t::is_gt);
    env.add_test("ge", t::is_ge);
    env.add_test(">=", t::is_ge);
    env.add_test("in", t::is_in);
    env.add_test("true", t::is_true);
    env.add_test("false", t::is_false);
    env.add_function("range", range);
    env
}

/// What a bound says when a condition reaches it; [`is_exhausted`] knows it.
const OVER: &str = "more than a condition may build";

fn over(what: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, format!("{what}: {OVER}"))
}

/// Whether an evaluation error is a condition reaching a bound (fuel, or
/// what it may build) rather than a type error.
pub fn is_exhausted(e: &Error) -> bool {
    e.kind() == ErrorKind::OutOfFuel || e.detail().is_some_and(|d| d.ends_with(OVER))
}

/// `range(stop)`, `range(start, stop[, step])`, of at most [`MAX_RANGE`] items.
fn range(lower: i64, upper: Option<i64>, step: Option<i64>) -> Result<Value, Error> {
    let (start, stop) = match upper {
        Some(upper) => (lower, upper),
        None => (0, lower),
    };
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "range with a step of 0",
        ));
    }
    let span = if step > 0 {
        (stop as i128 - start as i128).max(0)
    } else {
        (start as i128 - stop as i128).max(0)
    };
    let count = (span + step.unsigned_abs() as i128 - 1) / step.unsigned_abs() as i128;
    if count > MAX_RANGE as i128 {
        return Err(over(format!("range of {count} items is over {MAX_RANGE}")));
    }
    let items: Vec<i64> = (0..count as i64).map(|k| start + k * step).collect();
    Ok(Value::from(items))
}

/// `join(separator)`: the items as text with `separator` between, of at
/// most [`MAX_BUILT`] bytes.
fn join(value: Value, args: Rest<String>) -> Result<String, Error> {
    let separator = args.first().map_or("", String::as_str);
    if args.len() > 1 {
        return Err(Error::from(ErrorKind::TooManyArguments));
    }
    let mut out = String::new();
    for (i, item) in value.try_iter()?.enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        match item.as_str() {
            Some(s) => out.push_str(s),
            None => out.push_str(&item.to_string()),
        }
        if out.len() > MAX_BUILT {
            return Err(over(format!("join of more than {MAX_BUILT} characters")));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(source: &str) -> Result<Value, Error> {
        environment()
            .compile_expression(source)
            .and_then(|e| e.eval(()))
    }

    #[test]
    fn shapes_over_the_bounds_are_refused_before_compiling() {
        assert!(check_shape("'chat' in channels or not chatbot").is_ok());
        assert!(check_shape("a | length > 0 and x == 1.5").is_ok());
        assert!(check_shape(&"not ".repeat(30_000)).is_err());
        assert!(check_shape(&format!("a{}", " and a".repeat(100))).is_err());
        assert!(check_shape(&format!("a{}", "|lower".repeat(100))).is_err());
        assert!(check_shape(&format!("{}a{}", "(".repeat(20), ")".repeat(20))).is_err());
        let (at, why) = check_shape("'x' * 3").unwrap_err();
        assert_eq!(at, 4, "{why}");
        assert!(check_shape("'*' in answers").is_ok(), "a `*` in a string");
        let (_, why) = check_shape("a | replace('a', 'aa')").unwrap_err();
        assert!(why.contains("no filter `replace`"), "{why}");
    }

    #[test]
    fn what_a_condition_builds_is_bounded() {
        let e = eval("range(100000)|join(range(100000)|join)|length > 0").unwrap_err();
        assert!(is_exhausted(&e), "{e}");
        let e = eval("range(1000)|join(range(1000)|join)|length > 0").unwrap_err();
        assert!(is_exhausted(&e), "{e}");
        assert_eq!(eval("range(3)|join(',')").unwrap().as_str(), Some("0,1,2"));
        assert_eq!(eval("range(1, 10, 4)|list|length").unwrap(), Value::from(3));
        assert_eq!(
            eval("range(10, 0, -3)|join").unwrap().as_str(),
            Some("10741")
        );
        assert!(!is_exhausted(&eval("1 + 'a'").unwrap_err()));
    }
}
