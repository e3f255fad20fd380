//! The summary card: what goes into Intrexx, what went into Azure, what is still missing.

use ratatui::text::{Line, Span};

use super::fields::display_value;
use super::{Theme, wrap};
use crate::fields::FieldState;
use crate::i18n::L;
use crate::text::clean_for_display;
use crate::tr;
use crate::tui::app::App;

const LABEL_WIDTH: usize = 26;

pub fn lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let p = &app.procedure;
    let lang = app.lang();
    let card = &p.entries[p.summary_index()].step;
    let mut out = Vec::new();
    let (done, total) = (app.done_count(), p.step_count());
    if done == total {
        out.push(Line::styled(
            tr!(
                lang,
                "✓ All {total} steps are done.",
                "✓ Alle {total} Schritte sind erledigt."
            ),
            theme.ok(),
        ));
        out.push(Line::styled(
            tr!(
                lang,
                "The portal is registered in Microsoft Azure.",
                "Das Portal ist in Microsoft Azure registriert."
            ),
            theme.ok(),
        ));
    } else {
        out.push(Line::styled(
            tr!(
                lang,
                "{done}/{total} steps done",
                "{done}/{total} Schritte erledigt"
            ),
            theme.title(),
        ));
        let open: Vec<String> = app
            .report()
            .open_steps()
            .iter()
            .map(|n| n.to_string())
            .collect();
        let open = open.join(", ");
        for l in wrap(
            &tr!(lang, "Open steps: {open}", "Offene Schritte: {open}"),
            width,
            "",
        ) {
            out.push(Line::styled(l, theme.warning()));
        }
    }
    out.push(Line::default());
    for l in wrap(&clean_for_display(card.body.trim()), width, "") {
        out.push(Line::styled(l, theme.title()));
    }
    let mut problems = Vec::new();
    let mut last = None;
    for row in app.report().summary() {
        if last.is_some() && last != Some(row.destination) {
            out.push(Line::default());
            let h = L::new(
                "Entered in Azure (App > Authentication > Platform configurations):",
                "In Azure eingetragen (App > Authentifizierung > Plattformkonfigurationen):",
            )
            .get(lang);
            for l in wrap(h, width, "") {
                out.push(Line::styled(l, theme.title()));
            }
        }
        last = Some(row.destination);
        let (spec, a) = (row.spec, &row.assessment);
        let value = match &a.value {
            Some(v) => display_value(spec, v, app.secret_revealed),
            None => L::new("(empty)", "(leer)").get(lang).to_string(),
        };
        let style = match a.state() {
            FieldState::Ok => theme.plain(),
            FieldState::Warning => theme.warning(),
            FieldState::Empty | FieldState::Error => theme.error(),
        };
        let focused = app.focused_field().is_some_and(|f| f.id == spec.id);
        push_pair(&mut out, (row.label, focused), &value, width, style, theme);
        for (word, msg) in app.report().problems(spec, a) {
            if word == crate::fields::Severity::Error {
                problems.push(format!("✗ {}: {msg}", spec.label));
            }
        }
    }
    if !problems.is_empty() {
        out.push(Line::default());
        out.push(Line::styled(
            L::new("Still missing or wrong:", "Noch fehlend oder falsch:")
                .get(lang)
                .to_string(),
            theme.error(),
        ));
        for pr in problems {
            for l in wrap(&pr, width, "  ") {
                out.push(Line::styled(l, theme.error()));
            }
        }
    }
    out
}

/// "label   value" when it fits on one line; otherwise the value on lines of its own.
fn push_pair(
    out: &mut Vec<Line<'static>>,
    (label, focused): (&str, bool),
    value: &str,
    width: usize,
    style: ratatui::style::Style,
    theme: &Theme,
) {
    let label = clean_for_display(label);
    let mark = if focused { "› " } else { "  " };
    let one_line = LABEL_WIDTH + 2 + unicode_width::UnicodeWidthStr::width(value) <= width;
    if one_line {
        out.push(Line::from(vec![
            Span::styled(format!("{mark}{label:<w$}", w = LABEL_WIDTH), theme.dim()),
            Span::styled(value.to_string(), style),
        ]));
    } else {
        out.push(Line::styled(format!("{mark}{label}"), theme.dim()));
        for l in wrap(value, width, "    ") {
            out.push(Line::styled(l, style));
        }
    }
}
