package web

import (
	"fmt"

	"github.com/wanxia/wanxia/cadre"
)

// words is one language's message table: every word a page shows that is
// not the records' own (names, labels the domain gives in both languages),
// by key. The Chinese table (messagesZH) and the English one (messagesEN)
// have the same keys, which a test checks, so that a page never mixes the
// two.
type words map[string]string

// wordsFor is the table of lang.
func wordsFor(lang cadre.Lang) words {
	if lang == cadre.English {
		return messagesEN
	}
	return messagesZH
}

// t is the message key formatted with args; a key the table lacks shows
// as ⟦key⟧, which the tests look for on every page.
func (w words) t(key string, args ...any) string {
	msg, ok := w[key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}
