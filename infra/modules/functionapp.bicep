// The program as an Azure Functions custom handler on the Flex Consumption plan (Linux). Every connection is
// identity-based through the user-assigned identity; the webhook and alert receiver secrets are Key Vault references.
param name string
param location string
param tags object
param identityId string
param identityClientId string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param packageContainerUrl string
param serviceBusNamespace string
param billingEventsQueueName string
param keyVaultUri string
param hasNextWebhookSecret bool
@description('URLs of the receivers of fired alerts, in order; their secrets are alert-webhook-secret-N in Key Vault.')
param alertWebhookUrls array
param applicationInsightsConnectionString string
param maximumInstanceCount int
param instanceMemoryMB int
param closeSchedule string
param reportingTimeZone string
param closeShards int
param fiscalYearStartMonth int
param reportingCurrency string
@description('Entra ID application (client) id for App Service Authentication in front of the report page; empty: none.')
param easyAuthClientId string
@description('Entra ID tenant of that application.')
param easyAuthTenantId string

var easyAuth = !empty(easyAuthClientId)

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

// Every setting the program and the Functions host need (the tests read this object from the compiled template).
var settings = {
  Webhook__Secrets__0: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/webhook-secret-0)'

  // The Functions host: leases, timers and queue triggers (CloseShard, RenderReport, DeliverAlert) through the identity.
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
  AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
  AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
  // IngestBillingEvent: connection ServiceBusConnection, queue %BillingEventsServiceBusQueue%.
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  BillingEventsServiceBusQueue: billingEventsQueueName
  // MonthEndClose: %CloseSchedule% (6-field NCRONTAB, UTC).
  CloseSchedule: closeSchedule
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // The program (DefaultAzureCredential picks the user-assigned identity by AZURE_CLIENT_ID).
  AZURE_CLIENT_ID: identityClientId
  Storage__TableServiceUri: storageTableEndpoint
  Storage__BlobServiceUri: storageBlobEndpoint
  Storage__QueueServiceUri: storageQueueEndpoint
  ReadApi__TrustFunctionsHost: 'true'
  Close__ReportingTimeZone: reportingTimeZone
  Close__Shards: string(closeShards)
  Close__FiscalYearStartMonth: string(fiscalYearStartMonth)
  Close__ReportingCurrency: reportingCurrency
  Reports__LinkMinutes: '15'
}

// During a rotation only: a reference to a secret that does not exist would stay a literal string.
var rotationSettings = hasNextWebhookSecret ? { Webhook__Secrets__1: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/webhook-secret-1)' } : {}

// Only with App Service Authentication in front: then the platform alone sets X-MS-CLIENT-PRINCIPAL-ID, and the
// report page (anonymous functions) accepts the principal it signed in. Without it the page refuses.
var easyAuthSettings = easyAuth ? { Reports__TrustEasyAuth: 'true' } : {}

// Each alert receiver's URL, and its secret as a Key Vault reference (DeliverAlert signs with it; never in plain text).
var alertSettings = reduce(range(0, length(alertWebhookUrls)), {}, (all, i) => union(all, {
  'Alerts__Webhooks__${i}__Url': alertWebhookUrls[i]
  'Alerts__Webhooks__${i}__Secret': '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/alert-webhook-secret-${i})'
}))

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: packageContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'custom', version: '1.0' }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union(settings, rotationSettings, easyAuthSettings, alertSettings)
}

// App Service Authentication (Easy Auth) with Entra ID. It lets every request through (AllowAnonymous) and signs
// in only those sent to /.auth/login/aad: the report page sends people there when they have no principal. The
// webhook, the Service Bus/queue/timer invocations and the key-checked API are untouched; the program decides.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = if (easyAuth) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: { convention: 'NoProxy' }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: easyAuthClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${easyAuthTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [ easyAuthClientId, 'api://${easyAuthClientId}' ]
        }
      }
    }
    login: {
      tokenStore: { enabled: false }
      preserveUrlFragmentsForLogins: false
    }
  }
}

// No basic (publishing-profile) authentication: deployments use Entra ID.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
