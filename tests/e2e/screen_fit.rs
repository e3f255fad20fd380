//! Every message whole at the sizes admins run (80x24 and 100x32), in English and German: the
//! summary's closing sentence wraps, the secret's clipboard countdown is never cut, the hint
//! bar shows the step's own keys before the progress file's path, and a link in a step's text
//! has `c` to copy it.

use std::rc::Rc;

use azreg::core::procedure::Procedure;
use azreg::core::progress::Progress;
use azreg::i18n::Lang;
use azreg::tui::app::{App, Config, Msg, Status, Tone};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [(u16, u16); 2] = [(80, 24), (100, 32)];
const LANGS: [Lang; 2] = [Lang::En, Lang::De];

fn app(lang: Lang, current: &str, all_done: bool, size: (u16, u16)) -> App {
    let p = Rc::new(Procedure::embedded_in(lang).unwrap());
    let mut pr = Progress::new(&p.id);
    pr.current = Some(current.into());
    for (k, v) in [
        ("portal_url", "https://portal.example.com"),
        ("collaboration", "mycompany"),
        ("app_name", "Intrexx Portal"),
        ("account_type", "AzureADMyOrg"),
        ("secret_description", "Intrexx connector"),
        ("client_id", "0b1c2d3e-1111-2222-3333-444455556666"),
        ("tenant_id", "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"),
        ("client_secret", "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_"),
        ("secret_expiry", "2027-05-25"),
        ("admin_consent", "yes"),
    ] {
        pr.values.insert(k.into(), v.into());
    }
    if all_done {
        for e in &p.entries {
            if matches!(e.kind, azreg::core::procedure::EntryKind::Step { .. }) {
                pr.done
                    .insert(e.step.id.clone(), "2026-12-01T10:00:00Z".parse().unwrap());
            }
        }
    }
    let mut config = Config::headless(time::macros::date!(2026 - 12 - 05));
    config.file_label = "/home/admin/.local/state/azreg/profiles/portal-a.toml".into();
    App::new(p, pr, config, size)
}

/// The screen's rows, as a person reads them.
fn rows(app: &mut App, (w, h): (u16, u16)) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut drawn = Default::default();
    t.draw(|f| drawn = azreg::tui::view::draw(f, app)).unwrap();
    app.update(Msg::Drawn(drawn));
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

/// The card's text (right of the checklist's border), rows joined by spaces.
fn card_text(rows: &[String]) -> String {
    rows.iter()
        .filter_map(|r| r.split_once('│').map(|(_, card)| card.trim().to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_summarys_closing_sentence_is_whole() {
    for lang in LANGS {
        for size in SIZES {
            let mut a = app(lang, "summary", true, size);
            let text = card_text(&rows(&mut a, size));
            let sentence = match lang {
                Lang::De => {
                    "Das Portal ist in Microsoft Azure registriert, mit API-Berechtigungen und Administratorzustimmung."
                }
                _ => {
                    "The portal is registered in Microsoft Azure, with its API permissions and admin consent."
                }
            };
            assert!(text.contains(sentence), "{lang:?} {size:?}: {text}");
        }
    }
}

#[test]
fn the_clipboard_countdown_is_never_cut() {
    for lang in LANGS {
        for size in SIZES {
            let mut a = app(lang, "copy-secret-value", false, size);
            rows(&mut a, size);
            a.status = Some(Status {
                text: match lang {
                    Lang::De => "Wert des geheimen Clientschlüssels kopiert (40 Zeichen) in die Systemzwischenablage".into(),
                    _ => "Copied Client secret value (40 chars) to the system clipboard".into(),
                },
                tone: Tone::Success,
            });
            a.clear_left = Some(27);
            let r = rows(&mut a, size);
            let status = &r[r.len() - 2];
            let want = match lang {
                Lang::De => "· Schlüssel verlässt die Zwischenablage in 27 s",
                _ => "· secret leaves the clipboard in 27 s",
            };
            assert!(status.ends_with(want), "{lang:?} {size:?}: {status:?}");
        }
    }
}

#[test]
fn the_hint_bar_shows_the_steps_keys_before_the_path() {
    for lang in LANGS {
        for size in SIZES {
            for step in ["copy-secret-value", "open-api-permissions"] {
                let mut a = app(lang, step, false, size);
                let r = rows(&mut a, size);
                let hints = r.last().unwrap();
                let (enter, copy) = match lang {
                    Lang::De => ("Enter erledigt", "c kopieren"),
                    _ => ("Enter done", "c copy"),
                };
                assert!(
                    hints.contains(enter) && hints.contains(copy),
                    "{lang:?} {size:?} {step}: {hints:?}"
                );
            }
        }
    }
}
