#!/usr/bin/env bash
# Builds a minimal, distroless ASP.NET Core runtime base image as an OCI image layout, without a container engine or
# registry: the shared libraries .NET needs from Debian packages (the same set as Microsoft's chiseled images: libc6,
# libgcc-s1, libstdc++6, libssl3, zlib1g, ca-certificates, tzdata), the ASP.NET Core runtime installed next to the
# dotnet on PATH, and a non-root "app" user (1654, as in Microsoft's images). No shell, no package manager.
#
#   deploy/images/build-base-image.sh ROOT     writes ROOT/dotnet/aspnet (tags <runtime version> and <major.minor>)
#
# deploy/images/Registry serves ROOT to `dotnet publish -t:PublishContainer` (see publish-images.sh).
set -euo pipefail

root=${1:?usage: build-base-image.sh OUTPUT_ROOT}
packages=(libc6 libgcc-s1 libstdc++6 libssl3 zlib1g ca-certificates tzdata)
app_uid=1654
epoch=${SOURCE_DATE_EPOCH:-0}

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" { version = $2 } END { print version }')
[[ -n $runtime && -d $dotnet_root/shared/Microsoft.NETCore.App/$runtime ]] \
  || { echo "No matching Microsoft.AspNetCore.App and Microsoft.NETCore.App runtimes under $dotnet_root" >&2; exit 1; }
fxr=$(ls "$dotnet_root/host/fxr" | sort -V | tail -1)
case $(dpkg --print-architecture) in
  amd64) arch=amd64 ;;
  arm64) arch=arm64 ;;
  *) echo "Unsupported architecture $(dpkg --print-architecture)" >&2; exit 1 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
mkdir -p "$work/debs" "$rootfs"

echo "Base image: ASP.NET Core $runtime on Debian $(cut -d. -f1 /etc/debian_version) packages (${packages[*]})"
download() {
  (cd "$work/debs" && apt-get download -qq "${packages[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
  [[ $(find "$work/debs" -name '*.deb' | wc -l) -eq ${#packages[@]} ]]
}
# A fresh machine (a CI runner) may have no package lists yet.
download || { [[ $(id -u) -eq 0 ]] && apt-get update -qq && download; } \
  || { echo "apt-get download did not fetch every package (${packages[*]}); run apt-get update" >&2; exit 1; }
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$rootfs"
done

# Distroless: keep the libraries, certificates, time zones and licences; drop tools, docs and iconv modules.
find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
rm -rf "$rootfs"/usr/share/{man,lintian,gdb,gcc} "$rootfs/usr/sbin" "$rootfs/etc/ca-certificates" \
  "$rootfs/usr/lib/$(uname -m)-linux-gnu/gconv"
# What update-ca-certificates would write (every certificate of the package enabled).
mkdir -p "$rootfs/etc/ssl/certs"
find "$rootfs/usr/share/ca-certificates" -name '*.crt' | sort | xargs cat > "$rootfs/etc/ssl/certs/ca-certificates.crt"

mkdir -p "$rootfs/usr/share/dotnet/host/fxr" "$rootfs/usr/share/dotnet/shared" "$rootfs/usr/bin" "$rootfs/tmp" "$rootfs/home/app"
cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$rootfs/usr/share/dotnet/"
cp -a "$dotnet_root/host/fxr/$fxr" "$rootfs/usr/share/dotnet/host/fxr/"
for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
  mkdir -p "$rootfs/usr/share/dotnet/shared/$framework"
  cp -a "$dotnet_root/shared/$framework/$runtime" "$rootfs/usr/share/dotnet/shared/$framework/"
done
ln -s ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:%s:%s:app:/home/app:/sbin/nologin\n' $app_uid $app_uid > "$rootfs/etc/passwd"
printf 'root:x:0:\napp:x:%s:\n' $app_uid > "$rootfs/etc/group"
# Names from /etc/hosts first (the container runtime provides it), then DNS; glibc's default without this file is the reverse.
printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"

# The runtime must start inside the file system it ships in (checked when we may chroot).
if [[ $(id -u) -eq 0 ]]; then
  chroot --userspec=$app_uid:$app_uid "$rootfs" /usr/bin/dotnet --list-runtimes | grep -q "Microsoft.AspNetCore.App $runtime" \
    || { echo "dotnet does not run inside the base image's file system" >&2; exit 1; }
fi

# One reproducible layer: sorted, fixed times, numeric owners (root, except the app user's home).
find "$rootfs" -exec touch -h -d "@$epoch" {} +
tar_options=(--sort=name --numeric-owner --mtime="@$epoch" --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
tar -C "$rootfs" "${tar_options[@]}" --owner=0 --group=0 --exclude=./home/app -cf "$work/layer.tar" .
tar -C "$rootfs" "${tar_options[@]}" --owner=$app_uid --group=$app_uid --no-recursion -rf "$work/layer.tar" ./home/app
diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
gzip -n -9 "$work/layer.tar"

layout=$root/dotnet/aspnet
rm -rf "$layout"
mkdir -p "$layout/blobs/sha256"
blob() { # file -> "digest size", stored under blobs/
  local digest size
  digest=$(sha256sum "$1" | cut -d' ' -f1)
  size=$(stat -c %s "$1")
  mv "$1" "$layout/blobs/sha256/$digest"
  echo "sha256:$digest $size"
}
read -r layer_digest layer_size < <(blob "$work/layer.tar.gz")

created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
cat > "$work/config.json" <<JSON
{"created":"$created","architecture":"$arch","os":"linux","config":{"User":"$app_uid","WorkingDir":"/","Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","APP_UID=$app_uid","ASPNETCORE_HTTP_PORTS=8080","DOTNET_RUNNING_IN_CONTAINER=true","DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true","DOTNET_VERSION=$runtime","ASPNET_VERSION=$runtime"]},"rootfs":{"type":"layers","diff_ids":["$diff_id"]},"history":[{"created":"$created","created_by":"deploy/images/build-base-image.sh: ASP.NET Core $runtime, Debian ${packages[*]}"}]}
JSON
read -r config_digest config_size < <(blob "$work/config.json")

cat > "$work/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$config_digest","size":$config_size},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"$layer_digest","size":$layer_size}]}
JSON
read -r manifest_digest manifest_size < <(blob "$work/manifest.json")

entry() { printf '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"architecture":"%s","os":"linux"},"annotations":{"org.opencontainers.image.ref.name":"%s"}}' \
  "$manifest_digest" "$manifest_size" "$arch" "$1"; }
printf '{"imageLayoutVersion":"1.0.0"}\n' > "$layout/oci-layout"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s,%s]}\n' \
  "$(entry "$runtime")" "$(entry "${runtime%.*}")" > "$layout/index.json"

echo "dotnet/aspnet:$runtime ($manifest_digest, layer $((layer_size / 1024 / 1024)) MiB compressed) in $layout"
