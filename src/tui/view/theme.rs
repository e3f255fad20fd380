//! Styles, readable on any palette. Text stays in the terminal's own foreground colour (bold,
//! reversed or dim for emphasis), so it keeps whatever contrast the user's theme gives it;
//! colour marks only keys and the focused border, in a colour that holds 3:1 on common dark
//! and light palettes (see the test). No style uses palette colours 0, 7, 8 or 15, which are
//! the background or near it on some themes (8 *is* Solarized Dark's background). Without
//! colour (`NO_COLOR`, `CLICOLOR=0`, `--color never`) state stays readable through marks
//! (`[x]`, `✗`, `!`) and modifiers.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

/// The one colour: keys and the focused border. ANSI bright magenta (13) holds at least 3:1 on
/// xterm's colours (dark and white background), Solarized Dark and Light, Windows Terminal's
/// default (Campbell) and Tango Dark; plain magenta (5) fell to 2.44:1 and 1.92:1 on the last two.
const KEY: Color = Color::LightMagenta;

impl Theme {
    pub fn new(no_color: bool) -> Self {
        Self { color: !no_color }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn plain(&self) -> Style {
        Style::new()
    }
    /// Secondary text (help lines, the file path): the DIM attribute on the default colour.
    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn section(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    /// A done step: its `[x]` says so.
    pub fn done(&self) -> Style {
        Style::new()
    }
    pub fn ok(&self) -> Style {
        Style::new()
    }
    pub fn warning(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn error(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }
    pub fn accent(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn key(&self) -> Style {
        self.fg(KEY).add_modifier(Modifier::BOLD)
    }
    pub fn border(&self, focused: bool) -> Style {
        if focused { self.fg(KEY) } else { Style::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 16-colour palettes and their default foreground and background.
    struct Palette {
        name: &'static str,
        colors: [&'static str; 16],
        fg: &'static str,
        bg: &'static str,
    }

    const XTERM: [&str; 16] = [
        "#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
        "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff",
    ];
    const SOLARIZED: [&str; 16] = [
        "#073642", "#dc322f", "#859900", "#b58900", "#268bd2", "#d33682", "#2aa198", "#eee8d5",
        "#002b36", "#cb4b16", "#586e75", "#657b83", "#839496", "#6c71c4", "#93a1a1", "#fdf6e3",
    ];
    const CAMPBELL: [&str; 16] = [
        "#0c0c0c", "#c50f1f", "#13a10e", "#c19c00", "#0037da", "#881798", "#3a96dd", "#cccccc",
        "#767676", "#e74856", "#16c60c", "#f9f1a5", "#3b78ff", "#b4009e", "#61d6d6", "#f2f2f2",
    ];
    const TANGO: [&str; 16] = [
        "#2e3436", "#cc0000", "#4e9a06", "#c4a000", "#3465a4", "#75507b", "#06989a", "#d3d7cf",
        "#555753", "#ef2929", "#8ae234", "#fce94f", "#729fcf", "#ad7fa8", "#34e2e2", "#eeeeec",
    ];
    const PALETTES: [Palette; 6] = [
        Palette {
            name: "Windows Terminal (Campbell, its default)",
            colors: CAMPBELL,
            fg: "#cccccc",
            bg: "#0c0c0c",
        },
        Palette {
            name: "Tango Dark (GNOME Terminal)",
            colors: TANGO,
            fg: "#d3d7cf",
            bg: "#2e3436",
        },
        Palette {
            name: "xterm (default colours, dark background)",
            colors: XTERM,
            fg: "#e5e5e5",
            bg: "#000000",
        },
        Palette {
            name: "xterm colours on a white background",
            colors: XTERM,
            fg: "#000000",
            bg: "#ffffff",
        },
        Palette {
            name: "Solarized Dark",
            colors: SOLARIZED,
            fg: "#839496",
            bg: "#002b36",
        },
        Palette {
            name: "Solarized Light",
            colors: SOLARIZED,
            fg: "#657b83",
            bg: "#fdf6e3",
        },
    ];

    fn rgb(h: &str) -> [f64; 3] {
        let c = |i: usize| f64::from(u8::from_str_radix(&h[i..i + 2], 16).unwrap());
        [c(1), c(3), c(5)]
    }
    /// WCAG 2 relative luminance and contrast ratio.
    fn luminance(c: [f64; 3]) -> f64 {
        let lin = |v: f64| {
            let v = v / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
    }
    fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// What a style's text looks like on a palette: its colour, with DIM drawn as two thirds
    /// of the way from the background (how xterm and VTE draw faint text).
    fn text_colour(style: Style, p: &Palette) -> [f64; 3] {
        let fg = match style.fg {
            None | Some(Color::Reset) => rgb(p.fg),
            Some(c) => {
                let i = match c {
                    Color::Red => 1,
                    Color::Green => 2,
                    Color::Yellow => 3,
                    Color::Blue => 4,
                    Color::Magenta => 5,
                    Color::Cyan => 6,
                    Color::LightRed => 9,
                    Color::LightGreen => 10,
                    Color::LightYellow => 11,
                    Color::LightBlue => 12,
                    Color::LightMagenta => 13,
                    Color::LightCyan => 14,
                    other => {
                        panic!("{other:?} is palette colour 0, 7, 8 or 15, or not one of the 16")
                    }
                };
                rgb(p.colors[i])
            }
        };
        if style.add_modifier.contains(Modifier::DIM) {
            let bg = rgb(p.bg);
            [0, 1, 2].map(|i| bg[i] + (fg[i] - bg[i]) * 2.0 / 3.0)
        } else {
            fg
        }
    }

    /// Body text holds 4.5:1, or the palette's own default text contrast where the palette
    /// itself stays below that (Solarized Light's is 4.13:1); hints hold 3:1; dim text 2:1.
    #[test]
    fn contrast_on_common_palettes() {
        let t = Theme::new(false);
        let body = [
            ("plain", t.plain()),
            ("title", t.title()),
            ("section", t.section()),
            ("selected", t.selected()),
            ("done", t.done()),
            ("ok", t.ok()),
            ("warning", t.warning()),
            ("error", t.error()),
            ("accent", t.accent()),
        ];
        let hints = [
            ("key", t.key()),
            ("border", t.border(true)),
            ("hint label", t.plain()),
        ];
        let mut report = Vec::new();
        for p in &PALETTES {
            let bg = rgb(p.bg);
            let own = contrast(rgb(p.fg), bg);
            for (name, style) in body {
                let c = contrast(text_colour(style, p), bg);
                report.push(format!("{}: {name} {c:.2}", p.name));
                assert!(c >= 4.5_f64.min(own) - 1e-9, "{}: {name} {c:.2}", p.name);
            }
            for (name, style) in hints {
                let c = contrast(text_colour(style, p), bg);
                report.push(format!("{}: {name} {c:.2}", p.name));
                assert!(c >= 3.0, "{}: {name} {c:.2}", p.name);
            }
            let c = contrast(text_colour(t.dim(), p), bg);
            report.push(format!("{}: dim {c:.2}", p.name));
            assert!(c >= 2.0, "{}: dim {c:.2}", p.name);
        }
        println!("{}", report.join("\n"));
    }

    #[test]
    fn no_colour_without_it() {
        let t = Theme::new(true);
        for s in [t.key(), t.border(true), t.error(), t.warning(), t.dim()] {
            assert_eq!(s.fg, None);
        }
        assert!(t.dim().add_modifier.contains(Modifier::DIM));
    }
}
