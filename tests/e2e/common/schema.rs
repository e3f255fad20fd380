//! Every `--json` document held to its published schema (`assets/schemas/`) by a maintained
//! JSON Schema validator (boon, draft 2020-12, with format assertions): every keyword a
//! schema uses is checked, and a schema that breaks the metaschema does not compile.
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
    let errors = errors(&load(name), doc);
    assert!(errors.is_empty(), "{name}: {}\n{doc:#}", errors.join("\n"));
}

/// Every error of `doc` against `schema`, as the validator words them; a schema that is not
/// valid JSON Schema panics.
pub fn errors(schema: &Value, doc: &Value) -> Vec<String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    let loc = "urn:azreg:schema-under-test";
    compiler
        .add_resource(loc, schema.clone())
        .unwrap_or_else(|e| panic!("{e}"));
    let index = compiler
        .compile(loc, &mut schemas)
        .unwrap_or_else(|e| panic!("not a valid JSON Schema: {e:#}"));
    match schemas.validate(doc, index) {
        Ok(()) => Vec::new(),
        Err(e) => format!("{e:#}").lines().map(str::to_string).collect(),
    }
}

#[test]
fn the_validator_finds_what_breaks_a_schema() {
    let s = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"schema": {"const": "azreg.x"}, "n": {"type": ["integer", "null"]},
            "list": {"type": "array", "items": {"enum": ["a", "b"]}},
            "at": {"type": "string", "format": "date"}},
        "required": ["schema", "n"],
        "additionalProperties": false
    });
    assert!(
        errors(
            &s,
            &serde_json::json!({"schema": "azreg.x", "n": null, "list": ["a"], "at": "2026-12-05"})
        )
        .is_empty()
    );
    let bad = errors(
        &s,
        &serde_json::json!({"schema": "azreg.y", "list": ["c"], "extra": 1, "at": "05.12.2026"}),
    );
    let all = bad.join("\n");
    for what in ["azreg.x", "extra", "'a', 'b'", "'n'", "05.12.2026"] {
        assert!(all.contains(what), "{what} not named in {all}");
    }
}

/// Every published schema is valid JSON Schema (the metaschema, draft 2020-12).
#[test]
fn every_schema_compiles_against_the_metaschema() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/schemas");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(name) = name.strip_suffix(".schema.json") else {
            continue;
        };
        let _ = errors(&load(name), &Value::Null);
        n += 1;
    }
    assert!(n >= 11, "{n} schemas");
}
