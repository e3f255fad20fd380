//! A JSON Schema check for the subset `assets/schemas/` uses (type, const, enum, properties,
//! required, additionalProperties: false, items, oneOf, $ref to #/$defs): enough to hold every
//! `--json` document to its published schema without a validator crate.
#![allow(dead_code)]

use serde_json::Value;

/// The schema `assets/schemas/<name>.schema.json`.
pub fn load(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/schemas")
        .join(format!("{name}.schema.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Panics with every place `doc` breaks the schema `name`.
pub fn assert_valid(name: &str, doc: &Value) {
    let schema = load(name);
    let mut errors = Vec::new();
    check(&schema, &schema, doc, "$", &mut errors);
    assert!(errors.is_empty(), "{name}: {}\n{doc:#}", errors.join("\n"));
}

/// Every error of `v` against `s` (`root` for `$ref`).
pub fn errors(schema: &Value, doc: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, doc, "$", &mut errors);
    errors
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "null" => v.is_null(),
        other => panic!("schema type {other} unknown to this checker"),
    }
}

fn check(root: &Value, s: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = s["$ref"].as_str() {
        let name = r.strip_prefix("#/$defs/").expect("only local $refs");
        return check(root, &root["$defs"][name], v, at, errors);
    }
    if let Some(options) = s["oneOf"].as_array() {
        let ok = options
            .iter()
            .filter(|o| {
                let mut e = Vec::new();
                check(root, o, v, at, &mut e);
                e.is_empty()
            })
            .count();
        if ok != 1 {
            errors.push(format!("{at}: matches {ok} of oneOf"));
        }
        return;
    }
    match &s["type"] {
        Value::String(t) if !type_ok(t, v) => errors.push(format!("{at}: not {t}: {v}")),
        Value::Array(ts) if !ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)) => {
            errors.push(format!("{at}: not one of {ts:?}: {v}"))
        }
        _ => {}
    }
    if let Some(c) = s.get("const")
        && c != v
    {
        errors.push(format!("{at}: {v} is not {c}"));
    }
    if let Some(list) = s["enum"].as_array()
        && !list.contains(v)
    {
        errors.push(format!("{at}: {v} not in {list:?}"));
    }
    if let Some(obj) = v.as_object() {
        let props = s["properties"].as_object();
        for r in s["required"].as_array().into_iter().flatten() {
            let r = r.as_str().unwrap();
            if !obj.contains_key(r) {
                errors.push(format!("{at}: {r} missing"));
            }
        }
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(root, ps, val, &format!("{at}.{k}"), errors),
                None if s["additionalProperties"] == Value::Bool(false) => {
                    errors.push(format!("{at}: {k} is not in the schema"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(list)) = (s.get("items"), v.as_array()) {
        for (i, x) in list.iter().enumerate() {
            check(root, items, x, &format!("{at}[{i}]"), errors);
        }
    }
}

#[test]
fn the_checker_finds_what_breaks_a_schema() {
    let s = serde_json::json!({
        "type": "object",
        "properties": {"schema": {"const": "azreg.x"}, "n": {"type": ["integer", "null"]},
            "list": {"type": "array", "items": {"enum": ["a", "b"]}}},
        "required": ["schema", "n"],
        "additionalProperties": false
    });
    assert!(
        errors(
            &s,
            &serde_json::json!({"schema": "azreg.x", "n": null, "list": ["a"]})
        )
        .is_empty()
    );
    let bad = errors(
        &s,
        &serde_json::json!({"schema": "azreg.y", "list": ["c"], "extra": 1}),
    );
    assert_eq!(bad.len(), 4, "{bad:?}");
}
