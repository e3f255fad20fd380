//! The right pane: the current card's text (wrapped, scrollable) and, below it, its fields.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, applying, check, fields, summary, wrap};
use crate::core::procedure::EntryKind;
use crate::i18n::L;
use crate::text::clean_for_display;
use crate::tr;
use crate::tui::app::{App, Focus};
use crate::tui::layout;

/// Draws the step pane; returns how far its text can scroll, for `update` to clamp with.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) -> u16 {
    let block = pane_block(app, area.width, theme);
    let inner = pad(block.inner(area));
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let (field_lines, cursor) = fields::lines(app, width, theme);
    let text = text_lines(app, width, theme);
    let g = geometry(inner, text.len(), field_lines.len());
    let scroll = app.body_scroll.min(g.max_scroll);
    frame.render_widget(Paragraph::new(text).scroll((scroll, 0)), g.text);
    if g.max_scroll > 0 {
        let more = if scroll < g.max_scroll {
            L::new("more below: PgDn ▼", "weiter unten: Bild↓ ▼").get(app.lang())
        } else {
            L::new("end of text: PgUp ▲", "Ende des Texts: Bild↑ ▲").get(app.lang())
        };
        frame.render_widget(
            Paragraph::new(Span::styled(more, theme.dim())).right_aligned(),
            g.rule,
        );
    }
    if let Some(fa) = g.fields {
        let visible = fa.height as usize;
        // Keep the focused field's lines in view when they do not all fit.
        let skip = match (app.focus, cursor) {
            (_, Some((row, _))) => (row + 2).saturating_sub(visible),
            (Focus::Field(_), None) => {
                fields::focus_row(&field_lines).map_or(0, |r| (r + 3).saturating_sub(visible))
            }
            _ => 0,
        };
        frame.render_widget(Paragraph::new(field_lines).scroll((skip as u16, 0)), fa);
        if let Some((row, col)) = cursor {
            let y = fa.y + (row - skip.min(row)) as u16;
            frame.set_cursor_position((fa.x + col as u16, y.min(fa.bottom().saturating_sub(1))));
        }
    }
    g.max_scroll
}

fn pane_block<'a>(app: &App, width: u16, theme: &Theme) -> Block<'a> {
    let title = super::truncate(&pane_title(app), width as usize);
    Block::new()
        .borders(Borders::NONE)
        .title(Line::styled(title, theme.accent()))
}

fn pad(r: Rect) -> Rect {
    Rect::new(r.x + 1, r.y, r.width.saturating_sub(2), r.height)
}

fn pane_title(app: &App) -> String {
    let p = &app.procedure;
    let lang = app.lang();
    let total = p.step_count();
    match p.entries[app.cursor].kind {
        EntryKind::Step { section, .. } if !p.entries[app.cursor].in_guide => {
            let number = &p.entries[app.cursor].label;
            let sec = clean_for_display(&p.sections[section].title);
            tr!(
                lang,
                " Step {number} · {sec} ",
                " Schritt {number} · {sec} ",
                number = number,
                sec = sec,
            )
        }
        EntryKind::Step { section, .. } => {
            let number = &p.entries[app.cursor].label;
            let sec = clean_for_display(&p.sections[section].title);
            tr!(
                lang,
                " Step {number} of {total} · {sec} ",
                " Schritt {number} von {total} · {sec} ",
                number = number,
                total = total,
                sec = sec,
            )
        }
        EntryKind::Intro => {
            // The guide's sections; the steps beyond it are named by their labels.
            let guide = |si: usize| {
                p.entries.iter().any(|e| {
                    e.in_guide && matches!(e.kind, EntryKind::Step { section, .. } if section == si)
                })
            };
            let n = (0..p.sections.len()).filter(|si| guide(*si)).count();
            let extra: Vec<&str> = p.extra_steps().map(|e| e.label.as_str()).collect();
            let more = match (extra.first(), extra.last()) {
                (Some(a), Some(b)) => format!(" + {a}-{b}"),
                _ => String::new(),
            };
            let (steps, sections) = (
                crate::i18n::nouns::STEPS.count(lang, total as i64),
                crate::i18n::nouns::SECTIONS_DATIVE.count(lang, n as i64),
            );
            tr!(
                lang,
                " Overview · {steps} in {sections}{more} ",
                " Überblick · {steps} in {sections}{more} ",
                steps = steps,
                sections = sections,
                more = more,
            )
        }
        EntryKind::Summary => L::new(" Summary ", " Zusammenfassung ")
            .get(lang)
            .to_string(),
    }
}

