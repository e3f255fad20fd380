//! `azreg status`: where a setup stands. The secret is never shown.

use std::io::Write;

use super::{EXIT_OK, Env, Outcome};
use crate::fields::FieldState;
use crate::procedure::EntryKind;
use crate::report::{Expiry, Report};

pub fn run(env: &Env, out: &mut dyn Write) -> Outcome {
    let progress = env.load()?;
    let r = Report::new(&env.procedure, &progress, env.today);
    let p = &env.procedure;
    let io =
        |e: std::io::Error| super::Failure::new(super::EXIT_USAGE, format!("cannot write: {e}"));
    let entry_name = |i: usize| match p.entries[i].kind {
        EntryKind::Step { number, .. } => format!("{number}. {}", p.entries[i].step.title),
        _ => p.entries[i].step.title.clone(),
    };
    let mut text = String::new();
    let profile = env
        .profile
        .as_deref()
        .map(|n| format!(" (profile {n})"))
        .unwrap_or_default();
    text += &format!("Progress file:  {}{profile}\n", env.path.display());
    text += &format!(
        "Progress:       {}/{} steps done\n",
        r.done_count(),
        r.step_count()
    );
    let current = r.current();
    text += &format!("Current step:   {}\n", entry_name(current));
    let next = r.next_open(current.saturating_sub(1));
    let next = if next == p.summary_index() {
        "none: all steps are done".to_string()
    } else {
        entry_name(next)
    };
    text += &format!("Next open step: {next}\n");
    text += "Values:\n";
    let fields = r.fields();
    let w = fields.iter().map(|(f, _)| f.id.len()).max().unwrap_or(0);
    for (spec, a) in &fields {
        let state = a.state();
        let shown = match (&a.value, spec.is_secret()) {
            (None, _) => String::new(),
            (Some(v), true) => format!("set, {} chars (not shown)", v.chars().count()),
            (Some(v), false) => crate::text::clean_for_display(v).into_owned(),
        };
        let derived = if a.derived { " (derived)" } else { "" };
        text += &format!(
            "  {:<w$}  {:<7}  {shown}{derived}\n",
            spec.id,
            state.label()
        );
        if matches!(state, FieldState::Error | FieldState::Warning) {
            for p in &a.problems {
                text += &format!("  {:<w$}           {}\n", "", p.message);
            }
        }
    }
    text += &match r.expiry() {
        Expiry::Unknown => "Secret expires: not recorded\n".to_string(),
        Expiry::Ok { date, days } => format!("Secret expires: {date} (in {days} days)\n"),
        Expiry::Soon { date, days } => {
            format!(
                "Secret expires: {date}: warning: in {days} days; create a new secret in time\n"
            )
        }
        Expiry::Past { date, .. } => {
            format!("Secret expires: {date}: error: the secret has expired; create a new one\n")
        }
    };
    text += &match &progress.last_verified {
        Some(t) => format!("Live check:     last passed {t}\n"),
        None => "Live check:     not passed yet (azreg verify)\n".to_string(),
    };
    let text: String = text
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    out.write_all(text.as_bytes()).map_err(io)?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn status_of_a_fresh_file() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let (r, out) = capture(|o| super::run(&env, o));
        assert_eq!(r, Ok(0));
        assert!(out.contains("Progress:       0/23 steps done"), "{out}");
        assert!(out.contains("Current step:   Before you start"), "{out}");
        assert!(out.contains("Next open step: 1. Sign in"), "{out}");
        assert!(out.contains("client_id"), "{out}");
        assert!(out.contains("Secret expires: not recorded"));
    }

    #[test]
    fn status_never_shows_the_secret_and_warns_of_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let mut values = FULL.to_vec();
        values.retain(|(k, _)| *k != "secret_expiry");
        values.push(("secret_expiry", "2026-12-06"));
        with_values(&env, &values);
        let (r, out) = capture(|o| super::run(&env, o));
        assert_eq!(r, Ok(0));
        assert!(!out.contains("abc8Q~"), "{out}");
        assert!(out.contains("set, 40 chars (not shown)"), "{out}");
        assert!(out.contains("warning: in 10 days"), "{out}");
        assert!(out.contains("oauth2callback.html (derived)"), "{out}");
    }
}
