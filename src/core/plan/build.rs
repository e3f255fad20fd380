//! Making the plan: the difference between what the record asks for and what the tenant holds,
//! or why azreg will not make one.

use super::*;

/// The plan for `goal`, from the record and the tenant; or why azreg will not make one.
pub fn build(goal: &Goal, r: &Recorded, t: &Tenant, o: &Options) -> Result<Plan, Refusal> {
    if let Some(rec) = &r.tenant_id
        && !rec.eq_ignore_ascii_case(&t.who.tenant_id)
    {
        return Err(Refusal::TenantMismatch {
            recorded: rec.clone(),
            who: Box::new(t.who.clone()),
        });
    }
    let mut plan = Plan {
        who: t.who.clone(),
        graph_host: String::new(),
        app: None,
        sp: None,
        steps: Vec::new(),
        notes: Vec::new(),
        in_use_end: None,
    };
    let app = match &t.app {
        Found::App(a) => {
            if o.adopt.is_none()
                && let Some(rec) = &r.client_id
                && !rec.eq_ignore_ascii_case(&a.app_id)
            {
                return Err(Refusal::Inconsistent {
                    found: a.app_id.clone(),
                    recorded: rec.clone(),
                });
            }
            Some(a.as_ref())
        }
        Found::Missing(lookup) if !o.new_app || matches!(lookup, Lookup::Adopt(_)) => {
            return Err(Refusal::AppMissing {
                lookup: lookup.clone(),
                who: Box::new(t.who.clone()),
            });
        }
        Found::Fresh { same_name } if !same_name.is_empty() => {
            return Err(Refusal::SameName {
                name: match goal {
                    Goal::Register(d) => d.name.clone(),
                    Goal::Renew { .. } | Goal::FinishRotation => String::new(),
                },
                apps: same_name.clone(),
            });
        }
        _ => None,
    };
    if let Some(a) = app {
        plan.app = Some((a.id.clone(), a.app_id.clone()));
        plan.sp = t.sp.as_ref().map(|(id, _)| id.clone());
        plan.in_use_end = super::secret_in_use(a, r)
            .filter(|_| r.secret_hint.is_some() || r.secret_key_id.is_some())
            .map(|c| c.end.clone())
            .filter(|e| !e.is_empty());
    }
    match goal {
        Goal::Register(d) => register(&mut plan, d, r, t, app, o)?,
        Goal::Renew { secret, remove_old } => {
            let Some(a) = app else {
                return Err(app_missing(r, t));
            };
            renew(&mut plan, secret, *remove_old, r, a, o);
        }
        Goal::FinishRotation => {
            let Some(a) = app else {
                return Err(app_missing(r, t));
            };
            finish_rotation(&mut plan, r, a);
        }
    }
    // A secret the tenant's policy refuses is refused here, before anything is written.
    for step in &plan.steps {
        if let Op::AddSecret { end, .. } = &step.op
            && let Some(l) = super::policy::limit(t.secret_policy.as_ref(), end, o.today)
        {
            return Err(Refusal::SecretPolicy(l));
        }
    }
    Ok(plan)
}

/// A renewal or a rotation's end without the recorded app in the tenant.
fn app_missing(r: &Recorded, t: &Tenant) -> Refusal {
    Refusal::AppMissing {
        lookup: lookups(r, "", None)
            .into_iter()
            .next()
            .unwrap_or(Lookup::SameName(String::new())),
        who: Box::new(t.who.clone()),
    }
}

fn app_ref(a: &AppState) -> AppRef {
    AppRef::Known {
        object_id: a.id.clone(),
        client_id: a.app_id.clone(),
    }
}

/// The plan of a registration: one function per part, in the procedure's order.
fn register(
    plan: &mut Plan,
    d: &Desired,
    r: &Recorded,
    t: &Tenant,
    app: Option<&AppState>,
    o: &Options,
) -> Result<(), Refusal> {
    let app_ref = match app {
        None => create_app(plan, d, r, o),
        Some(a) => {
            update_app(plan, d, a);
            app_ref(a)
        }
    };
    let sp = service_principal(plan, &app_ref, t);
    owner(plan, &app_ref, t, app, o);
    secret(plan, d, r, (&app_ref, app), o);
    if d.consent {
        let Some(graph_sp) = t.graph_sp.clone() else {
            return Err(Refusal::NoGraph);
        };
        consent(plan, d, t, sp, graph_sp);
    }
    live_check(plan, r, o);
    // A rotation in progress: ended after the check when Intrexx is shown on the new secret,
    // else said.
    if let (Some(a), Some((_, hint))) = (app, &r.rotation_old) {
        if o.finish_rotation {
            finish_rotation(plan, r, a);
        } else {
            plan.notes.push(Note::RotationOpen {
                hint: hint.clone().unwrap_or_default(),
            });
        }
    }
    Ok(())
}

