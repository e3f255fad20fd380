//! The live check's lines on the cards that offer it: spinner, then ✓/✗ with advice.

use ratatui::text::Line;

use super::{Theme, wrap};
use crate::tui::app::{App, Check};
use crate::verify::{HEURISTIC_NOTE, Outcome};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![Line::default()];
    let mut push = |text: &str, style| {
        for l in wrap(text, width, "") {
            out.push(Line::styled(l, style));
        }
    };
    push(
        "Live check (V): do tenant, client ID and secret work, and are the redirect URIs registered?",
        theme.title(),
    );
    match &app.check {
        Check::Idle => {}
        Check::Running { frame } => {
            push(
                &format!("{} checking… (Esc cancels)", SPINNER[frame % SPINNER.len()]),
                theme.accent(),
            );
        }
        Check::Done(results) => {
            for (what, o) in results.lines() {
                let style = match o {
                    Outcome::Pass(_) => theme.ok(),
                    Outcome::Fail(_) => theme.error(),
                    Outcome::Unreachable(_) => theme.warning(),
                    Outcome::Skipped(_) => theme.dim(),
                };
                push(&format!("{} {what}: {}", o.mark(), o.message()), style);
            }
            if !results.redirects.is_empty() {
                push(HEURISTIC_NOTE, theme.dim());
            }
        }
    }
    if let Some(t) = &app.progress.last_verified {
        push(&format!("Last successful check: {t}"), theme.dim());
    }
    out
}
