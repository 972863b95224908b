// Tokenize ICP files with the extension's TextMate grammar, as VS Code does (vscode-textmate
// on the Oniguruma regex engine), and print each file's tokens as JSON:
//   node test/tokenize.js FILE...  ->  {"FILE": [[line, text, [scopes]], ...], ...}
// Needs the dev dependencies: `npm install` in editors/vscode.
"use strict";

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
const onigLib = oniguruma.loadWASM(wasm).then(() => ({
  createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
  createOnigString: (text) => new oniguruma.OnigString(text),
}));
const grammarFile = path.join(__dirname, "..", "syntaxes", "icp.tmLanguage.json");
const registry = new vsctm.Registry({
  onigLib,
  loadGrammar: async () =>
    vsctm.parseRawGrammar(fs.readFileSync(grammarFile, "utf8"), grammarFile),
});

async function main() {
  const grammar = await registry.loadGrammar("source.icp");
  const out = {};
  for (const file of process.argv.slice(2)) {
    const tokens = [];
    let stack = vsctm.INITIAL;
    fs.readFileSync(file, "utf8").split("\n").forEach((line, number) => {
      const result = grammar.tokenizeLine(line, stack);
      for (const token of result.tokens) {
        tokens.push([number + 1, line.slice(token.startIndex, token.endIndex), token.scopes]);
      }
      stack = result.ruleStack;
    });
    out[file] = tokens;
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
