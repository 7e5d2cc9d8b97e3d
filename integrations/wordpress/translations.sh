#!/usr/bin/env bash
# The plugin's translations, from its sources (GNU gettext):
#   languages/shoppable.pot                 every text of the PHP and of assets/editor.js
#   languages/shoppable-fr_FR.po            French, kept by hand (new texts merged in, empty)
#   languages/shoppable-fr_FR.mo            for PHP (load_plugin_textdomain)
#   languages/shoppable-fr_FR-<md5>.json    for the editor's script (wp_set_script_translations;
#                                           <md5> is that of "assets/editor.js", WordPress's name)
# `--check` rebuilds in a temporary copy and fails when the committed files differ.
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = --check ]; then
    copy=$(mktemp -d)
    trap 'rm -rf "$copy"' EXIT
    cp -a shoppable translations.sh po-to-json.mjs "$copy/"
    bash "$copy/translations.sh"
    diff -r shoppable/languages "$copy/shoppable/languages" || { echo "translations: run integrations/wordpress/translations.sh and commit" >&2; exit 1; }
    echo "translations: up to date"
    exit 0
fi
cd shoppable
keys=(-k__ -kesc_html__ -kesc_html_e -kesc_attr__ -k_e -k_n:1,2)
xgettext --from-code=UTF-8 -L PHP "${keys[@]}" --add-comments=translators: --add-location=file --omit-header -o /dev/stdout shoppable.php includes/*.php >languages/php.pot.tmp
xgettext --from-code=UTF-8 -L JavaScript "${keys[@]}" --add-comments=translators: --add-location=file --omit-header -o /dev/stdout assets/editor.js >languages/js.pot.tmp
msgcat --sort-by-file --add-location=file languages/php.pot.tmp languages/js.pot.tmp -o languages/shoppable.pot
rm languages/*.tmp
for po in languages/shoppable-*.po; do
    locale=${po#languages/shoppable-}
    locale=${locale%.po}
    msgmerge --quiet --add-location=file --update --backup=none --no-fuzzy-matching "$po" languages/shoppable.pot
    msgfmt --check -o "languages/shoppable-$locale.mo" "$po"
    rm -f languages/shoppable-"$locale"-*.json
    node ../po-to-json.mjs "$po" assets/editor.js >"languages/shoppable-$locale-$(printf %s assets/editor.js | md5sum | cut -d' ' -f1).json"
done
