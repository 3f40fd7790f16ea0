package singlewindow

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/shopspring/decimal"
	"github.com/zoneledger/zoneledger/proto/zoneledger/textrule"
)

// FieldError says which element of a message breaks which rule. Path is the
// element path from the root, by the message's own element names, with the
// index of repeated elements: "CEB311Message/Order[1]/OrderList[0]/gnum".
type FieldError struct {
	Path    string
	Rule    string
	Message string
	// Err is one of the package's sentinel errors when the input was
	// refused before its fields were read (ErrTooLarge, ErrDoctype,
	// ErrTooDeep, ErrMalformed); nil for a broken field rule.
	Err error
}

// Error reports the path and the message.
func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// Unwrap returns the sentinel error, if any.
func (e *FieldError) Unwrap() error { return e.Err }

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// validatorInstance builds the shared validator once: field names are the
// xml element names, and the message-specific rules below are registered.
func validatorInstance() *validator.Validate {
	validateOnce.Do(func() {
		v := validator.New(validator.WithRequiredStructEnabled())
		v.RegisterTagNameFunc(tagName)
		for tag, fn := range rules {
			if err := v.RegisterValidation(tag, fn); err != nil {
				panic(err)
			}
		}
		validate = v
	})
	return validate
}

// rules are the field rules single-window messages use beyond validator's
// own (required, required_if, max, len, oneof, numeric, ...).
var rules = map[string]validator.Func{
	// amount=P_S: a decimal number of at most P digits, S of them after the
	// point, not negative (the messages' N(P,S)). Empty passes; use
	// required with it.
	"amount": func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		if s == "" {
			return true
		}
		p, sc, ok := precisionScale(fl.Param())
		if !ok {
			return false
		}
		return fitsAmount(s, p, sc)
	},
	// swtime: a time as the single window writes it, yyyyMMddHHmmss or
	// yyyyMMddHHmmssSSS.
	"swtime": func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		if s == "" {
			return true
		}
		_, err := ParseTime(s)
		return err == nil
	},
	// swdate: a date, yyyyMMdd.
	"swdate": func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		if s == "" {
			return true
		}
		_, err := time.Parse("20060102", s)
		return err == nil
	},
}

func precisionScale(param string) (int, int, bool) {
	ps, ss, ok := strings.Cut(param, "_")
	if !ok {
		return 0, 0, false
	}
	p, err1 := strconv.Atoi(ps)
	s, err2 := strconv.Atoi(ss)
	return p, s, err1 == nil && err2 == nil && p > 0 && s >= 0 && s <= p
}

// fitsAmount reports whether s is a plain non-negative decimal (digits, at
// most one point, no sign or exponent) within precision p and scale s.
func fitsAmount(s string, p, sc int) bool {
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" || strings.Trim(intPart, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return false
	}
	if strings.Contains(s, ".") && frac == "" {
		return false
	}
	intPart = strings.TrimLeft(intPart, "0")
	return len(frac) <= sc && len(intPart) <= p-sc
}

// ParseTime reads a single-window time, yyyyMMddHHmmss (or with
// milliseconds, yyyyMMddHHmmssSSS), in China Standard Time.
func ParseTime(s string) (time.Time, error) {
	if len(s) == 17 {
		// Go's layouts take fractional seconds only after a point, so
		// the milliseconds are read apart.
		ms, err := strconv.Atoi(s[14:])
		if err != nil || strings.Trim(s[14:], "0123456789") != "" {
			return time.Time{}, fmt.Errorf("parsing time %q: the last three digits are milliseconds", s)
		}
		t, err := time.ParseInLocation("20060102150405", s[:14], ChinaTime)
		return t.Add(time.Duration(ms) * time.Millisecond), err
	}
	return time.ParseInLocation("20060102150405", s, ChinaTime)
}

// FormatTime writes t as the single window does, yyyyMMddHHmmss in China
// Standard Time.
func FormatTime(t time.Time) string { return t.In(ChinaTime).Format("20060102150405") }

// ChinaTime is UTC+8, the single window's clock, in which every time a
// message carries is written; fixed, so no time zone database is needed.
var ChinaTime = time.FixedZone("CST", 8*3600)

// ParseAmount reads an amount field already checked by Validate.
func ParseAmount(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Zero, nil
	}
	return decimal.NewFromString(s)
}

// Validate checks a decoded message against its validate tags and returns
// the first broken rule as a *FieldError naming the element path, or nil.
// First, every text of the message (element text and attributes, at any
// depth) must hold no character textrule.Refused names (rule
// "character"): the API refuses control, bidirectional-control and
// zero-width characters in text however it arrives, in a request's strings
// or inside a message.
func Validate(v any) error {
	root, goName := rootName(v)
	if path, what := refusedText(reflect.ValueOf(v), root); path != "" {
		return &FieldError{Path: path, Rule: "character", Message: what}
	}
	err := validatorInstance().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) || len(verrs) == 0 {
		return &FieldError{Rule: "invalid", Message: err.Error(), Err: ErrMalformed}
	}
	fe := verrs[0]
	rest := strings.TrimPrefix(fe.Namespace(), goName)
	path := root + strings.ReplaceAll(rest, ".", "/")
	return &FieldError{Path: path, Rule: fe.Tag(), Message: describe(fe)}
}

