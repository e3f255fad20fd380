//! Update logic, driven by messages, with no terminal.

use super::*;
use crossterm::event::{KeyCode, KeyModifiers};
use std::time::Duration;
use time::macros::date;

pub(crate) fn config() -> Config {
    Config::headless(date!(2026 - 11 - 26))
}

pub(crate) fn app() -> App {
    let p = Rc::new(Procedure::embedded().unwrap());
    let progress = Progress::new(&p.id);
    App::new(p, progress, config(), (80, 24))
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ch(app: &mut App, c: char) -> Vec<Effect> {
    key(app, KeyCode::Char(c))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        ch(app, c);
    }
}

/// Focus the n-th field of the current step and enter `text` through the editor.
fn enter_field(app: &mut App, n: usize, text: &str) -> Vec<Effect> {
    key(app, KeyCode::Esc);
    app.focus = Focus::Checklist;
    for _ in 0..=n {
        key(app, KeyCode::Tab);
    }
    key(app, KeyCode::Enter);
    // Clear what the editor was prefilled with.
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    type_text(app, text);
    key(app, KeyCode::Enter)
}

fn go_to(app: &mut App, id: &str) {
    let i = app.procedure.entry_index(id).unwrap();
    app.move_to(i);
}

#[test]
fn new_progress_opens_on_the_intro_card() {
    let a = app();
    assert_eq!(a.cursor, 0);
    assert_eq!(a.procedure.entries[0].kind, EntryKind::Intro);
}

#[test]
fn moving_saves_the_current_step() {
    let mut a = app();
    assert_eq!(ch(&mut a, 'j'), vec![Effect::Save]);
    assert_eq!(a.progress.current.as_deref(), Some("sign-in"));
    key(&mut a, KeyCode::Down);
    assert_eq!(a.cursor, 2);
    ch(&mut a, 'k');
    assert_eq!(a.cursor, 1);
    ch(&mut a, 'G');
    assert_eq!(a.cursor, a.procedure.summary_index());
    ch(&mut a, 'j');
    assert_eq!(
        a.cursor,
        a.procedure.summary_index(),
        "stays on the last entry"
    );
    ch(&mut a, 'g');
    assert_eq!(a.cursor, 0);
    assert!(ch(&mut a, 'k').is_empty(), "no move, no save");
}

#[test]
fn enter_marks_done_and_moves_to_next_open() {
    let mut a = app();
    go_to(&mut a, "sign-in");
    let fx = key(&mut a, KeyCode::Enter);
    assert!(fx.contains(&Effect::Save));
    assert!(a.progress.is_done("sign-in"));
    assert_eq!(a.procedure.entries[a.cursor].step.id, "choose-route");
    // Space works too; then go back to a done step and open it again.
    ch(&mut a, ' ');
    assert_eq!(a.done_count(), 2);
    go_to(&mut a, "sign-in");
    key(&mut a, KeyCode::Enter);
    assert!(!a.progress.is_done("sign-in"));
    assert_eq!(
        a.procedure.entries[a.cursor].step.id, "sign-in",
        "reopening stays"
    );
}

#[test]
fn next_open_skips_done_steps_and_wraps() {
    let mut a = app();
    go_to(&mut a, "sign-in");
    key(&mut a, KeyCode::Enter); // 1 done, now on 2
    go_to(&mut a, "open-entra-id");
    ch(&mut a, ' '); // 3 done, now on 4
    go_to(&mut a, "choose-route");
    ch(&mut a, 'n');
    assert_eq!(
        a.procedure.entries[a.cursor].step.id,
        "open-app-registrations"
    );
    assert_eq!(
        a.next_open(23),
        24,
        "after the guide come the permission steps (P1)"
    );
    let extra: Vec<String> = a
        .procedure
        .extra_steps()
        .map(|e| e.step.id.clone())
        .collect();
    for id in extra {
        a.progress.done.insert(id, crate::io::clock::now());
    }
    assert_eq!(a.next_open(23), 2, "wraps to the first open step");
}

#[test]
fn steps_with_empty_fields_cannot_be_marked_done() {
    let mut a = app();
    go_to(&mut a, "new-registration");
    let fx = key(&mut a, KeyCode::Enter);
    assert!(fx.is_empty());
    assert!(!a.progress.is_done("new-registration"));
    let s = a.status.clone().unwrap();
    assert_eq!(s.tone, Tone::Error);
    assert!(s.text.contains("App name in Azure"), "{}", s.text);
}

