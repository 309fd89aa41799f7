// Package view renders findings for people: the self-contained HTML
// report (one file, no network) and the pages of the local dashboard.
//
// Both are built from an Overview: counts aggregated by the store (or,
// for a findings file, counted here) and the first findings by severity,
// turned into Rows that hold only what a page shows. A Row is made from
// a finding's fields, which never hold a matched value, so nothing a page
// renders can leak one. Every page is rendered with html/template, which
// escapes object keys and identifier names in their context; the script
// that sorts and filters tables reads the rendered cells, never data
// spliced into JavaScript.
package view
