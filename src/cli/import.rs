//! `azreg import`: the JSON of `azreg script` (`appId`, `password`, `tenant`, plus what the
//! script did), `az ad app credential reset` (`appId`, `password`, `tenant`) or `az ad app
//! create` (`appId`) from stdin into the progress file (`core::edit::import`). The JSON may
//! follow other lines. Never echoes the secret; changes nothing unless every value passes. A
//! secret is never lost: when the progress file is locked (a walkthrough has it open) or cannot
//! be written, what was read is kept in a new 0600 file beside it (`io::kept`), which the
//! walkthrough offers to take in.

use std::io::{Read, Write};

use serde_json::Value;

use super::{EXIT_CHECK, EXIT_FILE, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome};
use crate::core::edit::import::{ImportProblem, find_object, take_import};
use crate::i18n::Worded;

fn worded(problems: &[ImportProblem], lang: crate::i18n::Lang) -> Vec<String> {
    problems.iter().map(|p| p.message(lang)).collect()
}
use crate::io::kept::keep_aside;
use crate::tr;

/// Longest input taken: the JSON in question is well under a kilobyte.
const MAX_INPUT: u64 = 1 << 20;

pub fn run(env: &Env, input: &mut dyn Read, out: &mut dyn Write) -> Outcome {
    let lang = env.procedure.lang();
    // An unusable progress file is reported first (exit 3), before stdin is read; with
    // --reset-bad-file, `open` below moves it aside and the values are checked on their own.
    let mut check = match env.load() {
        Err(_) if env.reset_bad_file => crate::core::progress::Progress::new(&env.procedure.id),
        other => other?,
    };
    let mut text = String::new();
    input
        .take(MAX_INPUT)
        .read_to_string(&mut text)
        .map_err(|e| {
            Failure::new(
                EXIT_USAGE,
                tr!(
                    lang,
                    "cannot read stdin: {e}",
                    "stdin nicht lesbar: {e}",
                    e = e
                ),
            )
        })?;
    let obj = match find_object(&text) {
        Some(o) => o,
        None => return Err(not_json(&text, lang)),
    };
    // Check the values against what is saved before taking the lock: a refusal needs no lock.
    if let Err(problems) = take_import(
        &env.procedure,
        &mut check,
        &obj,
        (env.today, crate::io::clock::now()),
    ) {
        return Err(Failure::new(
            EXIT_CHECK,
            tr!(
                lang,
                "not imported, nothing was changed:\n  {}",
                "nicht importiert, nichts wurde geändert:\n  {}",
                worded(&problems, lang).join("\n  ")
            ),
        ));
    }
    let saved = env.open().and_then(|mut opened| {
        for note in &opened.notes {
            eprintln!("azreg: {note}");
        }
        let applied = take_import(
            &env.procedure,
            &mut opened.progress,
            &obj,
            (env.today, crate::io::clock::now()),
        )
        .map_err(|p| Failure::new(EXIT_CHECK, worded(&p, lang).join("; ")))?;
        env.save_opened(&mut opened)?;
        Ok(applied)
    });
    let applied = match saved {
        Ok(a) => a,
        Err(f) => {
            // Locked or not writable: the secret must not be lost.
            let aside = keep_aside(&env.path, &obj).map_err(|e| {
                Failure::new(
                    EXIT_FILE,
                    tr!(
                        lang,
                        "{p0}; and the values could not be kept aside either ({e}): run the import again",
                        "{p0}; und die Werte konnten auch nicht beiseitegelegt werden ({e}): führen Sie den Import noch einmal aus",
                        p0 = f.message,
                        e = e,
                    ),
                )
            })?;
            return Err(Failure::new(
                EXIT_FILE,
                tr!(
                    lang,
                    "{}\nThe values read (secret included) are kept in {} (only you can read it). The walkthrough offers to take them in; or run: azreg import < that file",
                    "{}\nDie gelesenen Werte (mit Schlüssel) liegen in {} (nur Sie können sie lesen). Der Durchgang bietet an, sie zu übernehmen; oder: azreg import < diese Datei",
                    f.message,
                    aside.display()
                ),
            ));
        }
    };
    let (path, list) = (env.path.display(), applied.said.join("\n  "));
    let mut msg = tr!(
        lang,
        "imported into {path}:\n  {list}",
        "importiert nach {path}:\n  {list}",
        path = path,
        list = list,
    );
    if !applied.marked.is_empty() {
        let steps = applied.marked.join(", ");
        msg += &tr!(
            lang,
            "\nmarked done (the script did them): {steps}",
            "\nals erledigt markiert (das Skript hat sie ausgeführt): {steps}",
            steps = steps,
        );
    }
    writeln!(out, "{msg}").map_err(|e| Failure::write(e, env.procedure.lang()))?;
    Ok(EXIT_OK)
}

