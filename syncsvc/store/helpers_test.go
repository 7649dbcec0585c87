package store_test

import (
	"context"

	"github.com/google/uuid"
)

var ctx = context.Background()

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