#[test]
fn a_bad_guid_shows_its_error_and_blocks_done() {
    let mut a = app();
    go_to(&mut a, "copy-ids");
    enter_field(&mut a, 0, "not-a-guid");
    assert_eq!(a.progress.values["client_id"], "not-a-guid");
    assert_eq!(a.assess("client_id").state(), FieldState::Error);
    enter_field(&mut a, 1, "{0B1C2D3E-1111-2222-3333-444455556666}");
    assert_eq!(
        a.progress.values["tenant_id"],
        "0b1c2d3e-1111-2222-3333-444455556666"
    );
    a.focus = Focus::Checklist;
    key(&mut a, KeyCode::Enter);
    assert!(!a.progress.is_done("copy-ids"));
    assert!(a.status.as_ref().unwrap().text.contains("not a GUID"));
    enter_field(&mut a, 0, "0b1c2d3e-1111-2222-3333-444455556667");
    a.focus = Focus::Checklist;
    key(&mut a, KeyCode::Enter);
    assert!(a.progress.is_done("copy-ids"));
}

#[test]
fn pasting_a_secret_id_explains_it() {
    let mut a = app();
    go_to(&mut a, "copy-secret-value");
    a.update(Msg::Paste("0b1c2d3e-1111-2222-3333-444455556666\n".into()));
    assert!(a.editor.is_some(), "a paste opens the step's main field");
    key(&mut a, KeyCode::Enter);
    let s = a.status.clone().unwrap();
    assert_eq!(s.tone, Tone::Error);
    assert!(s.text.contains("Secret ID"), "{}", s.text);
    assert!(s.text.contains("Value"), "{}", s.text);
}

#[test]
fn derived_uris_follow_the_portal_url() {
    let mut a = app();
    enter_field(&mut a, 0, "https://portal.example.com/");
    enter_field(&mut a, 1, "mycompany");
    let web = a.assess("web_redirect_uri");
    assert_eq!(
        web.value.as_deref(),
        Some("https://portal.example.com/oauth2/token/ms365-mycompany")
    );
    assert!(web.derived);
    enter_field(&mut a, 0, "https://intranet.example.org");
    assert_eq!(
        a.assess("spa_redirect_uri").value.as_deref(),
        Some("https://intranet.example.org/oauth2callback.html")
    );
    assert!(
        !a.progress.values.contains_key("web_redirect_uri"),
        "derived values are not stored"
    );
}

#[test]
fn control_characters_are_refused_and_not_stored() {
    let mut a = app();
    go_to(&mut a, "new-registration");
    let fx = a.update(Msg::Paste("\u{1b}]0;pwned\u{7}".into()));
    assert!(fx.is_empty());
    assert_eq!(a.status.as_ref().unwrap().tone, Tone::Error);
    assert!(a.progress.values.is_empty());
    assert!(a.editor.is_none());
}

#[test]
fn escape_cancels_an_edit() {
    let mut a = app();
    enter_field(&mut a, 1, "first");
    key(&mut a, KeyCode::Enter); // edit again
    assert!(a.editor.is_some());
    type_text(&mut a, "more");
    key(&mut a, KeyCode::Esc);
    assert!(a.editor.is_none());
    assert_eq!(a.progress.values["collaboration"], "first");
}

#[test]
fn choices_are_picked_from_a_list() {
    let mut a = app();
    go_to(&mut a, "new-registration");
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Enter);
    assert!(matches!(a.overlay, Overlay::Pick { selected: 0, .. }));
    ch(&mut a, 'j');
    let fx = key(&mut a, KeyCode::Enter);
    assert_eq!(fx, vec![Effect::Save]);
    assert_eq!(a.progress.values["account_type"], "AzureADMultipleOrgs");
}

#[test]
fn expiry_presets_are_stored_as_end_dates() {
    let mut a = app();
    go_to(&mut a, "describe-secret");
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Enter);
    // Starts on the recommended 180 days.
    assert!(matches!(a.overlay, Overlay::Pick { selected: 1, .. }));
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.progress.values["secret_expiry"], "2027-05-25");
    // The last item is a custom date, typed.
    key(&mut a, KeyCode::Enter);
    for _ in 0..6 {
        ch(&mut a, 'j');
    }
    key(&mut a, KeyCode::Enter);
    assert!(a.editor.is_some());
}

#[test]
fn values_overview_jumps_to_the_capturing_step() {
    let mut a = app();
    ch(&mut a, 'v');
    let n = a
        .procedure
        .fields
        .iter()
        .position(|f| f.id == "client_secret")
        .unwrap();
    for _ in 0..n {
        ch(&mut a, 'j');
    }
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.overlay, Overlay::None);
    assert_eq!(a.procedure.entries[a.cursor].step.id, "copy-secret-value");
    assert_eq!(a.focused_field().unwrap().id, "client_secret");
}

