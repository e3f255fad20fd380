//! The fields of the current step: label and state, value (or the line editor), problems.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::{Theme, truncate, wrap};
use crate::core::fields::{FieldKind, FieldSpec, FieldState, Severity, parse_date};
use crate::i18n::L;
use crate::text::clean_for_display;
use crate::tui::app::{App, Focus};

const FOCUS_MARK: &str = "› ";

/// The lines of all fields, and the editor's cursor as (line, column) when editing.
pub fn lines(
    app: &App,
    width: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Option<(usize, usize)>) {
    let mut out = Vec::new();
    let mut cursor = None;
    for (i, id) in app.current_fields().iter().enumerate() {
        let Some(spec) = app.procedure.field(id) else {
            continue;
        };
        let focused = app.focus == Focus::Field(i);
        let a = app.assess(id);
        let state = a.state();
        let (tag, tag_style) = state_tag(state, a.derived, app.lang(), theme);
        let mark = if focused { FOCUS_MARK } else { "  " };
        let label_w = width.saturating_sub(tag.width() + 3);
        out.push(Line::from(vec![
            Span::styled(mark.to_string(), theme.key()),
            Span::styled(
                truncate(&clean_for_display(&spec.label), label_w),
                theme.title(),
            ),
            Span::raw(" "),
            Span::styled(tag, tag_style),
        ]));
        let editing = app
            .editor
            .as_ref()
            .filter(|e| e.target == crate::tui::app::EditTarget::Field(id.clone()));
        if let Some(ed) = editing {
            let avail = width.saturating_sub(4).max(1);
            let scroll = ed.input.visual_scroll(avail);
            let shown = display_value(spec, ed.input.value(), false);
            let visible: String = skip_columns(&shown, scroll, avail);
            out.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(format!("{visible:<avail$}"), theme.selected()),
            ]));
            cursor = Some((
                out.len() - 1,
                2 + ed.input.visual_cursor().saturating_sub(scroll),
            ));
            if let Some(err) = &ed.error {
                push_wrapped(&mut out, &format!("✗ {err}"), width, theme.error());
            }
        } else {
            match &a.value {
                Some(v) => {
                    let shown = describe(spec, v, app);
                    let shown = display_value(spec, &shown, app.secret_revealed);
                    push_wrapped(&mut out, &shown, width, theme.plain());
                }
                None => push_wrapped(
                    &mut out,
                    L::new("(empty)", "(leer)").get(app.lang()),
                    width,
                    theme.dim(),
                ),
            }
            for p in &a.problems {
                let (mark, style) = match p.severity {
                    Severity::Error => ("✗", theme.error()),
                    Severity::Warning => ("!", theme.warning()),
                };
                push_wrapped(&mut out, &format!("{mark} {}", p.message), width, style);
            }
        }
        if focused && !spec.help.is_empty() {
            push_wrapped(&mut out, &clean_for_display(&spec.help), width, theme.dim());
        }
    }
    (out, cursor)
}

/// The line of the focus mark, used to keep the focused field in view.
pub fn focus_row(lines: &[Line]) -> Option<usize> {
    lines
        .iter()
        .position(|l| l.spans.first().is_some_and(|s| s.content == FOCUS_MARK))
}

fn push_wrapped(
    out: &mut Vec<Line<'static>>,
    text: &str,
    width: usize,
    style: ratatui::style::Style,
) {
    out.extend(
        wrap(text, width, "  ")
            .into_iter()
            .map(|l| Line::styled(l, style)),
    );
}

fn state_tag(
    state: FieldState,
    derived: bool,
    lang: crate::i18n::Lang,
    theme: &Theme,
) -> (String, ratatui::style::Style) {
    let style = match state {
        FieldState::Empty => theme.dim(),
        FieldState::Ok => theme.ok(),
        FieldState::Warning => theme.warning(),
        FieldState::Error => theme.error(),
    };
    let tag = if derived {
        crate::tr!(
            lang,
            "[{} · derived]",
            "[{} · abgeleitet]",
            state.label(lang)
        )
    } else {
        format!("[{}]", state.label(lang))
    };
    (tag, style)
}

/// A stored value in words: a choice's label, a date with the days left.
pub fn describe(spec: &FieldSpec, value: &str, app: &App) -> String {
    match spec.kind {
        FieldKind::Choice => spec.options.iter().find(|o| o.value == value).map_or_else(
            || value.to_string(),
            |o| clean_for_display(&o.label).into_owned(),
        ),
        FieldKind::Date => match parse_date(value) {
            Some(d) => {
                let days = (d - app.config.today).whole_days();
                crate::tr!(
                    app.lang(),
                    "{value} (in {p0})",
                    "{value} (in {p0})",
                    p0 = crate::i18n::nouns::DAYS_DATIVE.count(app.lang(), days),
                    value = value,
                )
            }
            None => value.to_string(),
        },
        _ => value.to_string(),
    }
}

/// What may be shown of a value: a secret as its first 3 characters and dots.
pub fn display_value(spec: &FieldSpec, value: &str, revealed: bool) -> String {
    // A choice by its label in the interface's language, never its stored value.
    let value = clean_for_display(spec.shown(value));
    if spec.is_secret() && !revealed {
        mask(&value)
    } else {
        value.into_owned()
    }
}

/// First three characters, then one dot a character (so the editor's cursor lines up).
pub fn mask(value: &str) -> String {
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i < 3 { c } else { '•' })
        .collect()
}

fn skip_columns(s: &str, skip: usize, width: usize) -> String {
    let mut col = 0;
    let mut out = String::new();
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if col >= skip && col + w <= skip + width {
            out.push(c);
        }
        col += w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_keeps_three_characters() {
        assert_eq!(mask("abc8Q~xyz"), "abc••••••");
        assert_eq!(mask("ab"), "ab");
    }

    #[test]
    fn skip_columns_windows_the_text() {
        assert_eq!(skip_columns("abcdef", 2, 3), "cde");
        assert_eq!(skip_columns("日本語", 2, 2), "本");
    }
}
