//! The tidy tables: their names, what one row is, and every column with its type and meaning
//! (the source of the CSV headers, the SQLite schema and `docs/export.md`).

use super::{Column, Table, TableDef, Type};

/// Every table, in the order they are written.
pub const TABLES: &[TableDef] = &[
    TableDef {
        table: Table::Nodes,
        name: "nodes",
        doc: "one row per organisation, bloc, movement or person",
        columns: cols![
            ("id", Text, "the node's slug id (the key)"),
            (
                "kind",
                Text,
                "party, movement, bloc, organisation or person"
            ),
            ("name", Text, "the display name"),
            (
                "years",
                Text,
                "its years as lineage prints them (\"1999–2006\")"
            ),
            (
                "began_earliest",
                Date,
                "the earliest day it may have begun (founding claims, else registration)"
            ),
            ("began_latest", Date, "the latest day it may have begun"),
            (
                "ended_earliest",
                Date,
                "the earliest day it may have ended (empty: no end claimed)"
            ),
            ("ended_latest", Date, "the latest day it may have ended"),
            ("note", Text, "free text"),
            (
                "sources",
                Text,
                "the source ids of the record, space-separated"
            ),
        ],
    },
    TableDef {
        table: Table::Names,
        name: "names",
        doc: "one row per name a node carries",
        columns: cols![
            ("node", Text, "the node's id"),
            ("name", Text, "the name as written"),
            (
                "role",
                Text,
                "name (the display name), alias, or shared (a name other nodes carry too)"
            ),
            (
                "script",
                Text,
                "the ISO 15924 code of the script of most of its letters: Cyrl, Latn, …; Zyyy when it has none"
            ),
            (
                "position",
                Integer,
                "its place among the node's names, from 0"
            ),
        ],
    },
    TableDef {
        table: Table::Edges,
        name: "edges",
        doc: "one row per relation: split, merger, renaming, …, leadership, membership",
        columns: cols![
            (
                "edge",
                Integer,
                "the edge's number in the graph's stable edge order (the key)"
            ),
            (
                "kind",
                Text,
                "split, merger, renaming, reorganisation, founding, division, leadership, membership, founder, affiliation"
            ),
            (
                "from_node",
                Text,
                "the id it runs from (the parent; the person; the member)"
            ),
            (
                "to_node",
                Text,
                "the id it runs to (the child; the organisation; the bloc)"
            ),
            (
                "date",
                Text,
                "its date claims' texts joined by \" / \" (each is a row of claims), else its term, else undated"
            ),
            (
                "earliest",
                Date,
                "the earliest day any claim allows (the hull; for a dated term, its start)"
            ),
            ("latest", Date, "the latest day any claim allows"),
            (
                "role",
                Text,
                "a person's role (leadership, founder, affiliation)"
            ),
            (
                "term_from",
                Text,
                "the start of a person's term as the source gives it (empty: unknown)"
            ),
            (
                "term_until",
                Text,
                "the end of the term as the source gives it (empty: unknown or still going on)"
            ),
            ("note", Text, "free text"),
            (
                "sources",
                Text,
                "the source ids of the record, space-separated"
            ),
        ],
    },
    TableDef {
        table: Table::Claims,
        name: "claims",
        doc: "one row per dated claim, as one set of sources makes it: disagreeing sources are separate rows",
        columns: cols![
            ("claim", Integer, "the row's number (the key)"),
            (
                "node",
                Text,
                "the node it dates (empty for an edge's claim)"
            ),
            (
                "edge",
                Integer,
                "the edge it dates (empty for a node's claim)"
            ),
            (
                "field",
                Text,
                "founded, registered or ended (a node's); date (an edge's)"
            ),
            (
                "date",
                Text,
                "the date as the source gives it (\"early 1998\", \"1999-03\")"
            ),
            ("earliest", Date, "the earliest day the text allows"),
            ("latest", Date, "the latest day the text allows"),
            ("note", Text, "free text"),
            (
                "sources",
                Text,
                "the source ids of the claim, space-separated"
            ),
        ],
    },
    TableDef {
        table: Table::Events,
        name: "events",
        doc: "one row per event in a node's life: congresses, registrations, bans, …",
        columns: cols![
            ("event", Integer, "the row's number (the key)"),
            ("node", Text, "the node's id"),
            (
                "kind",
                Text,
                "founding_congress, congress, registration, ban, liquidation, …"
            ),
            ("date", Text, "the date as the source gives it"),
            ("earliest", Date, "the earliest day it allows"),
            ("latest", Date, "the latest day it allows"),
            ("note", Text, "free text"),
            ("sources", Text, "the source ids, space-separated"),
        ],
    },
    TableDef {
        table: Table::Leaders,
        name: "leaders",
        doc: "one row per leadership edge: who led what, as what, when",
        columns: cols![
            (
                "edge",
                Integer,
                "the edge's number (the key; a row of edges)"
            ),
            ("person", Text, "the person's id"),
            ("organisation", Text, "the organisation's id"),
            (
                "role",
                Text,
                "the role as the source names it (chairman, leader, …)"
            ),
            (
                "term_from",
                Text,
                "the start of the term as the source gives it (empty: unknown)"
            ),
            (
                "from_earliest",
                Date,
                "the earliest day the term may have begun"
            ),
            (
                "from_latest",
                Date,
                "the latest day the term may have begun"
            ),
            (
                "term_until",
                Text,
                "the end of the term as the source gives it (empty: unknown or still in office)"
            ),
            (
                "until_earliest",
                Date,
                "the earliest day the term may have ended"
            ),
            (
                "until_latest",
                Date,
                "the latest day the term may have ended"
            ),
            (
                "sources",
                Text,
                "the source ids of the edge, space-separated"
            ),
        ],
    },
    TableDef {
        table: Table::Elections,
        name: "elections",
        doc: "one row per election result, as one source gives it (disagreeing figures are separate rows)",
        columns: cols![
            ("result", Integer, "the row's number (the key)"),
            ("node", Text, "the party's or bloc's id"),
            ("election", Text, "the election's date as given"),
            ("earliest", Date, "the earliest day it allows"),
            ("latest", Date, "the latest day it allows"),
            ("body", Text, "the body elected (mazhilis, …)"),
            (
                "share",
                Text,
                "the vote share in percent, as the source writes it"
            ),
            (
                "share_percent",
                Real,
                "the same as a number, where it is one"
            ),
            ("seats", Integer, "seats won"),
            ("votes", Integer, "votes won"),
            ("note", Text, "free text"),
            ("sources", Text, "the source ids, space-separated"),
        ],
    },
    TableDef {
        table: Table::ExternalIds,
        name: "external_ids",
        doc: "one row per id of a node in another dataset (Wikidata, Party Facts, ParlGov, …)",
        columns: cols![
            ("external", Integer, "the row's number (the key)"),
            ("node", Text, "the node's id"),
            ("scheme", Text, "the dataset: wikidata, partyfacts, …"),
            ("id", Text, "the id there"),
            (
                "covers",
                Text,
                "era (this name-era node) or chain (its whole renaming chain)"
            ),
            ("note", Text, "free text"),
            ("sources", Text, "the source ids, space-separated"),
        ],
    },
    TableDef {
        table: Table::Sources,
        name: "sources",
        doc: "one row per source cited by any row above",
        columns: cols![
            ("id", Text, "the source's id (the key)"),
            ("title", Text, "its title"),
            ("author", Text, "its author"),
            ("publisher", Text, "its publisher"),
            ("date", Text, "its date as given"),
            ("url", Text, "where it is"),
            ("seed", Text, "the seed document it is, if one"),
            ("note", Text, "free text"),
        ],
    },
    TableDef {
        table: Table::Citations,
        name: "citations",
        doc: "one row per citation: which source backs which row",
        columns: cols![
            (
                "fact",
                Text,
                "the table of the row cited: nodes, edges, claims, events, elections, external_ids"
            ),
            (
                "key",
                Text,
                "that row's key (a node id, or an edge, claim, event, result or external number)"
            ),
            ("source", Text, "the source's id"),
        ],
    },
];
