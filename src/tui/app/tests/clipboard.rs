//! Copying: which value, what the report says, the countdown that clears the secret.

use super::*;

fn filled() -> App {
    let mut a = app();
    for (k, v) in [
        ("portal_url", "https://portal.example.com"),
        ("collaboration", "mycompany"),
        ("client_secret", "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_"),
        ("client_id", "0b1c2d3e-1111-2222-3333-444455556666"),
    ] {
        a.progress.values.insert(k.into(), v.into());
    }
    a
}

fn copied(label: &str, chars: usize, kind: crate::io::clipboard::Kind, secret: bool) -> Msg {
    Msg::Copied(Ok(Copied {
        label: label.into(),
        chars,
        kind,
        secret,
        fallback: None,
        blocked: None,
    }))
}

#[test]
fn c_copies_the_steps_main_value() {
    let mut a = filled();
    go_to(&mut a, "enter-web-uri");
    assert_eq!(
        ch(&mut a, 'c'),
        vec![Effect::Copy {
            label: "Web redirect URI (connector)".into(),
            text: "https://portal.example.com/oauth2/token/ms365-mycompany".into(),
            secret: false,
        }]
    );
    go_to(&mut a, "enter-spa-uri");
    assert!(
        matches!(&ch(&mut a, 'c')[0], Effect::Copy { text, .. } if text.expose().ends_with("/oauth2callback.html"))
    );
    go_to(&mut a, "copy-secret-value");
    assert!(matches!(
        &ch(&mut a, 'c')[0],
        Effect::Copy { secret: true, .. }
    ));
    go_to(&mut a, "copy-ids");
    assert!(
        matches!(&ch(&mut a, 'c')[0], Effect::Copy { text, .. } if text.expose().starts_with("0b1c2d3e"))
    );
    go_to(&mut a, "sign-in");
    assert!(
        matches!(&ch(&mut a, 'c')[0], Effect::Copy { text, .. } if text.expose() == "https://portal.azure.com")
    );
    // P1 names a page of Intrexx's in its text: c copies it whole, never cut at the wrap.
    go_to(&mut a, "open-api-permissions");
    assert!(a.acts(crate::tui::keymap::Action::CopyMain), "c is offered");
    assert!(
        matches!(&ch(&mut a, 'c')[0], Effect::Copy { text, label, .. } if text.expose() == "https://help.intrexx.com/intrexx/steady/en-us/Content/OH/connectors/ms-365/ms365-and-teams-connector-api-permissions.html" && label == "link")
    );
}

#[test]
fn y_copies_the_focused_field_and_summary_lines() {
    let mut a = filled();
    key(&mut a, KeyCode::Tab); // intro: portal URL
    key(&mut a, KeyCode::Tab); // collaboration
    assert!(
        matches!(&ch(&mut a, 'y')[0], Effect::Copy { text, .. } if text.expose() == "mycompany")
    );
    let summary = a.procedure.summary_index();
    a.move_to(summary);
    key(&mut a, KeyCode::Tab); // first summary line: client ID
    assert!(
        matches!(&ch(&mut a, 'y')[0], Effect::Copy { text, .. } if text.expose().starts_with("0b1c2d3e"))
    );
    for _ in 0..4 {
        ch(&mut a, 'j');
    }
    assert!(
        matches!(&ch(&mut a, 'y')[0], Effect::Copy { text, .. } if text.expose().ends_with("ms365-mycompany"))
    );
}

#[test]
fn empty_or_invalid_values_are_not_copied() {
    let mut a = app();
    go_to(&mut a, "enter-web-uri");
    assert!(ch(&mut a, 'c').is_empty());
    assert!(a.status.as_ref().unwrap().text.contains("is empty"));
    a.progress.values.insert("client_id".into(), "nope".into());
    go_to(&mut a, "copy-ids");
    assert!(ch(&mut a, 'c').is_empty());
    let s = a.status.clone().unwrap();
    assert_eq!(s.tone, Tone::Error);
    assert!(s.text.contains("not a GUID"), "{}", s.text);
}

