//! `azreg status`: where a setup stands. The secret is never shown.

use std::io::Write;

use super::{EXIT_OK, Env, Outcome};
use crate::core::fields::FieldState;
use crate::core::procedure::EntryKind;
use crate::core::report::{Expiry, Report};
use crate::i18n::L;
use crate::i18n::nouns::DAYS_DATIVE;
use crate::tr;

/// `azreg status`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// One JSON object instead of text (schema: assets/schemas/)
    #[arg(long)]
    pub json: bool,
}

/// `azreg status`.
pub fn exec(env: &Env, a: &Args, out: &mut dyn Write) -> Outcome {
    run(env, a.json, out)
}

pub fn run(env: &Env, json: bool, out: &mut dyn Write) -> Outcome {
    let progress = env.load()?;
    let r = Report::new(&env.procedure, &progress, env.today);
    let p = &env.procedure;
    let lang = p.lang();
    let io = |e: std::io::Error| super::Failure::write(e, lang);
    if json {
        write!(out, "{}", super::json_text(status_json(env, &r))).map_err(io)?;
        return Ok(EXIT_OK);
    }
    let entry_name = |i: usize| match p.entries[i].kind {
        EntryKind::Step { .. } => format!("{}. {}", p.entries[i].label, p.entries[i].step.title),
        _ => p.entries[i].step.title.clone(),
    };
    // Labels padded to one width, in either language.
    let labels = [
        L::new("Progress file:", "Fortschrittsdatei:"),
        L::new("Progress:", "Fortschritt:"),
        L::new("Current step:", "Aktueller Schritt:"),
        L::new("Next open step:", "Nächster Schritt:"),
        L::new("Values:", "Werte:"),
        L::new("Secret expires:", "Schlüssel läuft ab:"),
        L::new("Live check:", "Live-Prüfung:"),
        L::new("Permissions:", "Berechtigungen:"),
    ]
    .map(|l| l.get(lang));
    let w = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) + 1;
    let line = |i: usize, value: String| format!("{:<w$}{value}\n", labels[i]);
    let mut text = String::new();
    let profile = env
        .profile
        .as_deref()
        .map(|n| tr!(lang, " (profile {n})", " (Profil {n})", n = n))
        .unwrap_or_default();
    text += &line(0, format!("{}{profile}", env.path.display()));
    let (done, total) = (r.done_count(), r.step_count());
    text += &line(
        1,
        tr!(
            lang,
            "{done}/{total} steps done",
            "{done}/{total} Schritte erledigt",
            done = done,
            total = total,
        ),
    );
    text += &line(7, r.access().describe(lang));
    let current = r.current();
    text += &line(2, entry_name(current));
    let next = r.next_open(current.saturating_sub(1));
    let next = if next == p.summary_index() {
        L::new(
            "none: all steps are done",
            "keiner: alle Schritte sind erledigt",
        )
        .get(lang)
        .to_string()
    } else {
        entry_name(next)
    };
    text += &line(3, next);
    text += &format!("{}\n", labels[4]);
    text += &values(&r, lang);
    text += &line(5, expiry(&r, lang));
    for note in record_notes(&progress, lang) {
        text += &format!("{:<w$}{note}\n", "");
    }
    text += &line(
        6,
        match &progress.last_verified {
            Some(t) => tr!(lang, "last passed {t}", "zuletzt bestanden {t}", t = t),
            None => L::new(
                "not passed yet (azreg verify)",
                "noch nicht bestanden (azreg verify)",
            )
            .get(lang)
            .to_string(),
        },
    );
    let text: String = text
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    out.write_all(text.as_bytes()).map_err(io)?;
    Ok(EXIT_OK)
}

