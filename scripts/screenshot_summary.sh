#!/usr/bin/env bash
# Opens a sweep's summary.html in headless Chromium (Debian package), saves a screenshot, and
# fails if the page logged a console error or shows no chart.
#   bash scripts/screenshot_summary.sh runs/method-comparison/summary.html [out.png]
set -euo pipefail
page=$(realpath "$1")
out=${2:-${page%.html}.png}
if ! command -v chromium >/dev/null; then
    sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0)
log=$(mktemp)
chromium "${flags[@]}" --window-size=1300,1500 --screenshot="$out" "file://$page" 2>"$log" >/dev/null || true
dom=$(chromium "${flags[@]}" --dump-dom "file://$page" 2>>"$log")
if grep -E "CONSOLE|Uncaught|ERROR:.*(console|javascript)" "$log" | grep -vi "gpu\|dbus\|sandbox" ; then
    echo "screenshot: console errors in $page" >&2; exit 1
fi
charts=$(grep -o "<svg" <<<"$dom" | wc -l)
lines=$(grep -o "<polyline" <<<"$dom" | wc -l)
[[ -s "$out" ]] || { echo "screenshot: no image written" >&2; exit 1; }
(( charts >= 2 && lines >= 1 )) || { echo "screenshot: expected charts, found $charts svg and $lines lines" >&2; exit 1; }
echo "screenshot: $out ($charts charts, $lines plotted series, no console errors)"
