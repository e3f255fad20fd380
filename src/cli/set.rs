//! `azreg set FIELD VALUE` and `azreg done STEP`: the walkthrough's two changes from the
//! command line, with its validation, its lock and its messages.

use crate::core::edit::SetOutcome;
use crate::i18n::Worded;
use std::io::{BufRead, Read, Write};

use super::{EXIT_CHECK, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome};
use crate::core::fields;
use crate::core::procedure::EntryKind;
use crate::core::report::Report;
use crate::tr;

/// `azreg set`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The field's id (azreg status lists them)
    pub field: String,
    /// The value; omit it with --stdin
    #[arg(required_unless_present = "stdin")]
    pub value: Option<String>,
    /// Read the value from the first line of stdin
    #[arg(long, conflicts_with = "value")]
    pub stdin: bool,
}

/// `azreg done`.
#[derive(Debug, Clone, clap::Args)]
pub struct DoneArgs {
    /// The step's number (1 to 23, P1 ...) or id (azreg steps lists them)
    pub step: String,
    /// Mark it open again
    #[arg(long)]
    pub open: bool,
}

/// The most read from stdin for a value (one line; a value is far shorter).
const MAX_VALUE: u64 = 4096;

/// Where the value comes from.
pub enum Source<'a> {
    Arg(&'a str),
    Stdin(&'a mut dyn BufRead),
}

/// `azreg set FIELD [VALUE | --stdin]`.
pub fn exec(env: &Env, a: &Args, input: &mut dyn std::io::BufRead, out: &mut dyn Write) -> Outcome {
    let source = match &a.value {
        Some(v) => Source::Arg(v),
        None => Source::Stdin(input),
    };
    set(env, &a.field, source, out)
}

/// `azreg done STEP [--open]`.
pub fn exec_done(env: &Env, a: &DoneArgs, out: &mut dyn Write) -> Outcome {
    done(env, &a.step, a.open, out)
}

pub fn set(env: &Env, field: &str, source: Source, out: &mut dyn Write) -> Outcome {
    let lang = env.procedure.lang();
    let Some(spec) = env.procedure.field(field) else {
        let known: Vec<&str> = env.procedure.fields.iter().map(|f| f.id.as_str()).collect();
        return Err(Failure::new(
            EXIT_USAGE,
            tr!(
                lang,
                "no field {:?}; the fields are: {}",
                "kein Feld {:?}; die Felder sind: {}",
                crate::text::clean_for_display(field),
                known.join(", ")
            ),
        ));
    };
    let raw = match source {
        // A command line is visible to other users (ps) and kept in shell history.
        Source::Arg(_) if spec.is_secret() => {
            return Err(Failure::new(
                EXIT_USAGE,
                tr!(
                    lang,
                    "give the client secret on stdin (--stdin), not as an argument: a command line is visible to others and kept in shell history",
                    "geben Sie den geheimen Clientschlüssel über stdin (--stdin) an, nicht als Argument: eine Befehlszeile ist für andere sichtbar und bleibt in der Shell-Historie"
                ),
            ));
        }
        Source::Arg(v) => v.to_string(),
        Source::Stdin(input) => {
            let mut line = String::new();
            input
                .take(MAX_VALUE)
                .read_line(&mut line)
                .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))?;
            line.trim_end_matches(['\n', '\r']).to_string()
        }
    };
    let cleaned = fields::clean_input(&raw)
        .map_err(|e| Failure::new(EXIT_CHECK, format!("{}: {}", spec.label, e.message(lang))))?;
    let value = fields::normalize(spec, &cleaned);
    let mut opened = env.open()?;
    for note in &opened.notes {
        eprintln!("azreg: {note}");
    }
    let set = crate::core::edit::set_value(
        &env.procedure,
        &mut opened.progress,
        spec,
        &value,
        (env.today, crate::io::clock::now(), "set"),
    );
    // The command line refuses a value in error; the walkthrough shows it in red to fix.
    if let SetOutcome::Refused(why) = set.outcome() {
        return Err(Failure::new(
            EXIT_CHECK,
            tr!(
                lang,
                "{}: {}; nothing was changed",
                "{}: {}; nichts wurde geändert",
                spec.label,
                why
            ),
        ));
    }
    let message = set.message(spec, lang);
    if set.changed {
        env.save_opened(&mut opened)?;
    }
    writeln!(out, "{message}").map_err(|e| Failure::write(e, lang))?;
    Ok(EXIT_OK)
}

