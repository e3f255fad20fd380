//! The top line: title and progress (`N/23` and a text gauge, readable without colour).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::layout::split_left;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, truncate};
use crate::text::clean_for_display;
use crate::tui::app::App;

const GAUGE_CELLS: usize = 12;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let done = app.done_count();
    let total = app.procedure.step_count();
    let count = format!(" {done}/{total} ");
    let filled = (done * GAUGE_CELLS).checked_div(total).unwrap_or(0);
    let gauge_width = (GAUGE_CELLS + count.len()) as u16;
    let (title_area, gauge_area) = split_left(area, area.width.saturating_sub(gauge_width));
    let title = match &app.config.profile {
        Some(name) => format!(" azreg · {name} · {}", app.procedure.title),
        None => format!(" azreg · {}", app.procedure.title),
    };
    let title = clean_for_display(&title);
    frame.render_widget(
        Paragraph::new(truncate(&title, title_area.width as usize)).style(theme.title()),
        title_area,
    );
    let gauge = Line::from(vec![
        Span::styled("█".repeat(filled), theme.done()),
        Span::styled("░".repeat(GAUGE_CELLS - filled), theme.dim()),
        Span::styled(count, theme.title()),
    ]);
    frame.render_widget(Paragraph::new(gauge), gauge_area);
}
