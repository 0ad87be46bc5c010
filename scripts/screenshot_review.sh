#!/usr/bin/env bash
# Opens a review site (xnn visualize) in headless Chromium (Debian package), screenshots the
# overview, one concept page and one image page, and fails on a console error or a missing image.
#   bash scripts/screenshot_review.sh REVIEW_DIR [OUT_DIR]
set -euo pipefail
site=$(realpath "$1")
out=$(realpath -m "${2:-$site/screenshots}")
mkdir -p "$out"
if ! command -v chromium >/dev/null; then
    sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
concept=$(cd "$site" && ls concept-*.html | head -n 1)
image=$(cd "$site" && ls image-*.html | head -n 1)
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0)
status=0
for page in index.html "$concept" "$image"; do
    # Every <img src> must exist on disk: the site must open offline.
    while read -r src; do
        [[ -f "$site/$src" ]] || { echo "screenshot: $page: missing image $src" >&2; status=1; }
    done < <(grep -o '<img src="[^"]*"' "$site/$page" | sed 's/<img src="//; s/"$//')
    log=$(mktemp)
    chromium "${flags[@]}" --window-size=1200,$([[ $page == index.html ]] && echo 2300 || echo 1500) --screenshot="$out/${page%.html}.png" "file://$site/$page" 2>"$log" >/dev/null || true
    if grep -E "CONSOLE|Uncaught|Failed to load|net::ERR" "$log" | grep -vi "gpu\|dbus\|sandbox"; then
        echo "screenshot: console errors on $page" >&2; status=1
    fi
    [[ -s "$out/${page%.html}.png" ]] || { echo "screenshot: no screenshot of $page" >&2; status=1; }
    rm -f "$log"
done
((status == 0)) && echo "screenshot: $out/{index,${concept%.html},${image%.html}}.png, no console errors, every image present"
exit $status