/// What the record says beside the dates: an app deleted, a rotation in progress (two
/// secrets, which one Intrexx is believed to use), a guided renewal under way.
fn record_notes(
    progress: &crate::core::progress::Progress,
    lang: crate::i18n::Lang,
) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(at) = progress.app_deleted {
        notes.push(
            tr!(
                lang,
                "the app registration was deleted on {at} (azreg delete): its ids are in the history, its secret no longer works",
                "die App-Registrierung wurde am {at} gelöscht (azreg delete): ihre IDs sind im Verlauf, ihr Schlüssel funktioniert nicht mehr",
                at = at,
            ),
        );
    }
    // A rotation in progress: two secrets, and which one Intrexx is believed to use.
    if let Some(rot) = &progress.rotation {
        notes.push(
            tr!(
                lang,
                "rotation since {since}: the old secret {old}… stays, as Intrexx is believed to use it until switched to the new one; azreg apply --remove-old removes it once Intrexx uses the new one",
                "Rotation seit {since}: der alte Schlüssel {old}… bleibt, da Intrexx ihn vermutlich nutzt, bis auf den neuen umgestellt ist; azreg apply --remove-old entfernt ihn, sobald Intrexx den neuen nutzt",
                since = rot.since,
                old = rot.hint_shown(),
            ),
        );
    }
    // A guided renewal (azreg renew) under way: the new secret is captured, the old one stays
    // on the app until its last step, so the connector keeps working in between.
    if progress.rotation.is_none() && progress.values.contains_key("new_client_secret") {
        notes.push(
            L::new(
                "a renewal is under way (azreg renew): the new secret is captured, Intrexx is believed to use the old one until the renewal's last step (delete the old secret) is done",
                "eine Erneuerung läuft (azreg renew): der neue Schlüssel ist erfasst, Intrexx nutzt vermutlich den alten, bis der letzte Schritt der Erneuerung (alten Schlüssel löschen) erledigt ist",
            )
            .get(lang)
            .to_string(),
        );
    }
    notes
}

/// Each value: its state, what it is (never the secret), its problems.
fn values(r: &Report, lang: crate::i18n::Lang) -> String {
    let mut text = String::new();
    let fields = r.fields();
    let idw = fields.iter().map(|(f, _)| f.id.len()).max().unwrap_or(0);
    for (spec, a) in &fields {
        let state = a.state();
        let shown = match (&a.value, spec.is_secret()) {
            (None, _) => String::new(),
            (Some(v), true) => {
                let n = v.chars().count();
                tr!(
                    lang,
                    "set, {n} chars (not shown)",
                    "gesetzt, {n} Zeichen (nicht angezeigt)",
                    n = n,
                )
            }
            (Some(v), false) => crate::text::clean_for_display(spec.shown(v)).into_owned(),
        };
        let derived = if a.derived {
            L::new(" (derived)", " (abgeleitet)").get(lang)
        } else {
            ""
        };
        text += &format!(
            "  {:<idw$}  {:<8}  {shown}{derived}\n",
            spec.id,
            state.label(lang)
        );
        if matches!(state, FieldState::Error | FieldState::Warning) {
            for p in &a.problems {
                text += &format!("  {:<idw$}            {}\n", "", p.message);
            }
        }
    }
    text
}

/// The expiry that tells the truth: the earlier of the typed one and Azure's, saying which
/// and how old Azure's reading is; the other one follows for comparison.
fn expiry(r: &Report, lang: crate::i18n::Lang) -> String {
    let (shown, read) = r.true_expiry();
    let source = match (read, r.azure_expiry()) {
        (Some(read), _) => tr!(
            lang,
            "; Azure's end, read {read}; typed at the secret's step: {typed}",
            "; Ende laut Azure, gelesen {read}; beim Schritt des Schlüssels eingegeben: {typed}",
            read = read,
            typed = r.expiry().date().unwrap_or("-"),
        ),
        (None, Some((azure, read))) => tr!(
            lang,
            "; typed; Azure's end is {date} (read {read})",
            "; eingegeben; laut Azure endet er am {date} (gelesen {read})",
            date = azure.date().unwrap_or("-"),
            read = read,
        ),
        (None, None) => String::new(),
    };
    let said = match shown {
        Expiry::Unknown => L::new("not recorded", "nicht erfasst")
            .get(lang)
            .to_string(),
        Expiry::Ok { date, days } => {
            let days = DAYS_DATIVE.count(lang, days);
            tr!(
                lang,
                "{date} (in {days})",
                "{date} (in {days})",
                date = date,
                days = days
            )
        }
        Expiry::Soon { date, days } => {
            let days = DAYS_DATIVE.count(lang, days);
            tr!(
                lang,
                "{date}: warning: in {days}; create a new secret in time",
                "{date}: Warnung: in {days}; erstellen Sie rechtzeitig einen neuen Schlüssel",
                date = date,
                days = days,
            )
        }
        Expiry::Past { date, .. } => tr!(
            lang,
            "{date}: error: the secret has expired; create a new one",
            "{date}: Fehler: der Schlüssel ist abgelaufen; erstellen Sie einen neuen",
            date = date,
        ),
    };
    said + &source
}

