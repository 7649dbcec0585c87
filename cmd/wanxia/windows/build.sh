#!/usr/bin/env bash
# Builds wanxia.exe and the office zip from Linux. wanxia.exe is built for
# windows/amd64 with cgo (SQLite, github.com/mattn/go-sqlite3) through
# Debian's mingw-w64 (apt-get install gcc-mingw-w64-x86-64); the zip holds it
# with the double-click start 启动晚霞.bat (start.bat here) and the Chinese
# guide 使用说明.txt (docs/windows-office.md).
#
#   cmd/wanxia/windows/build.sh [OUT_DIR]      # default: dist
#
# Prints the zip's path: OUT_DIR/wanxia-windows.zip (wanxia.exe stays beside
# it). Runs from any folder.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
out=${1:-dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cc=x86_64-w64-mingw32-gcc
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "build.sh: $cc not found: apt-get install gcc-mingw-w64-x86-64" >&2
  exit 1
fi
cd "$repo"
# -trimpath: no build machine's paths in the program; -s -w: no symbol
# tables, a third smaller.
CGO_ENABLED=1 CC="$cc" GOOS=windows GOARCH=amd64 \
  go build -trimpath -ldflags "-s -w" -o "$out/wanxia.exe" ./cmd/wanxia
go run ./cmd/wanxia/windows/pack.go -exe "$out/wanxia.exe" -bat cmd/wanxia/windows/start.bat \
  -guide docs/windows-office.md -out "$out/wanxia-windows.zip"
