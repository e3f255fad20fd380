//! The view: a pure function of the App state. Nothing is drawn from anywhere else.

mod applying;
mod check;
mod checklist;
mod fields;
mod header;
mod help;
mod overlay;
mod status;
pub(crate) mod step;
mod summary;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub use theme::Theme;

use crate::tui::app::{App, Overlay};
use crate::tui::layout;

pub use crate::tui::msg::Drawn;

pub fn draw(frame: &mut Frame, app: &App) -> Drawn {
    let theme = Theme::new(app.config.no_color);
    let area = frame.area();
    let Some(areas) = layout::areas(area, app.procedure.list_width) else {
        too_small(frame, area, app.lang());
        return Drawn::default();
    };
    header::draw(frame, areas.header, app, &theme);
    checklist::draw(frame, areas.list, app, &theme);
    let max_body_scroll = step::draw(frame, areas.step, app, &theme);
    status::draw(frame, areas.status, app, &theme);
    let saving_elsewhere = app
        .editor
        .as_ref()
        .is_some_and(|e| e.target == crate::tui::app::EditTarget::SavePath);
    if saving_elsewhere {
        overlay::confirm_quit(frame, area, app, &theme);
    }
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => help::draw(frame, area, *scroll, app.lang(), &theme),
        Overlay::Values { selected } => overlay::values(frame, area, app, *selected, &theme),
        Overlay::ConfirmQuit => overlay::confirm_quit(frame, area, app, &theme),
        Overlay::TakeImport => overlay::take_import(frame, area, app, &theme),
        Overlay::ConfirmSecretQuit => overlay::confirm_secret_quit(frame, area, app, &theme),
        Overlay::ConfirmAuthority { host } => {
            overlay::confirm_authority(frame, area, app, host, &theme)
        }
        Overlay::Plan { scroll } => overlay::plan(frame, area, app, *scroll, &theme),
        Overlay::SignIn {
            selected,
            host,
            examine,
        } => overlay::sign_in(frame, area, app, (*selected, *examine), host, &theme),
        Overlay::Findings { scroll } => overlay::findings(frame, area, app, *scroll, &theme),
        Overlay::Messages { scroll } => overlay::messages(frame, area, app, *scroll, &theme),
        Overlay::Pick { field, selected } => {
            overlay::pick(frame, area, app, field, *selected, &theme)
        }
    }
    Drawn { max_body_scroll }
}

fn too_small(frame: &mut Frame, area: Rect, lang: crate::i18n::Lang) {
    let (w, h) = (layout::MIN_WIDTH, layout::MIN_HEIGHT);
    let (now_w, now_h) = (area.width, area.height);
    let lines = vec![
        Line::from(crate::tr!(
            lang,
            "terminal too small (needs {w}x{h})",
            "Terminal zu klein (braucht {w}x{h})",
            w = w,
            h = h,
        )),
        Line::from(crate::tr!(
            lang,
            "now {now_w}x{now_h}",
            "jetzt {now_w}x{now_h}",
            now_w = now_w,
            now_h = now_h,
        )),
    ];
    let y = area.height.saturating_sub(2) / 2;
    let rect = Rect::new(area.x, area.y + y, area.width, area.height.min(2));
    frame.render_widget(Paragraph::new(lines).centered(), rect);
}

/// Cut `s` to `width` columns, ending in "…" when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = take_columns(s, width.saturating_sub(1));
    if width > 0 {
        out.push('…');
    }
    out
}

/// The first `width` columns of `s` (a wide character that does not fit whole is left out).
pub fn take_columns(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

/// Wrap to `width` columns (long words such as URLs are broken), each line indented.
pub fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let width = width.saturating_sub(indent.width()).max(1);
    // Never at a hyphen: URLs, GUIDs and commands copied off the screen must stay whole (a
    // word longer than the line is still broken, at the edge).
    let options = textwrap::Options::new(width)
        .break_words(true)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, options)
        .into_iter()
        .map(|l| format!("{indent}{l}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_counts_columns() {
        assert_eq!(truncate("hello", 10), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
    }

    #[test]
    fn wrap_breaks_long_words() {
        let lines = wrap(
            "https://portal.example.com/oauth2/token/ms365-mycompany",
            20,
            "  ",
        );
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| l.width() <= 20));
    }
}
