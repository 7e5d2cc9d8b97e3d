#!/usr/bin/env bash
# Lints the WordPress plugin: `php -l` on every PHP file of the plugin and of its test, the
# editor script's syntax, its translations (up to date with the sources), then
# the WordPress Coding Standards (phpcs.xml.dist) when PHP_CodeSniffer has them. WPCS is a
# Composer package that Debian does not ship: install it (e.g. `composer global require
# wp-coding-standards/wpcs`) or point WPCS_DIR at a copy of it; without it, say so.
set -euo pipefail
cd "$(dirname "$0")"
status=0
while IFS= read -r -d '' file; do
    php -l "$file" >/dev/null || status=1
done < <(find shoppable ../../tests/wordpress -name '*.php' -print0)
[ $status = 0 ] || { echo "lint: PHP syntax errors above" >&2; exit 1; }
node --check shoppable/assets/editor.js
bash translations.sh --check
phpcs=(phpcs)
[ -z "${WPCS_DIR:-}" ] || phpcs+=(--runtime-set installed_paths "$WPCS_DIR")
if command -v phpcs >/dev/null && "${phpcs[@]}" -i | grep -q WordPress; then
    "${phpcs[@]}" --standard=phpcs.xml.dist
    echo "lint: php -l and the WordPress Coding Standards pass"
else
    echo "lint: php -l passes; WordPress Coding Standards not installed (WPCS_DIR), phpcs skipped"
fi