#[test]
fn help_opens_and_closes() {
    let mut a = app();
    ch(&mut a, '?');
    assert!(matches!(a.overlay, Overlay::Help { .. }));
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.overlay, Overlay::None);
}

#[test]
fn quit_keys_quit_and_esc_does_not() {
    let mut a = app();
    assert_eq!(key(&mut a, KeyCode::Char('q')), vec![Effect::Quit]);
    // Esc never quits (three Esc from a picker used to close azreg): it says what does.
    let mut a = app();
    for _ in 0..3 {
        assert_eq!(key(&mut a, KeyCode::Esc), vec![]);
    }
    assert!(a.status.as_ref().unwrap().text.contains("press q"));
    let mut a = app();
    let fx = a.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(fx, vec![Effect::Quit]);
}

#[test]
fn open_link_without_display_says_so() {
    let mut a = app();
    go_to(&mut a, "sign-in");
    assert!(ch(&mut a, 'o').is_empty());
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("https://portal.azure.com")
    );
    a.config.has_display = true;
    assert_eq!(
        ch(&mut a, 'o'),
        vec![Effect::OpenUrl("https://portal.azure.com".into())]
    );
}

#[test]
fn secret_is_revealed_for_ten_seconds() {
    let mut a = app();
    a.progress
        .values
        .insert("client_secret".into(), "abc8Q~x".into());
    assert_eq!(
        ch(&mut a, 'r'),
        vec![Effect::Schedule(Timer::HideSecret, REVEAL_FOR)]
    );
    assert!(a.secret_revealed);
    a.update(Msg::Timer(Timer::HideSecret));
    assert!(!a.secret_revealed);
}

#[test]
fn no_store_secret_keeps_it_out_of_the_file() {
    let mut a = app();
    a.config.store_secret = false;
    a.progress
        .values
        .insert("client_secret".into(), "abc8Q~x".into());
    a.progress.values.insert("client_id".into(), "x".into());
    let p = a.persisted();
    assert!(!p.values.contains_key("client_secret"));
    assert!(p.values.contains_key("client_id"));
}

#[test]
fn failed_save_stays_until_a_save_succeeds() {
    let mut a = app();
    let denied = crate::core::progress::Unsaved::Write("Permission denied".into());
    a.update(Msg::Saved(Err(denied.clone())));
    assert_eq!(a.save_error, Some(denied));
    ch(&mut a, 'j');
    assert!(a.save_error.is_some());
    a.update(Msg::Saved(Ok(())));
    assert!(a.save_error.is_none());
}

#[test]
fn resume_restores_the_current_step() {
    let p = Rc::new(Procedure::embedded().unwrap());
    let mut progress = Progress::new(&p.id);
    progress.current = Some("add-secret".into());
    let a = App::new(p.clone(), progress.clone(), config(), (80, 24));
    assert_eq!(a.procedure.entries[a.cursor].step.id, "add-secret");
    // An id the procedure does not know starts on the intro.
    progress.current = Some("gone".into());
    let a = App::new(p, progress, config(), (80, 24));
    assert_eq!(a.cursor, 0);
}

#[test]
fn mouse_click_selects_a_step() {
    let mut a = app();
    // Row 3 of the screen: header is row 0; list rows are intro, section, step 1, step 2.
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 5,
        row: 4,
        modifiers: KeyModifiers::NONE,
    };
    a.update(Msg::Mouse(click));
    assert_eq!(a.procedure.entries[a.cursor].step.id, "choose-route");
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 5,
        row: 4,
        modifiers: KeyModifiers::NONE,
    };
    a.update(Msg::Mouse(wheel));
    assert_eq!(a.procedure.entries[a.cursor].step.id, "open-entra-id");
}

#[test]
fn all_done_lands_on_the_summary() {
    let mut a = app();
    let ids: Vec<String> = a.procedure.step_ids().map(String::from).collect();
    for id in &ids[..22] {
        a.progress.done.insert(id.clone(), crate::io::clock::now());
    }
    let extra: Vec<String> = a
        .procedure
        .extra_steps()
        .map(|e| e.step.id.clone())
        .collect();
    for id in extra {
        a.progress.done.insert(id, crate::io::clock::now());
    }
    go_to(&mut a, "copy-ids");
    enter_field(&mut a, 0, "0b1c2d3e-1111-2222-3333-444455556666");
    enter_field(&mut a, 1, "0b1c2d3e-1111-2222-3333-444455556667");
    a.focus = Focus::Checklist;
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.done_count(), a.procedure.step_count(), "all done");
    assert_eq!(a.cursor, a.procedure.summary_index());
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("All 23 steps are done")
    );
}

