//! "Let azreg do it" on Before you start: the two ways from here, and the run's log while it
//! goes on and after it ended.

use ratatui::text::Line;

use super::{Theme, wrap};
use crate::i18n::L;
use crate::tui::app::{App, Tone};

pub fn lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let lang = app.lang();
    let mut out = Vec::new();
    let mut push = |text: &str, indent: &str, style| {
        for l in wrap(text, width, indent) {
            out.push(Line::styled(l, style));
        }
    };
    push(
        L::new("Two ways from here", "Zwei Wege von hier").get(lang),
        "",
        theme.title(),
    );
    push(
        L::new(
            "• Click through the portal: ↓ to the first step; Enter marks each step done.",
            "• Durch das Portal klicken: ↓ zum ersten Schritt; Enter hakt jeden Schritt ab.",
        )
        .get(lang),
        "",
        theme.plain(),
    );
    push(
        L::new(
            "• Let azreg do it: press A, sign in once, and azreg registers the app through Microsoft Graph and ticks the steps itself.",
            "• azreg machen lassen: A drücken, einmal anmelden, und azreg registriert die App über Microsoft Graph und hakt die Schritte selbst ab.",
        )
        .get(lang),
        "",
        theme.plain(),
    );
    if let Some(log) = &app.apply {
        push("", "", theme.plain());
        let title = if log.running {
            L::new(
                "Let azreg do it · working…",
                "azreg machen lassen · läuft …",
            )
        } else {
            L::new("Let azreg do it · ended", "azreg machen lassen · beendet")
        };
        push(title.get(lang), "", theme.title());
        for (tone, text) in &log.lines {
            let style = match tone {
                Tone::Success => theme.ok(),
                Tone::Error => theme.error(),
                Tone::Warning => theme.accent(),
                Tone::Info => theme.plain(),
            };
            push(text, "  ", style);
        }
    }
    out.push(Line::default());
    out
}
