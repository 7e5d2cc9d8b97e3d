#!/usr/bin/env bash
# Download sizes of the widget, raw and gzipped (-9), from the release build in pkg/:
#   before the tags show: the loader, the module's glue and the tags' wasm;
#   every page view with backend posts: that, plus the posts' schema.org data, which comes
#   after the tags from its chunk alone (pkg/chunks.json);
#   the whole purchase: that, plus the product card, the checkout and the chunks they need
#   (pkg/chunks.json, written by the build; an order's page after the sale is not part of it),
#   and the words of one language (pkg/words.<lang>.<hash>.json: a page fetches only its
#   language's; the largest of them is counted, so that the budget holds in every language).
# (bench/wire.mjs measures the same in Chromium, as bytes on the wire.)
#   bench/size.sh           print the tables
#   bench/size.sh --check   also fail when a group exceeds its gzipped budget (used by CI)
set -euo pipefail
cd "$(dirname "$0")/.."
# Budgets in bytes, gzipped: the sizes of this build, so that nothing grows unnoticed. Issue
# 12's targets are 59,000 before the tags (Shopify's buy-button.js is 58,968) and 250,000
# for the whole purchase; docs/BENCHMARKS.md says where the bytes are.
BUDGET_TAGS=${BUDGET_TAGS:-127230}
BUDGET_PAGE_VIEW=${BUDGET_PAGE_VIEW:-129590}
BUDGET_PURCHASE=${BUDGET_PURCHASE:-368690}
shopt -s nullglob
[ -n "$(echo pkg/widget_bg.*.wasm)" ] || bash scripts/build-widget.sh

over=0
group() { # title, budget, files...
    local title=$1 budget=$2 raw gz br total_raw=0 total_gz=0 total_br=0
    shift 2
    printf '\n%s\n%-32s %10s %10s %10s\n' "$title" file bytes gzip-9 brotli
    for file in "$@"; do
        raw=$(wc -c <"$file")
        gz=$(gzip -9 -c "$file" | wc -c)
        br=$(wc -c <"$file.br")  # written by scripts/build-widget.sh
        total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
        printf '%-32s %10d %10d %10d\n' "$(basename "$file")" "$raw" "$gz" "$br"
    done
    printf '%-32s %10d %10d %10d\n' total "$total_raw" "$total_gz" "$total_br"
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
tags=(pkg/shoppable.js pkg/widget.*.js pkg/widget_bg.*.wasm)
group "before the tags show" "$BUDGET_TAGS" "${tags[@]}"
mapfile -t structured_data < <(node -e 'for (const f of require("./pkg/chunks.json").structured_data) console.log("pkg/" + f)')
group "every page view with backend posts (tags, schema.org data)" "$BUDGET_PAGE_VIEW" "${tags[@]}" "${structured_data[@]}"
mapfile -t purchase < <(node -e 'const c = require("./pkg/chunks.json"); for (const f of new Set([...c.card, ...c.checkout])) console.log("pkg/" + f)')
words=$(for file in pkg/words.*.json; do echo "$(gzip -9 -c "$file" | wc -c) $file"; done | sort -n | tail -1 | cut -d' ' -f2)
[ -n "$words" ] || { echo "pkg/ has no words files: rebuild with scripts/build-widget.sh" >&2; exit 1; }
purchase+=("$words")
group "the whole purchase (tags, card, checkout)" "$BUDGET_PURCHASE" "${tags[@]}" "${purchase[@]}"
exit "$over"
