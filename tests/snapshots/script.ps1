#Requires -Modules Microsoft.Graph.Applications
# Registers Intrexx Portal in Microsoft Entra ID with Microsoft Graph PowerShell, as azreg
# captured it. It prints the new secret's JSON once: pipe it into `azreg import`.
$ErrorActionPreference = 'Stop'

Connect-MgGraph -Scopes 'Application.ReadWrite.All' -NoWelcome

$app = New-MgApplication -DisplayName 'Intrexx Portal' -SignInAudience 'AzureADMyOrg' `
  -Web @{ RedirectUris = @('https://portal.example.com/oauth2/token/ms365-mycompany') } `
  -Spa @{ RedirectUris = @('https://portal.example.com/oauth2callback.html') }

$secret = Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{
  DisplayName = 'Intrexx connector'
  EndDateTime = [datetime]::Parse('2099-05-25', [cultureinfo]::InvariantCulture)
}

$tenant = (Get-MgContext).TenantId
Write-Host "Application (client) ID: $($app.AppId)"
Write-Host "Directory (tenant) ID:   $tenant"
Write-Warning 'The JSON below holds the secret value. It is shown only this once: store it now.'
[pscustomobject]@{ appId = $app.AppId; password = $secret.SecretText; tenant = $tenant } | ConvertTo-Json
