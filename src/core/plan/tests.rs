use super::*;
use crate::i18n::Lang;

pub(crate) const TENANT: &str = "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff";
pub(crate) const GRAPH_SP: &str = "11111111-0000-4000-a000-000000000001";
pub(crate) const WEB: &str = "https://portal.example.com/oauth2/token/ms365-mycompany";
pub(crate) const SPA: &str = "https://portal.example.com/oauth2callback.html";

/// Redirect URIs on the Web and SPA platforms.
pub(crate) fn uris(web: &[&str], spa: &[&str]) -> RedirectUris {
    let mut all = RedirectUris::default();
    all.set(Platform::Web, web.iter().map(|u| u.to_string()).collect());
    all.set(Platform::Spa, spa.iter().map(|u| u.to_string()).collect());
    all
}

pub(crate) fn desired() -> Desired {
    Desired {
        name: "Intrexx Portal".into(),
        audience: "AzureADMyOrg".into(),
        redirect_uris: uris(&[WEB], &[SPA]),
        permissions: crate::core::permissions::parse("User.Read, Chat.Read.All:Application")
            .unwrap(),
        consent: true,
        secret: SecretSpec {
            description: "Intrexx connector".into(),
            end: "2099-05-25".into(),
        },
        portal_origin: Some("https://portal.example.com".into()),
    }
}

pub(crate) fn who() -> Who {
    Who {
        account: Some("admin@contoso.example".into()),
        app_id: None,
        tenant_id: TENANT.into(),
        tenant_name: Some("Contoso".into()),
        user_id: None,
    }
}

pub(crate) fn empty_tenant() -> Tenant {
    Tenant {
        who: who(),
        app: Found::Fresh {
            same_name: Vec::new(),
        },
        sp: None,
        graph_sp: Some(GRAPH_SP.into()),
        grant: None,
        roles: Vec::new(),
        secret_policy: None,
    }
}

fn options() -> Options {
    Options {
        new_key: "azreg-00000000-0000-4000-a000-00000000000k".into(),
        check: Some(Check {
            host: "login.microsoftonline.com".into(),
            trusted: true,
        }),
        ..Options::default()
    }
}

fn kinds(p: &Plan) -> Vec<&'static str> {
    p.steps.iter().map(|s| s.op.kind()).collect()
}

/// The app as a complete registration leaves it.
pub(crate) fn complete_app() -> AppState {
    AppState {
        id: "22222222-0000-4000-a000-000000000002".into(),
        app_id: "33333333-0000-4000-a000-000000000003".into(),
        display_name: "Intrexx Portal".into(),
        audience: "AzureADMyOrg".into(),
        redirect_uris: uris(&[WEB], &[SPA]),
        graph_access: desired().permissions.iter().map(Access::from).collect(),
        creds: vec![Cred {
            key_id: "44444444-0000-4000-a000-000000000004".into(),
            hint: "abc".into(),
            end: "2099-05-25T00:00:00Z".into(),
            ..Cred::default()
        }],
        ..AppState::default()
    }
}

fn complete() -> (Recorded, Tenant) {
    let app = complete_app();
    let r = Recorded {
        tenant_id: Some(TENANT.into()),
        client_id: Some(app.app_id.clone()),
        app_object_id: Some(app.id.clone()),
        sp_object_id: Some("55555555-0000-4000-a000-000000000005".into()),
        secret_key_id: Some(app.creds[0].key_id.clone()),
        secret_hint: Some("abc".into()),
        verified: true,
        ..Recorded::default()
    };
    let user_read = crate::core::permissions::id_of("User.Read", Kind::Delegated).unwrap();
    let _ = user_read;
    let t = Tenant {
        app: Found::App(Box::new(app)),
        sp: Some(("55555555-0000-4000-a000-000000000005".into(), true)),
        grant: Some(("grant-key-1".into(), vec!["User.Read".into()])),
        roles: vec![
            crate::core::permissions::id_of("Chat.Read.All", Kind::Application)
                .unwrap()
                .to_string(),
        ],
        ..empty_tenant()
    };
    (r, t)
}