/// A redirect URI outside the portal's own address is marked.
fn uri_marks(d: &Desired, marks: &mut Vec<Mark>, uris: &[&str]) {
    for uri in uris {
        if d.portal_origin
            .as_deref()
            .is_some_and(|origin| origin_of(uri).as_deref() != Some(origin))
        {
            marks.push(Mark::ForeignOrigin(uri.to_string()));
        }
    }
}

/// Application permissions, and delegated ones the connector's documentation does not name,
/// are marked.
fn permission_marks(marks: &mut Vec<Mark>, added: &[&Permission]) {
    for p in added {
        match p.kind {
            Kind::Application => marks.push(Mark::ApplicationPermission(p.name.to_string())),
            Kind::Delegated
                if !crate::core::permissions::documented_for_connector(p.name, p.kind) =>
            {
                marks.push(Mark::BeyondConnector(p.name.to_string()))
            }
            Kind::Delegated => {}
        }
    }
}

/// A new application, under the recorded key or a new one.
fn create_app(plan: &mut Plan, d: &Desired, r: &Recorded, o: &Options) -> AppRef {
    let mut marks = Vec::new();
    let uris: Vec<&str> = d.redirect_uris.iter().map(|(_, u)| u.as_str()).collect();
    uri_marks(d, &mut marks, &uris);
    permission_marks(&mut marks, &d.permissions.iter().collect::<Vec<_>>());
    plan.steps.push(Step {
        op: Op::CreateApp {
            key: r.unique_name.clone().unwrap_or_else(|| o.new_key.clone()),
            name: d.name.clone(),
            audience: d.audience.clone(),
            redirect_uris: d.redirect_uris.clone(),
            permissions: d.permissions.iter().map(Access::from).collect(),
        },
        marks,
    });
    AppRef::New
}

/// The existing application brought to what the record asks for: name, account types, each
/// redirect URI on its own platform (one of ours on the other platform moves), the missing
/// permissions; what azreg did not ask for is noted, never removed.
fn update_app(plan: &mut Plan, d: &Desired, a: &AppState) {
    let mut marks = Vec::new();
    let mut changes = Vec::new();
    if a.display_name != d.name {
        changes.push(Change::DisplayName {
            from: a.display_name.clone(),
            to: d.name.clone(),
        });
    }
    if a.audience != d.audience {
        changes.push(Change::Audience {
            from: a.audience.clone(),
            to: d.audience.clone(),
        });
    }
    // Each of ours on its own platform: one on another platform moves; theirs stay.
    for platform in Platform::ALL {
        let now = a.redirect_uris.on(platform);
        let mut to: Vec<String> = now
            .iter()
            .filter(|u| d.redirect_uris.platform_of(u).is_none_or(|p| p == platform))
            .cloned()
            .collect();
        for ours in d.redirect_uris.on(platform) {
            if !to.contains(ours) {
                to.push(ours.clone());
                uri_marks(d, &mut marks, &[ours]);
            }
        }
        if to != now {
            changes.push(Change::RedirectUris {
                platform,
                from: now.to_vec(),
                to,
            });
        }
    }
    for (platform, uri) in a.redirect_uris.iter() {
        if !d.redirect_uris.contains(uri) {
            plan.notes.push(Note::ForeignUri {
                uri: uri.clone(),
                platform,
            });
        }
    }
    let missing: Vec<&Permission> = d
        .permissions
        .iter()
        .filter(|p| !a.graph_access.contains(&Access::from(*p)))
        .collect();
    if !missing.is_empty() {
        permission_marks(&mut marks, &missing);
        let mut to = a.graph_access.clone();
        to.extend(missing.iter().map(|p| Access::from(*p)));
        changes.push(Change::Permissions {
            from: a.graph_access.clone(),
            to,
        });
    }
    for extra in a
        .graph_access
        .iter()
        .filter(|x| !d.permissions.iter().any(|p| Access::from(p) == **x))
    {
        plan.notes
            .push(Note::ExtraPermission(permission_name(extra)));
    }
    if !changes.is_empty() {
        plan.steps.push(Step {
            op: Op::UpdateApp {
                object_id: a.id.clone(),
                changes,
                other_access: a.other_access.clone(),
            },
            marks,
        });
    }
}

/// The service principal (Entra ID refuses sign-in without one: AADSTS7000229).
fn service_principal(plan: &mut Plan, app_ref: &AppRef, t: &Tenant) -> SpRef {
    match (app_ref, &t.sp) {
        (AppRef::Known { .. }, Some((id, enabled))) => {
            if !enabled {
                plan.notes.push(Note::SpDisabled);
            }
            SpRef::Known(id.clone())
        }
        _ => {
            plan.steps.push(Step {
                op: Op::CreateServicePrincipal {
                    app: app_ref.clone(),
                },
                marks: Vec::new(),
            });
            SpRef::New
        }
    }
}

