#!/usr/bin/env bash
# Debian packages yusuan needs outside Python: CJK fonts (PDF rendering and screenshots),
# Pango/HarfBuzz (WeasyPrint; HarfBuzz's subsetter for the PDF writer's font subset), Chromium (browser tests, print-to-PDF), poppler-utils
# (pdftoppm for page images), gcc (mypyc compiles the parser's hot modules; optional: the
# pure-Python parser is used without it). Installs only what is missing; needs root.
set -euo pipefail
PKGS=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 chromium poppler-utils gcc)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "Missing system packages (install them as root): ${missing[*]}" >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
