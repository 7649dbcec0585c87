package syncsvc_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEngineImportsNoDomainNorWire: the sync engine knows records only
// through its RecordType API and the hub only through HubClient and
// HubStore; the domain packages and the wire are above it.
func TestEngineImportsNoDomainNorWire(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	banned := []string{
		"github.com/wanxia/wanxia/cadre", "github.com/wanxia/wanxia/branch",
		"github.com/wanxia/wanxia/care", "github.com/wanxia/wanxia/venue",
		"github.com/wanxia/wanxia/syncsvc/", "connectrpc.com/", "google.golang.org/protobuf",
	}
	allowed := map[string]bool{"github.com/wanxia/wanxia/syncsvc/atomicfile": true}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range file.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, b := range banned {
				if (path == strings.TrimSuffix(b, "/") || strings.HasPrefix(path, b)) && !allowed[path] {
					t.Errorf("%s imports %s: the engine must not", f, path)
				}
			}
		}
	}
}
