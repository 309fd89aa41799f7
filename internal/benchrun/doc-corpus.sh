#!/bin/sh
# Writes real English documentation as one file for the custom identifier
# benchmarks: the first 60 MB of /usr/share/doc's files, sorted by path,
# each uncompressed (.gz files are inflated). Usage: doc-corpus.sh OUT
set -eu
out=${1:?usage: doc-corpus.sh OUT}
find /usr/share/doc -type f | LC_ALL=C sort | while IFS= read -r f; do
  case $f in
    *.gz) gzip -dc -- "$f" 2>/dev/null || true ;;
    *) cat -- "$f" ;;
  esac
done | head -c 60000000 >"$out"
