#!/usr/bin/env bash
# Runs every test with the machine's clock moved to 31 December of the year that holds the date a year ahead
# (faketime, Debian package 'faketime'), at today's time of day: a test that will break on another day breaks today.
# The same time of day makes it 31 December or 1 January in Yerevan (UTC+4), depending on when it runs.
# FAKETIME_DAYS=N moves it N days instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v faketime > /dev/null; then
  echo "faketime is not installed (apt-get install faketime; .ci/run does it)." >&2
  exit 1
fi
if [ -z "${FAKETIME_DAYS:-}" ]; then
  year_ahead=$(date -u -d '+366 days' +%Y)
  FAKETIME_DAYS=$(( ($(date -u -d "${year_ahead}-12-31" +%s) - $(date -u -d "$(date -u +%F)" +%s)) / 86400 ))
fi
echo "Tests on a shifted date: $(faketime -f "+${FAKETIME_DAYS}d" date -u '+%A %d %B %Y %H:%M UTC') (+${FAKETIME_DAYS} days)"
faketime -f "+${FAKETIME_DAYS}d" npx mocha 'test/**/*.test.ts'
