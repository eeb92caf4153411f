#!/usr/bin/env bash
# A newcomer's first command: install dependencies, build openbct (release), and run the most
# complete job available on the bundled example (generated, not stored: see scripts/example.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product openbct
scripts/example.sh "$(swift build -c release --show-bin-path)/openbct" example
