package render

import "testing"

// BenchmarkRender renders every target's files (and the ingestion config)
// for each golden case: every version band and client type.
func BenchmarkRender(b *testing.B) {
	for _, tc := range goldenCases() {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				files, err := Render(tc.in, AllTargets)
				if err != nil {
					b.Fatal(err)
				}
				if len(files) < len(AllTargets)+1 {
					b.Fatalf("%d files for %d targets and the ingestion config", len(files), len(AllTargets))
				}
			}
		})
	}
}
