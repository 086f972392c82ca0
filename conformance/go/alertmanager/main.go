// Reads one JSON case per line and answers each with one JSON line from Alertmanager 0.25's own
// code (Debian's golang-github-prometheus-alertmanager-dev, built in GOPATH mode):
//
//	{"matchers": TEXT, "values": [V...]}   labels.ParseMatchers, then Matches(V) per matcher
//	{"config": YAML, "alerts": [LABELS...]} config.Load, dispatch.NewRoute, Route.Match per alert
//	{"config": YAML, "sources": [{labels, firing}], "targets": [LABELS...]}
//	                                       inhibit rules of the config, Inhibitor.Mutes per target
//	{"config": YAML, "times": [UNIX...]}   config.Load, then per time interval of the config
//	                                       (time_intervals, then mute_time_intervals) whether any
//	                                       of its TimeInterval.ContainsTime each time
//
// A panic inside the library is reported as {"panic": ...}.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/go-kit/log"
	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/dispatch"
	"github.com/prometheus/alertmanager/inhibit"
	"github.com/prometheus/alertmanager/pkg/labels"
	"github.com/prometheus/alertmanager/timeinterval"
	"github.com/prometheus/alertmanager/types"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"
)

type source struct {
	Labels map[string]string `json:"labels"`
	Firing bool              `json:"firing"`
}

type input struct {
	Matchers *string             `json:"matchers"`
	Values   []string            `json:"values"`
	Config   *string             `json:"config"`
	Alerts   []map[string]string `json:"alerts"`
	Sources  []source            `json:"sources"`
	Targets  []map[string]string `json:"targets"`
	Times    []int64             `json:"times"`
}

type route struct {
	Receiver       string            `json:"receiver"`
	GroupBy        []string          `json:"group_by"`
	GroupByAll     bool              `json:"group_by_all"`
	GroupWait      float64           `json:"group_wait"`
	GroupInterval  float64           `json:"group_interval"`
	RepeatInterval float64           `json:"repeat_interval"`
	Continue       bool              `json:"continue"`
	Key            string            `json:"key"`
	Group          map[string]string `json:"group"`
	Mute           []string          `json:"mute"`
	Active         []string          `json:"active"`
}

func lset(m map[string]string) model.LabelSet {
	ls := model.LabelSet{}
	for k, v := range m {
		ls[model.LabelName(k)] = model.LabelValue(v)
	}
	return ls
}

func answer(in input) (out map[string]interface{}) {
	defer func() {
		if r := recover(); r != nil {
			out = map[string]interface{}{"panic": fmt.Sprint(r)}
		}
	}()
	if in.Matchers != nil {
		ms, err := labels.ParseMatchers(*in.Matchers)
		if err != nil {
			return map[string]interface{}{"error": err.Error()}
		}
		list := [][]interface{}{}
		for _, m := range ms {
			hits := []bool{}
			for _, v := range in.Values {
				hits = append(hits, m.Matches(v))
			}
			list = append(list, []interface{}{m.Name, m.Type.String(), m.Value, hits})
		}
		return map[string]interface{}{"ok": list}
	}
	if in.Config == nil {
		return map[string]interface{}{"error": "bad case"}
	}
	cfg, err := config.Load(*in.Config)
	if err != nil {
		return map[string]interface{}{"error": err.Error()}
	}
	if in.Times != nil {
		named := [][]interface{}{}
		check := func(name string, tis []timeinterval.TimeInterval) {
			hits := []bool{}
			for _, t := range in.Times {
				in := false
				for _, ti := range tis {
					if ti.ContainsTime(time.Unix(t, 0).UTC()) {
						in = true
					}
				}
				hits = append(hits, in)
			}
			named = append(named, []interface{}{name, hits})
		}
		for _, ti := range cfg.TimeIntervals {
			check(ti.Name, ti.TimeIntervals)
		}
		for _, ti := range cfg.MuteTimeIntervals {
			check(ti.Name, ti.TimeIntervals)
		}
		return map[string]interface{}{"ok": named}
	}
	if in.Targets != nil {
		rules := cfg.InhibitRules
		ih := inhibit.NewInhibitor(nil, rules, types.NewMarker(prometheus.NewRegistry()), log.NewNopLogger())
		alerts := []*types.Alert{}
		for _, s := range in.Sources {
			a := &types.Alert{Alert: model.Alert{Labels: lset(s.Labels), StartsAt: time.Now().Add(-time.Hour)}}
			if !s.Firing {
				a.EndsAt = time.Now().Add(-time.Minute)
			}
			a.UpdatedAt = time.Now()
			alerts = append(alerts, a)
		}
		ih.CnarchLoad(alerts)
		muted := []bool{}
		for _, t := range in.Targets {
			muted = append(muted, ih.Mutes(lset(t)))
		}
		return map[string]interface{}{"ok": muted}
	}
	root := dispatch.NewRoute(cfg.Route, nil)
	all := [][]route{}
	for _, a := range in.Alerts {
		ls := lset(a)
		rs := []route{}
		for _, r := range root.Match(ls) {
			gb := []string{}
			for l := range r.RouteOpts.GroupBy {
				gb = append(gb, string(l))
			}
			sort.Strings(gb)
			group := map[string]string{}
			for ln, lv := range ls {
				if _, ok := r.RouteOpts.GroupBy[ln]; ok || r.RouteOpts.GroupByAll {
					group[string(ln)] = string(lv)
				}
			}
			mute := r.RouteOpts.MuteTimeIntervals
			if mute == nil {
				mute = []string{}
			}
			active := r.RouteOpts.ActiveTimeIntervals
			if active == nil {
				active = []string{}
			}
			rs = append(rs, route{
				Receiver:       r.RouteOpts.Receiver,
				GroupBy:        gb,
				GroupByAll:     r.RouteOpts.GroupByAll,
				GroupWait:      r.RouteOpts.GroupWait.Seconds(),
				GroupInterval:  r.RouteOpts.GroupInterval.Seconds(),
				RepeatInterval: r.RouteOpts.RepeatInterval.Seconds(),
				Continue:       r.Continue,
				Key:            r.Key(),
				Group:          group,
				Mute:           mute,
				Active:         active,
			})
		}
		all = append(all, rs)
	}
	return map[string]interface{}{"ok": all}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var c input
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			enc.Encode(map[string]interface{}{"error": "bad case: " + err.Error()})
			continue
		}
		enc.Encode(answer(c))
	}
}
