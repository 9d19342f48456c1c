//! `lineage import wikidata FILE`: Wikidata entity JSON into graph-data RON.

use std::io::BufRead;

use lineage::NodeKind;
use lineage::load::wikidata::{self, Options};
use lineage::names::{path_text, visible};

use super::*;
use crate::cli::{ImportArgs, ImportFrom, ImportWikidataArgs, KindArg};

/// `lineage import`.
pub fn import(a: &ImportArgs) -> Res {
    match &a.from {
        ImportFrom::Wikidata(w) => import_wikidata(w),
    }
}

fn node_kind(k: KindArg) -> NodeKind {
    match k {
        KindArg::Party => NodeKind::Party,
        KindArg::Movement => NodeKind::Movement,
        KindArg::Bloc => NodeKind::Bloc,
        KindArg::Organisation => NodeKind::Organisation,
        KindArg::Person => NodeKind::Person,
    }
}

fn import_wikidata(a: &ImportWikidataArgs) -> Res {
    if let Some(p) = &a.output.output {
        check_extension(p, "graph-data RON", &["ron"])?;
    }
    let name = path_text(&a.file);
    let options = Options {
        kind: node_kind(a.kind),
    };
    let fail = |e: wikidata::ImportError| user(format!("{name}: {e}"));
    let got = if is_stdout(&a.file) {
        wikidata::import(std::io::stdin().lock(), &options).map_err(fail)?
    } else {
        // a device or a FIFO has no end to wait for (and opening a FIFO waits for a writer):
        // only `-` reads a stream, and the kind of file is looked at before it is opened
        let meta = std::fs::metadata(&a.file).map_err(|e| Error::io(&a.file, e))?;
        if !meta.is_file() {
            return Err(user(format!(
                "{name}: cannot import it: it is {}; give a file, or `-` to read stdin",
                lineage::load::not_regular(&meta)
            )));
        }
        let file = std::fs::File::open(&a.file).map_err(|e| Error::io(&a.file, e))?;
        let reader: Box<dyn BufRead> = Box::new(std::io::BufReader::new(file));
        wikidata::import(reader, &options).map_err(fail)?
    };
    let ron = got.to_ron();
    if ron.len() as u64 > lineage::limits::MAX_RON_BYTES {
        return Err(user(format!(
            "{name}: the graph-data would be {} bytes, over the {} byte limit of a RON file that \
             lineage reads back; import the entities in several files",
            ron.len(),
            lineage::limits::MAX_RON_BYTES
        )));
    }
    eprintln!(
        "lineage: imported {} items and {} edges; {} statements not mapped{}",
        got.entities,
        got.edges,
        got.unmapped.len(),
        if got.unmapped.is_empty() { "" } else { ":" }
    );
    for u in &got.unmapped {
        eprintln!("  {}", visible(&u.to_string(), false));
    }
    match &a.output.output {
        Some(p) if !is_stdout(p) => write_file(p, ron.as_bytes()),
        _ => Ok(Out::Stdout(ron)),
    }
}
