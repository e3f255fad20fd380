//! `azreg script az|powershell`: a script that performs the registration from the captured
//! name, account type, redirect URIs and secret settings. Facts: DOMAIN.md ("Automating").

use std::io::Write;

use super::{EXIT_CHECK, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome, sh_quote};
use crate::cli::ScriptKind;
use crate::fields::FieldState;
use crate::report::Report;
use crate::tr;

/// The values a script needs, by field id.
const NEEDED: [&str; 6] = [
    "app_name",
    "account_type",
    "web_redirect_uri",
    "spa_redirect_uri",
    "secret_description",
    "secret_expiry",
];

struct Inputs {
    name: String,
    audience: String,
    web: String,
    spa: String,
    description: String,
    end_date: String,
}

pub fn run(env: &Env, kind: ScriptKind, out: &mut dyn Write) -> Outcome {
    let progress = env.load()?;
    let r = Report::new(&env.procedure, &progress, env.today);
    let inputs = inputs(&r)?;
    let text = match kind {
        ScriptKind::Az => az(&inputs),
        ScriptKind::Powershell => powershell(&inputs),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::new(EXIT_USAGE, format!("cannot write: {e}")))?;
    Ok(EXIT_OK)
}

/// The needed values, or every reason they cannot be used yet.
fn inputs(r: &Report) -> Result<Inputs, Failure> {
    let ctx = r.ctx();
    let mut reasons = Vec::new();
    let mut got = Vec::new();
    for id in NEEDED {
        let Some(spec) = r.procedure.field(id) else {
            reasons.push(format!("{id}: this procedure has no such field"));
            continue;
        };
        let a = ctx.assess(spec);
        match (a.state(), &a.value) {
            (FieldState::Empty, _) | (_, None) => reasons.push(tr!(
                r.procedure.lang(),
                "{id}: missing ({})",
                "{id}: fehlt ({})",
                spec.label
            )),
            (FieldState::Error, _) => reasons.push(format!(
                "{id}: {}",
                a.first_error()
                    .map(|p| p.message.as_str())
                    .unwrap_or("invalid")
            )),
            (_, Some(v)) => got.push(v.clone()),
        }
    }
    if !reasons.is_empty() {
        return Err(Failure::new(
            EXIT_CHECK,
            tr!(
                r.procedure.lang(),
                "cannot write the script yet:
  {}",
                "das Skript kann noch nicht geschrieben werden:
  {}",
                reasons.join(
                    "
  "
                )
            ),
        ));
    }
    let mut it = got.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Ok(Inputs {
        name: next(),
        audience: next(),
        web: next(),
        spa: next(),
        description: next(),
        end_date: next(),
    })
}

