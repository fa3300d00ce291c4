#!/usr/bin/env bash
# Build the front-end assets into static/dist/ (git-ignored; run at setup and in CI).
#
#   static/src/app.scss  --sass-->  static/dist/app.css  (GOV.UK Frontend + app- components)
#   static/src/app.js    ------->   static/dist/app.js   (ES module: initialises GOV.UK Frontend)
#   govuk-frontend.min.js, GOV.UK images (not the fonts), plotly-basic.min.js  -> static/dist/
#
# Needs `npm install` (or `npm ci`) first. Idempotent: every run rewrites static/dist/ in full.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NM="$ROOT/node_modules"
GOVUK="$NM/govuk-frontend/dist/govuk"
PLOTLY="$NM/plotly.js-basic-dist-min/plotly-basic.min.js"
SRC="$ROOT/static/src"
DIST="$ROOT/static/dist"

for required in "$NM/.bin/sass" "$GOVUK/govuk-frontend.min.js" "$PLOTLY"; do
  if [ ! -e "$required" ]; then
    echo "build_static: $required is missing; run 'npm ci' (or 'npm install') first." >&2
    exit 1
  fi
done

# Build into a fresh temporary directory, then swap it in, so a failed build never leaves a
# half-written static/dist/ behind and files removed from the build do not linger.
TMP="$(mktemp -d "$ROOT/static/.dist-build.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

"$NM/.bin/sass" --load-path=node_modules --style=compressed --no-source-map \
  --quiet-deps "$SRC/app.scss" "$TMP/app.css"

# The GOV.UK bundle ends with a sourceMappingURL comment; the map is not shipped, and
# ManifestStaticFilesStorage would fail collectstatic on the missing file, so drop the comment.
sed -e 's|//# sourceMappingURL=[^ ]*$||' "$GOVUK/govuk-frontend.min.js" > "$TMP/govuk-frontend.min.js"
cp "$SRC/app.js" "$TMP/app.js"
cp "$SRC/indicator-chart.js" "$TMP/indicator-chart.js"
cp "$SRC/form-progress.js" "$TMP/form-progress.js"
cp "$PLOTLY" "$TMP/plotly-basic.min.js"

# Only the GOV.UK images the compiled CSS references (url("assets/images/...")), so every
# url() resolves (ManifestStaticFilesStorage fails collectstatic on a missing one). Not the
# fonts (GDS Transport is for GOV.UK only), nor the crown favicons/manifest: this is not a
# GOV.UK service, so it has its own favicon.
mkdir -p "$TMP/assets/images"
grep -o 'url("assets/images/[^"]*")' "$TMP/app.css" | sed -e 's|^url("assets/images/||' -e 's|")$||' \
  | sort -u | while read -r image; do
    cp "$GOVUK/assets/images/$image" "$TMP/assets/images/$image"
  done
cp "$SRC/favicon.svg" "$TMP/favicon.svg"

chmod -R a+rX "$TMP"
rm -rf "$DIST"
mv "$TMP" "$DIST"
trap - EXIT

echo "build_static: wrote $(find "$DIST" -type f | wc -l) files to static/dist/" \
  "(app.css $(wc -c < "$DIST/app.css") bytes)"
