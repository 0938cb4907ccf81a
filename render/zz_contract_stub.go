package render

import "errors"

// TEMPORARY CONTRACT STUB, placed by the lead so that packages depending on
// render compile while the renderers are being written. The render engineer:
// delete this whole file when you define Render and NextSteps.

// Render renders the files of the chosen targets plus the ingestion workflowConfig.
func Render(in Input, targets []Target) ([]File, error) {
	return nil, errors.New("render: renderers not written yet")
}

// NextSteps is the text that tells how to apply target t's files.
func NextSteps(in Input, t Target) string { return "" }
