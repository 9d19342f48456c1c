//! The DOT, SVG and GraphML writers with hostile names, aliases, roles, notes and titles.
//!
//! Each input gives two graphs of the same shape, one with the fuzzed texts and one with plain
//! ones. The DOT of both must be the same outside quoted strings (no text broke out of a label),
//! every string must hold only escapes Graphviz shows literally, and every node's label must show
//! its name. The SVG and GraphML must be well-formed XML with no element or attribute that the
//! plain drawing lacks.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use lineage::query::Filter;
use lineage::render::Selection;
use lineage::render::dot::Dot;
use lineage_fuzz::dot_check::split;

fn xml_shape(xml: &str) -> BTreeSet<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let mut shape = BTreeSet::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        shape.insert(format!("<{}>", n.tag_name().name()));
        for a in n.attributes() {
            shape.insert(format!("{}@{}", n.tag_name().name(), a.name()));
        }
    }
    shape
}

fuzz_target!(|data: &[u8]| {
    let Some(d) = lineage_fuzz::drawn_graphs(data) else {
        return;
    };
    let hostile = lineage::Db::from_graph_unvalidated(&d.hostile).expect("the hostile graph opens");
    let plain = d.plain.freeze().expect("validated graph freezes");
    let sel_h = Selection::all(&hostile, true, &Filter::default());
    let sel_p = Selection::all(&plain, true, &Filter::default());
    for cfg in lineage_fuzz::dot_configs() {
        let h = Dot::new(&hostile, &sel_h).with_config(cfg).to_string();
        let p = Dot::new(&plain, &sel_p).with_config(cfg).to_string();
        let hs = split(&h).unwrap_or_else(|e| panic!("{e}\n{h}"));
        let ps = split(&p).expect("plain DOT is clean");
        assert_eq!(
            hs.skeleton, ps.skeleton,
            "a text changed the DOT structure:\n{h}"
        );
        // every name is shown: its label, line breaks read as spaces, starts with the name
        for name in &d.names {
            if name
                .chars()
                .any(|c| c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
            {
                continue;
            }
            let shown = name.replace('\n', " ");
            assert!(
                hs.strings
                    .iter()
                    .any(|s| s.replace('\n', " ").starts_with(&shown)),
                "name {name:?} is not shown as written"
            );
        }
    }
    let svg_h = lineage::render::svg::timeline_svg(&hostile, None, None, None);
    let svg_p = lineage::render::svg::timeline_svg(&plain, None, None, None);
    let (sh, sp) = (xml_shape(&svg_h), xml_shape(&svg_p));
    assert!(
        sh.is_subset(&sp),
        "the SVG gained {:?}",
        sh.difference(&sp).collect::<Vec<_>>()
    );
    let gm_h = lineage::render::export::graphml(&hostile, &sel_h);
    let gm_p = lineage::render::export::graphml(&plain, &sel_p);
    let (gh, gp) = (xml_shape(&gm_h), xml_shape(&gm_p));
    assert!(
        gh.is_subset(&gp),
        "the GraphML gained {:?}",
        gh.difference(&gp).collect::<Vec<_>>()
    );
});