/// The signed-in person as owner of a new app, or of one that has none: administrators are
/// not made owners of what they create, and the app should stay maintainable without one.
fn owner(plan: &mut Plan, app_ref: &AppRef, t: &Tenant, app: Option<&AppState>, o: &Options) {
    if let Some(user_id) = &t.who.user_id
        && !o.graph_root.is_empty()
        && app.is_none_or(|a| a.owner_ids.is_empty())
    {
        plan.steps.push(Step {
            op: Op::AddOwner {
                app: app_ref.clone(),
                user_id: user_id.clone(),
                user: t.who.account.clone().unwrap_or_else(|| user_id.clone()),
                graph_root: o.graph_root.clone(),
            },
            marks: Vec::new(),
        });
    }
}

/// The secret: kept when the recorded one is on the app (only a recorded value can be in
/// place: a key alone says nothing of what Intrexx holds); an orphan of a cut-off run goes
/// once the new secret is there.
fn secret(
    plan: &mut Plan,
    d: &Desired,
    r: &Recorded,
    (app_ref, app): (&AppRef, Option<&AppState>),
    o: &Options,
) {
    let creds: &[Cred] = app.map(|a| a.creds.as_slice()).unwrap_or_default();
    let in_place = app
        .filter(|_| r.secret_hint.is_some())
        .and_then(|a| super::secret_in_use(a, r));
    let adds = match in_place {
        Some(c) if !o.new_secret => {
            plan.notes.push(Note::SecretInPlace {
                hint: c.hint.clone(),
                end: c.end.get(..10).unwrap_or(&c.end).to_string(),
            });
            false
        }
        _ => {
            plan.steps.push(Step {
                op: Op::AddSecret {
                    app: app_ref.clone(),
                    description: d.secret.description.clone(),
                    end: d.secret.end.clone(),
                },
                marks: Vec::new(),
            });
            true
        }
    };
    orphans(plan, r, app_ref, creds, o.today, adds);
}

/// Admin consent, when chosen: the delegated scopes not yet granted tenant-wide, the
/// application permissions not yet assigned.
fn consent(plan: &mut Plan, d: &Desired, t: &Tenant, sp: SpRef, graph_sp: String) {
    let have: &[String] = match (&sp, &t.grant) {
        (SpRef::Known(_), Some((_, scopes))) => scopes,
        _ => &[],
    };
    let add: Vec<&Permission> = d
        .permissions
        .iter()
        .filter(|p| p.kind == Kind::Delegated && !have.iter().any(|h| h == p.name))
        .collect();
    if !add.is_empty() {
        let mut marks = Vec::new();
        permission_marks(&mut marks, &add);
        plan.steps.push(Step {
            op: Op::GrantScopes {
                sp: sp.clone(),
                graph_sp: graph_sp.clone(),
                add: add.iter().map(|p| p.name.to_string()).collect(),
                existing: match &sp {
                    SpRef::Known(_) => t.grant.clone(),
                    SpRef::New => None,
                },
            },
            marks,
        });
    }
    let held: &[String] = match &sp {
        SpRef::Known(_) => &t.roles,
        SpRef::New => &[],
    };
    let roles: Vec<&Permission> = d
        .permissions
        .iter()
        .filter(|p| p.kind == Kind::Application && !held.iter().any(|h| h == p.id))
        .collect();
    if !roles.is_empty() {
        let mut marks = Vec::new();
        permission_marks(&mut marks, &roles);
        plan.steps.push(Step {
            op: Op::AssignRoles {
                sp,
                graph_sp,
                roles: roles.iter().map(|p| Access::from(*p)).collect(),
                names: roles.iter().map(|p| p.name.to_string()).collect(),
            },
            marks,
        });
    }
}

