//! "Let azreg do it": the offer, the run's saves and news, its end.

use super::*;

/// An app whose progress has what apply needs, and nothing apply learns from Graph.
fn ready() -> App {
    let mut a = app();
    for (k, v) in crate::core::fixtures::FULL {
        if !crate::core::progress::APPLIED_VALUES.contains(k) {
            a.progress.values.insert(k.to_string(), v.to_string());
        }
    }
    a
}

#[test]
fn a_offers_the_sign_ins_only_on_before_you_start() {
    let mut a = ready();
    assert!(a.acts(Action::Apply));
    assert!(ch(&mut a, 'A').is_empty());
    // No display (SSH): the code comes first.
    assert!(
        matches!(&a.overlay, Overlay::SignIn { selected: 1, host, examine: false } if host == "login.microsoftonline.com"),
        "{:?}",
        a.overlay
    );
    let effects = key(&mut a, KeyCode::Enter);
    assert!(
        effects.contains(&Effect::Apply(
            crate::remote::signin::login::Login::DeviceCode
        )),
        "{effects:?}"
    );
    assert!(a.apply.as_ref().is_some_and(|l| l.running));
    assert!(!a.acts(Action::Apply), "not twice at once");

    let mut desk = ready();
    desk.config.has_display = true;
    ch(&mut desk, 'A');
    assert!(
        matches!(desk.overlay, Overlay::SignIn { selected: 0, .. }),
        "the browser first"
    );
    ch(&mut desk, 'j');
    ch(&mut desk, 'j');
    let effects = key(&mut desk, KeyCode::Enter);
    assert!(effects.contains(&Effect::Apply(crate::remote::signin::login::Login::AzCli)));

    let mut b = ready();
    ch(&mut b, 'j');
    assert!(!b.acts(Action::Apply));
    assert!(ch(&mut b, 'A').is_empty());
    assert_eq!(b.overlay, Overlay::None, "A does nothing on a step");
}

#[test]
fn missing_values_are_named_before_any_sign_in() {
    let mut a = app();
    ch(&mut a, 'A');
    assert_eq!(a.overlay, Overlay::None);
    let status = a.status.clone().unwrap();
    assert_eq!(status.tone, Tone::Error);
    assert!(status.text.contains("Let azreg do it"), "{}", status.text);
    assert!(
        status.text.contains("app"),
        "names what is missing: {}",
        status.text
    );
}

#[test]
fn the_runs_saves_tick_the_checklist_and_keep_the_users_edits() {
    let mut a = ready();
    ch(&mut a, 'A');
    key(&mut a, KeyCode::Enter);
    let mut from_run = a.progress.clone();
    // Meanwhile the user marked a step by hand.
    a.progress.done.insert("sign-in".into(), a.now);
    from_run.values.insert(
        "client_id".into(),
        "0b1c2d3e-1111-2222-3333-444455556666".into(),
    );
    from_run.done.insert("register".into(), a.now);
    let effects = a.update(Msg::Applied(Box::new(from_run)));
    assert_eq!(effects, vec![Effect::Save], "saved before the run goes on");
    assert!(a.progress.is_done("register") && a.progress.is_done("sign-in"));
    assert_eq!(
        a.progress.values["client_id"],
        "0b1c2d3e-1111-2222-3333-444455556666"
    );
}

#[test]
fn a_device_code_is_shown_and_copied() {
    let mut a = ready();
    ch(&mut a, 'A');
    key(&mut a, KeyCode::Enter);
    let effects = a.update(Msg::ApplyNews(News::Code(
        crate::remote::signin::DeviceCode {
            user_code: "ABCD-1234".into(),
            verification_uri: "https://microsoft.com/devicelogin".into(),
            expires_in: 900,
        },
    )));
    assert!(
        matches!(&effects[..], [Effect::Copy { text, secret: false, .. }] if text.expose() == "ABCD-1234"),
        "{effects:?}"
    );
    let log = a.apply.clone().unwrap();
    assert!(log.lines.iter().any(|(_, l)| l.contains("ABCD-1234")));
    assert!(a.status.clone().unwrap().text.contains("devicelogin"));
}

#[test]
fn news_from_the_server_is_cleaned_before_it_is_shown() {
    let mut a = ready();
    ch(&mut a, 'A');
    key(&mut a, KeyCode::Enter);
    a.update(Msg::ApplyNews(News::Said("✓ done\u{1b}[2J\u{202e}".into())));
    let log = a.apply.clone().unwrap();
    let last = &log.lines.last().unwrap().1;
    assert!(
        !last.contains('\u{1b}') && !last.contains('\u{202e}'),
        "{last:?}"
    );
    assert_eq!(log.lines.last().unwrap().0, Tone::Success);
}

