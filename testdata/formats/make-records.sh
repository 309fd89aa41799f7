#!/bin/sh
# Regenerates testdata/formats/records with make-records.go, built in a
# throwaway module so that its writers (Apache Arrow, goavro) stay out of
# trawl's go.mod. Run from the repository root.
set -e
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp testdata/formats/make-records.go "$tmp/main.go"
sed -i '/^\/\/go:build ignore/d' "$tmp/main.go"
cd "$tmp"
go mod init recgen >/dev/null 2>&1
go get github.com/apache/arrow-go/v18@v18.8.0 github.com/linkedin/goavro/v2@v2.15.0 github.com/klauspost/compress@latest >/dev/null 2>&1
go mod tidy >/dev/null 2>&1
go run . "$root/testdata/formats/records"