#[test]
fn copy_report_names_length_and_backend_never_the_secret() {
    let mut a = filled();
    a.update(copied(
        "Web redirect URI (connector)",
        52,
        crate::io::clipboard::Kind::System,
        false,
    ));
    assert_eq!(
        a.status.as_ref().unwrap().text,
        "Copied Web redirect URI (connector) (52 chars) to the system clipboard"
    );
    a.update(copied(
        "Web redirect URI (connector)",
        52,
        crate::io::clipboard::Kind::Osc52,
        false,
    ));
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .ends_with("with OSC 52: your terminal must allow it")
    );
    a.update(Msg::Copied(Err(crate::io::clipboard::ClipError::Off)));
    assert_eq!(a.status.as_ref().unwrap().tone, Tone::Error);
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("(--clipboard off)")
    );
    a.update(copied(
        "Client secret value",
        40,
        crate::io::clipboard::Kind::System,
        true,
    ));
    let secret = a.secret_value().unwrap();
    assert!(!a.status.as_ref().unwrap().text.contains(&secret));
}

#[test]
fn copied_secret_is_cleared_after_the_countdown() {
    let mut a = filled();
    a.config.clear_after = 3;
    let fx = a.update(copied(
        "Client secret value",
        40,
        crate::io::clipboard::Kind::System,
        true,
    ));
    assert_eq!(
        fx,
        vec![Effect::Schedule(
            Timer::ClipboardTick,
            Duration::from_secs(1)
        )]
    );
    assert_eq!(a.clear_left, Some(3));
    // The controllable clock: one timer message a second.
    assert_eq!(a.update(Msg::Timer(Timer::ClipboardTick)).len(), 1);
    assert_eq!(a.clear_left, Some(2));
    a.update(Msg::Timer(Timer::ClipboardTick));
    let fx = a.update(Msg::Timer(Timer::ClipboardTick));
    assert_eq!(
        fx,
        vec![Effect::ClearClipboardIf(a.secret_value().unwrap().into())]
    );
    a.update(Msg::ClipboardCleared(true));
    assert_eq!(a.clear_left, None);
    assert!(a.status.as_ref().unwrap().text.contains("cleared"));
}

#[test]
fn no_countdown_when_disabled_or_overwritten_or_osc52() {
    let mut a = filled();
    a.config.clear_after = 0;
    assert!(
        a.update(copied("s", 40, crate::io::clipboard::Kind::System, true))
            .is_empty()
    );
    assert_eq!(a.clear_left, None);
    a.config.clear_after = 30;
    a.update(copied("s", 40, crate::io::clipboard::Kind::System, true));
    assert_eq!(a.clear_left, Some(30));
    a.update(copied("u", 52, crate::io::clipboard::Kind::System, false));
    assert_eq!(a.clear_left, None, "a later copy replaced the secret");
    assert!(a.update(Msg::Timer(Timer::ClipboardTick)).is_empty());
    let fx = a.update(copied("s", 40, crate::io::clipboard::Kind::Osc52, true));
    assert!(fx.is_empty());
    assert!(a.status.as_ref().unwrap().text.contains("cannot clear"));
}

#[test]
fn c_at_p3_copies_the_admin_consent_link_with_the_known_ids() {
    let mut a = app();
    go_to(&mut a, "grant-admin-consent");
    assert!(a.acts(Action::CopyMain));
    assert!(ch(&mut a, 'c').is_empty(), "no half link is copied");
    assert!(
        a.status
            .as_ref()
            .is_some_and(|s| s.text.contains("step 23")),
        "{:?}",
        a.status
    );
    let shown = crate::tui::view::step::text_lines(&a, 200, &crate::tui::view::Theme::new(true))
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        shown.contains("https://login.microsoftonline.com/<Directory (tenant) ID>/adminconsent"),
        "{shown}"
    );
    a.progress.values.insert(
        "tenant_id".into(),
        "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff".into(),
    );
    a.progress.values.insert(
        "client_id".into(),
        "0b1c2d3e-1111-2222-3333-444455556666".into(),
    );
    let effects = ch(&mut a, 'c');
    let Some(Effect::Copy { text, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        text.expose(),
        "https://login.microsoftonline.com/9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff/adminconsent?client_id=0b1c2d3e-1111-2222-3333-444455556666"
    );
}