fn az(i: &Inputs) -> String {
    format!(
        r#"#!/usr/bin/env bash
# Registers {name_comment} in Microsoft Entra ID with the Azure CLI, as azreg captured it.
# Run it signed in (az login) with the right to create app registrations. It prints the new
# secret's JSON once on stdout: pipe it into `azreg import` to store the values.
set -euo pipefail

display_name={name}
sign_in_audience={audience}
web_redirect_uri={web}
spa_redirect_uri={spa}
secret_description={description}
secret_end_date={end_date}

echo "Creating the app registration $display_name ..." >&2
# Assignments, not process substitutions: set -e stops the script when az fails.
created=$(az ad app create \
  --display-name "$display_name" \
  --sign-in-audience "$sign_in_audience" \
  --web-redirect-uris "$web_redirect_uri" \
  --query "[appId, id]" --output tsv)
read -r app_id object_id <<< "$created"

# The Azure CLI has no option for single-page application URIs: PATCH the application through
# Microsoft Graph. PATCH replaces the whole list, so read the current one and merge.
graph_app="https://graph.microsoft.com/v1.0/applications/$object_id"
json_string() {{ local s=${{1//\\/\\\\}}; s=${{s//\"/\\\"}}; printf '"%s"' "$s"; }}
current=$(az rest --method GET --uri "$graph_app" --query "spa.redirectUris[]" --output tsv)
spa_uris=()
while IFS= read -r uri; do
  [ -n "$uri" ] && spa_uris+=("$uri")
done <<< "$current"
present=0
for uri in "${{spa_uris[@]}}"; do [ "$uri" = "$spa_redirect_uri" ] && present=1; done
[ "$present" = 1 ] || spa_uris+=("$spa_redirect_uri")
body='{{"spa":{{"redirectUris":['
sep=''
for uri in "${{spa_uris[@]}}"; do body+="$sep$(json_string "$uri")"; sep=','; done
body+=']}}}}'
echo "Adding the single-page application redirect URI ..." >&2
az rest --method PATCH --uri "$graph_app" \
  --headers "Content-Type=application/json" --body "$body" --output none

# --append keeps existing secrets; without it the CLI deletes them.
echo "Creating the client secret ..." >&2
credential=$(az ad app credential reset --id "$app_id" --append \
  --display-name "$secret_description" --end-date "$secret_end_date" --output json)
tenant_id=$(printf '%s\n' "$credential" | sed -n 's/.*"tenant": *"\([^"]*\)".*/\1/p')

echo "Application (client) ID: $app_id" >&2
echo "Directory (tenant) ID:   $tenant_id" >&2
echo "WARNING: the JSON below holds the secret's value. It is shown only this once: store it now" >&2
echo "(for example: bash register.sh | azreg import)." >&2
printf '%s\n' "$credential"
"#,
        name_comment = i.name.replace('\n', " "),
        name = sh_quote(&i.name),
        audience = sh_quote(&i.audience),
        web = sh_quote(&i.web),
        spa = sh_quote(&i.spa),
        description = sh_quote(&i.description),
        end_date = sh_quote(&i.end_date),
    )
}

/// A PowerShell single-quoted string.
fn ps_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn powershell(i: &Inputs) -> String {
    format!(
        r#"#Requires -Modules Microsoft.Graph.Applications
# Registers {name_comment} in Microsoft Entra ID with Microsoft Graph PowerShell, as azreg
# captured it. It prints the new secret's JSON once: pipe it into `azreg import`.
$ErrorActionPreference = 'Stop'

Connect-MgGraph -Scopes 'Application.ReadWrite.All' -NoWelcome

$app = New-MgApplication -DisplayName {name} -SignInAudience {audience} `
  -Web @{{ RedirectUris = @({web}) }} `
  -Spa @{{ RedirectUris = @({spa}) }}

$secret = Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{{
  DisplayName = {description}
  EndDateTime = [datetime]::Parse({end_date}, [cultureinfo]::InvariantCulture)
}}

$tenant = (Get-MgContext).TenantId
Write-Host "Application (client) ID: $($app.AppId)"
Write-Host "Directory (tenant) ID:   $tenant"
Write-Warning 'The JSON below holds the secret value. It is shown only this once: store it now.'
[pscustomobject]@{{ appId = $app.AppId; password = $secret.SecretText; tenant = $tenant }} | ConvertTo-Json
"#,
        name_comment = i.name.replace('\n', " "),
        name = ps_quote(&i.name),
        audience = ps_quote(&i.audience),
        web = ps_quote(&i.web),
        spa = ps_quote(&i.spa),
        description = ps_quote(&i.description),
        end_date = ps_quote(&i.end_date),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn refuses_with_every_reason() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(
            &env,
            &[("portal_url", "https://a.com"), ("collaboration", "x-y")],
        );
        let (r, _) = capture(|o| super::run(&env, ScriptKind::Az, o));
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
    }

    #[test]
    fn quoting_is_safe() {
        assert_eq!(ps_quote("it's"), "'it''s'");
        let i = Inputs {
            name: "Bob's $(rm -rf /) portal".into(),
            audience: "AzureADMyOrg".into(),
            web: "https://a/oauth2/token/ms365-x".into(),
            spa: "https://a/oauth2callback.html".into(),
            description: "d".into(),
            end_date: "2027-05-25".into(),
        };
        let s = az(&i);
        assert!(
            s.contains(r"display_name='Bob'\''s $(rm -rf /) portal'"),
            "{s}"
        );
        assert!(powershell(&i).contains("-DisplayName 'Bob''s $(rm -rf /) portal'"));
    }
}
