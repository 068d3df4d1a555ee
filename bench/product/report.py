# Turns the per-round samples of bench/product/run.sh into one JSON line per result (stdout) and a
# short table for people (stderr).
#   python3 report.py META.tsv SAMPLES.tsv
# META: "key<TAB>value" lines (kernel, java, cpus, bench_commit, load_start, load_end) and
#       "build<TAB>name<TAB>commit<TAB>layer_sha<TAB>jar" lines, in the order the builds were given.
# SAMPLES: "id variant build round unit value p50 p99 errors matched_share", tab-separated, one line
#       per measurement; variant is direct, haproxy or ours (build names the jar for ours); empty
#       value = the measurement failed (counted in errors).
# Ratios pair the measurements of the same round (same minute of the same machine) and report the
# median of the per-round ratios: ours/direct, ours/haproxy, and every build against the first one.
import json
import statistics
import sys
from collections import OrderedDict


def number(s):
    return float(s) if s not in ("", None) else None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def rounded(v, digits=3):
    if v is None:
        return None
    return int(round(v)) if abs(v) >= 100 else round(v, digits)


def read_meta(path):
    meta, builds = {}, []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "build":
                builds.append({"name": parts[1], "commit": parts[2], "layer": parts[3], "jar": parts[4]})
            elif len(parts) >= 2:
                meta[parts[0]] = parts[1]
    return meta, builds


def read_samples(path):
    rows = []
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            p = line.rstrip("\n").split("\t")
            p += [""] * (10 - len(p))
            rows.append({
                "id": p[0], "variant": p[1], "build": p[2] or None, "round": int(p[3]), "unit": p[4],
                "value": number(p[5]), "p50": number(p[6]), "p99": number(p[7]),
                "errors": int(p[8] or 0), "share": number(p[9]),
            })
    return rows


def per_round(rows, id_, variant, build=None):
    return {r["round"]: r["value"] for r in rows
            if r["id"] == id_ and r["variant"] == variant and r["build"] == build and r["value"] is not None}


def paired_ratio(mine, other):
    ratios = [mine[k] / other[k] for k in mine if k in other and other[k]]
    return rounded(median(ratios)) if ratios else None


def main(meta_path, samples_path):
    meta, builds = read_meta(meta_path)
    rows = read_samples(samples_path)
    commits = {b["name"]: b["commit"] for b in builds}
    layers = {b["name"]: b["layer"] for b in builds}
    first = builds[0]["name"] if builds else None
    groups = OrderedDict()
    for r in rows:
        groups.setdefault((r["id"], r["variant"], r["build"]), []).append(r)
    lines = []
    for (id_, variant, build), rs in groups.items():
        values = [r["value"] for r in rs if r["value"] is not None]
        mine = per_round(rows, id_, variant, build)
        direct = per_round(rows, id_, "direct")
        haproxy = per_round(rows, id_, "haproxy")
        line = OrderedDict(
            id=id_, variant=variant, build=build, unit=rs[0]["unit"],
            value=rounded(median(values)),
            p50=rounded(median(r["p50"] for r in rs)), p99=rounded(median(r["p99"] for r in rs)),
            errors=sum(r["errors"] for r in rs), rounds=len(values),
            spread=[rounded(min(values)), rounded(max(values))] if values else None,
            ratio_vs_direct=paired_ratio(mine, direct) if variant != "direct" else None,
            ratio_vs_haproxy=paired_ratio(mine, haproxy) if variant == "ours" and haproxy else None,
        )
        if variant == "ours" and build != first and first is not None:
            line["ratio_vs_first_build"] = paired_ratio(mine, per_round(rows, id_, "ours", first))
        shares = [r["share"] for r in rs if r["share"] is not None]
        if shares:
            line["matched_share"] = rounded(median(shares))
        line.update(
            kernel=meta.get("kernel"), java=meta.get("java"), cpus=int(meta.get("cpus", "0")),
            commit=commits.get(build) if build else meta.get("bench_commit"),
        )
        if build:
            line["layer_sha"] = layers.get(build)
        line.update(load_start=meta.get("load_start"), load_end=meta.get("load_end"))
        lines.append(line)
        print(json.dumps(line), flush=True)
    summary(lines, [b["name"] for b in builds], meta)


def summary(lines, names, meta):
    out = sys.stderr
    print("\nsummary: medians over rounds; ratios are medians of per-round ratios "
          "(for latencies in us, lower is better); load average %s at the start, %s at the end"
          % (meta.get("load_start"), meta.get("load_end")), file=out)
    ids = list(OrderedDict.fromkeys(l["id"] for l in lines))
    order = {"direct": 0, "haproxy": 1}
    for id_ in ids:
        rows = sorted((l for l in lines if l["id"] == id_),
                      key=lambda l: (order.get(l["variant"], 2), names.index(l["build"]) if l["build"] in names else 0))
        print("%s (%s)" % (id_, rows[0]["unit"]), file=out)
        for l in rows:
            cell = "%-12s %10s" % ((l["build"] or l["variant"])[:12], "-" if l["value"] is None else l["value"])
            if l["p50"] is not None and l["unit"] != "us":
                cell += "  p50 %8s  p99 %8s" % (fmt_us(l["p50"]), fmt_us(l["p99"]))
            elif l["p50"] is not None:
                cell += "  p50 %8s" % fmt_us(l["p50"])
            cell += "  errors %d" % l["errors"]
            if "matched_share" in l:
                cell += "  matched %.2f" % l["matched_share"]
            for key, label in (("ratio_vs_direct", "direct"), ("ratio_vs_haproxy", "haproxy"),
                               ("ratio_vs_first_build", names[0] if names else "")):
                if l.get(key) is not None:
                    cell += "  %sx %s" % (l[key], label)
            print("  " + cell, file=out)


def fmt_us(us):
    return "%.1fms" % (us / 1000) if us >= 1000 else "%dus" % us


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
