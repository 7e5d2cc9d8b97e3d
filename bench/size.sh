#!/usr/bin/env bash
# Download sizes of the widget, raw and gzipped (-9), from the release build in pkg/:
#   before the tags show: the loader, the tags module's glue and wasm;
#   on the first use of the bag: the checkout module's glue and wasm.
#   bench/size.sh           print the tables
#   bench/size.sh --check   also fail when a group exceeds its gzipped budget (used by CI)
set -euo pipefail
cd "$(dirname "$0")/.."
# Budgets in bytes, gzipped. For scale: Shopify's buybutton.min.js is 59 KB gzipped and has
# no inline checkout (it opens a Shopify page).
# Raised from 240 and 260 KiB (docs/BENCHMARKS.md says what the bytes bought); issue 12 is to
# cut the tags group to under 59,000 bytes.
BUDGET_TAGS=${BUDGET_TAGS:-251904}          # 246 KiB (+2 KiB for the insight events, src/insights.rs: +2.8 KB)
BUDGET_CHECKOUT=${BUDGET_CHECKOUT:-276480}  # 270 KiB
[ -f pkg/widget_bg.wasm ] && [ -f pkg/checkout_bg.wasm ] || bash scripts/build-widget.sh

over=0
group() { # title, budget, files...
    local title=$1 budget=$2 raw gz total_raw=0 total_gz=0
    shift 2
    printf '\n%s\n%-22s %10s %10s\n' "$title" file bytes gzip-9
    for file in "$@"; do
        raw=$(wc -c <"$file")
        gz=$(gzip -9 -c "$file" | wc -c)
        total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz))
        printf '%-22s %10d %10d\n' "$(basename "$file")" "$raw" "$gz"
    done
    printf '%-22s %10d %10d\n' total "$total_raw" "$total_gz"
    if [ "$check" = yes ]; then
        if [ "$total_gz" -gt "$budget" ]; then
            echo "size budget exceeded: $title: $total_gz bytes gzipped > $budget" >&2
            over=1
        else
            echo "size budget: $total_gz of $budget bytes gzipped"
        fi
    fi
}
check=no
[ "${1:-}" = --check ] && check=yes
group "before the tags show" "$BUDGET_TAGS" pkg/shoppable.js pkg/widget.js pkg/widget_bg.wasm
group "checkout, on the first use of the bag" "$BUDGET_CHECKOUT" pkg/checkout.js pkg/checkout_bg.wasm
exit "$over"
