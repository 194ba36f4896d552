// BacklogFunctions on Azure: the custom-handler Function App (Flex Consumption), its storage account, the
// Service Bus queue billing systems send to, Key Vault for the webhook and alert receiver secrets, monitoring, and one
// user-assigned identity with least-privilege roles. No keys or secrets are in this template or its outputs.
targetScope = 'subscription'

@minLength(1)
@maxLength(20)
@description('Name of the azd environment; prefixes every resource name.')
param environmentName string

@minLength(1)
@description('Azure region of every resource (one that offers the Flex Consumption plan).')
param location string

@secure()
@minLength(16)
@description('The webhook secret billing systems sign with (azd env set WEBHOOK_SECRET ...).')
param webhookSecret string

@secure()
@description('During a rotation, the next webhook secret; empty otherwise.')
param nextWebhookSecret string = ''

@secure()
@description('Receivers of fired alerts: base64 of the JSON array [{"url":"https://…","secret":"16 or more characters"}] (azd env set ALERT_WEBHOOKS ...; base64 passes through the parameters file unchanged). Each secret is stored in Key Vault. Empty: alerts are stored with their close and sent nowhere.')
param alertWebhooks string = ''

@minValue(1)
@maxValue(3650)
@description('Days a published report is kept before it is deleted.')
param reportRetentionDays int = 730

@description('When the month-end close runs (6-field NCRONTAB, UTC): daily at 02:00.')
param closeSchedule string = '0 0 2 * * *'

@description('The time zone whose calendar decides when a month has ended (IANA id).')
param reportingTimeZone string = 'UTC'

@minValue(0)
@maxValue(16)
@description('Shards of a month-end close over the close-shards queue (0: close in one instance).')
param closeShards int = 4

@description('First month of the fiscal year (1-12): FY2027 with 7 is July 2026 to June 2027.')
@minValue(1)
@maxValue(12)
param fiscalYearStartMonth int = 1

@description('Currency the group figures are consolidated into (ISO 4217, e.g. USD); empty: no consolidation.')
@maxLength(3)
param reportingCurrency string = ''

@minValue(40)
@maxValue(1000)
@description('The most instances the Flex Consumption plan scales out to.')
param maximumInstanceCount int = 40

@allowed([ 2048, 4096 ])
@description('Memory of each instance (MB).')
param instanceMemoryMB int = 2048

@description('Deliveries of a billing event before it is dead-lettered.')
param maxDeliveryCount int = 10

@description('Object ids of the billing systems\' identities that may send billing events to Service Bus.')
param billingSenderPrincipalIds array = []

@description('Object ids of the operators (a group, or users) who read and resubmit dead letters with `backlog dead-letters`: Data Receiver and Data Sender on the billing-events queue.')
param operatorPrincipalIds array = []

@allowed([ 'Group', 'User' ])
@description('What the operator ids are.')
param operatorPrincipalType string = 'Group'

@description('Service Bus duplicate detection window of the billing-events queue (ISO 8601): a message id (the event\'s source/id) seen within it is dropped.')
param duplicateDetectionWindow string = 'P1D'

@description('Entra ID application (client) id for App Service Authentication in front of the report page; empty: no Easy Auth, and the page refuses in Azure.')
param easyAuthClientId string = ''

@description('Entra ID tenant of that application; empty: the subscription\'s tenant.')
param easyAuthTenantId string = ''

var tags = { 'azd-env-name': environmentName, application: 'backlogfunctions' }
// Only the receivers' URLs leave this file in the clear; their secrets go to Key Vault alone.
var alertWebhookUrls = empty(alertWebhooks) ? [] : map(json(base64ToString(alertWebhooks)), receiver => string(receiver.url))
var suffix = take(uniqueString(subscription().id, environmentName, location), 6)
var name = toLower('${environmentName}-${suffix}')

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: group
  name: 'identity'
  params: { name: 'id-${name}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: group
  name: 'monitoring'
  params: { name: name, location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  scope: group
  name: 'storage'
  params: {
    name: take(toLower('st${replace(environmentName, '-', '')}${suffix}'), 24)
    location: location
    tags: tags
    reportRetentionDays: reportRetentionDays
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  scope: group
  name: 'servicebus'
  params: {
    name: 'sb-${name}'
    location: location
    tags: tags
    queueName: 'billing-events'
    maxDeliveryCount: maxDeliveryCount
    duplicateDetectionWindow: duplicateDetectionWindow
    lockDuration: 'PT1M'
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: group
  name: 'keyvault'
  params: {
    name: take('kv-${replace(name, '-', '')}', 24)
    location: location
    tags: tags
    webhookSecret: webhookSecret
    nextWebhookSecret: nextWebhookSecret
    alertWebhooks: alertWebhooks
  }
}

module roles 'modules/roles.bicep' = {
  scope: group
  name: 'roles'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    billingEventsQueueName: serviceBus.outputs.queueName
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    billingSenderPrincipalIds: billingSenderPrincipalIds
    operatorPrincipalIds: operatorPrincipalIds
    operatorPrincipalType: operatorPrincipalType
  }
}

module app 'modules/functionapp.bicep' = {
  scope: group
  name: 'functionapp'
  dependsOn: [ roles ]
  params: {
    name: 'func-${name}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    packageContainerUrl: storage.outputs.packageContainerUrl
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    billingEventsQueueName: serviceBus.outputs.queueName
    keyVaultUri: keyVault.outputs.uri
    hasNextWebhookSecret: !empty(nextWebhookSecret)
    alertWebhookUrls: alertWebhookUrls
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    closeSchedule: closeSchedule
    reportingTimeZone: reportingTimeZone
    closeShards: closeShards
    fiscalYearStartMonth: fiscalYearStartMonth
    reportingCurrency: reportingCurrency
    easyAuthClientId: easyAuthClientId
    easyAuthTenantId: empty(easyAuthTenantId) ? tenant().tenantId : easyAuthTenantId
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.name
output SERVICE_API_URI string = app.outputs.url
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output BILLING_EVENTS_QUEUE string = serviceBus.outputs.queueName
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
