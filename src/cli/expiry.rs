//! `azreg check --expires-within DAYS`: for cron, systemd timers and monitoring agents. Exit 6
//! (`exit::EXPIRING`) when a recorded secret expires within DAYS or has expired, 1 when no
//! expiry is recorded, 0 otherwise; `--all-profiles` checks every progress file at once;
//! `--online` signs in and uses Azure's end date of the secret in use instead of the typed one.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{EXIT_CHECK, EXIT_OK, Env, Failure, Outcome};
use crate::cli::exit::EXPIRING;
use crate::core::report::{Expiry, Report};
use crate::i18n::nouns::DAYS_DATIVE;
use crate::io::store;
use crate::tr;

pub fn run(
    env: &Env,
    state_dir: Option<&Path>,
    within: i64,
    json: bool,
    online: Option<&super::apply::ApplyArgs>,
    out: &mut dyn Write,
) -> Outcome {
    let lang = env.procedure.lang();
    // Azure's end of the secret in use, read now (and kept in the record).
    let azure = match online {
        Some(sign) => {
            let read = super::doctor::read(env, sign, None)?;
            let examined = super::doctor::examine(env, &read);
            if let Some(end) = &examined.azure_end {
                super::doctor::remember(env, end);
            }
            Some(examined.azure_end)
        }
        None => None,
    };
    // (the name in lines, the profile for scripts: none for the default file or a --file)
    let files: Vec<(String, Option<String>, PathBuf)> = match state_dir {
        Some(dir) => super::profiles::all(dir)
            .into_iter()
            .map(|(name, path)| {
                let profile =
                    (path.parent() == Some(dir.join("profiles").as_path())).then(|| name.clone());
                (name, profile, path)
            })
            .collect(),
        None => vec![(
            env.profile.clone().unwrap_or_else(|| {
                crate::text::clean_for_display(&env.path.display().to_string()).into_owned()
            }),
            env.profile.clone(),
            env.path.clone(),
        )],
    };
    let mut code = EXIT_OK;
    let mut rows = Vec::new();
    let mut text = String::new();
    let single = state_dir.is_none();
    for (name, profile, path) in files {
        let progress = match store::load(&path) {
            Ok(Some(p)) => p,
            // With --all-profiles a profile without a file is no profile.
            Ok(None) if !single => continue,
            Ok(None) => crate::core::progress::Progress::new(&env.procedure.id),
            Err(e) => return Err(Failure::new(super::EXIT_FILE, e.message(lang))),
        };
        let r = Report::new(&env.procedure, &progress, env.today);
        let expiry = match &azure {
            None => r.expiry(),
            Some(Some(end)) => match crate::core::fields::last_day_of_end(end) {
                Some(last) => Expiry::on(end[..10].to_string(), last, env.today),
                None => Expiry::Unknown,
            },
            Some(None) => Expiry::Unknown,
        };
        // One match: the state for JSON, the exit code and the line say the same thing.
        let (state, date, days, line) = match expiry {
            Expiry::Unknown if azure.is_some() => (
                "unknown",
                None,
                None,
                tr!(
                    lang,
                    "{name}: the recorded client secret is not on the app in Azure (azreg doctor tells more)",
                    "{name}: der erfasste geheime Clientschlüssel ist nicht an der App in Azure (azreg doctor sagt mehr)",
                    name = name,
                ),
            ),
            Expiry::Unknown => (
                "unknown",
                None,
                None,
                tr!(
                    lang,
                    "{name}: no expiry recorded (step {s})",
                    "{name}: kein Ablaufdatum erfasst (Schritt {s})",
                    name = name,
                    s = r.procedure.step_of_field("secret_expiry"),
                ),
            ),
            Expiry::Past { date, days } => {
                let n = DAYS_DATIVE.count(lang, -days);
                let line = tr!(
                    lang,
                    "{name}: the client secret expired on {d}, {n} ago: renew it (azreg renew)",
                    "{name}: der geheime Clientschlüssel ist am {d} abgelaufen, vor {n}: erneuern Sie ihn (azreg renew)",
                    name = name,
                    d = date,
                    n = n,
                );
                ("expired", Some(date), Some(days), line)
            }
            Expiry::Ok { date, days } | Expiry::Soon { date, days } if days <= within => {
                let n = DAYS_DATIVE.count(lang, days);
                let line = tr!(
                    lang,
                    "{name}: the client secret expires on {d}, in {n}: renew it now (azreg renew)",
                    "{name}: der geheime Clientschlüssel läuft am {d} ab, in {n}: erneuern Sie ihn jetzt (azreg renew)",
                    name = name,
                    d = date,
                    n = n,
                );
                ("expiring", Some(date), Some(days), line)
            }
            Expiry::Ok { date, days } | Expiry::Soon { date, days } => {
                let n = DAYS_DATIVE.count(lang, days);
                let line = tr!(
                    lang,
                    "{name}: the client secret expires on {d}, in {n}",
                    "{name}: der geheime Clientschlüssel läuft am {d} ab, in {n}",
                    name = name,
                    d = date,
                    n = n,
                );
                ("ok", Some(date), Some(days), line)
            }
        };
        code = code.max(match state {
            "expired" | "expiring" => EXPIRING,
            "unknown" => EXIT_CHECK,
            _ => EXIT_OK,
        });
        text += &line;
        text.push('\n');
        rows.push(serde_json::json!({
            "profile": profile, "file": path.display().to_string(),
            "expires": date, "days_left": days, "state": state,
            "source": if azure.is_some() { "azure" } else { "recorded" },
        }));
    }
    let printed = if json {
        // Always a list, one or all profiles: scripts read one shape.
        let doc = serde_json::json!({
            "schema": "azreg.expiry", "version": 1, "within_days": within, "secrets": rows,
        });
        super::json_text(doc)
    } else {
        text
    };
    out.write_all(printed.as_bytes())
        .map_err(|e| Failure::write(e, lang))?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn expiring(days_from_today: i64) -> (Outcome, String) {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let date =
            crate::core::fields::format_date(env.today + time::Duration::days(days_from_today));
        with_values(&env, &[("secret_expiry", date.as_str())]);
        capture(|o| run(&env, None, 30, false, None, o))
    }

    #[test]
    fn exit_codes_for_monitoring() {
        let (r, out) = expiring(10);
        assert_eq!(r, Ok(EXPIRING), "{out}");
        assert!(
            out.contains("expires on 2026-12-06, in 10 days: renew it now"),
            "{out}"
        );
        let (r, out) = expiring(100);
        assert_eq!(r, Ok(EXIT_OK), "{out}");
        assert!(out.contains("in 100 days"), "{out}");
        let (r, out) = expiring(-1);
        assert_eq!(r, Ok(EXPIRING), "{out}");
        assert!(out.contains("expired on 2026-11-25, 1 day ago"), "{out}");
        let (r, _) = expiring(30);
        assert_eq!(r, Ok(EXPIRING), "within 30 days includes the 30th");
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let (r, out) = capture(|o| run(&env, None, 30, false, None, o));
        assert_eq!(r, Ok(EXIT_CHECK), "{out}");
    }

    #[test]
    fn all_profiles_worst_wins_and_json() {
        let dir = tempfile::tempdir().unwrap();
        let mut env = env(dir.path());
        env.path = dir.path().join("progress.toml");
        with_values(&env, &[("secret_expiry", "2027-05-25")]);
        let a = crate::cli::profiles::profile_path(dir.path(), "a");
        std::fs::create_dir_all(a.parent().unwrap()).unwrap();
        let mut p = crate::core::progress::Progress::new(&env.procedure.id);
        p.values.insert("secret_expiry".into(), "2026-12-01".into());
        crate::io::store::save(&a, &p, true).unwrap();
        let (r, out) = capture(|o| run(&env, Some(dir.path()), 30, true, None, o));
        assert_eq!(r, Ok(EXPIRING));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["schema"], "azreg.expiry");
        let v = &v["secrets"];
        assert_eq!(v[0]["state"], "ok");
        assert_eq!(
            v[0]["profile"],
            serde_json::Value::Null,
            "the default file is no profile"
        );
        assert_eq!(v[1]["profile"], "a");
        assert_eq!(v[1]["state"], "expiring");
        assert_eq!(v[1]["days_left"], 5);
    }
}
