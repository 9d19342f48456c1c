//! Node and edge records: decoded from their frozen format types, and checked against the
//! columns, ids and names that queries read without decoding them.

use crate::error::Result;
use crate::model::{Edge, Node};
use crate::snapshot::{self, Sec};

use super::{Db, EdgeId, NodeId};
use crate::snapshot::columns::{edge_row, node_row};
use crate::snapshot::{BadRecord, EdgeV2, NodeV2};

impl Db {
    /// Decodes and checks every node record.
    pub(super) fn check_node_records(&self) -> Result<()> {
        for i in 0..self.n as usize {
            self.node_record(i)?;
        }
        Ok(())
    }

    /// Decodes and checks every edge record.
    pub(super) fn check_edge_records(&self) -> Result<()> {
        for i in 0..self.m as usize {
            self.edge_record(i)?;
        }
        Ok(())
    }

    /// Decodes node record `i` and checks it against the node columns, the id and the name.
    pub(super) fn node_record(&self, i: usize) -> Result<Node> {
        let rec: NodeV2 = decode_exact(self.blob(Sec::NodeOff, Sec::NodeBlob, i), "node record")?;
        let node = rec
            .into_model()
            .map_err(|BadRecord(what)| Db::malformed(format!("node record {i} holds {what}")))?;
        let nid = NodeId(i as u32);
        // the columns must be exactly what the encoder writes for this record, unused
        // interval words included, so that no forged word goes unnoticed
        let want = node_row(node.kind, node.begin(), node.end());
        if node.id != self.id(nid) || node.name != self.name(nid) || self.node_cols(nid) != want {
            return Err(Db::malformed(format!(
                "node record {i} does not match its columns, id or name"
            )));
        }
        Ok(node)
    }

    /// Decodes edge record `i` and checks it against the edge columns and ids.
    pub(super) fn edge_record(&self, i: usize) -> Result<Edge> {
        let rec: EdgeV2 = decode_exact(self.blob(Sec::EdgeOff, Sec::EdgeBlob, i), "edge record")?;
        let e = rec
            .into_model()
            .map_err(|BadRecord(what)| Db::malformed(format!("edge record {i} holds {what}")))?;
        let c = self.edge_cols(EdgeId(i as u32));
        if c != edge_row(c[0], c[1], e.kind, e.when())
            || e.from != self.id(NodeId(c[0]))
            || e.to != self.id(NodeId(c[1]))
        {
            return Err(Db::malformed(format!(
                "edge record {i} does not match its columns"
            )));
        }
        Ok(e)
    }

    pub(super) fn blob(&self, off: Sec, bytes: Sec, i: usize) -> &[u8] {
        let o = self.words(off);
        &self.sec(bytes)[o[i] as usize..o[i + 1] as usize]
    }

    pub(super) fn str_at(&self, off: Sec, bytes: Sec, i: usize) -> &str {
        std::str::from_utf8(self.blob(off, bytes, i)).expect("UTF-8 and boundaries checked at open")
    }

    pub(super) fn key(&self, i: usize) -> &str {
        self.str_at(Sec::KeyOff, Sec::KeyBytes, i)
    }
}

pub(super) fn decode_exact<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    match bincode::serde::decode_from_slice::<T, _>(bytes, snapshot::bincode_cfg()) {
        Ok((v, used)) if used == bytes.len() => Ok(v),
        Ok((_, used)) => Err(Db::malformed(format!(
            "{what}: {} bytes left over after decoding",
            bytes.len() - used
        ))),
        Err(e) => Err(Db::malformed(format!("{what}: {}", decode_words(&e)))),
    }
}

/// What a bincode decoding error means, in words (bincode's own messages are its type names).
pub(super) fn decode_words(e: &bincode::error::DecodeError) -> String {
    use bincode::error::DecodeError as D;
    match e {
        D::UnexpectedEnd { additional } => {
            format!("it ends early ({additional} more bytes were needed)")
        }
        D::LimitExceeded => format!(
            "it is larger than the {} MiB a record may be",
            crate::limits::MAX_RECORD_BYTES >> 20
        ),
        D::UnexpectedVariant { found, .. } => format!("it holds an unknown variant ({found})"),
        D::InvalidBooleanValue(v) => format!("it holds {v} where a yes/no (0 or 1) belongs"),
        D::InvalidCharEncoding(_) => "it holds a character that is not valid UTF-8".into(),
        D::OutsideUsizeRange(v) => format!("it holds a length ({v}) too large for this machine"),
        D::InvalidIntegerType { .. } => {
            "it holds a number in a form the format does not use".into()
        }
        D::Utf8 { .. } => "it holds text that is not valid UTF-8".into(),
        // serde's messages are words already; a variant index out of range reads as above
        D::OtherString(s) => match (s.contains("expected variant index"), s.split('`').nth(1)) {
            (true, Some(found)) => format!("it holds an unknown variant ({found})"),
            _ => format!("it cannot be decoded: {s}"),
        },
        D::Other(s) => format!("it cannot be decoded: {s}"),
        other => format!("it cannot be decoded: {other}"),
    }
}
