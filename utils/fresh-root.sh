#!/usr/bin/env bash
# Runs the README's two commands, `bash utils/demo.sh` and `bash utils/test.sh`,
# in a fresh Debian 12 root: nothing but the Essential packages and apt, so
# utils/setup.sh must install everything else. Fails if either command fails;
# prints what each phase cost. Run as root (mmdebstrap, mount, chroot).
#
#   bash utils/fresh-root.sh
#
# The root comes from `mmdebstrap --variant=apt bookworm` with this machine's
# apt sources and is kept as a tarball, reused while it is there:
# $DIVERT_FRESH_CACHE/bookworm.tar (default ${XDG_CACHE_HOME:-$HOME/.cache}/divert;
# delete it to make a new one). The commands run on a clone of this
# repository's HEAD (uncommitted changes are not in it). utils/test.sh runs
# this script when CI=true or DIVERT_FRESH_ROOT=1; inside the root
# DIVERT_FRESH_ROOT=0, so it does not run again there.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${DIVERT_FRESH_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/divert}
tarball="$cache/bookworm.tar"
host_packages=(mmdebstrap git mount)

[ "$(id -u)" -eq 0 ] || { echo "fresh-root.sh: run as root (mmdebstrap, mount, chroot)" >&2; exit 1; }

costs=()
start=$(date +%s)
phase_start=$start
phase_done() {
  local now
  now=$(date +%s)
  costs+=("$(printf '%-38s %5d s' "$1" $((now - phase_start)))")
  phase_start=$now
}