#[test]
fn a_first_run_creates_everything_and_marks_the_application_permission() {
    let p = build(
        &Goal::Register(desired()),
        &Recorded::default(),
        &empty_tenant(),
        &options(),
    )
    .unwrap();
    assert_eq!(
        kinds(&p),
        [
            "create_app",
            "create_service_principal",
            "add_secret",
            "grant_scopes",
            "assign_roles",
            "live_check"
        ]
    );
    let marks: Vec<&Mark> = p.steps.iter().flat_map(|s| &s.marks).collect();
    assert!(marks.contains(&&Mark::ApplicationPermission("Chat.Read.All".into())));
    assert!(!marks.iter().any(|m| matches!(m, Mark::ForeignOrigin(_))));
    // The writes, in order, ids not yet known as placeholders.
    let w = p.writes(&Ids::default());
    let lines: Vec<String> = w
        .iter()
        .map(|w| format!("{} {}", w.method.as_str(), w.path_text()))
        .collect();
    assert_eq!(
        lines,
        [
            "PATCH /v1.0/applications(uniqueName='azreg-00000000-0000-4000-a000-00000000000k')",
            "POST /v1.0/servicePrincipals",
            "POST /v1.0/applications/<app.id>/addPassword",
            "POST /v1.0/oauth2PermissionGrants",
            "POST /v1.0/servicePrincipals/11111111-0000-4000-a000-000000000001/appRoleAssignedTo",
        ]
    );
    assert_eq!(w[0].prefer, Some("create-if-missing"));
    assert_eq!(w[1].body["appId"], "<app.appId>");
    assert_eq!(w[3].body["clientId"], "<servicePrincipal.id>");
    assert_eq!(w[3].body["scope"], "User.Read");
    // Once known, the ids are in.
    let ids = Ids {
        object_id: Some("o".into()),
        client_id: Some("c".into()),
        sp_id: Some("s".into()),
        start: Some("2026-11-30T10:00:00Z".into()),
        marker: Some("azreg-0123456789ab".into()),
    };
    let w = p.writes(&ids);
    assert_eq!(w[2].path_text(), "/v1.0/applications/o/addPassword");
    assert_eq!(
        w[2].body["passwordCredential"]["startDateTime"],
        "2026-11-30T10:00:00Z"
    );
    assert_eq!(w[4].body["principalId"], "s");
    let text = p.text(Lang::En);
    assert!(
        text.starts_with("Signed in as admin@contoso.example to Contoso (9f8e7d6c-"),
        "{text}"
    );
    assert!(
        text.contains("! Chat.Read.All is an application permission"),
        "{text}"
    );
    assert!(p.text(Lang::De).contains("Angemeldet als"));
}

#[test]
fn a_complete_registration_plans_nothing() {
    let (r, t) = complete();
    let p = build(&Goal::Register(desired()), &r, &t, &options()).unwrap();
    assert!(p.is_empty(), "{:?}", kinds(&p));
    assert!(
        p.text(Lang::En).contains("Nothing to do"),
        "{}",
        p.text(Lang::En)
    );
    assert!(
        p.notes
            .iter()
            .any(|n| matches!(n, Note::SecretInPlace { .. }))
    );
    // Unproved values are proved, without a write.
    let unproved = Recorded {
        verified: false,
        ..r.clone()
    };
    let p = build(&Goal::Register(desired()), &unproved, &t, &options()).unwrap();
    assert_eq!(kinds(&p), ["live_check"]);
    assert!(p.writes_nothing());
    // --new-secret: a secret although the recorded one is there.
    let o = Options {
        new_secret: true,
        ..options()
    };
    let p = build(&Goal::Register(desired()), &r, &t, &o).unwrap();
    assert_eq!(kinds(&p), ["add_secret", "live_check"]);
}

