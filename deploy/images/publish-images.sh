#!/usr/bin/env bash
# Publishes the api, worker and aspire-dashboard container images as OCI archives with the .NET SDK's container
# support: no container engine, and no registry but our own. The base image is built from Debian packages and the
# installed ASP.NET Core runtime (build-base-image.sh, cached in artifacts/base-image) and served to the SDK by
# deploy/images/Registry on a free loopback port for the duration of the script.
#
#   deploy/images/publish-images.sh [--configuration Release] [--output artifacts/images] [--no-build]
#
# Load an archive with `docker load -i artifacts/images/api.tar` (or skopeo/crane/podman) and push it where your
# cluster pulls from. Where mcr.microsoft.com is reachable, `dotnet publish Api -t:PublishContainer` alone builds
# on Microsoft's noble-chiseled image instead (deploy/images/Containers.props).
set -euo pipefail
cd "$(dirname "$0")/../.."

configuration=Release
output=artifacts/images
publish_args=()
while (($#)); do
  case $1 in
    --configuration | -c) configuration=$2; shift 2 ;;
    --output | -o) output=$2; shift 2 ;;
    --no-build) publish_args+=(--no-build); shift ;;
    *) echo "Unknown argument: $1 (use --configuration, --output, --no-build)" >&2; exit 2 ;;
  esac
done
mkdir -p "$output"
output=$(cd "$output" && pwd)

runtime=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" { version = $2 } END { print version }')
base_root=artifacts/base-image
if ! grep -qs "\"org.opencontainers.image.ref.name\":\"$runtime\"" "$base_root/dotnet/aspnet/index.json"; then
  deploy/images/build-base-image.sh "$base_root"
fi

dotnet build deploy/images/Registry -c Release -v quiet -nologo -o artifacts/registry >/dev/null
registry_log=$(mktemp)
dotnet artifacts/registry/Registry.dll --root "$base_root" >"$registry_log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null; wait $registry_pid 2>/dev/null; rm -f "$registry_log"' EXIT
for _ in $(seq 300); do
  registry=$(sed -n 's|^listening on http://\([0-9.:]*\).*|\1|p' "$registry_log")
  [[ -n $registry ]] && break
  kill -0 $registry_pid 2>/dev/null || { cat "$registry_log" >&2; exit 1; }
  sleep 0.2
done
[[ -n $registry ]] || { echo "The registry did not start:" >&2; cat "$registry_log" >&2; exit 1; }
echo "Base image dotnet/aspnet:$runtime served at $registry"

# Plain HTTP is fine on loopback; the SDK needs to be told so.
export DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry
for project in Api Worker Dashboard; do
  dotnet publish "$project" -c "$configuration" "${publish_args[@]}" -nologo -v quiet \
    -t:PublishContainer \
    -p:ContainerBaseImage="$registry/dotnet/aspnet:$runtime" \
    -p:ContainerArchiveDirectory="$output/"
done
ls -l "$output"
