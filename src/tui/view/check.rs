//! The live check's lines on the cards that offer it: spinner, then ✓/✗ with advice.

use ratatui::text::Line;

use super::{Theme, wrap};
use crate::i18n::L;
use crate::remote::verify::{HEURISTIC_NOTE, Outcome};
use crate::tui::app::{App, Check};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let lang = app.lang();
    let mut out = vec![Line::default()];
    let mut push = |text: &str, style| {
        for l in wrap(text, width, "") {
            out.push(Line::styled(l, style));
        }
    };
    push(
        L::new(
            "Live check (V): do tenant, client ID and secret work, and are the redirect URIs registered?",
            "Live-Prüfung (V): funktionieren Mandant, Client-ID und Schlüssel, und sind die Umleitungs-URIs registriert?",
        )
        .get(lang),
        theme.title(),
    );
    match &app.check {
        Check::Idle => {}
        Check::Running { frame } => {
            push(
                &crate::tr!(
                    lang,
                    "{} checking… (Esc cancels)",
                    "{} prüfe … (Esc bricht ab)",
                    SPINNER[frame % SPINNER.len()]
                ),
                theme.accent(),
            );
        }
        Check::Done(results) => {
            for (what, o) in results.lines(lang) {
                let style = match o {
                    Outcome::Pass(_) => theme.ok(),
                    Outcome::Fail(_) => theme.error(),
                    Outcome::Unreachable(_) => theme.warning(),
                    Outcome::Skipped(_) => theme.dim(),
                };
                push(&format!("{} {what}: {}", o.mark(), o.message()), style);
            }
            if !results.redirects.is_empty() {
                push(HEURISTIC_NOTE.get(lang), theme.dim());
            }
        }
    }
    if let Some(t) = &app.progress.last_verified {
        push(
            &crate::tr!(
                lang,
                "Last successful check: {t}",
                "Letzte erfolgreiche Prüfung: {t}",
                t = t,
            ),
            theme.dim(),
        );
    }
    out
}
