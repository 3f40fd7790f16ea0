package demo

import (
	"fmt"
	"strings"
)

// The unified social credit code (统一社会信用代码, GB 32100-2015) is 18
// characters: registration authority (1), entity type (1), administrative
// division (6), organisation code (9, GB 11714 with its own check character)
// and a check character over the first 17. The demo builds its enterprises'
// codes from a division and an organisation-code body and computes both check
// characters, so the codes are well-formed (the enterprises are fictional).

// usccCharset is the code's alphabet (no I, O, S, V, Z); a character's value
// is its index.
const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^i mod 31.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgWeights are the GB 11714 weights of the organisation code's body.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// orgCheck returns the GB 11714 check character of an 8-character
// organisation-code body (digits and capital letters, A = 10 ... Z = 35).
func orgCheck(body string) (byte, error) {
	if len(body) != 8 {
		return 0, fmt.Errorf("organisation code body %q: want 8 characters", body)
	}
	sum := 0
	for i := 0; i < 8; i++ {
		v := strings.IndexByte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", body[i])
		if v < 0 {
			return 0, fmt.Errorf("organisation code body %q: bad character %q", body, body[i])
		}
		sum += v * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X', nil
	case 11:
		return '0', nil
	default:
		return byte('0' + c), nil
	}
}

// usccCheck returns the check character of the first 17 characters of a
// unified social credit code.
func usccCheck(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("credit code %q: want 17 characters before the check character", first17)
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccCharset, first17[i])
		if v < 0 {
			return 0, fmt.Errorf("credit code %q: character %q is not in the code's alphabet", first17, first17[i])
		}
		sum += v * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccCharset[c], nil
}

// makeUSCC builds an enterprise's code: "91" (market regulator, enterprise),
// the division, the organisation code body with its check, and the overall
// check character.
func makeUSCC(division, orgBody string) string {
	oc, err := orgCheck(orgBody)
	if err != nil {
		panic(err)
	}
	first := "91" + division + orgBody + string(oc)
	c, err := usccCheck(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}
