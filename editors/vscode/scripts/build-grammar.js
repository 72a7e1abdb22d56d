// Compiles the TextMate grammar from YAML (the source) to JSON (what VS Code reads).
const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");

const source = path.join(__dirname, "..", "syntaxes", "inkslop.tmLanguage.yaml");
const target = source.replace(/\.yaml$/, ".json");
const grammar = yaml.load(fs.readFileSync(source, "utf8"));
fs.writeFileSync(target, JSON.stringify(grammar, null, 2) + "\n");
