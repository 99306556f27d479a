"""The answer index's tables, its format version, and how it names the store it belongs to.

Tables (SQLite; ``figure``, ``gene`` and ``paper`` rows are numbered, everything else is
IRIs and text as the store holds them):

* ``figure(id, iri, figid, title, image, paper)``, ``paper(id, iri, year, journal, journal_lc,
  abbreviation_lc)``;
* ``gene(id, iri, symbol, symbol_lc, taxon, figures_all, figures_<tier>...)``: every
  ``biolink:Gene``, with the number of figures mentioning it under each evidence tier;
* ``figure_gene(gene, figure, tiers)``: ``schema:mentions`` between figures and genes, with
  the tier bits (:data:`TIER_BITS`) of the evidence tiers that still count the pair;
* ``gene_mention(gene, figure, word, match, source, origin, count_direct, count_synonym,
  count_match)``: the evidence of each gene mention;
* ``term_mention(figure, kind, term, word, match, source, origin)``: the evidence of each
  chemical and disease mention (``kind`` is ``chemical`` or ``disease``), as a figure card
  lists it;
* ``incidence(name, data)``: the figure-gene pairs again, as arrays (CSR by figure:
  ``indptr`` int64, ``genes`` int32, ``tiers`` uint8), for co-mention counts and
  enrichment without a row per pair;
* ``organism_count(taxon, figures, papers)``: figures-per-organism's counts;
* ``figure_taxon(figure, taxon, kind)``: 1 for ``pfocr:organism``, 2 for
  ``pfocr:nerOrganism``; ``taxon_name(taxon, name)``;
* ``chemical_key(figure, chemical, word, key)``: each chemical mention word with the
  lower-cased texts a chemical name may match there (the word, the matched text);
* ``disease_label(figure, disease, label)``: each disease mention's matched text (else its
  word), the name diseases-comentioned-with-gene falls back to;
* ``term_name(term, name, name_lc)``: ``skos:exactMatch/rdfs:label`` (ChEBI, Disease
  Ontology names), which the queries prefer when there is one;
* ``chemical(iri, figures, word)``: figures mentioning it, and its least OCR word;
* ``class_count(class, entities)``;
* ``meta(key, value)``: ``format``, ``store_identity``, ``made``.
"""

from __future__ import annotations

from pathlib import Path

from kg.model import excluded_sources
from kg.rdf.vocab import BIOLINK, FABIO, PFOCR, SCHEMA

__all__ = [
    "ARRAYS",
    "COUNTED_CLASSES",
    "FORMAT",
    "SCHEMA",
    "TIER_BITS",
    "TIER_COLUMNS",
    "index_path",
    "store_identity",
]

FORMAT = "pfocr-kg-index 3"

# The arrays of the incidence table, with their numpy types.
ARRAYS = {"indptr": "int64", "genes": "int32", "tiers": "uint8"}

# Each evidence tier the queries and analyses offer -> its bit in figure_gene.tiers.
TIER_BITS: dict[frozenset[str], int] = {
    excluded_sources(synonyms=True): 1,
    excluded_sources(families=True): 2,
    excluded_sources(synonyms=True, families=True): 4,
}
TIER_COLUMNS: dict[frozenset[str], str] = {
    frozenset(): "figures_all",
    excluded_sources(synonyms=True): "figures_no_synonyms",
    excluded_sources(families=True): "figures_no_families",
    excluded_sources(synonyms=True, families=True): "figures_official",
}

# The classes graph-summary counts the instances of.
COUNTED_CLASSES = tuple(
    term.value
    for term in (
        FABIO.Figure, SCHEMA.ScholarlyArticle, BIOLINK.Gene, BIOLINK.OrganismTaxon,
        BIOLINK.ChemicalEntity, BIOLINK.Disease, PFOCR.GeneMention, PFOCR.ChemicalMention,
        PFOCR.DiseaseMention,
    )
)  # fmt: skip

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE figure(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, figid TEXT, title TEXT,
                    image TEXT, paper INTEGER);
CREATE TABLE paper(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, year TEXT, journal TEXT,
                   journal_lc TEXT, abbreviation_lc TEXT);
CREATE TABLE gene(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, symbol TEXT,
                  symbol_lc TEXT, taxon TEXT, figures_all INTEGER NOT NULL,
                  figures_no_synonyms INTEGER NOT NULL, figures_no_families INTEGER NOT NULL,
                  figures_official INTEGER NOT NULL);
CREATE TABLE figure_gene(gene INTEGER NOT NULL, figure INTEGER NOT NULL,
                         tiers INTEGER NOT NULL);
CREATE TABLE gene_mention(gene INTEGER NOT NULL, figure INTEGER NOT NULL, word TEXT NOT NULL,
                          match TEXT, source TEXT, origin TEXT NOT NULL,
                          count_direct INTEGER, count_synonym INTEGER, count_match INTEGER);
CREATE TABLE term_mention(figure INTEGER NOT NULL, kind TEXT NOT NULL, term TEXT NOT NULL,
                          word TEXT, match TEXT, source TEXT, origin TEXT);
CREATE TABLE incidence(name TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE organism_count(taxon TEXT PRIMARY KEY, figures INTEGER NOT NULL,
                            papers INTEGER NOT NULL);
CREATE TABLE figure_taxon(figure INTEGER NOT NULL, taxon TEXT NOT NULL, kind INTEGER NOT NULL);
CREATE TABLE taxon_name(taxon TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE chemical_key(figure INTEGER NOT NULL, chemical TEXT NOT NULL, word TEXT NOT NULL,
                          key TEXT NOT NULL);
CREATE TABLE disease_label(figure INTEGER NOT NULL, disease TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE term_name(term TEXT NOT NULL, name TEXT NOT NULL, name_lc TEXT NOT NULL);
CREATE TABLE chemical(iri TEXT PRIMARY KEY, figures INTEGER NOT NULL, word TEXT);
CREATE TABLE class_count(class TEXT PRIMARY KEY, entities INTEGER NOT NULL);
"""

# The index of a store folder is the file beside it: ``store`` -> ``store.index.sqlite``.
SUFFIX = ".index.sqlite"


def index_path(store_path: Path) -> Path:
    """Where the index of the store at ``store_path`` lives (beside its real folder)."""
    real = Path(store_path).resolve()
    return real.with_name(real.name + SUFFIX)


def store_identity(store_path: Path) -> str:
    """The unique id RocksDB gave the store when it was made (its ``IDENTITY`` file)."""
    try:
        with open(Path(store_path) / "IDENTITY", "rb") as handle:
            return handle.read(256).decode("ascii", "replace").strip()
    except OSError:
        return ""