/// A plan as the engine would send it: one write, one marked line.
fn a_plan() -> Box<crate::core::plan::Plan> {
    use crate::core::plan::*;
    Box::new(Plan {
        who: Who {
            account: Some("admin@contoso.example".into()),
            app_id: None,
            tenant_id: "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff".into(),
            tenant_name: Some("Contoso".into()),
            user_id: None,
        },
        graph_host: "graph.microsoft.com".into(),
        app: None,
        sp: None,
        steps: vec![
            Step {
                op: Op::CreateServicePrincipal { app: AppRef::New },
                marks: Vec::new(),
            },
            Step {
                op: Op::LiveCheck {
                    host: "login.example.org".into(),
                },
                marks: vec![Mark::SecretToHost("login.example.org".into())],
            },
        ],
        notes: Vec::new(),
        in_use_end: None,
    })
}

#[test]
fn the_plan_is_shown_and_nothing_is_written_before_y() {
    let mut a = ready();
    ch(&mut a, 'A');
    key(&mut a, KeyCode::Enter);
    a.update(Msg::ApplyPlan(a_plan()));
    assert_eq!(a.overlay, Overlay::Plan { scroll: 0 });
    assert_eq!(a.scopes(), vec![Scope::Always, Scope::Plan]);
    assert!(a.status.clone().unwrap().text.contains("1 marked"));
    // Enter does not say yes: only y does.
    assert!(key(&mut a, KeyCode::Enter).is_empty());
    assert_eq!(ch(&mut a, 'y'), vec![Effect::AnswerPlan(true)]);
    assert_eq!(a.overlay, Overlay::None);
    assert_eq!(a.authority_confirmed.as_deref(), Some("login.example.org"));

    let mut b = ready();
    ch(&mut b, 'A');
    key(&mut b, KeyCode::Enter);
    b.update(Msg::ApplyPlan(a_plan()));
    assert_eq!(key(&mut b, KeyCode::Esc), vec![Effect::AnswerPlan(false)]);
    assert_eq!(b.authority_confirmed, None);
}

#[test]
fn the_end_shows_the_check_or_says_where_it_stopped() {
    let mut a = ready();
    for (k, v) in crate::core::fixtures::FULL {
        a.progress.values.insert(k.to_string(), v.to_string());
    }
    ch(&mut a, 'A');
    key(&mut a, KeyCode::Enter);
    let pass = crate::remote::verify::Outcome::Pass("ok".into());
    a.update(Msg::ApplyVerified(crate::remote::verify::Results {
        tenant: pass.clone(),
        credentials: pass,
        redirects: Vec::new(),
    }));
    assert!(matches!(a.check, Check::Done(_)));
    a.update(Msg::ApplyEnded(Ok(())));
    assert_eq!(a.cursor, a.procedure.summary_index());
    assert!(!a.apply.as_ref().unwrap().running);
    assert!(a.status.clone().unwrap().text.contains("Live check passed"));

    let mut b = ready();
    ch(&mut b, 'A');
    key(&mut b, KeyCode::Enter);
    let refused = crate::remote::graph::GraphError::Refused {
        status: 403,
        code: "Authorization_RequestDenied".into(),
        message: "no right".into(),
        retry_after: None,
    };
    let stop = crate::engine::Stop::Refused {
        part: Some("secret"),
        error: refused,
    };
    let effects = b.update(Msg::ApplyEnded(Err(crate::engine::JobError::Stopped(stop))));
    assert!(effects.is_empty());
    let status = b.status.clone().unwrap();
    assert_eq!(status.tone, Tone::Error);
    // The step comes from the procedure: where the secret is begun.
    let step = b.procedure.step_of_field("secret_description").to_string();
    assert!(
        status.text.contains(&format!("stopped at step {step}")),
        "{}",
        status.text
    );
    assert!(b.acts(Action::Apply), "it can be started again");
}

#[test]
fn esc_stops_a_run_and_keeps_what_it_did() {
    let mut a = ready();
    ch(&mut a, 'A');
    key(&mut a, KeyCode::Enter);
    assert!(a.scopes().contains(&Scope::Busy));
    assert_eq!(key(&mut a, KeyCode::Esc), vec![Effect::CancelApply]);
    a.update(Msg::ApplyEnded(Err(crate::engine::JobError::Cancelled)));
    assert!(!a.scopes().contains(&Scope::Busy));
    assert!(a.status.clone().unwrap().text.contains("cancelled"));
}

