//! `azreg history`: what `azreg apply` wrote to the tenant, from the journal beside the progress
//! file, one block per run (when, who, where), one line per write.

use std::io::Write;

use serde_json::Value;

use super::{EXIT_FILE, EXIT_OK, Env, Failure, Outcome};
use crate::tr;

/// `azreg history`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The journal as one JSON object ({schema, version, writes: [...]})
    #[arg(long)]
    pub json: bool,
}

/// `azreg history`.
pub fn exec(env: &Env, a: &Args, out: &mut dyn Write) -> Outcome {
    run(env, a.json, out)
}

pub fn run(env: &Env, json: bool, out: &mut dyn Write) -> Outcome {
    let lang = env.procedure.lang();
    let io = |e: std::io::Error| Failure::write(e, lang);
    let (lines, bad) = crate::io::journal::read(&env.path).map_err(|e| {
        Failure::new(
            EXIT_FILE,
            tr!(
                lang,
                "{path}: {e}",
                "{path}: {e}",
                path = crate::io::journal::path_for(&env.path).display(),
                e = e,
            ),
        )
    })?;
    if bad > 0 {
        eprintln!(
            "azreg: {}",
            tr!(
                lang,
                "{bad} lines of the journal are not azreg's and were left out",
                "{bad} Zeilen des Journals stammen nicht von azreg und wurden ausgelassen",
                bad = bad,
            )
        );
    }
    if json {
        let doc = serde_json::json!({
            "schema": "azreg.history", "version": 1, "writes": lines,
        });
        write!(out, "{}", super::json_text(doc)).map_err(io)?;
        return Ok(EXIT_OK);
    }
    if lines.is_empty() {
        writeln!(
            out,
            "{}",
            tr!(
                lang,
                "No writes recorded yet ({path}).",
                "Noch keine Schreibvorgänge erfasst ({path}).",
                path = crate::io::journal::path_for(&env.path).display(),
            )
        )
        .map_err(io)?;
        return Ok(EXIT_OK);
    }
    out.write_all(text(&lines, lang).as_bytes()).map_err(io)?;
    Ok(EXIT_OK)
}

/// The journal as text: one block per run (when, who, where), one line per write; what the
/// journal holds is cleaned for the terminal.
fn text(lines: &[Value], lang: crate::i18n::Lang) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    let field = |l: &Value, k: &str| {
        crate::text::clean_for_display(&match &l[k] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            v => v.to_string(),
        })
        .into_owned()
    };
    let mut run = String::new();
    for l in lines {
        if field(l, "run") != run {
            run = field(l, "run");
            let account = field(l, "account");
            let account = if account.is_empty() {
                "?".to_string()
            } else {
                account
            };
            let _ = writeln!(
                text,
                "{}",
                tr!(
                    lang,
                    "{time}  {account} in {tenant}  (run {run})",
                    "{time}  {account} bei {tenant}  (Lauf {run})",
                    time = field(l, "time").replace('T', " ").trim_end_matches('Z'),
                    account = account,
                    tenant = field(l, "tenant"),
                    run = run.get(..8).unwrap_or(&run),
                )
            );
        }
        let mut how = Vec::new();
        if let (s, c) = (field(l, "status"), field(l, "code"))
            && !s.is_empty()
        {
            how.push(format!("{s} {c}").trim().to_string());
        }
        let attempts = l["attempts"].as_u64().unwrap_or(1);
        if attempts > 1 {
            how.push(tr!(lang, "{n} tries", "{n} Versuche", n = attempts));
        }
        let how = if how.is_empty() {
            String::new()
        } else {
            format!("  ({})", how.join(", "))
        };
        let _ = writeln!(
            text,
            "  {:<7} {:<25} {:<5} {}{how}",
            field(l, "result"),
            field(l, "op"),
            field(l, "method"),
            field(l, "path"),
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn the_journal_is_printed_by_run_and_escapes_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let (r, out) = capture(|o| run(&env, false, o));
        assert_eq!(r, Ok(0));
        assert!(out.contains("No writes recorded yet"), "{out}");
        let j = crate::io::journal::Journal::new(&env.path);
        j.append(&crate::core::plan::Written {
            account: Some("admin@x\u{1b}[2J".into()),
            app: false,
            tenant: "t1".into(),
            op: "create_service_principal",
            method: "POST",
            path: "/v1.0/servicePrincipals".into(),
            status: Some(409),
            result: "exists",
            code: Some("Request_MultipleObjectsWithSameKeyValue".into()),
            attempts: 3,
        })
        .unwrap();
        let (r, out) = capture(|o| run(&env, false, o));
        assert_eq!(r, Ok(0));
        assert!(out.contains("in t1"), "{out}");
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(
            out.contains("exists  create_service_principal  POST  /v1.0/servicePrincipals  (409 Request_MultipleObjectsWithSameKeyValue, 3 tries)"),
            "{out}"
        );
        let (_, json) = capture(|o| run(&env, true, o));
        let v: Value = serde_json::from_str(json.trim()).unwrap();
        assert_eq!(v["schema"], "azreg.history");
        assert_eq!(v["writes"][0]["result"], "exists");
    }
}
