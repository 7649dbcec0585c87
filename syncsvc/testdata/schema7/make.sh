#!/usr/bin/env bash
# Makes hub.db.gz and office.db.gz beside this script: a hub's and an office's
# replicas written by wanxia as it was at commit aa96976 (schema 7, the last
# before migration 0008), for the tests that a newer wanxia opens and
# upgrades what an older one wrote. The office has two cadres (李秀英 synced,
# 张志强 not yet: one change waits in its outbox); the hub has
# the office sy and what it pushed. Needs the repository's history and Go;
# the files are checked in, so this runs only to make them again (it needs
# the sqlite3 shell too).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
commit=aa96976ff67b764cf555da35463a14af74d782a2
tmp=$(mktemp -d)
cleanup() {
  [ -n "${hub_pid:-}" ] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null
  git -C "$repo" worktree remove --force "$tmp/src" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

git -C "$repo" worktree add --quiet --detach "$tmp/src" "$commit"
(cd "$tmp/src" && CGO_ENABLED=1 go build -o "$tmp/wanxia" ./cmd/wanxia)
cd "$tmp"
wx() { "$tmp/wanxia" "$@"; }

token=$(wx hub office add --db hub.db --id sy --name 舜园社区 --communities sy --json | sed -n 's/.*"token": "\(.*\)".*/\1/p')
port=$(( 20000 + RANDOM % 20000 ))
"$tmp/wanxia" hub serve --db hub.db --addr "127.0.0.1:$port" >hub.log 2>&1 &
hub_pid=$!
for _ in $(seq 50); do grep -q "hub serving" hub.log && break; sleep 0.1; done

wx office init --db office.db --hub "http://127.0.0.1:$port" --office sy --token "$token" >/dev/null
wx office cadre add --db office.db --name 李秀英 --id-number 11010519491231002X --category 退休 \
  --retired-on 2009-12-31 --rank 科级 --party 正式党员 --health 良好 --living 独居 --community sy >/dev/null
wx office sync --db office.db >/dev/null
wx office cadre add --db office.db --name 张志强 --id-number 370103192805120032 --category 离休 \
  --retired-on 1990-05-01 --rank 副县处级及以上 --party 正式党员 --health 重病 --living 与配偶同住 --community sy >/dev/null

kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true; hub_pid=
# Fold each WAL into its file (the old program leaves the hub's beside it),
# so that one file is the whole database; the schema is the old program's.
for db in hub.db office.db; do
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;" >/dev/null
  [ ! -s "$db-wal" ] || { echo "make.sh: $db still has a WAL" >&2; exit 1; }
  gzip -9 -n -c "$db" >"$here/$db.gz"
done
echo "wrote $here/hub.db.gz and $here/office.db.gz (schema 7, wanxia $commit)"
