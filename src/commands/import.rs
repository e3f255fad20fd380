//! `azreg import`: the JSON of `azreg script` (`appId`, `password`, `tenant`, plus what the
//! script did), `az ad app credential reset` (`appId`, `password`, `tenant`) or `az ad app
//! create` (`appId`) from stdin into the progress file. The JSON may follow other lines.
//!
//! The script's output marks the steps it performed done (the `scripted` sections of the
//! procedure); plain `az` output marks nothing. Never echoes the secret; changes nothing
//! unless every value passes. A secret is never lost: when the progress file is locked (a
//! walkthrough has it open) or cannot be written, what was read is kept in a new 0600 file
//! beside it, which the walkthrough offers to take in.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{EXIT_CHECK, EXIT_FILE, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome};
use crate::fields::{self, Severity};
use crate::procedure::Procedure;
use crate::progress::{self, Progress};
use crate::tr;

/// JSON key to field id.
const KEYS: [(&str, &str); 3] = [
    ("appId", "client_id"),
    ("tenant", "tenant_id"),
    ("password", "client_secret"),
];

/// Longest input taken: the JSON in question is well under a kilobyte.
const MAX_INPUT: u64 = 1 << 20;

/// The first JSON object in the text, even after other lines (az prints warnings, a banner).
pub fn find_object(text: &str) -> Option<Map<String, Value>> {
    text.match_indices('{').take(1000).find_map(|(at, _)| {
        serde_json::Deserializer::from_str(&text[at..])
            .into_iter::<Value>()
            .next()
            .and_then(Result::ok)
            .and_then(|v| match v {
                Value::Object(o) if KEYS.iter().any(|(k, _)| o.contains_key(*k)) => Some(o),
                _ => None,
            })
    })
}

/// What an import changed, for the message.
pub struct Applied {
    /// `client_id = ...`, or the secret's length.
    pub said: Vec<String>,
    /// Labels of the steps marked done.
    pub marked: Vec<String>,
}

/// Apply a JSON object to a progress: store the values, mark the steps a script did. On any
/// problem the progress is left as it was and every problem is returned.
pub fn apply(
    procedure: &Procedure,
    progress: &mut Progress,
    obj: &Map<String, Value>,
    today: time::Date,
) -> Result<Applied, Vec<String>> {
    let lang = procedure.lang();
    let mut values = progress.values.clone();
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (key, field_id) in KEYS {
        let Some(raw) = obj.get(key) else { continue };
        let Some(spec) = procedure.field(field_id) else {
            continue;
        };
        let Some(raw) = raw.as_str() else {
            problems.push(tr!(
                lang,
                "{key}: expected a string",
                "{key}: erwartet ist eine Zeichenkette",
                key = key,
            ));
            continue;
        };
        match fields::clean_input(raw, lang) {
            Ok(v) => {
                values.insert(field_id.to_string(), fields::normalize(spec, &v));
                found.push((key, spec));
            }
            Err(msg) => problems.push(format!("{key}: {msg}")),
        }
    }
    if found.is_empty() && problems.is_empty() {
        problems.push(tr!(
            lang,
            "no appId, tenant or password in the JSON",
            "kein appId, tenant oder password im JSON"
        ));
    }
    // Check the new values together (client ID and tenant ID must differ, ...).
    let ctx = procedure.context(&values, today);
    for (key, spec) in &found {
        for p in ctx.assess(spec).problems {
            if p.severity == Severity::Error {
                problems.push(format!("{key} ({}): {}", spec.label, p.message));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let said = found
        .iter()
        .map(|(_, spec)| {
            if spec.is_secret() {
                let n = values[&spec.id].chars().count();
                tr!(
                    lang,
                    "{p0} ({n} chars, not shown)",
                    "{p0} ({n} Zeichen, nicht angezeigt)",
                    p0 = spec.id,
                    n = n,
                )
            } else {
                format!("{} = {}", spec.id, values[&spec.id])
            }
        })
        .collect();
    // A renewal keeps the old expiry in the history and records the new one (dates only).
    let renewal = obj.get("renewal") == Some(&Value::Bool(true));
    let expiry_field = procedure
        .fields
        .iter()
        .find(|f| f.kind == fields::FieldKind::Date && f.goes_to.is_some())
        .map(|f| f.id.clone());
    let new_end = obj
        .get("secretEndDateTime")
        .and_then(Value::as_str)
        .and_then(|s| s.get(..10))
        .filter(|d| fields::parse_date(d).is_some())
        .map(str::to_string);
    if renewal && let (Some(field), Some(end)) = (&expiry_field, &new_end) {
        progress.renewals.push(progress::Renewal {
            on: fields::format_date(today),
            old_expiry: progress.values.get(field).cloned(),
            new_expiry: end.clone(),
        });
        values.insert(field.clone(), end.clone());
    }
    let now = progress::now();
    // What a script of azreg handed out: the key its secret has (the only one a later renewal
    // may remove), the app's and the service principal's object IDs, its create key. Each
    // one checked; what it replaces stays in the history.
    for (key, slot) in [
        ("secretKeyId", progress::Slot::SecretKey),
        ("objectId", progress::Slot::AppObject),
        ("servicePrincipalId", progress::Slot::ServicePrincipal),
    ] {
        if let Some(id) = obj
            .get(key)
            .and_then(Value::as_str)
            .filter(|k| fields::is_guid(k))
        {
            progress.put_id(slot, Some(id.to_ascii_lowercase()), "import", now);
        }
    }
    if let Some(k) = obj
        .get("uniqueName")
        .and_then(Value::as_str)
        .filter(|k| k.strip_prefix("azreg-").is_some_and(fields::is_guid))
    {
        progress.put_id(
            progress::Slot::UniqueName,
            Some(k.to_string()),
            "import",
            now,
        );
    }
    for (field, value) in values {
        if progress.values.get(&field) != Some(&value) {
            progress.put_value(&field, Some(value), "import", now);
        }
    }
    // Only azreg's own scripts say what they did; plain az output marks nothing.
    let mut marked = Vec::new();
    let by_script = obj
        .get("azreg")
        .and_then(Value::as_str)
        .is_some_and(|s| s.starts_with("script"));
    let secret =
        obj.contains_key("password") || obj.get("secretInPlace") == Some(&Value::Bool(true));
    if by_script && secret && !renewal {
        for (i, e) in procedure.entries.iter().enumerate() {
            let did = e.scripted
                && e.step
                    .scripted_when
                    .as_deref()
                    .is_none_or(|k| obj.get(k) == Some(&Value::Bool(true)));
            if did && !progress.is_done(&e.step.id) {
                progress.done.insert(e.step.id.clone(), now);
                marked.push(procedure.label(i).to_string());
            }
        }
    }
    Ok(Applied { said, marked })
}

/// Files `import` left beside a progress file it could not write, oldest first.
pub fn pending(path: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Vec::new();
    };
    let prefix = format!("{}.import-", name.to_string_lossy());
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&prefix) && n.ends_with(".json")
        })
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// A file `import` kept aside: ours (a regular file, bounded), holding a JSON object.
pub fn read_kept(path: &Path) -> Option<Map<String, Value>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_INPUT {
        return None;
    }
    find_object(&std::fs::read_to_string(path).ok()?)
}

