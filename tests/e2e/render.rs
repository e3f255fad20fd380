//! Whole-screen render tests on ratatui's TestBackend.

use std::rc::Rc;

use azreg::core::procedure::Procedure;
use azreg::core::progress::Progress;
use azreg::io::clock::now;
use azreg::tui::app::{App, Config, Msg};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use time::macros::date;

fn app(progress: impl FnOnce(&mut Progress), size: (u16, u16), no_color: bool) -> App {
    let p = Rc::new(Procedure::embedded().unwrap());
    let mut pr = Progress::new(&p.id);
    progress(&mut pr);
    let config = Config {
        no_color,
        ..Config::headless(date!(2026 - 11 - 26))
    };
    App::new(p, pr, config, size)
}

/// Draw a frame, and feed what the view measured back, as the runtime does.
fn render(app: &mut App) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    let mut drawn = azreg::tui::view::Drawn::default();
    t.draw(|f| drawn = azreg::tui::view::draw(f, app)).unwrap();
    app.update(Msg::Drawn(drawn));
    t.backend().buffer().clone()
}

fn lines(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

fn text(buf: &Buffer) -> String {
    lines(buf).join("\n")
}

fn key(app: &mut App, c: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)));
}

#[test]
fn fresh_start_at_80x24() {
    let mut a = app(|_| {}, (80, 24), false);
    let buf = render(&mut a);
    let l = lines(&buf);
    assert!(l[0].contains("azreg") && l[0].contains("0/23"), "{}", l[0]);
    assert!(l[1].contains("Before you start"));
    assert!(l[2].starts_with("Register app"));
    assert!(l[3].starts_with("[ ]  1 Sign in"));
    assert!(
        l[23].contains("Tab fields") && l[23].contains("? help"),
        "{}",
        l[23]
    );
    // The keys first; the progress file's path (its end) in the room left.
    assert!(l[23].trim_end().ends_with("rogress.toml"), "{}", l[23]);
    // The current entry is highlighted.
    assert!(
        buf[(4, 1)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn marks_and_current_step_at_120x40() {
    let mut a = app(
        |p| {
            for id in ["sign-in", "choose-route", "open-entra-id"] {
                p.done.insert(id.into(), now());
            }
            p.current = Some("copy-ids".into());
        },
        (120, 40),
        false,
    );
    let buf = render(&mut a);
    let t = text(&buf);
    assert!(t.contains("3/23"));
    assert!(t.contains("[x]  1 Sign in"));
    assert!(t.contains("[x]  3 Open Microsoft Entra ID"));
    assert!(t.contains("[ ]  4 Open App registrations"));
    assert!(t.contains("Step 23 of 23"));
    // The current step (23, near the end) is in view and highlighted.
    let row = lines(&buf)
        .iter()
        .position(|l| l.starts_with("[ ] 23"))
        .expect("step 23 visible");
    assert!(
        buf[(2, row as u16)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
    assert!(t.contains("Application (client) ID"));
    key(&mut a, KeyCode::Char('g'));
    let t = text(&render(&mut a));
    assert!(t.contains("Before you start"));
}

#[test]
fn no_color_draws_no_colour_and_stays_readable() {
    let mut a = app(
        |p| {
            p.done.insert("sign-in".into(), now());
        },
        (80, 24),
        true,
    );
    let buf = render(&mut a);
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "colour at {:?}", cell.symbol());
        assert_eq!(cell.bg, Color::Reset);
    }
    assert!(text(&buf).contains("[x]  1"));
}

#[test]
fn too_small_shows_a_notice() {
    for size in [(59, 24), (80, 15)] {
        let mut a = app(|_| {}, size, false);
        let t = text(&render(&mut a));
        assert!(
            t.contains("terminal too small (needs 60x16)"),
            "{size:?}:\n{t}"
        );
        assert!(t.contains(&format!("now {}x{}", size.0, size.1)), "{t}");
    }
    // Smaller still: as much of the notice as fits, and nothing of the walkthrough.
    let mut a = app(|_| {}, (20, 3), false);
    let t = text(&render(&mut a));
    assert!(t.starts_with("terminal too small ("), "{t:?}");
    assert!(t.contains("now 20x3"), "{t:?}");
    let mut a = app(|_| {}, (1, 1), false);
    assert_eq!(text(&render(&mut a)), "t");
}

#[test]
fn all_done_shows_the_completion_card() {
    let mut a = app(
        |p| {
            let proc = Procedure::embedded().unwrap();
            for id in proc.step_ids() {
                p.done.insert(id.into(), now());
            }
            p.current = Some("summary".into());
        },
        (80, 24),
        false,
    );
    let t = text(&render(&mut a));
    assert!(t.contains("23/23"));
    assert!(t.contains("All 23 steps are done"), "{t}");
}

#[test]
fn long_step_text_scrolls() {
    let mut a = app(
        |p| p.current = Some("new-registration".into()),
        (80, 24),
        false,
    );
    let before = text(&render(&mut a));
    assert!(before.contains("more below: PgDn"), "{before}");
    key(&mut a, KeyCode::PageDown);
    let after = text(&render(&mut a));
    assert_ne!(before, after);
    assert!(after.contains("end of text") || after.contains("more below"));
}

#[test]
fn every_size_from_tiny_to_huge_renders() {
    for (w, h) in [(1, 1), (60, 16), (61, 17), (80, 24), (200, 60), (500, 200)] {
        let mut a = app(|_| {}, (w, h), false);
        let start = render(&mut a);
        assert_eq!((start.area.width, start.area.height), (w, h));
        let fits = w >= 60 && h >= 16;
        assert_eq!(text(&start).contains("Before you start"), fits, "{w}x{h}");
        key(&mut a, KeyCode::Char('G'));
        assert_eq!(
            text(&render(&mut a)).contains("Summary"),
            fits,
            "{w}x{h}: G"
        );
        key(&mut a, KeyCode::Char('?'));
        let help = text(&render(&mut a));
        assert_eq!(
            help.contains("Keys · "),
            fits,
            "{w}x{h}: ? shows the help\n{help}"
        );
    }
}

#[test]
fn escape_sequences_in_a_procedure_are_never_drawn_raw() {
    let text = azreg::core::procedure::EMBEDDED_EN
        .replace(
            "title = \"Register your Intrexx portal as an app in Microsoft Azure\"",
            "title = \"Evil\\u001b]0;pwned\\u0007 title\"",
        )
        .replace(
            "Sign in to the Azure portal",
            "Sign in\\u001b[2J\\u202e now",
        );
    let p = Rc::new(Procedure::parse(&text, "evil.toml").unwrap());
    let pr = Progress::new(&p.id);
    let config = Config {
        file_label: "x\u{1b}[31m.toml".into(),
        no_color: false,
        ..Config::headless(date!(2026 - 11 - 26))
    };
    let mut a = App::new(p, pr, config, (100, 30));
    key(&mut a, KeyCode::Char('j'));
    for c in [KeyCode::Char('?'), KeyCode::Esc] {
        let buf = render(&mut a);
        for cell in buf.content() {
            assert!(
                !cell.symbol().chars().any(azreg::text::is_unsafe),
                "unsafe character drawn: {:?}",
                cell.symbol()
            );
        }
        key(&mut a, c);
    }
    let t = text_of(&mut a);
    assert!(t.contains("Evil�]0;pwned� title"), "{t}");
}

fn text_of(a: &mut App) -> String {
    text(&render(a))
}

#[test]
fn a_long_message_keeps_its_advice_on_two_rows() {
    let mut a = app(
        |p| p.current = Some("enter-web-uri".into()),
        (80, 24),
        false,
    );
    a.update(Msg::Copied(Err(
        azreg::io::clipboard::ClipError::TmuxSwallows("external".into()),
    )));
    let t = text(&render(&mut a));
    let tail: Vec<&str> = t.lines().rev().take(2).collect();
    let joined = format!("{} {}", tail[1].trim(), tail[0].trim());
    assert!(joined.contains("set -s set-clipboard on"), "{t}");
}

#[test]
fn the_checklist_column_uses_a_wide_terminal() {
    let mut a = app(|_| {}, (200, 50), false);
    let t = text(&render(&mut a));
    assert!(
        t.contains("Enter the OneDrive control's redirect URI"),
        "{t}"
    );
}

#[test]
fn the_values_overview_shows_labels_not_codes() {
    let mut a = app(
        |p| {
            p.values
                .insert("account_type".into(), "AzureADMyOrg".into());
        },
        (120, 40),
        false,
    );
    key(&mut a, KeyCode::Char('v'));
    let t = text(&render(&mut a));
    assert!(
        t.contains("Accounts in this organizational directory only"),
        "{t}"
    );
    assert!(!t.contains("AzureADMyOrg"), "{t}");
}

#[test]
fn the_cursor_rests_on_the_selected_row() {
    let mut a = app(|p| p.current = Some("choose-route".into()), (80, 24), false);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| {
        azreg::tui::view::draw(f, &a);
    })
    .unwrap();
    let pos = t.get_cursor_position().unwrap();
    let screen = text(&render(&mut a));
    let row: Vec<&str> = screen.lines().collect();
    assert!(
        row[pos.y as usize].contains("2 Choose the way"),
        "{pos:?}\n{screen}"
    );
}
