// Billing events arrive on a Service Bus queue. Local (SAS key) auth is off: senders and the app use Entra ID.
param name string
param location string
param tags object
param queueName string

@description('Deliveries before a message is dead-lettered (the Functions host abandons a failed invocation).')
param maxDeliveryCount int

@description('How long Service Bus remembers a message id: a message sent again with the same id (the event\'s source/id) within this window is dropped. ISO 8601, 20 seconds to 7 days.')
param duplicateDetectionWindow string

@description('Peek-lock duration; the host renews it (host.json maxAutoLockRenewalDuration) while an invocation runs.')
param lockDuration string

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: queueName
  properties: {
    maxDeliveryCount: maxDeliveryCount
    lockDuration: lockDuration
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
    // Fixed when the queue is created: an existing queue must be recreated to turn it on.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    enablePartitioning: false
  }
}

output namespaceName string = namespace.name
output queueName string = queue.name
// serviceBusEndpoint is https://{name}.servicebus.windows.net:443/ in every cloud's own domain.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
output queueId string = queue.id
