#!/bin/sh
# Stand-in for `openbct analyze INPUT -o FOLDER --json` in the queue tests: the queue, leases and
# recovery are under test here, not the analysis (that is `openbct analyze`'s own test suite). It
# behaves like the real command at its interface: progress lines on stdout, result.json in FOLDER,
# exit status 0. It takes STANDIN_SECONDS (default 3) and appends a line to FOLDER/../runs per run.
set -eu
[ "$1" = analyze ] || { echo "usage: analyze INPUT -o FOLDER --json" >&2; exit 2; }
input="$2"; out="$4"
seconds="${STANDIN_SECONDS:-3}"
echo run >> "$out/../runs"
i=0
while [ "$i" -lt "$seconds" ]; do
  echo "{\"progress\": \"step $i of $seconds\"}"
  sleep 1
  i=$((i + 1))
done
count=$(find "$input" -name '*.dcm' | wc -l)
printf '{"schemaVersion": "standin", "input": {"instances": %s}, "qc": ["stand-in analysis: no measurements"]}\n' "$count" > "$out/result.json.tmp"
mv "$out/result.json.tmp" "$out/result.json"