/// A secret a cut-off run asked for and never saved is removed, but only when azreg can tell it
/// is one: the progress file's pending start and mark, the credential's start and mark in its
/// description all match; it is not the recorded secret (by key, or by hint when no key is
/// recorded: the file may be edited, the app's descriptions are public); and it is not the
/// app's only valid secret. Anything else that looks like one is reported, never removed.
/// `adds`: the plan adds a secret before these removals (so the orphan is not the last one).
fn orphans(
    plan: &mut Plan,
    r: &Recorded,
    app: &AppRef,
    creds: &[Cred],
    today: Option<time::Date>,
    adds: bool,
) {
    let Some(start) = &r.pending_secret else {
        return;
    };
    let recorded = |c: &Cred| match (&r.secret_key_id, &r.secret_hint) {
        (Some(k), _) => c.key_id.eq_ignore_ascii_case(k),
        (None, Some(h)) => &c.hint == h,
        (None, None) => false,
    };
    let valid = |c: &Cred| {
        today.is_none_or(|t| crate::core::fields::last_day_of_end(&c.end).is_some_and(|l| l >= t))
    };
    let valid_count = creds.iter().filter(|c| valid(c)).count() + usize::from(adds);
    for c in creds.iter().filter(|c| &c.start == start) {
        let ours = r
            .pending_marker
            .as_deref()
            .is_some_and(|m| super::writes::has_marker(&c.display_name, m));
        let only_valid = valid(c) && valid_count <= 1;
        if !ours || recorded(c) || only_valid {
            plan.notes.push(if ours {
                Note::ClaimRefused {
                    hint: c.hint.clone(),
                    key_id: c.key_id.clone(),
                }
            } else {
                Note::Unproven {
                    hint: c.hint.clone(),
                    key_id: c.key_id.clone(),
                }
            });
            continue;
        }
        plan.steps.push(Step {
            op: Op::RemoveSecret {
                app: app.clone(),
                key_id: c.key_id.clone(),
                hint: c.hint.clone(),
                why: RemoveWhy::Orphaned,
            },
            marks: Vec::new(),
        });
    }
}

/// The live check closes a plan that writes, or one whose values were never proved.
fn live_check(plan: &mut Plan, r: &Recorded, o: &Options) {
    let Some(check) = &o.check else { return };
    if plan.steps.is_empty() && r.verified {
        return;
    }
    let mut marks = Vec::new();
    if !check.trusted {
        marks.push(Mark::SecretToHost(check.host.clone()));
    }
    plan.steps.push(Step {
        op: Op::LiveCheck {
            host: check.host.clone(),
        },
        marks,
    });
}

fn renew(
    plan: &mut Plan,
    secret: &SecretSpec,
    remove_old: bool,
    r: &Recorded,
    a: &AppState,
    o: &Options,
) {
    let app = app_ref(a);
    plan.steps.push(Step {
        op: Op::AddSecret {
            app: app.clone(),
            description: secret.description.clone(),
            end: secret.end.clone(),
        },
        marks: Vec::new(),
    });
    orphans(plan, r, &app, &a.creds, o.today, true);
    live_check(
        plan,
        &Recorded {
            verified: false,
            ..r.clone()
        },
        o,
    );
    if !remove_old {
        // A rotation: the old secret stays until Intrexx uses the new one.
        if let Some(hint) = &r.secret_hint {
            plan.notes.push(Note::KeepsOld { hint: hint.clone() });
        }
        return;
    }
    // Only the secret the record holds (by its key, or a value typed in by hand by its hint
    // when no other secret shares it), and only after the new secret passed the check.
    let old = match (&r.secret_key_id, &r.secret_hint) {
        (Some(k), _) => a.creds.iter().find(|c| c.key_id.eq_ignore_ascii_case(k)),
        (None, Some(h)) => {
            let mut same = a.creds.iter().filter(|c| &c.hint == h);
            match (same.next(), same.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        }
        (None, None) => None,
    };
    match old {
        Some(c) => plan.steps.push(Step {
            op: Op::RemoveSecret {
                app,
                key_id: c.key_id.clone(),
                hint: c.hint.clone(),
                why: RemoveWhy::Renewed,
            },
            // In the same run as the add: Intrexx still holds the old value.
            marks: vec![Mark::StopsConnector],
        }),
        None => plan.notes.push(Note::NothingToRemove),
    }
}

/// The end of a rotation: the old secret the record kept goes (it is never the recorded one,
/// which is the new secret by now).
fn finish_rotation(plan: &mut Plan, r: &Recorded, a: &AppState) {
    let old = r.rotation_old.as_ref().and_then(|(k, _)| {
        a.creds
            .iter()
            .find(|c| c.key_id.eq_ignore_ascii_case(k))
            .filter(|c| {
                r.secret_key_id
                    .as_deref()
                    .is_none_or(|rec| !c.key_id.eq_ignore_ascii_case(rec))
            })
    });
    match old {
        Some(c) => plan.steps.push(Step {
            op: Op::RemoveSecret {
                app: app_ref(a),
                key_id: c.key_id.clone(),
                hint: c.hint.clone(),
                why: RemoveWhy::Renewed,
            },
            marks: Vec::new(),
        }),
        None => plan.notes.push(Note::NothingToRemove),
    }
}

/// A permission's name for display: from the catalogue, else its id.
fn permission_name(a: &Access) -> String {
    crate::core::permissions::name_of(&a.id, a.kind)
        .map(str::to_string)
        .unwrap_or_else(|| a.id.clone())
}
