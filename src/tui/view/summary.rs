//! The summary card: what goes into Intrexx, what went into Azure, what is still missing.

use ratatui::text::{Line, Span};

use super::fields::display_value;
use super::{Theme, wrap};
use crate::fields::{Destination, FieldState};
use crate::text::clean_for_display;
use crate::tui::app::App;

const LABEL_WIDTH: usize = 26;

pub fn lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let p = &app.procedure;
    let card = &p.entries[p.summary_index()].step;
    let mut out = Vec::new();
    let (done, total) = (app.done_count(), p.step_count());
    if done == total {
        out.push(Line::styled(
            format!("✓ All {total} steps are done."),
            theme.ok(),
        ));
        out.push(Line::styled(
            "The portal is registered in Microsoft Azure.".to_string(),
            theme.ok(),
        ));
    } else {
        out.push(Line::styled(
            format!("{done}/{total} steps done"),
            theme.title(),
        ));
        let open: Vec<String> = p
            .entries
            .iter()
            .filter_map(|e| match e.kind {
                crate::procedure::EntryKind::Step { number, .. }
                    if !app.progress.is_done(&e.step.id) =>
                {
                    Some(number.to_string())
                }
                _ => None,
            })
            .collect();
        for l in wrap(&format!("Open steps: {}", open.join(", ")), width, "") {
            out.push(Line::styled(l, theme.warning()));
        }
    }
    out.push(Line::default());
    for l in wrap(&clean_for_display(card.body.trim()), width, "") {
        out.push(Line::styled(l, theme.title()));
    }
    let mut problems = Vec::new();
    for (dest, heading) in [
        (Destination::Intrexx, None),
        (
            Destination::Azure,
            Some("Entered in Azure (App > Authentication > Platform configurations):"),
        ),
    ] {
        if let Some(h) = heading {
            out.push(Line::default());
            for l in wrap(h, width, "") {
                out.push(Line::styled(l, theme.title()));
            }
        }
        for id in &card.lists {
            let Some(spec) = p.field(id).filter(|s| s.goes_to == Some(dest)) else {
                continue;
            };
            let a = app.assess(id);
            let label = spec.platform.as_deref().unwrap_or(&spec.label);
            let value = match &a.value {
                Some(v) => display_value(spec, v, app.secret_revealed),
                None => "(empty)".to_string(),
            };
            let style = match a.state() {
                FieldState::Ok => theme.plain(),
                FieldState::Warning => theme.warning(),
                FieldState::Empty | FieldState::Error => theme.error(),
            };
            let focused = app.focused_field().is_some_and(|f| f.id == *id);
            push_pair(&mut out, (label, focused), &value, width, style, theme);
            match a.state() {
                FieldState::Empty => problems.push(format!("✗ {}: empty", spec.label)),
                FieldState::Error => {
                    if let Some(e) = a.first_error() {
                        problems.push(format!("✗ {}: {}", spec.label, e.message));
                    }
                }
                _ => {}
            }
        }
    }
    if !problems.is_empty() {
        out.push(Line::default());
        out.push(Line::styled(
            "Still missing or wrong:".to_string(),
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