fn not_json(text: &str, lang: crate::i18n::Lang) -> Failure {
    let message = match serde_json::from_str::<Value>(text) {
        Err(e) => tr!(
            lang,
            "stdin is not JSON (line {}, column {}: {}); nothing was changed",
            "stdin ist kein JSON (Zeile {}, Spalte {}: {}); nichts wurde geändert",
            e.line(),
            e.column(),
            // serde_json's message can quote input; keep only its category.
            match e.classify() {
                serde_json::error::Category::Eof =>
                    crate::i18n::L::new("it ends too early", "es endet zu früh"),
                serde_json::error::Category::Syntax =>
                    crate::i18n::L::new("syntax error", "Syntaxfehler"),
                _ => crate::i18n::L::new("not the expected shape", "nicht die erwartete Form"),
            }
            .get(lang)
        ),
        Ok(Value::Object(_)) => tr!(
            lang,
            "no appId, tenant or password in the JSON; nothing was changed",
            "kein appId, tenant oder password im JSON; nichts wurde geändert"
        ),
        Ok(_) => tr!(
            lang,
            "expected a JSON object such as the output of `az ad app credential reset`; nothing was changed",
            "erwartet ist ein JSON-Objekt wie die Ausgabe von `az ad app credential reset`; nichts wurde geändert"
        ),
    };
    Failure::new(EXIT_USAGE, message)
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
        let (r, _) = import(&env, r#"{"appId": "0b1c2d3e-1111-2222-3333-444455556666" "#);
        assert!(r.unwrap_err().message.contains("not JSON"));
        assert!(!env.path.exists(), "nothing written");
    }
}

#[cfg(test)]
mod script_output {
    use super::super::testing::*;
    use super::*;

    const SCRIPT_JSON: &str = r#"WARNING: az says something first
{
  "appId": "0b1c2d3e-1111-2222-3333-444455556666",
  "password": "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_",
  "tenant": "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff",
  "adminConsent": false,
  "azreg": "script az"
}
"#;

    #[test]
    fn the_json_is_found_after_other_lines_and_steps_are_marked() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let (r, out) = capture(|o| super::run(&env, &mut SCRIPT_JSON.as_bytes(), o));
        assert_eq!(r, Ok(0), "{out}");
        assert!(
            out.contains("marked done (the script did them): 1, 2,"),
            "{out}"
        );
        let p = env.load().unwrap();
        assert_eq!(
            p.done.len(),
            23 + 2,
            "the guide and P1, P2; not P3 without consent"
        );
        assert!(!p.is_done("grant-admin-consent"));
        let with_consent = SCRIPT_JSON.replace("\"adminConsent\": false", "\"adminConsent\": true");
        let (r, _) = capture(|o| super::run(&env, &mut with_consent.as_bytes(), o));
        assert_eq!(r, Ok(0));
        assert!(env.load().unwrap().is_done("grant-admin-consent"));
    }

    #[test]
    fn a_renewal_keeps_both_expiries_and_records_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(
            &env,
            &[
                ("secret_expiry", "2027-05-25"),
                ("client_id", "0b1c2d3e-1111-2222-3333-444455556666"),
            ],
        );
        let json = r#"{"appId": "0b1c2d3e-1111-2222-3333-444455556666",
            "password": "new8Q~abcdefghijklmnopqrstuvwxyz0123456_",
            "tenant": "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff",
            "secretKeyId": "AAAAAAAA-1111-2222-3333-444455556666",
            "secretEndDateTime": "2028-11-26T23:59:59Z", "renewal": true,
            "azreg": "script az renew"}"#;
        let (r, out) = capture(|o| super::run(&env, &mut json.as_bytes(), o));
        assert_eq!(r, Ok(0), "{out}");
        let p = env.load().unwrap();
        assert_eq!(p.values["secret_expiry"], "2028-11-26");
        assert_eq!(p.renewals.len(), 1);
        assert_eq!(p.renewals[0].old_expiry.as_deref(), Some("2027-05-25"));
        assert_eq!(p.renewals[0].new_expiry, "2028-11-26");
        assert_eq!(p.renewals[0].on, "2026-11-26");
        assert_eq!(
            p.secret_key_id.as_deref(),
            Some("aaaaaaaa-1111-2222-3333-444455556666")
        );
        assert!(
            p.done.is_empty(),
            "a renewal marks no steps of the first registration"
        );
        // The history holds dates only.
        let text = std::fs::read_to_string(&env.path).unwrap();
        let history = &text[text.find("[[renewals]]").unwrap()..];
        assert!(!history.contains("8Q~"), "{history}");
    }

    #[test]
    fn a_locked_file_keeps_the_values_aside_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, &[("app_name", "keep")]);
        let _walkthrough = crate::io::store::lock(&env.path).unwrap();
        let (r, _) = capture(|o| super::run(&env, &mut SCRIPT_JSON.as_bytes(), o));
        let f = r.unwrap_err();
        assert_eq!(f.code, EXIT_FILE);
        assert!(f.message.contains("are kept in"), "{}", f.message);
        assert!(!f.message.contains("abc8Q~"), "{}", f.message);
        let aside = crate::io::kept::pending(&env.path);
        assert_eq!(aside.len(), 1, "{aside:?}");
        let mode = crate::platform::testing::mode(&aside[0]);
        assert_eq!(mode & 0o777, 0o600);
        let kept = std::fs::read_to_string(&aside[0]).unwrap();
        assert!(kept.contains("abc8Q~abcdefghijklmnopqrstuvwxyz0123456_"));
        assert!(!env.load().unwrap().values.contains_key("client_secret"));
    }
}
