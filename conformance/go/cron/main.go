// Reads one JSON case per line, {"expr": ..., "after": RFC 3339, "n": count}, and answers each
// with one JSON line from robfig/cron v3's ParseStandard (what the Kubernetes CronJob
// controller uses): {"ok": true, "next": [RFC 3339 UTC...]} or {"ok": false, "error": ...}.
// A panic inside the library is reported as {"ok": false, "panic": ...}.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/robfig/cron/v3"
)

type input struct {
	Expr  string `json:"expr"`
	After string `json:"after"`
	N     int    `json:"n"`
}

type output struct {
	Ok    bool     `json:"ok"`
	Next  []string `json:"next,omitempty"`
	Error string   `json:"error,omitempty"`
	Panic string   `json:"panic,omitempty"`
}

func answer(in input) (out output) {
	defer func() {
		if r := recover(); r != nil {
			out = output{Panic: fmt.Sprint(r)}
		}
	}()
	after, err := time.Parse(time.RFC3339Nano, in.After)
	if err != nil {
		return output{Error: "bad case time: " + err.Error()}
	}
	sched, err := cron.ParseStandard(in.Expr)
	if err != nil {
		return output{Error: err.Error()}
	}
	out.Ok = true
	out.Next = []string{}
	t := after.UTC()
	for i := 0; i < in.N; i++ {
		t = sched.Next(t)
		if t.IsZero() {
			break
		}
		t = t.UTC()
		out.Next = append(out.Next, t.Format(time.RFC3339Nano))
	}
	return out
}

func main() {
	// Local time is UTC, so that a schedule without a zone reads the instant as UTC.
	time.Local = time.UTC
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for in.Scan() {
		var c input
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			fmt.Fprintln(os.Stderr, "bad input line:", err)
			os.Exit(2)
		}
		if err := enc.Encode(answer(c)); err != nil {
			os.Exit(3)
		}
	}
}
