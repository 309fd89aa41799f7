// Package identifiers says what sensitive data is: the managed catalogue,
// custom identifiers, keywords, validators and allow lists, and the Engine
// that runs them all over a segment in one pass. It knows nothing of files
// or findings.
//
// # What an identifier is
//
// An Identifier is data (identifier.go): a pattern with RE2 semantics or a
// hand-written finder, its keywords and their rule (required, optional,
// must be absent), the distance they may be at, ignore words, a validator
// that checks what the pattern matched (check digits, decodings) and a
// severity. The managed catalogue is a table, one file per family
// (catalogue_*.go), with the validators in validators*.go, the text of the
// checks in checks.go and the examples in examples.go, all joined by the
// identifier's ID; the cases_*_test.go files hold at least three values
// each ID must match and three it must not. Custom identifiers
// (custom.go) are the same type, read from Macie's JSON or YAML.
//
// # What the Engine finds
//
// Exactly what the naive definition finds: each pattern over each part of
// a segment (a CSV cell, a JSON value, or the whole text), then the
// validator, the ignore words, the keyword rule and the allow list. The
// differential and fuzz tests (reference_test.go, fuzz_test.go) hold it
// to that; any change to the Engine must keep them green, with and
// without GOEXPERIMENT=simd.
//
// # How it finds it: the pipeline
//
// NewEngine (engine.go) analyses each pattern's syntax tree (shape.go):
// the bytes a match can consume (its class), the fewest digits and bytes
// it needs, the literals every match contains. A match lies inside one
// maximal run of class bytes, so running the pattern on such a run, with
// a byte of context each side, finds what a run over the whole text finds
// there. Each rule is then served by one trigger, the cheapest that can
// point at its runs (trigger.go); Engine.Trigger says which, and why:
//
//   - anchor: a literal every match contains, or one of a few, in one
//     case or in any (the words of (?i)(confidential|internal only)),
//     found by its rarest byte, all anchors in one SIMD pass;
//   - digits: the runs around digits, found eight or 32 bytes at a time,
//     shared by the rules of one class (a digit group);
//   - long run: a token of 8 or more bytes without spaces, probed every
//     minLen-th byte;
//   - keyword: the text around the rule's keywords; for a rule with
//     digits whose class takes in words and spaces (a date with the
//     month's name), the keywords are found by their rarest letter pair
//     in the anchor pass (rarePair), not by searching every keyword
//     block;
//   - class: every run of the class, or, when every match needs a rare
//     byte (the @ of an e-mail address), the runs around that byte;
//   - whole: a pattern with ^ or $ of the whole text runs on each part;
//   - finder: NAME and ADDRESS are found by code (find_name*.go,
//     find_address*.go), not patterns.
//
// A candidate run passes cheap filters (length, digit count and stretch,
// required literals and bytes) before any regexp runs. Keywords are found
// lazily (keywordsearch.go): only around candidates that need them, by
// 256-byte blocks searched once per segment. With many keyword-bound
// rules (Macie's whole catalogue) three more stages narrow the digit runs
// before any group walks them: live.go works out which rules a keyword
// can reach at all, viable.go which rules a run's shape can match, and
// plainkw.go scans for the few keywords of the rules whose patterns fit
// any ordinary number (a card security code). A pattern then runs once
// per window shape (memo.go; widen.go first tries it with every digit
// alike), so a table's thousands of numbers cost one call per shape.
//
// Two regex engines run the patterns, with the same results: Go's regexp
// on the short windows the triggers find, and RE2 (go-re2, re2.go) on
// windows of 2 KiB or more, where its DFA is 10-30 times faster
// (docs/regex-engines.md).
//
// # Words with more than one meaning here
//
//   - "plain number": an ordinary number of prose ("In 2017", "page 7")
//     that a plain-number rule's pattern fits (plainkw.go);
//     Engine.plain and scanState.plain are that rule set's keyword scan.
//   - "plain text": a segment without parts (no cells or records).
//   - "run": a maximal stretch of a class's bytes; "window": a run with
//     its byte of context each side, what a pattern runs on; "shape": a
//     window with each byte replaced by the least byte the pattern treats
//     alike (memo.go, viable.go).
//   - "part": an independent piece of a segment (formats.Part), over
//     which no match, keyword or run extends.
//
// # Per-scan state
//
// An Engine is read-only after NewEngine and shared by all workers. What
// one Scan needs (the keyword blocks searched, the anchors found, the
// memos, the matches) is a scanState from a pool: begin readies it for a
// segment and release clears it for the next.
package identifiers
