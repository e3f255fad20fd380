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
    "Enter: mark the step done and go on · a value: enter it for the field named · back · skip · list · copy (the step's value or link) · open (its page) · check (the live check, at step 23 and the summary) · apply (let azreg do it, on Before you start) · azure (check in Azure, on the summary) · messages · help · quit",
    "Enter: Schritt erledigt und weiter · ein Wert: für das genannte Feld eintragen · zurück · weiter (überspringen) · liste · kopieren (Wert oder Link des Schritts) · öffnen (seine Seite) · prüfen (Live-Prüfung, in Schritt 23 und der Zusammenfassung) · ausführen (azreg machen lassen, auf Bevor Sie beginnen) · azure (in Azure prüfen, in der Zusammenfassung) · meldungen · hilfe · beenden (die englischen Befehle gelten auch)",
);

/// What plain mode acts with besides the app: the progress file, the clipboard, the secret a
/// copy left on it (cleared at the next command: there is no timer while a line is read).
pub struct Plain<'a> {
    pub path: &'a Path,
    pub backup_pending: bool,
    pub forget: Vec<std::path::PathBuf>,
    pub clipboard: crate::io::clipboard::Lazy,
    pub secret_on_clipboard: Option<crate::secret::Secret>,
}

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
    print_fields(app, out)
}

/// The step's fields: each value (never the secret), its state, the choices numbered, the
/// presets, its problems.
fn print_fields(app: &App, out: &mut dyn Write) -> std::io::Result<()> {
    let p = &app.procedure;
    let lang = app.lang();
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
#[allow(
    clippy::too_many_lines,
    reason = "the line-by-line loop: one arm per plain-mode command, as the help lists them"
)]
pub fn run(
    mut app: App,
    path: &Path,
    backup_pending: bool,
    clipboard: crate::io::clipboard::Lazy,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let lang: Lang = app.lang();
    writeln!(out, "{}", clean_for_display(&app.procedure.title))?;
    writeln!(out, "{}", COMMANDS.get(lang))?;
    let mut plain = Plain {
        path,
        backup_pending,
        forget: Vec::new(),
        clipboard,
        secret_on_clipboard: None,
    };
    // An import kept aside is asked about in words here: Enter must never take it in unseen.
    if let Some(question) = app.import_question() {
        write!(
            out,
            "{} {}: ",
            clean_for_display(&question),
            L::new("(y/n)", "(j/n)").get(lang)
        )?;
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
        carry_out(&mut app, effects, &mut plain, input, out)?;
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
            plain.clear_secret(&mut app, out)?;
            return Ok(());
        }
        let line = line.trim_end_matches(['\n', '\r']);
        app.now = crate::io::clock::now();
        plain.clear_secret(&mut app, out)?;
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
            "copy" | "kopieren" => app.update(key(KeyCode::Char('c'))),
            "open" | "öffnen" => app.update(key(KeyCode::Char('o'))),
            "check" | "prüfen" => app.update(key(KeyCode::Char('V'))),
            "apply" | "ausführen" => {
                let effects = app.update(key(KeyCode::Char('A')));
                choose_sign_in(&mut app, effects, input, out)?
            }
            "azure" => {
                let effects = app.update(key(KeyCode::Char('D')));
                choose_sign_in(&mut app, effects, input, out)?
            }
            "messages" | "meldungen" => {
                for m in app.messages.iter().rev() {
                    writeln!(out, "• {}", clean_for_display(&m.text))?;
                }
                Vec::new()
            }
            "quit" | "q" | "beenden" => {
                plain.clear_secret(&mut app, out)?;
                return Ok(());
            }
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
                            "Dieser Schritt nimmt keinen Wert: Enter markiert ihn als erledigt (hilfe listet die Befehle)."
                        )
                        .get(lang)
                    )?;
                    Vec::new()
                }
            },
        };
        carry_out(&mut app, effects, &mut plain, input, out)?;
        // The live check would send the secret to a host the progress file names: asked here
        // in words, as the full screen asks in a popup.
        if let crate::tui::app::Overlay::ConfirmAuthority { host } = app.overlay.clone() {
            let yes = ask(
                &tr!(
                    lang,
                    "Send the secret to {host} for the live check? It is not Microsoft's sign-in service. [y/N] ",
                    "Den Schlüssel für die Live-Prüfung an {host} senden? Das ist nicht Microsofts Anmeldedienst. [j/N] ",
                    host = clean_for_display(&host),
                ),
                input,
                out,
            )?;
            let effects = app.update(key(KeyCode::Char(if yes { 'y' } else { 'n' })));
            carry_out(&mut app, effects, &mut plain, input, out)?;
        }
        if let Some(s) = &app.status {
            writeln!(out, "{}", clean_for_display(&s.text))?;
        }
    }
}

