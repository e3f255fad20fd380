//! List overlays: the values overview and the choice picker.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::fields::{describe, display_value};
use unicode_width::UnicodeWidthStr;

use super::{Theme, truncate};
use crate::core::fields::FieldState;
use crate::i18n::L;
use crate::text::clean_for_display;
use crate::tui::app::App;
use crate::tui::layout::{centered, list_offset};

fn popup(frame: &mut Frame, area: Rect, w: u16, h: u16, title: String, theme: &Theme) -> Rect {
    let rect = centered(area, w, h);
    // A title wider than the popup ends in "…", never mid-word without a mark.
    let title = truncate(&title, rect.width.saturating_sub(2) as usize);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(title);
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    inner
}

/// A popup as wide as the widest of `widths` and the title, with `rows` rows inside.
fn fitted_popup(
    frame: &mut Frame,
    area: Rect,
    widths: impl Iterator<Item = usize>,
    rows: u16,
    title: String,
    theme: &Theme,
) -> Rect {
    let widest = widths.chain([title.width()]).max().unwrap_or(0);
    popup(frame, area, widest as u16 + 2, rows + 2, title, theme)
}

fn render_list(
    frame: &mut Frame,
    inner: Rect,
    items: Vec<Line<'static>>,
    selected: usize,
    theme: &Theme,
) {
    let h = inner.height as usize;
    let off = list_offset(selected, h, items.len());
    let lines: Vec<Line> = items
        .into_iter()
        .enumerate()
        .skip(off)
        .take(h)
        .map(|(i, l)| {
            if i == selected {
                l.style(theme.selected())
            } else {
                l
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn values(frame: &mut Frame, area: Rect, app: &App, selected: usize, theme: &Theme) {
    let n = app.procedure.fields.len() as u16;
    let inner = popup(
        frame,
        area,
        area.width.saturating_sub(4).min(140),
        n + 2,
        L::new(
            " Values · Enter goes to the step · Esc closes ",
            " Werte · Enter geht zum Schritt · Esc schließt ",
        )
        .get(app.lang())
        .into(),
        theme,
    );
    let w = inner.width as usize;
    let label_w = 30.min(w / 3);
    let items = app
        .procedure
        .fields
        .iter()
        .map(|spec| {
            let a = app.assess(&spec.id);
            let state = a.state();
            let (mark, style) = match state {
                FieldState::Empty => ("[ ]", theme.dim()),
                FieldState::Ok => ("[✓]", theme.ok()),
                FieldState::Warning => ("[!]", theme.warning()),
                FieldState::Error => ("[✗]", theme.error()),
            };
            let step = app
                .procedure
                .entry_of_field(&spec.id)
                .map(|e| match app.procedure.entries[e].kind {
                    crate::core::procedure::EntryKind::Step { .. } => {
                        format!("{:>2}", app.procedure.entries[e].label)
                    }
                    _ => " »".into(),
                })
                .unwrap_or_default();
            let value = a
                .value
                .as_deref()
                .map(|v| {
                    // Labels, not codes: a choice by its label, a date with its days left.
                    if spec.is_secret() {
                        display_value(spec, v, app.secret_revealed)
                    } else {
                        describe(spec, v, app)
                    }
                })
                .unwrap_or_default();
            let detail = match (state, a.problems.first()) {
                (FieldState::Error | FieldState::Warning, Some(p)) => p.message.clone(),
                _ => value,
            };
            let label = truncate(&clean_for_display(&spec.label), label_w);
            let text = format!("{step} {label:<label_w$} {:<8} ", state.label(app.lang()));
            let rest = truncate(&detail, w.saturating_sub(text.chars().count() + 4));
            Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(text),
                Span::styled(rest, style),
            ])
        })
        .collect();
    render_list(frame, inner, items, selected, theme);
}

pub fn pick(frame: &mut Frame, area: Rect, app: &App, field: &str, selected: usize, theme: &Theme) {
    let Some(spec) = app.procedure.field(field) else {
        return;
    };
    let label = clean_for_display(&spec.label);
    let title = crate::tr!(
        app.lang(),
        " {label} · Enter chooses · Esc cancels ",
        " {label} · Enter wählt · Esc bricht ab ",
        label = label,
    );
    let current = app.progress.values.get(field);
    let texts: Vec<String> = crate::tui::picker::items(spec, app.config.today, app.lang())
        .into_iter()
        .map(|item| {
            let mark = if item.value.is_some() && item.value.as_ref() == current {
                "(•) "
            } else {
                "( ) "
            };
            format!("{mark}{}", item.text)
        })
        .collect();
    // As wide as the longest item, so choices are not cut where the screen allows.
    let widths = texts.iter().map(|t| t.width());
    let inner = fitted_popup(frame, area, widths, texts.len() as u16, title, theme);
    let items = texts
        .into_iter()
        .map(|t| Line::from(truncate(&t, inner.width as usize)))
        .collect();
    render_list(frame, inner, items, selected, theme);
}

/// "Let azreg do it": how to sign in, and where.
pub fn sign_in(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    (selected, examine): (usize, bool),
    host: &str,
    theme: &Theme,
) {
    let lang = app.lang();
    let title = if examine {
        L::new(
            " Check in Azure: sign in (read rights are enough) · Enter · Esc cancels ",
            " In Azure prüfen: Anmeldung (Leserechte genügen) · Enter · Esc bricht ab ",
        )
    } else {
        L::new(
            " Let azreg do it: sign in · Enter · Esc cancels ",
            " azreg machen lassen: Anmeldung · Enter · Esc bricht ab ",
        )
    }
    .get(lang)
    .to_string();
    let mut texts: Vec<String> = crate::tui::app::SIGN_INS
        .iter()
        .map(|(_, label)| label.get(lang).to_string())
        .collect();
    let note = if app.config.other_users.is_empty() {
        crate::tr!(
            lang,
            "Sign-in at {host}; the token stays in memory.",
            "Anmeldung bei {host}; das Token bleibt im Speicher.",
            host = clean_for_display(host),
        )
    } else {
        crate::tr!(
            lang,
            "Others are logged in here ({who}) and can read the browser's link: the device code is safer.",
            "Andere sind hier angemeldet ({who}) und können den Link des Browsers lesen: der Gerätecode ist sicherer.",
            who = clean_for_display(&app.config.other_users.join(", ")),
        )
    };
    let widths = texts.iter().map(|t| t.width() + 2).chain([note.width()]);
    let inner = fitted_popup(frame, area, widths, texts.len() as u16 + 2, title, theme);
    let list = Rect::new(inner.x, inner.y, inner.width, texts.len() as u16);
    let items = texts
        .drain(..)
        .map(|t| Line::from(truncate(&format!("  {t}"), inner.width as usize)))
        .collect();
    render_list(frame, list, items, selected, theme);
    let below = Rect::new(
        inner.x,
        inner.y + list.height + 1,
        inner.width,
        inner.height.saturating_sub(list.height + 1),
    );
    frame.render_widget(
        Paragraph::new(Line::styled(
            truncate(&note, inner.width as usize),
            theme.dim(),
        )),
        below,
    );
}

/// Quitting with unsaved changes: why, and what can be done (from the keymap).
pub fn confirm_quit(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let reason = app
        .save_error
        .as_ref()
        .map(|r| crate::i18n::Worded::message(r, app.lang()))
        .unwrap_or_default();
    let editor = app
        .editor
        .as_ref()
        .filter(|e| e.target == crate::tui::app::EditTarget::SavePath);
    let w = area.width.saturating_sub(4).min(76);
    let lang = app.lang();
    let inner = popup(
        frame,
        area,
        w,
        9,
        L::new(" Changes are not saved ", " Änderungen nicht gespeichert ")
            .get(lang)
            .into(),
        theme,
    );
    let width = inner.width as usize;
    let mut lines = vec![
        Line::styled(
            truncate(
                &crate::tr!(
                    lang,
                    "not saved: {}",
                    "nicht gespeichert: {}",
                    clean_for_display(&reason)
                ),
                width,
            ),
            theme.error(),
        ),
        Line::default(),
    ];
    match editor {
        Some(ed) => {
            lines.push(Line::from(
                L::new(
                    "Write the progress to (Enter writes, Esc goes back):",
                    "Fortschritt schreiben nach (Enter schreibt, Esc geht zurück):",
                )
                .get(lang),
            ));
            let avail = width.saturating_sub(1).max(1);
            let scroll = ed.input.visual_scroll(avail);
            let shown: String = clean_for_display(ed.input.value())
                .chars()
                .skip(scroll)
                .take(avail)
                .collect();
            lines.push(Line::styled(format!("{shown:<avail$}"), theme.selected()));
            let x = inner.x + (ed.input.visual_cursor().saturating_sub(scroll)) as u16;
            frame.set_cursor_position((x.min(inner.right().saturating_sub(1)), inner.y + 3));
        }
        None => {
            for b in crate::tui::keymap::BINDINGS
                .iter()
                .filter(|b| b.scope == crate::tui::keymap::Scope::Confirm && b.speaks(lang))
            {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {:<6}", b.keys_label(lang)), theme.key()),
                    Span::raw(truncate(b.desc.get(lang), width.saturating_sub(8))),
                ]));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A yes/no question in a popup: its title, the text (wrapped) and the line of keys.
fn question(
    frame: &mut Frame,
    area: Rect,
    (title, text, keys): (&str, &str, &str),
    style: ratatui::style::Style,
    theme: &Theme,
) {
    let w = area.width.saturating_sub(4).min(76);
    let probe = crate::tui::view::wrap(text, w.saturating_sub(2) as usize, "").len() as u16;
    let inner = popup(frame, area, w, probe + 4, title.into(), theme);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = crate::tui::view::wrap(text, width, "")
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect();
    lines.push(Line::default());
    lines.push(Line::styled(truncate(keys, width), theme.title()));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The offer to take in what an `azreg import` kept aside while the file was locked.
pub fn take_import(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lang = app.lang();
    let Some(text) = app.import_question() else {
        return;
    };
    question(
        frame,
        area,
        (
            L::new(" Values from an import ", " Werte aus einem Import ").get(lang),
            &text,
            L::new("y take in    n later", "y übernehmen    n später").get(lang),
        ),
        theme.plain(),
        theme,
    );
}

/// Before the live check sends the secret to an authority other than Microsoft's default.
pub fn confirm_authority(frame: &mut Frame, area: Rect, app: &App, host: &str, theme: &Theme) {
    let lang = app.lang();
    let text = crate::tr!(
        lang,
        "The progress file names the authority {}, not {}. The live check sends the client secret there. Send it?",
        "Die Fortschrittsdatei nennt die Authority {}, nicht {}. Die Live-Prüfung sendet den geheimen Clientschlüssel dorthin. Senden?",
        clean_for_display(host),
        crate::remote::verify::DEFAULT_AUTHORITY
    );
    question(
        frame,
        area,
        (
            L::new(
                " Send the secret to this host? ",
                " Den Schlüssel an diesen Host senden? ",
            )
            .get(lang),
            &text,
            L::new("y send    n do not send", "y senden    n nicht senden").get(lang),
        ),
        theme.warning(),
        theme,
    );
}

/// Quitting while the client secret is only in memory (`--no-store-secret`).
pub fn confirm_secret_quit(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lang = app.lang();
    question(
        frame,
        area,
        (
            L::new(" The secret is not saved ", " Der Schlüssel ist nicht gespeichert ").get(lang),
            L::new(
                "The client secret is kept in memory only (--no-store-secret). Once azreg ends it is gone, and Azure never shows it again. Quit anyway?",
                "Der geheime Clientschlüssel liegt nur im Speicher (--no-store-secret). Endet azreg, ist er weg, und Azure zeigt ihn nie wieder. Trotzdem beenden?",
            )
            .get(lang),
            L::new("y quit    n stay", "y beenden    n bleiben").get(lang),
        ),
        theme.warning(),
        theme,
    );
}

/// "Let azreg do it": the plan, before anything is written; what to look at marked.
pub fn plan(frame: &mut Frame, area: Rect, app: &App, scroll: u16, theme: &Theme) {
    let lang = app.lang();
    let Some(plan) = &app.plan else {
        return;
    };
    let w = area.width.saturating_sub(4).min(100);
    let h = area.height.saturating_sub(2);
    let title = L::new(
        " The plan: nothing is written before you say y ",
        " Der Plan: nichts wird geschrieben, bevor Sie y sagen ",
    )
    .get(lang);
    let inner = popup(frame, area, w, h, title.into(), theme);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for l in plan.lines(lang) {
        let (first, rest) = if l.marked {
            ("! ", "  ")
        } else if l.indent > 0 {
            ("    ", "    ")
        } else {
            ("", "    ")
        };
        let indent = if l.marked && l.indent > 0 { "    " } else { "" };
        let style = if l.marked {
            theme.warning()
        } else if l.indent == 0 {
            theme.plain()
        } else {
            theme.dim()
        };
        let lead = format!("{indent}{first}");
        let wrapped = crate::tui::view::wrap(&l.text, width.saturating_sub(lead.width()), "");
        for (i, part) in wrapped.into_iter().enumerate() {
            let pad = if i == 0 {
                lead.clone()
            } else {
                format!("{indent}{rest}")
            };
            lines.push(Line::styled(format!("{pad}{part}"), style));
        }
    }
    let keys = L::new(
        "y do it    n/Esc write nothing    ↑/↓ scroll",
        "y ausführen    n/Esc nichts schreiben    ↑/↓ blättern",
    )
    .get(lang);
    scrolled(frame, inner, lines, scroll, keys, theme);
}

/// "Check in Azure": each finding on its line(s), marked and coloured by how much it matters.
pub fn findings(frame: &mut Frame, area: Rect, app: &App, scroll: u16, theme: &Theme) {
    use crate::core::doctor::Level;
    let lang = app.lang();
    let Some(e) = app.examined() else {
        return;
    };
    let w = area.width.saturating_sub(4).min(100);
    let h = area.height.saturating_sub(2);
    let title = L::new(
        " In Azure: the registration as read back ",
        " In Azure: die Registrierung, zurückgelesen ",
    )
    .get(lang);
    let inner = popup(frame, area, w, h, title.into(), theme);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for f in &e.findings {
        let style = match f.level {
            Level::Ok => theme.ok(),
            Level::Info => theme.dim(),
            Level::Warning => theme.warning(),
            Level::Error => theme.error(),
        };
        let text = clean_for_display(&f.line(lang)).into_owned();
        // The mark leads; the lines after it are indented under the text.
        let (mark, rest) = text.split_once(' ').unwrap_or(("", &text));
        lines.extend(led(rest, &format!("{mark} "), width, style));
    }
    let keys = L::new(
        "Esc/Enter close    ↑/↓ scroll",
        "Esc/Enter schließen    ↑/↓ blättern",
    )
    .get(lang);
    scrolled(frame, inner, lines, scroll, keys, theme);
}

/// The last messages, newest first, each whole.
pub fn messages(frame: &mut Frame, area: Rect, app: &App, scroll: u16, theme: &Theme) {
    use crate::tui::app::Tone;
    let lang = app.lang();
    let w = area.width.saturating_sub(4).min(100);
    let h = area.height.saturating_sub(2);
    let title = L::new(
        " The last messages, newest first ",
        " Die letzten Meldungen, neueste zuerst ",
    )
    .get(lang);
    let inner = popup(frame, area, w, h, title.into(), theme);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for m in app.messages.iter().rev() {
        let style = match m.tone {
            Tone::Info => theme.plain(),
            Tone::Success => theme.ok(),
            Tone::Warning => theme.warning(),
            Tone::Error => theme.error(),
        };
        lines.extend(led(&clean_for_display(&m.text), "• ", width, style));
    }
    let keys = L::new(
        "Esc/Enter close    ↑/↓ scroll",
        "Esc/Enter schließen    ↑/↓ blättern",
    )
    .get(lang);
    scrolled(frame, inner, lines, scroll, keys, theme);
}

/// A popup's lines from `scroll` on, the keys below them (`▼` while more is below).
fn scrolled(
    frame: &mut Frame,
    inner: Rect,
    lines: Vec<Line<'static>>,
    scroll: u16,
    keys: &str,
    theme: &Theme,
) {
    let width = inner.width as usize;
    let body = inner.height.saturating_sub(2) as usize;
    let max = lines.len().saturating_sub(body);
    let top = (scroll as usize).min(max);
    let mut shown: Vec<Line> = lines.into_iter().skip(top).take(body).collect();
    while shown.len() < body {
        shown.push(Line::default());
    }
    shown.push(Line::default());
    let more = if top < max { "  ▼" } else { "" };
    shown.push(Line::styled(
        truncate(&format!("{keys}{more}"), width),
        theme.title(),
    ));
    frame.render_widget(Paragraph::new(shown), inner);
}

/// `text` wrapped to `width`, its first line after `lead`, the others indented as far.
fn led(text: &str, lead: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    let pad = " ".repeat(lead.width());
    crate::tui::view::wrap(text, width.saturating_sub(lead.width()), "")
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let l = if i == 0 { lead } else { pad.as_str() };
            Line::styled(format!("{l}{part}"), style)
        })
        .collect()
}