#[test]
fn a_same_name_app_is_named_and_never_taken() {
    let mut stranger = complete_app();
    stranger
        .redirect_uris
        .add(Platform::Web, "https://attacker.example/steal");
    stranger.owners = vec!["eve@contoso.example".into()];
    stranger.created = Some("2026-01-02T03:04:05Z".into());
    let t = Tenant {
        app: Found::Fresh {
            same_name: vec![stranger.clone()],
        },
        ..empty_tenant()
    };
    let e = build(
        &Goal::Register(desired()),
        &Recorded::default(),
        &t,
        &options(),
    )
    .unwrap_err();
    let text = refusal_text(&e, Lang::En, &|_| "5".into());
    assert!(matches!(e, Refusal::SameName { .. }));
    for part in [
        stranger.app_id.as_str(),
        "eve@contoso.example",
        "https://attacker.example/steal",
        "2026-01-02",
        "--adopt",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    // Adopted explicitly: the plan updates it and marks the stranger's URI, which stays.
    let t = Tenant {
        app: Found::App(Box::new(stranger.clone())),
        sp: None,
        ..empty_tenant()
    };
    let o = Options {
        adopt: Some(stranger.app_id.clone()),
        ..options()
    };
    let p = build(&Goal::Register(desired()), &Recorded::default(), &t, &o).unwrap();
    assert!(p.notes.contains(&Note::ForeignUri {
        uri: "https://attacker.example/steal".into(),
        platform: Platform::Web
    }));
    assert!(p.marked() >= 1);
    assert!(
        p.text(Lang::En).contains(
            "! already on the app, not put there by azreg (Web): https://attacker.example/steal"
        ),
        "{}",
        p.text(Lang::En)
    );
    assert_eq!(kinds(&p)[0], "create_service_principal");
}

#[test]
fn another_tenant_or_an_unknown_client_id_stops_before_any_write() {
    let (r, t) = complete();
    let other = Recorded {
        tenant_id: Some("aaaaaaaa-0000-4000-a000-00000000000a".into()),
        ..r.clone()
    };
    let e = build(&Goal::Register(desired()), &other, &t, &options()).unwrap_err();
    assert!(matches!(e, Refusal::TenantMismatch { .. }));
    let text = refusal_text(&e, Lang::En, &|_| "23".into());
    assert!(
        text.contains("aaaaaaaa-0000-4000-a000-00000000000a"),
        "{text}"
    );
    assert!(text.contains("Contoso"), "{text}");
    assert!(text.contains("nothing was changed"), "{text}");

    let typo = Recorded {
        client_id: Some("33333333-0000-4000-a000-00000000000f".into()),
        app_object_id: None,
        ..r.clone()
    };
    let lk = lookups(&typo, "Intrexx Portal", None);
    assert_eq!(
        lk,
        [Lookup::ClientId(
            "33333333-0000-4000-a000-00000000000f".into()
        )]
    );
    let t = Tenant {
        app: not_found(&lk),
        ..t
    };
    let e = build(&Goal::Register(desired()), &typo, &t, &options()).unwrap_err();
    let text = refusal_text(&e, Lang::En, &|f| {
        if f == "client_id" {
            "23".into()
        } else {
            "?".into()
        }
    });
    assert!(text.contains("typo in step 23"), "{text}");
    assert!(
        text.contains("33333333-0000-4000-a000-00000000000f"),
        "{text}"
    );
    // --new-app makes a new one, deliberately.
    let o = Options {
        new_app: true,
        ..options()
    };
    let p = build(&Goal::Register(desired()), &typo, &t, &o).unwrap();
    assert_eq!(kinds(&p)[0], "create_app");
}

#[test]
fn the_spa_uri_on_the_web_platform_moves_and_a_foreign_origin_is_marked() {
    let (r, mut t) = complete();
    let Found::App(app) = &mut t.app else {
        unreachable!()
    };
    app.redirect_uris = uris(&[WEB, SPA], &[]);
    let p = build(&Goal::Register(desired()), &r, &t, &options()).unwrap();
    let Op::UpdateApp { changes, .. } = &p.steps[0].op else {
        panic!("{:?}", kinds(&p))
    };
    assert!(changes.contains(&Change::RedirectUris {
        platform: Platform::Web,
        from: vec![WEB.into(), SPA.into()],
        to: vec![WEB.into()],
    }));
    assert!(changes.contains(&Change::RedirectUris {
        platform: Platform::Spa,
        from: vec![],
        to: vec![SPA.into()],
    }));
    let body = &p.steps[0].op.writes(&Ids::default())[0].body;
    assert_eq!(body["web"]["redirectUris"], serde_json::json!([WEB]));
    assert_eq!(body["spa"]["redirectUris"], serde_json::json!([SPA]));
    // A procedure that derives a URI on another host: marked.
    let mut d = desired();
    d.redirect_uris.set(
        Platform::Spa,
        vec!["https://elsewhere.example/oauth2callback.html".into()],
    );
    let p = build(
        &Goal::Register(d),
        &Recorded::default(),
        &empty_tenant(),
        &options(),
    )
    .unwrap();
    assert!(p.steps[0].marks.contains(&Mark::ForeignOrigin(
        "https://elsewhere.example/oauth2callback.html".into()
    )));
}

#[test]
fn a_resumed_run_plans_only_what_is_left() {
    // The app and its secret were made; the service principal is missing.
    let (mut r, mut t) = complete();
    r.sp_object_id = None;
    r.verified = false;
    t.sp = None;
    t.grant = None;
    t.roles = Vec::new();
    let p = build(&Goal::Register(desired()), &r, &t, &options()).unwrap();
    assert_eq!(
        kinds(&p),
        [
            "create_service_principal",
            "grant_scopes",
            "assign_roles",
            "live_check"
        ]
    );
    // A cut-off create: only its key recorded, the app not visible; created again under the
    // same key.
    let r = Recorded {
        unique_name: Some("azreg-recorded".into()),
        ..Recorded::default()
    };
    let lk = lookups(&r, "Intrexx Portal", None);
    let t = Tenant {
        app: not_found(&lk),
        ..empty_tenant()
    };
    let p = build(&Goal::Register(desired()), &r, &t, &options()).unwrap();
    assert!(matches!(&p.steps[0].op, Op::CreateApp { key, .. } if key == "azreg-recorded"));
    // A secret a cut-off run asked for is removed once the new one is there: found by its
    // start and the run's random mark in its description.
    let (mut r, mut t) = complete();
    r.secret_hint = None;
    r.secret_key_id = None;
    r.pending_secret = Some("2026-11-30T10:00:00Z".into());
    r.pending_marker = Some("azreg-0123456789ab".into());
    let Found::App(app) = &mut t.app else {
        unreachable!()
    };
    app.creds[0].start = "2026-11-30T10:00:00Z".into();
    app.creds[0].display_name = "Intrexx connector (azreg-0123456789ab)".into();
    let p = build(&Goal::Register(desired()), &r, &t, &options()).unwrap();
    assert_eq!(kinds(&p), ["add_secret", "remove_secret", "live_check"]);
}

#[test]
fn a_secret_that_only_shares_the_start_is_reported_never_removed() {
    for (marker, name) in [
        // A hand-made production secret created in the same second.
        (Some("azreg-0123456789ab"), "Production"),
        // Another run's mark.
        (
            Some("azreg-0123456789ab"),
            "Intrexx connector (azreg-ffffffffffff)",
        ),
        // A file from before marks were saved: the start alone proves nothing.
        (None, "Intrexx connector"),
    ] {
        let (mut r, mut t) = complete();
        r.secret_hint = None;
        r.secret_key_id = None;
        r.pending_secret = Some("2026-11-30T10:00:00Z".into());
        r.pending_marker = marker.map(String::from);
        let Found::App(app) = &mut t.app else {
            unreachable!()
        };
        app.creds[0].start = "2026-11-30T10:00:00Z".into();
        app.creds[0].display_name = name.into();
        let key = app.creds[0].key_id.clone();
        for goal in [
            Goal::Register(desired()),
            Goal::Renew {
                secret: SecretSpec {
                    description: "Intrexx 2027".into(),
                    end: "2027-11-30".into(),
                },
                remove_old: false,
            },
        ] {
            let p = build(&goal, &r, &t, &options()).unwrap();
            assert!(
                !kinds(&p).contains(&"remove_secret"),
                "{name}: {:?}",
                kinds(&p)
            );
            assert!(
                p.notes
                    .iter()
                    .any(|n| matches!(n, Note::Unproven { key_id, .. } if *key_id == key)),
                "{name}: reported"
            );
        }
    }
}

#[test]
fn a_new_secret_carries_the_runs_mark_in_its_description() {
    let op = Op::AddSecret {
        app: AppRef::New,
        description: "Intrexx connector".into(),
        end: "2027-05-30".into(),
    };
    let ids = Ids {
        marker: Some("azreg-0123456789ab".into()),
        ..Ids::default()
    };
    let w = &op.writes(&ids)[0];
    let name = w.body["passwordCredential"]["displayName"]
        .as_str()
        .unwrap();
    assert_eq!(name, "Intrexx connector (azreg-0123456789ab)");
    assert!(super::writes::has_marker(name, "azreg-0123456789ab"));
    assert!(!super::writes::has_marker(name, "azreg-ffffffffffff"));
    assert!(super::writes::is_marker("azreg-0123456789ab"));
    for bad in [
        "azreg-0123",
        "azreg-0123456789AB",
        "x-0123456789ab",
        "azreg-0123456789ag",
    ] {
        assert!(!super::writes::is_marker(bad), "{bad}");
    }
    // The shown plan says where the mark goes; a script makes its own.
    let shown = &op.writes(&Ids::default())[0];
    assert!(shown.body.to_string().contains("(<marker>)"));
}

#[test]
fn a_renewal_adds_checks_and_only_then_removes_the_recorded_key() {
    let (r, t) = complete();
    let goal = Goal::Renew {
        secret: SecretSpec {
            description: "Intrexx 2027".into(),
            end: "2027-11-30".into(),
        },
        remove_old: true,
    };
    let p = build(&goal, &r, &t, &options()).unwrap();
    assert_eq!(kinds(&p), ["add_secret", "live_check", "remove_secret"]);
    let Op::RemoveSecret { key_id, .. } = &p.steps[2].op else {
        unreachable!()
    };
    assert_eq!(Some(key_id), r.secret_key_id.as_ref());
    // No recorded key on the app: nothing is removed.
    let r2 = Recorded {
        secret_key_id: Some("99999999-0000-4000-a000-000000000009".into()),
        ..r
    };
    let p = build(&goal, &r2, &t, &options()).unwrap();
    assert_eq!(kinds(&p), ["add_secret", "live_check"]);
    assert!(p.notes.contains(&Note::NothingToRemove));
}

#[test]
fn a_check_host_named_by_a_file_is_marked() {
    let o = Options {
        check: Some(Check {
            host: "login.attacker.example".into(),
            trusted: false,
        }),
        ..options()
    };
    let p = build(
        &Goal::Register(desired()),
        &Recorded::default(),
        &empty_tenant(),
        &o,
    )
    .unwrap();
    let last = p.steps.last().unwrap();
    assert_eq!(
        last.marks,
        [Mark::SecretToHost("login.attacker.example".into())]
    );
}

#[test]
fn answers_are_taken_by_operation_status_and_code() {
    let (_, t) = complete();
    let _ = t;
    let sp = Op::CreateServicePrincipal { app: AppRef::New };
    let grant = Op::GrantScopes {
        sp: SpRef::New,
        graph_sp: GRAPH_SP.into(),
        add: vec!["User.Read".into()],
        existing: None,
    };
    let roles = Op::AssignRoles {
        sp: SpRef::New,
        graph_sp: GRAPH_SP.into(),
        roles: Vec::new(),
        names: Vec::new(),
    };
    assert_eq!(take(&sp, 201, ""), Answer::Done);
    assert_eq!(take(&sp, 400, "NoBackingApplicationObject"), Answer::Lag);
    assert_eq!(
        take(&sp, 409, "Request_MultipleObjectsWithSameKeyValue"),
        Answer::Exists
    );
    assert_eq!(take(&grant, 400, "Request_BadRequest"), Answer::Lag);
    assert_eq!(take(&roles, 400, "Request_BadRequest"), Answer::Lag);
    assert_eq!(take(&roles, 404, "Request_ResourceNotFound"), Answer::Lag);
    assert_eq!(take(&grant, 429, ""), Answer::Throttled);
    assert_eq!(
        take(&grant, 403, "Authorization_RequestDenied"),
        Answer::Refused
    );
    let create = Op::CreateApp {
        key: "k".into(),
        name: "n".into(),
        audience: "a".into(),
        redirect_uris: uris(&[WEB], &[SPA]),
        permissions: Vec::new(),
    };
    assert_eq!(take(&create, 400, "Request_BadRequest"), Answer::Refused);
}

#[test]
fn ids_stay_one_segment_and_keys_are_odata_literals() {
    let w = Op::RemoveSecret {
        app: AppRef::Known {
            object_id: "../../beta/users?$select=id".into(),
            client_id: "c".into(),
        },
        key_id: "k".into(),
        hint: "h".into(),
        why: RemoveWhy::Renewed,
    }
    .writes(&Ids::default());
    assert_eq!(
        w[0].path,
        [
            Seg::Name("applications"),
            Seg::Id("../../beta/users?$select=id".into()),
            Seg::Name("removePassword")
        ]
    );
    let k = Seg::Key {
        set: "applications",
        property: "uniqueName",
        value: "a'b".into(),
    };
    assert_eq!(k.text(), "applications(uniqueName='a''b')");
}

#[test]
fn the_json_lists_each_write_in_order() {
    let p = build(
        &Goal::Register(desired()),
        &Recorded::default(),
        &empty_tenant(),
        &options(),
    )
    .unwrap();
    let j = p.to_json(Lang::De);
    assert_eq!(j["schema"], "azreg.plan");
    assert_eq!(j["signed_in"]["account"], "admin@contoso.example");
    let writes = j["writes"].as_array().unwrap();
    assert_eq!(writes.len(), 5);
    assert_eq!(writes[0]["method"], "PATCH");
    assert_eq!(writes[0]["headers"]["Prefer"], "create-if-missing");
    assert_eq!(writes[2]["path"], "/v1.0/applications/<app.id>/addPassword");
    assert_eq!(j["ops"][4]["marks"][0]["kind"], "application_permission");
}

mod no_file_removes_the_recorded_secret {
    use super::*;
    use proptest::prelude::*;

    /// The recorded secret's public facts (start, mark in its description, hint, key), which
    /// anyone who can read the app can copy into a progress file, and some that are not.
    const START: &str = "2026-11-30T10:00:00Z";
    const MARK: &str = "azreg-0123456789ab";
    const KEY: &str = "44444444-0000-4000-a000-000000000004";
    const OTHER_KEY: &str = "66666666-0000-4000-a000-000000000006";

    fn some<T: Clone + std::fmt::Debug + 'static>(
        options: Vec<T>,
    ) -> impl Strategy<Value = Option<T>> {
        prop::option::of(prop::sample::select(options))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        /// However the progress file is edited, no plan removes the recorded secret unless
        /// asked by name (`secrets remove`) or by `--remove-old` of a renewal.
        #[test]
        fn however_edited(
            pending_secret in some(vec![START.to_string(), "2026-11-30T10:00:01Z".into()]),
            pending_marker in some(vec![MARK.to_string(), "azreg-ffffffffffff".into(), "x".into()]),
            key_recorded in any::<bool>(),
            hint in some(vec!["abc".to_string(), "zzz".into()]),
            other_secret in any::<bool>(),
            other_same_start in any::<bool>(),
            expired in any::<bool>(),
            new_secret in any::<bool>(),
            renew in any::<bool>(),
            today in prop::sample::select(vec![None, Some(time::macros::date!(2026 - 12 - 05))]),
        ) {
            let (mut r, mut t) = complete();
            r.pending_secret = pending_secret;
            r.pending_marker = pending_marker;
            r.secret_key_id = key_recorded.then(|| KEY.to_string());
            r.secret_hint = hint;
            let Found::App(app) = &mut t.app else { unreachable!() };
            app.creds[0].start = START.into();
            app.creds[0].display_name = format!("Intrexx connector ({MARK})");
            if expired {
                app.creds[0].end = "2026-01-01T00:00:00Z".into();
            }
            if other_secret {
                app.creds.push(Cred {
                    key_id: OTHER_KEY.into(),
                    hint: "xyz".into(),
                    display_name: format!("Intrexx connector ({MARK})"),
                    start: if other_same_start { START.into() } else { "2026-01-01T00:00:00Z".into() },
                    end: "2099-01-01T00:00:00Z".into(),
                });
            }
            let goal = if renew {
                Goal::Renew {
                    secret: SecretSpec { description: "Intrexx 2027".into(), end: "2027-11-30".into() },
                    remove_old: false,
                }
            } else {
                Goal::Register(desired())
            };
            let o = Options { new_secret, today, ..options() };
            // The recorded secret: by key, else by the hint when no key is recorded.
            let recorded_key = key_recorded || r.secret_hint.as_deref() == Some("abc");
            if let Ok(p) = build(&goal, &r, &t, &o) {
                for s in &p.steps {
                    if let Op::RemoveSecret { key_id, .. } = &s.op {
                        prop_assert!(!(recorded_key && key_id == KEY), "{:?}", kinds(&p));
                    }
                }
            }
        }
    }
}

