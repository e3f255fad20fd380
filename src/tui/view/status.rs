//! The status line: the last message (a failed save stays, in red) and the key hints with
//! the progress file's path.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::layout::split_top;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{Theme, truncate};
use crate::text::clean_for_display;
use crate::tui::app::{App, Tone};
use crate::tui::keymap;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let (msg_area, hint_area) = split_top(area, 1);
    let width = area.width as usize;
    let (text, style) = match (&app.save_error, &app.status) {
        (Some(reason), _) => (
            crate::tr!(
                app.lang(),
                " not saved: {}",
                " nicht gespeichert: {}",
                clean_for_display(&crate::i18n::Worded::message(reason, app.lang()))
            ),
            theme.error(),
        ),
        (None, Some(s)) => {
            let style = match s.tone {
                Tone::Info => theme.plain(),
                Tone::Success => theme.ok(),
                Tone::Warning => theme.warning(),
                Tone::Error => theme.error(),
            };
            (format!(" {}", clean_for_display(&s.text)), style)
        }
        (None, None) => (String::new(), theme.plain()),
    };
    // A message longer than a row keeps its whole advice: it takes the hint row too, until the
    // next message (the keys are in the help, ?).
    if text.width() > width && app.clear_left.is_none() {
        let mut wrapped = super::wrap(text.trim_start(), width, " ");
        let rows = area.height as usize;
        if wrapped.len() > rows {
            // Longer still: the rest is one key away, whole.
            wrapped.truncate(rows);
            let more = crate::i18n::L::new(" … m: whole", " … m: ganz").get(app.lang());
            if let Some(last) = wrapped.last_mut() {
                let keep = width.saturating_sub(more.width());
                *last = format!("{}{more}", super::take_columns(last, keep));
            }
        }
        let lines: Vec<Line> = wrapped
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    // The secret's countdown is the part that must show: the message gives way to it.
    let countdown = match app.clear_left {
        Some(n) if n > 0 => crate::tr!(
            app.lang(),
            "  · secret leaves the clipboard in {n} s",
            "  · Schlüssel verlässt die Zwischenablage in {n} s",
            n = n,
        ),
        _ => String::new(),
    };
    let mut spans = vec![Span::styled(
        truncate(&text, width.saturating_sub(countdown.width())),
        style,
    )];
    if !countdown.is_empty() {
        spans.push(Span::styled(truncate(&countdown, width), theme.warning()));
    }
    let message = Line::from(spans);
    frame.render_widget(Paragraph::new(message), msg_area);

    // The keys first, the progress file's path in what room is left (its end, which says
    // most; none below 12 columns).
    let path = clean_for_display(&app.config.file_label).into_owned();
    let mut spans = vec![Span::raw(" ")];
    let budget = width.saturating_sub(2);
    let hints = keymap::hints(&app.scopes(), app.lang(), &|a| app.acts(a));
    let cost = |h: &keymap::Hint| h.keys.width() + h.label.width() + 3;
    let reserved: usize = hints.iter().filter(|h| h.essential).map(cost).sum();
    let mut room = budget.saturating_sub(1 + reserved);
    let shown: Vec<_> = hints
        .iter()
        .filter(|h| {
            if h.essential {
                return true;
            }
            let fits = cost(h) <= room;
            if fits {
                room -= cost(h);
            }
            fits
        })
        .collect();
    let mut used = 1;
    for h in shown {
        used += cost(h);
        spans.push(Span::styled(h.keys.clone(), theme.key()));
        spans.push(Span::styled(format!(" {}  ", h.label), theme.dim()));
    }
    let path_w = width.saturating_sub(used + 1);
    let path = if path_w >= 12 || path.width() <= path_w {
        truncate_left(&path, path_w)
    } else {
        String::new()
    };
    spans.push(Span::raw(
        " ".repeat(width.saturating_sub(used + path.width())),
    ));
    spans.push(Span::styled(path, theme.dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), hint_area);
}

/// Keep the end of a path, which says more than its start.
fn truncate_left(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let rev: String = s.chars().rev().collect();
    let cut = truncate(&rev, width);
    let body: String = cut.chars().rev().filter(|c| *c != '…').collect();
    if width == 0 {
        String::new()
    } else {
        format!("…{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_keep_their_end() {
        assert_eq!(
            truncate_left("/home/u/.local/state/azreg/progress.toml", 20).width(),
            20
        );
        assert!(
            truncate_left("/home/u/.local/state/azreg/progress.toml", 20)
                .ends_with("progress.toml")
        );
        assert_eq!(truncate_left("/a/b", 10), "/a/b");
    }

    use ratatui::{Terminal, backend::TestBackend};

    #[test]
    fn a_message_longer_than_two_rows_says_m_shows_it_whole() {
        let p = std::rc::Rc::new(crate::core::procedure::Procedure::embedded().unwrap());
        let progress = crate::core::progress::Progress::new(&p.id);
        let config = crate::tui::app::Config::headless(time::macros::date!(2026 - 11 - 30));
        let mut app = App::new(p, progress, config, (80, 24));
        let long = "tmux has set-clipboard external, so the copy stops there: add `set -s set-clipboard on` to ~/.tmux.conf and run `tmux source-file ~/.tmux.conf`; then copy again, and the value arrives where you paste it".to_string();
        app.messages.clear();
        app.status = Some(crate::tui::app::Status {
            text: long,
            tone: Tone::Warning,
        });
        let mut t = Terminal::new(TestBackend::new(80, 2)).unwrap();
        t.draw(|f| draw(f, f.area(), &app, &Theme::new(true)))
            .unwrap();
        let rows: Vec<String> = (0..2)
            .map(|y| {
                (0..80)
                    .map(|x| t.backend().buffer()[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect();
        assert!(rows[1].trim_end().ends_with("… m: whole"), "{rows:?}");
        // Never split at a hyphen: `set-clipboard` stays whole on its row.
        assert!(!rows[0].trim_end().ends_with("set-"), "{rows:?}");
    }
}
