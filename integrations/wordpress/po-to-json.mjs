// `node po-to-json.mjs <file.po> <script>`: the translations of <script>'s texts (entries whose
// "#:" references name it) as the Jed JSON WordPress's wp.i18n reads.
import { readFileSync } from "node:fs";

const [file, script] = process.argv.slice(2);
const unquote = (line) => JSON.parse(line.slice(line.indexOf('"')));
const messages = {};
let header = "";
for (const block of readFileSync(file, "utf8").split(/\n\n+/)) {
  const lines = block.split("\n");
  const fields = {};
  let current = null;
  for (const line of lines) {
    const field = line.match(/^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "/);
    if (field) fields[(current = field[1])] = unquote(line);
    else if (line.startsWith('"') && current) fields[current] += unquote(line);
  }
  if (fields.msgid === "") header = fields.msgstr;
  const references = lines.filter((line) => line.startsWith("#:")).join(" ");
  if (!fields.msgid || !references.includes(script) || lines.some((line) => /^#,.*fuzzy/.test(line))) continue;
  const translations = "msgid_plural" in fields
    ? Object.keys(fields).filter((key) => key.startsWith("msgstr[")).sort().map((key) => fields[key])
    : [fields.msgstr];
  if (translations.every(Boolean)) messages[fields.msgid] = translations;
}
const headerField = (name) => header.match(new RegExp(`^${name}: (.*)$`, "m"))?.[1] ?? "";
const json = {
  domain: "messages",
  locale_data: {
    messages: { "": { domain: "messages", lang: headerField("Language"), "plural-forms": headerField("Plural-Forms") }, ...messages },
  },
};
process.stdout.write(`${JSON.stringify(json)}\n`);
