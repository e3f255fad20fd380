//! The plain walkthrough (`--plain`, and by default with `TERM=dumb`): the same steps, checks,
//! messages and progress file as the full screen, line by line, for screen readers, braille
//! displays and serial consoles. No cursor addressing, no colours: it prints the step, its text
//! and the prompt, and reads a line.
//!
//! It drives the same `App` with the same messages as the full screen, so every rule and every
//! message is the walkthrough's own.

use std::io::{BufRead, Write};
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::core::fields::FieldState;
use crate::core::procedure::EntryKind;
use crate::i18n::{L, Lang};
use crate::io::store;
use crate::text::clean_for_display;
use crate::tr;
use crate::tui::app::{App, Effect, Focus, Msg};

/// The longest line read (a value is far shorter; more is not taken).
const MAX_LINE: u64 = 4096;

const COMMANDS: L = L::new(
    "Enter: mark the step done and go on · a value: enter it for the field named · back · skip · list · help · quit",
    "Enter: Schritt erledigt und weiter · ein Wert: für das genannte Feld eintragen · back (zurück) · skip (überspringen) · list (Liste) · help (Hilfe) · quit (beenden)",
);

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The field a typed value goes to: the first of the step's that is empty or wrong, else none.
fn open_field(app: &App) -> Option<usize> {
    let fields = app.current_fields();
    fields.iter().position(|id| {
        matches!(
            app.assess(id).state(),
            FieldState::Empty | FieldState::Error
        )
    })
}

fn print_entry(app: &App, out: &mut dyn Write) -> std::io::Result<()> {
    let p = &app.procedure;
    let lang = app.lang();
    let entry = &p.entries[app.cursor];
    let step = &entry.step;
    writeln!(out)?;
    if let EntryKind::Step { section, .. } = entry.kind {
        let (n, total) = (p.label(app.cursor), p.step_count());
        let sec = clean_for_display(&p.sections[section].title);
        let done = if app.progress.is_done(&step.id) {
            L::new("done", "erledigt")
        } else {
            L::new("open", "offen")
        }
        .get(lang);
        if entry.in_guide {
            writeln!(
                out,
                "{}",
                tr!(
                    lang,
                    "Step {n} of {total} ({done}) · {sec}",
                    "Schritt {n} von {total} ({done}) · {sec}",
                    n = n,
                    total = total,
                    done = done,
                    sec = sec,
                )
            )?;
        } else {
            writeln!(
                out,
                "{}",
                tr!(
                    lang,
                    "Step {n} ({done}) · {sec}",
                    "Schritt {n} ({done}) · {sec}",
                    n = n,
                    done = done,
                    sec = sec,
                )
            )?;
        }
    }
    writeln!(out, "{}", clean_for_display(&step.title))?;
    writeln!(out)?;
    writeln!(out, "{}", clean_for_display(step.body.trim_end()))?;
    if let Some(menu) = &step.menu {
        writeln!(
            out,
            "{} {}",
            L::new("Where:", "Wo:").get(lang),
            clean_for_display(menu)
        )?;
    }
    if let Some(ex) = &step.example {
        writeln!(
            out,
            "{} {}",
            L::new("Example:", "Beispiel:").get(lang),
            clean_for_display(ex)
        )?;
    }
    if let Some(w) = &step.warning {
        writeln!(
            out,
            "{} {}",
            L::new("Warning:", "Warnung:").get(lang),
            clean_for_display(w)
        )?;
    }
    for id in app.current_fields() {
        let Some(spec) = p.field(id) else { continue };
        let a = app.assess(id);
        let value = match (&a.value, spec.is_secret()) {
            (None, _) => L::new("(empty)", "(leer)").get(lang).to_string(),
            (Some(v), true) => tr!(
                lang,
                "set, {} characters (not shown)",
                "gesetzt, {} Zeichen (nicht angezeigt)",
                v.chars().count()
            ),
            (Some(v), false) => clean_for_display(v).into_owned(),
        };
        writeln!(
            out,
            "  {} [{}]: {value}",
            clean_for_display(&spec.label),
            a.state().label(lang)
        )?;
        // The choices, numbered: a number picks one.
        for (i, o) in spec.options.iter().enumerate() {
            writeln!(out, "    {}) {}", i + 1, clean_for_display(&o.label))?;
        }
        if !spec.presets.is_empty() {
            let days: Vec<String> = spec.presets.iter().map(u32::to_string).collect();
            writeln!(
                out,
                "    {}",
                tr!(
                    lang,
                    "a date (YYYY-MM-DD), or days from today: {}",
                    "ein Datum (JJJJ-MM-TT) oder Tage ab heute: {}",
                    days.join(", ")
                )
            )?;
        }
        for pr in &a.problems {
            writeln!(out, "    {}", clean_for_display(&pr.message))?;
        }
    }
    Ok(())
}