/// The tenant as Azure would hand it back for the `ready()` registration, complete but with
/// the SPA URI under Web and no service principal.
fn slipped_tenant(a: &App) -> crate::core::plan::Tenant {
    use crate::core::plan::{Access, AppState, Cred, Found, Tenant, Who};
    let r = Report::new(&a.procedure, &a.progress, a.config.today);
    let d = crate::core::plan::record::desired(&r, true).unwrap();
    Tenant {
        who: Who {
            account: Some("admin@contoso.example".into()),
            app_id: None,
            tenant_id: a.progress.values["tenant_id"].clone(),
            tenant_name: None,
            user_id: None,
        },
        app: Found::App(Box::new(AppState {
            id: "22222222-0000-4000-a000-000000000002".into(),
            app_id: a.progress.values["client_id"].clone(),
            display_name: d.name.clone(),
            audience: d.audience.clone(),
            redirect_uris: {
                let mut all = crate::core::plan::RedirectUris::default();
                for (_, u) in d.redirect_uris.iter() {
                    all.add(crate::core::plan::Platform::Web, u);
                }
                all
            },
            graph_access: d.permissions.iter().map(Access::from).collect(),
            creds: vec![Cred {
                key_id: "44444444-0000-4000-a000-000000000004".into(),
                hint: a.progress.values["client_secret"][..3].to_string(),
                end: "2099-01-01T10:00:00Z".into(),
                ..Cred::default()
            }],
            owners: vec!["admin@contoso.example".into()],
            ..AppState::default()
        })),
        sp: None,
        graph_sp: Some("11111111-0000-4000-a000-000000000001".into()),
        grant: None,
        roles: Vec::new(),
        secret_policy: None,
    }
}

#[test]
fn d_on_the_summary_reads_azure_back_and_marks_the_steps_it_confirms_or_contradicts() {
    let mut a = app();
    for (k, v) in crate::core::fixtures::FULL {
        a.progress.values.insert(k.to_string(), v.to_string());
    }
    // Not on an ordinary step.
    ch(&mut a, 'j');
    assert!(!a.acts(Action::Examine));
    assert!(ch(&mut a, 'D').is_empty());
    assert_eq!(a.overlay, Overlay::None);
    ch(&mut a, 'G');
    assert!(a.acts(Action::Examine));
    ch(&mut a, 'D');
    assert!(
        matches!(a.overlay, Overlay::SignIn { examine: true, .. }),
        "{:?}",
        a.overlay
    );
    let effects = key(&mut a, KeyCode::Enter);
    assert!(
        effects.contains(&Effect::Examine(
            crate::remote::signin::login::Login::DeviceCode
        )),
        "{effects:?}"
    );
    let t = slipped_tenant(&a);
    let effects = a.update(Msg::ApplyExamined(Box::new(t)));
    assert!(effects.contains(&Effect::Save), "Azure's end is recorded");
    assert_eq!(
        a.progress.azure_secret.as_ref().map(|s| s.end.as_str()),
        Some("2099-01-01T10:00:00Z")
    );
    assert_eq!(a.overlay, Overlay::Findings { scroll: 0 });
    let status = a.status.clone().unwrap();
    assert_eq!(status.tone, Tone::Error);
    // The SPA URI under Web, no service principal, and so no consent the record claims.
    assert!(status.text.contains("3 errors"), "{}", status.text);
    let p = a.procedure.clone();
    let at = |field: &str| p.entry_of_field(field).unwrap();
    use crate::core::doctor::Level;
    assert_eq!(a.azure_verdict(at("spa_redirect_uri")), Some(Level::Error));
    assert_eq!(a.azure_verdict(at("web_redirect_uri")), Some(Level::Ok));
    assert_eq!(a.azure_verdict(at("app_name")), Some(Level::Ok));
    let spa = a.findings_at(at("spa_redirect_uri"));
    assert!(spa[0].line(Lang::En).contains("azreg apply fixes it"));
    // The run ended: nothing more to say, no move.
    let cursor = a.cursor;
    a.update(Msg::ApplyEnded(Ok(())));
    assert_eq!(a.cursor, cursor);
    assert!(a.acts(Action::Examine), "again once it ended");
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.overlay, Overlay::None);
}

#[test]
fn d_without_a_recorded_app_says_where_its_client_id_goes() {
    let mut a = app();
    ch(&mut a, 'G');
    ch(&mut a, 'D');
    assert_eq!(a.overlay, Overlay::None);
    let status = a.status.clone().unwrap();
    assert_eq!(status.tone, Tone::Error);
    assert!(status.text.contains("step 23"), "{}", status.text);
}

#[test]
fn the_renewal_walkthrough_does_not_offer_a() {
    let p = Rc::new(Procedure::renewal_in(Lang::En).unwrap());
    let progress = Progress::new(&p.id);
    let mut a = App::new(p, progress, config(), (80, 24));
    assert!(!a.acts(Action::Apply));
    assert!(ch(&mut a, 'A').is_empty());
    assert_eq!(a.overlay, Overlay::None);
    assert!(
        a.status
            .as_ref()
            .is_some_and(|s| s.text.contains("azreg apply --renew")),
        "{:?}",
        a.status
    );
}