// refusedText returns the element path (under root) of the first string of
// v, at any depth, holding a character textrule.Refused names, and what is
// wrong with it; or "". Paths are written as Validate writes them: element
// names, repeated elements indexed ("Order[1]/goodsName"). The path is
// built only for a refusal, so a clean message costs no allocation.
func refusedText(v reflect.Value, root string) (string, string) {
	steps, what := textFault(v)
	if what == "" {
		return "", ""
	}
	slices.Reverse(steps)
	return root + strings.Join(steps, ""), what
}

// textFault finds the first refused character under v: the path's steps,
// innermost first ("/goodsName", "[1]", "/Order"), and what is wrong.
func textFault(v reflect.Value) ([]string, string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return textFault(v.Elem())
		}
	case reflect.String:
		if at, r := textrule.Index(v.String()); at >= 0 {
			return nil, fmt.Sprintf("holds U+%04X (%s) at character %d: remove it; text sent to zoneledger may not hold control, bidirectional-control or zero-width characters (TAB, LF and CR are allowed)",
				r, textrule.Refused(r), utf8.RuneCountInString(v.String()[:at])+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil, "" // bytes are not text
		}
		for i := range v.Len() {
			if steps, what := textFault(v.Index(i)); what != "" {
				return append(steps, "["+strconv.Itoa(i)+"]"), what
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name := elementName(f)
			if !f.IsExported() || name == "" {
				continue
			}
			if steps, what := textFault(v.Field(i)); what != "" {
				return append(steps, "/"+name), what
			}
		}
	}
	return nil, ""
}

// elementName is the name of the element or attribute a field holds, as
// Validate's paths write it (tagName), or "" for a field that holds no text
// of the message (xml:"-", XMLName).
func elementName(f reflect.StructField) string {
	if f.Name == "XMLName" {
		return ""
	}
	return tagName(f)
}

// tagName is the name validator gives a field in its paths: its xml element
// or attribute name (the last of a>b), the Go name when the tag has none, ""
// for xml:"-".
func tagName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
	if name == "-" {
		return ""
	}
	if i := strings.LastIndexByte(name, '>'); i >= 0 {
		name = name[i+1:]
	}
	if name == "" {
		return f.Name
	}
	return name
}

// rootName is the element name of v's root (its XMLName tag, else its type
// name) and the Go type name validator starts its paths with.
func rootName(v any) (element, goName string) {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if f, ok := t.FieldByName("XMLName"); ok {
		name, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
		if i := strings.LastIndexByte(name, ' '); i >= 0 {
			name = name[i+1:]
		}
		if name != "" {
			return name, t.Name()
		}
	}
	return t.Name(), t.Name()
}

// describe says in words what the rule wants.
func describe(fe validator.FieldError) string {
	got := fmt.Sprint(fe.Value())
	switch fe.Tag() {
	case "required", "required_with", "required_without":
		return "is required"
	case "required_if":
		return "is required when " + strings.Replace(fe.Param(), " ", " is ", 1)
	case "excluded_if":
		return "must be empty when " + strings.Replace(fe.Param(), " ", " is ", 1)
	case "max":
		return fmt.Sprintf("is longer than %s characters (%q)", fe.Param(), got)
	case "len":
		return fmt.Sprintf("must be exactly %s characters (%q)", fe.Param(), got)
	case "oneof":
		return fmt.Sprintf("must be one of %s (got %q)", fe.Param(), got)
	case "numeric":
		return fmt.Sprintf("must be digits (got %q)", got)
	case "amount":
		p, s, _ := precisionScale(fe.Param())
		return fmt.Sprintf("must be a non-negative decimal of at most %d digits, %d after the point (got %q)", p, s, got)
	case "swtime":
		return fmt.Sprintf("must be a time yyyyMMddHHmmss (got %q)", got)
	case "swdate":
		return fmt.Sprintf("must be a date yyyyMMdd (got %q)", got)
	case "min":
		return fmt.Sprintf("must have at least %s", fe.Param())
	case "dive":
		return "is malformed"
	}
	return fmt.Sprintf("breaks rule %s %s (got %q)", fe.Tag(), fe.Param(), got)
}

// RegisterRule adds a field rule for the message types of a subpackage,
// under a tag not used before. Call it from an init function.
func RegisterRule(tag string, fn validator.Func) {
	if _, dup := rules[tag]; dup {
		panic("singlewindow: rule " + tag + " registered twice")
	}
	if validate != nil {
		panic("singlewindow: RegisterRule after the first Validate")
	}
	rules[tag] = fn
}