mod applying;
mod clipboard;

fn failing_save(a: &mut App) {
    ch(a, 'j');
    a.update(Msg::Saved(Err(crate::core::progress::Unsaved::Write(
        "Not a directory (os error 20)".into(),
    ))));
}

#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let mut a = app();
    failing_save(&mut a);
    assert!(ch(&mut a, 'q').is_empty(), "no quit yet");
    assert_eq!(a.overlay, Overlay::ConfirmQuit);
    assert!(a.status.as_ref().unwrap().text.contains("not saved"));
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.overlay, Overlay::None, "stay");
    // Ctrl-C asks too; a second q quits without saving.
    a.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(a.overlay, Overlay::ConfirmQuit);
    assert_eq!(ch(&mut a, 'q'), vec![Effect::Quit]);
}

#[test]
fn retry_saves_then_quits_or_asks_again() {
    let mut a = app();
    failing_save(&mut a);
    ch(&mut a, 'q');
    assert_eq!(ch(&mut a, 'r'), vec![Effect::Save]);
    let fx = a.update(Msg::Saved(Err(crate::core::progress::Unsaved::Write(
        "still read-only".into(),
    ))));
    assert!(fx.is_empty());
    assert_eq!(a.overlay, Overlay::ConfirmQuit);
    ch(&mut a, 'r');
    assert_eq!(a.update(Msg::Saved(Ok(()))), vec![Effect::Quit]);
}

#[test]
fn write_elsewhere_then_quit() {
    let mut a = app();
    failing_save(&mut a);
    ch(&mut a, 'q');
    ch(&mut a, 'w');
    assert_eq!(a.editor.as_ref().unwrap().target, EditTarget::SavePath);
    assert_eq!(a.editor.as_ref().unwrap().input.value(), "/tmp/rescue.toml");
    assert_eq!(
        key(&mut a, KeyCode::Enter),
        vec![Effect::SaveAs("/tmp/rescue.toml".into())]
    );
    let fx = a.update(Msg::SavedAs(Err(crate::tui::msg::Failed::Io(
        "No such file or directory".into(),
    ))));
    assert!(fx.is_empty());
    assert_eq!(a.overlay, Overlay::ConfirmQuit);
    ch(&mut a, 'w');
    key(&mut a, KeyCode::Enter);
    assert_eq!(
        a.update(Msg::SavedAs(Ok("/tmp/rescue.toml".into()))),
        vec![Effect::Quit]
    );
    assert!(a.farewell.as_ref().unwrap().contains("/tmp/rescue.toml"));
}

#[test]
fn ctrl_z_suspends_even_while_editing() {
    let mut a = app();
    let ctrl_z = KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert_eq!(a.update(Msg::Key(ctrl_z)), vec![Effect::Suspend]);
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Enter);
    assert!(a.editor.is_some());
    assert_eq!(a.update(Msg::Key(ctrl_z)), vec![Effect::Suspend]);
    assert!(a.editor.is_some(), "the edit survives");
}

#[test]
fn debug_never_shows_values_or_typed_text() {
    let mut a = app();
    a.progress
        .values
        .insert("client_secret".into(), "abc8Q~topsecret".into());
    go_to(&mut a, "copy-secret-value");
    a.update(Msg::Paste("abc8Q~typedsecret".into()));
    let d = format!("{a:?}");
    assert!(
        !d.contains("topsecret") && !d.contains("typedsecret"),
        "{d}"
    );
}

#[test]
fn values_an_import_kept_aside_are_offered_and_taken_in() {
    let mut a = app();
    let obj: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
        r#"{"appId": "0b1c2d3e-1111-2222-3333-444455556666",
            "tenant": "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff",
            "password": "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_",
            "adminConsent": true, "azreg": "script az"}"#,
    )
    .unwrap();
    let file = std::path::PathBuf::from("/tmp/p.toml.import-1-2-0.json");
    a.offer_import(file.clone(), obj.clone());
    assert_eq!(a.overlay, Overlay::TakeImport);
    assert_eq!(a.scopes(), vec![Scope::Always, Scope::Ask]);
    // n: later; nothing changes, the file stays.
    assert!(ch(&mut a, 'n').is_empty());
    assert_eq!(a.overlay, Overlay::None);
    assert!(a.progress.values.is_empty());
    // y: taken in, saved, and the file forgotten only after the save.
    a.offer_import(file.clone(), obj);
    let effects = ch(&mut a, 'y');
    assert!(matches!(effects[..], [Effect::Save, Effect::ForgetAfterSave(ref f)] if *f == file));
    assert_eq!(
        a.progress.values["client_id"],
        "0b1c2d3e-1111-2222-3333-444455556666"
    );
    assert!(a.progress.is_done("grant-admin-consent"));
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("Took in the imported values")
    );
}