struct Geometry {
    text: Rect,
    /// The row under the text: the scroll hint, and the gap above the fields.
    rule: Rect,
    fields: Option<Rect>,
    max_scroll: u16,
}

/// Text on top; below it one row for the scroll hint; the fields under that, with at most
/// two thirds of the height.
fn geometry(inner: Rect, text_lines: usize, field_lines: usize) -> Geometry {
    let fields_h = if field_lines == 0 {
        0
    } else {
        field_lines.min((inner.height as usize * 2 / 3).max(2)) as u16
    };
    let (upper, fields) = layout::split_bottom(inner, fields_h);
    let (text, rule) = layout::split_bottom(upper, 1);
    // Without fields and without overflow, the text may use the last row too.
    let text = if fields_h == 0 && text_lines <= inner.height as usize {
        inner
    } else {
        text
    };
    Geometry {
        text,
        rule,
        fields: (fields_h > 0).then_some(fields),
        max_scroll: text_lines.saturating_sub(text.height as usize) as u16,
    }
}

/// The card's text as wrapped lines.
pub fn text_lines(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let step = &app.procedure.entries[app.cursor].step;
    if app.cursor == app.procedure.summary_index() {
        let mut out = summary::lines(app, width, theme);
        if step.verify {
            out.extend(check::lines(app, width, theme));
        }
        out.extend(azure_summary(app, width, theme));
        return out;
    }
    let mut out = Vec::new();
    let title = match app.procedure.entries[app.cursor].kind {
        EntryKind::Step { .. } => {
            let number = &app.procedure.entries[app.cursor].label;
            let done = if app.progress.is_done(&step.id) {
                "[x]"
            } else {
                "[ ]"
            };
            format!("{done} {number}. {}", clean_for_display(&step.title))
        }
        _ => clean_for_display(&step.title).into_owned(),
    };
    for l in wrap(&title, width, "") {
        out.push(Line::styled(l, theme.title()));
    }
    out.push(Line::default());
    out.extend(azure_lines(app, app.cursor, width, theme));
    if matches!(app.procedure.entries[app.cursor].kind, EntryKind::Intro)
        && !app.procedure.is_renewal()
    {
        out.extend(applying::lines(app, width, theme));
    }
    if let Some(w) = &step.warning {
        for l in wrap(&format!("⚠ {}", clean_for_display(w)), width, "") {
            out.push(Line::styled(l, theme.warning()));
        }
        out.push(Line::default());
    }
    for para in clean_for_display(step.body.trim_end()).split('\n') {
        if para.is_empty() {
            out.push(Line::default());
        } else {
            let indent: String = para.chars().take_while(|c| *c == ' ').collect();
            let rest = &para[indent.len()..];
            let lines = wrap(rest, width, &indent);
            out.extend(lines.into_iter().map(Line::from));
        }
    }
    // A link in the text has `c` to copy it whole (a long one wraps over lines).
    if !step.body_urls().is_empty() {
        let hint = L::new("(c copies the link)", "(c kopiert den Link)");
        out.push(Line::styled(hint.get(app.lang()), theme.dim()));
    }
    out.extend(extras(app, width, theme));
    if step.verify {
        out.extend(check::lines(app, width, theme));
    }
    out
}