work=""
root=""
mounts=()
cleanup() {
  local rc=$? i
  set +e
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount -R "${mounts[i]}" 2>/dev/null || umount -R -l "${mounts[i]}"
  done
  if [ -n "$work" ]; then
    if findmnt -rn -o TARGET | grep -qF -- "$work"; then
      echo "fresh root: something is still mounted under $work: not removed" >&2
      rc=1
    else
      rm -rf --one-file-system "$work"
    fi
    phase_done "cleanup"
  fi
  if [ ${#costs[@]} -gt 0 ]; then
    echo "fresh root: what it cost"
    printf '  %s\n' "${costs[@]}"
    printf '  %-38s %5d s\n' "total" $(($(date +%s) - start))
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the host's tools -------------------------------------------------------------
missing=()
for p in "${host_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  phase_done "host packages (${missing[*]})"
fi

# --- the root, from the cache or from mmdebstrap ------------------------------------
# The machine's apt sources for bookworm, as one-line entries (sources.list and
# deb822 .sources files), and the apt options the machine needs to use them.
bookworm_sources() {
  local f line types uris suites comps signed enabled u s opt
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    grep -E '^[[:space:]]*deb[[:space:]]' "$f" | grep -E '[[:space:]]bookworm(-[a-z]+)?[[:space:]]' ||
      true
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    types="" uris="" suites="" comps="" signed="" enabled=yes
    while IFS= read -r line; do
      case "$line" in
        "#"*) continue ;;
        Types:*) types=${line#*:} ;;
        URIs:*) uris=${line#*:} ;;
        Suites:*) suites=${line#*:} ;;
        Components:*) comps=${line#*:} ;;
        Signed-By:*) signed=$(echo ${line#*:}) ;;
        Enabled:*) enabled=$(echo ${line#*:}) ;;
        "")
          if [[ " $types " == *" deb "* ]] && [ "$enabled" != no ]; then
            opt=""
            [[ "$signed" == /* ]] && opt="[signed-by=$signed] "
            for u in $uris; do
              for s in $suites; do
                [[ "$s" =~ ^bookworm(-[a-z]+)?$ ]] && echo "deb $opt$u $s$comps"
              done
            done
          fi
          types="" uris="" suites="" comps="" signed="" enabled=yes
          ;;
      esac
    done < <(cat "$f"; echo)
  done
}

if [ -f "$tarball" ]; then
  phase_done "root: cached $(basename "$tarball")"
else
  mapfile -t sources < <(bookworm_sources)
  [ ${#sources[@]} -gt 0 ] || sources=("http://deb.debian.org/debian")
  aptopts=()
  for key in Acquire::Check-Valid-Until Acquire::Check-Date Acquire::http::Proxy \
      Acquire::https::Proxy; do
    value=$(apt-config dump --no-empty --format '%v%n' "$key" | head -1)
    [ -z "$value" ] || aptopts+=("--aptopt=$key \"$value\"")
  done
  echo "fresh root: mmdebstrap --variant=apt bookworm, from:"
  printf '  %s\n' "${sources[@]}"
  mkdir -p "$cache"
  if ! mmdebstrap --quiet --variant=apt "${aptopts[@]}" bookworm "$tarball.partial.tar" \
      "${sources[@]}"; then
    rm -f "$tarball.partial.tar"
    echo "fresh root: mmdebstrap failed" >&2
    exit 1
  fi
  mv "$tarball.partial.tar" "$tarball"
  phase_done "root: mmdebstrap (cached now)"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/divert-fresh-root.XXXXXX")
# The root (about 3 GB once built in) lives in memory where it can: quicker to
# fill, and nothing to delete afterwards.
if mount -t tmpfs -o size=8g,mode=755 divert-fresh-root "$work" 2>/dev/null; then
  mounts+=("$work")
fi
root="$work/root"
mkdir "$root"
tar -C "$root" -xf "$tarball"
rm -f "$root/etc/resolv.conf"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# No service starts inside the root (a daemon there would keep it mounted), and
# dpkg does not sync each file it unpacks (the root is thrown away): settings,
# not packages.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/divert-fresh-root"
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
mount -t sysfs sysfs "$root/sys" && mounts+=("$root/sys")
mount --rbind /dev "$root/dev" && mounts+=("$root/dev")
mount --make-rslave "$root/dev"
head=$(git -C "$repo" rev-parse HEAD)
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "fresh root: testing HEAD $head; the uncommitted changes are not in it"
fi
git clone -q --no-checkout "$repo" "$root/root/divert"
git -C "$root/root/divert" checkout -q --detach "$head"
phase_done "unpack, mount, clone"

# --- the README's commands -----------------------------------------------------------
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb DIVERT_FRESH_ROOT=0 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c 'cd /root/divert && "$@"' bash "$@" 2>&1 | sed -u 's/^/  | /'
}
run_in_root() {
  echo "fresh root: $*"
  if ! in_root "$@"; then
    phase_done "$* (failed)"
    echo "fresh root: $* failed" >&2
    exit 1
  fi
  phase_done "$*"
}
demo_start=$(date +%s)
run_in_root bash utils/demo.sh
# Its apt-get part, from the root's apt log (which starts a run once the
# packages are downloaded; the root has no time zone: UTC).
log="$root/var/log/apt/history.log"
apt_start=$(grep '^Start-Date:' "$log" 2>/dev/null | tail -1 | cut -d' ' -f2- || true)
apt_end=$(grep '^End-Date:' "$log" 2>/dev/null | tail -1 | cut -d' ' -f2- || true)
if [ -n "$apt_start" ] && [ -n "$apt_end" ]; then
  apt_start=$(TZ=UTC date -d "$apt_start" +%s)
  apt_end=$(TZ=UTC date -d "$apt_end" +%s)
  costs+=("$(printf '  %-36s %5d s' "of which apt-get update, download" $((apt_start - demo_start)))")
  costs+=("$(printf '  %-36s %5d s' "of which dpkg (unpack, configure)" $((apt_end - apt_start)))")
  costs+=("$(printf '  %-36s %5d s' "of which configure, build, run" $((phase_start - apt_end)))")
fi
run_in_root bash utils/test.sh
echo "fresh root: both README commands passed (HEAD $head)"