/// `status --json`: the same facts for scripts (the schema is in the README). The secret's
/// value is never in it, only whether it is set.
fn status_json(env: &Env, r: &Report) -> serde_json::Value {
    use serde_json::json;
    let p = &env.procedure;
    let entry = |i: usize| {
        let e = &p.entries[i];
        json!({"id": e.step.id, "label": p.label(i), "title": e.step.title})
    };
    let current = r.current();
    let next = r.next_open(current.saturating_sub(1));
    let access = r.access();
    let values: Vec<_> = r
        .fields()
        .into_iter()
        .map(|(spec, a)| {
            let problems: Vec<_> = a
                .problems
                .iter()
                .map(|pr| json!({"severity": if pr.severity == crate::core::fields::Severity::Error { "error" } else { "warning" }, "message": pr.message}))
                .collect();
            json!({
                "id": spec.id,
                "label": spec.label,
                "state": format!("{:?}", a.state()).to_lowercase(),
                "value": if spec.is_secret() { serde_json::Value::Null } else { json!(a.value) },
                "set": a.value.is_some(),
                "derived": a.derived,
                "problems": problems,
            })
        })
        .collect();
    let expiry_json = |e: &Expiry| match e {
        Expiry::Unknown => serde_json::Value::Null,
        Expiry::Ok { date, days } | Expiry::Soon { date, days } | Expiry::Past { date, days } => {
            json!({"date": date, "days_left": days, "state": e.state()})
        }
    };
    // `secret_expiry` is the one that tells the truth (the earlier), with its source.
    let (shown, read) = r.true_expiry();
    let mut expiry = expiry_json(&shown);
    if !expiry.is_null() {
        expiry["source"] = json!(if read.is_some() { "azure" } else { "typed" });
        if let Some(read) = read {
            expiry["read"] = json!(read.to_string());
        }
    }
    let typed = expiry_json(&r.expiry());
    // Azure's own end of the secret in use, when azreg doctor or check --online read it.
    let azure = match r.azure_expiry() {
        Some((e, read)) => {
            let mut v = expiry_json(&e);
            v["read"] = json!(read.to_string());
            v
        }
        None => serde_json::Value::Null,
    };
    json!({
        "schema": "azreg.status",
        "version": 1,
        "file": env.path.display().to_string(),
        "profile": env.profile,
        "progress": {"done": r.done_count(), "total": r.step_count()},
        "beyond_guide": {"done": access.steps_done, "total": access.steps_total},
        "current": entry(current),
        "next_open": if next == p.summary_index() { serde_json::Value::Null } else { entry(next) },
        "values": values,
        "secret_expiry": expiry,
        "secret_expiry_typed": typed,
        "secret_expiry_azure": azure,
        "permissions": access.permissions,
        "admin_consent_granted": access.consent_granted,
        "last_verified": r.progress.last_verified.map(|t| t.to_string()),
        "app_deleted": r.progress.app_deleted.map(|t| t.to_string()),
        "rotation": r.progress.rotation.as_ref().map(|rot| json!({
            "since": rot.since.to_string(),
            "old_key": rot.old_key,
            "old_hint": rot.old_hint,
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn json_carries_progress_values_and_expiry_but_no_secret() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, FULL);
        let (r, out) = capture(|o| super::run(&env, true, o));
        assert_eq!(r, Ok(0));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["progress"]["total"], 23);
        assert_eq!(v["beyond_guide"]["total"], 3);
        assert_eq!(v["secret_expiry"]["date"], "2027-05-25");
        assert_eq!(v["secret_expiry"]["days_left"], 180);
        let secret = v["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == "client_secret")
            .unwrap();
        assert_eq!(secret["value"], serde_json::Value::Null);
        assert_eq!(secret["set"], true);
        assert!(!out.contains("abc8Q~"));
    }

    /// A hostile progress file's text reaches `status --json` cleaned: JSON escapes C0 controls
    /// itself, but a bidi control or a C1 CSI would reach the terminal of whoever prints it.
    #[test]
    fn json_carries_no_bidi_or_control_characters() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let mut values: Vec<(&str, &str)> = FULL.to_vec();
        values.retain(|(k, _)| *k != "app_name");
        values.push(("app_name", "Portal\u{202e}lanoP\u{9b}31m"));
        with_values(&env, &values);
        let (r, out) = capture(|o| super::run(&env, true, o));
        assert_eq!(r, Ok(0));
        assert!(
            !out.chars().any(crate::text::is_unsafe_outside_lines),
            "{out:?}"
        );
        assert!(out.contains("Portal\u{fffd}lanoP"), "{out}");
    }

    /// The rotation's hint comes from the file: one no secret could have is not printed.
    #[test]
    fn a_hint_no_secret_could_have_is_not_printed() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let mut p = crate::core::progress::Progress::new(&env.procedure.id);
        p.rotation = Some(crate::core::progress::Rotation {
            since: "2026-12-01T00:00:00Z".parse().unwrap(),
            old_key: "0b1c2d3e-1111-2222-3333-444455556666".into(),
            old_hint: Some("a\u{1b}[2J".into()),
        });
        env.save(&p).unwrap();
        let (r, out) = capture(|o| super::run(&env, false, o));
        assert_eq!(r, Ok(0));
        assert!(out.contains("the old secret ?… stays"), "{out}");
        assert!(!out.contains('\u{1b}'), "{out:?}");
    }

    #[test]
    fn status_of_a_fresh_file() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let (r, out) = capture(|o| super::run(&env, false, o));
        assert_eq!(r, Ok(0));
        assert!(out.contains("Progress:       0/23 steps done"), "{out}");
        assert!(out.contains("Current step:   Before you start"), "{out}");
        assert!(out.contains("Next open step: 1. Sign in"), "{out}");
        assert!(out.contains("client_id"), "{out}");
        assert!(out.contains("Secret expires: not recorded"));
        assert!(
            out.contains(
                "Permissions:    User.Read; admin consent not granted yet (steps 0/3 done)"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_guided_renewal_under_way_is_in_the_status() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let mut values = FULL.to_vec();
        values.push((
            "new_client_secret",
            "new8Q~abcdefghijklmnopqrstuvwxyz0123456_",
        ));
        with_values(&env, &values);
        let (r, out) = capture(|o| super::run(&env, false, o));
        assert_eq!(r, Ok(0));
        assert!(
            out.contains("a renewal is under way (azreg renew)"),
            "{out}"
        );
        assert!(!out.contains("new8Q~"), "{out}");
    }

    #[test]
    fn status_never_shows_the_secret_and_warns_of_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let mut values = FULL.to_vec();
        values.retain(|(k, _)| *k != "secret_expiry");
        values.push(("secret_expiry", "2026-12-06"));
        with_values(&env, &values);
        let (r, out) = capture(|o| super::run(&env, false, o));
        assert_eq!(r, Ok(0));
        assert!(!out.contains("abc8Q~"), "{out}");
        assert!(out.contains("set, 40 chars (not shown)"), "{out}");
        assert!(out.contains("warning: in 10 days"), "{out}");
        assert!(out.contains("oauth2callback.html (derived)"), "{out}");
    }
}