fn prompt(app: &App, out: &mut dyn Write) -> std::io::Result<()> {
    let lang = app.lang();
    let text = match open_field(app).and_then(|i| app.procedure.field(&app.current_fields()[i])) {
        Some(spec) => tr!(
            lang,
            "{} ({}), or Enter, back, skip, help, quit: ",
            "{} ({}), oder Enter, back, skip, help, quit: ",
            clean_for_display(&spec.label),
            clean_for_display(&spec.help)
        ),
        None => L::new(
            "Enter = done, or back, skip, help, quit: ",
            "Enter = erledigt, oder back, skip, help, quit: ",
        )
        .get(lang)
        .to_string(),
    };
    write!(out, "{text}")?;
    out.flush()
}

/// Run the plain walkthrough until `quit` or the end of input; saves after every change.
pub fn run(
    mut app: App,
    path: &Path,
    mut backup_pending: bool,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let lang: Lang = app.lang();
    writeln!(out, "{}", clean_for_display(&app.procedure.title))?;
    writeln!(out, "{}", COMMANDS.get(lang))?;
    let mut forget: Vec<std::path::PathBuf> = Vec::new();
    // An import kept aside is asked about in words here: Enter must never take it in unseen.
    if let Some(question) = app.import_question() {
        write!(out, "{} (y/n): ", clean_for_display(&question))?;
        out.flush()?;
        let mut line = String::new();
        std::io::Read::take(&mut *input, MAX_LINE).read_line(&mut line)?;
        let yes = matches!(
            line.trim().to_lowercase().as_str(),
            "y" | "yes" | "j" | "ja"
        );
        let answer = if yes {
            KeyCode::Char('y')
        } else {
            KeyCode::Char('n')
        };
        let effects = app.update(key(answer));
        carry_out(
            &mut app,
            effects,
            path,
            &mut backup_pending,
            &mut forget,
            out,
        )?;
        if let Some(s) = &app.status {
            writeln!(out, "{}", clean_for_display(&s.text))?;
        }
    }
    let mut shown = None;
    loop {
        if shown != Some(app.cursor) {
            print_entry(&app, out)?;
            shown = Some(app.cursor);
        }
        prompt(&app, out)?;
        let mut line = String::new();
        if std::io::Read::take(&mut *input, MAX_LINE).read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(());
        }
        let line = line.trim_end_matches(['\n', '\r']);
        app.now = crate::io::clock::now();
        app.status = None;
        app.focus = Focus::Checklist;
        let effects = match line.trim() {
            "" => app.update(key(KeyCode::Enter)),
            "back" | "zurück" => app.update(key(KeyCode::Up)),
            "skip" | "next" | "weiter" => app.update(key(KeyCode::Down)),
            "list" | "liste" => {
                list(&app, out)?;
                Vec::new()
            }
            "help" | "hilfe" | "?" => {
                writeln!(out, "{}", COMMANDS.get(lang))?;
                Vec::new()
            }
            "quit" | "q" | "beenden" => return Ok(()),
            _ => match open_field(&app).or(if app.current_fields().is_empty() {
                None
            } else {
                Some(0)
            }) {
                Some(i) => {
                    let id = app.current_fields()[i].clone();
                    app.enter_value(&id, line)
                }
                None => {
                    writeln!(
                        out,
                        "{}",
                        L::new(
                            "This step takes no value: Enter marks it done (help lists the commands).",
                            "Dieser Schritt nimmt keinen Wert: Enter markiert ihn als erledigt (help listet die Befehle)."
                        )
                        .get(lang)
                    )?;
                    Vec::new()
                }
            },
        };
        carry_out(
            &mut app,
            effects,
            path,
            &mut backup_pending,
            &mut forget,
            out,
        )?;
        if let Some(s) = &app.status {
            writeln!(out, "{}", clean_for_display(&s.text))?;
        }
    }
}

/// The effects plain mode has: saves, and an import file removed once what it held is saved
/// (as the full screen does).
fn carry_out(
    app: &mut App,
    effects: Vec<Effect>,
    path: &Path,
    backup_pending: &mut bool,
    forget: &mut Vec<std::path::PathBuf>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut save = false;
    for effect in effects {
        match effect {
            Effect::Save => save = true,
            Effect::ForgetAfterSave(file) => forget.push(file),
            _ => {}
        }
    }
    if save {
        let progress = app.persisted();
        match store::save_keeping_original(path, &progress, backup_pending) {
            Ok(()) => {
                for f in forget.drain(..) {
                    let _ = std::fs::remove_file(f);
                }
            }
            Err(e) => writeln!(out, "{}", e.message(path, app.lang()))?,
        }
    }
    Ok(())
}

/// Every step with its mark, for orientation.
fn list(app: &App, out: &mut dyn Write) -> std::io::Result<()> {
    let p = &app.procedure;
    for (i, e) in p.entries.iter().enumerate() {
        if !matches!(e.kind, EntryKind::Step { .. }) {
            continue;
        }
        let mark = if app.progress.is_done(&e.step.id) {
            "[x]"
        } else {
            "[ ]"
        };
        let here = if i == app.cursor { " <" } else { "" };
        writeln!(
            out,
            "{mark} {} {}{here}",
            p.label(i),
            clean_for_display(&e.step.title)
        )?;
    }
    Ok(())
}
