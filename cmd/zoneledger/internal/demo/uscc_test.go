package demo

import "testing"

func TestUSCC(t *testing.T) {
	// Published codes of real companies check out.
	for _, code := range []string{"914403001922038216", "91110000802100433B"} {
		if !validUSCC(code) {
			t.Errorf("%s: rejected", code)
		}
	}
	// One changed character is caught.
	if validUSCC("914403001922038217") || validUSCC("914403001922038816") {
		t.Error("a corrupted code passed")
	}
	z := newZone()
	for _, e := range []*enterprise{z.Qiongxin, z.Huandao, z.Haiyan} {
		if !validUSCC(e.USCC) {
			t.Errorf("%s: %s is not a valid code", e.Name, e.USCC)
		}
	}
}

// validUSCC reports whether code is an 18-character unified social credit
// code whose check characters are right.
func validUSCC(code string) bool {
	if len(code) != 18 {
		return false
	}
	c, err := usccCheck(code[:17])
	if err != nil || c != code[17] {
		return false
	}
	oc, err := orgCheck(code[8:16])
	return err == nil && oc == code[16]
}
