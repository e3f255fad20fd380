//! The checklist: sections and steps with `[x]`/`[ ]`, number and title. Only the visible
//! rows are laid out, so a long procedure costs no more than a short one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Theme, truncate};
use crate::core::procedure::{EntryKind, Row};
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
    // The terminal's cursor rests on the selected row (at its mark), so screen readers and
    // magnifiers follow the selection; an editor or a field places it elsewhere.
    if focused && app.editor.is_none() && inner.height > 0 {
        let row = p.row_of_entry[app.cursor].saturating_sub(offset) as u16;
        frame.set_cursor_position((inner.x + 1, inner.y + row.min(inner.height - 1)));
    }
}

fn entry_line<'a>(app: &App, e: usize, width: usize, theme: &Theme) -> Line<'a> {
    let entry = &app.procedure.entries[e];
    let title = clean_for_display(&entry.step.title);
    let (text, style) = match entry.kind {
        EntryKind::Step { .. } => {
            use crate::core::doctor::Level;
            let done = app.progress.is_done(&entry.step.id);
            // What Azure said of this step's result, once "check in Azure" ran.
            let (mark, style) = match app.azure_verdict(e) {
                Some(Level::Error) => ("[✗]", theme.error()),
                Some(Level::Warning) => ("[!]", theme.warning()),
                Some(_) => ("[✓]", theme.ok()),
                None if done => ("[x]", theme.done()),
                None => ("[ ]", theme.plain()),
            };
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