impl Plain<'_> {
    fn save(&mut self, app: &App) -> Result<(), crate::core::progress::Unsaved> {
        let progress = app.persisted();
        store::save_keeping_original(self.path, &progress, &mut self.backup_pending)
            .map_err(|e| e.unsaved())?;
        for f in self.forget.drain(..) {
            let _ = std::fs::remove_file(f);
        }
        Ok(())
    }

    /// A secret copied at the last command leaves the clipboard now.
    fn clear_secret(&mut self, app: &mut App, out: &mut dyn Write) -> std::io::Result<()> {
        if let Some(secret) = self.secret_on_clipboard.take() {
            let backend = self.clipboard.get();
            if backend.get().as_deref() == Some(secret.expose()) {
                let cleared = backend.clear().is_ok();
                app.update(Msg::ClipboardCleared(cleared));
                writeln!(
                    out,
                    "{}",
                    L::new(
                        "(the client secret was cleared from the clipboard)",
                        "(der geheime Clientschlüssel wurde aus der Zwischenablage entfernt)"
                    )
                    .get(app.lang())
                )?;
            }
        }
        Ok(())
    }
}

/// Carry out what the app asks for, line by line: saves, copies, links, the live check, and
/// "let azreg do it" with its questions asked on the terminal. What each comes to goes back
/// to the app, whose messages are printed.
fn carry_out(
    app: &mut App,
    effects: Vec<Effect>,
    plain: &mut Plain<'_>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    let mut save = false;
    while let Some(effect) = queue.pop_front() {
        let msg = match effect {
            Effect::Save => {
                save = true;
                None
            }
            Effect::ForgetAfterSave(file) => {
                plain.forget.push(file);
                None
            }
            Effect::Copy {
                label,
                text,
                secret,
            } => {
                let backend = plain.clipboard.get();
                let result = backend
                    .set(text.expose(), secret)
                    .map(|()| crate::tui::msg::Copied {
                        label,
                        chars: text.expose().chars().count(),
                        kind: backend.kind(),
                        secret,
                        fallback: None,
                        blocked: None,
                    });
                if secret && result.is_ok() {
                    plain.secret_on_clipboard = Some(text);
                }
                Some(Msg::Copied(result))
            }
            Effect::OpenUrl(url) => Some(Msg::Opened(crate::tui::runtime::open_url(&url))),
            Effect::Verify(req) => {
                if let Some(s) = &app.status {
                    writeln!(out, "{}", clean_for_display(&s.text))?;
                }
                Some(Msg::Verified(live_check(*req)))
            }
            Effect::Apply(login) => {
                run_job(app, false, login, plain, input, out)?;
                None
            }
            Effect::Examine(login) => {
                run_job(app, true, login, plain, input, out)?;
                None
            }
            // Timers, suspending, the full screen's own: nothing to do line by line.
            _ => None,
        };
        if let Some(msg) = msg {
            queue.extend(app.update(msg));
        }
    }
    if save && let Err(e) = plain.save(app) {
        writeln!(out, "{}", crate::i18n::Worded::message(&e, app.lang()))?;
    }
    Ok(())
}

