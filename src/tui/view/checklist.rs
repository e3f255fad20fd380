//! The checklist: sections and steps with `[x]`/`[ ]`, number and title. Only the visible
//! rows are laid out, so a long procedure costs no more than a short one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, truncate};
use crate::procedure::{EntryKind, Row};
use crate::text::clean_for_display;
use crate::tui::app::{App, Focus};
use crate::tui::layout;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.focus == Focus::Checklist;
    let block = Block::new()
        .borders(Borders::RIGHT)
        .border_style(theme.border(focused));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let p = &app.procedure;
    let height = inner.height as usize;
    let offset = layout::list_offset(p.row_of_entry[app.cursor], height, p.rows.len());
    let width = inner.width as usize;
    let lines: Vec<Line> = p.rows[offset..(offset + height).min(p.rows.len())]
        .iter()
        .map(|row| match *row {
            Row::Section(s) => Line::styled(
                truncate(&clean_for_display(&p.sections[s].title), width),
                theme.section(),
            ),
            Row::Entry(e) => entry_line(app, e, width, theme),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn entry_line<'a>(app: &App, e: usize, width: usize, theme: &Theme) -> Line<'a> {
    let entry = &app.procedure.entries[e];
    let title = clean_for_display(&entry.step.title);
    let (text, style) = match entry.kind {
        EntryKind::Step { .. } => {
            let done = app.progress.is_done(&entry.step.id);
            let mark = if done { "[x]" } else { "[ ]" };
            let style = if done { theme.done() } else { theme.plain() };
            (format!("{mark} {:>2} {title}", entry.label), style)
        }
        EntryKind::Intro | EntryKind::Summary => (format!("    »  {title}"), theme.accent()),
    };
    let text = truncate(&text, width);
    if e == app.cursor {
        let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(text.as_str()));
        Line::from(Span::styled(
            format!("{text}{}", " ".repeat(pad)),
            theme.selected(),
        ))
    } else {
        Line::styled(text, style)
    }
}
