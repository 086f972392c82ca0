#!/usr/bin/env python3
"""Writes testdata/prometheus/exposition.json: the exposition format cases, each run through
`promtool check metrics` (Debian's prometheus package) to record what expfmt's parser does.
Run from anywhere: python3 conformance/prometheus/exposition_vectors.py"""
import json, subprocess
valid = [
 ("the exposition formats document's example", '''# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

# Minimalistic line:
metric_without_timestamp_and_labels 12.47

# A weird metric from before the epoch:
something_weird{problem="division by zero"} +Inf -3982045

# A histogram, which has a pretty complex representation in the text format:
# HELP http_request_duration_seconds A histogram of the request duration.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="0.1"} 33444
http_request_duration_seconds_bucket{le="0.2"} 100392
http_request_duration_seconds_bucket{le="0.5"} 129389
http_request_duration_seconds_bucket{le="1"} 133988
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320

# Finally a summary, which has a complex representation, too:
# HELP rpc_duration_seconds A summary of the RPC duration in seconds.
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.01"} 3102
rpc_duration_seconds{quantile="0.05"} 3272
rpc_duration_seconds{quantile="0.5"} 4773
rpc_duration_seconds{quantile="0.9"} 9001
rpc_duration_seconds{quantile="0.99"} 76656
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
'''),
 ("blanks: leading blanks, blanks around labels, a trailing comma, tabs", '  a 1\na {b="c"}\t2\na{ c = "d" , } 3 -5\n'),
 ("HELP escapes and a TYPE in any case", '#HELP g line one\\nback\\\\slash\n# TYPE g GAUGE\ng 0.5\n'),
 ("Go float syntax", 'v{i="1"} .5\nv{i="2"} 5.\nv{i="3"} 1E+3\nv{i="4"} -infinity\nv{i="5"} nan\nv{i="6"} 0012\nv{i="7"} -0\n'),
 ("a family with HELP and TYPE only", '# HELP up Whether up.\n# TYPE up gauge\n'),
]
invalid = [
 ("no final line feed", 'a 1', 1, 4),
 ("an invalid HELP escape", '# HELP a x\\y\na 1\n', 1, 11),
 ("an invalid label value escape", 'a{b="c\\d"} 1\n', 1, 7),
 ("hex is not a value", 'a 0x1p3\n', 1, 3),
 ("signed NaN", 'a +NaN\n', 1, 3),
 ("underscores in a value", 'a 1_0\n', 1, 3),
 ("a value beyond float64", 'a 1e400\n', 1, 3),
 ("a fractional timestamp", 'a 1 1.5\n', 1, 5),
 ("a blank after the value needs a timestamp", 'a 1 \n', 1, 5),
 ("an int64 overflow timestamp", 'a 1 9223372036854775808\n', 1, 5),
 ("text after the timestamp", 'a{b="c"} 1 2 3\n', 1, 14),
 ("a carriage return", 'a 1\r\n', 1, 3),
 ("an unknown type", '# TYPE a counter extra\na 1\n', 1, 10),
 ("a second TYPE line", '# TYPE a gauge\n# TYPE a gauge\na 1\n', 2, 8),
 ("a second HELP line", '# HELP a x\n# HELP a y\n', 2, 8),
 ("TYPE after samples", 'a 1\n# TYPE a gauge\n', 2, 8),
 ("HELP after samples", 'a 1\n# HELP a late\n', 2, 8),
 ("a reserved label name", 'a{__name__="x"} 1\n', 1, 3),
 ("a duplicate label name", 'a{b="c",b="d"} 1\n', 1, 9),
 ("an invalid metric name", '9a 1\n', 1, 1),
 ("an invalid label name", 'a{9="c"} 1\n', 1, 3),
 ("lines of a metric not grouped", 'a 1\nb 1\na{x="y"} 2\n', 3, 1),
 ("the same series twice", 'a{b="1",c="2"} 1\na{c="2",b="1"} 2\n', 2, 1),
 ("a histogram without +Inf", '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n', 2, 1),
 ("a histogram's +Inf bucket unlike its count", '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n', 2, 1),
 ("a histogram without _count", '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_sum 1\n', 2, 1),
 ("a histogram without _sum", '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1\n', 2, 1),
 ("buckets out of order", '# TYPE h histogram\nh_bucket{le="2"} 1\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', 3, 1),
 ("a bucket without le", '# TYPE h histogram\nh_bucket 1\n', 2, 1),
 ("a histogram sample without suffix", '# TYPE h histogram\nh 1\n', 2, 1),
 ("a quantile that is not a float", '# TYPE s summary\ns{quantile="x"} 1\ns_sum 1\ns_count 1\n', 2, 1),
 ("a quantile above 1", '# TYPE s summary\ns{quantile="1.5"} 1\ns_sum 1\ns_count 1\n', 2, 1),
 ("quantiles out of order", '# TYPE s summary\ns{quantile="0.9"} 1\ns{quantile="0.5"} 1\ns_sum 1\ns_count 1\n', 3, 1),
 ("an unterminated label value", 'a{b="c} 1\n', 1, 10),
]
out = {"source": "Prometheus docs, 'Exposition formats' (text format 0.0.4: line format, HELP and TYPE rules, escaping, the example text, the histogram and summary rules) and the syntax of expfmt's text parser in prometheus/common; each case's 'promtool' is what `promtool check metrics` 2.42 (Debian's prometheus package, expfmt's parser) does with the same text: where it accepts, the rule comes from the exposition formats document (grouping, unique series, histogram and summary rules), which promtool does not check. Positions are 1-based lines and columns (characters).", "valid": [], "invalid": [], "floats": []}
def promtool(text):
    r = subprocess.run(["promtool","check","metrics"], input=text.encode(), capture_output=True)
    o = (r.stdout+r.stderr).decode()
    return "refuses" if "parsing error" in o else "accepts"
for name, text in valid:
    assert promtool(text) == "accepts", name
    out["valid"].append({"name": name, "text": text})
for name, text, line, col in invalid:
    out["invalid"].append({"name": name, "text": text, "line": line, "column": col, "promtool": promtool(text)})
out["floats"] = [[1.0,"1"],[0.0,"0"],[-1.0,"-1"],[1e6,"1e+06"],[123456.0,"123456"],[1234567.0,"1.234567e+06"],[0.0001,"0.0001"],[0.00001,"1e-05"],[1.458255915e9,"1.458255915e+09"],[-2.5e-7,"-2.5e-07"],[0.1,"0.1"],[53423.0,"53423"],[1e21,"1e+21"],[5e-324,"5e-324"],[1.7976931348623157e308,"1.7976931348623157e+308"],["NaN","NaN"],["+Inf","+Inf"],["-Inf","-Inf"],[-0.0,"0"]]
import os
json.dump(out, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../testdata/prometheus/exposition.json"), "w"), indent=1)
print(sum(1 for c in out["invalid"] if c["promtool"]=="refuses"), len(out["invalid"]))
