//! The help overlay, generated from the keymap table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Theme, wrap};
use crate::i18n::{L, Lang};
use crate::tui::keymap::{BINDINGS, Scope};
use crate::tui::layout::centered;

const SCOPES: [Scope; 9] = [
    Scope::Checklist,
    Scope::Browse,
    Scope::Field,
    Scope::Editor,
    Scope::Overlay,
    Scope::Busy,
    Scope::Confirm,
    Scope::Ask,
    Scope::Always,
];

pub fn lines(width: usize, lang: Lang, theme: &Theme) -> Vec<Line<'static>> {
    let key_w = 18.min(width / 3);
    let mut out = Vec::new();
    for scope in SCOPES {
        out.push(Line::styled(scope.title(lang).to_string(), theme.section()));
        for b in BINDINGS
            .iter()
            .filter(|b| b.scope == scope && b.speaks(lang))
        {
            let keys = b.keys_label(lang);
            let desc = wrap(b.desc.get(lang), width.saturating_sub(key_w + 3), "");
            for (i, d) in desc.into_iter().enumerate() {
                let k = if i == 0 { keys.clone() } else { String::new() };
                out.push(Line::from(vec![
                    Span::styled(format!("  {k:<key_w$} "), theme.key()),
                    Span::raw(d),
                ]));
            }
        }
        out.push(Line::default());
    }
    out.push(Line::styled(
        L::new(
            "Mouse: click a step to select it; the wheel moves in the checklist and scrolls the text. Shift+drag selects text in most terminals.",
            "Maus: ein Klick wählt einen Schritt; das Rad bewegt sich in der Checkliste und blättert im Text. Umschalt+Ziehen markiert in den meisten Terminals Text.",
        )
        .get(lang)
        .to_string(),
        theme.dim(),
    ));
    out
}

pub fn draw(frame: &mut Frame, area: Rect, scroll: u16, lang: Lang, theme: &Theme) {
    let rect = centered(area, 78, area.height.saturating_sub(2));
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(
            L::new(
                " Keys · ↑↓ scroll · Esc closes ",
                " Tasten · ↑↓ blättern · Esc schließt ",
            )
            .get(lang),
        );
    let inner = block.inner(rect);
    let text = lines(inner.width as usize, lang, theme);
    let max = text.len().saturating_sub(inner.height as usize) as u16;
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(text)
            .block(block)
            .scroll((scroll.min(max), 0)),
        rect,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_every_binding() {
        let text: String = lines(76, Lang::En, &Theme::new(true))
            .iter()
            .map(|l| l.to_string() + "\n")
            .collect();
        for b in BINDINGS.iter().filter(|b| b.speaks(Lang::En)) {
            assert!(
                text.contains(&b.keys_label(Lang::En)),
                "{} missing",
                b.keys_label(Lang::En)
            );
        }
    }
}
