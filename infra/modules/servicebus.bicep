// Billing events arrive on a Service Bus queue. Local (SAS key) auth is off: senders and the app use Entra ID.
param name string
param location string
param tags object
param queueName string

@description('Deliveries before a message is dead-lettered (the Functions host abandons a failed invocation).')
param maxDeliveryCount int

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
    enablePartitioning: false
  }
}

output namespaceName string = namespace.name
output queueName string = queue.name
// serviceBusEndpoint is https://{name}.servicebus.windows.net:443/ in every cloud's own domain.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
output queueId string = queue.id
