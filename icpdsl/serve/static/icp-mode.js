// Syntax highlighting for .icp files in CodeMirror 5 (a simple mode; the grammar's
// reference is icpdsl/grammar.lark). Keywords are only keywords as whole words.
"use strict";
CodeMirror.defineSimpleMode("icp", {
  start: [
    { regex: /#.*/, token: "comment" },
    { regex: /"(?:[^"\\\n]|\\.)*"?/, token: "string" },
    { regex: /'(?:[^'\\\n]|\\.)*'?/, token: "string" },
    { regex: /`[^`\n]*`?/, token: "variable-2" },
    { regex: /(as)(\s+)(of)(?=\s+\d{4}-\d{2}-\d{2}(?![A-Za-z0-9_]))/, token: ["keyword", null, "keyword"] },
    { regex: /\d{4}-\d{2}-\d{2}(?![A-Za-z0-9_])/, token: "number" },
    { regex: /[+-]\d+(?:\.\d+)?(?=\s+if\b)/, token: "number points" },
    { regex: /-?\$?\d[\d_]*(?:\.\d+)?(?:bn|mn|[kKmMbB])?%?(?![A-Za-z0-9_])/, token: "number" },
    {
      regex: /(?:profile|extends|import|define|require|disqualify|if|tier|otherwise|examples|fields|from|because|score)\b/,
      token: "keyword",
    },
    { regex: /(?:in|not|has|any|all|none|is|missing|known|within|and|or)\b/, token: "operator" },
    { regex: /(?:fit|not_fit|disqualified|unknown|true|false|null)\b/, token: "atom" },
    { regex: /(?:years?|months?|weeks?|days?)\b/, token: "unit" },
    { regex: /\.\.|==|!=|<=|>=|<|>|=/, token: "operator" },
    { regex: /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/, token: "variable" },
    { regex: /[{[(]/, indent: true },
    { regex: /[}\])]/, dedent: true },
  ],
  meta: { lineComment: "#", electricChars: "}]" },
});
