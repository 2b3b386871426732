#!/usr/bin/env bash
# Installs the committed HEAD the way production does, in a fresh clone: `npm ci --omit=dev`, so a module that
# src/ needs at run time but package.json lists as a devDependency is missing here as it would be there. Then
# starts it the documented way (`npm start`, which builds dist/ first) on the bundled articles and expects
# `/rss.xml` to answer 200 with an RSS document, and runs the other production entry point, `npm run normalise`.
# Uncommitted changes are not part of the check.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
npm_pid=""
cleanup() {
  # npm does not pass signals on: stop the whole process group it started.
  if [ -n "$npm_pid" ]; then kill -- "-$npm_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "check-production-install: $1" >&2
  if [ -f "$work/server.log" ]; then tail -n 30 "$work/server.log" >&2; fi
  exit 1
}

git clone --quiet --no-checkout "$repo" "$work/app"
git -C "$work/app" checkout --quiet "$(git -C "$repo" rev-parse HEAD)"
cd "$work/app"
npm ci --omit=dev --no-audit --no-fund

port="$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
# set -m gives npm its own process group, so cleanup can reach the node server under it.
set -m
PORT="$port" DATABASE_URL="sqlite:$work/feed.db" ARTICLES_DIR=data/articles npm start >"$work/server.log" 2>&1 &
npm_pid=$!
set +m

# The start-up log line names the node process: the one that must get the stop signal.
server_pid=""
for _ in $(seq 1 300); do
  server_pid="$(sed -n 's/.*"pid":\([0-9]*\).*"msg":"feed publisher listening".*/\1/p' "$work/server.log")"
  [ -n "$server_pid" ] && break
  kill -0 "$npm_pid" 2>/dev/null || fail "npm start exited before the server listened"
  sleep 1
done
[ -n "$server_pid" ] || fail "the server did not log 'feed publisher listening' within 300 s"

for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && break
  sleep 1
done
status="$(curl -sS -o "$work/rss.xml" -w '%{http_code} %{content_type}' "http://127.0.0.1:$port/rss.xml")"
case "$status" in
  "200 application/rss+xml"*) ;;
  *) fail "GET /rss.xml answered '$status'" ;;
esac
grep -q '<rss ' "$work/rss.xml" && grep -q '<item>' "$work/rss.xml" || fail "/rss.xml is not an RSS document with items"

kill -TERM "$server_pid"
wait "$npm_pid" || fail "npm start exited with status $? after SIGTERM to the server"
npm_pid=""

DATABASE_URL="sqlite:$work/feed.db" npm run --silent normalise >"$work/summary.json" || fail "npm run normalise failed"
grep -q '"scanned"' "$work/summary.json" || fail "npm run normalise printed no pass summary"
echo "check-production-install: OK (npm ci --omit=dev; npm start served /rss.xml; npm run normalise ran a pass)"
