// The webhook secrets billing systems sign with, and the secrets fired alerts are signed with for each receiver. RBAC authorization (no access policies), soft delete and
// purge protection; the app reads them through Key Vault references with its identity.
param name string
param location string
param tags object

@secure()
@description('The current webhook secret (at least 16 characters).')
param webhookSecret string

@secure()
@description('The next webhook secret during a rotation; empty otherwise.')
param nextWebhookSecret string

@secure()
@description('Receivers of fired alerts: base64 of [{"url","secret"}]; empty: none.')
param alertWebhooks string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource current 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'webhook-secret-0'
  properties: { value: webhookSecret, contentType: 'HMAC secret for the billing webhook' }
}

resource next 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(nextWebhookSecret)) {
  parent: vault
  name: 'webhook-secret-1'
  properties: { value: nextWebhookSecret, contentType: 'HMAC secret for the billing webhook (rotation)' }
}

// One secret per alert receiver, in the order of the receivers: Alerts__Webhooks__N__Secret refers to alert-webhook-secret-N.
resource alertSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for (receiver, i) in (empty(alertWebhooks) ? [] : json(base64ToString(alertWebhooks))): {
  parent: vault
  name: 'alert-webhook-secret-${i}'
  properties: { value: receiver.secret, contentType: 'HMAC secret of alert receiver ${i}' }
}]

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
output currentSecretName string = current.name