/// `done STEP`: by id (`enter-web-uri`) or number (`10`, `P2`); `open` marks it open again.
pub fn done(env: &Env, step: &str, open: bool, out: &mut dyn Write) -> Outcome {
    let lang = env.procedure.lang();
    let p = &env.procedure;
    let Some(index) = p.entries.iter().enumerate().position(|(i, e)| {
        matches!(e.kind, EntryKind::Step { .. })
            && (e.step.id == step || p.label(i).eq_ignore_ascii_case(step))
    }) else {
        return Err(Failure::new(
            EXIT_USAGE,
            tr!(
                lang,
                "no step {:?}: give its number (1 to {}, P1 ...) or its id (azreg steps lists them)",
                "kein Schritt {:?}: geben Sie seine Nummer (1 bis {}, P1 ...) oder seine ID an (azreg steps listet sie)",
                crate::text::clean_for_display(step),
                p.step_count()
            ),
        ));
    };
    let entry = &p.entries[index];
    let label = p.label(index).to_string();
    let mut opened = env.open()?;
    for note in &opened.notes {
        eprintln!("azreg: {note}");
    }
    if open {
        if opened.progress.done.remove(&entry.step.id).is_some() {
            env.save_opened(&mut opened)?;
        }
        writeln!(
            out,
            "{}",
            tr!(
                lang,
                "Step {label} is open again",
                "Schritt {label} ist wieder offen",
                label = label,
            )
        )
        .map_err(|e| Failure::write(e, lang))?;
        return Ok(EXIT_OK);
    }
    // The walkthrough's rule: a step is done once the values it captures are there and right.
    let marked = crate::core::edit::mark_done(
        p,
        &mut opened.progress,
        index,
        (env.today, crate::io::clock::now()),
    );
    let reason = match marked {
        Ok(_) => None,
        Err(crate::core::edit::Blocked::Empty(spec)) => Some(tr!(
            lang,
            "enter \"{p0}\" first (azreg set {id} ...)",
            "erst „{p0}“ eintragen (azreg set {id} ...)",
            p0 = spec.label,
            id = spec.id,
        )),
        Err(crate::core::edit::Blocked::Error(spec, why)) => Some(format!("{}: {why}", spec.label)),
    };
    if let Some(reason) = reason {
        return Err(Failure::new(
            EXIT_CHECK,
            tr!(
                lang,
                "Step {label} is not done yet: {reason}",
                "Schritt {label} ist noch nicht erledigt: {reason}",
                label = label,
                reason = reason,
            ),
        ));
    }
    env.save_opened(&mut opened)?;
    let r = Report::new(p, &opened.progress, env.today);
    let (n, total) = (r.done_count(), r.step_count());
    writeln!(
        out,
        "{}",
        tr!(
            lang,
            "Step {label} done ({n}/{total})",
            "Schritt {label} erledigt ({n}/{total})",
            label = label,
            n = n,
            total = total,
        )
    )
    .map_err(|e| Failure::write(e, lang))?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn set_checks_like_the_walkthrough_and_changes_nothing_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let (r, out) = capture(|o| {
            set(
                &env,
                "client_id",
                Source::Arg("{0B1C2D3E-1111-2222-3333-444455556666}"),
                o,
            )
        });
        assert_eq!(r, Ok(0), "{out}");
        assert_eq!(out, "Application (client) ID saved\n");
        assert_eq!(
            env.load().unwrap().values["client_id"],
            "0b1c2d3e-1111-2222-3333-444455556666"
        );
        let (r, _) = capture(|o| set(&env, "client_id", Source::Arg("nope"), o));
        let f = r.unwrap_err();
        assert_eq!(f.code, 1);
        assert!(f.message.contains("not a GUID"), "{}", f.message);
        assert_eq!(
            env.load().unwrap().values["client_id"],
            "0b1c2d3e-1111-2222-3333-444455556666"
        );
        // The secret only through stdin.
        let (r, _) = capture(|o| {
            set(
                &env,
                "client_secret",
                Source::Arg("abc8Q~abcdefghijklmnopqrstuvwxyz0123456_"),
                o,
            )
        });
        assert!(r.unwrap_err().message.contains("--stdin"));
        let mut input = &b"abc8Q~abcdefghijklmnopqrstuvwxyz0123456_\n"[..];
        let (r, out) = capture(|o| set(&env, "client_secret", Source::Stdin(&mut input), o));
        assert_eq!(r, Ok(0));
        assert!(!out.contains("abc8Q~"));
        let (r, _) = capture(|o| set(&env, "nope", Source::Arg("x"), o));
        assert!(
            r.unwrap_err()
                .message
                .contains("the fields are: portal_url")
        );
    }

    #[test]
    fn a_date_may_be_given_as_days_from_today() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let (r, out) = capture(|o| set(&env, "secret_expiry", Source::Arg("180"), o));
        assert_eq!(r, Ok(0), "{out}");
        let want = crate::core::fields::format_date(env.today + time::Duration::days(180));
        let p = crate::io::store::load(&env.path).unwrap().unwrap();
        assert_eq!(p.values["secret_expiry"], want);
        // Beyond what Azure allows is not a number of days, and refused as a date.
        let (r, _) = capture(|o| set(&env, "secret_expiry", Source::Arg("731"), o));
        assert_eq!(r.unwrap_err().code, 1);
    }

    #[test]
    fn done_by_number_or_id_needs_the_steps_values() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let (r, out) = capture(|o| done(&env, "1", false, o));
        assert_eq!(r, Ok(0));
        assert_eq!(out, "Step 1 done (1/23)\n");
        let (r, _) = capture(|o| done(&env, "enter-web-uri", false, o));
        let f = r.unwrap_err();
        assert_eq!(f.code, 1);
        assert!(
            f.message.contains("Step 10 is not done yet"),
            "{}",
            f.message
        );
        let (r, _) = capture(|o| done(&env, "p1", false, o));
        assert_eq!(r, Ok(0));
        assert!(env.load().unwrap().is_done("open-api-permissions"));
        let (r, _) = capture(|o| done(&env, "1", true, o));
        assert_eq!(r, Ok(0));
        assert!(!env.load().unwrap().is_done("sign-in"));
        assert!(capture(|o| done(&env, "99", false, o)).0.is_err());
    }
}
