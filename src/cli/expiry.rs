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

/// How the answer is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    /// A Nagios/Icinga plugin: one status line with performance data, exit 0/1/2/3.
    Nagios {
        warning: i64,
        critical: i64,
    },
}

/// One file's answer, for every format.
struct Row {
    name: String,
    profile: Option<String>,
    date: Option<String>,
    days: Option<i64>,
    state: &'static str,
    line: String,
}

/// The files to check: every profile (and the default file) in `state_dir`, else the one of
/// the command; each with the name in lines and the profile for scripts (none for the default
/// file or a --file).
fn files(env: &Env, state_dir: Option<&Path>) -> Vec<(String, Option<String>, PathBuf)> {
    match state_dir {
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
    }
}

/// The exit code of a state: 6 expiring or expired, 1 unknown.
fn exit_of(state: &str) -> u8 {
    match state {
        "expired" | "expiring" => EXPIRING,
        "unknown" => EXIT_CHECK,
        _ => EXIT_OK,
    }
}

/// One file's expiry judged: the state for JSON, the date, the days left and the line, which
/// say the same thing (and give the exit code). `online`: Azure was asked just now.
fn judged(
    r: &Report,
    name: &str,
    expiry: Expiry,
    online: bool,
    within: i64,
) -> (&'static str, Option<String>, Option<i64>, String) {
    let lang = r.procedure.lang();

    match expiry {
        // A deleted app has no secret to renew: said as such, never as expiring.
        _ if r.progress.app_deleted.is_some() => (
            "deleted",
            None,
            None,
            tr!(
                lang,
                "{name}: the app registration was deleted on {at}: nothing to renew",
                "{name}: die App-Registrierung wurde am {at} gelöscht: nichts zu erneuern",
                name = name,
                at = r
                    .progress
                    .app_deleted
                    .and_then(|t| t.date)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
        ),
        Expiry::Unknown if online => (
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
    }
}

pub fn run(
    env: &Env,
    state_dir: Option<&Path>,
    within: i64,
    (format, prometheus): (Format, Option<&Path>),
    online: Option<&super::apply::SignInArgs>,
    out: &mut dyn Write,
) -> Outcome {
    let json = format == Format::Json;
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
    let files = files(env, state_dir);
    let mut code = EXIT_OK;
    let mut rows = Vec::new();
    let mut answers = Vec::new();
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
        // Offline, the earlier of the typed end and the one Azure last showed (read by doctor,
        // secrets, apply or check --online), saying which and from when.
        let (expiry, read) = match &azure {
            None => r.true_expiry(),
            Some(Some(end)) => match crate::core::fields::last_day_of_end(end) {
                // The last day it works, as everywhere (an end at midnight: the day before).
                Some(last) => (
                    Expiry::on(crate::core::fields::format_date(last), last, env.today),
                    None,
                ),
                None => (Expiry::Unknown, None),
            },
            Some(None) => (Expiry::Unknown, None),
        };
        let from_azure = azure.is_some() || read.is_some();
        let name = match read {
            Some(at) => tr!(
                lang,
                "{name} (Azure's end date, read {at})",
                "{name} (Enddatum aus Azure, gelesen {at})",
                name = name,
                at = at.date.map(|d| d.to_string()).unwrap_or_default(),
            ),
            None => name,
        };
        let (state, date, days, line) = judged(&r, &name, expiry, azure.is_some(), within);
        code = code.max(exit_of(state));
        text += &line;
        text.push('\n');
        rows.push(serde_json::json!({
            "profile": profile, "file": path.display().to_string(),
            "expires": date, "days_left": days, "state": state,
            "source": if from_azure { "azure" } else { "recorded" },
        }));
        answers.push(Row {
            name: profile.clone().unwrap_or_else(|| "default".into()),
            profile: profile.clone(),
            date: date.clone(),
            days,
            state,
            line,
        });
    }
    if let Some(file) = prometheus {
        metrics(file, &answers, within, lang)?;
    }
    if let Format::Nagios { warning, critical } = format {
        let (code, line) = nagios(&answers, warning, critical);
        out.write_all(line.as_bytes())
            .map_err(|e| Failure::write(e, lang))?;
        return Ok(code);
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

/// The plugin's answer (Monitoring Plugins guidelines): `AZREG SECRET STATUS - text | perf`,
/// the worst file deciding (CRITICAL, then WARNING, then UNKNOWN, else OK), and its exit code.
fn nagios(rows: &[Row], warning: i64, critical: i64) -> (u8, String) {
    let level = |r: &Row| match (r.state, r.days) {
        ("deleted", _) => 0,
        ("expired", _) => 2,
        // As the plugin guidelines' range `N:` in the performance data says: alert below N.
        (_, Some(d)) if d < critical => 2,
        (_, Some(d)) if d < warning => 1,
        (_, Some(_)) => 0,
        _ => 3,
    };
    let rank = |l: u8| match l {
        2 => 3,
        1 => 2,
        3 => 1,
        _ => 0,
    };
    let worst = rows.iter().max_by_key(|r| rank(level(r)));
    let code = worst.map_or(3, level);
    let status = ["OK", "WARNING", "CRITICAL", "UNKNOWN"][usize::from(code)];
    let text = match (rows.len(), worst) {
        (_, None) => "no progress file".to_string(),
        (1, Some(r)) => r.line.clone(),
        (n, Some(r)) => format!("{n} secrets, worst: {}", r.line),
    };
    // The text may not hold `|` (it starts the performance data) nor a line break.
    let text = crate::text::one_line(&text).replace('|', "/");
    let perf: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let days = r.days?;
            let label = if rows.len() == 1 {
                "days_left".to_string()
            } else {
                format!("days_left_{}", r.name)
                    .replace('\'', "''")
                    .replace('=', "_")
            };
            // Thresholds as ranges (`30:` = alert below 30), so a plugin's parser and the exit
            // code agree.
            Some(format!("'{label}'={days};{warning}:;{critical}:;;"))
        })
        .collect();
    let line = if perf.is_empty() {
        format!("AZREG SECRET {status} - {text}\n")
    } else {
        format!("AZREG SECRET {status} - {text} | {}\n", perf.join(" "))
    };
    (code, line)
}

/// The expiry as Prometheus metrics (text exposition format) for node_exporter's textfile
/// collector: written beside the target and renamed over it, so a scrape never reads half a
/// file; readable by the exporter (0644).
/// The Prometheus textfile, or the command's failure.
fn metrics(file: &Path, rows: &[Row], within: i64, lang: crate::i18n::Lang) -> Result<(), Failure> {
    write_prometheus(file, rows, within).map_err(|e| {
        Failure::new(
            super::EXIT_FILE,
            tr!(
                lang,
                "{file}: the metrics could not be written: {e}",
                "{file}: die Metriken ließen sich nicht schreiben: {e}",
                file = crate::text::one_line(&file.display().to_string()),
                e = e,
            ),
        )
    })
}

fn write_prometheus(file: &Path, rows: &[Row], within: i64) -> std::io::Result<()> {
    let escape = |v: &str| {
        crate::text::one_line(v)
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
    };
    let mut t = String::from(
        "# HELP azreg_client_secret_expiry_timestamp_seconds When the client secret in use stops working (the end of its last day, UTC).\n\
         # TYPE azreg_client_secret_expiry_timestamp_seconds gauge\n",
    );
    let mut days = String::from(
        "# HELP azreg_client_secret_days_left Whole days until the client secret in use stops working (negative: since).\n\
         # TYPE azreg_client_secret_days_left gauge\n",
    );
    for r in rows {
        let labels = format!(
            "profile=\"{}\",state=\"{}\"",
            escape(r.profile.as_deref().unwrap_or("")),
            r.state
        );
        let end = r
            .date
            .as_deref()
            .and_then(crate::core::fields::parse_date)
            .map(|d| {
                d.with_hms(23, 59, 59)
                    .map(|t| t.assume_utc().unix_timestamp())
            });
        if let Some(Ok(ts)) = end {
            t.push_str(&format!(
                "azreg_client_secret_expiry_timestamp_seconds{{{labels}}} {ts}\n"
            ));
        }
        if let Some(d) = r.days {
            days.push_str(&format!("azreg_client_secret_days_left{{{labels}}} {d}\n"));
        }
    }
    t.push_str(&days);
    t.push_str(&format!(
        "# HELP azreg_client_secret_warning_days The days left azreg warns at (--expires-within).\n\
         # TYPE azreg_client_secret_warning_days gauge\n\
         azreg_client_secret_warning_days {within}\n"
    ));
    // Read by the node exporter's user: 0644, and never half-written.
    crate::io::safe_fs::replace_whole(file, t.as_bytes(), 0o644)
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
        capture(|o| run(&env, None, 30, (Format::Text, None), None, o))
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
        let (r, out) = capture(|o| run(&env, None, 30, (Format::Text, None), None, o));
        assert_eq!(r, Ok(EXIT_CHECK), "{out}");
    }

    /// A status line as the Monitoring Plugins guidelines have it:
    /// `SERVICE STATUS - text | 'label'=value[UOM];[warn];[crit];[min];[max]`.
    fn plugin_line_ok(line: &str) -> bool {
        let Some((head, perf)) = line.trim_end().split_once(" | ") else {
            return !line.contains('|');
        };
        let status_ok = ["OK", "WARNING", "CRITICAL", "UNKNOWN"]
            .iter()
            .any(|s| head.starts_with(&format!("AZREG SECRET {s} - ")));
        status_ok
            && perf.split(' ').all(|p| {
                let Some((label, rest)) = p.split_once('=') else {
                    return false;
                };
                let fields: Vec<&str> = rest.split(';').collect();
                label.starts_with('\'')
                    && label.ends_with('\'')
                    && fields.len() == 5
                    && fields[0].parse::<i64>().is_ok()
                    && fields[1]
                        .strip_suffix(':')
                        .is_some_and(|w| w.parse::<i64>().is_ok())
                    && fields[2]
                        .strip_suffix(':')
                        .is_some_and(|c| c.parse::<i64>().is_ok())
            })
    }

    /// `check --expires-within 30 --nagios --warning 30 --critical 7`.
    fn nagios_check(env: &Env) -> (Outcome, String) {
        let nagios = Format::Nagios {
            warning: 30,
            critical: 7,
        };
        capture(|o| run(env, None, 30, (nagios, None), None, o))
    }

    #[test]
    fn a_nagios_plugin_answer_per_threshold() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        for (days, code, status) in [
            (100, 0, "OK"),
            (20, 1, "WARNING"),
            (5, 2, "CRITICAL"),
            (-3, 2, "CRITICAL"),
        ] {
            let date = crate::core::fields::format_date(env.today + time::Duration::days(days));
            with_values(&env, &[("secret_expiry", date.as_str())]);
            let (r, out) = nagios_check(&env);
            assert_eq!(r, Ok(code), "{out}");
            assert!(
                out.starts_with(&format!("AZREG SECRET {status} - ")),
                "{out}"
            );
            assert!(
                out.contains(&format!("'days_left'={days};30:;7:;;")),
                "{out}"
            );
            assert!(plugin_line_ok(&out), "{out}");
            assert_eq!(out.lines().count(), 1);
        }
        let empty = tempfile::tempdir().unwrap();
        let env = super::super::testing::env(empty.path());
        let (r, out) = nagios_check(&env);
        assert_eq!(r, Ok(3), "no expiry recorded: UNKNOWN\n{out}");
        assert!(
            out.starts_with("AZREG SECRET UNKNOWN - ") && plugin_line_ok(&out),
            "{out}"
        );
    }

    #[test]
    fn prometheus_metrics_written_whole_beside_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, &[("secret_expiry", "2027-01-04")]);
        let prom = dir.path().join("azreg.prom");
        let (r, _) = capture(|o| run(&env, None, 30, (Format::Text, Some(&prom)), None, o));
        assert_eq!(r, Ok(EXIT_OK));
        let t = std::fs::read_to_string(&prom).unwrap();
        assert!(
            t.contains("# TYPE azreg_client_secret_expiry_timestamp_seconds gauge"),
            "{t}"
        );
        // 2027-01-04T23:59:59Z
        assert!(
            t.contains(
                "azreg_client_secret_expiry_timestamp_seconds{profile=\"\",state=\"ok\"} 1799107199"
            ),
            "{t}"
        );
        assert!(
            t.contains("azreg_client_secret_days_left{profile=\"\",state=\"ok\"} 39"),
            "{t}"
        );
        assert!(t.contains("azreg_client_secret_warning_days 30"), "{t}");
        // Nothing left over beside it.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".prom"))
            .collect();
        assert_eq!(names, ["azreg.prom"]);
    }

    #[test]
    fn azures_earlier_end_wins_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, &[("secret_expiry", "2027-05-25")]);
        let mut p = crate::io::store::load(&env.path).unwrap().unwrap();
        // Azure ends the secret in use in 9 days; the typed date says 180.
        let end = crate::core::fields::format_date(env.today + time::Duration::days(9));
        p.azure_secret = Some(crate::core::progress::AzureSecret {
            end: format!("{end}T23:59:59Z"),
            read: "2026-11-20T08:00:00Z".parse().unwrap(),
        });
        crate::io::store::save(&env.path, &p, true).unwrap();
        let (r, out) = capture(|o| run(&env, None, 30, (Format::Text, None), None, o));
        assert_eq!(r, Ok(EXPIRING), "{out}");
        assert!(out.contains("Azure's end date, read 2026-11-20"), "{out}");
        assert!(out.contains("in 9 days"), "{out}");
        let (_, out) = capture(|o| run(&env, None, 30, (Format::Json, None), None, o));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["secrets"][0]["source"], "azure");
        assert_eq!(v["secrets"][0]["days_left"], 9);
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
        let (r, out) = capture(|o| run(&env, Some(dir.path()), 30, (Format::Json, None), None, o));
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