#[test]
fn the_signed_in_identity_is_data_in_json_and_a_sentence_only_in_text() {
    let user = who();
    let j = user.to_json();
    assert_eq!(j["kind"], "user");
    assert_eq!(j["account"], "admin@contoso.example");
    assert_eq!(j["tenant_name"], "Contoso");
    let app = Who {
        account: None,
        app_id: Some("0b1c2d3e-1111-2222-3333-444455556666".into()),
        ..who()
    };
    let j = app.to_json();
    assert_eq!(j["kind"], "app");
    assert_eq!(j["account"], "0b1c2d3e-1111-2222-3333-444455556666");
    assert_eq!(j["user_principal_name"], serde_json::Value::Null);
    assert_eq!(
        app.shown(Lang::De),
        "die App 0b1c2d3e-1111-2222-3333-444455556666 (ein Dienstprinzipal)"
    );
    let nobody = Who {
        account: None,
        app_id: None,
        ..who()
    };
    assert_eq!(nobody.to_json()["kind"], "unknown");
    assert_eq!(nobody.shown(Lang::En), "(unknown account)");
}

/// A third platform is data: a redirect URI the record puts on `publicClient` is created there,
/// moved there from another platform, and nothing in the plan names the platform by hand.
#[test]
fn a_third_platform_is_data() {
    const NATIVE: &str = "https://portal.example.com/native";
    let mut d = desired();
    d.redirect_uris.add(Platform::PublicClient, NATIVE);
    let p = build(
        &Goal::Register(d.clone()),
        &Recorded::default(),
        &empty_tenant(),
        &options(),
    )
    .unwrap();
    let body = &p.steps[0].op.writes(&Ids::default())[0].body;
    assert_eq!(
        body["publicClient"]["redirectUris"],
        serde_json::json!([NATIVE])
    );
    assert_eq!(body["web"]["redirectUris"], serde_json::json!([WEB]));
    // On the app under Web: it moves to publicClient, the others stay.
    let (r, mut t) = complete();
    let Found::App(app) = &mut t.app else {
        unreachable!()
    };
    app.redirect_uris.add(Platform::Web, NATIVE);
    let p = build(&Goal::Register(d), &r, &t, &options()).unwrap();
    let Op::UpdateApp { changes, .. } = &p.steps[0].op else {
        panic!("{:?}", kinds(&p))
    };
    assert!(changes.contains(&Change::RedirectUris {
        platform: Platform::Web,
        from: vec![WEB.into(), NATIVE.into()],
        to: vec![WEB.into()],
    }));
    assert!(changes.contains(&Change::RedirectUris {
        platform: Platform::PublicClient,
        from: vec![],
        to: vec![NATIVE.into()],
    }));
}
