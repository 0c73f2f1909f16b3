//! `gradebook.html`: one self-contained page (no network needed to view it) with the
//! class's scores per lab and per exam domain, the checks the class fails most, and a
//! sortable table of students.

use super::StudentRecord;
use crate::lab::Lab;
use crate::lab::skills::Outline;
use crate::report::percent;
use crate::report::v1::Status;
use std::collections::BTreeMap;
use std::fmt::Write;

pub const HTML_FILE: &str = "gradebook.html";

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Earned and possible points, summed.
#[derive(Default, Clone, Copy)]
struct Points {
    earned: u32,
    possible: u32,
}

impl Points {
    fn add(&mut self, earned: u32, possible: u32) {
        self.earned += earned;
        self.possible += possible;
    }

    fn percent(self) -> f64 {
        percent(self.earned, self.possible)
    }
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}\
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f3f3f3;cursor:pointer}\
td.n{text-align:right}.bar{background:#e33;height:8px;display:inline-block;vertical-align:middle}\
.err{color:#a0a}h2{margin-top:1.5em}";

const SORT: &str = "document.querySelectorAll('table.sortable th').forEach((th,i)=>th.onclick=()=>{\
const t=th.closest('table'),b=t.tBodies[0],r=[...b.rows],d=th.dataset.dir=th.dataset.dir==='a'?'d':'a';\
r.sort((x,y)=>{const p=x.cells[i].dataset.v??x.cells[i].textContent,q=y.cells[i].dataset.v??y.cells[i].textContent;\
const m=parseFloat(p),n=parseFloat(q),c=isNaN(m)||isNaN(n)?p.localeCompare(q):m-n;return d==='a'?c:-c});\
r.forEach(x=>b.appendChild(x))});";

pub fn render(labs: &[&Lab], outline: Option<&Outline>, records: &[StudentRecord]) -> String {
    let graded: Vec<&StudentRecord> = records.iter().filter(|r| r.error.is_none()).collect();
    let mut by_lab: BTreeMap<&str, Points> = BTreeMap::new();
    let mut by_domain: BTreeMap<String, Points> = BTreeMap::new();
    // (lab, check) -> (FAIL count, ERROR count)
    let mut misses: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for r in &graded {
        for l in &r.labs {
            by_lab.entry(l.id.as_str()).or_default().add(l.earned, l.possible);
            if let Some(d) = &l.domain {
                by_domain.entry(d.clone()).or_default().add(l.earned, l.possible);
            }
            for c in &l.checks {
                let entry = misses.entry((l.id.clone(), c.id.clone())).or_default();
                match c.status {
                    Status::Fail => entry.0 += 1,
                    Status::Error => entry.1 += 1,
                    _ => {}
                }
            }
        }
    }
    let mut total = Points::default();
    for r in &graded {
        total.add(r.earned, r.possible);
    }
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>labcheck gradebook</title><style>{STYLE}</style><body>\
         <h1>labcheck gradebook</h1><p>{} students graded, {} could not be; class average {}%.</p>",
        graded.len(),
        records.len() - graded.len(),
        total.percent()
    );
    out.push_str(
        "<h2>By lab</h2><table><thead><tr><th>lab</th><th>title</th><th>class average</th></tr></thead><tbody>",
    );
    for lab in labs {
        let p = by_lab.get(lab.id.as_str()).copied().unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=n>{}%</td></tr>",
            esc(&lab.id),
            esc(&lab.title),
            p.percent()
        );
    }
    out.push_str("</tbody></table><h2>By exam domain</h2><table><thead><tr><th>domain</th><th>class average</th></tr></thead><tbody>");
    for (id, p) in &by_domain {
        let name = outline.and_then(|o| o.domain(id)).map(|d| d.name.as_str()).unwrap_or("");
        let _ = write!(out, "<tr><td>{} {}</td><td class=n>{}%</td></tr>", esc(id), esc(name), p.percent());
    }
    out.push_str("</tbody></table><h2>Where the class struggles</h2><table><thead><tr><th>check</th><th>failed by</th><th></th><th>errors</th></tr></thead><tbody>");
    let mut ranked: Vec<_> = misses.into_iter().filter(|(_, (f, e))| f + e > 0).collect();
    ranked.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(b.1.1.cmp(&a.1.1)).then(a.0.cmp(&b.0)));
    for ((lab, check), (fails, errors)) in ranked.into_iter().take(15) {
        let share = if graded.is_empty() { 0.0 } else { 100.0 * fails as f64 / graded.len() as f64 };
        let title =
            labs.iter().find(|l| l.id == lab).and_then(|l| l.check(&check)).map(|c| c.title.as_str()).unwrap_or("");
        let _ = write!(
            out,
            "<tr><td>{}/{} <small>{}</small></td><td class=n>{fails} ({share:.0}%)</td><td><span class=bar style=\"width:{}px\"></span></td><td class=n>{errors}</td></tr>",
            esc(&lab),
            esc(&check),
            esc(title),
            (share * 2.0).round()
        );
    }
    out.push_str("</tbody></table><h2>Students</h2><p>Click a column to sort.</p><table class=sortable><thead><tr><th>student</th><th>account</th><th>total</th>");
    for lab in labs {
        let _ = write!(out, "<th>{}</th>", esc(&lab.id));
    }
    out.push_str("<th>error</th></tr></thead><tbody>");
    for r in records {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=n data-v=\"{}\">{}%</td>",
            esc(&r.student),
            esc(&r.account),
            r.percent,
            r.percent
        );
        for lab in labs {
            match r.labs.iter().find(|l| l.id == lab.id) {
                Some(l) => {
                    let p = percent(l.earned, l.possible);
                    let _ = write!(out, "<td class=n data-v=\"{p}\">{}/{}</td>", l.earned, l.possible);
                }
                None => out.push_str("<td data-v=\"-1\">-</td>"),
            }
        }
        let _ = write!(out, "<td class=err>{}</td></tr>", esc(r.error.as_deref().unwrap_or("")));
    }
    let _ = writeln!(out, "</tbody></table><script>{SORT}</script></body></html>");
    out
}
