//! `azreg check`: every value through the walkthrough's validators, one problem a line.

use super::apply::SignInArgs;
use std::io::Write;

use super::{EXIT_CHECK, EXIT_OK, Env, Failure, Outcome};
use crate::core::fields::Severity;
use crate::core::report::{Report, severity_word};
use crate::i18n::nouns::{ERRORS, VALUES, WARNINGS};
use crate::tr;

/// `azreg check`, and `check --expires-within` (the monitoring of `expiry`).
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// One JSON object instead of text (schema: assets/schemas/)
    #[arg(long)]
    pub json: bool,
    /// Check only the secret's expiry: exit 6 when it expires within DAYS or has expired
    #[arg(long, value_name = "DAYS")]
    pub expires_within: Option<u32>,
    /// With --expires-within: every profile (and the default file) at once
    #[arg(long, requires = "expires_within")]
    pub all_profiles: bool,
    /// With --expires-within: sign in and use Azure's end date of the secret in use (the
    /// sign-in options below; --token-from-az for unattended runs)
    #[arg(long, requires = "expires_within", conflicts_with = "all_profiles")]
    pub online: bool,
    /// With --expires-within: answer as a Nagios/Icinga plugin (one status line with
    /// performance data; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)
    #[arg(long, requires = "expires_within", conflicts_with = "json")]
    pub nagios: bool,
    /// With --nagios: WARNING when fewer days are left (as check_ssl_cert's -w) [default:
    /// --expires-within]
    #[arg(long, value_name = "DAYS", requires = "nagios")]
    pub warning: Option<u32>,
    /// With --nagios: CRITICAL when fewer days are left [default: 7]
    #[arg(long, value_name = "DAYS", requires = "nagios")]
    pub critical: Option<u32>,
    /// With --expires-within: also write the expiry as Prometheus metrics to FILE (for
    /// node_exporter's textfile collector), atomically
    #[arg(long, value_name = "FILE", requires = "expires_within")]
    pub prometheus: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub sign_in: SignInArgs,
}

/// `azreg check`; with `--expires-within`, the expiry check of `expiry` (one file, every
/// profile in `state_dir()`, or online).
pub fn exec(
    env: &Env,
    a: &Args,
    state_dir: &dyn Fn() -> Result<std::path::PathBuf, Failure>,
    out: &mut dyn Write,
) -> Outcome {
    let Some(days) = a.expires_within else {
        return run(env, a.json, out);
    };
    let dir = if a.all_profiles {
        Some(state_dir()?)
    } else {
        None
    };
    let format = if a.nagios {
        super::expiry::Format::Nagios {
            warning: i64::from(a.warning.unwrap_or(days)),
            critical: i64::from(a.critical.unwrap_or(7)),
        }
    } else if a.json {
        super::expiry::Format::Json
    } else {
        super::expiry::Format::Text
    };
    super::expiry::run(
        env,
        dir.as_deref(),
        i64::from(days),
        (format, a.prometheus.as_deref()),
        a.online.then_some(&a.sign_in),
        out,
    )
}

pub fn run(env: &Env, json: bool, out: &mut dyn Write) -> Outcome {
    let progress = env.load()?;
    let r = Report::new(&env.procedure, &progress, env.today);
    let lang = env.procedure.lang();
    let mut errors = 0;
    let mut warnings = 0;
    let mut text = String::new();
    let mut problems = Vec::new();
    for (spec, a) in r.fields() {
        for (word, msg) in r.problems(spec, &a) {
            if word == Severity::Error {
                errors += 1;
            } else {
                warnings += 1;
            }
            text += &format!("{}: {}: {msg}\n", spec.id, severity_word(word, lang));
            problems.push(serde_json::json!({
                "field": spec.id,
                "severity": if word == Severity::Error { "error" } else { "warning" },
                "message": msg,
            }));
        }
    }
    let code = if errors > 0 { EXIT_CHECK } else { EXIT_OK };
    if json {
        let doc = serde_json::json!({
            "schema": "azreg.check", "version": 1,
            "ok": errors == 0, "errors": errors, "warnings": warnings, "problems": problems,
        });
        write!(out, "{}", super::json_text(doc)).map_err(|e| Failure::write(e, lang))?;
        return Ok(code);
    }
    let n = env.procedure.fields.len();
    text += &match (errors, warnings) {
        (0, 0) => {
            let n = VALUES.count(lang, n as i64);
            tr!(lang, "all {n} ok\n", "alle {n} in Ordnung\n", n = n)
        }
        (0, w) => {
            let w = WARNINGS.count(lang, w as i64);
            tr!(lang, "no errors, {w}\n", "keine Fehler, {w}\n", w = w)
        }
        (e, w) => format!(
            "{}, {}\n",
            ERRORS.count(lang, e as i64),
            WARNINGS.count(lang, w as i64)
        ),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::write(e, env.procedure.lang()))?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn complete_values_pass() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, FULL);
        let (r, out) = capture(|o| super::run(&env, false, o));
        assert_eq!(r, Ok(0), "{out}");
        assert_eq!(
            out, "all 13 values ok\n",
            "11, plus the permissions and the consent"
        );
    }

    #[test]
    fn problems_are_one_a_line_and_fail() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let mut values: Vec<_> = FULL
            .iter()
            .filter(|(k, _)| *k != "tenant_id")
            .copied()
            .collect();
        values.retain(|(k, _)| *k != "client_secret");
        values.push(("client_secret", "0b1c2d3e-1111-2222-3333-444455556666"));
        with_values(&env, &values);
        let (r, out) = capture(|o| super::run(&env, false, o));
        assert_eq!(r, Ok(1));
        assert!(
            out.contains("tenant_id: error: missing: enter \"Directory (tenant) ID\" at step 23"),
            "{out}"
        );
        assert!(
            out.contains("client_secret: error: this is a GUID"),
            "{out}"
        );
        assert!(!out.contains("0b1c2d3e-1111-2222-3333-444455556666\n"));
    }

    #[test]
    fn warnings_do_not_fail() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let mut values: Vec<_> = FULL
            .iter()
            .filter(|(k, _)| *k != "portal_url")
            .copied()
            .collect();
        values.push(("portal_url", "http://localhost:8080"));
        with_values(&env, &values);
        let (r, out) = capture(|o| super::run(&env, false, o));
        assert_eq!(r, Ok(0), "{out}");
        assert!(out.contains("portal_url: warning: plain http"), "{out}");
    }
}

#[cfg(test)]
mod json {
    use super::super::testing::*;

    #[test]
    fn json_lists_the_problems() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, &[("client_id", "not-a-guid")]);
        let (r, out) = capture(|o| super::run(&env, true, o));
        assert_eq!(r, Ok(1));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["ok"], false);
        assert!(v["errors"].as_u64().unwrap() >= 1);
        let p = v["problems"].as_array().unwrap();
        assert!(
            p.iter()
                .any(|p| p["field"] == "client_id" && p["severity"] == "error")
        );
    }
}
