//! The scripts: refusals, values as data, quoting, renewal.

use super::super::testing::*;
use super::*;
use crate::cli::Env;
use crate::core::plan::record;
use crate::scripts::{PS_SINGLE_QUOTES, ps_quote, sh_quote};
use proptest::prelude::*;

fn script(env: &Env, kind: ScriptKind, args: &ScriptArgs) -> String {
    let (r, out) = capture(|o| super::run(env, kind, args, o));
    assert_eq!(r, Ok(0), "{out}");
    out
}

/// A progress file with every value, the app's name `name`.
fn with_name(name: &str) -> (tempfile::TempDir, Env) {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path());
    let mut values: Vec<(&str, &str)> = FULL
        .iter()
        .copied()
        .filter(|(k, _)| !["client_id", "tenant_id", "client_secret", "app_name"].contains(k))
        .collect();
    values.push(("app_name", name));
    values.push(("graph_permissions", "User.Read, Chat.Read.All"));
    values.push(("secret_description", "--d"));
    with_values(&env, &values);
    (dir, env)
}

#[test]
fn refuses_with_every_reason() {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path());
    with_values(
        &env,
        &[("portal_url", "https://a.com"), ("collaboration", "x-y")],
    );
    let (r, _) = capture(|o| super::run(&env, ScriptKind::Az, &ScriptArgs::default(), o));
    let f = r.unwrap_err();
    assert_eq!(f.code, 1);
    assert!(f.message.contains("app_name: missing"), "{}", f.message);
    assert!(
        f.message.contains("web_redirect_uri: missing"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("secret_expiry: missing"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("admin_consent: missing"),
        "{}",
        f.message
    );
    // --allow-incomplete writes it anyway.
    let out = script(
        &env,
        ScriptKind::Az,
        &ScriptArgs {
            allow_incomplete: true,
            ..ScriptArgs::default()
        },
    );
    assert!(out.starts_with("#!/usr/bin/env bash"));
}

#[test]
fn bash_values_are_single_quoted_json() {
    let (_d, env) = with_name("Bob's $(rm -rf /) `x` \"q\" portal");
    let s = script(&env, ScriptKind::Az, &ScriptArgs::default());
    assert!(
        s.contains(r#"display_name_json='"Bob'\''s $(rm -rf /) `x` \"q\" portal"'"#),
        "{s}"
    );
    // The OData literal doubles the quote, then the URL encoding hides it from the shell.
    assert!(
        s.contains("name_filter='displayName%20eq%20%27Bob%27%27s%20%24%28rm"),
        "{s}"
    );
    assert!(s.contains(r#""endDateTime":"2027-05-25T23:59:59Z""#), "{s}");
    assert!(s.contains("6b7d71aa-70aa-4810-a8d9-5d9fb2830017"), "{s}");
}

/// The script's writes are the plan's: each one's path and body, as `Op::writes` makes them.
#[test]
fn the_scripts_carry_the_plans_writes_and_its_table_of_answers() {
    let (_d, env) = with_name("Intrexx Portal");
    // A key recorded (by an earlier script's import): both scripts create under it.
    let mut p = env.load().unwrap();
    let key = "azreg-0b1c2d3e-1111-2222-3333-444455556666".to_string();
    p.app_unique_name = Some(key.clone());
    env.save(&p).unwrap();
    let s = script(&env, ScriptKind::Az, &ScriptArgs::default());
    let ps = script(&env, ScriptKind::Powershell, &ScriptArgs::default());
    assert!(s.contains(&format!("unique_name='{key}'")), "{s}");
    let r = Report::new(&env.procedure, &p, env.today);
    let goal = Goal::Register(record::desired(&r, false).unwrap());
    let recorded = plan::Recorded {
        unique_name: Some(key.clone()),
        ..plan::Recorded::default()
    };
    let plan = plan::for_script(&goal, &recorded, &key);
    let kinds: Vec<&str> = plan.steps.iter().map(|s| s.op.kind()).collect();
    assert_eq!(
        kinds,
        [
            "create_app",
            "create_service_principal",
            "add_secret",
            "grant_scopes",
            "assign_roles"
        ]
    );
    let writes = plan.writes(&plan::script_ids());
    assert_eq!(writes.len(), 5);
    for w in &writes {
        assert!(
            s.contains(&sh_quote(&w.path_text())),
            "{}:\n{s}",
            w.path_text()
        );
        assert!(
            s.contains(&sh_quote(&w.body.to_string())),
            "{}:\n{s}",
            w.body
        );
        let rel = w.path_text();
        assert!(
            ps.contains(&ps_quote(rel.trim_start_matches('/'))),
            "{rel}:\n{ps}"
        );
        assert!(
            ps.contains(&ps_quote(&w.body.to_string())),
            "{}:\n{ps}",
            w.body
        );
    }
    // The answers: the same table as apply's.
    assert!(
        s.contains(r#"create_service_principal:*"Conflict("*) echo exists ;;"#),
        "{s}"
    );
    assert!(
        s.contains(r#"grant_scopes:*"Bad Request("*Request_BadRequest*) echo lag ;;"#),
        "{s}"
    );
    assert!(
        s.contains(r#"*:*"Not Found("*Request_ResourceNotFound*) echo lag ;;"#),
        "{s}"
    );
    assert!(ps.contains("if ($Kind -eq 'assign_roles' -and $status -eq 400 -and $text -match '\"Request_BadRequest\"') { return 'lag' }"), "{ps}");
    // Never by display name: an app of the same name stops the script.
    assert!(
        s.contains("azreg does not take over an app by its name"),
        "{s}"
    );
    assert!(!s.contains("found the app registration with this display name"));
}

#[test]
fn a_recorded_app_is_updated_and_its_recorded_secret_kept_unless_asked() {
    let (_d, env) = with_name("Intrexx Portal");
    let mut p = env.load().unwrap();
    p.values.insert(
        "client_id".into(),
        "0b1c2d3e-1111-2222-3333-444455556666".into(),
    );
    p.secret_key_id = Some("aaaaaaaa-1111-2222-3333-444455556666".into());
    env.save(&p).unwrap();
    let s = script(&env, ScriptKind::Az, &ScriptArgs::default());
    assert!(
        s.contains("client_id='0b1c2d3e-1111-2222-3333-444455556666'"),
        "{s}"
    );
    assert!(
        s.contains("recorded_key='aaaaaaaa-1111-2222-3333-444455556666'"),
        "{s}"
    );
    assert!(s.contains("new_secret=no"), "{s}");
    assert!(s.contains("updating the app registration"), "{s}");
    assert!(!s.contains("creating the app registration"), "{s}");
    assert!(s.contains("typo in step 23"), "{s}");
    let s = script(
        &env,
        ScriptKind::Az,
        &ScriptArgs {
            new_secret: true,
            ..ScriptArgs::default()
        },
    );
    assert!(s.contains("new_secret=yes"), "{s}");
}

#[test]
fn bash_scripts_parse() {
    let (_d, env) = with_name("--name ’x’ $(y)");
    for args in [
        ScriptArgs::default(),
        ScriptArgs {
            adopt: Some("0b1c2d3e-1111-2222-3333-444455556666".into()),
            ..ScriptArgs::default()
        },
    ] {
        let s = script(&env, ScriptKind::Az, &args);
        let out = std::process::Command::new("bash")
            .args(["-n", "-c", &s])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn powershell_quotes_every_single_quote_character() {
    assert_eq!(ps_quote("it's"), "'it''s'");
    assert_eq!(ps_quote("Bob’s"), "'Bob’’s'");
    let (_d, env) = with_name("Bob’s ‘Portal’ $(x)");
    let mut p = env.load().unwrap();
    p.values.insert(
        "tenant_id".into(),
        "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff".into(),
    );
    env.save(&p).unwrap();
    let s = script(&env, ScriptKind::Powershell, &ScriptArgs::default());
    assert!(s.contains("$DisplayName = 'Bob’’s ‘‘Portal’’ $(x)'"), "{s}");
    assert!(
        s.contains("-TenantId '9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff'"),
        "{s}"
    );
    assert!(s.contains("$NameFilter = 'displayName eq ''Bob’’s"), "{s}");
    // Nothing but the JSON goes to the output stream.
    assert!(!s.contains("Write-Host") && !s.contains("Write-Output"));
}

/// A model of PowerShell's single-quoted string literal, written from its tokenizer
/// (`ScanStringLiteral` with `IsSingleQuote`): it opens with any single-quote character;
/// inside, a single-quote character followed by another stands for the second one; a single
/// one ends the string. pwsh itself cannot be installed on our machines, so this model
/// stands in for it. Returns the value and what follows the literal.
fn ps_single_quoted(src: &str) -> Option<(String, &str)> {
    let is_q = |c: char| PS_SINGLE_QUOTES.contains(&c);
    let mut it = src.char_indices().peekable();
    let (_, first) = it.next()?;
    if !is_q(first) {
        return None;
    }
    let mut out = String::new();
    while let Some((i, c)) = it.next() {
        if is_q(c) {
            match it.peek() {
                Some(&(_, n)) if is_q(n) => {
                    it.next();
                    out.push(n);
                }
                _ => return Some((out, &src[i + c.len_utf8()..])),
            }
        } else {
            out.push(c);
        }
    }
    None
}

#[test]
fn the_model_sees_the_old_quoting_break() {
    // Doubling only ASCII ' (the old quoting) lets ’ end the string early.
    let naive = format!("'{}'", "Bob’s Portal".replace('\'', "''"));
    let (value, rest) = ps_single_quoted(&naive).unwrap();
    assert_eq!(value, "Bob");
    assert_eq!(rest, "s Portal'");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn every_value_round_trips_through_powershell_quoting(
        s in proptest::collection::vec(prop_oneof![
            Just('\''), Just('\u{2018}'), Just('\u{2019}'), Just('\u{201A}'), Just('\u{201B}'),
            Just('"'), Just('\u{201C}'), Just('\u{201D}'), Just('\u{201E}'),
            Just('-'), Just('\u{2013}'), Just('\u{2014}'), Just('\u{2015}'),
            Just('$'), Just('('), Just(')'), Just('`'), Just(' '), Just(';'), Just('@'),
            proptest::char::range('a', 'z'),
        ], 0..24).prop_map(|v| v.into_iter().collect::<String>())
    ) {
        let quoted = ps_quote(&s);
        let (value, rest) = ps_single_quoted(&quoted).expect("a closed literal");
        prop_assert_eq!(value, s);
        prop_assert_eq!(rest, "");
    }
}

mod renew {
    use super::super::super::testing::*;
    use super::super::*;
    use crate::cli::{Env, Outcome};

    fn renew(env: &Env, kind: ScriptKind, expires: &str) -> Outcome {
        capture(|o| {
            run(
                env,
                kind,
                &ScriptArgs {
                    renew: Some(expires.into()),
                    ..ScriptArgs::default()
                },
                o,
            )
        })
        .0
    }

    #[test]
    fn renewal_scripts_add_a_secret_and_never_remove_one() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, FULL);
        let (r, out) = capture(|o| {
            run(
                &env,
                ScriptKind::Az,
                &ScriptArgs {
                    renew: Some("365".into()),
                    ..ScriptArgs::default()
                },
                o,
            )
        });
        assert_eq!(r, Ok(0));
        assert!(
            out.contains("client_id='0b1c2d3e-1111-2222-3333-444455556666'"),
            "{out}"
        );
        assert!(
            out.contains(r#""endDateTime":"2027-11-26T23:59:59Z""#),
            "{out}"
        );
        assert!(out.contains("addPassword") && !out.contains("removePassword"));
        assert!(out.contains(r#""renewal": true"#), "{out}");
        let (r, out) = capture(|o| {
            run(
                &env,
                ScriptKind::Powershell,
                &ScriptArgs {
                    renew: Some(String::new()),
                    ..ScriptArgs::default()
                },
                o,
            )
        });
        assert_eq!(r, Ok(0));
        assert!(out.contains("addPassword") && !out.contains("removePassword"));
        assert!(
            out.contains(r#""endDateTime":"2027-05-25T23:59:59Z""#),
            "180 days: {out}"
        );
        assert_eq!(
            renew(&env, ScriptKind::Az, "2020-01-01").unwrap_err().code,
            2,
            "a date in the past"
        );
        // Without a client ID there is nothing to renew.
        let dir = tempfile::tempdir().unwrap();
        let env = super::super::super::testing::env(dir.path());
        with_values(&env, &[("secret_description", "x")]);
        assert!(
            renew(&env, ScriptKind::Az, "")
                .unwrap_err()
                .message
                .contains("client_id")
        );
    }
}
