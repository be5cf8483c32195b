//! JSON: the policy's tree once (every node's path, name, code, level and
//! points), then one unit per line, each node's result an array in the
//! tree's order — `[score, max]`, with its status third when it was not
//! simply scored — so the size of a unit's line does not grow with the
//! length of the names.

use super::{Results, part_kind, stream};
use serde_json::json;
use std::io::{self, Write};

pub fn write_json<W: Write + ?Sized>(r: &Results, out: &mut W) -> io::Result<()> {
    let policy = r.policy;
    let nodes: Vec<serde_json::Value> = policy
        .nodes
        .iter()
        .map(|n| {
            let level = n.depth.checked_sub(1).and_then(|d| policy.levels.get(d));
            let mut node = json!({"path": n.path, "name": n.name, "code": n.code,
                                  "level": level, "points": super::Points(n.points)});
            // Only where the policy says so: a side total, a target value.
            if let Some(map) = node.as_object_mut() {
                if n.side {
                    map.insert("side_total".into(), json!(true));
                }
                if let Some((_, written)) = &n.target {
                    map.insert("target".into(), json!(written));
                }
            }
            node
        })
        .collect();
    let parts: Vec<serde_json::Value> = policy
        .parts
        .iter()
        .map(|p| {
            let items: Vec<&str> = p.items.iter().map(|i| i.name.as_str()).collect();
            json!({"name": p.name, "kind": part_kind(p.kind),
                   "cap": p.cap.map(super::Points), "items": items})
        })
        .collect();
    let head = json!({
        "name": policy.name,
        "version": policy.version,
        "total": super::Points(policy.total),
        "precision": policy.precision,
        "nodes": nodes,
        "parts": parts,
    });
    let mut start = b"{\n\"policy\": ".to_vec();
    let _ = serde_json::to_writer_pretty(&mut start, &head);
    if let Some(p) = r.period {
        start.extend_from_slice(b",\n\"period\": ");
        stream::json_string(&mut start, p);
    }
    start.extend_from_slice(b",\n\"units\": [\n");
    out.write_all(&start)?;
    let e = r.evaluation;
    let order: Vec<usize> = (0..r.data.len()).filter(|u| e.unit(*u).is_some()).collect();
    let last = order.len().saturating_sub(1);
    stream::units(
        out,
        order.len(),
        |i| i,
        |i, buffer| {
            if let Some(&u) = order.get(i) {
                unit(r, u, buffer);
                buffer.extend_from_slice(if i == last { b"\n" } else { b",\n" });
            }
        },
    )?;
    let warnings = serde_json::to_string(&r.data.warnings).unwrap_or_else(|_| "[]".into());
    write!(out, "],\n\"warnings\": {warnings}\n}}\n")
}

fn unit(r: &Results, u: usize, out: &mut Vec<u8>) {
    let e = r.evaluation;
    let (Some(s), Some(record), Some(unit)) = (e.unit(u), e.record(u), r.data.units.get(u)) else {
        return;
    };
    let places = e.precision;
    let text = |out: &mut Vec<u8>, key: &str, value: Option<&str>| {
        out.extend_from_slice(key.as_bytes());
        match value {
            Some(v) => stream::json_string(out, v),
            None => out.extend_from_slice(b"null"),
        }
    };
    text(out, "{\"id\":", Some(unit.id));
    text(out, ",\"name\":", Some(unit.name));
    text(out, ",\"kind\":", Some(r.kind(u)));
    for (key, k) in [
        (",\"score\":", s.score),
        (",\"max\":", s.max),
        (",\"base\":", s.base),
        (",\"bonus\":", s.bonus),
        (",\"deductions\":", s.deductions),
    ] {
        out.extend_from_slice(key.as_bytes());
        if s.not_scored {
            out.extend_from_slice(b"null");
        } else {
            stream::number(out, k, places);
        }
    }
    text(out, ",\"grade\":", r.grade(s.grade));
    out.extend_from_slice(b",\"rank\":");
    stream::json_count(out, s.rank);
    out.extend_from_slice(b",\"rank_in_kind\":");
    stream::json_count(out, s.rank_in_kind);
    if !r.policy.tiers.is_empty() {
        text(out, ",\"tier\":", r.tier(s.tier));
    }
    if r.funding_name().is_some() {
        out.extend_from_slice(b",\"funding\":");
        match r.funding(u) {
            Some(cents) => stream::number(out, cents, 2),
            None => out.extend_from_slice(b"null"),
        }
    }
    out.extend_from_slice(b",\"vetoes\":[");
    for (i, hit) in record.vetoes().enumerate() {
        let v = super::veto_report(r.policy, hit);
        text(
            out,
            if i == 0 { "{\"name\":" } else { ",{\"name\":" },
            Some(&v.name),
        );
        text(out, ",\"effect\":", Some(&v.effect));
        out.push(b'}');
    }
    if s.not_scored {
        out.extend_from_slice(b"],\"not_scored\":true,\"nodes\":[],\"parts\":[]}");
        return;
    }
    out.extend_from_slice(b"],\"nodes\":[");
    for id in 0..r.policy.nodes.len() {
        let n = record.node(id);
        out.extend_from_slice(if id == 0 { b"[" } else { b",[" });
        stream::number(out, n.score, places);
        out.push(b',');
        stream::number(out, n.max, places);
        if n.status != crate::eval::Status::Scored {
            text(out, ",", Some(n.status.name()));
        }
        out.push(b']');
    }
    out.extend_from_slice(b"],\"parts\":[");
    for (p, part) in r.policy.parts.iter().enumerate() {
        out.extend_from_slice(if p == 0 {
            b"{\"points\":"
        } else {
            b",{\"points\":"
        });
        stream::number(out, record.part_points(p), places);
        out.extend_from_slice(if record.part_open(p) {
            b",\"open\":true,\"items\":["
        } else {
            b",\"open\":false,\"items\":["
        });
        for i in 0..part.items.len() {
            if i > 0 {
                out.push(b',');
            }
            match record.item(p, i) {
                Some(k) => stream::number(out, k, places),
                None => out.extend_from_slice(b"null"),
            }
        }
        out.extend_from_slice(b"]}");
    }
    out.extend_from_slice(b"]}");
}
