//! `azreg import`: the JSON of `az ad app credential reset` (`appId`, `password`, `tenant`)
//! or `az ad app create` (`appId`) from stdin into the progress file. Marks nothing done;
//! never echoes the secret; changes nothing unless every value passes.

use std::io::{Read, Write};

use super::{EXIT_CHECK, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome};
use crate::fields::{self, Severity};
use crate::tr;

/// JSON key to field id.
const KEYS: [(&str, &str); 3] = [
    ("appId", "client_id"),
    ("tenant", "tenant_id"),
    ("password", "client_secret"),
];

/// Longest input taken: the JSON in question is well under a kilobyte.
const MAX_INPUT: u64 = 1 << 20;

pub fn run(env: &Env, input: &mut dyn Read, out: &mut dyn Write) -> Outcome {
    let lang = env.procedure.lang();
    // Lock first: while the walkthrough has the file open, nothing is read in vain.
    let mut opened = env.open()?;
    for note in &opened.notes {
        eprintln!("azreg: {note}");
    }
    let mut text = String::new();
    input
        .take(MAX_INPUT)
        .read_to_string(&mut text)
        .map_err(|e| Failure::new(EXIT_USAGE, format!("cannot read stdin: {e}")))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Failure::new(
            EXIT_USAGE,
            tr!(
                lang,
                "stdin is not JSON (line {}, column {}: {}); nothing was changed",
                "stdin ist kein JSON (Zeile {}, Spalte {}: {}); nichts wurde geändert",
                e.line(),
                e.column(),
                // serde_json's message can quote input; keep only its category.
                match e.classify() {
                    serde_json::error::Category::Eof => "it ends too early",
                    serde_json::error::Category::Syntax => "syntax error",
                    _ => "not the expected shape",
                }
            ),
        )
    })?;
    let Some(obj) = json.as_object() else {
        return Err(Failure::new(
            EXIT_USAGE,
            tr!(
                lang,
                "expected a JSON object such as the output of `az ad app credential reset`; nothing was changed",
                "erwartet ist ein JSON-Objekt wie die Ausgabe von `az ad app credential reset`; nichts wurde geändert"
            ),
        ));
    };
    let progress = &mut opened.progress;
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (key, field_id) in KEYS {
        let Some(raw) = obj.get(key) else { continue };
        let Some(spec) = env.procedure.field(field_id) else {
            continue;
        };
        let Some(raw) = raw.as_str() else {
            problems.push(format!("{key}: expected a string"));
            continue;
        };
        let value = match fields::clean_input(raw, env.procedure.lang()) {
            Ok(v) => fields::normalize(spec, &v),
            Err(msg) => {
                problems.push(format!("{key}: {msg}"));
                continue;
            }
        };
        progress.values.insert(field_id.to_string(), value);
        found.push((key, spec));
    }
    if found.is_empty() && problems.is_empty() {
        return Err(Failure::new(
            EXIT_USAGE,
            tr!(
                lang,
                "no appId, tenant or password in the JSON; nothing was changed",
                "kein appId, tenant oder password im JSON; nichts wurde geändert"
            ),
        ));
    }
    // Check the new values together (client ID and tenant ID must differ, ...).
    let ctx = fields::Context::new(&env.procedure, &progress.values, env.today);
    for (key, spec) in &found {
        for p in ctx.assess(spec).problems {
            if p.severity == Severity::Error {
                problems.push(format!("{key} ({}): {}", spec.label, p.message));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Failure::new(
            EXIT_CHECK,
            tr!(
                lang,
                "not imported, nothing was changed:
  {}",
                "nicht importiert, nichts wurde geändert:
  {}",
                problems.join("\n  ")
            ),
        ));
    }
    // Say what is stored before saving: `found` borrows the procedure, `opened` is moved.
    let said: Vec<String> = found
        .iter()
        .map(|(_, spec)| {
            if spec.is_secret() {
                let n = progress.values[&spec.id].chars().count();
                tr!(
                    lang,
                    "{} ({n} chars, not shown)",
                    "{} ({n} Zeichen, nicht angezeigt)",
                    spec.id
                )
            } else {
                format!("{} = {}", spec.id, progress.values[&spec.id])
            }
        })
        .collect();
    env.save_opened(&mut opened)?;
    let (path, list) = (env.path.display(), said.join("\n  "));
    writeln!(
        out,
        "{}",
        tr!(
            lang,
            "imported into {path}:\n  {list}",
            "importiert nach {path}:\n  {list}"
        )
    )
    .map_err(|e| Failure::new(EXIT_USAGE, format!("cannot write: {e}")))?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn import(env: &Env, input: &str) -> (Outcome, String) {
        capture(|o| super::run(env, &mut input.as_bytes(), o))
    }

    #[test]
    fn credential_reset_output_fills_three_values() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let json = r#"{"appId": "0B1C2D3E-1111-2222-3333-444455556666", "password": "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_", "tenant": "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"}"#;
        let (r, out) = import(&env, json);
        assert_eq!(r, Ok(0), "{out}");
        assert!(!out.contains("abc8Q~"), "{out}");
        assert!(out.contains("client_secret (40 chars, not shown)"), "{out}");
        let p = env.load().unwrap();
        assert_eq!(
            p.values["client_id"],
            "0b1c2d3e-1111-2222-3333-444455556666"
        );
        assert_eq!(
            p.values["tenant_id"],
            "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"
        );
        assert!(p.done.is_empty(), "marks nothing done");
    }

    #[test]
    fn create_output_fills_the_client_id() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let (r, out) = import(
            &env,
            r#"{"appId": "0b1c2d3e-1111-2222-3333-444455556666", "id": "x", "displayName": "y"}"#,
        );
        assert_eq!(r, Ok(0), "{out}");
        assert_eq!(env.load().unwrap().values.len(), 1);
    }

    #[test]
    fn secret_id_as_password_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, &[("app_name", "keep")]);
        let before = std::fs::read(&env.path).unwrap();
        let (r, _) = import(
            &env,
            r#"{"appId": "0b1c2d3e-1111-2222-3333-444455556666", "password": "11111111-2222-3333-4444-555555555555"}"#,
        );
        let f = r.unwrap_err();
        assert_eq!(f.code, 1);
        assert!(f.message.contains("Secret ID"), "{}", f.message);
        assert!(!f.message.contains("11111111-2222"), "{}", f.message);
        assert_eq!(std::fs::read(&env.path).unwrap(), before);
    }

    #[test]
    fn garbage_and_missing_fields_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let (r, _) = import(&env, "not json at all");
        assert!(r.unwrap_err().message.contains("not JSON"));
        let (r, _) = import(&env, "[1, 2]");
        assert!(r.unwrap_err().message.contains("JSON object"));
        let (r, _) = import(&env, r#"{"displayName": "x"}"#);
        assert!(r.unwrap_err().message.contains("no appId"));
        let (r, _) = import(&env, r#"{"appId": 5}"#);
        assert!(r.unwrap_err().message.contains("expected a string"));
        assert!(!env.path.exists(), "nothing written");
    }
}
