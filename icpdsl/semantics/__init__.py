"""The meaning of the language, defined once for every engine.

- `cells`: how a cell becomes a value (numbers, money, percents, dates, booleans, text
  keys, list items) and the syntax constants column engines take from it;
- `missing`: what counts as missing data (`MISSING`, `Invalid`, `is_missing`);
- `bands`: size and revenue bands (`250 to 499`) compared as a whole;
- `compare`: how a value compares with a literal (text, numbers, dates, ages);
- `logic`: three-valued (Kleene) and/or/not;
- `verdict`: how rule outcomes combine into verdict, score, tier and reasons;
- `shown`: how a value is shown in explanations.

The reference evaluator and the generated Python call these functions; the SQL and
Polars generators take their constants.  docs/architecture.md shows where each step of
scoring lives.
"""
