#!/usr/bin/env bash
# Size of everything the browser downloads before the tags show: the loader, the wasm-bindgen
# glue and the wasm, raw and gzipped (-9), from the release build in pkg/.
#   bench/size.sh           print the table
#   bench/size.sh --check   also fail when the gzipped total exceeds the budget (used by CI)
set -euo pipefail
cd "$(dirname "$0")/.."
# Budget for the gzipped total, in bytes (360 KiB): the tags, the card and the whole inline
# checkout. Shopify's buybutton.min.js is 59 KB gzipped, with no inline checkout.
BUDGET_GZIP=${BUDGET_GZIP:-368640}
[ -f pkg/widget_bg.wasm ] || bash scripts/build-widget.sh

total_raw=0 total_gz=0
printf '%-22s %10s %10s\n' file bytes gzip-9
for file in pkg/shoppable.js pkg/widget.js pkg/widget_bg.wasm; do
    raw=$(wc -c <"$file")
    gz=$(gzip -9 -c "$file" | wc -c)
    total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz))
    printf '%-22s %10d %10d\n' "$(basename "$file")" "$raw" "$gz"
done
printf '%-22s %10d %10d\n' total "$total_raw" "$total_gz"
if [ "${1:-}" = --check ]; then
    if [ "$total_gz" -gt "$BUDGET_GZIP" ]; then
        echo "size budget exceeded: $total_gz bytes gzipped > $BUDGET_GZIP" >&2
        exit 1
    fi
    echo "size budget: $total_gz of $BUDGET_GZIP bytes gzipped"
fi
