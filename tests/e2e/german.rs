//! The interface in German: the walkthrough in a pseudo-terminal, the subcommands, and the
//! layout of every card at 80x24.

use std::process::Command;
use std::rc::Rc;

use crate::common::{BIN, Pty, arg};
use azreg::core::procedure::Procedure;
use azreg::core::progress::Progress;
use azreg::i18n::Lang;
use azreg::tui::app::{App, Config, Msg};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[test]
fn lang_de_from_the_locale_shows_the_german_walkthrough() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let mut pty = Pty::spawn(
        &["--file", arg(&file)],
        &[("LANG", Some("de_DE.UTF-8"))],
        80,
        24,
    );
    pty.wait_for("Bevor Sie beginnen", 10);
    pty.wait_for("? Hilfe", 5);
    pty.wait_for("App registrieren", 5);
    // To step 21 and paste a Secret ID: explained in German.
    pty.send("G");
    pty.send("kkk"); // P3, P2, P1
    pty.send("k");
    pty.send("k");
    pty.send("k");
    pty.wait_for("Schritt 21 von 23", 5);
    pty.paste("0b1c2d3e-1111-2222-3333-444455556666");
    pty.wait_for("Enter übernimmt", 5);
    pty.send("\r");
    pty.wait_all(&["geheime ID", "Spalte"], 5);
    pty.esc();
    pty.send("?");
    pty.wait_for("Tasten", 5);
    pty.wait_for("zum nächsten offenen Schritt springen", 5);
    pty.esc();
    pty.send("q");
    assert_eq!(pty.wait_exit(10), 0);
}

fn azreg_de(args: &[&str], file: &std::path::Path) -> (Option<i32>, String) {
    let o = Command::new(BIN)
        .arg("--lang")
        .arg("de")
        .arg("--file")
        .arg(file)
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code(), text)
}

#[test]
fn subcommands_speak_german() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        "version = 1\n[values]\nportal_url = \"https://portal.example.com\"\ncollaboration = \"mycompany\"\nclient_secret = \"0b1c2d3e-1111-2222-3333-444455556666\"\n",
    )
    .unwrap();
    let (code, out) = azreg_de(&["steps"], &file);
    assert_eq!(code, Some(0));
    assert!(out.contains("Zertifikate & Geheimnisse"), "{out}");
    assert!(out.contains("Wo: "), "{out}");
    let (code, out) = azreg_de(&["status"], &file);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("Fortschritt:") && out.contains("0/23 Schritte erledigt"),
        "{out}"
    );
    assert!(out.contains("(abgeleitet)"), "{out}");
    let (code, out) = azreg_de(&["check"], &file);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("client_secret: Fehler: das ist eine GUID: die geheime ID"),
        "{out}"
    );
    assert!(
        out.contains("client_id: Fehler: fehlt: „Anwendungs-ID (Client)“ in Schritt 23 eintragen"),
        "{out}"
    );
    let (_, out) = azreg_de(
        &["export", "--format", "intrexx", "--allow-incomplete"],
        &file,
    );
    assert!(
        out.contains("Kollaboration > Connector für Microsoft 365 und Teams"),
        "{out}"
    );
    assert!(out.contains("In Azure eingetragen"), "{out}");
    assert!(out.contains("Noch fehlend oder falsch"), "{out}");
    let (code, out) = azreg_de(
        &[
            "verify",
            "--client-id",
            "x",
            "--tenant",
            "y",
            "--authority",
            "http://127.0.0.1:9",
        ],
        &file,
    );
    assert_eq!(code, Some(5));
    assert!(
        out.contains("Live-Prüfung gegen") && out.contains("nicht erreichbar"),
        "{out}"
    );
    std::fs::write(&file, "version = [\n").unwrap();
    let (code, out) = azreg_de(&["status"], &file);
    assert_eq!(code, Some(3));
    assert!(out.contains("die Datei bleibt unverändert"), "{out}");
    // A refusal of azreg's own, in German too.
    let (code, out) = azreg_de(&["status"], dir.path());
    assert_eq!(code, Some(3), "{out}");
    assert!(
        out.contains("ist ein Verzeichnis, keine gewöhnliche Datei: abgelehnt"),
        "{out}"
    );
    assert!(!out.contains("refused"), "{out}");
}

/// `azreg plan` in German: the account types in the portal's words (with Graph's value), the
/// new key's placeholder in German.
#[test]
fn the_plan_speaks_german() {
    let s = crate::common::graph::StandIn::start(crate::common::graph::Options {
        device_pending_polls: 0,
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, crate::common::graph::APPLY_PROGRESS).unwrap();
    let o = s
        .device_code(&file, &["plan", "--lang", "de"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("Kontotypen: Nur Konten in diesem Organisationsverzeichnis (einzelner Mandant) (AzureADMyOrg)"),
        "{out}"
    );
    assert!(out.contains("azreg-<neue GUID>"), "{out}");
}

/// Every card, the help and the values overview in German fit 80x24: no row wider than the
/// screen, the checklist's border straight.
#[test]
fn german_texts_fit_80x24() {
    let p = Rc::new(Procedure::embedded_in(Lang::De).unwrap());
    let config = Config::headless(time::macros::date!(2026 - 11 - 26));
    let mut app = App::new(p.clone(), Progress::new(&p.id), config, (80, 24));
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let border = azreg::tui::layout::areas(ratatui::layout::Rect::new(0, 0, 80, 24), p.list_width)
        .unwrap()
        .list
        .width
        - 1;
    let key = |app: &mut App, c: KeyCode| {
        app.update(Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)));
    };
    for entry in 0..p.entries.len() {
        for overlay in [None, Some('?'), Some('v')] {
            if let Some(c) = overlay {
                key(&mut app, KeyCode::Char(c));
            }
            term.draw(|f| {
                azreg::tui::view::draw(f, &app);
            })
            .unwrap();
            let buf = term.backend().buffer().clone();
            if overlay.is_none() {
                for y in 1..21 {
                    assert_eq!(
                        buf[(border, y)].symbol(),
                        "│",
                        "entry {entry}, row {y}: torn border"
                    );
                }
                let status: String = (0..80).map(|x| buf[(x, 23)].symbol().to_string()).collect();
                assert!(status.contains("Hilfe"), "entry {entry}: {status}");
            } else {
                key(&mut app, KeyCode::Esc);
            }
        }
        key(&mut app, KeyCode::Char('j'));
    }
}
