package guide

import "testing"

// TestStepOrder: every step belongs to a section, in order; only Auth0
// calls write; every call step has a call and a label.
func TestStepOrder(t *testing.T) {
	prev := SectionConnect
	for s := ID(0); s < NumSteps; s++ {
		if s.Section() < prev {
			t.Fatalf("step %d goes back to section %d", s, s.Section())
		}
		prev = s.Section()
		if s.Writes() && s.Kind() != KindWork {
			t.Fatalf("step %d writes but is not an Auth0 call", s)
		}
		switch s.Kind() {
		case KindWork, KindLoad, KindFiles:
			if table[s].Call == nil || table[s].Label == nil {
				t.Fatalf("step %d has no call or no label", s)
			}
		}
	}
	for _, tt := range []struct {
		step ID
		sec  Section
	}{{StepConnected, SectionConnect}, {StepPlanUI, SectionServer}, {StepConfirm, SectionService}, {StepVerified, SectionVerify}, {StepDone, SectionDone}} {
		if tt.step.Section() != tt.sec {
			t.Errorf("step %d is in section %d, want %d", tt.step, tt.step.Section(), tt.sec)
		}
	}
	if !(StepPlanUI < StepPlanSA && StepPlanSA < StepConfirm && StepConfirm < StepApplyUI && StepApplyUI < StepApplySA && StepApplySA < StepVerify) {
		t.Fatal("every change must be planned and confirmed before the first write, and verified after the last")
	}
}
