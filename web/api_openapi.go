package web

import (
	_ "embed"
	"net/http"

	"github.com/tandemhq/tandem"
)

// openapiDoc describes /api/v1. TestOpenAPIMatchesRoutes keeps it and
// routes.go in step.
//
//go:embed openapi.json
var openapiDoc []byte

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openapiDoc)
}

var tandem404 = tandem.Errorf(tandem.ENOTFOUND, "No such API endpoint. See /api/v1/openapi.json.")