#[test]
fn marks_are_stamped_with_the_time_passed_in() {
    let mut a = app();
    a.now = "2030-01-02T03:04:05Z".parse().unwrap();
    go_to(&mut a, "sign-in");
    key(&mut a, KeyCode::Enter);
    assert_eq!(
        a.progress.done["sign-in"].to_string(),
        "2030-01-02T03:04:05Z"
    );
}

#[test]
fn hints_show_only_keys_that_act_here() {
    use crate::tui::keymap::{Action, hints};
    let labels = |a: &App| -> Vec<String> {
        hints(&a.scopes(), a.lang(), &|x: Action| a.acts(x))
            .iter()
            .map(|h| format!("{} {}", h.keys, h.label))
            .collect()
    };
    let mut a = app();
    // The intro: fields to fill, nothing to verify or reveal.
    let l = labels(&a);
    assert!(l.contains(&"Tab fields".to_string()), "{l:?}");
    assert!(!l.iter().any(|h| h.contains("live check")), "{l:?}");
    // Step 23 with both IDs: V works there, and says so.
    go_to(&mut a, "copy-ids");
    enter_field(&mut a, 0, "0b1c2d3e-1111-2222-3333-444455556666");
    a.focus = Focus::Checklist;
    let l = labels(&a);
    assert!(l.contains(&"V live check".to_string()), "{l:?}");
    // The summary: no fields of its own to edit, Enter is no "done" when all is open.
    key(&mut a, KeyCode::Char('G'));
    key(&mut a, KeyCode::Tab);
    let l = labels(&a);
    assert!(
        !l.iter().any(|h| h.contains("edit")),
        "the summary edits nothing: {l:?}"
    );
    assert!(
        l.iter().any(|h| h.contains("copy field")),
        "y copies the focused line: {l:?}"
    );
    // The help overlay: nothing to choose.
    a.focus = Focus::Checklist;
    ch(&mut a, '?');
    let l = labels(&a);
    assert!(!l.iter().any(|h| h.contains("choose")), "{l:?}");
}

#[test]
fn o_opens_the_apps_own_page_once_the_client_id_is_known() {
    let mut a = app();
    a.config.has_display = true;
    go_to(&mut a, "enter-web-uri");
    let fx = ch(&mut a, 'o');
    assert_eq!(
        fx,
        vec![Effect::OpenUrl(
            "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"
                .into()
        )],
        "before the client ID: the list of app registrations"
    );
    a.progress.values.insert(
        "client_id".into(),
        "0b1c2d3e-1111-2222-3333-444455556666".into(),
    );
    let fx = ch(&mut a, 'o');
    assert_eq!(
        fx,
        vec![Effect::OpenUrl(
            "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Authentication/appId/0b1c2d3e-1111-2222-3333-444455556666".into()
        )]
    );
    go_to(&mut a, "grant-admin-consent");
    let fx = ch(&mut a, 'o');
    assert!(matches!(&fx[..], [Effect::OpenUrl(u)] if u.contains("/CallAnAPI/appId/")));
    go_to(&mut a, "copy-secret-value");
    let fx = ch(&mut a, 'o');
    assert!(matches!(&fx[..], [Effect::OpenUrl(u)] if u.contains("/Credentials/appId/")));
}

#[test]
fn an_expiring_secret_is_named_at_start() {
    let p = Rc::new(Procedure::embedded().unwrap());
    let mut progress = Progress::new(&p.id);
    progress
        .values
        .insert("secret_expiry".into(), "2026-12-06".into());
    let a = App::new(p, progress, config(), (80, 24));
    let s = a.status.as_ref().unwrap();
    assert_eq!(s.tone, Tone::Warning);
    assert!(
        s.text
            .contains("expires on 2026-12-06, in 10 days: renew it"),
        "{}",
        s.text
    );
}

#[test]
fn every_message_stays_reachable_whole_with_m() {
    let mut a = app();
    let long = "x ".repeat(200);
    a.error(long.clone());
    a.info("short");
    assert!(a.acts(Action::Messages));
    ch(&mut a, 'm');
    assert_eq!(a.overlay, Overlay::Messages { scroll: 0 });
    assert_eq!(a.messages.len(), 2);
    assert_eq!(a.messages[0].text, long, "kept whole");
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.overlay, Overlay::None);
    for i in 0..100 {
        a.info(format!("m{i}"));
    }
    assert_eq!(a.messages.len(), MAX_MESSAGES, "bounded");
}
