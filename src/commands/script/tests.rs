//! The scripts: refusals, values as data, quoting, renewal.

use super::super::testing::*;
use super::*;
use proptest::prelude::*;

#[test]
fn refuses_with_every_reason() {
    let dir = tempfile::tempdir().unwrap();
    let env = env(dir.path());
    with_values(
        &env,
        &[("portal_url", "https://a.com"), ("collaboration", "x-y")],
    );
    let (r, _) = capture(|o| super::run(&env, ScriptKind::Az, (false, None), o));
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
    let (r, out) = capture(|o| super::run(&env, ScriptKind::Az, (true, None), o));
    assert_eq!(r, Ok(0));
    assert!(out.starts_with("#!/usr/bin/env bash"));
}

fn inputs(name: &str) -> Inputs {
    Inputs {
        name: name.into(),
        audience: "AzureADMyOrg".into(),
        web: "https://a/oauth2/token/ms365-x".into(),
        spa: "https://a/oauth2callback.html".into(),
        description: "--d".into(),
        end_date: "2027-05-25".into(),
        permissions: permissions::parse("User.Read, Chat.Read.All", crate::i18n::Lang::En).unwrap(),
        consent: true,
        client_id: None,
        tenant_id: Some("9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff".into()),
    }
}

#[test]
fn bash_values_are_single_quoted_json() {
    let s = az(&inputs("Bob's $(rm -rf /) `x` \"q\" portal"));
    assert!(
        s.contains(r#"display_name_json='"Bob'\''s $(rm -rf /) `x` \"q\" portal"'"#),
        "{s}"
    );
    // The OData literal doubles the quote, then the URL encoding hides it from the shell.
    assert!(
        s.contains("name_filter='displayName%20eq%20%27Bob%27%27s%20%24%28rm"),
        "{s}"
    );
    assert!(s.contains(r#""endDateTime":"2027-05-25T00:00:00Z""#), "{s}");
    assert!(s.contains("app_role_ids='6b7d71aa-70aa-4810-a8d9-5d9fb2830017'"));
    assert!(s.contains("delegated_scopes='User.Read'"));
}

#[test]
fn bash_script_parses() {
    let s = az(&inputs("--name ’x’ $(y)"));
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

#[test]
fn powershell_quotes_every_single_quote_character() {
    assert_eq!(ps_quote("it's"), "'it''s'");
    assert_eq!(ps_quote("Bob’s"), "'Bob’’s'");
    let s = powershell(&inputs("Bob’s ‘Portal’ $(x)"));
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

    #[test]
    fn renewal_scripts_add_a_secret_and_never_remove_one() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, FULL);
        let (r, out) = capture(|o| run(&env, ScriptKind::Az, (false, Some("365".into())), o));
        assert_eq!(r, Ok(0));
        assert!(
            out.contains("client_id='0b1c2d3e-1111-2222-3333-444455556666'"),
            "{out}"
        );
        assert!(
            out.contains(r#""endDateTime":"2027-11-26T00:00:00Z""#),
            "{out}"
        );
        assert!(out.contains("addPassword") && !out.contains("removePassword"));
        assert!(out.contains("renewal: \\`true\\`"), "{out}");
        let (r, out) = capture(|o| {
            run(
                &env,
                ScriptKind::Powershell,
                (false, Some(String::new())),
                o,
            )
        });
        assert_eq!(r, Ok(0));
        assert!(
            out.contains("Add-MgApplicationPassword")
                && !out.contains("Remove-MgApplicationPassword")
        );
        assert!(
            out.contains("$SecretEnd = [datetime]::Parse('2027-05-25'"),
            "180 days: {out}"
        );
        let (r, _) = capture(|o| run(&env, ScriptKind::Az, (false, Some("2020-01-01".into())), o));
        assert_eq!(r.unwrap_err().code, 2, "a date in the past");
        // Without a client ID there is nothing to renew.
        let dir = tempfile::tempdir().unwrap();
        let env = super::super::super::testing::env(dir.path());
        with_values(&env, &[("secret_description", "x")]);
        let (r, _) = capture(|o| run(&env, ScriptKind::Az, (false, Some(String::new())), o));
        assert!(r.unwrap_err().message.contains("client_id"));
    }
}
