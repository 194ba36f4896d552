#!/usr/bin/env bash
# Deploys the program to the Function App that infra/main.bicep provisioned: publishes the complete function
# app (scripts/publish.sh), zips it keeping the executable's run bit, and uploads it with the Azure CLI
# (Flex Consumption one-deploy). Run by `azd up` after provisioning; by hand:
#   AZURE_RESOURCE_GROUP=rg-… AZURE_FUNCTION_APP_NAME=func-… scripts/deploy.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${AZURE_RESOURCE_GROUP:?set by azd from the provisioning outputs}"
: "${AZURE_FUNCTION_APP_NAME:?set by azd from the provisioning outputs}"
for tool in az zip; do
  command -v "$tool" >/dev/null 2>&1 || { echo "deploying needs '$tool' (Azure CLI; Debian package zip)" >&2; exit 1; }
done

out="artifacts/functionapp"
scripts/publish.sh "$out"
package="$(mktemp -d)/backlogfunctions.zip"
(cd "$out" && zip -q -r -X "$package" .)
echo "deploying $(du -h "$package" | cut -f1) to $AZURE_FUNCTION_APP_NAME..." >&2
az functionapp deployment source config-zip --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" --src "$package" >/dev/null
echo "deployed: ${SERVICE_API_URI:-https://$AZURE_FUNCTION_APP_NAME.azurewebsites.net}/api/health" >&2