/// Keep what was read in a new file beside the progress file: created exclusively, 0600.
fn keep_aside(path: &Path, obj: &Map<String, Value>) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::OpenOptionsExt;
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "progress.toml".into());
    let text = serde_json::to_string_pretty(obj).unwrap_or_default() + "\n";
    for n in 0..100 {
        let aside = path.with_file_name(format!(
            "{name}.import-{stamp}-{}-{n}.json",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&aside)
        {
            Ok(mut f) => {
                f.write_all(text.as_bytes())?;
                f.sync_all()?;
                return Ok(aside);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free name"))
}

pub fn run(env: &Env, input: &mut dyn Read, out: &mut dyn Write) -> Outcome {
    let lang = env.procedure.lang();
    // An unusable progress file is reported first (exit 3), before stdin is read; with
    // --reset-bad-file, `open` below moves it aside and the values are checked on their own.
    let mut check = match env.load() {
        Err(_) if env.reset_bad_file => crate::progress::Progress::new(&env.procedure.id),
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
    if let Err(problems) = apply(&env.procedure, &mut check, &obj, env.today) {
        return Err(Failure::new(
            EXIT_CHECK,
            tr!(
                lang,
                "not imported, nothing was changed:\n  {}",
                "nicht importiert, nichts wurde geändert:\n  {}",
                problems.join("\n  ")
            ),
        ));
    }
    let saved = env.open().and_then(|mut opened| {
        for note in &opened.notes {
            eprintln!("azreg: {note}");
        }
        let applied = apply(&env.procedure, &mut opened.progress, &obj, env.today)
            .map_err(|p| Failure::new(EXIT_CHECK, p.join("; ")))?;
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
                serde_json::error::Category::Eof => "it ends too early",
                serde_json::error::Category::Syntax => "syntax error",
                _ => "not the expected shape",
            }
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
            "secretEndDateTime": "2028-11-26T00:00:00Z", "renewal": true,
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
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, &[("app_name", "keep")]);
        let _walkthrough = crate::store::lock(&env.path).unwrap();
        let (r, _) = capture(|o| super::run(&env, &mut SCRIPT_JSON.as_bytes(), o));
        let f = r.unwrap_err();
        assert_eq!(f.code, EXIT_FILE);
        assert!(f.message.contains("are kept in"), "{}", f.message);
        assert!(!f.message.contains("abc8Q~"), "{}", f.message);
        let aside = pending(&env.path);
        assert_eq!(aside.len(), 1, "{aside:?}");
        let mode = std::fs::metadata(&aside[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let kept = std::fs::read_to_string(&aside[0]).unwrap();
        assert!(kept.contains("abc8Q~abcdefghijklmnopqrstuvwxyz0123456_"));
        assert!(!env.load().unwrap().values.contains_key("client_secret"));
    }
}
