package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Query strings are validated like bodies, as "Query validation error: ..."
// with errorCode invalid_query_string. Unknown parameters are refused
// (UNVERIFIED: stricter than ignoring them).
func queryError(msg, prop string) *apiError {
	if prop == "" {
		return newAPIError(http.StatusBadRequest, fmt.Sprintf("Query validation error: '%s'.", msg), "invalid_query_string")
	}
	return newAPIError(http.StatusBadRequest, fmt.Sprintf("Query validation error: '%s' on property %s.", msg, prop), "invalid_query_string")
}

func checkQuery(q url.Values, allowed ...string) *apiError {
	var unknown []string
	for k := range q {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return queryError("Additional properties not allowed: "+strings.Join(unknown, ","), "")
	}
	return nil
}

func queryBool(q url.Values, name string) (val, set bool, err *apiError) {
	if !q.Has(name) {
		return false, false, nil
	}
	switch q.Get(name) {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, false, queryError("Expected type boolean but found type string", name)
}

func queryInt(q url.Values, name string, def, min, max int) (int, *apiError) {
	if !q.Has(name) {
		return def, nil
	}
	n, err := strconv.Atoi(q.Get(name))
	switch {
	case err != nil:
		return 0, queryError("Expected type integer but found type string", name)
	case n < min:
		return 0, queryError(fmt.Sprintf("Value %d is less than minimum %d", n, min), name)
	case max > 0 && n > max:
		return 0, queryError(fmt.Sprintf("Value %d is greater than maximum %d", n, max), name)
	}
	return n, nil
}

// paging is a list request's pagination: page/per_page (with or without
// totals) or checkpoint from/take.
type paging struct {
	checkpoint bool
	from, take int
	page       int
	perPage    int
	totals     bool
}

// parsePaging reads page (0-based), per_page (default 50, max 100),
// include_totals, or the checkpoint pair from/take (take default 50, max 100)
// (notes/auth0-api.md §3.5).
func parsePaging(q url.Values) (paging, *apiError) {
	var p paging
	var err *apiError
	if q.Has("from") || q.Has("take") {
		p.checkpoint = true
		if p.take, err = queryInt(q, "take", 50, 1, 100); err != nil {
			return p, err
		}
		if from := q.Get("from"); from != "" {
			raw, decErr := base64.RawURLEncoding.DecodeString(from)
			n, convErr := strconv.Atoi(string(raw))
			if decErr != nil || convErr != nil || n < 0 {
				return p, queryError("Invalid checkpoint", "from")
			}
			p.from = n
		}
		return p, nil
	}
	if p.page, err = queryInt(q, "page", 0, 0, 0); err != nil {
		return p, err
	}
	if p.perPage, err = queryInt(q, "per_page", 50, 1, 100); err != nil {
		return p, err
	}
	p.totals, _, err = queryBool(q, "include_totals")
	return p, err
}

// paginate returns the requested window of items, its start offset and, in
// checkpoint mode, the next checkpoint ("" on the last page).
func paginate[T any](items []T, p paging) (window []T, start int, next string) {
	size := p.perPage
	start = p.page * p.perPage
	if p.checkpoint {
		size, start = p.take, p.from
	}
	if start > len(items) {
		start = len(items)
	}
	end := min(start+size, len(items))
	if p.checkpoint && end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	return items[start:end], start, next
}

// writeList answers a list: a bare array by default; with include_totals
// {"total","start","limit","<key>"} in that order
// [REC TestClient_List: {"total":1,"start":0,"limit":50,"clients":[...]}];
// with a checkpoint {"<key>":[...],"next":"..."} (next absent on the last page).
func writeList(w http.ResponseWriter, key string, items []any, total int, p paging, start int, next string) {
	list, err := json.Marshal(items)
	if err != nil {
		writeAPIError(w, http.StatusInternalServerError, "Internal Server Error", "internal_error")
		return
	}
	k, _ := json.Marshal(key)
	var b bytes.Buffer
	switch {
	case p.checkpoint:
		fmt.Fprintf(&b, `{%s:%s`, k, list)
		if next != "" {
			n, _ := json.Marshal(next)
			fmt.Fprintf(&b, `,"next":%s`, n)
		}
		b.WriteString("}")
	case p.totals:
		fmt.Fprintf(&b, `{"total":%d,"start":%d,"limit":%d,%s:%s}`, total, start, p.perPage, k, list)
	default:
		b.Write(list)
	}
	writeRaw(w, http.StatusOK, b.Bytes())
}

// fieldFilter is the fields/include_fields pair.
type fieldFilter struct {
	names   []string
	include bool
}

// singleResourceFields reads the query of an endpoint that answers one
// resource: only fields and include_fields are allowed.
func singleResourceFields(r *http.Request) (fieldFilter, *apiError) {
	q := r.URL.Query()
	if err := checkQuery(q, "fields", "include_fields"); err != nil {
		return fieldFilter{}, err
	}
	return parseFields(q)
}

func parseFields(q url.Values) (fieldFilter, *apiError) {
	include, set, err := queryBool(q, "include_fields")
	if err != nil {
		return fieldFilter{}, err
	}
	f := fieldFilter{include: include || !set}
	if v := q.Get("fields"); v != "" {
		f.names = strings.Split(v, ",")
	}
	return f, nil
}

// apply keeps (or drops) the named fields; always are kept when including.
func (f fieldFilter) apply(m map[string]any, always ...string) map[string]any {
	if len(f.names) == 0 {
		return m
	}
	out := map[string]any{}
	for k, v := range m {
		listed := slices.Contains(f.names, k)
		if f.include && (listed || slices.Contains(always, k)) || !f.include && !listed {
			out[k] = v
		}
	}
	return out
}
