#!/usr/bin/env bash
# generate.sh lints the protos under syncsvc/proto and regenerates the Go
# code in syncsvc/internal/gen with pinned versions of buf and its local plugins.
# It runs from any directory. The tools are installed once per set of
# versions into a cache directory (WANXIA_PROTO_TOOLS overrides it), so a
# second run only lints and generates.
set -euo pipefail

readonly BUF_VERSION=v1.75.0
readonly PROTOC_GEN_GO_VERSION=v1.36.12
readonly PROTOC_GEN_CONNECT_GO_VERSION=v1.21.1
# Generates MarshalVT/UnmarshalVT/SizeVT (transport's vtCodec uses them);
# keep it in step with github.com/planetscale/vtprotobuf in go.mod, whose
# runtime helpers the generated code imports.
readonly PROTOC_GEN_GO_VTPROTO_VERSION=v0.6.0

proto_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
gen_dir="$(cd "${proto_dir}/.." && pwd)/internal/gen"

cache_root="${WANXIA_PROTO_TOOLS:-${XDG_CACHE_HOME:-${HOME}/.cache}/wanxia/proto-tools}"
# Keyed by the versions, so changing a pin installs afresh instead of
# running a stale binary.
bin_dir="${cache_root}/buf-${BUF_VERSION}_go-${PROTOC_GEN_GO_VERSION}_connect-${PROTOC_GEN_CONNECT_GO_VERSION}_vtproto-${PROTOC_GEN_GO_VTPROTO_VERSION}"
mkdir -p "${bin_dir}"

install_tool() {
	local name="$1" pkg="$2"
	if [[ ! -x "${bin_dir}/${name}" ]]; then
		echo "generate.sh: installing ${pkg} into ${bin_dir}" >&2
		GOBIN="${bin_dir}" go install "${pkg}"
	fi
}

install_tool buf "github.com/bufbuild/buf/cmd/buf@${BUF_VERSION}"
install_tool protoc-gen-go "google.golang.org/protobuf/cmd/protoc-gen-go@${PROTOC_GEN_GO_VERSION}"
install_tool protoc-gen-connect-go "connectrpc.com/connect/cmd/protoc-gen-connect-go@${PROTOC_GEN_CONNECT_GO_VERSION}"
install_tool protoc-gen-go-vtproto "github.com/planetscale/vtprotobuf/cmd/protoc-gen-go-vtproto@${PROTOC_GEN_GO_VTPROTO_VERSION}"

# buf finds local plugins on PATH; ours must win over anything else there.
export PATH="${bin_dir}:${PATH}"

cd "${proto_dir}"
buf lint

# Remove what the previous run generated so a deleted or renamed proto
# leaves no orphan behind; nothing hand-written lives in gen.
if [[ -d "${gen_dir}" ]]; then
	find "${gen_dir}" -type f \( -name '*.pb.go' -o -name '*.connect.go' \) -delete
fi

buf generate