/// The question the full screen shows as a list: how to sign in, as numbers.
fn choose_sign_in(
    app: &mut App,
    effects: Vec<Effect>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> std::io::Result<Vec<Effect>> {
    let crate::tui::app::Overlay::SignIn { selected, .. } = app.overlay.clone() else {
        return Ok(effects);
    };
    let lang = app.lang();
    for (i, (_, label)) in crate::tui::app::SIGN_INS.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, label.get(lang))?;
    }
    write!(
        out,
        "{}",
        tr!(
            lang,
            "Sign in how? [{n}] ",
            "Wie anmelden? [{n}] ",
            n = selected + 1
        )
    )?;
    out.flush()?;
    let mut line = String::new();
    std::io::Read::take(&mut *input, MAX_LINE).read_line(&mut line)?;
    let chosen = line
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=crate::tui::app::SIGN_INS.len()).contains(n))
        .map_or(selected, |n| n - 1);
    if let crate::tui::app::Overlay::SignIn { selected, .. } = &mut app.overlay {
        *selected = chosen;
    }
    Ok(app.update(key(KeyCode::Enter)))
}

/// The live check, waited for (the line says it is running).
fn live_check(req: crate::remote::verify::Request) -> crate::remote::verify::Results {
    use crate::remote::verify;
    let failed = |why: String| {
        let o = verify::Outcome::Unreachable(why);
        verify::Results {
            tenant: o.clone(),
            credentials: o,
            redirects: Vec::new(),
        }
    };
    let http = match crate::remote::http::client(verify::DEFAULT_TIMEOUT, &req.authority) {
        Ok(c) => c,
        Err(e) => return failed(crate::i18n::Worded::message(&e, req.lang)),
    };
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(verify::run(&http, &req, verify::DEFAULT_TIMEOUT)),
        Err(e) => failed(e.to_string()),
    }
}

/// Ask on the terminal; `true` for yes.
fn ask(question: &str, input: &mut dyn BufRead, out: &mut dyn Write) -> std::io::Result<bool> {
    write!(out, "{question}")?;
    out.flush()?;
    let mut line = String::new();
    std::io::Read::take(&mut *input, MAX_LINE).read_line(&mut line)?;
    Ok(matches!(
        line.trim().to_lowercase().as_str(),
        "y" | "yes" | "j" | "ja"
    ))
}

/// "Let azreg do it" or "check in Azure", line by line: its news printed as it comes, its
/// saves written before it goes on, the plan printed and asked about (nothing is written
/// before yes).
fn run_job(
    app: &mut App,
    examine: bool,
    login: crate::remote::signin::login::Login,
    plain: &mut Plain<'_>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let lang = app.lang();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let started = crate::tui::jobs::start(app, examine, login, plain.path, tx);
    let _cancel = match started {
        Ok(c) => c,
        Err(e) => {
            app.update(Msg::ApplyEnded(Err(e)));
            return Ok(());
        }
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (mut acks, mut plan_ack) = (Vec::new(), None);
    let mut said = None;
    while let Some(event) = rt.block_on(rx.recv()) {
        let ended = matches!(event, crate::engine::Event::Ended(_));
        let msg = crate::tui::jobs::to_msg(event, &mut acks, &mut plan_ack);
        let plan = match &msg {
            Msg::ApplyPlan(p) => Some(p.text(lang)),
            _ => None,
        };
        let effects = app.update(msg);
        if effects.contains(&Effect::Save) {
            let saved = plain.save(app);
            for ack in acks.drain(..) {
                let _ = ack.send(saved.clone());
            }
        }
        if let Some(s) = &app.status
            && said.as_ref() != Some(&s.text)
        {
            writeln!(out, "{}", clean_for_display(&s.text))?;
            said = Some(s.text.clone());
        }
        if let Some(text) = plan {
            write!(out, "{}", clean_for_display(&text))?;
            let yes = ask(
                L::new("Do this plan? [y/N] ", "Diesen Plan ausführen? [j/N] ").get(lang),
                input,
                out,
            )?;
            for effect in app.update(key(KeyCode::Char(if yes { 'y' } else { 'n' }))) {
                if let (Effect::AnswerPlan(answer), Some(ack)) = (effect, plan_ack.take()) {
                    let _ = ack.send(answer);
                }
            }
        }
        if ended {
            break;
        }
    }
    // "Check in Azure": the findings, line by line.
    if examine && let Some(e) = app.examined() {
        write!(out, "{}", clean_for_display(&e.text(lang)))?;
    }
    app.overlay = crate::tui::app::Overlay::None;
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
