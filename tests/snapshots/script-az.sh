#!/usr/bin/env bash
# Registers Intrexx Portal in Microsoft Entra ID with the Azure CLI, as azreg captured it.
# Run it signed in (az login) with the right to create app registrations. It prints the new
# secret's JSON once on stdout: pipe it into `azreg import` to store the values.
set -euo pipefail

display_name='Intrexx Portal'
sign_in_audience='AzureADMyOrg'
web_redirect_uri='https://portal.example.com/oauth2/token/ms365-mycompany'
spa_redirect_uri='https://portal.example.com/oauth2callback.html'
secret_description='Intrexx connector'
secret_end_date='2099-05-25'

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
json_string() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
current=$(az rest --method GET --uri "$graph_app" --query "spa.redirectUris[]" --output tsv)
spa_uris=()
while IFS= read -r uri; do
  [ -n "$uri" ] && spa_uris+=("$uri")
done <<< "$current"
present=0
for uri in "${spa_uris[@]}"; do [ "$uri" = "$spa_redirect_uri" ] && present=1; done
[ "$present" = 1 ] || spa_uris+=("$spa_redirect_uri")
body='{"spa":{"redirectUris":['
sep=''
for uri in "${spa_uris[@]}"; do body+="$sep$(json_string "$uri")"; sep=','; done
body+=']}}'
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