/// Below the text: where in the portal, an example, the step's link, and a link to hand on
/// (the admin-consent link), each with the key that acts on it.
fn extras(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let step = &app.procedure.entries[app.cursor].step;
    let mut out = Vec::new();
    let lang = app.lang();
    // (label, value, style of the lines after the first, plain all through)
    let extras = [
        (
            L::new("Where: ", "Wo: "),
            step.menu.as_deref(),
            theme.plain(),
            true,
        ),
        (
            L::new("Example: ", "Beispiel: "),
            step.example.as_deref(),
            theme.accent(),
            false,
        ),
        (
            L::new("Link: ", "Link: "),
            step.link.as_deref(),
            theme.accent(),
            false,
        ),
    ];
    for (label, value, style, plain) in extras {
        if let Some(v) = value {
            out.push(Line::default());
            let text = format!("{}{}", label.get(lang), clean_for_display(v));
            for (i, l) in wrap(&text, width, "").into_iter().enumerate() {
                let s = if plain {
                    theme.plain()
                } else if i == 0 {
                    theme.title()
                } else {
                    style
                };
                out.push(Line::styled(l, s));
            }
        }
    }
    if step.link.is_some() {
        let hint = L::new("(o opens it in the browser)", "(o öffnet ihn im Browser)");
        out.push(Line::styled(hint.get(lang), theme.dim()));
    }
    if step.share.is_some() {
        out.push(Line::default());
        let filled = app.share_link();
        let shown = filled.clone().unwrap_or_else(|| {
            app.procedure
                .share_shown(app.cursor, app.authority())
                .unwrap_or_default()
        });
        let text = format!(
            "{}{}",
            L::new(
                "Link for your administrator: ",
                "Link für Ihren Administrator: "
            )
            .get(lang),
            clean_for_display(&shown)
        );
        for (i, l) in wrap(&text, width, "").into_iter().enumerate() {
            out.push(Line::styled(
                l,
                if i == 0 {
                    theme.title()
                } else {
                    theme.accent()
                },
            ));
        }
        let hint = if filled.is_some() {
            L::new("(c copies it)", "(c kopiert ihn)")
        } else {
            L::new(
                "(complete once the tenant and client ID are entered)",
                "(vollständig, sobald Mandanten- und Client-ID eingetragen sind)",
            )
        };
        out.push(Line::styled(hint.get(lang), theme.dim()));
    }
    out
}

fn level_style(level: crate::core::doctor::Level, theme: &Theme) -> ratatui::style::Style {
    use crate::core::doctor::Level;
    match level {
        Level::Ok => theme.ok(),
        Level::Info => theme.dim(),
        Level::Warning => theme.warning(),
        Level::Error => theme.error(),
    }
}

/// What "check in Azure" found about this step: confirmed, or contradicted with the fix.
fn azure_lines(app: &App, entry: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let lang = app.lang();
    let mut out = Vec::new();
    for f in app.findings_at(entry) {
        let text = tr!(lang, "In Azure: {f}", "In Azure: {f}", f = f.line(lang));
        for l in wrap(&clean_for_display(&text), width, "") {
            out.push(Line::styled(l, level_style(f.level, theme)));
        }
    }
    if !out.is_empty() {
        out.push(Line::default());
    }
    out
}

/// The summary's account of the last "check in Azure", every finding.
fn azure_summary(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let lang = app.lang();
    let Some(e) = app.examined() else {
        return Vec::new();
    };
    let mut out = vec![
        Line::default(),
        Line::styled(
            L::new("In Azure (D reads it again):", "In Azure (D liest erneut):").get(lang),
            theme.title(),
        ),
    ];
    for f in &e.findings {
        for l in wrap(&clean_for_display(&f.line(lang)), width, "  ") {
            out.push(Line::styled(l, level_style(f.level, theme)));
        }
    }
    out
}
